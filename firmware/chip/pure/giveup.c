/* Loader give-up policy: see wb/giveup.h. Pure (host-testable). */
#include "wb/giveup.h"

#include "../include/wb/reset_flags.h"
#include "wbota/loader_info.h"

uint32_t wb_giveup_prev_attempts(uint32_t prev_status)
{
    uint8_t reason = 0u;
    uint8_t attempts = 0u;
    uint8_t flags = 0u;
    if (!wb_loader_status_decode(prev_status, &reason, &attempts, &flags) ||
        ((flags & WBOTA_LOADER_STATUS_F_GAVE_UP) != 0u)) {
        return 0u;
    }
    return attempts;
}

static bool prv_is_cpu2_error(wbota_err_t err)
{
    return (err == WBOTA_E_CPU2_NOT_READY) || (err == WBOTA_E_CPU2_NO_RESPONSE) ||
           (err == WBOTA_E_CPU2_CMD);
}

void wb_giveup_plan(const wb_giveup_in_t *in, wb_giveup_out_t *out)
{
    wbota_err_t reason = in->err;
    if (reason == WBOTA_OK) {
        reason = WBOTA_E_ARG; /* the radio job returns OK only to go back to a valid app */
    }
    if ((in->rfwkp_status != WBOTA_OK) && prv_is_cpu2_error(reason)) {
        reason = in->rfwkp_status; /* the fixed-clock loader fell into the RF wake-up trap */
    }
    const uint8_t code = (uint8_t)(-(int)reason);
    uint32_t attempts = wb_giveup_prev_attempts(in->prev_status) + 1u;
    if (attempts > 255u) {
        attempts = 255u;
    }
    out->reason = reason;
    out->attempts = attempts;
    out->status_after = 0u;
    out->pause_ms = 0u;
    if (in->app_valid) {
        out->action = WB_GIVEUP_RESET_TO_APP;
        out->status =
            wb_loader_status_encode(code, (uint8_t)attempts, WBOTA_LOADER_STATUS_F_GAVE_UP);
        return;
    }
    out->status = wb_loader_status_encode(code, (uint8_t)attempts, 0u);
    if (attempts < in->max_attempts) {
        out->action = WB_GIVEUP_RETRY;
        /* back-off 1 s, 2 s, 4 s ... capped at the long pause */
        const uint32_t shift = (attempts - 1u) > 16u ? 16u : (attempts - 1u);
        const uint32_t backoff = 1000u << shift;
        out->pause_ms = (backoff < in->long_pause_ms) ? backoff : in->long_pause_ms;
    } else {
        out->action = WB_GIVEUP_LONG_PAUSE;
        out->pause_ms = in->long_pause_ms;
        out->status_after = wb_loader_status_encode(code, 0u, 0u); /* a new round */
    }
}
