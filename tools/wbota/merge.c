/* merge.c - loader + application production image (see merge.h). */
#include "merge.h"

#include <stdlib.h>
#include <string.h>

bool wbtool_loader_info_from(const wbtool_flat_t *fl, wbota_loader_info_t *li)
{
    if (fl->data == NULL || fl->base > WBOTA_LOADER_INFO_ADDR ||
        (uint64_t)WBOTA_LOADER_INFO_ADDR + WBOTA_LOADER_INFO_LEN > (uint64_t)fl->base + fl->len) {
        return false;
    }
    return wbota_loader_info_decode(fl->data + (WBOTA_LOADER_INFO_ADDR - fl->base), li) == WBOTA_OK;
}

/* A signed loader boots only apps signed by its key: refuse what would never run. */
static bool prv_app_signed_for(const wbtool_flat_t *fl, const wbota_layout_t *lay,
                               const wbota_loader_info_t *li, wbtool_report_t *rep)
{
    const uint32_t app = wbota_app_start(lay);
    wbota_buf_mem_t holder;
    wbota_image_info_t info;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, app, fl->data + (app - fl->base),
                                            (uint32_t)(fl->base + fl->len - app));
    memset(&info, 0, sizeof info);
    if (wbota_image_check_st(&mem, lay, &info) != WBOTA_OK ||
        wbota_image_find_manifest(&mem, lay, &info) != WBOTA_OK || !info.has_manifest ||
        !info.manifest.has_signature) {
        wbtool_report_add(rep, WBTOOL_CK_MANIFEST, WBTOOL_SEV_ERROR, app,
                          "the loader is signed (key id 0x%08X) and the application is not "
                          "signed: sign it with `wbota image create --key`",
                          (unsigned)li->key_id);
        return false;
    }
    if (!info.manifest.has_key_id || info.manifest.key_id != li->key_id) {
        wbtool_report_add(rep, WBTOOL_CK_MANIFEST, WBTOOL_SEV_ERROR, app,
                          "the application is signed by key id 0x%08X, the loader holds key id "
                          "0x%08X: it would never boot",
                          (unsigned)(info.manifest.has_key_id ? info.manifest.key_id : 0u),
                          (unsigned)li->key_id);
        return false;
    }
    return true;
}

wbota_err_t wbtool_merge(const wbtool_input_t *loader, const wbtool_input_t *app,
                         const wbota_layout_t *lay, wbtool_report_t *rep, wbtool_flat_t *out,
                         wbota_loader_info_t *li, bool *has_li)
{
    memset(out, 0, sizeof(*out));
    *has_li = false;
    uint32_t app_start = wbota_app_start(lay);
    const wbtool_memimg_t *lm = &loader->mem;
    const wbtool_memimg_t *am = &app->mem;
    if (wbtool_memimg_lo(lm) != WBOTA_FLASH_BASE) {
        wbtool_report_add(rep, WBTOOL_CK_LINK_ADDR, WBTOOL_SEV_ERROR, wbtool_memimg_lo(lm),
                          "loader starts at 0x%08X, must start at 0x08000000",
                          (unsigned)wbtool_memimg_lo(lm));
    }
    if (wbtool_memimg_hi(lm) > app_start) {
        wbtool_report_add(rep, WBTOOL_CK_TOO_LARGE, WBTOOL_SEV_ERROR, app_start,
                          "loader ends at 0x%08llX, past the app start 0x%08X (page %u): the "
                          "loader must fit in pages 0..%u",
                          (unsigned long long)wbtool_memimg_hi(lm), (unsigned)app_start,
                          (unsigned)lay->app_start_page, (unsigned)lay->app_start_page - 1u);
    }
    if (wbtool_memimg_lo(am) != app_start) {
        wbtool_report_add(rep, WBTOOL_CK_LINK_ADDR, WBTOOL_SEV_ERROR, wbtool_memimg_lo(am),
                          "application starts at 0x%08X, must start at 0x%08X (page %u)",
                          (unsigned)wbtool_memimg_lo(am), (unsigned)app_start,
                          (unsigned)lay->app_start_page);
    }
    if (wbtool_memimg_hi(am) > wbota_app_end(lay)) {
        wbtool_report_add(rep, WBTOOL_CK_CPU2_OVERLAP, WBTOOL_SEV_ERROR, wbota_app_end(lay),
                          "application ends at 0x%08llX, past the CPU2 area at 0x%08X (SFSA "
                          "0x%02X)",
                          (unsigned long long)wbtool_memimg_hi(am), (unsigned)wbota_app_end(lay),
                          (unsigned)lay->sfsa);
    }
    if (rep->errors > 0u) {
        return WBOTA_E_ARG;
    }
    uint32_t end = (uint32_t)wbtool_memimg_hi(am);
    out->base = WBOTA_FLASH_BASE;
    out->len = end - WBOTA_FLASH_BASE;
    out->data = malloc(out->len);
    if (out->data == NULL) {
        return WBOTA_E_IO;
    }
    uint8_t *l = wbtool_memimg_flatten(lm, WBOTA_FLASH_BASE, app_start);
    uint8_t *a = wbtool_memimg_flatten(am, app_start, end);
    if (l == NULL || a == NULL) {
        free(l);
        free(a);
        free(out->data);
        out->data = NULL;
        return WBOTA_E_IO;
    }
    memcpy(out->data, l, app_start - WBOTA_FLASH_BASE);
    memcpy(out->data + (app_start - WBOTA_FLASH_BASE), a, end - app_start);
    free(l);
    free(a);
    *has_li = wbtool_loader_info_from(out, li);
    if (*has_li && li->app_start_page != lay->app_start_page) {
        wbtool_report_add(rep, WBTOOL_CK_LINK_ADDR, WBTOOL_SEV_ERROR, WBOTA_LOADER_INFO_ADDR,
                          "loader expects the application at page %u, the layout says page %u: "
                          "pass --app-page %u",
                          (unsigned)li->app_start_page, (unsigned)lay->app_start_page,
                          (unsigned)li->app_start_page);
        free(out->data);
        out->data = NULL;
        return WBOTA_E_ARG;
    }
    if (*has_li && li->policy == WBOTA_POLICY_SIGNED && !prv_app_signed_for(out, lay, li, rep)) {
        free(out->data);
        out->data = NULL;
        return WBOTA_E_ARG;
    }
    if (!*has_li) {
        wbtool_report_add(rep, "loader-info", WBTOOL_SEV_WARN, WBOTA_LOADER_INFO_ADDR,
                          "no wbota loader information block at 0x%08X: not a wbota loader "
                          "(ST's BLE_Ota works too, but its layout cannot be checked)",
                          (unsigned)WBOTA_LOADER_INFO_ADDR);
    }
    return WBOTA_OK;
}

/* Keeps only the bytes of in within [lo, hi) (a merged image's app part). */
static wbota_err_t prv_clip(const wbtool_input_t *in, uint32_t lo, uint32_t hi, wbtool_input_t *out)
{
    memset(out, 0, sizeof(*out));
    wbtool_memimg_init(&out->mem);
    out->fmt = in->fmt;
    out->elf = in->elf;
    for (size_t i = 0u; i < in->mem.n; i++) {
        const wbtool_seg_t *s = &in->mem.segs[i];
        uint64_t a = s->addr > lo ? s->addr : lo;
        uint64_t b = (uint64_t)s->addr + s->len;
        if (b > hi) {
            b = hi;
        }
        if (b > a) {
            wbota_err_t err = wbtool_memimg_add(
                &out->mem, (uint32_t)a, in->mem.data + s->off + (a - s->addr), (uint32_t)(b - a));
            if (err != WBOTA_OK) {
                return err;
            }
        }
    }
    return wbtool_memimg_finalize(&out->mem);
}

/* The loader information block of the bytes at [base, base + window) of m, if any. */
static bool prv_info_at(const wbtool_memimg_t *m, uint32_t base, uint32_t window,
                        wbota_loader_info_t *li)
{
    wbtool_flat_t lf = {.base = WBOTA_FLASH_BASE, .len = window};
    lf.data = wbtool_memimg_flatten(m, base, base + window);
    bool ok = wbtool_loader_info_from(&lf, li);
    free(lf.data);
    return ok;
}

bool wbtool_merged_rebase_bin(wbtool_input_t *in)
{
    if (in->fmt != WBTOOL_FMT_BIN || in->mem.n == 0u) {
        return false;
    }
    uint32_t lo = wbtool_memimg_lo(&in->mem);
    wbota_loader_info_t li;
    if (lo == WBOTA_FLASH_BASE ||
        !prv_info_at(&in->mem, lo,
                     WBOTA_LOADER_INFO_ADDR + WBOTA_LOADER_INFO_LEN - WBOTA_FLASH_BASE, &li)) {
        return false;
    }
    uint64_t hi = wbtool_memimg_hi(&in->mem) - lo + WBOTA_FLASH_BASE;
    if (hi > (uint64_t)WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE) {
        return false;
    }
    for (size_t i = 0u; i < in->mem.n; i++) {
        in->mem.segs[i].addr = in->mem.segs[i].addr - lo + WBOTA_FLASH_BASE;
    }
    return true;
}

wbota_err_t wbtool_merged_split(const wbtool_input_t *in, const wbota_layout_t *lay,
                                wbtool_merged_t *out)
{
    memset(out, 0, sizeof(*out));
    uint32_t app_start = wbota_app_start(lay);
    if (in->mem.n == 0u || wbtool_memimg_lo(&in->mem) >= app_start ||
        wbtool_memimg_hi(&in->mem) <= app_start) {
        return WBOTA_OK;
    }
    out->merged = true;
    out->has_li = prv_info_at(&in->mem, WBOTA_FLASH_BASE, app_start - WBOTA_FLASH_BASE, &out->li);
    wbota_err_t err = prv_clip(in, app_start, 0xFFFFFFFFu, &out->app);
    if (err != WBOTA_OK) {
        wbtool_input_free(&out->app);
        out->merged = false;
    }
    return err;
}
