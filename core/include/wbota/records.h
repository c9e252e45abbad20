/* wbota/records.h - the loader's append-only record log (docs/staged.md#records).
 * Owns: the on-flash record format (header double word + payload double words, CRC-32), the
 * two-page A/B log with generation headers and power-safe compaction, the parsed state (update
 * state, image id, install progress, test boots, anti-rollback counter, verify-once verdict,
 * last give-up reason) and every write to the record pages.
 * Rules (docs/flash-rules.md): each double word is programmed once after an erase, never with
 * all ones; the only rewrite is a zero overwrite of a torn progress double word (programmed
 * with a non-ones value). Any page content is possible after a power cut or an attacker's
 * write: wbota_rec_open never fails because of content, it only loses records that do not
 * check. Flash goes through wbota_ota_flash_t. Freestanding; no allocation. */
#ifndef WBOTA_RECORDS_H
#define WBOTA_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/config.h"
#include "wbota/crypto.h"
#include "wbota/ota.h"

/* WBOTA_CFG_RECORD_PAGES: wbota/config.h */
_Static_assert(WBOTA_CFG_RECORD_PAGES == 2u, "the record log uses exactly two pages");

/* On flash: never change a value. */
#define WBOTA_REC_MARKER             0xA7u
#define WBOTA_REC_GEN                0x01u
#define WBOTA_REC_COUNTER            0x02u
#define WBOTA_REC_DOWNLOAD           0x10u
#define WBOTA_REC_VERIFIED           0x11u
#define WBOTA_REC_INSTALL            0x12u
#define WBOTA_REC_INSTALLED          0x13u
#define WBOTA_REC_BOOT               0x14u
#define WBOTA_REC_CONFIRMED          0x15u
#define WBOTA_REC_VERDICT            0x16u
#define WBOTA_REC_GAVE_UP            0x17u
#define WBOTA_REC_DL_PROGRESS        0x20u /* resumable download: tag u32, pages u32 */
#define WBOTA_REC_REVERT             0x21u /* swap back started: pages, slots; version left */
#define WBOTA_REC_REVERTED           0x22u /* the previous app is back: version left, why */
#define WBOTA_REC_MAX_LEN            8u    /* payload double words */
#define WBOTA_REC_PROGRESS_TAG       0x50000000u
#define WBOTA_REC_STRATEGY_OVERWRITE 0u
#define WBOTA_REC_STRATEGY_SWAP      1u
#define WBOTA_REC_SWAP_STEPS         3u /* progress double words per swapped page */
#define WBOTA_REC_DWS_PER_PAGE       (WBOTA_PAGE_SIZE / WBOTA_DW_SIZE)

/* What identifies an image in a slot: its digest (manifest SHA-256 TLV, zeros for a plain ST
 * image), where its magic is (location and length) and its security counter. */
typedef struct {
    uint8_t digest[WBOTA_SHA256_LEN];
    uint32_t magic_addr;
    uint32_t sec_counter;
} wbota_rec_image_t;

typedef enum {
    WBOTA_UPD_NONE = 0,   /* nothing recorded (factory state, or after compaction of none) */
    WBOTA_UPD_DOWNLOAD,   /* staging is being written; it holds nothing verified */
    WBOTA_UPD_VERIFIED,   /* staging holds `image`, verified, to be installed */
    WBOTA_UPD_INSTALLING, /* install of `image` started; progress double words follow */
    WBOTA_UPD_INSTALLED,  /* active holds `image` in test (not confirmed) */
    WBOTA_UPD_CONFIRMED,  /* active holds `image`, confirmed */
    WBOTA_UPD_GAVE_UP,    /* the image in test never confirmed: the loader stays */
    WBOTA_UPD_REVERTING,  /* swap strategy: the previous app is being swapped back */
    WBOTA_UPD_REVERTED,   /* swap strategy: the previous app is back (revert_* say why) */
} wbota_upd_state_t;

typedef struct wbota_records_s {
    wbota_ota_flash_t flash;
    uint32_t first_page; /* record pages: first_page, first_page + 1 */
    /* parsed */
    bool have_page; /* a page with a valid GEN exists */
    uint32_t cur;   /* index 0/1 of the page in use (valid when have_page) */
    uint32_t gen;   /* its generation */
    uint32_t wr;    /* next free double word index in the page in use */
    wbota_upd_state_t state;
    wbota_rec_image_t image;                          /* image of the state (VERIFIED .. GAVE_UP) */
    uint32_t install_pages, install_src, install_dst; /* INSTALLING, REVERTING */
    bool install_swap;                                /* INSTALLING with the swap strategy */
    uint32_t install_scratch;                         /* swap: the scratch page */
    uint32_t install_steps; /* progress double words: pages (overwrite), 3 x pages (swap) */
    uint32_t progress_dw;   /* double word index of progress slot 0 in the page in use */
    uint32_t swap_pages;    /* INSTALLED by a swap: the pages a revert swaps back (0: none) */
    /* the last revert (kept until the next install): why (WBOTA_OK: none) and the image it
     * left (security counter, manifest version packed by wbota_rec_version_pack) */
    wbota_err_t revert_reason;
    uint32_t revert_from_counter, revert_from_version;
    uint32_t test_boots; /* BOOT records since INSTALLED */
    uint32_t counter;    /* anti-rollback counter in force */
    bool verdict_valid;  /* active slot verdict */
    wbota_rec_image_t verdict;
    wbota_err_t gave_up_reason; /* last GAVE_UP reason (WBOTA_OK: none) */
    /* resumable download (docs/staged.md#resume): the client's image tag (0: none) and the
     * staging pages from the slot start that hold its first dl_pages * 4 KB */
    uint32_t dl_tag, dl_pages;
} wbota_records_t;

/* Read both pages and build the state. Returns WBOTA_OK, or a read error of the flash seam
 * (the state is then empty). Content never makes it fail. */
wbota_err_t wbota_rec_open(wbota_records_t *r, const wbota_ota_flash_t *flash, uint32_t first_page);

/* Appends; each updates the parsed state on success. Errors: the flash seam's (a power cut in
 * tests), WBOTA_E_RECORDS (no room even after compaction, or repeated program failures). */
wbota_err_t wbota_rec_download(wbota_records_t *r);
wbota_err_t wbota_rec_verified(wbota_records_t *r, const wbota_rec_image_t *img);
wbota_err_t wbota_rec_install_begin(wbota_records_t *r, const wbota_rec_image_t *img,
                                    uint32_t pages, uint32_t src_page, uint32_t dst_page);
/* The same with the swap strategy: 3 x pages progress double words, the scratch page kept. */
wbota_err_t wbota_rec_swap_begin(wbota_records_t *r, const wbota_rec_image_t *img, uint32_t pages,
                                 uint32_t src_page, uint32_t dst_page, uint32_t scratch_page);
/* Progress slot i (page i of an overwrite install, step i of a swap or a revert). */
bool wbota_rec_install_page_done(const wbota_records_t *r, uint32_t i);
wbota_err_t wbota_rec_install_mark(wbota_records_t *r, uint32_t i);
/* INSTALLED; after a swap it carries the swapped pages (what a revert swaps back). */
wbota_err_t wbota_rec_installed(wbota_records_t *r);
/* REVERT: the image in test (swap_pages > 0) is swapped back; aux = -why; from_version of the
 * image left. Then the same progress as a swap, then REVERTED. */
wbota_err_t wbota_rec_revert_begin(wbota_records_t *r, wbota_err_t why, uint32_t from_version,
                                   uint32_t src_page, uint32_t dst_page, uint32_t scratch_page);
wbota_err_t wbota_rec_reverted(wbota_records_t *r);
/* Manifest version as one word: major << 24 | minor << 16 | patch. */
uint32_t wbota_rec_version_pack(uint8_t major, uint8_t minor, uint16_t patch);
wbota_err_t wbota_rec_boot(wbota_records_t *r);
/* CONFIRMED, then COUNTER = max(counter, image's counter). */
wbota_err_t wbota_rec_confirm(wbota_records_t *r);
/* COUNTER = value when value is above the counter in force (nothing otherwise): the copy of
 * the loader's counter page (wbota/rollback.h). */
wbota_err_t wbota_rec_raise_counter(wbota_records_t *r, uint32_t value);
wbota_err_t wbota_rec_set_verdict(wbota_records_t *r, const wbota_rec_image_t *img);
wbota_err_t wbota_rec_gave_up(wbota_records_t *r, wbota_err_t reason);
/* DL_PROGRESS(tag, pages): the download tagged `tag` holds its first `pages` staging pages;
 * tag 0 voids a resumable download. Writes nothing when it would change nothing. */
wbota_err_t wbota_rec_dl_progress(wbota_records_t *r, uint32_t tag, uint32_t pages);

bool wbota_rec_image_equal(const wbota_rec_image_t *a, const wbota_rec_image_t *b);
/* CRC-32 (IEEE 802.3, reflected, init/xorout 0xFFFFFFFF) continued from crc (start with 0). */
uint32_t wbota_crc32(uint32_t crc, const uint8_t *p, uint32_t len);

#endif
