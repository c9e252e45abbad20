/* App kit: the pure decisions (host-tested by tests/unit/test_wb_appkit.c). */
#include "../include/wbota_appkit.h"

#include "wbota/bytes.h"
#include "wbota/layout.h"

wbota_err_t wbota_reboot_check(const uint8_t *value, size_t len, const uint8_t loader_head[8],
                               const uint8_t info[WBOTA_LOADER_INFO_LEN], uint32_t sfsa,
                               uint32_t rfwkpsel, wbota_mailbox_t *mb)
{
    /* the value comes from whoever is connected over the air */
    if (value == NULL || len != WBOTA_FE11_LEN) {
        return WBOTA_E_OTA_LEN;
    }
    wbota_mailbox_decode(value, mb);
    if (mb->mode != WBOTA_MODE_APP && mb->mode != WBOTA_MODE_LOADER) {
        return WBOTA_E_MAILBOX_MODE; /* 0x02 is the loader's own state, never an app request */
    }
    uint32_t sp = wbota_get_le32(&loader_head[0]);
    uint32_t reset = wbota_get_le32(&loader_head[4]);
    if (sp == 0xFFFFFFFFu || reset == 0xFFFFFFFFu || sp == 0u) {
        return WBOTA_E_NO_LOADER;
    }
    wbota_loader_info_t li;
    uint8_t rf_mode = WBOTA_RFWKP_LSE; /* ST's loader: LSE, fixed */
    wbota_layout_t lay = wbota_layout_default(sfsa);
    if (wbota_loader_info_decode(info, &li) == WBOTA_OK) {
        rf_mode = li.rfwkp_mode;
        lay.app_start_page = li.app_start_page;
    }
    if (mb->mode == WBOTA_MODE_LOADER) {
        wbota_erase_plan_t plan;
        wbota_err_t err = wbota_mailbox_erase_plan(mb, &lay, &plan);
        if (err != WBOTA_OK) {
            return err;
        }
        /* a plain reboot (00) does not start the radio: only 01 can hit the trap */
        err = wbota_rfwkp_compatible(rf_mode, rfwkpsel);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    return WBOTA_OK;
}

void wbota_loader_status_decode(const uint8_t raw[4], wbota_loader_status_t *st)
{
    st->present = raw[0] == WBOTA_LOADER_STATUS_MARK;
    st->reason = WBOTA_OK;
    st->attempts = 0u;
    st->gave_up = false;
    if (!st->present) {
        return;
    }
    st->reason = (wbota_err_t)(-(int)raw[1]);
    st->attempts = raw[2];
    st->gave_up = (raw[3] & WBOTA_LOADER_STATUS_F_GAVE_UP) != 0u;
}
