/* RF wake-up clock decision: see wb/rfwkp.h. Pure (host-testable). */
#include "wb/rfwkp.h"

#include "wbota/loader_info.h"

static wb_rfwkp_plan_t prv_use(uint8_t sel, bool write)
{
    wb_rfwkp_plan_t p;
    p.write_sel = write ? sel : (uint8_t)WB_RFWKPSEL_KEEP;
    p.expect_sel = sel;
    p.ls_source_hse = (sel == WB_RFWKPSEL_HSE1024);
    p.status = WBOTA_OK;
    return p;
}

wb_rfwkp_plan_t wb_rfwkp_plan(uint8_t mode, uint32_t sel_now, bool lse_ready)
{
    wb_rfwkp_plan_t p;
    sel_now &= 0x3u;
    switch (mode) {
    case WBOTA_RFWKP_LSE:
        /* ST behaviour, kept for users who want it and for the trap test: always select LSE.
         * When 11 is stuck the write does nothing and the radio cannot start. */
        p = prv_use(WB_RFWKPSEL_LSE, true);
        p.status = wbota_rfwkp_compatible(WBOTA_RFWKP_LSE, sel_now);
        if (p.status != WBOTA_OK) {
            p.expect_sel = (uint8_t)sel_now;
        }
        return p;
    case WBOTA_RFWKP_HSE1024:
        return prv_use(WB_RFWKPSEL_HSE1024, sel_now != WB_RFWKPSEL_HSE1024);
    case WBOTA_RFWKP_ADAPTIVE:
    default:
        if (sel_now == WB_RFWKPSEL_HSE1024) {
            p = prv_use(WB_RFWKPSEL_HSE1024, false); /* stuck: run the radio on it */
        } else if (lse_ready) {
            p = prv_use(WB_RFWKPSEL_LSE, sel_now != WB_RFWKPSEL_LSE);
        } else {
            p = prv_use(WB_RFWKPSEL_HSE1024, true);
        }
        if ((mode != WBOTA_RFWKP_ADAPTIVE)) {
            p.status = WBOTA_E_ARG;
        }
        return p;
    }
}
