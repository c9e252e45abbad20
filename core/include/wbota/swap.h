/* wbota/swap.h - the swap install strategy of the staged mode (docs/staged.md#swap).
 * Owns: the exchange of the active and the staging slot through the scratch page (three steps
 * per page, one progress double word each, resumable after a cut at any point), the swap
 * install of a VERIFIED image and the revert of an image in test. The boot decision around them
 * (when to revert) is wbota_staged_boot's; it reaches this module only through
 * wbota_swap_strategy, so an overwrite build does not link it. Flash goes through
 * wbota_ota_flash_t. Freestanding. */
#ifndef WBOTA_SWAP_H
#define WBOTA_SWAP_H

#include "wbota/records.h"
#include "wbota/staged.h"

/* Runs (or resumes) what the records say: VERIFIED -> INSTALL (swap strategy, n = the pages
 * of the larger of the new image and the old one, from its verdict; no verdict: the whole
 * active slot), then per page i: active[i] -> scratch, staging[i] -> active[i], scratch ->
 * staging[i], each erase + copy (all-ones double words skipped) + compare + progress double
 * word; INSTALLED (in test, the swapped pages recorded). REVERTING: the same steps, then
 * REVERTED. WBOTA_OK also when nothing to do; E_RANGE for records naming other pages. */
wbota_err_t wbota_swap_run(const wbota_ota_flash_t *flash, const wbota_slots_t *slots,
                           wbota_records_t *rec);

/* Swaps the previous app back: REVERT (why; counter and manifest version of the image in the
 * active slot, read through in->mem), then wbota_swap_run. Needs INSTALLED by a swap. */
wbota_err_t wbota_revert_start(const wbota_staged_boot_in_t *in, wbota_records_t *rec,
                               wbota_err_t why);

typedef struct wbota_swap_s {
    wbota_err_t (*run_cb)(const wbota_ota_flash_t *flash, const wbota_slots_t *slots,
                          wbota_records_t *rec);
    wbota_err_t (*revert_cb)(const wbota_staged_boot_in_t *in, wbota_records_t *rec,
                             wbota_err_t why);
} wbota_swap_t;

/* For wbota_staged_boot_in_t.swap. */
extern const wbota_swap_t wbota_swap_strategy;

#endif
