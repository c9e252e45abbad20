/* wb/regs/systick.h - Cortex-M4 SysTick timer (ARMv7-M ARM B3.3).
 * Owns: SysTick register layout and bits. Used by the time base (firmware/chip/src/time.c).
 * Register description only. */
#ifndef WB_REGS_SYSTICK_H
#define WB_REGS_SYSTICK_H

#include <stddef.h>
#include <stdint.h>

#define WB_SYSTICK_BASE 0xE000E010u

typedef struct {
    volatile uint32_t CSR;   /* 0x00 control/status; COUNTFLAG clears when read */
    volatile uint32_t RVR;   /* 0x04 reload value (24 bits) */
    volatile uint32_t CVR;   /* 0x08 current value (any write clears it and COUNTFLAG) */
    volatile uint32_t CALIB; /* 0x0C (ro) */
} wb_systick_regs_t;

_Static_assert(offsetof(wb_systick_regs_t, CVR) == 0x08, "SYST_CVR");

#define WB_SYSTICK ((wb_systick_regs_t *)WB_SYSTICK_BASE)

#define WB_SYSTICK_CSR_ENABLE_Pos    0u
#define WB_SYSTICK_CSR_ENABLE_Msk    (1u << WB_SYSTICK_CSR_ENABLE_Pos)
#define WB_SYSTICK_CSR_TICKINT_Pos   1u
#define WB_SYSTICK_CSR_TICKINT_Msk   (1u << WB_SYSTICK_CSR_TICKINT_Pos)
#define WB_SYSTICK_CSR_CLKSOURCE_Pos 2u /* 1 = processor clock (HCLK) */
#define WB_SYSTICK_CSR_CLKSOURCE_Msk (1u << WB_SYSTICK_CSR_CLKSOURCE_Pos)
#define WB_SYSTICK_CSR_COUNTFLAG_Pos 16u
#define WB_SYSTICK_CSR_COUNTFLAG_Msk (1u << WB_SYSTICK_CSR_COUNTFLAG_Pos)
#define WB_SYSTICK_RVR_MAX           0x00FFFFFFu

#endif
