/* swap.c - the swap install strategy and the revert (wbota/swap.h, docs/staged.md#swap). Each
 * step's source is left alone until the step's progress double word exists, so a resume
 * simply does the first unmarked step again. */
#include "wbota/swap.h"

/* Step s of swapped page i: 0 active -> scratch, 1 staging -> active, 2 scratch -> staging. */
static wbota_err_t prv_swap_step(const wbota_ota_flash_t *flash, const wbota_records_t *rec,
                                 uint32_t i, uint32_t step)
{
    const uint32_t active = rec->install_dst + i;
    const uint32_t staging = rec->install_src + i;
    if (step == 0u) {
        return wbota_page_copy(flash, active, rec->install_scratch);
    }
    if (step == 1u) {
        return wbota_page_copy(flash, staging, active);
    }
    return wbota_page_copy(flash, rec->install_scratch, staging);
}

/* VERIFIED -> INSTALL with the swap strategy: the pages of both images, so a revert brings
 * the old one back whole (its end: its verdict's magic; no verdict: the whole slot). */
static wbota_err_t prv_swap_begin(const wbota_slots_t *slots, wbota_records_t *rec)
{
    const wbota_rec_image_t img = rec->image;
    uint32_t pages, old_pages = slots->active_pages;
    wbota_err_t err = wbota_install_pages(slots, img.magic_addr, &pages);
    if (err != WBOTA_OK) {
        return err;
    }
    if (rec->verdict_valid &&
        wbota_install_pages(slots, rec->verdict.magic_addr, &old_pages) != WBOTA_OK) {
        old_pages = slots->active_pages;
    }
    if (old_pages > pages) {
        pages = old_pages;
    }
    if (pages > slots->staging_pages) {
        return WBOTA_E_SIZE;
    }
    return wbota_rec_swap_begin(rec, &img, pages, slots->staging_page, slots->active_page,
                                slots->scratch_page);
}

wbota_err_t wbota_swap_run(const wbota_ota_flash_t *flash, const wbota_slots_t *slots,
                           wbota_records_t *rec)
{
    if (slots->scratch_page == 0u) {
        return WBOTA_E_RANGE;
    }
    if (rec->state == WBOTA_UPD_VERIFIED) {
        wbota_err_t err = prv_swap_begin(slots, rec);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    const bool revert = (rec->state == WBOTA_UPD_REVERTING);
    if (!revert && rec->state != WBOTA_UPD_INSTALLING) {
        return WBOTA_OK;
    }
    /* a record that checks but names other pages (or the other strategy) is not ours */
    if (!rec->install_swap || rec->install_src != slots->staging_page ||
        rec->install_dst != slots->active_page || rec->install_scratch != slots->scratch_page ||
        rec->install_pages > slots->active_pages || rec->install_pages > slots->staging_pages) {
        return WBOTA_E_RANGE;
    }
    for (uint32_t j = 0; j < rec->install_steps; j++) {
        if (wbota_rec_install_page_done(rec, j)) {
            continue;
        }
        wbota_err_t err =
            prv_swap_step(flash, rec, j / WBOTA_REC_SWAP_STEPS, j % WBOTA_REC_SWAP_STEPS);
        if (err == WBOTA_OK) {
            err = wbota_rec_install_mark(rec, j);
        }
        if (err != WBOTA_OK) {
            return err;
        }
    }
    return revert ? wbota_rec_reverted(rec) : wbota_rec_installed(rec);
}

/* The manifest version of the image in the active slot (0 when it has none). */
static uint32_t prv_version_of(const wbota_staged_boot_in_t *in)
{
    wbota_rec_image_t id;
    wbota_image_info_t info;
    if (wbota_staged_image_id(&in->mem, &in->layout, &id, &info) != WBOTA_OK ||
        !info.has_manifest || !info.manifest.has_version) {
        return 0u;
    }
    const wbota_version_t *v = &info.manifest.version;
    return wbota_rec_version_pack(v->major, v->minor, v->patch);
}

wbota_err_t wbota_revert_start(const wbota_staged_boot_in_t *in, wbota_records_t *rec,
                               wbota_err_t why)
{
    const wbota_slots_t *s = &in->slots;
    wbota_err_t err = wbota_rec_revert_begin(rec, why, prv_version_of(in), s->staging_page,
                                             s->active_page, s->scratch_page);
    return (err == WBOTA_OK) ? wbota_swap_run(&in->flash, s, rec) : err;
}

const wbota_swap_t wbota_swap_strategy = {.run_cb = wbota_swap_run,
                                          .revert_cb = wbota_revert_start};
