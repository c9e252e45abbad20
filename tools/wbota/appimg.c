/* appimg.c - image checks, creation and verification of the wbota tool (see appimg.h). */
#include "appimg.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "wbota/bytes.h"
#include "wbota/loader_info.h"

#define WBTOOL_VT_ALIGN         0x200u /* 79 vectors round up to 128 words: VTOR needs 512 bytes */
#define WBTOOL_MANIFEST_SECTION ".wbota_manifest"

void wbtool_report_init(wbtool_report_t *r)
{
    memset(r, 0, sizeof(*r));
}

void wbtool_report_add(wbtool_report_t *r, const char *id, wbtool_sev_t sev, uint32_t addr,
                       const char *fmt, ...)
{
    if (sev == WBTOOL_SEV_ERROR) {
        r->errors++;
    } else if (sev == WBTOOL_SEV_WARN) {
        r->warnings++;
    }
    if (r->n >= WBTOOL_MAX_FINDINGS) {
        r->dropped++;
        return;
    }
    wbtool_finding_t *f = &r->f[r->n++];
    f->id = id;
    f->sev = sev;
    f->addr = addr;
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(f->text, sizeof(f->text), fmt, ap);
    va_end(ap);
}

bool wbtool_report_fails(const wbtool_report_t *r, bool strict)
{
    return r->errors > 0u || (strict && r->warnings > 0u);
}

static const char *prv_sev_name(wbtool_sev_t sev, bool strict)
{
    if (sev == WBTOOL_SEV_ERROR || (strict && sev == WBTOOL_SEV_WARN)) {
        return "error";
    }
    return sev == WBTOOL_SEV_WARN ? "warning" : "note";
}

void wbtool_report_print(FILE *f, const wbtool_report_t *r, bool strict)
{
    for (size_t i = 0u; i < r->n; i++) {
        fprintf(f, "%s[%s]: 0x%08X: %s\n", prv_sev_name(r->f[i].sev, strict), r->f[i].id,
                (unsigned)r->f[i].addr, r->f[i].text);
    }
    if (r->dropped > 0u) {
        fprintf(f, "note: %zu more findings not shown\n", r->dropped);
    }
}

void wbtool_report_json(FILE *f, const wbtool_report_t *r, bool strict)
{
    fputc('[', f);
    for (size_t i = 0u; i < r->n; i++) {
        fprintf(f, "%s{\"severity\":\"%s\",\"check\":\"%s\",\"address\":%u,\"text\":", i ? "," : "",
                prv_sev_name(r->f[i].sev, strict), r->f[i].id, (unsigned)r->f[i].addr);
        wbtool_json_str(f, r->f[i].text);
        fputc('}', f);
    }
    fputc(']', f);
}

static uint32_t prv_word(const wbtool_flat_t *fl, uint32_t addr)
{
    return wbota_get_le32(fl->data + (addr - fl->base));
}

static bool prv_flat_has(const wbtool_flat_t *fl, uint32_t addr, uint32_t len)
{
    return addr >= fl->base && (uint64_t)addr + len <= (uint64_t)fl->base + fl->len;
}

/* SRAM2A: 32 KB at 0x20030000 (RM0434 2.2.2, memory map), the only SRAM CPU2 reads its
 * reference table and transport buffers from. */
#define PRV_SRAM2A_END 0x20038000u

/* Sections whose pointers the C runtime calls at start-up/exit (constructors). */
static bool prv_is_ctor_section(const char *n)
{
    return strcmp(n, ".preinit_array") == 0 || strcmp(n, ".init_array") == 0 ||
           strcmp(n, ".fini_array") == 0 || strcmp(n, ".ctors") == 0 || strcmp(n, ".dtors") == 0;
}

/* Sections shared with CPU2: ST's names and the project's own. */
static bool prv_is_cpu2_section(const char *n)
{
    return strcmp(n, "MAPPING_TABLE") == 0 || strcmp(n, "MB_MEM1") == 0 ||
           strcmp(n, "MB_MEM2") == 0 || strncmp(n, ".cpu2_shared", 12u) == 0;
}

/* Linker-script mistakes visible only in the ELF's sections. */
static void prv_check_elf_sections(const wbtool_elf_info_t *elf, wbtool_report_t *rep)
{
    for (size_t i = 0u; i < elf->n_secs; i++) {
        const wbtool_elf_section_t *s = &elf->secs[i];
        uint64_t end = (uint64_t)s->addr + s->size;
        if (s->size == 0u) {
            continue;
        }
        if (s->addr < WBOTA_RAM_RESERVED_END && end > WBOTA_SRAM1_BASE) {
            wbtool_report_add(rep, WBTOOL_CK_RAM_MAILBOX, WBTOOL_SEV_ERROR, s->addr,
                              "section %s (0x%08X-0x%08llX) overlaps the boot mailbox "
                              "0x20000000-0x20000007: set RAM ORIGIN = 0x20000008, "
                              "LENGTH = 0x2FFF8 in the linker script",
                              s->name, (unsigned)s->addr, (unsigned long long)(end - 1u));
        }
        /* the C runtime walks these tables in place: outside flash (an orphan section the
         * script did not name lands after .data in RAM, never copied) they never run */
        if (prv_is_ctor_section(s->name) && (s->nobits || !wbota_is_in_flash(s->addr, s->size))) {
            wbtool_report_add(rep, WBTOOL_CK_CTORS, WBTOOL_SEV_ERROR, s->addr,
                              "section %s (%u bytes of constructor/destructor pointers) is at "
                              "0x%08X, outside the flash image: the start-up code would never "
                              "call them; name .preinit_array, .init_array and .fini_array in "
                              "the linker script, in FLASH before .data (as "
                              "firmware/appkit/wbota_app.ld does)",
                              s->name, (unsigned)s->size, (unsigned)s->addr);
        }
        if (prv_is_cpu2_section(s->name) && (s->addr < WBOTA_SRAM2A_BASE || end > PRV_SRAM2A_END)) {
            wbtool_report_add(rep, WBTOOL_CK_CPU2_SHARED, WBTOOL_SEV_ERROR, s->addr,
                              "section %s (CPU2 shared tables/buffers, %u bytes) is at "
                              "0x%08X%s, outside SRAM2A 0x20030000-0x20037FFF where CPU2 looks "
                              "for them: place MAPPING_TABLE, MB_MEM1 and MB_MEM2 in RAM_SHARED "
                              "as (NOLOAD) sections",
                              s->name, (unsigned)s->size, (unsigned)s->addr,
                              s->nobits ? "" : " with a load image in flash");
        } else if (prv_is_cpu2_section(s->name) && !s->nobits) {
            wbtool_report_add(rep, WBTOOL_CK_CPU2_SHARED, WBTOOL_SEV_WARN, s->addr,
                              "section %s (CPU2 shared) has a load image: %u bytes of flash "
                              "for buffers nobody copies; mark the output section (NOLOAD)",
                              s->name, (unsigned)s->size);
        }
    }
}

/* true iff the first words of a flash window cannot be a Cortex-M vector table of this chip:
 * initial SP outside SRAM and reset vector outside flash (a text file, a picture, ...). */
static bool prv_not_firmware(uint32_t sp, uint32_t reset)
{
    bool sp_ram = sp >= WBOTA_SRAM1_BASE && sp <= WBOTA_SRAM1_BASE + 0x40000u;
    bool reset_flash = wbota_is_in_flash(reset & ~1u, 2u);
    return !sp_ram && !reset_flash;
}

bool wbtool_check_size(const wbota_layout_t *lay, uint32_t base, uint32_t len, wbtool_report_t *rep)
{
    uint32_t app_end = wbota_app_end(lay);
    uint32_t max = wbota_app_max_size(lay);
    uint64_t end = (uint64_t)base + len;
    if (rep == NULL) {
        return end <= app_end && len <= max;
    }
    if (end > app_end) {
        wbtool_report_add(rep, WBTOOL_CK_CPU2_OVERLAP, WBTOOL_SEV_ERROR, app_end,
                          "image ends at 0x%08llX but the CPU2 secure area starts at 0x%08X "
                          "(SFSA 0x%02X): remove %llu bytes from the image, or pass the "
                          "device's real --sfsa",
                          (unsigned long long)end, (unsigned)app_end, (unsigned)lay->sfsa,
                          (unsigned long long)(end - app_end));
    }
    if (len > max) {
        wbtool_report_add(rep, WBTOOL_CK_TOO_LARGE, WBTOOL_SEV_ERROR, base,
                          "image is %u bytes, the app region (pages %u..%u) holds %u: shrink "
                          "the application by %u bytes",
                          (unsigned)len, (unsigned)lay->app_start_page, (unsigned)lay->sfsa - 1u,
                          (unsigned)max, (unsigned)(len - max));
    }
    return end <= app_end && len <= max;
}

void wbtool_check_input(const wbtool_input_t *in, const wbota_layout_t *lay, wbtool_mode_t mode,
                        wbtool_report_t *rep, wbtool_flat_t *flat, wbtool_tags_t *tags)
{
    memset(flat, 0, sizeof(*flat));
    memset(tags, 0, sizeof(*tags));
    const wbtool_memimg_t *m = &in->mem;
    uint32_t app = wbota_app_start(lay);

    /* Only flash bytes make an image; anything else cannot be programmed. */
    uint32_t lo = 0xFFFFFFFFu;
    uint64_t hi = 0u;
    for (size_t i = 0u; i < m->n; i++) {
        const wbtool_seg_t *s = &m->segs[i];
        if (!wbota_is_in_flash(s->addr, s->len)) {
            wbtool_report_add(rep, WBTOOL_CK_OUTSIDE_FLASH, WBTOOL_SEV_ERROR, s->addr,
                              "%u bytes of data outside flash (0x08000000-0x080FFFFF): link "
                              "only flash sections into the image (RAM sections need AT> "
                              "FLASH for their initialisers)",
                              (unsigned)s->len);
            continue;
        }
        if (s->addr < lo) {
            lo = s->addr;
        }
        if ((uint64_t)s->addr + s->len > hi) {
            hi = (uint64_t)s->addr + s->len;
        }
    }
    if (hi == 0u) {
        wbtool_report_add(rep, WBTOOL_CK_LINK_ADDR, WBTOOL_SEV_ERROR, app,
                          "the input holds no flash bytes: link the application at 0x%08X",
                          (unsigned)app);
        return;
    }
    flat->base = lo;
    flat->len = (uint32_t)(hi - lo);
    flat->data = wbtool_memimg_flatten(m, lo, (uint32_t)hi);
    if (flat->data == NULL) {
        flat->len = 0u;
        return;
    }
    /* gaps: informative (filled with 0xFF, as the loader pads) */
    uint64_t prev_end = 0u;
    for (size_t i = 0u; i < m->n; i++) {
        const wbtool_seg_t *s = &m->segs[i];
        if (!wbota_is_in_flash(s->addr, s->len)) {
            continue;
        }
        if (prev_end != 0u && s->addr > prev_end) {
            wbtool_report_add(rep, WBTOOL_CK_GAP, WBTOOL_SEV_NOTE, (uint32_t)prev_end,
                              "%llu bytes up to 0x%08X are not in the input: filled with 0xFF",
                              (unsigned long long)(s->addr - prev_end), (unsigned)s->addr);
        }
        prev_end = (uint64_t)s->addr + s->len;
    }

    if (flat->len >= 8u && prv_not_firmware(prv_word(flat, lo), prv_word(flat, lo + 4u))) {
        bool text = true;
        for (uint32_t i = 0u; i < flat->len && i < 64u; i++) {
            uint8_t b = flat->data[i];
            text = text && (b == '\n' || b == '\r' || b == '\t' || (b >= 0x20u && b < 0x7Fu));
        }
        wbtool_report_add(rep, WBTOOL_CK_NOT_FIRMWARE, WBTOOL_SEV_ERROR, lo,
                          "not a firmware image%s: its first words 0x%08X 0x%08X are no "
                          "vector table (initial SP in SRAM, reset vector in flash); give the "
                          "application's ELF, Intel HEX or .bin",
                          text ? " (it starts with text)" : "", (unsigned)prv_word(flat, lo),
                          (unsigned)prv_word(flat, lo + 4u));
        return;
    }
    wbota_loader_info_t li;
    if (lo == WBOTA_FLASH_BASE && app != WBOTA_FLASH_BASE &&
        prv_flat_has(flat, WBOTA_LOADER_INFO_ADDR, WBOTA_LOADER_INFO_LEN) &&
        wbota_loader_info_decode(flat->data + (WBOTA_LOADER_INFO_ADDR - lo), &li) == WBOTA_OK) {
        wbtool_report_add(rep, WBTOOL_CK_LOADER, WBTOOL_SEV_ERROR, lo,
                          "this is the wbota loader (information block at 0x%08X: version "
                          "%u.%u.%u), not an application: the loader goes to `wbota merge "
                          "--loader` or the programmer; give `image create` the application "
                          "linked at 0x%08X",
                          (unsigned)WBOTA_LOADER_INFO_ADDR, li.ver_major, li.ver_minor,
                          li.ver_patch, (unsigned)app);
        return;
    }
    if (lo != app) {
        wbtool_report_add(rep, WBTOOL_CK_LINK_ADDR, WBTOOL_SEV_ERROR, lo,
                          "image starts at 0x%08X (page %u), the application must start at "
                          "0x%08X (page %u): set FLASH ORIGIN = 0x%08X in the linker script "
                          "(or pass --app-page %u)",
                          (unsigned)lo, (unsigned)wbota_addr_page(lo), (unsigned)app,
                          (unsigned)lay->app_start_page, (unsigned)app,
                          (unsigned)wbota_addr_page(lo));
    }
    if ((lo % WBTOOL_VT_ALIGN) != 0u) {
        wbtool_report_add(rep, WBTOOL_CK_VT_ALIGN, WBTOOL_SEV_ERROR, lo,
                          "vector table at 0x%08X is not 512-byte aligned (VTOR needs it for "
                          "79 vectors): align the start of the image to a page",
                          (unsigned)lo);
    }
    if (flat->len < 8u) {
        wbtool_report_add(rep, WBTOOL_CK_VT_SP, WBTOOL_SEV_ERROR, lo,
                          "image of %u bytes has no vector table: put .isr_vector first",
                          (unsigned)flat->len);
        return;
    }
    tags->vt_ok = true;
    tags->sp = prv_word(flat, lo);
    tags->reset = prv_word(flat, lo + 4u);
    if (tags->sp <= WBOTA_RAM_RESERVED_END || tags->sp > WBOTA_SRAM1_BASE + WBOTA_SRAM1_SIZE) {
        bool mailbox = tags->sp >= WBOTA_SRAM1_BASE && tags->sp <= WBOTA_RAM_RESERVED_END;
        wbtool_report_add(rep, WBTOOL_CK_VT_SP, WBTOOL_SEV_ERROR, lo,
                          "initial SP 0x%08X is %s: set _estack = 0x20030000 (top of SRAM1) in "
                          "the linker script",
                          (unsigned)tags->sp,
                          mailbox ? "inside the boot mailbox bytes 0x20000000-0x20000007"
                                  : "outside SRAM1 (0x20000008, 0x20030000]");
    } else if ((tags->sp & 7u) != 0u) {
        wbtool_report_add(rep, WBTOOL_CK_VT_SP, WBTOOL_SEV_ERROR, lo,
                          "initial SP 0x%08X is not 8-byte aligned (AAPCS): align _estack to 8",
                          (unsigned)tags->sp);
    }
    if (in->fmt == WBTOOL_FMT_ELF) {
        prv_check_elf_sections(&in->elf, rep);
    }

    /* tags: ST's rule, word at +0x140 -> magic */
    uint32_t tag_at = lo + WBOTA_TAG_PTR_OFFSET;
    uint32_t image_end = (uint32_t)hi;
    if (!prv_flat_has(flat, tag_at, 4u)) {
        wbtool_report_add(rep, WBTOOL_CK_TAG_PTR, WBTOOL_SEV_ERROR, tag_at,
                          "image of %u bytes ends before the tag pointer word at +0x140: "
                          "place the TAG_OTA_START word (address of the magic) right after the "
                          "vector table",
                          (unsigned)flat->len);
    } else {
        tags->tag_ptr = prv_word(flat, tag_at);
        uint32_t p = tags->tag_ptr;
        if ((p & 3u) != 0u || p < tag_at + 4u || !prv_flat_has(flat, p, 4u)) {
            wbtool_report_add(rep, WBTOOL_CK_TAG_PTR, WBTOOL_SEV_ERROR, tag_at,
                              "tag pointer at +0x140 is 0x%08X, not an aligned address inside "
                              "the image (0x%08X-0x%08X): place TAG_OTA_START (.word of the "
                              "magic's address) right after the vector table",
                              (unsigned)p, (unsigned)lo, (unsigned)(image_end - 1u));
        } else {
            tags->tag_ok = true;
            if (prv_word(flat, p) != WBOTA_TAG_MAGIC) {
                if (mode == WBTOOL_MODE_CREATE) {
                    wbtool_report_add(rep, WBTOOL_CK_MAGIC_MISSING, WBTOOL_SEV_WARN, p,
                                      "no magic 0x94448A29 where +0x140 points (found 0x%08X): "
                                      "wbota appends the magic after the manifest and points "
                                      "+0x140 at it; to fix the build, end the image with "
                                      "TAG_OTA_END",
                                      (unsigned)prv_word(flat, p));
                } else {
                    wbtool_report_add(rep, WBTOOL_CK_MAGIC_MISSING, WBTOOL_SEV_ERROR, p,
                                      "no magic 0x94448A29 where +0x140 points (found 0x%08X): "
                                      "the image is incomplete or was never tagged; rebuild "
                                      "it with `wbota image create`",
                                      (unsigned)prv_word(flat, p));
                }
            } else {
                tags->magic_ok = true;
                uint32_t after = p + 4u;
                bool last = true;
                for (uint32_t a = after; a < image_end; a++) {
                    if (flat->data[a - lo] != 0xFFu) {
                        last = false;
                        break;
                    }
                }
                tags->magic_last = last;
                if (!last) {
                    wbtool_report_add(
                        rep, WBTOOL_CK_MAGIC_LAST, WBTOOL_SEV_WARN, p,
                        "magic is not last: %u bytes follow it up to 0x%08X, so a partial "
                        "upload can already carry the magic (ST's GCC linker scripts put the "
                        ".data initialisers after TAG_OTA_END); %s",
                        (unsigned)(image_end - after), (unsigned)image_end,
                        mode == WBTOOL_MODE_CREATE
                            ? "wbota moves the magic to the end; to fix the build, move "
                              "KEEP(*(TAG_OTA_END)) into a FLASH section after .data "
                              "(docs/appkit.md#st-ota-linker-script)"
                            : "run `wbota image create` on it, or move KEEP(*(TAG_OTA_END)) "
                              "into a FLASH section after .data "
                              "(docs/appkit.md#st-ota-linker-script)");
                } else {
                    image_end = after;
                }
            }
        }
    }
    if ((tags->reset & 1u) == 0u) {
        wbtool_report_add(rep, WBTOOL_CK_VT_RESET, WBTOOL_SEV_ERROR, lo + 4u,
                          "reset vector 0x%08X is not a Thumb address (bit 0 clear): the "
                          "Cortex-M4 would fault; point it at Reset_Handler of a Thumb build",
                          (unsigned)tags->reset);
    } else if ((tags->reset & ~1u) < lo || (tags->reset & ~1u) >= image_end) {
        wbtool_report_add(rep, WBTOOL_CK_VT_RESET, WBTOOL_SEV_ERROR, lo + 4u,
                          "reset vector 0x%08X is outside the image (0x%08X-0x%08X): link "
                          "Reset_Handler into this image",
                          (unsigned)tags->reset, (unsigned)lo, (unsigned)(image_end - 1u));
    }
    if (mode == WBTOOL_MODE_VERIFY) {
        wbtool_check_size(lay, lo, (uint32_t)(hi - lo), rep);
    }
}

/* true iff [addr, addr+len) may hold the manifest without destroying application bytes. */
static bool prv_is_room(const wbtool_input_t *in, const wbtool_flat_t *fl, uint32_t addr,
                        uint32_t len)
{
    for (uint32_t i = 0u; i < len; i++) {
        if (fl->data[addr - fl->base + i] != 0xFFu) {
            return false;
        }
    }
    /* erased bytes the input does not define (a NOLOAD gap) are free ... */
    if (wbtool_memimg_is_undefined(&in->mem, addr, len)) {
        return true;
    }
    /* ... and so is a section the application reserved for it by name */
    if (in->fmt == WBTOOL_FMT_ELF) {
        for (size_t i = 0u; i < in->elf.n_secs; i++) {
            const wbtool_elf_section_t *s = &in->elf.secs[i];
            if (strcmp(s->name, WBTOOL_MANIFEST_SECTION) == 0 && s->addr <= addr &&
                (uint64_t)addr + len <= (uint64_t)s->addr + s->size) {
                return true;
            }
        }
    }
    /* 0xFF bytes that are part of the application (a const table) are not room. */
    return false;
}

wbota_err_t wbtool_image_create(const wbtool_input_t *in, const wbtool_create_cfg_t *cfg,
                                wbtool_report_t *rep, wbtool_created_t *out)
{
    memset(out, 0, sizeof(*out));
    wbtool_flat_t fl;
    wbtool_tags_t tags;
    wbtool_check_input(in, &cfg->lay, WBTOOL_MODE_CREATE, rep, &fl, &tags);
    if (rep->errors > 0u || fl.data == NULL || !tags.tag_ok) {
        free(fl.data);
        return WBOTA_E_ARG;
    }
    uint8_t man[WBOTA_MANIFEST_MAX_LEN];
    size_t man_len = 0u;
    size_t sig_off = 0u;
    size_t signed_len = 0u;
    wbota_manifest_params_t mp;
    memset(&mp, 0, sizeof(mp));
    mp.load_addr = fl.base;
    mp.version = cfg->version;
    mp.sec_counter = cfg->sec_counter;
    mp.with_signature = (cfg->key != NULL);
    mp.key_id = (cfg->key != NULL) ? wbota_key_id(cfg->key->pub) : 0u;
    /* L depends only on which TLVs are present: learn it first, fill the hash later. */
    wbota_err_t err = wbota_manifest_encode(&mp, man, sizeof(man), &man_len, &sig_off, &signed_len);
    if (err != WBOTA_OK) {
        free(fl.data);
        return err;
    }
    uint32_t L = (uint32_t)man_len;

    /* An existing wbota manifest before a last magic is replaced where it is. */
    uint32_t M = tags.tag_ptr;
    uint32_t old_room_lo = M;
    if (tags.magic_ok && tags.magic_last) {
        wbota_buf_mem_t holder;
        wbota_mem_t mem = wbota_mem_from_buffer(&holder, fl.base, fl.data, fl.len);
        wbota_image_info_t info;
        memset(&info, 0, sizeof(info));
        info.app_start = fl.base;
        info.magic_addr = M;
        info.image_end = M + 4u;
        if (wbota_image_find_manifest(&mem, &cfg->lay, &info) == WBOTA_OK && info.has_manifest &&
            info.manifest.manifest_len <= M - fl.base) {
            old_room_lo = M - info.manifest.manifest_len;
            memset(fl.data + (old_room_lo - fl.base), 0xFF, M - old_room_lo);
            out->replaced = true;
        }
    }
    uint32_t H = 0u;
    uint32_t newM = 0u;
    bool in_place = false;
    if (tags.magic_ok && tags.magic_last && M >= fl.base + WBOTA_TAG_PTR_OFFSET + 4u + L) {
        H = M - L;
        if (out->replaced) {
            in_place = H >= old_room_lo || prv_is_room(in, &fl, H, old_room_lo - H);
        } else {
            in_place = prv_is_room(in, &fl, H, L);
        }
    }
    uint32_t end_of_input = tags.magic_ok && tags.magic_last ? M + 4u : fl.base + fl.len;
    if (in_place) {
        H = M - L;
        newM = M;
    } else {
        H = (end_of_input + 7u) & ~7u;
        newM = H + L;
        out->appended = true;
    }
    uint32_t total = newM + 4u - fl.base;
    uint8_t *img = malloc(total);
    if (img == NULL) {
        free(fl.data);
        return WBOTA_E_IO;
    }
    memset(img, 0xFF, total);
    memcpy(img, fl.data, (fl.len < total) ? fl.len : total);
    if (!in_place && tags.magic_ok) {
        /* the old magic must not survive: a partial upload would carry it */
        wbota_put_le32(img + (M - fl.base), 0xFFFFFFFFu);
        out->old_magic_wiped = true;
    }
    wbota_put_le32(img + WBOTA_TAG_PTR_OFFSET, newM);
    free(fl.data);

    wbota_sha256(img, H - fl.base, out->sha256);
    memcpy(mp.sha256, out->sha256, sizeof(mp.sha256));
    mp.image_size = H - fl.base;
    err = wbota_manifest_encode(&mp, man, sizeof(man), &man_len, &sig_off, &signed_len);
    if (err == WBOTA_OK && man_len != L) {
        err = WBOTA_E_SIZE;
    }
    if (err == WBOTA_OK && cfg->key != NULL) {
        uint8_t digest[WBOTA_SHA256_LEN];
        wbota_sha256(man, signed_len, digest);
        err = wbtool_key_sign(cfg->key, digest, man + sig_off);
        out->signed_ = (err == WBOTA_OK);
        out->key_id = mp.key_id;
    }
    if (err != WBOTA_OK) {
        free(img);
        return err;
    }
    memcpy(img + (H - fl.base), man, L);
    wbota_put_le32(img + (newM - fl.base), WBOTA_TAG_MAGIC);

    out->img.base = fl.base;
    out->img.data = img;
    out->img.len = total;
    out->manifest_addr = H;
    out->manifest_len = L;
    out->magic_addr = newM;
    wbtool_check_size(&cfg->lay, fl.base, total, rep);
    if (rep->errors > 0u) {
        free(img);
        memset(&out->img, 0, sizeof(out->img));
        return WBOTA_E_ARG;
    }

    /* The core is the judge: what we wrote must pass its own verification (tags, vectors,
     * manifest, signature). The image hash is the one computed above over the same bytes:
     * handing it over keeps the 512 KB image hashed once, not twice. */
    wbota_precomputed_hash_t pre;
    pre.end = H;
    memcpy(pre.sha256, out->sha256, sizeof(pre.sha256));
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, fl.base, img, total);
    wbota_trust_t trust;
    memset(&trust, 0, sizeof(trust));
    const uint8_t(*keys)[WBOTA_P256_PUB_LEN] = NULL;
    if (cfg->key != NULL) {
        keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])cfg->key->pub;
        trust.keys = keys;
        trust.n_keys = 1u;
    }
    return wbota_image_verify(&mem, &cfg->lay, cfg->key ? WBOTA_POLICY_SIGNED : WBOTA_POLICY_ST,
                              &trust, &pre, NULL);
}

void wbtool_image_verify(const wbtool_input_t *in, const wbota_layout_t *lay,
                         const wbtool_key_t *pub, wbtool_report_t *rep, wbota_err_t *core_err,
                         wbota_image_info_t *info)
{
    wbtool_flat_t fl;
    wbtool_tags_t tags;
    wbota_image_info_t local;
    if (info == NULL) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));
    wbtool_check_input(in, lay, WBTOOL_MODE_VERIFY, rep, &fl, &tags);
    if (fl.data == NULL) {
        *core_err = WBOTA_E_NO_APP;
        return;
    }
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, fl.base, fl.data, fl.len);
    wbota_trust_t trust;
    memset(&trust, 0, sizeof(trust));
    if (pub != NULL) {
        trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])pub->pub;
        trust.n_keys = 1u;
    }
    *core_err = wbota_image_verify(&mem, lay, pub ? WBOTA_POLICY_SIGNED : WBOTA_POLICY_ST, &trust,
                                   NULL, info);
    if (*core_err != WBOTA_OK && !wbtool_check_size(lay, fl.base, fl.len, NULL)) {
        /* an image larger than the region fails the core's tag check first (the magic lies
         * beyond SFSA); the cause to report is the size, with the numbers above */
        *core_err = WBOTA_E_SIZE;
    }
    if (*core_err != WBOTA_OK) {
        /* check_st/vectors failures were already reported by the tool's own lines */
        bool dup = (*core_err == WBOTA_E_TAG_PTR || *core_err == WBOTA_E_MAGIC ||
                    *core_err == WBOTA_E_VT_SP || *core_err == WBOTA_E_VT_RESET ||
                    *core_err == WBOTA_E_NO_APP || *core_err == WBOTA_E_SIZE) &&
                   rep->errors > 0u;
        if (!dup) {
            wbtool_report_add(rep, WBTOOL_CK_MANIFEST, WBTOOL_SEV_ERROR,
                              info->has_manifest ? info->magic_addr - info->manifest.manifest_len
                                                 : info->magic_addr,
                              "%s: %s", wbota_err_name(*core_err), wbota_err_text(*core_err));
        }
    } else if (!info->has_manifest) {
        wbtool_report_add(rep, WBTOOL_CK_MANIFEST, WBTOOL_SEV_NOTE, info->magic_addr,
                          "plain ST image without a wbota manifest: no hash, no version; run "
                          "`wbota image create` to add one");
    }
    free(fl.data);
}

static bool prv_num(const char **s, uint32_t max, uint32_t *out)
{
    if (!isdigit((unsigned char)**s)) {
        return false;
    }
    errno = 0;
    char *end = NULL;
    unsigned long v = strtoul(*s, &end, 10);
    if (errno != 0 || v > max) {
        return false;
    }
    *s = end;
    *out = (uint32_t)v;
    return true;
}

bool wbtool_parse_version(const char *s, wbota_version_t *v)
{
    uint32_t maj = 0u, min = 0u, pat = 0u, bld = 0u;
    if (!prv_num(&s, 255u, &maj) || *s++ != '.' || !prv_num(&s, 255u, &min)) {
        return false;
    }
    if (*s == '.') {
        s++;
        if (!prv_num(&s, 65535u, &pat)) {
            return false;
        }
    }
    if (*s == '+') {
        s++;
        if (!prv_num(&s, 0xFFFFFFFFu, &bld)) {
            return false;
        }
    }
    if (*s != '\0') {
        return false;
    }
    v->major = (uint8_t)maj;
    v->minor = (uint8_t)min;
    v->patch = (uint16_t)pat;
    v->build = bld;
    return true;
}
