/* boot.c - the boot decision (wbota/boot.h). ST's table, row by row (docs/st-interface.md#mailbox),
 * with two differences: an app is jumped to only when the loader's verification said
 * WBOTA_OK, and a malformed erase request stays in the loader erasing nothing. */
#include "wbota/boot.h"

#include <string.h>

static void prv_jump(const wbota_boot_input_t *in, wbota_boot_decision_t *out)
{
    out->action = WBOTA_BOOT_JUMP;
    out->app_start = in->app_start;
    out->reason = WBOTA_OK;
    /* ST writes the mode byte only; the other two stay as the app left them. */
    out->mailbox_out[0] = WBOTA_MODE_APP;
    out->mailbox_out[1] = in->mailbox[1];
    out->mailbox_out[2] = in->mailbox[2];
}

/* App unusable: leave {01, app start, FF} behind so every later reset lands here too, and
 * clear the whole app region once the radio is up, as ST's loader does. */
static void prv_stay_invalid(const wbota_boot_input_t *in, wbota_boot_decision_t *out)
{
    wbota_mailbox_t stay = wbota_mailbox_stay_all(&in->layout);

    out->action = WBOTA_BOOT_STAY;
    /* A verdict that is not a wbota error code is a caller bug: still never jump. */
    out->reason = (in->app_status < 0) ? in->app_status : WBOTA_E_ARG;
    wbota_mailbox_encode(&stay, out->mailbox_out);
    if (wbota_mailbox_erase_plan(&stay, &in->layout, &out->erase) != WBOTA_OK) {
        out->erase.first_page = 0u;
        out->erase.page_count = 0u;
    }
}

static void prv_power_on(const wbota_boot_input_t *in, wbota_boot_decision_t *out)
{
    if (in->app_status == WBOTA_OK) {
        prv_jump(in, out);
    } else {
        prv_stay_invalid(in, out);
    }
}

void wbota_boot_decide(const wbota_boot_input_t *in, wbota_boot_decision_t *out)
{
    wbota_mailbox_t mb;
    wbota_err_t err;

    if (out == NULL) {
        return;
    }
    memset(out, 0, sizeof(*out));
    if (in == NULL) {
        out->action = WBOTA_BOOT_STAY;
        out->reason = wbota_err_arg();
        return;
    }
    out->app_start = in->app_start;

    /* Reset flags accumulate until power-on (ST never clears them), so the software path wins
     * whenever SFTRST or OBLRST is present, whatever else is set: as ST decides. */
    if ((in->reset_flags & (WBOTA_RESET_SOFTWARE | WBOTA_RESET_OPTION)) == 0u) {
        prv_power_on(in, out);
        return;
    }
    wbota_mailbox_decode(in->mailbox, &mb);
    switch (mb.mode) {
    case WBOTA_MODE_APP:
        if (in->app_status == WBOTA_OK) {
            prv_jump(in, out);
        } else {
            prv_stay_invalid(in, out);
        }
        return;
    case WBOTA_MODE_LOADER:
        out->action = WBOTA_BOOT_STAY;
        memcpy(out->mailbox_out, in->mailbox, WBOTA_MAILBOX_LEN);
        err = wbota_mailbox_erase_plan(&mb, &in->layout, &out->erase);
        /* A bad request erases nothing (the plan is {0,0} on error) and says why. */
        out->reason = (err == WBOTA_OK) ? WBOTA_E_STAY_REQUESTED : err;
        return;
    case WBOTA_MODE_CPU2_UPGRADE:
        out->action = WBOTA_BOOT_CPU2_UPGRADE;
        out->reason = WBOTA_E_STAY_CPU2_UPGRADE;
        memcpy(out->mailbox_out, in->mailbox, WBOTA_MAILBOX_LEN);
        return;
    default:
        prv_power_on(in, out); /* unknown mode: ST treats it as a power-up */
        return;
    }
}
