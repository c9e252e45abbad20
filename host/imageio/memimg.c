/* memimg.c - sparse memory image (see memimg.h). */
#include "memimg.h"

#include <stdlib.h>
#include <string.h>

#define WBTOOL_MEMIMG_MAX_BYTES (64u * 1024u * 1024u)

void wbtool_memimg_init(wbtool_memimg_t *m)
{
    memset(m, 0, sizeof(*m));
}

void wbtool_memimg_free(wbtool_memimg_t *m)
{
    free(m->segs);
    free(m->data);
    memset(m, 0, sizeof(*m));
}

/* Room for len more bytes in the data buffer (doubling from 4 KiB). */
static wbota_err_t prv_reserve_data(wbtool_memimg_t *m, uint32_t len)
{
    if (m->data_len + len <= m->data_cap) {
        return WBOTA_OK;
    }
    size_t cap = (m->data_cap == 0u) ? 4096u : m->data_cap;
    while (cap < m->data_len + len) {
        cap *= 2u;
    }
    uint8_t *d = realloc(m->data, cap);
    if (d == NULL) {
        return WBOTA_E_IO;
    }
    m->data = d;
    m->data_cap = cap;
    return WBOTA_OK;
}

wbota_err_t wbtool_memimg_add(wbtool_memimg_t *m, uint32_t addr, const uint8_t *data, uint32_t len)
{
    if (len == 0u) {
        return WBOTA_OK;
    }
    if ((uint64_t)addr + len > 0x100000000ull) {
        return WBOTA_E_RANGE;
    }
    if (m->data_len + len > WBTOOL_MEMIMG_MAX_BYTES) {
        return WBOTA_E_SIZE;
    }
    /* Common case (HEX records in order): extend the last piece. */
    wbtool_seg_t *last = (m->n > 0u) ? &m->segs[m->n - 1u] : NULL;
    bool extend = last != NULL && (uint64_t)last->addr + last->len == addr &&
                  last->off + last->len == m->data_len;
    if (!extend && m->n == m->cap) {
        size_t cap = (m->cap == 0u) ? 16u : m->cap * 2u;
        wbtool_seg_t *s = realloc(m->segs, cap * sizeof(*s));
        if (s == NULL) {
            return WBOTA_E_IO;
        }
        m->segs = s;
        m->cap = cap;
    }
    if (prv_reserve_data(m, len) != WBOTA_OK) {
        return WBOTA_E_IO;
    }
    memcpy(m->data + m->data_len, data, len);
    if (extend) {
        last->len += len;
    } else {
        m->segs[m->n].addr = addr;
        m->segs[m->n].len = len;
        m->segs[m->n].off = m->data_len;
        m->n++;
    }
    m->data_len += len;
    m->finalized = false;
    return WBOTA_OK;
}

static int prv_seg_cmp(const void *a, const void *b)
{
    const wbtool_seg_t *x = a;
    const wbtool_seg_t *y = b;
    if (x->addr != y->addr) {
        return (x->addr < y->addr) ? -1 : 1;
    }
    return (x->off < y->off) ? -1 : (x->off > y->off);
}

wbota_err_t wbtool_memimg_finalize(wbtool_memimg_t *m)
{
    if (m->n == 0u) {
        m->finalized = true;
        return WBOTA_OK;
    }
    qsort(m->segs, m->n, sizeof(m->segs[0]), prv_seg_cmp);
    /* Rebuild the data buffer in address order so contiguous segments merge. */
    uint8_t *nd = malloc(m->data_len);
    if (nd == NULL) {
        return WBOTA_E_IO;
    }
    size_t pos = 0u;
    size_t out = 0u;
    for (size_t i = 0u; i < m->n; i++) {
        wbtool_seg_t s = m->segs[i];
        memcpy(nd + pos, m->data + s.off, s.len);
        s.off = pos;
        pos += s.len;
        if (out > 0u) {
            wbtool_seg_t *prev = &m->segs[out - 1u];
            uint64_t prev_end = (uint64_t)prev->addr + prev->len;
            if (s.addr < prev_end) {
                m->overlap_addr = s.addr;
                free(nd);
                return WBOTA_E_PARSE;
            }
            if (s.addr == prev_end) {
                prev->len += s.len;
                continue;
            }
        }
        m->segs[out++] = s;
    }
    free(m->data);
    m->data = nd;
    m->data_cap = m->data_len;
    m->n = out;
    m->finalized = true;
    return WBOTA_OK;
}

uint32_t wbtool_memimg_lo(const wbtool_memimg_t *m)
{
    return (m->n > 0u) ? m->segs[0].addr : 0u;
}

uint64_t wbtool_memimg_hi(const wbtool_memimg_t *m)
{
    return (m->n > 0u) ? (uint64_t)m->segs[m->n - 1u].addr + m->segs[m->n - 1u].len : 0u;
}

/* The part [s, e) of seg inside [lo, hi); false when they do not intersect. */
static bool prv_clip(const wbtool_seg_t *seg, uint64_t lo, uint64_t hi, uint64_t *s, uint64_t *e)
{
    uint64_t a = seg->addr;
    uint64_t b = a + seg->len;
    *s = (a > lo) ? a : lo;
    *e = (b < hi) ? b : hi;
    return *e > *s;
}

static uint64_t prv_defined_in(const wbtool_memimg_t *m, uint32_t addr, uint32_t len)
{
    uint64_t lo = addr;
    uint64_t hi = (uint64_t)addr + len;
    uint64_t count = 0u;
    for (size_t i = 0u; i < m->n; i++) {
        uint64_t s;
        uint64_t e;
        if (prv_clip(&m->segs[i], lo, hi, &s, &e)) {
            count += e - s;
        }
    }
    return count;
}

bool wbtool_memimg_covers(const wbtool_memimg_t *m, uint32_t addr, uint32_t len)
{
    return prv_defined_in(m, addr, len) == len;
}

bool wbtool_memimg_is_undefined(const wbtool_memimg_t *m, uint32_t addr, uint32_t len)
{
    return prv_defined_in(m, addr, len) == 0u;
}

uint8_t *wbtool_memimg_flatten(const wbtool_memimg_t *m, uint32_t lo, uint32_t hi)
{
    if (hi < lo) {
        return NULL;
    }
    size_t n = (size_t)(hi - lo);
    uint8_t *buf = malloc(n == 0u ? 1u : n);
    if (buf == NULL) {
        return NULL;
    }
    memset(buf, 0xFF, n);
    for (size_t i = 0u; i < m->n; i++) {
        uint64_t s;
        uint64_t e;
        if (prv_clip(&m->segs[i], lo, hi, &s, &e)) {
            memcpy(buf + (s - lo), m->data + m->segs[i].off + (s - m->segs[i].addr),
                   (size_t)(e - s));
        }
    }
    return buf;
}
