/* wbota/staged.h - staged mode (docs/staged.md): slots, verify before install, the power-safe
 * overwrite install and the boot decision around them.
 * Owns: the active/staging split of the app region (run-time SFSA + build-time share), the
 * image id bound into records, the complete pre-install check (tags, every used vector, fits
 * the active slot, manifest/hash/signature per policy, anti-rollback counter), the install
 * (staging -> active, page by page, progress in the records, resumable), and the staged boot
 * (resume install, test boots and give-up, confirm, verify once). Flash goes through
 * wbota_ota_flash_t, reads of the active slot through wbota_mem_t. Freestanding. */
#ifndef WBOTA_STAGED_H
#define WBOTA_STAGED_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/boot.h"
#include "wbota/config.h"
#include "wbota/image.h"
#include "wbota/records.h"

/* WBOTA_CFG_ACTIVE_SLOT_PCT, WBOTA_CFG_RECORDS_AT_TOP, WBOTA_CFG_TEST_BOOTS: wbota/config.h */
_Static_assert(WBOTA_CFG_ACTIVE_SLOT_PCT >= 1u && WBOTA_CFG_ACTIVE_SLOT_PCT <= 50u,
               "staging must be at least as large as the active slot");
#define WBOTA_MODE_CONFIRM 0x03u /* mailbox mode: the app confirms the image in test */
#define WBOTA_VT_ENTRIES   79u   /* STM32WB55 CPU1: 16 system + 63 interrupt vectors */

typedef struct {
    uint32_t active_page, active_pages;   /* starts at the app start page */
    uint32_t staging_page, staging_pages; /* right after the active slot, up to SFSA */
    uint32_t record_page;                 /* first of WBOTA_CFG_RECORD_PAGES loader pages */
    uint32_t scratch_page; /* swap strategy: the page after staging; 0 = overwrite strategy */
} wbota_slots_t;

/* Slots for a layout with the build's strategy (WBOTA_CFG_INSTALL_SWAP): E_RANGE when the
 * region is too small (< 2 pages, 3 with swap) or the record pages would leave no loader page. */
wbota_err_t wbota_slots_compute(const wbota_layout_t *lay, wbota_slots_t *out);
/* The same for a given strategy (swap: one scratch page taken from the app region before the
 * split; the record pages do not move). */
wbota_err_t wbota_slots_compute_for(const wbota_layout_t *lay, bool swap, wbota_slots_t *out);

/* Every used entry 1..WBOTA_VT_ENTRIES-1 (0 = unused) is Thumb and inside [app_start, end). */
wbota_err_t wbota_image_check_all_vectors(const wbota_mem_t *mem, uint32_t app_start, uint32_t end);

/* Cheap identification of the image at the app start (ST tags + manifest parse; no hash). */
wbota_err_t wbota_staged_image_id(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                  wbota_rec_image_t *id, wbota_image_info_t *info);

/* Full check of an image linked for the active slot, read through mem (staging seen at the
 * active addresses, or the active slot itself): everything wbota_image_verify checks with the
 * counter floor max(trust's, min_counter), plus every used vector inside the hashed image and
 * the image inside the active slot (E_SIZE). Fills id on success. */
wbota_err_t wbota_staged_verify(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                const wbota_slots_t *slots, wbota_policy_t policy,
                                const wbota_trust_t *trust, uint32_t min_counter,
                                const wbota_precomputed_hash_t *pre, wbota_rec_image_t *id);

/* Reader that shows the staging slot at the active slot's addresses (for the check above). */
typedef struct {
    wbota_ota_flash_t flash;
    uint32_t app_start, active_size, staging_start;
} wbota_staging_view_t;
wbota_mem_t wbota_staging_mem(wbota_staging_view_t *view);

/* Installs (or resumes installing) with the overwrite strategy the image the records say is
 * VERIFIED / INSTALLING (E_RANGE for a swap record or swap slots):
 * INSTALL record, then per page not yet marked: erase active page, copy from staging (all-ones
 * double words skipped), compare, mark; then INSTALLED. WBOTA_OK also when nothing to do. */
wbota_err_t wbota_install_run(const wbota_ota_flash_t *flash, const wbota_slots_t *slots,
                              wbota_records_t *rec);

/* Pages an install of the image whose magic is at magic_addr covers (E_SIZE: outside the
 * active slot). */
wbota_err_t wbota_install_pages(const wbota_slots_t *slots, uint32_t magic_addr, uint32_t *pages);
/* Erase dst_page, copy src_page into it (never programming an all-ones double word), compare
 * (E_INSTALL on a difference). Used by the install and the swap. */
wbota_err_t wbota_page_copy(const wbota_ota_flash_t *f, uint32_t src_page, uint32_t dst_page);

/* The OTA engine's staged part (wbota_ota_config_t.staged): DOWNLOAD record before staging
 * changes under a verified/half-installed copy; at "finished" wbota_staged_verify with the
 * recorded counter, then VERIFIED. */
extern const wbota_ota_staged_t wbota_staged_ota;

typedef struct {
    uint32_t reset_flags;
    uint8_t mailbox[WBOTA_MAILBOX_LEN];
    wbota_layout_t layout;
    wbota_slots_t slots;
    wbota_policy_t policy;
    const wbota_trust_t *trust;
    wbota_ota_flash_t flash; /* records and install */
    wbota_mem_t mem;         /* reads of the active slot */
    bool verify_every_boot;  /* WBOTA_CFG_VERIFY_EVERY_BOOT: full check at every boot */
    /* Called once before the first long job (an install, a full verification), never on a
     * normal boot with a recorded verdict: the loader raises the CPU clock there and only
     * there (starting HSE + PLL costs about 1 ms). NULL: nothing to call. */
    void (*before_heavy_work)(void);
    /* The swap strategy (wbota/swap.h: &wbota_swap_strategy) with slots that have a scratch
     * page; NULL in an overwrite build, so the swap code is not linked there. */
    const struct wbota_swap_s *swap;
} wbota_staged_boot_in_t;

/* The staged boot: resume/run an install (or a swap or a revert), with the swap strategy the
 * revert of an image in test that was not confirmed after WBOTA_CFG_TEST_BOOTS boots or whose
 * check failed, confirm request (mailbox 0x03), test boots (give up
 * after WBOTA_CFG_TEST_BOOTS with E_NOT_CONFIRMED), verify once (cheap check against the
 * recorded verdict; full check + VERDICT record otherwise; no full check of the old app on a
 * reboot request), then wbota_boot_decide. A "stay" erase plan is moved into the staging slot:
 * nothing here erases the active slot. *app_status (may be NULL): the app's verdict. */
void wbota_staged_boot(const wbota_staged_boot_in_t *in, wbota_records_t *rec,
                       wbota_boot_decision_t *out, wbota_err_t *app_status);

#endif
