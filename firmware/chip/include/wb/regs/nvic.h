/* wb/regs/nvic.h - Cortex-M4 nested vectored interrupt controller (ARMv7-M ARM B3.4).
 * Owns: NVIC register layout (enable/pending/priority banks). Used by the CPU2 transport to
 * enable IPCC lines. Register description only. */
#ifndef WB_REGS_NVIC_H
#define WB_REGS_NVIC_H

#include <stddef.h>
#include <stdint.h>

#define WB_NVIC_BASE 0xE000E100u

typedef struct {
    volatile uint32_t ISER[8]; /* 0x000 set-enable (write 1 sets) */
    uint32_t reserved020[24];
    volatile uint32_t ICER[8]; /* 0x080 clear-enable (write 1 clears) */
    uint32_t reserved0a0[24];
    volatile uint32_t ISPR[8]; /* 0x100 set-pending */
    uint32_t reserved120[24];
    volatile uint32_t ICPR[8]; /* 0x180 clear-pending */
    uint32_t reserved1a0[24];
    volatile uint32_t IABR[8]; /* 0x200 active (ro) */
    uint32_t reserved220[56];
    volatile uint8_t IPR[240]; /* 0x300 priority, byte per IRQ (top 4 bits implemented) */
} wb_nvic_regs_t;

_Static_assert(offsetof(wb_nvic_regs_t, ICER) == 0x080, "NVIC_ICER");
_Static_assert(offsetof(wb_nvic_regs_t, ICPR) == 0x180, "NVIC_ICPR");
_Static_assert(offsetof(wb_nvic_regs_t, IPR) == 0x300, "NVIC_IPR");

#define WB_NVIC ((wb_nvic_regs_t *)WB_NVIC_BASE)

#define WB_NVIC_IRQ_COUNT 63u /* STM32WB55 CPU1: 63 external lines, 79-word vector table */

static inline void wb_nvic_enable(uint32_t irq)
{
    WB_NVIC->ISER[irq >> 5] = 1u << (irq & 31u);
}
static inline void wb_nvic_disable(uint32_t irq)
{
    WB_NVIC->ICER[irq >> 5] = 1u << (irq & 31u);
}

#endif
