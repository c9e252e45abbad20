/* wb/clock.h - system clock and RF wake-up clock set-up of the loader.
 * Owns: HSE 32 MHz as SYSCLK (OTP tuning, flash latency), LSE start, RCC_CSR.RFWKPSEL per
 * WBOTA_CFG_RFWKP (the RF wake-up trap logic is in wb/rfwkp.h), and the short HSE + PLL boost the
 * boot path uses to verify an image quickly. Called by loader main.c and the boot path. */
#ifndef WB_CLOCK_H
#define WB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/err.h"

typedef struct {
    uint32_t sysclk_hz;
    bool hse_ok;    /* HSE running and SYSCLK = HSE 32 MHz */
    bool hse_tuned; /* a tuning value was found in OTP and applied */
    uint8_t hse_tune;
    bool lse_ok;              /* LSE running (false on boards without one) */
    uint8_t rfwkp_in_force;   /* RCC_CSR.RFWKPSEL read back after the set-up (1 LSE, 3 HSE/1024) */
    bool ls_source_hse;       /* what BLE_INIT LsSource bit 2 must say */
    wbota_err_t rfwkp_status; /* WBOTA_OK or WBOTA_E_RFWKP_TRAP (fixed-LSE build, 11 stuck) */
} wb_clock_status_t;

/* Full loader clock set-up; rfwkp_mode is WBOTA_RFWKP_LSE / _HSE1024 / _ADAPTIVE
 * (loader_info.h; the build's WBOTA_CFG_RFWKP). Also restarts the time base for the new SYSCLK.
 * WBOTA_OK, or
 * WBOTA_E_TIMEOUT when the HSE did not start within WBOTA_CFG_HSE_TIMEOUT_MS (the system stays
 * on MSI 4 MHz; the radio cannot run without the HSE). st is always filled. */
wbota_err_t wb_clock_init(uint8_t rfwkp_mode, wb_clock_status_t *st);

/* RCC_CSR.RFWKPSEL now (0 none, 1 LSE, 3 HSE/1024). */
uint8_t wb_clock_rfwkpsel(void);

/* Boot path only (clocks at reset values): SYSCLK 64 MHz from HSE 32 MHz + PLL, 3 flash wait
 * states, CPU2's clock prescaler /2, so image verification (SHA-256, ECDSA) runs at the chip's
 * fastest clock; MSI 48 MHz with 2 wait states when the HSE does not start or the PLL does not
 * lock. Restore puts back the exact reset state before the jump (apps expect reset clocks, as
 * after ST's loader): SYSCLK = MSI 4 MHz, PLL and HSE off, PLLCFGR/EXTCFGR as found, 0 wait
 * states. Every wait is bounded; on a timeout the clock simply stays slower. Sequence and
 * figures: docs/porting.md#clocks-the-loader-sets. */
void wb_clock_boot_boost(void);
void wb_clock_boot_restore(void);

/* Radio running (SYSCLK = HSE 32 MHz, CPU2 started): SYSCLK 64 MHz from the HSE + PLL for a
 * long CPU job inside a connection (the image check at FE22 07), and back to the HSE after it.
 * The radio keeps its HSE; CPU2's HCLK2 stays at 32 MHz (C2HPRE /2 before the switch); the RCC
 * is changed under the RCC semaphore, as CPU2's firmware expects; the time base follows.
 * Boost: true when running at 64 MHz, false with nothing changed (not on the HSE, the
 * semaphore busy, the PLL not locking: every wait bounded). Restore: no-op when not boosted.
 * docs/porting.md#clocks-the-loader-sets. */
bool wb_clock_run_boost(void);
void wb_clock_run_restore(void);

#endif
