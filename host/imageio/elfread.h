/* elfread.h - ELF32 ARM reading for the wbota tool (libelf).
 * Owns: turning an executable's PT_LOAD segments (file bytes at their load address, p_paddr,
 * so .data initialisers land where the linker put them in flash) into a memimg, and listing
 * the allocated sections (name, run address, size) for the RAM checks. Input is hostile
 * (fuzzed by tests/fuzz/fuzz_elf.c). Host only. */
#ifndef WBTOOL_ELFREAD_H
#define WBTOOL_ELFREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memimg.h"

#define WBTOOL_ELF_MAX_SECTIONS 64u

typedef struct {
    char name[32];
    uint32_t addr; /* run address (VMA) */
    uint32_t size;
    bool nobits; /* .bss-like: occupies RAM, no file bytes */
} wbtool_elf_section_t;

typedef struct {
    uint32_t entry;
    wbtool_elf_section_t secs[WBTOOL_ELF_MAX_SECTIONS];
    size_t n_secs; /* allocated sections kept (the first WBTOOL_ELF_MAX_SECTIONS) */
    char msg[160]; /* what is wrong, when not WBOTA_OK */
} wbtool_elf_info_t;

/* true iff data starts with the ELF magic. */
bool wbtool_is_elf(const uint8_t *data, size_t len);
/* Parses an in-memory ELF file (the buffer is not modified). m is initialised by the caller and
 * finalized on success. WBOTA_OK, WBOTA_E_PARSE (not ELF32 ARM executable, bad offsets,
 * overlapping segments) or WBOTA_E_RANGE/E_SIZE. */
wbota_err_t wbtool_elf_read(const uint8_t *data, size_t len, wbtool_memimg_t *m,
                            wbtool_elf_info_t *info);

#endif
