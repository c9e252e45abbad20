/* st_verdict.c - see st_verdict.h. Page format (docs/image-format.md#st-verdict): entries of
 * PRV_ENTRY_DWS double words from the page start,
 *   dw 0     tag: "WBVD" || ~"WBVD" (never all ones; zeroed = invalidated)
 *   dw 1..4  the image's SHA-256 TLV (digest)
 *   dw 5     magic address u32 || security counter u32 (little-endian)
 * The tag goes first, then the id: a torn entry reads as an id no image has (its bytes are
 * compared in full), and the next record zeroes it. One live entry at most: recording zeroes
 * the previous one first. A double word is programmed once after the erase, only the tag gets
 * the zero overwrite, and an id double word of all ones is not recorded (docs/flash-rules.md). */
#include "st_verdict.h"

#include <string.h>

#include "wb/flash.h"
#include "wbota/bytes.h"
#include "wbota/layout.h"

#define PRV_TAG_LO      0x44564257u /* "WBVD" */
#define PRV_ENTRY_DWS   6u
#define PRV_ENTRIES     (WBOTA_PAGE_SIZE / WBOTA_DW_SIZE / PRV_ENTRY_DWS)
#define PRV_ENTRY_BYTES (PRV_ENTRY_DWS * WBOTA_DW_SIZE)
#define PRV_NONE        0xFFFFFFFFu

static uint32_t s_page;
static uint32_t s_live = PRV_NONE; /* entry with a live tag (the last one found) */
static uint32_t s_free = PRV_NONE; /* first entry that reads erased */

static uint32_t prv_addr(uint32_t entry)
{
    return wbota_page_addr(s_page) + entry * PRV_ENTRY_BYTES;
}

static bool prv_all(const uint8_t *p, uint32_t n, uint8_t v)
{
    for (uint32_t i = 0u; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

static void prv_encode(const wbota_rec_image_t *id, uint8_t out[PRV_ENTRY_BYTES])
{
    wbota_put_le32(&out[0], PRV_TAG_LO);
    wbota_put_le32(&out[4], ~PRV_TAG_LO);
    memcpy(&out[8], id->digest, WBOTA_SHA256_LEN);
    wbota_put_le32(&out[40], id->magic_addr);
    wbota_put_le32(&out[44], id->sec_counter);
}

void wb_st_verdict_open(uint32_t page)
{
    uint8_t e[PRV_ENTRY_BYTES];
    s_page = page;
    s_live = PRV_NONE;
    s_free = PRV_NONE;
    for (uint32_t i = 0u; i < PRV_ENTRIES; i++) {
        if (wb_flash_read(prv_addr(i), e, sizeof e) != WBOTA_OK) {
            return;
        }
        if (prv_all(e, sizeof e, 0xFFu)) {
            s_free = i; /* entries are appended in order: nothing after it */
            return;
        }
        if (wbota_get_le32(&e[0]) == PRV_TAG_LO && wbota_get_le32(&e[4]) == ~PRV_TAG_LO) {
            s_live = i;
        }
    }
}

bool wb_st_verdict_matches(const wbota_rec_image_t *id)
{
    uint8_t want[PRV_ENTRY_BYTES];
    uint8_t have[PRV_ENTRY_BYTES];
    if (s_live == PRV_NONE || wb_flash_read(prv_addr(s_live), have, sizeof have) != WBOTA_OK) {
        return false;
    }
    prv_encode(id, want);
    return memcmp(want, have, sizeof want) == 0;
}

void wb_st_verdict_invalidate(void)
{
    static const uint8_t zero[WBOTA_DW_SIZE] = {0};
    if (s_live != PRV_NONE) {
        (void)wb_flash_program_dw(prv_addr(s_live), zero);
        s_live = PRV_NONE;
    }
}

void wb_st_verdict_record(const wbota_rec_image_t *id)
{
    uint8_t e[PRV_ENTRY_BYTES];
    prv_encode(id, e);
    for (uint32_t d = 1u; d < PRV_ENTRY_DWS; d++) {
        if (prv_all(&e[d * WBOTA_DW_SIZE], WBOTA_DW_SIZE, 0xFFu)) {
            return; /* not programmable under the all-ones rule: this image checks in full */
        }
    }
    wb_st_verdict_invalidate();
    if (s_free == PRV_NONE) {
        if (wb_flash_erase_page(s_page) != WBOTA_OK) {
            return;
        }
        s_free = 0u;
    }
    const uint32_t at = s_free;
    s_free = (at + 1u < PRV_ENTRIES) ? at + 1u : PRV_NONE;
    for (uint32_t d = 0u; d < PRV_ENTRY_DWS; d++) {
        if (wb_flash_program_dw(prv_addr(at) + d * WBOTA_DW_SIZE, &e[d * WBOTA_DW_SIZE]) !=
            WBOTA_OK) {
            return; /* a torn or refused entry never matches; the next record skips past it */
        }
    }
    s_live = at;
}
