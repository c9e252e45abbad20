/* wb/regs/scb.h - Cortex-M4 system control block (ARMv7-M ARM B3.2; PM0214 4.4).
 * Owns: the SCB register layout used for VTOR, system reset (AIRCR) and sleep (SCR). Core
 * peripheral, identical on every Cortex-M4. Register description only. */
#ifndef WB_REGS_SCB_H
#define WB_REGS_SCB_H

#include <stddef.h>
#include <stdint.h>

#define WB_SCB_BASE 0xE000ED00u

typedef struct {
    volatile uint32_t CPUID;   /* 0x00 (ro) */
    volatile uint32_t ICSR;    /* 0x04 interrupt control/state (PENDSTSET, PENDSTCLR ...) */
    volatile uint32_t VTOR;    /* 0x08 vector table offset (bits 31:9 on this core, 512 aligned) */
    volatile uint32_t AIRCR;   /* 0x0C writes need VECTKEY 0x05FA in bits 31:16 */
    volatile uint32_t SCR;     /* 0x10 SLEEPDEEP, SEVONPEND */
    volatile uint32_t CCR;     /* 0x14 */
    volatile uint32_t SHPR[3]; /* 0x18-0x20 system handler priorities */
    volatile uint32_t SHCSR;   /* 0x24 */
    volatile uint32_t CFSR;    /* 0x28 (w1c) */
    volatile uint32_t HFSR;    /* 0x2C (w1c) */
} wb_scb_regs_t;

_Static_assert(offsetof(wb_scb_regs_t, VTOR) == 0x08, "SCB_VTOR");
_Static_assert(offsetof(wb_scb_regs_t, AIRCR) == 0x0C, "SCB_AIRCR");
_Static_assert(offsetof(wb_scb_regs_t, SCR) == 0x10, "SCB_SCR");
_Static_assert(offsetof(wb_scb_regs_t, CFSR) == 0x28, "SCB_CFSR");

#define WB_SCB ((wb_scb_regs_t *)WB_SCB_BASE)

#define WB_SCB_ICSR_PENDSTCLR_Pos    25u
#define WB_SCB_ICSR_PENDSTCLR_Msk    (1u << WB_SCB_ICSR_PENDSTCLR_Pos)
#define WB_SCB_ICSR_PENDSTSET_Pos    26u
#define WB_SCB_ICSR_PENDSTSET_Msk    (1u << WB_SCB_ICSR_PENDSTSET_Pos)
#define WB_SCB_AIRCR_VECTKEY         (0x05FAu << 16)
#define WB_SCB_AIRCR_PRIGROUP_Msk    (0x7u << 8)
#define WB_SCB_AIRCR_SYSRESETREQ_Pos 2u
#define WB_SCB_AIRCR_SYSRESETREQ_Msk (1u << WB_SCB_AIRCR_SYSRESETREQ_Pos)
#define WB_SCB_SCR_SLEEPDEEP_Pos     2u
#define WB_SCB_SCR_SLEEPDEEP_Msk     (1u << WB_SCB_SCR_SLEEPDEEP_Pos)
#define WB_SCB_SCR_SEVONPEND_Pos     4u
#define WB_SCB_SCR_SEVONPEND_Msk     (1u << WB_SCB_SCR_SEVONPEND_Pos)

#endif
