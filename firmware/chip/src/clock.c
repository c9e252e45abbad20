/* System clock and RF wake-up clock (see wb/clock.h). RM0434 RCC chapter (clocks) and FLASH chapter
 * (latency); docs/st-interface.md#rf-wakeup and ES0394 2.3.1 for RFWKPSEL. */
#include "wb/clock.h"

#include <string.h>

#include "wb/otp.h"
#include "wb/regs/flash.h"
#include "wb/regs/pwr.h"
#include "wb/regs/rcc.h"
#include "wb/rfwkp.h"
#include "wb/time.h"
#include "wb_board.h"
#include "wbota/loader_info.h"

_Static_assert(WBOTA_CFG_RFWKP_LSE == WBOTA_RFWKP_LSE, "RFWKP option numbers = info block");
_Static_assert(WBOTA_CFG_RFWKP_HSE1024 == WBOTA_RFWKP_HSE1024, "RFWKP option numbers");
_Static_assert(WBOTA_CFG_RFWKP_ADAPTIVE == WBOTA_RFWKP_ADAPTIVE, "RFWKP option numbers");

#define PRV_HSE_HZ        32000000u
#define PRV_MSI_RESET_HZ  4000000u
#define PRV_LATENCY_32MHZ 1u /* RM0434 table 9, range 1: 1 WS up to 36 MHz */
#define PRV_LATENCY_48MHZ 2u /* 2 WS up to 54 MHz */
/* Boot path (no time base yet): register polls, each far longer than a bus access */
#define PRV_BOOT_POLLS 100000u

static bool prv_set_latency(uint32_t ws)
{
    WB_FLASH->ACR = (WB_FLASH->ACR & ~WB_FLASH_ACR_LATENCY_Msk) | (ws << WB_FLASH_ACR_LATENCY_Pos);
    for (uint32_t i = 0; i < PRV_BOOT_POLLS; i++) {
        if ((WB_FLASH->ACR & WB_FLASH_ACR_LATENCY_Msk) == (ws << WB_FLASH_ACR_LATENCY_Pos)) {
            return true;
        }
    }
    return false;
}

static bool prv_msi_range(uint32_t range)
{
    WB_RCC->CR = (WB_RCC->CR & ~WB_RCC_CR_MSIRANGE_Msk) | (range << WB_RCC_CR_MSIRANGE_Pos);
    for (uint32_t i = 0; i < PRV_BOOT_POLLS; i++) {
        if ((WB_RCC->CR & WB_RCC_CR_MSIRDY_Msk) != 0u) {
            return true;
        }
    }
    return false;
}

static bool prv_on_msi(void)
{
    return ((WB_RCC->CFGR & WB_RCC_CFGR_SWS_Msk) >> WB_RCC_CFGR_SWS_Pos) == WB_RCC_SW_MSI;
}

void wb_clock_boot_boost(void)
{
    /* MSIRANGE may change only while MSI is ready (RM0434 RCC_CR.MSIRANGE) */
    if (!prv_on_msi() || ((WB_RCC->CR & WB_RCC_CR_MSIRDY_Msk) == 0u)) {
        return;
    }
    if (prv_set_latency(PRV_LATENCY_48MHZ)) {
        (void)prv_msi_range(WB_RCC_MSIRANGE_48MHZ);
    }
}

void wb_clock_boot_restore(void)
{
    if (!prv_on_msi()) {
        return;
    }
    /* lower the frequency first, then the wait states */
    if (prv_msi_range(WB_RCC_MSIRANGE_4MHZ)) {
        (void)prv_set_latency(0u);
    }
}

uint8_t wb_clock_rfwkpsel(void)
{
    return (uint8_t)((WB_RCC->CSR & WB_RCC_CSR_RFWKPSEL_Msk) >> WB_RCC_CSR_RFWKPSEL_Pos);
}

static bool prv_wait_set(volatile uint32_t *reg, uint32_t mask, uint32_t want, uint32_t ms)
{
    wb_deadline_t d = wb_deadline_in(ms);
    while ((*reg & mask) != want) {
        if (wb_deadline_expired(&d)) {
            return (*reg & mask) == want;
        }
    }
    return true;
}

static void prv_hse_tune(wb_clock_status_t *st)
{
    uint8_t tune;
    /* HSETUNE may be changed only while the HSE is off (RM0434 RCC_HSECR) */
    if ((WB_RCC->CR & WB_RCC_CR_HSEON_Msk) != 0u) {
        return;
    }
    if (!wb_otp_find_hse_tune((const uint8_t *)WB_OTP_BASE, WB_OTP_SIZE, &tune)) {
        return;
    }
    WB_RCC->HSECR = WB_RCC_HSECR_KEY;
    WB_RCC->HSECR =
        (WB_RCC->HSECR & ~WB_RCC_HSECR_HSETUNE_Msk) | ((uint32_t)tune << WB_RCC_HSECR_HSETUNE_Pos);
    st->hse_tuned = true;
    st->hse_tune = tune;
}

static bool prv_hse_sysclk(void)
{
    WB_RCC->CR &= ~WB_RCC_CR_HSEPRE_Msk; /* SYSCLK = HSE / 1 = 32 MHz */
    WB_RCC->CR |= WB_RCC_CR_HSEON_Msk;
    if (!prv_wait_set(&WB_RCC->CR, WB_RCC_CR_HSERDY_Msk, WB_RCC_CR_HSERDY_Msk,
                      WBOTA_CFG_HSE_TIMEOUT_MS)) {
        return false;
    }
    /* raise the wait states before the frequency */
    if (!prv_set_latency(PRV_LATENCY_32MHZ)) {
        return false;
    }
    WB_RCC->CFGR = (WB_RCC->CFGR & ~WB_RCC_CFGR_SW_Msk) | (WB_RCC_SW_HSE << WB_RCC_CFGR_SW_Pos);
    if (!prv_wait_set(&WB_RCC->CFGR, WB_RCC_CFGR_SWS_Msk, WB_RCC_SW_HSE << WB_RCC_CFGR_SWS_Pos,
                      WBOTA_CFG_HSE_TIMEOUT_MS)) {
        WB_RCC->CFGR &= ~WB_RCC_CFGR_SW_Msk; /* back to MSI */
        return false;
    }
    return true;
}

static bool prv_lse_start(void)
{
#if WB_BOARD_HAS_LSE
    /* RCC_BDCR is in the backup domain: writable only with PWR_CR1.DBP set */
    WB_PWR->CR1 |= WB_PWR_CR1_DBP_Msk;
    if (!prv_wait_set(&WB_PWR->CR1, WB_PWR_CR1_DBP_Msk, WB_PWR_CR1_DBP_Msk, 10u)) {
        return false;
    }
    /* The backup domain survives a system reset: an app may have started the LSE already */
    if ((WB_RCC->BDCR & WB_RCC_BDCR_LSERDY_Msk) == 0u) {
        WB_RCC->BDCR |= WB_RCC_BDCR_LSEON_Msk;
    }
    return prv_wait_set(&WB_RCC->BDCR, WB_RCC_BDCR_LSERDY_Msk, WB_RCC_BDCR_LSERDY_Msk,
                        WBOTA_CFG_LSE_TIMEOUT_MS);
#else
    return false;
#endif
}

static void prv_smps(void)
{
#if WB_BOARD_SMPS
    /* Step-down on with the factory-trimmed SMPSVOS left as loaded at reset and the SMPS clock
     * selection at its reset value (UNVERIFIED on silicon: see docs/porting.md). */
    WB_PWR->CR5 |= WB_PWR_CR5_SMPSEN_Msk;
#endif
}

wbota_err_t wb_clock_init(uint8_t rfwkp_mode, wb_clock_status_t *st)
{
    memset(st, 0, sizeof *st);
    st->sysclk_hz = PRV_MSI_RESET_HZ;
    st->rfwkp_status = WBOTA_OK;
    wb_time_init(PRV_MSI_RESET_HZ);

    prv_hse_tune(st);
    st->hse_ok = prv_hse_sysclk();
    if (st->hse_ok) {
        st->sysclk_hz = PRV_HSE_HZ;
        wb_time_init(PRV_HSE_HZ);
    }
    prv_smps();
    st->lse_ok = prv_lse_start();

    const uint8_t sel_now = wb_clock_rfwkpsel();
    st->rfwkp_in_force = sel_now;
    if (!st->hse_ok) {
        /* No radio without the HSE: write nothing that could stick (HSE/1024) */
        st->ls_source_hse = (sel_now == WB_RFWKPSEL_HSE1024);
        return WBOTA_E_TIMEOUT;
    }
    const wb_rfwkp_plan_t plan = wb_rfwkp_plan(rfwkp_mode, sel_now, st->lse_ok);
    if (plan.write_sel != WB_RFWKPSEL_KEEP) {
        WB_RCC->CSR = (WB_RCC->CSR & ~WB_RCC_CSR_RFWKPSEL_Msk) |
                      ((uint32_t)plan.write_sel << WB_RCC_CSR_RFWKPSEL_Pos);
    }
    st->rfwkp_in_force = wb_clock_rfwkpsel();
    st->rfwkp_status = plan.status;
    if (rfwkp_mode == WBOTA_RFWKP_ADAPTIVE) {
        /* adaptive: tell the stack what really is in force */
        st->ls_source_hse = (st->rfwkp_in_force == WB_RFWKPSEL_HSE1024);
    } else {
        st->ls_source_hse = plan.ls_source_hse; /* fixed: what the build says, like ST */
    }
    return WBOTA_OK;
}
