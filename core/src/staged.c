/* staged.c - slots, verify before install, the overwrite install and the staged boot
 * (wbota/staged.h, docs/staged.md). The install reads only the staging slot and writes only
 * the active slot and the records; the boot never erases the active slot. */
#include "wbota/staged.h"

#include <string.h>

#include "wbota/bytes.h"
#include "wbota/swap.h" /* the hooks only: the boot calls the strategy through them */

#define PRV_CHUNK 64u /* copy/compare chunk: the loader's stack is small */

wbota_err_t wbota_slots_compute(const wbota_layout_t *lay, wbota_slots_t *out)
{
    return wbota_slots_compute_for(lay, WBOTA_CFG_INSTALL_SWAP != 0, out);
}

wbota_err_t wbota_slots_compute_for(const wbota_layout_t *lay, bool swap, wbota_slots_t *out)
{
    const uint32_t top = WBOTA_CFG_RECORDS_AT_TOP ? WBOTA_CFG_RECORD_PAGES : 0u;
    const uint32_t scratch = swap ? 1u : 0u;
    if (lay == NULL || out == NULL || wbota_layout_check(lay) != WBOTA_OK ||
        lay->sfsa - lay->app_start_page < 2u + top + scratch ||
        lay->app_start_page < WBOTA_CFG_RECORD_PAGES + 1u - top) {
        return WBOTA_E_RANGE;
    }
    /* the scratch page comes off the region before the split: both slots stay honest */
    uint32_t app_pages = lay->sfsa - lay->app_start_page - top - scratch;
    out->active_page = lay->app_start_page;
    out->active_pages = app_pages * WBOTA_CFG_ACTIVE_SLOT_PCT / 100u;
    if (out->active_pages == 0u) {
        out->active_pages = 1u;
    }
    out->staging_page = out->active_page + out->active_pages;
    out->staging_pages = app_pages - out->active_pages;
    out->record_page = WBOTA_CFG_RECORDS_AT_TOP ? lay->sfsa - WBOTA_CFG_RECORD_PAGES
                                                : lay->app_start_page - WBOTA_CFG_RECORD_PAGES;
    out->scratch_page = swap ? out->staging_page + out->staging_pages : 0u;
    return WBOTA_OK;
}

wbota_err_t wbota_image_check_all_vectors(const wbota_mem_t *mem, uint32_t app_start, uint32_t end)
{
    uint8_t w[4];
    /* entry 0 is the initial SP (checked by wbota_image_check_vectors) */
    for (uint32_t i = 1; i < WBOTA_VT_ENTRIES; i++) {
        if (mem->read_cb(mem->ctx, app_start + i * 4u, w, sizeof w) != WBOTA_OK) {
            return WBOTA_E_VT_VECTOR;
        }
        uint32_t v = wbota_get_le32(w);
        if (v == 0u) {
            continue; /* unused or reserved entry */
        }
        /* a handler past the hashed bytes would run code nobody signed */
        if ((v & 1u) == 0u || (v & ~1u) < app_start || (v & ~1u) >= end) {
            return WBOTA_E_VT_VECTOR;
        }
    }
    return WBOTA_OK;
}

static void prv_id(const wbota_image_info_t *info, wbota_rec_image_t *id)
{
    memset(id, 0, sizeof *id);
    if (info->has_manifest && info->manifest.has_sha256) {
        memcpy(id->digest, info->manifest.sha256, sizeof id->digest);
    }
    id->magic_addr = info->magic_addr;
    if (info->has_manifest && info->manifest.has_sec_counter) {
        id->sec_counter = info->manifest.sec_counter;
    }
}

wbota_err_t wbota_staged_image_id(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                  wbota_rec_image_t *id, wbota_image_info_t *info)
{
    memset(info, 0, sizeof *info);
    wbota_err_t err = wbota_image_check_st(mem, lay, info);
    if (err == WBOTA_OK) {
        err = wbota_image_check_vectors(mem, info);
    }
    if (err == WBOTA_OK) {
        err = wbota_image_find_manifest(mem, lay, info);
    }
    if (err == WBOTA_OK) {
        prv_id(info, id);
    }
    return err;
}

/* Policy check with the recorded counter as floor, then every used vector. */
static wbota_err_t prv_full_check(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                  wbota_policy_t policy, const wbota_trust_t *trust,
                                  uint32_t min_counter, const wbota_precomputed_hash_t *pre,
                                  wbota_image_info_t *info)
{
    wbota_trust_t t = {.keys = NULL, .n_keys = 0u, .min_sec_counter = 0u};
    if (trust != NULL) {
        t = *trust;
    }
    if (min_counter > t.min_sec_counter) {
        t.min_sec_counter = min_counter;
    }
    wbota_err_t err = wbota_image_verify(mem, lay, policy, &t, pre, info);
    if (err != WBOTA_OK) {
        return err;
    }
    uint32_t end =
        info->has_manifest ? info->magic_addr - info->manifest.manifest_len : info->image_end;
    return wbota_image_check_all_vectors(mem, info->app_start, end);
}

wbota_err_t wbota_staged_verify(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                const wbota_slots_t *slots, wbota_policy_t policy,
                                const wbota_trust_t *trust, uint32_t min_counter,
                                const wbota_precomputed_hash_t *pre, wbota_rec_image_t *id)
{
    wbota_image_info_t info;
    memset(&info, 0, sizeof info);
    wbota_err_t err = wbota_image_check_st(mem, lay, &info);
    if (err != WBOTA_OK) {
        return err;
    }
    if (info.image_end > wbota_page_addr(slots->active_page + slots->active_pages)) {
        return WBOTA_E_SIZE;
    }
    err = prv_full_check(mem, lay, policy, trust, min_counter, pre, &info);
    if (err == WBOTA_OK) {
        prv_id(&info, id);
    }
    return err;
}

/* Staging holds what the next step reads: a verified copy, a half-done install or revert. */
static bool prv_staging_in_use(const wbota_records_t *rec)
{
    return rec->state == WBOTA_UPD_VERIFIED || rec->state == WBOTA_UPD_INSTALLING ||
           rec->state == WBOTA_UPD_REVERTING;
}

/* Swap strategy: an image in test, staging holds the previous app (its revert copy). Never in
 * an overwrite-only core: it cannot revert, so staging is free for the next download. */
static bool prv_revert_copy_held(const wbota_records_t *rec)
{
    return WBOTA_CFG_SWAP_SUPPORT && rec->state == WBOTA_UPD_INSTALLED && rec->swap_pages > 0u;
}

static wbota_err_t prv_ota_session_start(wbota_records_t *rec)
{
    if (prv_revert_copy_held(rec)) {
        return WBOTA_E_IN_TEST; /* confirm (or let it revert) first: never lose the old app */
    }
    /* staging is about to change: a verified or half-installed copy there is void */
    if (prv_staging_in_use(rec)) {
        return wbota_rec_download(rec);
    }
    return WBOTA_OK;
}

static wbota_err_t prv_ota_finish(const wbota_ota_config_t *cfg, const wbota_mem_t *mem,
                                  const wbota_precomputed_hash_t *pre)
{
    wbota_slots_t slots;
    wbota_rec_image_t id;
    memset(&slots, 0, sizeof slots);
    slots.active_page = cfg->layout.app_start_page;
    slots.active_pages = cfg->active_pages;
    slots.staging_page = cfg->staging_page;
    slots.staging_pages = cfg->staging_pages;
    wbota_err_t err = wbota_staged_verify(mem, &cfg->layout, &slots, cfg->policy, cfg->trust,
                                          cfg->records->counter, pre, &id);
    return (err == WBOTA_OK) ? wbota_rec_verified(cfg->records, &id) : err;
}

static wbota_err_t prv_ota_resume(wbota_records_t *rec, uint32_t tag, uint32_t *pages)
{
    *pages = 0u;
    if (rec->dl_tag == 0u || rec->dl_pages == 0u) {
        return WBOTA_E_RESUME_NONE;
    }
    if (rec->dl_tag != tag) {
        return WBOTA_E_RESUME_OTHER; /* staging holds the start of another image */
    }
    *pages = rec->dl_pages;
    return WBOTA_OK;
}

static wbota_err_t prv_ota_progress(wbota_records_t *rec, uint32_t tag, uint32_t pages)
{
    return wbota_rec_dl_progress(rec, tag, pages);
}

const wbota_ota_staged_t wbota_staged_ota = {.session_start_cb = prv_ota_session_start,
                                             .finish_cb = prv_ota_finish,
                                             .resume_cb = prv_ota_resume,
                                             .progress_cb = prv_ota_progress};

static wbota_err_t prv_staging_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    const wbota_staging_view_t *v = (const wbota_staging_view_t *)ctx;
    if (addr < v->app_start || addr - v->app_start > v->active_size ||
        len > v->active_size - (addr - v->app_start)) {
        return WBOTA_E_RANGE;
    }
    return v->flash.read_cb(v->flash.ctx, v->staging_start + (addr - v->app_start), buf, len);
}

wbota_mem_t wbota_staging_mem(wbota_staging_view_t *view)
{
    wbota_mem_t m = {.read_cb = prv_staging_read_cb, .ctx = view};
    return m;
}

static bool prv_all_ones(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

wbota_err_t wbota_page_copy(const wbota_ota_flash_t *f, uint32_t src_page, uint32_t dst_page)
{
    uint8_t a[PRV_CHUNK];
    uint8_t b[PRV_CHUNK];
    const uint32_t src = wbota_page_addr(src_page);
    const uint32_t dst = wbota_page_addr(dst_page);
    wbota_err_t err = f->erase_page_cb(f->ctx, dst_page);

    for (uint32_t off = 0; off < WBOTA_PAGE_SIZE && err == WBOTA_OK; off += PRV_CHUNK) {
        err = f->read_cb(f->ctx, src + off, a, PRV_CHUNK);
        for (uint32_t k = 0; k < PRV_CHUNK && err == WBOTA_OK; k += WBOTA_DW_SIZE) {
            if (!prv_all_ones(&a[k], WBOTA_DW_SIZE)) {
                err = f->program_dw_cb(f->ctx, dst + off + k, &a[k]);
            }
        }
    }
    for (uint32_t off = 0; off < WBOTA_PAGE_SIZE && err == WBOTA_OK; off += PRV_CHUNK) {
        err = f->read_cb(f->ctx, src + off, a, PRV_CHUNK);
        if (err == WBOTA_OK) {
            err = f->read_cb(f->ctx, dst + off, b, PRV_CHUNK);
        }
        if (err == WBOTA_OK && memcmp(a, b, PRV_CHUNK) != 0) {
            err = WBOTA_E_INSTALL;
        }
    }
    return err;
}

wbota_err_t wbota_install_pages(const wbota_slots_t *slots, uint32_t magic_addr, uint32_t *pages)
{
    const uint32_t active = wbota_page_addr(slots->active_page);
    if (magic_addr < active ||
        magic_addr + 4u > wbota_page_addr(slots->active_page + slots->active_pages)) {
        return WBOTA_E_SIZE;
    }
    *pages = (magic_addr + 4u - active + WBOTA_PAGE_SIZE - 1u) / WBOTA_PAGE_SIZE;
    return WBOTA_OK;
}

wbota_err_t wbota_install_run(const wbota_ota_flash_t *flash, const wbota_slots_t *slots,
                              wbota_records_t *rec)
{
    wbota_err_t err;

    if (rec->state == WBOTA_UPD_VERIFIED) {
        const wbota_rec_image_t img = rec->image;
        uint32_t pages;
        err = wbota_install_pages(slots, img.magic_addr, &pages);
        if (err == WBOTA_OK) {
            err =
                wbota_rec_install_begin(rec, &img, pages, slots->staging_page, slots->active_page);
        }
        if (err != WBOTA_OK) {
            return err;
        }
    }
    if (rec->state != WBOTA_UPD_INSTALLING) {
        return WBOTA_OK;
    }
    if (rec->install_swap || slots->scratch_page != 0u) {
        return WBOTA_E_RANGE; /* the swap strategy's (wbota/swap.h) */
    }
    /* a record that checks but names other pages is not ours to act on */
    if (rec->install_src != slots->staging_page || rec->install_dst != slots->active_page ||
        rec->install_pages > slots->active_pages || rec->install_pages > slots->staging_pages) {
        return WBOTA_E_RANGE;
    }
    for (uint32_t i = 0; i < rec->install_pages; i++) {
        if (wbota_rec_install_page_done(rec, i)) {
            continue;
        }
        err = wbota_page_copy(flash, rec->install_src + i, rec->install_dst + i);
        if (err == WBOTA_OK) {
            err = wbota_rec_install_mark(rec, i);
        }
        if (err != WBOTA_OK) {
            return err;
        }
    }
    return wbota_rec_installed(rec);
}

/* The caller's hook before a long job; once per boot (the hook itself keeps a raised clock). */
static void prv_heavy_work(const wbota_staged_boot_in_t *in)
{
    if (in->before_heavy_work != NULL) {
        in->before_heavy_work();
    }
}

/* The app's verdict: cheap when a recorded verdict matches, full (and recorded) otherwise;
 * on a reboot request the old app is not fully verified (full_allowed false). */
static wbota_err_t prv_app_status(const wbota_staged_boot_in_t *in, wbota_records_t *rec,
                                  bool full_allowed)
{
    wbota_rec_image_t id;
    wbota_image_info_t info;
    wbota_err_t err = wbota_staged_image_id(&in->mem, &in->layout, &id, &info);

    if (err != WBOTA_OK) {
        return err;
    }
    if (!in->verify_every_boot && rec->verdict_valid && wbota_rec_image_equal(&id, &rec->verdict)) {
        return WBOTA_OK;
    }
    if (!info.has_manifest && in->policy == WBOTA_POLICY_ST) {
        return WBOTA_OK; /* a plain ST image: the tags and vectors are its whole check */
    }
    if (!full_allowed) {
        return WBOTA_E_STAY_REQUESTED; /* not verified now: no idle return to it */
    }
    prv_heavy_work(in);
    err = prv_full_check(&in->mem, &in->layout, in->policy, in->trust, rec->counter, NULL, &info);
    if (err == WBOTA_OK && info.has_manifest && !in->verify_every_boot &&
        !(rec->verdict_valid && wbota_rec_image_equal(&id, &rec->verdict))) {
        (void)wbota_rec_set_verdict(rec, &id); /* next boot: the cheap check */
    }
    return err;
}

static bool prv_is_plain(const wbota_rec_image_t *img)
{
    for (uint32_t i = 0; i < sizeof img->digest; i++) {
        if (img->digest[i] != 0u) {
            return false;
        }
    }
    return true;
}

static void prv_plan_to_staging(const wbota_slots_t *s, wbota_erase_plan_t *plan)
{
    uint32_t rel = plan->first_page - s->active_page;
    if (plan->page_count == 0u || plan->first_page < s->active_page || rel >= s->staging_pages) {
        plan->first_page = 0u;
        plan->page_count = 0u;
        return;
    }
    plan->first_page = s->staging_page + rel;
    if (plan->page_count > s->staging_pages - rel) {
        plan->page_count = s->staging_pages - rel;
    }
}

/* A reboot request's erase leaves the staging pages of a resumable download alone: the engine
 * erases any page it writes that is not blank, so the erase only saves time
 * (docs/staged.md#resume). */
static void prv_plan_keep_download(const wbota_slots_t *s, const wbota_records_t *rec,
                                   wbota_erase_plan_t *plan)
{
    if (rec->dl_tag == 0u || rec->dl_pages == 0u || plan->page_count == 0u) {
        return;
    }
    uint32_t keep_end = s->staging_page + rec->dl_pages;
    uint32_t end = plan->first_page + plan->page_count;
    if (end <= keep_end) {
        plan->first_page = 0u;
        plan->page_count = 0u;
    } else if (plan->first_page < keep_end) {
        plan->page_count = end - keep_end;
        plan->first_page = keep_end;
    }
}

void wbota_staged_boot(const wbota_staged_boot_in_t *in, wbota_records_t *rec,
                       wbota_boot_decision_t *out, wbota_err_t *app_status)
{
    wbota_boot_input_t bin;
    wbota_mailbox_t mb;
    wbota_err_t st = WBOTA_OK;
    wbota_err_t inst = WBOTA_OK;
    const bool sw = (in->reset_flags & (WBOTA_RESET_SOFTWARE | WBOTA_RESET_OPTION)) != 0u;

    wbota_mailbox_decode(in->mailbox, &mb);
    const bool confirm = sw && mb.mode == WBOTA_MODE_CONFIRM;
    const bool full_allowed = !(sw && mb.mode == WBOTA_MODE_LOADER);
    bool st_known = false;
    const bool swap = (WBOTA_CFG_SWAP_SUPPORT && in->swap != NULL && in->slots.scratch_page != 0u);
    if (rec->state == WBOTA_UPD_VERIFIED || rec->state == WBOTA_UPD_INSTALLING ||
        rec->state == WBOTA_UPD_REVERTING) {
        prv_heavy_work(in);
        /* a swap build resumes a revert here too; an overwrite build never starts one */
        inst = swap ? in->swap->run_cb(&in->flash, &in->slots, rec)
                    : wbota_install_run(&in->flash, &in->slots, rec);
    }
    if (rec->state == WBOTA_UPD_INSTALLED && prv_is_plain(&rec->image)) {
        /* a plain ST image (no manifest) knows nothing of wbota_confirm and has no counter */
        (void)wbota_rec_confirm(rec);
    }
    if (swap && prv_revert_copy_held(rec) && !confirm) {
        /* swap strategy: not confirmed after N boots, or its check fails: swap the old app back */
        wbota_err_t why = WBOTA_E_NOT_CONFIRMED;
        if (rec->test_boots < WBOTA_CFG_TEST_BOOTS) {
            why = st = prv_app_status(in, rec, full_allowed);
            st_known = true;
        }
        if (why != WBOTA_OK && why != WBOTA_E_STAY_REQUESTED) {
            prv_heavy_work(in);
            inst = in->swap->revert_cb(in, rec, why);
            st_known = false;
        }
    }
    if (rec->state == WBOTA_UPD_INSTALLING || rec->state == WBOTA_UPD_REVERTING) {
        st = (inst == WBOTA_OK) ? WBOTA_E_INSTALL : inst; /* never jump into a half copy */
    } else if (st_known) {
        /* the image in test was checked above */
    } else if (rec->state == WBOTA_UPD_INSTALLED && rec->test_boots >= WBOTA_CFG_TEST_BOOTS &&
               !confirm) {
        (void)wbota_rec_gave_up(rec, WBOTA_E_NOT_CONFIRMED);
        st = WBOTA_E_NOT_CONFIRMED;
    } else if (rec->state == WBOTA_UPD_GAVE_UP) {
        st = (rec->gave_up_reason != WBOTA_OK) ? rec->gave_up_reason : WBOTA_E_NOT_CONFIRMED;
    } else {
        st = prv_app_status(in, rec, full_allowed);
    }
    if (confirm && st == WBOTA_OK && rec->verdict_valid && rec->state != WBOTA_UPD_CONFIRMED) {
        (void)wbota_rec_confirm(rec); /* raises the counter; a cut is retried by the app */
    }

    memset(&bin, 0, sizeof bin);
    bin.reset_flags = in->reset_flags;
    memcpy(bin.mailbox, in->mailbox, sizeof bin.mailbox);
    bin.app_status = st;
    bin.app_start = wbota_app_start(&in->layout);
    bin.layout = in->layout;
    wbota_boot_decide(&bin, out);
    if (out->action == WBOTA_BOOT_JUMP && rec->state == WBOTA_UPD_INSTALLED) {
        (void)wbota_rec_boot(rec); /* counted before the jump: a crash cannot skip it */
    }
    if (out->action != WBOTA_BOOT_JUMP) {
        prv_plan_to_staging(&in->slots, &out->erase);
        prv_plan_keep_download(&in->slots, rec, &out->erase);
        if (prv_revert_copy_held(rec)) {
            out->erase.page_count = 0u; /* staging holds the previous app: keep it */
        }
        /* staging is the install's source: mark it as being rewritten first */
        if (out->erase.page_count > 0u && prv_staging_in_use(rec) &&
            wbota_rec_download(rec) != WBOTA_OK) {
            out->erase.page_count = 0u;
        }
    }
    if (app_status != NULL) {
        *app_status = st;
    }
}
