/* chip_selftest.c - self-checking firmware for the chip port, run on the emulator (or a board).
 * Owns: nothing; it exercises the flash driver (ranges, alignment, erase/program/read-back,
 * the CPU2 semaphore protocol after C2BOOT, the bounded Sem 7 wait), the masked-interrupt time
 * accounting, deadlines, and the RF wake-up clock logic against the RCC model (RFWKPSEL stuck
 * at HSE/1024 after it was written, ES0394 2.3.1). Expected values are written here from the
 * reference, not taken from the driver.
 * Result: every step writes (step << 8 | -result) to GPIOA_ODR (visible with --trace periph).
 * Pass: SysTick stopped and WFI with nothing to wake the CPU (`wbota-emu --exit-on-idle` exits
 * 0). Fail: an undefined instruction (the emulator reports a fault, exit status 2).
 * Usage: wbota-emu --flash build/firmware/wb-chip-selftest.elf --exit-on-idle --max-time-us
 * 10000000 */
#include <stdint.h>
#include <string.h>

#include "wb/clock.h"
#include "wb/flash.h"
#include "wb/regs/gpio.h"
#include "wb/regs/hsem.h"
#include "wb/regs/pwr.h"
#include "wb/regs/rcc.h"
#include "wb/regs/systick.h"
#include "wb/reset.h"
#include "wb/time.h"
#include "wbota/loader_info.h"

static uint32_t s_step;

static void prv_fail(void)
{
    __asm volatile("udf #0");
    for (;;) {
    }
}

static void prv_expect(int got, int want)
{
    s_step++;
    WB_GPIO(WB_GPIO_PORT_A)->ODR = (s_step << 8) | (uint32_t)(uint8_t)(-got);
    if (got != want) {
        prv_fail();
    }
}

/* The last page of loader code: below the staged record pages when they are the last loader
 * pages (docs/memory-layout.md), else the page below the app start. */
#define PRV_LAST_CODE_PAGE                                                                         \
    (WBOTA_CFG_APP_START_PAGE - 1u - (WBOTA_CFG_RECORDS_AT_TOP ? 0u : WBOTA_CFG_RECORD_PAGES))

static void prv_flash(void)
{
    const uint8_t dw[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t rb[8];
    const uint32_t app = 0x08007000u; /* page 7 */
    prv_expect(wb_flash_erase_page(7u), WBOTA_OK);
    prv_expect(wb_flash_program_dw(app, dw), WBOTA_OK);
    prv_expect(wb_flash_read(app, rb, 8u), WBOTA_OK);
    prv_expect(memcmp(rb, dw, 8u) == 0 ? 0 : -1, 0);
    /* the driver does not re-check blankness (the core does): the controller refuses */
    prv_expect(wb_flash_program_dw(app, dw), WBOTA_E_FLASH_PROG);
    prv_expect(wb_flash_program_dw(app + 4u, dw), WBOTA_E_ALIGN);
    prv_expect(wb_flash_erase_page(PRV_LAST_CODE_PAGE), WBOTA_E_RANGE); /* loader page */
    prv_expect(wb_flash_erase_page(0u), WBOTA_E_RANGE);                 /* loader page */
    prv_expect(wb_flash_program_dw(0x08000FF8u + PRV_LAST_CODE_PAGE * 0x1000u, dw), WBOTA_E_RANGE);
    prv_expect(wb_flash_erase_page(wb_flash_sfsa()), WBOTA_E_RANGE); /* CPU2 area */
    prv_expect(wb_flash_erase_page(7u), WBOTA_OK);
    prv_expect(wb_flash_read(app, rb, 8u), WBOTA_OK);
    prv_expect((rb[0] == 0xFFu && rb[7] == 0xFFu) ? 0 : -1, 0);

    /* a page erase (~22 ms) runs with interrupts masked: the ms counter must still advance */
    const uint32_t t0 = wb_time_ms();
    prv_expect(wb_flash_erase_page(8u), WBOTA_OK);
    const uint32_t dt = wb_time_ms() - t0;
    prv_expect((dt >= 10u && dt <= 60u) ? 0 : -1, 0);

    /* CPU2 "running": the per-operation Sem 7 protocol is used, and released afterwards */
    WB_PWR->CR4 |= WB_PWR_CR4_C2BOOT_Msk;
    prv_expect(wb_flash_erase_page(9u), WBOTA_OK);
    prv_expect(wb_flash_program_dw(0x08009000u, dw), WBOTA_OK);
    prv_expect((WB_HSEM->R[7] & WB_HSEM_R_LOCK_Msk) == 0u ? 0 : -1, 0);
    prv_expect((WB_HSEM->R[2] & WB_HSEM_R_LOCK_Msk) == 0u ? 0 : -1, 0);

    /* Sem 7 held by another owner (2-step lock, PROCID 1): bounded wait, then E_SEM_BUSY */
    WB_HSEM->R[7] = WB_HSEM_R_LOCK_Msk | (WB_HSEM_COREID_CPU1 << WB_HSEM_R_COREID_Pos) | 1u;
    const uint32_t t1 = wb_time_ms();
    prv_expect(wb_flash_program_dw(0x08009008u, dw), WBOTA_E_SEM_BUSY);
    const uint32_t dt1 = wb_time_ms() - t1;
    prv_expect((dt1 >= 1900u && dt1 <= 2500u) ? 0 : -1, 0);
    prv_expect((WB_HSEM->R[2] & WB_HSEM_R_LOCK_Msk) == 0u ? 0 : -1, 0); /* Sem 2 given back */
    WB_HSEM->R[7] = (WB_HSEM_COREID_CPU1 << WB_HSEM_R_COREID_Pos) | 1u; /* release */
    prv_expect(wb_flash_program_dw(0x08009008u, dw), WBOTA_OK);
}

static void prv_clock(void)
{
    wb_clock_status_t st;
    /* after power-on RFWKPSEL = 00: adaptive selects LSE (the board has one) */
    prv_expect(wb_clock_init(WBOTA_RFWKP_ADAPTIVE, &st), WBOTA_OK);
    prv_expect(st.hse_ok ? 0 : -1, 0);
    prv_expect(st.lse_ok ? 0 : -1, 0);
    prv_expect((int)st.rfwkp_in_force, 1);
    prv_expect(st.ls_source_hse ? -1 : 0, 0);

    /* an app selects HSE/1024 (sticks until power-on) */
    WB_RCC->CSR = (WB_RCC->CSR & ~WB_RCC_CSR_RFWKPSEL_Msk) | (3u << WB_RCC_CSR_RFWKPSEL_Pos);
    prv_expect((int)wb_clock_rfwkpsel(), 3);

    /* fixed-LSE loader: tries LSE like ST, nothing changes, the trap is reported */
    prv_expect(wb_clock_init(WBOTA_RFWKP_LSE, &st), WBOTA_OK);
    prv_expect((int)st.rfwkp_in_force, 3);
    prv_expect(st.rfwkp_status, WBOTA_E_RFWKP_TRAP);
    prv_expect(st.ls_source_hse ? -1 : 0, 0); /* it tells the stack LSE: the trap */

    /* adaptive loader: follows HSE/1024 and tells the stack so */
    prv_expect(wb_clock_init(WBOTA_RFWKP_ADAPTIVE, &st), WBOTA_OK);
    prv_expect((int)st.rfwkp_in_force, 3);
    prv_expect(st.rfwkp_status, WBOTA_OK);
    prv_expect(st.ls_source_hse ? 0 : -1, 0);
}

int main(void)
{
    WB_RCC->AHB2ENR |= WB_RCC_AHB2ENR_GPIOAEN_Msk;
    wb_time_init(4000000u);

    wb_deadline_t d = wb_deadline_in(50u);
    const uint32_t t0 = wb_time_ms();
    while (!wb_deadline_expired(&d)) {
        wb_idle();
    }
    const uint32_t dt = wb_time_ms() - t0;
    prv_expect((dt >= 50u && dt <= 52u) ? 0 : -1, 0);

    prv_flash();
    prv_clock();

    /* pass: nothing left to wake the CPU */
    WB_SYSTICK->CSR = 0u;
    s_step = 0xFFu;
    WB_GPIO(WB_GPIO_PORT_A)->ODR = 0xFF00u;
    for (;;) {
        wb_idle();
    }
}
