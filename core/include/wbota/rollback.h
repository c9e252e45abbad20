/* wbota/rollback.h - the anti-rollback counter's page in the loader region
 * (docs/staged.md#counter-page).
 * Owns: that page's format (a header double word, then one double word per raise: the value and
 * its complement), reading the counter in force, raising it, and keeping it equal to the copy in
 * the staged records (wbota/records.h) so that either copy alone holds the counter.
 * Why a page of its own: the records sit below SFSA, where a wireless-stack install that moves
 * SFSA down can erase them; this page is a loader page (WBOTA_CFG_APP_START_PAGE - 1) that no
 * client write and no stack install reaches.
 * Rules (docs/flash-rules.md): each double word is programmed once after an erase, never with
 * all ones, never overwritten. Content is never trusted: a page that is not a counter page
 * (erased, a torn header, an st loader's verdict page) reads as counter 0 and is erased before
 * its first raise, which is safe because wbota_rollback_sync persists the value in the records
 * first. Freestanding; no allocation; flash through wbota_ota_flash_t. */
#ifndef WBOTA_ROLLBACK_H
#define WBOTA_ROLLBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/ota.h"
#include "wbota/records.h"

#define WBOTA_ROLLBACK_HEADER_LO 0x43524257u /* "WBRC" little-endian; high word: its complement */
#define WBOTA_ROLLBACK_DWS       (WBOTA_PAGE_SIZE / WBOTA_DW_SIZE)

typedef struct {
    wbota_ota_flash_t flash;
    uint32_t page;
    uint32_t value; /* the counter this page holds (0: none) */
    uint32_t next;  /* first double word after the written ones (WBOTA_ROLLBACK_DWS: full) */
    bool formatted; /* double word 0 is the header */
} wbota_rollback_t;

/* Read the page: a header check, a binary search for the end of the written double words
 * (they are appended in order) and a backwards search for the last entry that checks (a torn
 * one does not). Reads at most about a dozen double words: it runs on every boot at the reset
 * clock. Returns a read error of the seam (value 0 then), else WBOTA_OK. */
wbota_err_t wbota_rollback_open(wbota_rollback_t *c, const wbota_ota_flash_t *flash, uint32_t page);

/* Raise the page's counter to value (nothing when value <= the counter it holds). Appends one
 * entry and reads the page back as a boot would; a full or foreign page, or one that does not
 * read back as value, is erased and rewritten (header, then the entry) once: call it only once
 * the value is persisted elsewhere (wbota_rollback_sync does). Errors: the seam's, or
 * WBOTA_E_FLASH_VERIFY when even the rewritten page does not read back. */
wbota_err_t wbota_rollback_raise(wbota_rollback_t *c, uint32_t value);

/* Make both copies hold the larger counter: the records first (wbota_rec_raise_counter), then
 * this page. On return r->counter is the counter in force (the floor for every check), even when
 * a write failed (the next boot repeats the repair). Returns the first write error, if any. */
wbota_err_t wbota_rollback_sync(wbota_rollback_t *c, wbota_records_t *r);

#endif
