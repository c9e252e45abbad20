/* CPU1 start-up: vector table and Reset_Handler (ARMv7-M exception model; RM0434 table 71 for
 * the 63 external lines). Reset_Handler captures the reset cause and the SRAM1 head (mailbox
 * and loader status word) FIRST, then initialises .data/.bss - which is safe because every
 * wbota image links RAM from 0x20000008 (loader.ld asserts it), so neither ever overlaps the
 * 8 reserved bytes - and only then runs C code that may need .data/.bss (the crypto's static
 * pool lives in .bss). Clocks are still at reset values when wb_startup_early_cb runs. */
#include <stdint.h>

#include "wb/isr.h"
#include "wb/regs/rcc.h"
#include "wb/reset.h"
#include "wbota/layout.h"

extern uint32_t _estack;
/* linker script symbols: only their addresses mean something */
extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];

int main(void);

void wb_isr_default(void)
{
    /* A fault or unexpected interrupt must not hang the device: reset (SRAM1 keeps the
     * mailbox, so the boot decision runs again). */
    wb_system_reset();
}

__attribute__((weak)) void wb_startup_early_cb(uint32_t rcc_csr, const uint8_t sram_head[8])
{
    (void)rcc_csr;
    (void)sram_head;
}

#define PRV_WEAK __attribute__((weak, alias("wb_isr_default")))
void wb_isr_nmi(void) PRV_WEAK;
void wb_isr_hardfault(void) PRV_WEAK;
void wb_isr_memmanage(void) PRV_WEAK;
void wb_isr_busfault(void) PRV_WEAK;
void wb_isr_usagefault(void) PRV_WEAK;
void wb_isr_svcall(void) PRV_WEAK;
void wb_isr_debugmon(void) PRV_WEAK;
void wb_isr_pendsv(void) PRV_WEAK;
void wb_isr_systick(void) PRV_WEAK;
void wb_isr_ipcc_c1_rx(void) PRV_WEAK;
void wb_isr_ipcc_c1_tx(void) PRV_WEAK;
void wb_isr_hsem(void) PRV_WEAK;

typedef void (*prv_vector_t)(void);

#define PRV_VECTORS 79u /* 16 core + 63 external: 0x13C bytes, as ST's table */

__attribute__((section(".isr_vector"), used)) const prv_vector_t wb_vector_table[PRV_VECTORS] = {
    [0] = (prv_vector_t)(uintptr_t)&_estack,
    [1] = Reset_Handler,
    [2] = wb_isr_nmi,
    [3] = wb_isr_hardfault,
    [4] = wb_isr_memmanage,
    [5] = wb_isr_busfault,
    [6] = wb_isr_usagefault,
    [7 ... 10] = 0,
    [11] = wb_isr_svcall,
    [12] = wb_isr_debugmon,
    [13] = 0,
    [14] = wb_isr_pendsv,
    [15] = wb_isr_systick,
    [16 ... 16 + 43] = wb_isr_default,
    [16 + 44] = wb_isr_ipcc_c1_rx,
    [16 + 45] = wb_isr_ipcc_c1_tx,
    [16 + 46] = wb_isr_hsem,
    [16 + 47 ... 78] = wb_isr_default,
};

static void prv_init_ram(void)
{
    /* word counts from addresses: the bounds are distinct linker symbols, not one array */
    const uint32_t n_data = (uint32_t)((uintptr_t)_edata - (uintptr_t)_sdata) / 4u;
    const uint32_t n_bss = (uint32_t)((uintptr_t)_ebss - (uintptr_t)_sbss) / 4u;
    for (uint32_t i = 0; i < n_data; i++) {
        _sdata[i] = _sidata[i];
    }
    for (uint32_t i = 0; i < n_bss; i++) {
        _sbss[i] = 0u;
    }
}

void Reset_Handler(void)
{
    const uint32_t csr = WB_RCC->CSR;
    const volatile uint8_t *head = (const volatile uint8_t *)WBOTA_SRAM1_BASE;
    uint8_t sram_head[8];
    for (uint32_t i = 0; i < sizeof sram_head; i++) {
        sram_head[i] = head[i];
    }
    prv_init_ram();
    wb_startup_early_cb(csr, sram_head);
    (void)main();
    wb_system_reset();
}
