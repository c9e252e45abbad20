/* App kit, staged mode: confirm the running image and read the update status
 * (wbota_appkit.h, docs/staged.md#states). The record pages belong to the loader: the app only
 * reads them (through the flash driver's reader) and asks the loader to write. */
#include <string.h>

#include "wb/flash.h"
#include "wb/reset.h"
#include "wbota/layout.h"
#include "wbota/mailbox.h"
#include "wbota/rollback.h"
#include "wbota/staged.h"
#include "wbota_appkit.h"

wbota_err_t wbota_update_status_read(wbota_update_status_t *st)
{
    wbota_slots_t slots;
    wbota_records_t rec;
    uint32_t sfsa = wb_flash_sfsa();
    wbota_layout_t lay = wbota_layout_default(sfsa > WBOTA_PAGE_COUNT ? WBOTA_PAGE_COUNT : sfsa);

    memset(st, 0, sizeof *st);
    wbota_err_t err = wbota_slots_compute(&lay, &slots);
    if (err != WBOTA_OK) {
        return err;
    }
    /* open only reads: the port's erase/program are never called */
    const wbota_ota_flash_t port = wb_flash_ota_port();
    err = wbota_rec_open(&rec, &port, slots.record_page);
    if (err != WBOTA_OK) {
        return err;
    }
    st->staged = rec.have_page;
    st->state = rec.state;
    st->test_boots = rec.test_boots;
    st->counter = rec.counter;
#if WBOTA_CFG_RECORDS_AT_TOP
    /* the loader keeps a second copy in its last page and enforces the larger one */
    wbota_rollback_t page;
    if (wbota_rollback_open(&page, &port, lay.app_start_page - 1u) == WBOTA_OK &&
        page.value > st->counter) {
        st->counter = page.value;
    }
#endif
    st->last_stay_reason = rec.gave_up_reason;
    st->reverted = (rec.revert_reason != WBOTA_OK);
    st->revert_reason = rec.revert_reason;
    st->reverted_from_counter = rec.revert_from_counter;
    /* packed by the loader as major << 24 | minor << 16 | patch (wbota_rec_version_pack) */
    st->reverted_from.major = (uint8_t)(rec.revert_from_version >> 24);
    st->reverted_from.minor = (uint8_t)(rec.revert_from_version >> 16);
    st->reverted_from.patch = (uint16_t)rec.revert_from_version;
    return WBOTA_OK;
}

wbota_err_t wbota_confirm(void)
{
    wbota_update_status_t st;
    wbota_err_t err = wbota_update_status_read(&st);
    if (err != WBOTA_OK || st.state != WBOTA_UPD_INSTALLED) {
        return err;
    }
    volatile uint8_t *mb = (volatile uint8_t *)WBOTA_MAILBOX_ADDR;
    mb[0] = WBOTA_MODE_CONFIRM;
    mb[1] = 0u;
    mb[2] = 0u;
    wb_system_reset();
}
