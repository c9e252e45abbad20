/* wb/regs/ipcc.h - STM32WB55 inter-processor communication controller.
 * Source: RM0434, chapter "Inter-processor communication controller (IPCC)", IPCC registers.
 * Owns: the IPCC register layout (CPU1 and CPU2 halves) and bit names. Used by the CPU2
 * transport (firmware/cpu2). Channel n (1..6) is bit n-1 in the low half-words and bit
 * 16+n-1 in the high half-words. Register description only. */
#ifndef WB_REGS_IPCC_H
#define WB_REGS_IPCC_H

#include <stddef.h>
#include <stdint.h>

#define WB_IPCC_BASE 0x58000C00u /* RM0434 memory map, AHB4 IPCC */

typedef struct {
    volatile uint32_t C1CR;     /* 0x00 CPU1 control: RXOIE bit 0, TXFIE bit 16 */
    volatile uint32_t C1MR;     /* 0x04 CPU1 mask: CHnOM bits 0-5 (rx), CHnFM bits 16-21 (tx) */
    volatile uint32_t C1SCR;    /* 0x08 CPU1 status set/clear (wo): CHnC clears CPU2's flag
                                   (rx done), CHnS sets CPU1's flag (tx occupied) */
    volatile uint32_t C1TOC2SR; /* 0x0C CPU1 -> CPU2 status (ro): 1 = channel occupied */
    volatile uint32_t C2CR;     /* 0x10 CPU2 control */
    volatile uint32_t C2MR;     /* 0x14 CPU2 mask */
    volatile uint32_t C2SCR;    /* 0x18 CPU2 status set/clear (wo) */
    volatile uint32_t C2TOC1SR; /* 0x1C CPU2 -> CPU1 status (ro): 1 = message for CPU1 */
} wb_ipcc_regs_t;

_Static_assert(offsetof(wb_ipcc_regs_t, C1TOC2SR) == 0x0C, "IPCC_C1TOC2SR");
_Static_assert(offsetof(wb_ipcc_regs_t, C2TOC1SR) == 0x1C, "IPCC_C2TOC1SR");

#define WB_IPCC ((wb_ipcc_regs_t *)WB_IPCC_BASE)

#define WB_IPCC_CR_RXOIE_Pos 0u
#define WB_IPCC_CR_RXOIE_Msk (1u << WB_IPCC_CR_RXOIE_Pos)
#define WB_IPCC_CR_TXFIE_Pos 16u
#define WB_IPCC_CR_TXFIE_Msk (1u << WB_IPCC_CR_TXFIE_Pos)

/* Channel helpers, ch = 1..6 */
#define WB_IPCC_CH_LO(ch) (1u << ((ch)-1u))       /* CHnOM, CHnC, CHnF status bits */
#define WB_IPCC_CH_HI(ch) (1u << (16u + (ch)-1u)) /* CHnFM, CHnS */

/* NVIC lines (RM0434 table 71, CPU1) */
#define WB_IRQ_IPCC_C1_RX 44u
#define WB_IRQ_IPCC_C1_TX 45u
#define WB_IRQ_HSEM       46u

#endif
