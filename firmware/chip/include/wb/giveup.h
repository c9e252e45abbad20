/* wb/giveup.h - what the loader does when its radio job gives up (pure, no registers).
 * Owns: the "never hang" policy of loader main.c as a pure function: which reason to record
 * (a CPU2 failure under a stuck RF wake-up clock becomes E_RFWKP_TRAP), the loader status word
 * to write, and whether to go back to a valid app, retry CPU2 start-up after a pause, or start
 * a long pause before a new round of attempts. Called by firmware/loader/main.c; host-tested. */
#ifndef WB_GIVEUP_H
#define WB_GIVEUP_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/err.h"

typedef enum {
    WB_GIVEUP_RESET_TO_APP = 0, /* mailbox {00,..}, reset: the boot path re-verifies and jumps */
    WB_GIVEUP_RETRY = 1,        /* show the code for pause_ms, reset (mailbox untouched) */
    WB_GIVEUP_LONG_PAUSE = 2,   /* show the code for pause_ms, then status_after, reset */
} wb_giveup_action_t;

typedef struct {
    bool app_valid;           /* the boot path verified the installed app */
    wbota_err_t err;          /* what wb_loader_radio_run (or the clock set-up) returned */
    wbota_err_t rfwkp_status; /* wb_clock_status_t.rfwkp_status */
    uint32_t prev_status;     /* loader status word as found at reset (0 if cleared) */
    uint32_t max_attempts;    /* WBOTA_CFG_CPU2_ATTEMPTS */
    uint32_t long_pause_ms;   /* WBOTA_CFG_CPU2_RETRY_PAUSE_MS */
} wb_giveup_in_t;

typedef struct {
    wb_giveup_action_t action;
    wbota_err_t reason;    /* recorded reason (never WBOTA_OK) */
    uint32_t attempts;     /* CPU2 start attempts of this round, this one included */
    uint32_t status;       /* status word to write now */
    uint32_t status_after; /* LONG_PAUSE: status word to write before the reset */
    uint32_t pause_ms;     /* RETRY / LONG_PAUSE */
} wb_giveup_out_t;

/* Attempts of the current round found in the status word at reset: 0 when there is no report
 * or the last report was a give-up back to the app (a new request starts a new round). */
uint32_t wb_giveup_prev_attempts(uint32_t prev_status);

void wb_giveup_plan(const wb_giveup_in_t *in, wb_giveup_out_t *out);

#endif
