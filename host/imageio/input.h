/* input.h - reading an image file of any supported kind for the wbota tool.
 * Owns: format detection (ELF magic, Intel HEX ':' text, else raw binary at --base), reading
 * files with a size bound, and the flattened flash window the checks and the core verify work
 * on. Called by every subcommand that takes an image. Host only. */
#ifndef WBTOOL_INPUT_H
#define WBTOOL_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elfread.h"
#include "memimg.h"

#define WBTOOL_FILE_MAX (64u * 1024u * 1024u)

typedef enum { WBTOOL_FMT_AUTO = 0, WBTOOL_FMT_ELF, WBTOOL_FMT_HEX, WBTOOL_FMT_BIN } wbtool_fmt_t;

typedef struct {
    wbtool_fmt_t fmt;
    wbtool_memimg_t mem;   /* finalized */
    wbtool_elf_info_t elf; /* when fmt == ELF */
    bool has_entry;
    uint32_t entry;
    char msg[200]; /* error text when loading failed */
} wbtool_input_t;

/* Reads a whole file (bounded by WBTOOL_FILE_MAX). Caller frees *out. */
wbota_err_t wbtool_read_file(const char *path, uint8_t **out, size_t *len);
/* Writes a whole file. */
wbota_err_t wbtool_write_file(const char *path, const uint8_t *data, size_t len);
/* Loads path; fmt AUTO detects; raw binaries are placed at bin_base. */
wbota_err_t wbtool_input_load(const char *path, wbtool_fmt_t fmt, uint32_t bin_base,
                              wbtool_input_t *in);
/* Same from memory (tests, fuzzers). */
wbota_err_t wbtool_input_parse(const uint8_t *data, size_t len, wbtool_fmt_t fmt, uint32_t bin_base,
                               wbtool_input_t *in);
void wbtool_input_free(wbtool_input_t *in);
const char *wbtool_fmt_name(wbtool_fmt_t fmt);

#endif
