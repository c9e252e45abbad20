/* records.c - the loader's append-only record log (wbota/records.h, docs/staged.md#records).
 * Every double word read here may be torn, stale or written by an attacker: a record counts
 * only when its marker, length and CRC check; anything else is skipped one double word at a
 * time. Writes never program all ones and never rewrite a double word except the zero
 * overwrite of a torn progress double word (docs/flash-rules.md#all-ones). */
#include "wbota/records.h"

#include <stddef.h>
#include <string.h>

#include "wbota/bytes.h"

#define PRV_DWS       WBOTA_REC_DWS_PER_PAGE
#define PRV_FIRST_DW  2u /* double words 0-1: the GEN record */
#define PRV_IMG_DWS   5u /* image id: digest (4) + magic address, counter (1) */
#define PRV_TRIES     3u /* program failures tolerated per append (a torn double word) */
#define PRV_MAX_PAGES 256u

typedef struct {
    uint8_t type;
    uint8_t len;
    uint8_t aux;
    uint8_t payload[WBOTA_REC_MAX_LEN * WBOTA_DW_SIZE];
} prv_rec_t;

/* CRC-32 (reflected polynomial 0xEDB88320), four bits per step: the records are checked on
 * every boot at the 4 MHz reset clock, where the bit-serial loop cost about 1 ms of the 2 ms
 * reset-to-app target; this 64-byte table makes it about 4 times faster
 * (docs/benchmarks.md#loader-size-2). Entry n = n run through four bit steps. */
static const uint32_t k_crc_nibble[16] = {0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu,
                                          0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
                                          0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
                                          0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};

uint32_t wbota_crc32(uint32_t crc, const uint8_t *p, uint32_t len)
{
    crc = ~crc;
    for (uint32_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ k_crc_nibble[crc & 15u];
        crc = (crc >> 4) ^ k_crc_nibble[crc & 15u];
    }
    return ~crc;
}

bool wbota_rec_image_equal(const wbota_rec_image_t *a, const wbota_rec_image_t *b)
{
    return memcmp(a->digest, b->digest, sizeof a->digest) == 0 && a->magic_addr == b->magic_addr &&
           a->sec_counter == b->sec_counter;
}

static uint32_t prv_dw_addr(const wbota_records_t *r, uint32_t page_idx, uint32_t dw)
{
    return wbota_page_addr(r->first_page + page_idx) + dw * WBOTA_DW_SIZE;
}

static wbota_err_t prv_read(const wbota_records_t *r, uint32_t page_idx, uint32_t dw, uint8_t *buf,
                            uint32_t n_dws)
{
    return r->flash.read_cb(r->flash.ctx, prv_dw_addr(r, page_idx, dw), buf, n_dws * WBOTA_DW_SIZE);
}

static bool prv_is_all(const uint8_t *p, uint32_t n, uint8_t v)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

static uint32_t prv_rec_crc(const uint8_t hdr[4], const uint8_t *payload, uint32_t len)
{
    return wbota_crc32(wbota_crc32(0u, hdr, 4u), payload, len * WBOTA_DW_SIZE);
}

/* The record at double word dw, if it checks. */
static bool prv_parse(const wbota_records_t *r, uint32_t page_idx, uint32_t dw, prv_rec_t *rec)
{
    uint8_t hdr[WBOTA_DW_SIZE];
    if (prv_read(r, page_idx, dw, hdr, 1u) != WBOTA_OK || hdr[0] != WBOTA_REC_MARKER ||
        hdr[2] > WBOTA_REC_MAX_LEN || dw + 1u + hdr[2] > PRV_DWS) {
        return false;
    }
    rec->type = hdr[1];
    rec->len = hdr[2];
    rec->aux = hdr[3];
    if (rec->len > 0u && prv_read(r, page_idx, dw + 1u, rec->payload, rec->len) != WBOTA_OK) {
        return false;
    }
    return prv_rec_crc(hdr, rec->payload, rec->len) == wbota_get_le32(&hdr[4]);
}

/* A pair {v, ~v} of two little-endian words (GEN, COUNTER). */
static bool prv_pair(const prv_rec_t *rec, uint32_t *v)
{
    if (rec->len != 1u) {
        return false;
    }
    *v = wbota_get_le32(&rec->payload[0]);
    return wbota_get_le32(&rec->payload[4]) == ~*v;
}

static bool prv_image(const prv_rec_t *rec, wbota_rec_image_t *img)
{
    if (rec->len < PRV_IMG_DWS) {
        return false;
    }
    memcpy(img->digest, rec->payload, WBOTA_SHA256_LEN);
    img->magic_addr = wbota_get_le32(&rec->payload[32]);
    img->sec_counter = wbota_get_le32(&rec->payload[36]);
    return true;
}

static uint32_t prv_progress_lo(uint32_t i)
{
    return WBOTA_REC_PROGRESS_TAG | i;
}

/* Everything parsed (the fields after first_page) to its empty value: all zero (NONE, OK,
 * false); one memset instead of a store per field (docs/benchmarks.md#loader-size-3). */
static void prv_state_clear(wbota_records_t *r)
{
    const size_t from = offsetof(wbota_records_t, have_page);
    memset((uint8_t *)r + from, 0, sizeof *r - from);
}

/* Pages and slots of an INSTALL or a REVERT (slots: src, dst, scratch bytes); the progress
 * double words start at progress_dw. From here on the loader writes into the active slot. */
static void prv_apply_progress(wbota_records_t *r, uint32_t pages, const uint8_t slots[3],
                               uint32_t progress_dw)
{
    r->install_pages = pages;
    r->install_src = slots[0];
    r->install_dst = slots[1];
    r->install_scratch = slots[2];
    r->progress_dw = progress_dw;
    r->verdict_valid = false;
}

#if WBOTA_CFG_SWAP_SUPPORT
/* Why and from which image of a REVERT / REVERTED (aux = -why; counter, version last). */
static void prv_apply_revert(wbota_records_t *r, const prv_rec_t *rec)
{
    const uint8_t *p = &rec->payload[(rec->len - 1u) * WBOTA_DW_SIZE];
    r->revert_reason = (wbota_err_t)(-(int)rec->aux);
    r->revert_from_counter = wbota_get_le32(&p[0]);
    r->revert_from_version = wbota_get_le32(&p[4]);
}
#endif

/* Applies one checked record at double word dw; returns the double words it occupies, 0 when
 * its payload does not fit its type (then it is skipped like a torn one). */
static uint32_t prv_apply(wbota_records_t *r, const prv_rec_t *rec, uint32_t dw)
{
    wbota_rec_image_t img;
    uint32_t v, steps;
    uint32_t used = 1u + rec->len;

    switch (rec->type) {
    case WBOTA_REC_COUNTER:
        if (prv_pair(rec, &v) && v > r->counter) {
            r->counter = v;
        }
        break;
    case WBOTA_REC_DOWNLOAD:
        r->state = WBOTA_UPD_DOWNLOAD;
        r->dl_tag = r->dl_pages = 0u; /* staging starts over */
        break;
    case WBOTA_REC_DL_PROGRESS:
        if (rec->len != 1u) {
            return 0u;
        }
        r->dl_tag = wbota_get_le32(&rec->payload[0]);
        r->dl_pages = (r->dl_tag != 0u) ? wbota_get_le32(&rec->payload[4]) : 0u;
        break;
    case WBOTA_REC_INSTALL:
        if (rec->len != PRV_IMG_DWS + 1u || !prv_image(rec, &img)) {
            return 0u;
        }
        v = wbota_get_le16(&rec->payload[40]);
        steps = (rec->aux == WBOTA_REC_STRATEGY_SWAP) ? v * WBOTA_REC_SWAP_STEPS : v;
        if (v == 0u || v > PRV_MAX_PAGES || rec->aux > WBOTA_REC_STRATEGY_SWAP ||
            dw + used + steps > PRV_DWS) {
            return 0u;
        }
        r->state = WBOTA_UPD_INSTALLING;
        r->dl_tag = r->dl_pages = 0u;
        r->image = img;
        prv_apply_progress(r, v, &rec->payload[42], dw + used);
        r->install_swap = (rec->aux == WBOTA_REC_STRATEGY_SWAP);
        r->install_steps = steps;
        r->swap_pages = 0u;
        r->revert_reason = WBOTA_OK; /* a new install: the last revert is history */
        used += steps;
        break;
    case WBOTA_REC_REVERT:
        /* pages u16, src u8, dst u8, scratch u8, 0 x3 | from counter u32, from version u32 */
        v = wbota_get_le16(&rec->payload[0]);
        steps = v * WBOTA_REC_SWAP_STEPS;
        if (rec->len != 2u || v == 0u || v > PRV_MAX_PAGES || dw + used + steps > PRV_DWS) {
            return 0u;
        }
        r->state = WBOTA_UPD_REVERTING;
        prv_apply_progress(r, v, &rec->payload[2], dw + used);
        r->install_swap = true;
        r->install_steps = steps;
#if WBOTA_CFG_SWAP_SUPPORT
        prv_apply_revert(r, rec);
#endif
        used += steps;
        break;
    case WBOTA_REC_REVERTED:
        if (rec->len != 1u) {
            return 0u;
        }
        r->state = WBOTA_UPD_REVERTED;
        r->swap_pages = 0u;
        r->test_boots = 0u;
#if WBOTA_CFG_SWAP_SUPPORT
        prv_apply_revert(r, rec);
#endif
        break;
    case WBOTA_REC_VERIFIED:
    case WBOTA_REC_INSTALLED:
    case WBOTA_REC_CONFIRMED:
    case WBOTA_REC_VERDICT:
        if (!prv_image(rec, &img)) {
            return 0u;
        }
        if (rec->type == WBOTA_REC_VERDICT || rec->type == WBOTA_REC_INSTALLED) {
            r->verdict_valid = true;
            r->verdict = img;
        }
        if (rec->type == WBOTA_REC_VERDICT) {
            break;
        }
        r->image = img;
        if (rec->type == WBOTA_REC_VERIFIED) {
            r->dl_tag = r->dl_pages = 0u; /* the download is complete */
        }
        r->state = (rec->type == WBOTA_REC_VERIFIED)    ? WBOTA_UPD_VERIFIED
                   : (rec->type == WBOTA_REC_INSTALLED) ? WBOTA_UPD_INSTALLED
                                                        : WBOTA_UPD_CONFIRMED;
        r->test_boots = 0u;
        /* INSTALLED by a swap (aux 1): {pages, ~pages} after the image id */
        r->swap_pages = 0u;
        if (WBOTA_CFG_SWAP_SUPPORT && rec->type == WBOTA_REC_INSTALLED &&
            rec->aux == WBOTA_REC_STRATEGY_SWAP && rec->len == PRV_IMG_DWS + 1u) {
            v = wbota_get_le32(&rec->payload[40]);
            if (wbota_get_le32(&rec->payload[44]) == ~v && v > 0u && v <= PRV_MAX_PAGES) {
                r->swap_pages = v;
            }
        }
        if (rec->type == WBOTA_REC_CONFIRMED && img.sec_counter > r->counter) {
            r->counter = img.sec_counter; /* a cut before the COUNTER record loses nothing */
        }
        break;
    case WBOTA_REC_BOOT:
        if (r->state == WBOTA_UPD_INSTALLED) {
            r->test_boots++;
        }
        break;
    case WBOTA_REC_GAVE_UP:
        r->state = WBOTA_UPD_GAVE_UP;
        r->gave_up_reason = (wbota_err_t)(-(int)rec->aux);
        break;
    default:
        break; /* GEN inside the log, or a type of a later format: skipped by its length */
    }
    return used;
}

static bool prv_page_gen(const wbota_records_t *r, uint32_t page_idx, uint32_t *gen)
{
    prv_rec_t rec;
    return prv_parse(r, page_idx, 0u, &rec) && rec.type == WBOTA_REC_GEN && prv_pair(&rec, gen);
}

wbota_err_t wbota_rec_open(wbota_records_t *r, const wbota_ota_flash_t *flash, uint32_t first_page)
{
    uint32_t gen[2];
    bool ok[2];
    prv_rec_t rec;
    uint8_t dw[WBOTA_DW_SIZE];

    r->flash = *flash;
    r->first_page = first_page;
    prv_state_clear(r);
    ok[0] = prv_page_gen(r, 0u, &gen[0]);
    ok[1] = prv_page_gen(r, 1u, &gen[1]);
    if (!ok[0] && !ok[1]) {
        return WBOTA_OK;
    }
    r->have_page = true;
    r->cur = (!ok[0] || (ok[1] && gen[1] > gen[0])) ? 1u : 0u;
    r->gen = gen[r->cur];
    uint32_t end = PRV_FIRST_DW;
    for (uint32_t p = PRV_FIRST_DW; p < PRV_DWS;) {
        if ((p % 8u) == 0u) {
            /* The end of the log: the writer appends right after the last double word that is
             * not blank (or after an INSTALL's progress area, skipped above by its length) and
             * leaves at most PRV_TRIES blank double words behind a failed program, so an aligned
             * blank run of 8 has nothing after it. Stopping here keeps the boot path short. */
            uint8_t run[8u * WBOTA_DW_SIZE];
            wbota_err_t err = prv_read(r, r->cur, p, run, 8u);
            if (err != WBOTA_OK) {
                prv_state_clear(r);
                return err;
            }
            if (prv_is_all(run, sizeof run, 0xFFu)) {
                break;
            }
        }
        wbota_err_t err = prv_read(r, r->cur, p, dw, 1u);
        if (err != WBOTA_OK) {
            prv_state_clear(r);
            return err;
        }
        if (prv_is_all(dw, WBOTA_DW_SIZE, 0xFFu)) {
            p++; /* blank (or a torn header that reads blank): not a reason to stop */
            continue;
        }
        uint32_t used = prv_parse(r, r->cur, p, &rec) ? prv_apply(r, &rec, p) : 0u;
        p += (used == 0u) ? 1u : used;
        end = p;
    }
    r->wr = end;
    return WBOTA_OK;
}

/* Programs one double word and reads it back. */
static wbota_err_t prv_program(wbota_records_t *r, uint32_t page_idx, uint32_t dw,
                               const uint8_t v[WBOTA_DW_SIZE])
{
    uint8_t rd[WBOTA_DW_SIZE];
    uint32_t addr = prv_dw_addr(r, page_idx, dw);
    wbota_err_t err = r->flash.program_dw_cb(r->flash.ctx, addr, v);
    if (err != WBOTA_OK) {
        return err;
    }
    err = r->flash.read_cb(r->flash.ctx, addr, rd, WBOTA_DW_SIZE);
    if (err == WBOTA_OK && memcmp(rd, v, WBOTA_DW_SIZE) != 0) {
        err = WBOTA_E_FLASH_VERIFY;
    }
    return err;
}

static void prv_header(const prv_rec_t *rec, uint8_t hdr[WBOTA_DW_SIZE])
{
    hdr[0] = WBOTA_REC_MARKER;
    hdr[1] = rec->type;
    hdr[2] = rec->len;
    hdr[3] = rec->aux;
    wbota_put_le32(&hdr[4], prv_rec_crc(hdr, rec->payload, rec->len));
}

/* Writes a record at double word dw of a page: header, then payload. Never all ones: the
 * header has the marker and every payload of this module has a word that is not all ones
 * (an image digest of eight 0xFF bytes in a row is the one 2^-64 exception, refused). */
static wbota_err_t prv_write_at(wbota_records_t *r, uint32_t page_idx, uint32_t dw,
                                const prv_rec_t *rec)
{
    uint8_t hdr[WBOTA_DW_SIZE];
    for (uint32_t i = 0; i < rec->len; i++) {
        if (prv_is_all(&rec->payload[i * WBOTA_DW_SIZE], WBOTA_DW_SIZE, 0xFFu)) {
            return WBOTA_E_ARG;
        }
    }
    prv_header(rec, hdr);
    wbota_err_t err = prv_program(r, page_idx, dw, hdr);
    for (uint32_t i = 0; i < rec->len && err == WBOTA_OK; i++) {
        err = prv_program(r, page_idx, dw + 1u + i, &rec->payload[i * WBOTA_DW_SIZE]);
    }
    return err;
}

static bool prv_retryable(wbota_err_t err)
{
    return err == WBOTA_E_FLASH_PROG || err == WBOTA_E_FLASH_VERIFY ||
           err == WBOTA_E_FLASH_NOT_ERASED;
}

static void prv_rec_pair(prv_rec_t *rec, uint8_t type, uint32_t v)
{
    memset(rec, 0, sizeof *rec);
    rec->type = type;
    rec->len = 1u;
    wbota_put_le32(&rec->payload[0], v);
    wbota_put_le32(&rec->payload[4], ~v);
}

static void prv_rec_image(prv_rec_t *rec, uint8_t type, const wbota_rec_image_t *img)
{
    memset(rec, 0, sizeof *rec);
    rec->type = type;
    rec->len = PRV_IMG_DWS;
    memcpy(rec->payload, img->digest, WBOTA_SHA256_LEN);
    wbota_put_le32(&rec->payload[32], img->magic_addr);
    wbota_put_le32(&rec->payload[36], img->sec_counter);
}

__attribute__((noinline)) static void prv_rec_install(prv_rec_t *rec, const wbota_rec_image_t *img,
                                                      uint32_t pages, uint32_t src, uint32_t dst,
                                                      bool swap, uint32_t scratch)
{
    prv_rec_image(rec, WBOTA_REC_INSTALL, img);
    rec->len = PRV_IMG_DWS + 1u;
    rec->aux = swap ? WBOTA_REC_STRATEGY_SWAP : WBOTA_REC_STRATEGY_OVERWRITE;
    wbota_put_le16(&rec->payload[40], (uint16_t)pages);
    rec->payload[42] = (uint8_t)src;
    rec->payload[43] = (uint8_t)dst;
    rec->payload[44] = swap ? (uint8_t)scratch : 0u;
}

static void prv_rec_installed(prv_rec_t *rec, const wbota_rec_image_t *img, uint32_t swap_pages)
{
    prv_rec_image(rec, WBOTA_REC_INSTALLED, img);
    if (swap_pages > 0u) {
        rec->aux = WBOTA_REC_STRATEGY_SWAP;
        rec->len = PRV_IMG_DWS + 1u;
        wbota_put_le32(&rec->payload[40], swap_pages);
        wbota_put_le32(&rec->payload[44], ~swap_pages);
    }
}

/* REVERT (with_slots: pages and slots of the running revert) or REVERTED: the revert fields
 * of r in the last payload double word, aux = -why. */
__attribute__((noinline)) static void prv_rec_revert(prv_rec_t *rec, const wbota_records_t *r,
                                                     bool with_slots)
{
    memset(rec, 0, sizeof *rec);
    rec->type = with_slots ? WBOTA_REC_REVERT : WBOTA_REC_REVERTED;
    rec->aux = (uint8_t)(-(int)r->revert_reason);
    rec->len = with_slots ? 2u : 1u;
    uint8_t *p = &rec->payload[(rec->len - 1u) * WBOTA_DW_SIZE];
    if (with_slots) {
        wbota_put_le16(&rec->payload[0], (uint16_t)r->install_pages);
        rec->payload[2] = (uint8_t)r->install_src;
        rec->payload[3] = (uint8_t)r->install_dst;
        rec->payload[4] = (uint8_t)r->install_scratch;
    }
    wbota_put_le32(&p[0], r->revert_from_counter);
    wbota_put_le32(&p[4], r->revert_from_version);
}

__attribute__((noinline)) static void prv_rec_plain(prv_rec_t *rec, uint8_t type, uint8_t aux)
{
    memset(rec, 0, sizeof *rec);
    rec->type = type;
    rec->aux = aux;
}

static wbota_err_t prv_progress_write(wbota_records_t *r, uint32_t page_idx, uint32_t dw,
                                      uint32_t i)
{
    uint8_t v[WBOTA_DW_SIZE];
    wbota_put_le32(&v[0], prv_progress_lo(i));
    wbota_put_le32(&v[4], ~prv_progress_lo(i));
    return prv_program(r, page_idx, dw, v);
}

__attribute__((noinline)) static void prv_rec_dl(prv_rec_t *rec, uint32_t tag, uint32_t pages)
{
    memset(rec, 0, sizeof *rec);
    rec->type = WBOTA_REC_DL_PROGRESS;
    rec->len = 1u;
    wbota_put_le32(&rec->payload[0], tag);
    wbota_put_le32(&rec->payload[4], pages);
}

/* One record of a compaction at *p, *p moved past it; out of line: the summary writes up to
 * seven of them (the loader's size, docs/benchmarks.md#loader-size-3). */
__attribute__((noinline)) static wbota_err_t prv_put(wbota_records_t *r, uint32_t page_idx,
                                                     uint32_t *p, const prv_rec_t *rec)
{
    wbota_err_t err = prv_write_at(r, page_idx, *p, rec);
    *p += 1u + rec->len;
    return err;
}

/* Summary of the state into the other page, its GEN last; then the log continues there. */
static wbota_err_t prv_compact(wbota_records_t *r)
{
    const uint32_t dst = r->have_page ? 1u - r->cur : 0u;
    uint32_t p = PRV_FIRST_DW;
    prv_rec_t rec;
    wbota_err_t err;
    uint8_t chunk[64];
    bool blank = true;

    for (uint32_t dw = 0; dw < PRV_DWS && blank; dw += sizeof chunk / WBOTA_DW_SIZE) {
        if ((err = prv_read(r, dst, dw, chunk, sizeof chunk / WBOTA_DW_SIZE)) != WBOTA_OK) {
            return err;
        }
        blank = prv_is_all(chunk, sizeof chunk, 0xFFu);
    }
    if (!blank && (err = r->flash.erase_page_cb(r->flash.ctx, r->first_page + dst)) != WBOTA_OK) {
        return err;
    }
#define PRV_PUT(rec_)                                                                              \
    do {                                                                                           \
        if ((err = prv_put(r, dst, &p, (rec_))) != WBOTA_OK) {                                     \
            return err;                                                                            \
        }                                                                                          \
    } while (0)
    if (r->counter > 0u) {
        prv_rec_pair(&rec, WBOTA_REC_COUNTER, r->counter);
        PRV_PUT(&rec);
    }
    if (r->verdict_valid) {
        prv_rec_image(&rec, WBOTA_REC_VERDICT, &r->verdict);
        PRV_PUT(&rec);
    }
    if (WBOTA_CFG_SWAP_SUPPORT && r->revert_reason != WBOTA_OK && r->state != WBOTA_UPD_REVERTING &&
        r->state != WBOTA_UPD_REVERTED) {
        /* keeps the last revert for the app; the state record below sets the state */
        prv_rec_revert(&rec, r, false);
        PRV_PUT(&rec);
    }
    if (r->gave_up_reason != WBOTA_OK && r->state != WBOTA_UPD_GAVE_UP) {
        /* keeps the last reason for the app; the state record below overrides the state */
        prv_rec_plain(&rec, WBOTA_REC_GAVE_UP, (uint8_t)(-(int)r->gave_up_reason));
        PRV_PUT(&rec);
        if (r->state == WBOTA_UPD_NONE) {
            prv_rec_plain(&rec, WBOTA_REC_DOWNLOAD, 0u); /* same boot behaviour as NONE */
            PRV_PUT(&rec);
        }
    }
    switch (r->state) {
    case WBOTA_UPD_DOWNLOAD:
        prv_rec_plain(&rec, WBOTA_REC_DOWNLOAD, 0u);
        PRV_PUT(&rec);
        break;
    case WBOTA_UPD_VERIFIED:
        prv_rec_image(&rec, WBOTA_REC_VERIFIED, &r->image);
        PRV_PUT(&rec);
        break;
    case WBOTA_UPD_INSTALLING:
    case WBOTA_UPD_REVERTING:
        if (r->state == WBOTA_UPD_INSTALLING) {
            prv_rec_install(&rec, &r->image, r->install_pages, r->install_src, r->install_dst,
                            r->install_swap, r->install_scratch);
        } else {
            prv_rec_revert(&rec, r, true);
        }
        PRV_PUT(&rec);
        for (uint32_t i = 0; i < r->install_steps; i++) {
            if (wbota_rec_install_page_done(r, i) &&
                (err = prv_progress_write(r, dst, p + i, i)) != WBOTA_OK) {
                return err;
            }
        }
        p += r->install_steps;
        break;
    case WBOTA_UPD_REVERTED:
        prv_rec_revert(&rec, r, false);
        PRV_PUT(&rec);
        break;
    case WBOTA_UPD_INSTALLED:
    case WBOTA_UPD_GAVE_UP:
        prv_rec_installed(&rec, &r->image, r->swap_pages);
        PRV_PUT(&rec);
        prv_rec_plain(&rec, WBOTA_REC_BOOT, 0u);
        for (uint32_t i = 0; i < r->test_boots && r->state == WBOTA_UPD_INSTALLED; i++) {
            PRV_PUT(&rec);
        }
        if (r->state == WBOTA_UPD_GAVE_UP) {
            prv_rec_plain(&rec, WBOTA_REC_GAVE_UP, (uint8_t)(-(int)r->gave_up_reason));
            PRV_PUT(&rec);
        }
        break;
    case WBOTA_UPD_CONFIRMED:
        prv_rec_image(&rec, WBOTA_REC_CONFIRMED, &r->image);
        PRV_PUT(&rec);
        break;
    default:
        break;
    }
    if (r->dl_tag != 0u) {
        prv_rec_dl(&rec, r->dl_tag, r->dl_pages);
        PRV_PUT(&rec);
    }
#undef PRV_PUT
    prv_rec_pair(&rec, WBOTA_REC_GEN, r->have_page ? r->gen + 1u : 1u);
    if ((err = prv_write_at(r, dst, 0u, &rec)) != WBOTA_OK) {
        return err;
    }
    const wbota_ota_flash_t flash = r->flash;
    return wbota_rec_open(r, &flash, r->first_page);
}

/* Appends rec (+ reserve blank double words after it) at the end of the log. */
static wbota_err_t prv_append(wbota_records_t *r, const prv_rec_t *rec, uint32_t reserve)
{
    const uint32_t need = 1u + rec->len + reserve;
    wbota_err_t err = WBOTA_OK;

    for (uint32_t t = 0; t <= PRV_TRIES; t++) {
        /* no room, or PRV_TRIES double words in a row took no programming (content the log
         * did not write, past its end): continue in the other, freshly erased page */
        if (!r->have_page || r->wr + need > PRV_DWS || t == PRV_TRIES) {
            if ((err = prv_compact(r)) != WBOTA_OK) {
                return err;
            }
            if (!r->have_page || r->wr + need > PRV_DWS) {
                return WBOTA_E_RECORDS;
            }
        }
        err = prv_write_at(r, r->cur, r->wr, rec);
        if (err == WBOTA_OK) {
            (void)prv_apply(r, rec, r->wr);
            r->wr += need;
            return WBOTA_OK;
        }
        if (!prv_retryable(err)) {
            return err;
        }
        r->wr++; /* a double word that takes no programming: skip past it and write again */
    }
    return (err == WBOTA_OK) ? WBOTA_E_RECORDS : err;
}

/* One out-of-line builder + append per record shape: every wbota_rec_* below is then a call,
 * not an inlined copy of the builder (the loader's size, docs/benchmarks.md#loader-size-2). */
__attribute__((noinline)) static wbota_err_t prv_append_plain(wbota_records_t *r, uint8_t type,
                                                              uint8_t aux)
{
    prv_rec_t rec;
    prv_rec_plain(&rec, type, aux);
    return prv_append(r, &rec, 0u);
}

__attribute__((noinline)) static wbota_err_t prv_append_image(wbota_records_t *r, uint8_t type,
                                                              const wbota_rec_image_t *img)
{
    prv_rec_t rec;
    prv_rec_image(&rec, type, img);
    return prv_append(r, &rec, 0u);
}

wbota_err_t wbota_rec_download(wbota_records_t *r)
{
    return prv_append_plain(r, WBOTA_REC_DOWNLOAD, 0u);
}

wbota_err_t wbota_rec_verified(wbota_records_t *r, const wbota_rec_image_t *img)
{
    return prv_append_image(r, WBOTA_REC_VERIFIED, img);
}

wbota_err_t wbota_rec_install_begin(wbota_records_t *r, const wbota_rec_image_t *img,
                                    uint32_t pages, uint32_t src_page, uint32_t dst_page)
{
    prv_rec_t rec;
    if (pages == 0u || pages > PRV_MAX_PAGES || src_page > 0xFFu || dst_page > 0xFFu) {
        return WBOTA_E_ARG;
    }
    prv_rec_install(&rec, img, pages, src_page, dst_page, false, 0u);
    return prv_append(r, &rec, pages);
}

wbota_err_t wbota_rec_swap_begin(wbota_records_t *r, const wbota_rec_image_t *img, uint32_t pages,
                                 uint32_t src_page, uint32_t dst_page, uint32_t scratch_page)
{
    prv_rec_t rec;
    if (pages == 0u || pages > PRV_MAX_PAGES || src_page > 0xFFu || dst_page > 0xFFu ||
        scratch_page == 0u || scratch_page > 0xFFu) {
        return WBOTA_E_ARG;
    }
    prv_rec_install(&rec, img, pages, src_page, dst_page, true, scratch_page);
    return prv_append(r, &rec, pages * WBOTA_REC_SWAP_STEPS);
}

wbota_err_t wbota_rec_revert_begin(wbota_records_t *r, wbota_err_t why, uint32_t from_version,
                                   uint32_t src_page, uint32_t dst_page, uint32_t scratch_page)
{
    prv_rec_t rec;
    wbota_records_t next = *r;
    if (r->state != WBOTA_UPD_INSTALLED || r->swap_pages == 0u || why >= WBOTA_OK ||
        src_page > 0xFFu || dst_page > 0xFFu || scratch_page == 0u || scratch_page > 0xFFu) {
        return WBOTA_E_ARG;
    }
    next.install_pages = r->swap_pages;
    next.install_src = src_page;
    next.install_dst = dst_page;
    next.install_scratch = scratch_page;
    next.revert_reason = why;
    next.revert_from_counter = r->image.sec_counter;
    next.revert_from_version = from_version;
    prv_rec_revert(&rec, &next, true);
    return prv_append(r, &rec, r->swap_pages * WBOTA_REC_SWAP_STEPS);
}

wbota_err_t wbota_rec_reverted(wbota_records_t *r)
{
    prv_rec_t rec;
    if (r->state != WBOTA_UPD_REVERTING) {
        return WBOTA_E_ARG;
    }
    prv_rec_revert(&rec, r, false);
    return prv_append(r, &rec, 0u);
}

uint32_t wbota_rec_version_pack(uint8_t major, uint8_t minor, uint16_t patch)
{
    return ((uint32_t)major << 24) | ((uint32_t)minor << 16) | patch;
}

bool wbota_rec_install_page_done(const wbota_records_t *r, uint32_t i)
{
    uint8_t v[WBOTA_DW_SIZE];
    if ((r->state != WBOTA_UPD_INSTALLING && r->state != WBOTA_UPD_REVERTING) ||
        i >= r->install_steps || prv_read(r, r->cur, r->progress_dw + i, v, 1u) != WBOTA_OK) {
        return false;
    }
    return prv_is_all(v, WBOTA_DW_SIZE, 0u) || (wbota_get_le32(&v[0]) == prv_progress_lo(i) &&
                                                wbota_get_le32(&v[4]) == ~prv_progress_lo(i));
}

wbota_err_t wbota_rec_install_mark(wbota_records_t *r, uint32_t i)
{
    static const uint8_t zero[WBOTA_DW_SIZE] = {0};
    uint8_t v[WBOTA_DW_SIZE];
    wbota_err_t err;

    if ((r->state != WBOTA_UPD_INSTALLING && r->state != WBOTA_UPD_REVERTING) ||
        i >= r->install_steps) {
        return WBOTA_E_ARG;
    }
    if (wbota_rec_install_page_done(r, i)) {
        return WBOTA_OK;
    }
    if ((err = prv_read(r, r->cur, r->progress_dw + i, v, 1u)) != WBOTA_OK) {
        return err;
    }
    if (prv_is_all(v, WBOTA_DW_SIZE, 0xFFu)) {
        return prv_progress_write(r, r->cur, r->progress_dw + i, i);
    }
    /* torn earlier: it was programmed with a value that is not all ones, so zeros may go over
     * it (docs/flash-rules.md#all-ones) */
    return prv_program(r, r->cur, r->progress_dw + i, zero);
}

wbota_err_t wbota_rec_installed(wbota_records_t *r)
{
    prv_rec_t rec;
    const wbota_rec_image_t img = r->image;
    prv_rec_installed(&rec, &img, r->install_swap ? r->install_pages : 0u);
    return prv_append(r, &rec, 0u);
}

wbota_err_t wbota_rec_boot(wbota_records_t *r)
{
    return prv_append_plain(r, WBOTA_REC_BOOT, 0u);
}

wbota_err_t wbota_rec_confirm(wbota_records_t *r)
{
    prv_rec_t rec;
    wbota_err_t err;
    const wbota_rec_image_t img = r->verdict;
    if (!r->verdict_valid) {
        return WBOTA_E_ARG;
    }
    if ((err = prv_append_image(r, WBOTA_REC_CONFIRMED, &img)) != WBOTA_OK) {
        return err;
    }
    prv_rec_pair(&rec, WBOTA_REC_COUNTER, r->counter); /* raised by the CONFIRMED record */
    return prv_append(r, &rec, 0u);
}

wbota_err_t wbota_rec_raise_counter(wbota_records_t *r, uint32_t value)
{
    prv_rec_t rec;
    if (value <= r->counter) {
        return WBOTA_OK;
    }
    prv_rec_pair(&rec, WBOTA_REC_COUNTER, value);
    return prv_append(r, &rec, 0u);
}

wbota_err_t wbota_rec_set_verdict(wbota_records_t *r, const wbota_rec_image_t *img)
{
    return prv_append_image(r, WBOTA_REC_VERDICT, img);
}

wbota_err_t wbota_rec_gave_up(wbota_records_t *r, wbota_err_t reason)
{
    return prv_append_plain(r, WBOTA_REC_GAVE_UP, (uint8_t)(-(int)reason));
}

wbota_err_t wbota_rec_dl_progress(wbota_records_t *r, uint32_t tag, uint32_t pages)
{
    prv_rec_t rec;
    if (tag == 0u) {
        pages = 0u;
    }
    if (tag == r->dl_tag && pages == r->dl_pages) {
        return WBOTA_OK;
    }
    prv_rec_dl(&rec, tag, pages);
    return prv_append(r, &rec, 0u);
}
