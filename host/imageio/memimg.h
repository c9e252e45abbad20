/* memimg.h - a sparse memory image assembled from an input file (HEX records, ELF segments,
 * a raw binary) for the wbota tool.
 * Owns: collecting pieces, detecting overlaps, merging contiguous pieces into sorted segments
 * and flattening a window into one buffer with 0xFF in the gaps. Called by hex.c, elfread.c,
 * input.c and the subcommands. Host only (allocates). */
#ifndef WBTOOL_MEMIMG_H
#define WBTOOL_MEMIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/err.h"

typedef struct {
    uint32_t addr;
    uint32_t len;
    size_t off; /* into wbtool_memimg_t.data */
} wbtool_seg_t;

typedef struct {
    wbtool_seg_t *segs; /* after finalize: sorted, merged, non-overlapping */
    size_t n, cap;
    uint8_t *data;
    size_t data_len, data_cap;
    bool finalized;
    uint32_t overlap_addr; /* set when finalize found an overlap */
} wbtool_memimg_t;

void wbtool_memimg_init(wbtool_memimg_t *m);
void wbtool_memimg_free(wbtool_memimg_t *m);
/* Adds [addr, addr+len). WBOTA_E_RANGE if it wraps past 4 GB, WBOTA_E_SIZE past 64 MB total. */
wbota_err_t wbtool_memimg_add(wbtool_memimg_t *m, uint32_t addr, const uint8_t *data, uint32_t len);
/* Sorts and merges. WBOTA_E_PARSE on overlapping pieces (first overlapping address in
 * m->overlap_addr). Pieces with identical content at the same address still count as overlap. */
wbota_err_t wbtool_memimg_finalize(wbtool_memimg_t *m);
/* Lowest address and one past the highest (finalized, n > 0). */
uint32_t wbtool_memimg_lo(const wbtool_memimg_t *m);
uint64_t wbtool_memimg_hi(const wbtool_memimg_t *m);
/* true iff every byte of [addr, addr+len) is defined by some segment. */
bool wbtool_memimg_covers(const wbtool_memimg_t *m, uint32_t addr, uint32_t len);
/* true iff no byte of [addr, addr+len) is defined. */
bool wbtool_memimg_is_undefined(const wbtool_memimg_t *m, uint32_t addr, uint32_t len);
/* Copies [lo, hi) into a new buffer (caller frees), undefined bytes = 0xFF. */
uint8_t *wbtool_memimg_flatten(const wbtool_memimg_t *m, uint32_t lo, uint32_t hi);

#endif
