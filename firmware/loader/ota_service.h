/* ota_service.h - the loader's radio side: CPU2 + BLE bring-up, the OTA GATT service FE20
 * (FE22/FE23/FE24, exactly as ST's loader), the progressive erase plan, advertising
 * "STM_OTA", and the execution of the core OTA engine's outputs (FE23 indication, reboot,
 * FUS sequence for wireless images).
 * Called once by loader main.c after the boot decision said "stay" and the clocks are up.
 * Includes the core headers and the CPU2 transport headers only; no register access here. */
#ifndef WB_LOADER_OTA_SERVICE_H
#define WB_LOADER_OTA_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/config.h"
#include "wbota/crypto.h"
#include "wbota/err.h"
#include "wbota/image.h"
#include "wbota/layout.h"
#include "wbota/mailbox.h"
#include "wbota/records.h"
#include "wbota/staged.h"

/* Update mode WBOTA_CFG_STAGED: wbota/config.h */

/* 1: full verification of the app at every boot instead of verify once (firmware option
 * WBOTA_VERIFY_EVERY_BOOT, the wbota-loader-every-boot variant): no verdict kept or used. */
#ifndef WBOTA_CFG_VERIFY_EVERY_BOOT
#define WBOTA_CFG_VERIFY_EVERY_BOOT 0
#endif

/* RF wake-up source in force: the RCC_CSR.RFWKPSEL encoding (bits 15:14 shifted down). */
#define WB_RFWKP_SRC_NONE    0u
#define WB_RFWKP_SRC_LSE     1u
#define WB_RFWKP_SRC_HSE1024 3u

/* Timing options (WBOTA_CFG_LINK_STALL_MS, _IDLE_RETURN_MS, _CPU2_READY_MS,
 * _SESSION_MAX_MS, _ERROR_DISCONNECT_MS): wbota/config.h */

typedef struct {
    wbota_layout_t layout;      /* app start page and SFSA in force */
    wbota_policy_t policy;      /* st / signed */
    const wbota_trust_t *trust; /* keys for the signed policy (may be NULL for st) */
    wbota_erase_plan_t erase;   /* pages to erase before advertising ({0,0}: none) */
    uint8_t mailbox_mode;       /* WBOTA_MODE_LOADER (0x01) or WBOTA_MODE_CPU2_UPGRADE (0x02) */
    uint8_t rfwkp_in_force;     /* WB_RFWKP_SRC_LSE or WB_RFWKP_SRC_HSE1024 */
    bool app_valid;             /* a valid app is installed (idle return allowed) */
    wbota_records_t *records;   /* staged mode: the record log (NULL: st mode) */
    wbota_slots_t slots;        /* staged mode: the slots in force */
} wb_loader_radio_cfg_t;

/* Runs the loader's radio job. Never returns on success: it resets (mailbox {00, start, 00})
 * into the new app, after the FUS sequence, or when WBOTA_CFG_IDLE_RETURN_MS expired with a
 * valid app. Returns only to give up, with the reason: WBOTA_E_CPU2_NOT_READY,
 * WBOTA_E_CPU2_NO_RESPONSE (BLE_INIT unanswered: typically the RF wake-up trap),
 * WBOTA_E_CPU2_CMD (the stack refused a command, or no wireless stack installed),
 * WBOTA_E_TIMEOUT (FUS never finished), WBOTA_E_ARG. main.c records the reason in the loader
 * status word. CPU2 may already be booted then: go back to the app through a system reset
 * (mailbox 00), not a direct jump, so the app gets a CPU2 it can start itself. */
wbota_err_t wb_loader_radio_run(const wb_loader_radio_cfg_t *cfg);

#endif
