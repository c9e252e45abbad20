/* wb/regs/exti.h - STM32WB55 extended interrupt/event controller.
 * Source: RM0434, chapter "Extended interrupts and events controller (EXTI)", EXTI registers.
 * Owns: the EXTI register layout and the line numbers the firmware uses (line 41 = CPU1 SEV,
 * the event that boots/wakes CPU2; line 40 = CPU2 SEV, CPU2's event towards CPU1). Lines 0-31 are
 * in the "1" registers, lines 32-48 at bit (line - 32) of the "2" registers. Used by the CPU2
 * start-up code. Register description only. */
#ifndef WB_REGS_EXTI_H
#define WB_REGS_EXTI_H

#include <stddef.h>
#include <stdint.h>

#define WB_EXTI_BASE 0x58000800u /* RM0434 memory map, AHB4 EXTI */

typedef struct {
    volatile uint32_t RTSR1;  /* 0x00 rising trigger, lines 0-31 */
    volatile uint32_t FTSR1;  /* 0x04 falling trigger */
    volatile uint32_t SWIER1; /* 0x08 software interrupt event */
    volatile uint32_t PR1;    /* 0x0C pending (rc_w1) */
    uint32_t reserved10[4];   /* 0x10-0x1C */
    volatile uint32_t RTSR2;  /* 0x20 rising trigger, lines 32-48 */
    volatile uint32_t FTSR2;  /* 0x24 */
    volatile uint32_t SWIER2; /* 0x28 */
    volatile uint32_t PR2;    /* 0x2C (rc_w1) */
    uint32_t reserved30[20];  /* 0x30-0x7C */
    volatile uint32_t C1IMR1; /* 0x80 CPU1 interrupt mask (1 = unmasked) */
    volatile uint32_t C1EMR1; /* 0x84 CPU1 event mask */
    uint32_t reserved88[2];   /* 0x88-0x8C */
    volatile uint32_t C1IMR2; /* 0x90 */
    volatile uint32_t C1EMR2; /* 0x94 */
    uint32_t reserved98[10];  /* 0x98-0xBC */
    volatile uint32_t C2IMR1; /* 0xC0 CPU2 interrupt mask */
    volatile uint32_t C2EMR1; /* 0xC4 CPU2 event mask */
    uint32_t reservedc8[2];   /* 0xC8-0xCC */
    volatile uint32_t C2IMR2; /* 0xD0 */
    volatile uint32_t C2EMR2; /* 0xD4 CPU2 event mask, lines 32-48 */
} wb_exti_regs_t;

_Static_assert(offsetof(wb_exti_regs_t, RTSR2) == 0x20, "EXTI_RTSR2");
_Static_assert(offsetof(wb_exti_regs_t, C1IMR1) == 0x80, "EXTI_C1IMR1");
_Static_assert(offsetof(wb_exti_regs_t, C1IMR2) == 0x90, "EXTI_C1IMR2");
_Static_assert(offsetof(wb_exti_regs_t, C2IMR1) == 0xC0, "EXTI_C2IMR1");
_Static_assert(offsetof(wb_exti_regs_t, C2EMR2) == 0xD4, "EXTI_C2EMR2");

#define WB_EXTI ((wb_exti_regs_t *)WB_EXTI_BASE)

/* Line 41: CPU1 SEV, the event CPU1's SEV instruction raises (it boots/wakes CPU2); line 40:
 * CPU2 SEV (RM0434 EXTI line connections). In the "2" registers at bit line - 32. */
#define WB_EXTI_LINE_C1SEV 41u
#define WB_EXTI_LINE_C2SEV 40u
#define WB_EXTI_LINE41_Pos (WB_EXTI_LINE_C1SEV - 32u)
#define WB_EXTI_LINE41_Msk (1u << WB_EXTI_LINE41_Pos)
#define WB_EXTI_LINE40_Pos (WB_EXTI_LINE_C2SEV - 32u)
#define WB_EXTI_LINE40_Msk (1u << WB_EXTI_LINE40_Pos)

#endif
