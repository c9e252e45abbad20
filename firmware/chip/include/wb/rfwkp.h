/* wb/rfwkp.h - choosing the radio low-speed (RF wake-up) clock: the RF wake-up trap logic.
 * Owns: the pure decision from (loader mode, RFWKPSEL in force, LSE running) to what to write
 * into RCC_CSR.RFWKPSEL and what BLE_INIT's LsSource must say. ES0394 2.3.1
 * (docs/st-interface.md#rf-wakeup): RFWKPSEL = 11 (HSE/1024) cannot be changed until a power-on
 * reset. clock.c applies the plan; unit tests check it on the host. No registers here. */
#ifndef WB_RFWKP_H
#define WB_RFWKP_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/err.h"

/* RCC_CSR.RFWKPSEL encodings (bits 15:14 shifted down). */
#define WB_RFWKPSEL_NONE    0u
#define WB_RFWKPSEL_LSE     1u
#define WB_RFWKPSEL_HSE1024 3u
#define WB_RFWKPSEL_KEEP    0xFFu /* plan: leave the register alone */

typedef struct {
    uint8_t write_sel;  /* value to write to RFWKPSEL, or WB_RFWKPSEL_KEEP */
    uint8_t expect_sel; /* what should be in force afterwards */
    bool ls_source_hse; /* BLE_INIT LsSource bit 2: the stack is told the clock is HSE/1024 */
    wbota_err_t status; /* WBOTA_OK, or WBOTA_E_RFWKP_TRAP: a fixed-LSE loader found 11 in
                           force; like ST it still writes LSE and tells the stack LSE, and the
                           bounded CPU2 waits catch the hang (the trap test relies on this) */
} wb_rfwkp_plan_t;

/* mode: WBOTA_RFWKP_LSE / _HSE1024 / _ADAPTIVE (loader_info.h). sel_now: RFWKPSEL as read.
 * lse_ready: the board has an LSE and it is running. Adaptive: 11 in force -> keep HSE/1024;
 * else LSE when ready; else HSE/1024 (which then sticks until power-on). Unknown mode ->
 * treated as adaptive with status WBOTA_E_ARG. */
wb_rfwkp_plan_t wb_rfwkp_plan(uint8_t mode, uint32_t sel_now, bool lse_ready);

#endif
