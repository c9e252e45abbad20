/* wb/isr.h - exception and interrupt handler names of the CPU1 vector table.
 * Owns: the names; firmware/chip/src/startup.c defines them all as weak aliases of
 * wb_isr_default (which resets the device: the loader never hangs in a fault). A module
 * handling an interrupt defines the strong version (time.c: wb_isr_systick; the CPU2 transport:
 * wb_isr_ipcc_c1_rx/tx, wb_isr_hsem). */
#ifndef WB_ISR_H
#define WB_ISR_H

void Reset_Handler(void);
void wb_isr_default(void);
void wb_isr_nmi(void);
void wb_isr_hardfault(void);
void wb_isr_memmanage(void);
void wb_isr_busfault(void);
void wb_isr_usagefault(void);
void wb_isr_svcall(void);
void wb_isr_debugmon(void);
void wb_isr_pendsv(void);
void wb_isr_systick(void);
void wb_isr_ipcc_c1_rx(void); /* IRQ 44 */
void wb_isr_ipcc_c1_tx(void); /* IRQ 45 */
void wb_isr_hsem(void);       /* IRQ 46 */

/* Called by Reset_Handler after .data/.bss are initialised, with the RCC_CSR value and the
 * first 8 bytes of SRAM1 (mailbox + loader status word) as they were at reset, before any
 * clock or peripheral set-up. Weak no-op by default; the loader's boot decision lives here and
 * may never return (jump to the app). */
void wb_startup_early_cb(uint32_t rcc_csr, const uint8_t sram_head[8]);

#endif
