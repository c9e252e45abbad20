/* wb/reset.h - resets, reset cause, interrupt masking and the jump to an application.
 * Owns: SCB AIRCR system reset, RCC_CSR reset flags (read and RMVF clear), the VTOR/MSP/PC
 * hand-over to an image, and PRIMASK helpers. Used by the loader, the CPU2 transport and the
 * app kit. */
#ifndef WB_RESET_H
#define WB_RESET_H

#include <stdint.h>

/* System reset via SCB AIRCR.SYSRESETREQ. SRAM1 (mailbox, status word) survives. */
void wb_system_reset(void) __attribute__((noreturn));
/* RCC_CSR as read now (reset flags in bits 25-31, RFWKPSEL in 15:14). */
uint32_t wb_reset_csr(void);
/* WBOTA_RESET_* flags of RCC_CSR now (see wb/reset_flags.h for the mapping). */
uint32_t wb_reset_flags(void);
/* Clears all RCC_CSR reset flags (RMVF). */
void wb_reset_flags_clear(void);

/* VTOR = base, MSP = word at base, branch to word at base + 4. SysTick is stopped first. The
 * caller has checked the image (wbota_image_verify). */
void wb_jump_to_app(uint32_t base) __attribute__((noreturn));

/* PRIMASK save/restore: nested-safe interrupt masking. */
static inline uint32_t wb_irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}
static inline void wb_irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

#endif
