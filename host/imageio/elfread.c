/* elfread.c - ELF32 ARM reader over libelf (see elfread.h). */
#include "elfread.h"

#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void prv_msg(wbtool_elf_info_t *info, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(info->msg, sizeof(info->msg), fmt, ap);
    va_end(ap);
}

bool wbtool_is_elf(const uint8_t *data, size_t len)
{
    return len >= 4u && data[0] == 0x7Fu && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
}

static wbota_err_t prv_read(Elf *e, const uint8_t *data, size_t len, wbtool_memimg_t *m,
                            wbtool_elf_info_t *info)
{
    if (elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS32) {
        prv_msg(info, "not a 32-bit ELF file");
        return WBOTA_E_PARSE;
    }
    GElf_Ehdr eh;
    if (gelf_getehdr(e, &eh) == NULL) {
        prv_msg(info, "unreadable ELF header");
        return WBOTA_E_PARSE;
    }
    if (eh.e_machine != EM_ARM) {
        prv_msg(info, "ELF machine %u is not ARM (40)", (unsigned)eh.e_machine);
        return WBOTA_E_PARSE;
    }
    if (eh.e_type != ET_EXEC) {
        prv_msg(info, "ELF type %u is not an executable (link the application first)",
                (unsigned)eh.e_type);
        return WBOTA_E_PARSE;
    }
    info->entry = (uint32_t)eh.e_entry;
    size_t phnum = 0u;
    if (elf_getphdrnum(e, &phnum) != 0 || phnum == 0u) {
        prv_msg(info, "ELF file has no program headers");
        return WBOTA_E_PARSE;
    }
    if (phnum > 4096u) {
        prv_msg(info, "ELF file claims %zu program headers", phnum);
        return WBOTA_E_PARSE;
    }
    size_t loads = 0u;
    for (size_t i = 0u; i < phnum; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(e, (int)i, &ph) == NULL) {
            prv_msg(info, "program header %zu unreadable", i);
            return WBOTA_E_PARSE;
        }
        if (ph.p_type != PT_LOAD || ph.p_filesz == 0u) {
            continue;
        }
        /* offsets and sizes come from the file: check them against the buffer */
        if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
            prv_msg(info, "segment %zu (0x%08X) points outside the file", i, (unsigned)ph.p_paddr);
            return WBOTA_E_PARSE;
        }
        if (ph.p_paddr > 0xFFFFFFFFu || ph.p_filesz > 0xFFFFFFFFu) {
            prv_msg(info, "segment %zu address out of range", i);
            return WBOTA_E_RANGE;
        }
        wbota_err_t err =
            wbtool_memimg_add(m, (uint32_t)ph.p_paddr, data + ph.p_offset, (uint32_t)ph.p_filesz);
        if (err != WBOTA_OK) {
            prv_msg(info, "segment %zu at 0x%08X cannot be stored (%s)", i, (unsigned)ph.p_paddr,
                    err == WBOTA_E_SIZE ? "too large" : "range");
            return err;
        }
        loads++;
    }
    if (loads == 0u) {
        prv_msg(info, "ELF file has no loadable bytes");
        return WBOTA_E_PARSE;
    }
    size_t shstrndx = 0u;
    bool have_names = (elf_getshdrstrndx(e, &shstrndx) == 0);
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) == NULL) {
            break;
        }
        if ((sh.sh_flags & SHF_ALLOC) == 0u || sh.sh_size == 0u) {
            continue;
        }
        if (info->n_secs >= WBTOOL_ELF_MAX_SECTIONS) {
            break;
        }
        wbtool_elf_section_t *s = &info->secs[info->n_secs++];
        const char *name = have_names ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
        (void)snprintf(s->name, sizeof(s->name), "%s", name != NULL ? name : "?");
        s->addr = (uint32_t)sh.sh_addr;
        s->size = (sh.sh_size > 0xFFFFFFFFu) ? 0xFFFFFFFFu : (uint32_t)sh.sh_size;
        s->nobits = (sh.sh_type == SHT_NOBITS);
    }
    wbota_err_t err = wbtool_memimg_finalize(m);
    if (err == WBOTA_E_PARSE) {
        prv_msg(info, "loadable segments overlap at 0x%08X", m->overlap_addr);
    }
    return err;
}

wbota_err_t wbtool_elf_read(const uint8_t *data, size_t len, wbtool_memimg_t *m,
                            wbtool_elf_info_t *info)
{
    memset(info, 0, sizeof(*info));
    if (!wbtool_is_elf(data, len)) {
        prv_msg(info, "not an ELF file");
        return WBOTA_E_PARSE;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        prv_msg(info, "libelf initialisation failed");
        return WBOTA_E_PARSE;
    }
    /* libelf may write to the image it parses (elf_memory takes char *): give it a copy. */
    char *copy = malloc(len);
    if (copy == NULL) {
        return WBOTA_E_IO;
    }
    memcpy(copy, data, len);
    Elf *e = elf_memory(copy, len);
    wbota_err_t err;
    if (e == NULL) {
        prv_msg(info, "libelf: %s", elf_errmsg(-1));
        err = WBOTA_E_PARSE;
    } else {
        err = prv_read(e, (const uint8_t *)copy, len, m, info);
        (void)elf_end(e);
    }
    free(copy);
    return err;
}
