/* System clock and RF wake-up clock (see wb/clock.h). RM0434 RCC chapter (clocks) and FLASH chapter
 * (latency); docs/st-interface.md#rf-wakeup and ES0394 2.3.1 for RFWKPSEL. */
#include "wb/clock.h"

#include <string.h>

#include "wb/otp.h"
#include "wb/regs/hsem.h"
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
#define PRV_LATENCY_64MHZ 3u /* 3 WS up to 64 MHz */
/* Boot PLL: HSE 32 MHz / M 4 = 8 MHz VCO input (2.66-16 MHz), x N 16 = 128 MHz VCO (96-344 MHz),
 * / R 2 = 64 MHz SYSCLK, the chip's maximum (RM0434 RCC PLL,
 * docs/porting.md#clocks-the-loader-sets). */
#define PRV_PLLCFGR_64MHZ                                                                          \
    ((WB_RCC_PLLSRC_HSE << WB_RCC_PLLCFGR_PLLSRC_Pos) | (3u << WB_RCC_PLLCFGR_PLLM_Pos) |          \
     (16u << WB_RCC_PLLCFGR_PLLN_Pos) | WB_RCC_PLLCFGR_PLLREN_Msk |                                \
     (1u << WB_RCC_PLLCFGR_PLLR_Pos))
#define PRV_C2HPRE_DIV2 8u /* CPU2's HCLK2 may not exceed 32 MHz */
/* Boot path (no time base yet): register polls, each far longer than a bus access */
#define PRV_BOOT_POLLS 100000u

/* Polls until (*reg & mask) == want, at most PRV_BOOT_POLLS reads (no time base at boot). */
static bool prv_poll(volatile uint32_t *reg, uint32_t mask, uint32_t want)
{
    for (uint32_t i = 0; i < PRV_BOOT_POLLS; i++) {
        if ((*reg & mask) == want) {
            return true;
        }
    }
    return false;
}

static uint32_t prv_sws(void)
{
    return (WB_RCC->CFGR & WB_RCC_CFGR_SWS_Msk) >> WB_RCC_CFGR_SWS_Pos;
}

static bool prv_set_latency(uint32_t ws)
{
    WB_FLASH->ACR = (WB_FLASH->ACR & ~WB_FLASH_ACR_LATENCY_Msk) | (ws << WB_FLASH_ACR_LATENCY_Pos);
    return prv_poll(&WB_FLASH->ACR, WB_FLASH_ACR_LATENCY_Msk, ws << WB_FLASH_ACR_LATENCY_Pos);
}

static bool prv_msi_range(uint32_t range)
{
    WB_RCC->CR = (WB_RCC->CR & ~WB_RCC_CR_MSIRANGE_Msk) | (range << WB_RCC_CR_MSIRANGE_Pos);
    return prv_poll(&WB_RCC->CR, WB_RCC_CR_MSIRDY_Msk, WB_RCC_CR_MSIRDY_Msk);
}

static bool prv_on_msi(void)
{
    return prv_sws() == WB_RCC_SW_MSI;
}

/* Register values the PLL path changes, put back by wb_clock_boot_restore. */
static uint32_t s_boot_pllcfgr;
static uint32_t s_boot_extcfgr;

static void prv_c2hpre(uint32_t extcfgr)
{
    WB_RCC->EXTCFGR = extcfgr;
    (void)prv_poll(&WB_RCC->EXTCFGR, WB_RCC_EXTCFGR_C2HPREF_Msk, WB_RCC_EXTCFGR_C2HPREF_Msk);
}

/* Stops what the PLL path started (SYSCLK must be MSI again): PLL, HSE, their settings. */
static void prv_pll_off(void)
{
    WB_RCC->CR &= ~(WB_RCC_CR_PLLON_Msk | WB_RCC_CR_HSEON_Msk);
    (void)prv_poll(&WB_RCC->CR, WB_RCC_CR_PLLRDY_Msk | WB_RCC_CR_HSERDY_Msk, 0u);
    WB_RCC->PLLCFGR = s_boot_pllcfgr;
    prv_c2hpre(s_boot_extcfgr);
}

/* HSE 32 MHz -> PLL 64 MHz as SYSCLK. false (and everything off again) when the HSE or the PLL
 * does not become ready within its bound. */
static bool prv_pll_64mhz(void)
{
    s_boot_pllcfgr = WB_RCC->PLLCFGR;
    s_boot_extcfgr = WB_RCC->EXTCFGR;
    WB_RCC->CR = (WB_RCC->CR & ~WB_RCC_CR_HSEPRE_Msk) | WB_RCC_CR_HSEON_Msk;
    if (!prv_poll(&WB_RCC->CR, WB_RCC_CR_HSERDY_Msk, WB_RCC_CR_HSERDY_Msk)) {
        prv_pll_off(); /* no crystal (or a broken one): the caller falls back to MSI */
        return false;
    }
    WB_RCC->PLLCFGR = PRV_PLLCFGR_64MHZ;
    WB_RCC->CR |= WB_RCC_CR_PLLON_Msk;
    if (!prv_poll(&WB_RCC->CR, WB_RCC_CR_PLLRDY_Msk, WB_RCC_CR_PLLRDY_Msk)) {
        prv_pll_off();
        return false;
    }
    /* CPU2 is held (C2BOOT = 0) but its clock follows SYSCLK: keep it within its 32 MHz.
     * Wait states up before the frequency. */
    prv_c2hpre((s_boot_extcfgr & ~WB_RCC_EXTCFGR_C2HPRE_Msk) |
               (PRV_C2HPRE_DIV2 << WB_RCC_EXTCFGR_C2HPRE_Pos));
    if (!prv_set_latency(PRV_LATENCY_64MHZ)) {
        prv_pll_off();
        return false;
    }
    WB_RCC->CFGR = (WB_RCC->CFGR & ~WB_RCC_CFGR_SW_Msk) | (WB_RCC_SW_PLL << WB_RCC_CFGR_SW_Pos);
    if (!prv_poll(&WB_RCC->CFGR, WB_RCC_CFGR_SWS_Msk, WB_RCC_SW_PLL << WB_RCC_CFGR_SWS_Pos)) {
        WB_RCC->CFGR &= ~WB_RCC_CFGR_SW_Msk;
        (void)prv_poll(&WB_RCC->CFGR, WB_RCC_CFGR_SWS_Msk, 0u);
        prv_pll_off();
        (void)prv_set_latency(0u);
        return false;
    }
    return true;
}

void wb_clock_boot_boost(void)
{
    /* Only from the reset state: SYSCLK = MSI, MSI ready */
    if (!prv_on_msi() || ((WB_RCC->CR & WB_RCC_CR_MSIRDY_Msk) == 0u)) {
        return;
    }
    if (prv_pll_64mhz()) {
        wb_time_set_hclk(64000000u);
        return;
    }
    /* No HSE: MSI 48 MHz (MSIRANGE may change only while MSI is ready, RM0434 RCC_CR) */
    if (prv_set_latency(PRV_LATENCY_48MHZ) && prv_msi_range(WB_RCC_MSIRANGE_48MHZ)) {
        wb_time_set_hclk(48000000u);
    }
}

__attribute__((noinline)) void wb_clock_boot_restore(void)
{
    if (prv_sws() == WB_RCC_SW_PLL) {
        /* MSI kept running at its reset range 4 MHz: switch back, then stop the PLL path */
        WB_RCC->CFGR &= ~WB_RCC_CFGR_SW_Msk;
        if (!prv_poll(&WB_RCC->CFGR, WB_RCC_CFGR_SWS_Msk, 0u)) {
            return; /* still on the PLL: leave the wait states where they are safe */
        }
        prv_pll_off();
        (void)prv_set_latency(0u);
        wb_time_set_hclk(PRV_MSI_RESET_HZ);
        return;
    }
    if (!prv_on_msi()) {
        return;
    }
    /* lower the frequency first, then the wait states */
    if (prv_msi_range(WB_RCC_MSIRANGE_4MHZ)) {
        (void)prv_set_latency(0u);
        wb_time_set_hclk(PRV_MSI_RESET_HZ);
    }
}

/* Radio-time boost (wb/clock.h): RCC changes while CPU2 runs are made under the RCC semaphore,
 * a 1-step lock tried a bounded number of times (CPU2 holds it only around its own short RCC
 * updates). */
#define PRV_RCC_SEM_TRIES 1000u
static uint32_t s_run_pllcfgr;
static uint32_t s_run_extcfgr;

static bool prv_rcc_sem_take(void)
{
    for (uint32_t i = 0u; i < PRV_RCC_SEM_TRIES; i++) {
        if (WB_HSEM->RLR[WB_HSEM_ID_RCC] == WB_HSEM_CPU1_LOCKED) {
            return true;
        }
    }
    return false;
}

static void prv_rcc_sem_give(void)
{
    WB_HSEM->R[WB_HSEM_ID_RCC] = WB_HSEM_CPU1_RELEASE;
}

/* PLL 64 MHz -> HSE 32 MHz, the order of the boost reversed; the PLL stops, the HSE (the
 * radio's clock) keeps running. */
static void prv_run_back_to_hse(void)
{
    WB_RCC->CFGR = (WB_RCC->CFGR & ~WB_RCC_CFGR_SW_Msk) | (WB_RCC_SW_HSE << WB_RCC_CFGR_SW_Pos);
    if (!prv_poll(&WB_RCC->CFGR, WB_RCC_CFGR_SWS_Msk, WB_RCC_SW_HSE << WB_RCC_CFGR_SWS_Pos)) {
        return; /* still on the PLL: leave wait states and prescaler where they are safe */
    }
    (void)prv_set_latency(PRV_LATENCY_32MHZ);
    prv_c2hpre(s_run_extcfgr);
    WB_RCC->CR &= ~WB_RCC_CR_PLLON_Msk;
    (void)prv_poll(&WB_RCC->CR, WB_RCC_CR_PLLRDY_Msk, 0u);
    WB_RCC->PLLCFGR = s_run_pllcfgr;
}

/* Out of line, as wb_clock_boot_restore: inlined into the loader's one caller they cost 16-24 B
 * of loader flash (docs/benchmarks.md#loader-size-3). */
__attribute__((noinline)) bool wb_clock_run_boost(void)
{
    if ((prv_sws() != WB_RCC_SW_HSE) || !prv_rcc_sem_take()) {
        return false;
    }
    s_run_pllcfgr = WB_RCC->PLLCFGR;
    s_run_extcfgr = WB_RCC->EXTCFGR;
    bool ok = false;
    WB_RCC->PLLCFGR = PRV_PLLCFGR_64MHZ;
    WB_RCC->CR |= WB_RCC_CR_PLLON_Msk;
    if (prv_poll(&WB_RCC->CR, WB_RCC_CR_PLLRDY_Msk, WB_RCC_CR_PLLRDY_Msk)) {
        /* CPU2 runs: its HCLK2 halves first (32 MHz max), wait states up before the frequency */
        prv_c2hpre((s_run_extcfgr & ~WB_RCC_EXTCFGR_C2HPRE_Msk) |
                   (PRV_C2HPRE_DIV2 << WB_RCC_EXTCFGR_C2HPRE_Pos));
        if (prv_set_latency(PRV_LATENCY_64MHZ)) {
            WB_RCC->CFGR =
                (WB_RCC->CFGR & ~WB_RCC_CFGR_SW_Msk) | (WB_RCC_SW_PLL << WB_RCC_CFGR_SW_Pos);
            ok = prv_poll(&WB_RCC->CFGR, WB_RCC_CFGR_SWS_Msk, WB_RCC_SW_PLL << WB_RCC_CFGR_SWS_Pos);
        }
    }
    if (ok) {
        wb_time_init(2u * PRV_HSE_HZ);
    } else {
        prv_run_back_to_hse(); /* everything as before, on the HSE */
    }
    prv_rcc_sem_give();
    return ok;
}

void wb_clock_run_restore(void)
{
    if ((prv_sws() != WB_RCC_SW_PLL) || !prv_rcc_sem_take()) {
        return; /* not boosted, or the RCC is busy: 64 MHz is a valid clock to stay at */
    }
    prv_run_back_to_hse();
    if (prv_sws() == WB_RCC_SW_HSE) {
        wb_time_init(PRV_HSE_HZ);
    }
    prv_rcc_sem_give();
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
