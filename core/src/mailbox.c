/* mailbox.c - the SRAM1 boot request and its erase plan (wbota/mailbox.h).
 * The three bytes are written by whatever application ran last, so they are hostile: a plan
 * never reaches a loader page (ST accepts page 6, its own last page) nor the CPU2 area, and a
 * bad request is reported, not silently replaced by a guess. */
#include "wbota/mailbox.h"

void wbota_mailbox_decode(const uint8_t raw[WBOTA_MAILBOX_LEN], wbota_mailbox_t *out)
{
    out->mode = raw[0];
    out->first_page = raw[1];
    out->page_count = raw[2];
}

void wbota_mailbox_encode(const wbota_mailbox_t *mb, uint8_t raw[WBOTA_MAILBOX_LEN])
{
    raw[0] = mb->mode;
    raw[1] = mb->first_page;
    raw[2] = mb->page_count;
}

wbota_err_t wbota_mailbox_check_mode(const wbota_mailbox_t *mb)
{
    if (mb == 0) {
        return wbota_err_arg();
    }
    switch (mb->mode) {
    case WBOTA_MODE_APP:
    case WBOTA_MODE_LOADER:
    case WBOTA_MODE_CPU2_UPGRADE:
        return WBOTA_OK;
    default:
        return WBOTA_E_MAILBOX_MODE;
    }
}

wbota_err_t wbota_mailbox_erase_plan(const wbota_mailbox_t *mb, const wbota_layout_t *lay,
                                     wbota_erase_plan_t *plan)
{
    uint32_t first;
    uint32_t avail;
    uint32_t count;
    wbota_err_t err;

    if (plan == 0) {
        return wbota_err_arg();
    }
    plan->first_page = 0u;
    plan->page_count = 0u;
    if (mb == 0) {
        return wbota_err_arg();
    }
    err = wbota_layout_check(lay);
    if (err != WBOTA_OK) {
        return err;
    }
    if (mb->mode != WBOTA_MODE_LOADER) {
        return WBOTA_E_MAILBOX_MODE;
    }
    first = mb->first_page;
    if (wbota_is_loader_page(lay, first) || first >= lay->sfsa) {
        return WBOTA_E_MAILBOX_PAGE;
    }
    if (mb->page_count == 0u) {
        return WBOTA_E_MAILBOX_EMPTY;
    }
    avail = lay->sfsa - first;
    count = (mb->page_count == WBOTA_PAGES_ALL || mb->page_count > avail) ? avail : mb->page_count;
    plan->first_page = first;
    plan->page_count = count;
    return WBOTA_OK;
}

wbota_mailbox_t wbota_mailbox_stay_all(const wbota_layout_t *lay)
{
    wbota_mailbox_t mb;
    mb.mode = WBOTA_MODE_LOADER;
    mb.first_page = (uint8_t)lay->app_start_page;
    mb.page_count = WBOTA_PAGES_ALL;
    return mb;
}
