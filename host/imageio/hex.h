/* hex.h - Intel HEX reader and writer of the wbota tool.
 * Owns: the bounds-checked parser (record types 00-05, extended segment/linear addresses,
 * checksums, overlaps, a missing or early EOF record) and the writer used by `image create`
 * and `merge`. Input is treated as hostile (fuzzed by tests/fuzz/fuzz_hex.c). Host only. */
#ifndef WBTOOL_HEX_H
#define WBTOOL_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "memimg.h"

#define WBTOOL_HEX_MAX_LINE 600u /* 1 + 2*(4 + 255 + 1) + CR LF, with slack */

typedef struct {
    unsigned line;    /* 1-based line of the first error (0: none / not line specific) */
    char msg[160];    /* what is wrong, for the user */
    bool has_start;   /* a type 03 or 05 record was seen */
    uint32_t start;   /* its value (05: EIP; 03: CS<<4 + IP) */
    unsigned records; /* data records */
} wbtool_hex_info_t;

/* Parses text[0, len) into m (m initialised by the caller; finalized on success).
 * WBOTA_OK, WBOTA_E_PARSE (syntax, checksum, overlap, no EOF) or WBOTA_E_RANGE/E_SIZE. */
wbota_err_t wbtool_hex_parse(const char *text, size_t len, wbtool_memimg_t *m,
                             wbtool_hex_info_t *info);
/* Writes [base, base+len) as type 04 + 16-byte type 00 records, an optional type 05 start
 * record (has_start) and the EOF record. WBOTA_E_IO on write failure. */
wbota_err_t wbtool_hex_write(FILE *f, uint32_t base, const uint8_t *data, size_t len,
                             bool has_start, uint32_t start);
/* Same, leaving out records whose bytes are all 0xFF (erased flash stays erased instead of
 * being programmed with 0xFF): the production image's gap between loader and app. */
wbota_err_t wbtool_hex_write_sparse(FILE *f, uint32_t base, const uint8_t *data, size_t len,
                                    bool has_start, uint32_t start);

#endif
