/* gen_inputs.c - writes the wbota tool's test inputs (tests/tools/inputs/): a minimal ELF32
 * ARM application at 0x08007000 as the firmware's linker script lays it out (vector table,
 * tag pointer at +0x140, code, .data initialisers in flash, .bss, magic last), the same as
 * Intel HEX and raw binary, the ST GCC pitfall (magic before the .data initialisers), an
 * image with reserved room before the magic, and one broken input per check of `wbota image verify`
 * (docs/wbota.md). Deterministic: the golden test regenerates them and compares with the checked-in
 * files. Usage: gen_inputs OUTDIR */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APP      0x08007000u
#define MAGIC    0x94448A29u
#define SP_TOP   0x20030000u
#define VT_LEN   0x13Cu
#define CODE_AT  0x08007200u
#define TEXT_END 0x08007800u /* end of .isr_vector + .tag + .text */
#define DATA_LEN 16u

static const char *s_dir;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static FILE *open_out(const char *name, const char *mode)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", s_dir, name);
    FILE *f = fopen(path, mode);
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    return f;
}

/* ---- a flat application image: [APP, APP + len) ---- */
typedef struct {
    uint8_t b[64 * 1024];
    uint32_t len;
} img_t;

/* text part: vector table, tag pointer, code pattern up to TEXT_END */
static void make_text(img_t *im, uint32_t sp, uint32_t reset, uint32_t tag)
{
    memset(im->b, 0xFF, sizeof(im->b));
    put32(im->b, sp);
    put32(im->b + 4, reset);
    for (uint32_t i = 2u; i < VT_LEN / 4u; i++) {
        put32(im->b + 4u * i, (i < 16u || (i % 3u) == 0u) ? CODE_AT + 0x21u : 0u);
    }
    put32(im->b + 0x140, tag);
    for (uint32_t a = 0x144u; a < TEXT_END - APP; a++) {
        im->b[a] = (uint8_t)(a * 7u + 3u); /* arbitrary "code" */
    }
    /* Reset_Handler: a Thumb "b ." at CODE_AT */
    im->b[CODE_AT - APP] = 0xFE;
    im->b[CODE_AT - APP + 1u] = 0xE7;
    im->len = TEXT_END - APP;
}

static void put_at(img_t *im, uint32_t addr, const uint8_t *d, uint32_t n)
{
    memcpy(im->b + (addr - APP), d, n);
    if (addr + n - APP > im->len) {
        im->len = addr + n - APP;
    }
}

static const uint8_t s_data_init[DATA_LEN] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                              0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x01, 0x02};

static void put_magic(img_t *im, uint32_t addr)
{
    uint8_t m[4];
    put32(m, MAGIC);
    put_at(im, addr, m, 4u);
}

/* ---- writers ---- */
static void write_bin(const char *name, const img_t *im)
{
    FILE *f = open_out(name, "wb");
    fwrite(im->b, 1u, im->len, f);
    fclose(f);
}

static void hex_rec(FILE *f, uint8_t type, uint16_t off, const uint8_t *d, unsigned n)
{
    unsigned sum = n + (off >> 8) + (off & 0xFFu) + type;
    fprintf(f, ":%02X%04X%02X", n, off, type);
    for (unsigned i = 0u; i < n; i++) {
        fprintf(f, "%02X", d[i]);
        sum += d[i];
    }
    fprintf(f, "%02X\n", (unsigned)((0x100u - (sum & 0xFFu)) & 0xFFu));
}

/* An extended linear address record for at's upper half, then all of im as data records of 16
 * bytes from at (the image must stay inside that 64 KB bank). */
static void hex_body_at(FILE *f, const img_t *im, uint32_t at)
{
    uint8_t u[2] = {(uint8_t)(at >> 24), (uint8_t)(at >> 16)};
    hex_rec(f, 0x04, 0u, u, 2u);
    for (uint32_t a = 0; a < im->len; a += 16u) {
        uint32_t k = (im->len - a > 16u) ? 16u : im->len - a;
        hex_rec(f, 0x00, (uint16_t)((at & 0xFFFFu) + a), im->b + a, k);
    }
}

/* Writes the ranges [from[i], to[i]) of im (absolute addresses). */
static void write_hex_ranges(const char *name, const img_t *im, const uint32_t *from,
                             const uint32_t *to, unsigned n)
{
    FILE *f = open_out(name, "w");
    uint32_t upper = 0xFFFFFFFFu;
    for (unsigned r = 0u; r < n; r++) {
        for (uint32_t a = from[r]; a < to[r];) {
            if ((a >> 16) != upper) {
                upper = a >> 16;
                uint8_t u[2] = {(uint8_t)(upper >> 8), (uint8_t)upper};
                hex_rec(f, 0x04, 0u, u, 2u);
            }
            unsigned k = (to[r] - a > 16u) ? 16u : (unsigned)(to[r] - a);
            hex_rec(f, 0x00, (uint16_t)(a & 0xFFFFu), im->b + (a - APP), k);
            a += k;
        }
    }
    uint8_t s[4] = {0x08, 0x00, 0x72, 0x01};
    hex_rec(f, 0x05, 0u, s, 4u);
    hex_rec(f, 0x01, 0u, NULL, 0u);
    fclose(f);
}

static void write_hex(const char *name, const img_t *im)
{
    uint32_t from = APP;
    uint32_t to = APP + im->len;
    write_hex_ranges(name, im, &from, &to, 1u);
}

/* ---- minimal ELF32 ARM executable ---- */
typedef struct {
    const char *name;
    uint32_t type; /* 1 PROGBITS, 8 NOBITS */
    uint32_t flags;
    uint32_t vma, lma, size;
    const uint8_t *data;
} sec_t;

static void write_elf(const char *name, const sec_t *secs, unsigned n, uint32_t entry)
{
    uint8_t *out = calloc(1u, 256u * 1024u);
    uint32_t nload = n;
    uint32_t phoff = 52u;
    uint32_t off = phoff + 32u * nload;
    uint32_t sec_off[16];
    for (unsigned i = 0u; i < n; i++) {
        off = (off + 3u) & ~3u;
        sec_off[i] = off;
        if (secs[i].type == 1u) {
            memcpy(out + off, secs[i].data, secs[i].size);
            off += secs[i].size;
        }
    }
    /* .shstrtab */
    uint32_t shstr_off = off;
    uint32_t name_off[17];
    uint32_t p = 1u;
    out[off] = 0u;
    for (unsigned i = 0u; i <= n; i++) {
        const char *nm = (i < n) ? secs[i].name : ".shstrtab";
        name_off[i] = p;
        memcpy(out + shstr_off + p, nm, strlen(nm) + 1u);
        p += (uint32_t)strlen(nm) + 1u;
    }
    off = shstr_off + p;
    off = (off + 3u) & ~3u;
    uint32_t shoff = off;
    uint32_t shnum = n + 2u;
    /* ELF header */
    uint8_t *h = out;
    h[0] = 0x7F;
    h[1] = 'E';
    h[2] = 'L';
    h[3] = 'F';
    h[4] = 1;           /* ELFCLASS32 */
    h[5] = 1;           /* little-endian */
    h[6] = 1;           /* EV_CURRENT */
    put16(h + 16, 2u);  /* ET_EXEC */
    put16(h + 18, 40u); /* EM_ARM */
    put32(h + 20, 1u);
    put32(h + 24, entry);
    put32(h + 28, phoff);
    put32(h + 32, shoff);
    put32(h + 36, 0x05000200u); /* EABI5, hard-float ABI flag as GCC sets */
    put16(h + 40, 52u);
    put16(h + 42, 32u);
    put16(h + 44, (uint16_t)nload);
    put16(h + 46, 40u);
    put16(h + 48, (uint16_t)shnum);
    put16(h + 50, (uint16_t)(shnum - 1u));
    for (unsigned i = 0u; i < n; i++) {
        uint8_t *ph = out + phoff + 32u * i;
        put32(ph + 0, 1u); /* PT_LOAD */
        put32(ph + 4, sec_off[i]);
        put32(ph + 8, secs[i].vma);
        put32(ph + 12, secs[i].lma);
        put32(ph + 16, secs[i].type == 1u ? secs[i].size : 0u);
        put32(ph + 20, secs[i].size);
        put32(ph + 24, (secs[i].flags & 4u) ? 5u : 6u); /* R+X or R+W */
        put32(ph + 28, 4u);
    }
    for (unsigned i = 0u; i < shnum; i++) {
        uint8_t *sh = out + shoff + 40u * i;
        memset(sh, 0, 40u);
        if (i == 0u) {
            continue;
        }
        if (i <= n) {
            const sec_t *s = &secs[i - 1u];
            put32(sh + 0, name_off[i - 1u]);
            put32(sh + 4, s->type);
            put32(sh + 8, s->flags);
            put32(sh + 12, s->vma);
            put32(sh + 16, sec_off[i - 1u]);
            put32(sh + 20, s->size);
            put32(sh + 32, 4u);
        } else {
            put32(sh + 0, name_off[n]);
            put32(sh + 4, 3u); /* SHT_STRTAB */
            put32(sh + 16, shstr_off);
            put32(sh + 20, p);
            put32(sh + 32, 1u);
        }
    }
    uint32_t total = shoff + 40u * shnum;
    FILE *f = open_out(name, "wb");
    fwrite(out, 1u, total, f);
    fclose(f);
    free(out);
}

#define SHF_WA 3u /* write + alloc */
#define SHF_AX 6u /* alloc + exec */
#define SHF_A  2u

/* ELF of an image whose text is im[0, TEXT_END), .data (vma, lma), magic at magic_at. */
static void write_app_elf(const char *name, const img_t *im, uint32_t data_vma, uint32_t data_lma,
                          uint32_t magic_at)
{
    static uint8_t magic[4];
    put32(magic, MAGIC);
    sec_t s[5] = {
        {".isr_vector", 1u, SHF_A, APP, APP, VT_LEN, im->b},
        {".text", 1u, SHF_AX, APP + 0x140u, APP + 0x140u, TEXT_END - APP - 0x140u, im->b + 0x140u},
        {".data", 1u, SHF_WA, data_vma, data_lma, DATA_LEN, s_data_init},
        {".bss", 8u, SHF_WA, data_vma + DATA_LEN, data_vma + DATA_LEN, 0x100u, NULL},
        {".tag_ota_end", 1u, SHF_A, magic_at, magic_at, 4u, magic},
    };
    write_elf(name, s, 5u, CODE_AT + 1u);
}

/* The good application plus one orphan section a linker script did not name: placed by the
 * linker right after .data in RAM (0x20000018), its bytes after .data's in flash, the magic
 * after those. */
static void write_orphan_elf(const char *name, img_t *im, const char *sec, const uint8_t *bytes,
                             uint32_t n)
{
    static uint8_t magic[4];
    put32(magic, MAGIC);
    uint32_t magic_at = TEXT_END + DATA_LEN + n;
    make_text(im, SP_TOP, CODE_AT + 1u, magic_at);
    put_at(im, TEXT_END, s_data_init, DATA_LEN);
    put_at(im, TEXT_END + DATA_LEN, bytes, n);
    put_magic(im, magic_at);
    sec_t s[5] = {
        {".isr_vector", 1u, SHF_A, APP, APP, VT_LEN, im->b},
        {".text", 1u, SHF_AX, APP + 0x140u, APP + 0x140u, TEXT_END - APP - 0x140u, im->b + 0x140u},
        {".data", 1u, SHF_WA, 0x20000008u, TEXT_END, DATA_LEN, s_data_init},
        {sec, 1u, SHF_WA, 0x20000008u + DATA_LEN, TEXT_END + DATA_LEN, n, bytes},
        {".tag_ota_end", 1u, SHF_A, magic_at, magic_at, 4u, magic},
    };
    write_elf(name, s, 5u, CODE_AT + 1u);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_inputs OUTDIR\n");
        return 2;
    }
    s_dir = argv[1];
    static img_t im;
    const uint32_t reset = CODE_AT + 1u;

    /* good: text, .data initialisers at TEXT_END, magic last at TEXT_END + 16 */
    uint32_t magic_good = TEXT_END + DATA_LEN;
    make_text(&im, SP_TOP, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_bin("good.bin", &im);
    write_hex("good.hex", &im);
    write_app_elf("good.elf", &im, 0x20000008u, TEXT_END, magic_good);

    /* ST GCC pitfall: magic at TEXT_END, .data initialisers after it */
    make_text(&im, SP_TOP, reset, TEXT_END);
    put_magic(&im, TEXT_END);
    put_at(&im, TEXT_END + 4u, s_data_init, DATA_LEN);
    write_app_elf("st_gcc_magic_not_last.elf", &im, 0x20000008u, TEXT_END + 4u, TEXT_END);
    write_bin("st_gcc_magic_not_last.bin", &im);

    /* room reserved before the magic (a NOLOAD gap of 512 bytes): manifest goes in place */
    uint32_t magic_room = TEXT_END + DATA_LEN + 512u;
    make_text(&im, SP_TOP, reset, magic_room);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_room);
    {
        uint32_t from[2] = {APP, magic_room};
        uint32_t to[2] = {TEXT_END + DATA_LEN, magic_room + 4u};
        write_hex_ranges("room_before_magic.hex", &im, from, to, 2u);
    }

    /* room reserved by a `.wbota_manifest` section (0xFF-filled PROGBITS) before the magic */
    {
        static uint8_t room[256];
        static uint8_t magic[4];
        memset(room, 0xFF, sizeof(room));
        put32(magic, MAGIC);
        uint32_t room_at = TEXT_END + DATA_LEN;
        uint32_t magic_at = room_at + sizeof(room);
        make_text(&im, SP_TOP, reset, magic_at);
        sec_t sr[5] = {
            {".isr_vector", 1u, SHF_A, APP, APP, VT_LEN, im.b},
            {".text", 1u, SHF_AX, APP + 0x140u, APP + 0x140u, TEXT_END - APP - 0x140u,
             im.b + 0x140u},
            {".data", 1u, SHF_WA, 0x20000008u, TEXT_END, DATA_LEN, s_data_init},
            {".wbota_manifest", 1u, SHF_A, room_at, room_at, sizeof(room), room},
            {".tag_ota_end", 1u, SHF_A, magic_at, magic_at, 4u, magic},
        };
        write_elf("room_section.elf", sr, 5u, CODE_AT + 1u);
    }

    /* ---- one broken input per check ---- */
    /* link-addr + vt-align: linked 0x100 above the app start */
    make_text(&im, SP_TOP, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    {
        FILE *f = open_out("bad_link_addr.hex", "w");
        hex_body_at(f, &im, 0x08007100u);
        hex_rec(f, 0x01, 0u, NULL, 0u);
        fclose(f);
    }
    /* vt-sp: SP outside SRAM1 */
    make_text(&im, 0x20040000u, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_bin("bad_sp_outside.bin", &im);
    /* vt-sp: SP inside the mailbox bytes */
    make_text(&im, 0x20000004u, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_bin("bad_sp_mailbox.bin", &im);
    /* ram-mailbox: .data linked at 0x20000000 */
    make_text(&im, SP_TOP, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_app_elf("bad_ram_mailbox.elf", &im, 0x20000000u, TEXT_END, magic_good);
    /* vt-reset: not Thumb */
    make_text(&im, SP_TOP, CODE_AT, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_bin("bad_reset_arm.bin", &im);
    /* vt-reset: outside the image */
    make_text(&im, SP_TOP, 0x08100001u, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_bin("bad_reset_outside.bin", &im);
    /* tag-ptr: +0x140 erased */
    make_text(&im, SP_TOP, reset, 0xFFFFFFFFu);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    write_bin("bad_tag_ptr.bin", &im);
    /* tag-ptr: image too short to hold +0x140 */
    make_text(&im, SP_TOP, 0x08007101u, 0u);
    im.len = 0x100u;
    write_bin("bad_tag_short.bin", &im);
    /* magic-missing: +0x140 points at the end but the magic word is absent (partial) */
    make_text(&im, SP_TOP, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    {
        uint8_t zero[4] = {0, 0, 0, 0};
        put_at(&im, magic_good, zero, 4u);
    }
    write_bin("bad_magic_missing.bin", &im);
    /* cpu2-overlap + too-large: 40 KB image, checked with --sfsa 0x0F (app region 32 KB) */
    make_text(&im, SP_TOP, reset, APP + 40u * 1024u - 4u);
    for (uint32_t a = TEXT_END - APP; a < 40u * 1024u - 4u; a++) {
        im.b[a] = (uint8_t)(a ^ (a >> 8));
    }
    im.len = 40u * 1024u - 4u;
    put_magic(&im, APP + 40u * 1024u - 4u);
    write_bin("big_40k.bin", &im);
    /* outside-flash: a HEX file that also carries bytes for RAM */
    make_text(&im, SP_TOP, reset, magic_good);
    put_at(&im, TEXT_END, s_data_init, DATA_LEN);
    put_magic(&im, magic_good);
    {
        FILE *f = open_out("bad_outside_flash.hex", "w");
        hex_body_at(f, &im, 0x08007000u);
        uint8_t r[2] = {0x20, 0x00};
        hex_rec(f, 0x04, 0u, r, 2u);
        hex_rec(f, 0x00, 0x0008u, s_data_init, DATA_LEN);
        hex_rec(f, 0x01, 0u, NULL, 0u);
        fclose(f);
    }
    /* a stand-in loader for `wbota merge`: 6 KB at 0x08000000 with a loader information block
     * at 0x08000200 (byte table of core/include/wbota/loader_info.h, written out by hand) */
    {
        static uint8_t ldr[6144];
        for (uint32_t i = 0u; i < sizeof(ldr); i++) {
            ldr[i] = (uint8_t)(i * 5u + 1u);
        }
        put32(ldr, SP_TOP);
        put32(ldr + 4, 0x08000401u);
        uint8_t *li = ldr + 0x200;
        put32(li, 0x4F4C4257u); /* "WBLO" */
        li[4] = 1u;             /* format */
        li[5] = 0u;             /* policy st */
        li[6] = 3u;             /* rfwkp adaptive */
        li[7] = 7u;             /* app start page */
        li[8] = 1u;
        li[9] = 0u;
        put16(li + 10, 2u);          /* version 1.0.2 */
        put32(li + 12, 0xC0FFEE01u); /* build id */
        put32(li + 16, sizeof(ldr)); /* loader size */
        put32(li + 20, 0u);          /* key id */
        memset(li + 24, 0xFF, 8u);
        FILE *f = open_out("loader_stub.bin", "wb");
        fwrite(ldr, 1u, sizeof(ldr), f);
        fclose(f);
    }
    /* a text file given as firmware (a README) */
    {
        FILE *f = open_out("readme.txt", "w");
        fputs("# my-product\n\nBuild with `make`, then flash build/app.bin.\n", f);
        fclose(f);
    }
    /* linker script without .init_array: the orphan section lands after .data in RAM (VMA
     * 0x20000018) with its bytes loaded in flash after .data's, where start-up never reads it */
    {
        static uint8_t ctor[4];
        put32(ctor, CODE_AT + 1u);
        write_orphan_elf("ctor_in_ram.elf", &im, ".init_array", ctor, sizeof(ctor));
    }
    /* linker script without MB_MEM1: ST's CPU2 buffers as an orphan in SRAM1 with a flash
     * load image (8 zero bytes after .data's initialisers) */
    {
        static uint8_t zeros[8];
        write_orphan_elf("cpu2_in_sram1.elf", &im, "MB_MEM1", zeros, sizeof(zeros));
    }
    return 0;
}
