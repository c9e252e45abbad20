/* wb/regs/pwr.h - STM32WB55 power control registers.
 * Source: RM0434, chapter "Power control (PWR)", PWR registers.
 * Owns: PWR register layout and bit names used by the firmware: backup-domain write access
 * (DBP), CPU2 boot (C2BOOT), SMPS enable. Used by clock setup and the CPU2 start-up code.
 * Register description only. */
#ifndef WB_REGS_PWR_H
#define WB_REGS_PWR_H

#include <stddef.h>
#include <stdint.h>

#define WB_PWR_BASE 0x58000400u /* RM0434 memory map, AHB4 PWR */

typedef struct {
    volatile uint32_t CR1;   /* 0x00 LPMS, DBP, VOS */
    volatile uint32_t CR2;   /* 0x04 PVM/PVD */
    volatile uint32_t CR3;   /* 0x08 wake-up enables */
    volatile uint32_t CR4;   /* 0x0C C2BOOT (set-only by CPU1 software; cleared by reset) */
    volatile uint32_t SR1;   /* 0x10 wake-up flags (ro) */
    volatile uint32_t SR2;   /* 0x14 status (ro) */
    volatile uint32_t SCR;   /* 0x18 status clear (wo) */
    volatile uint32_t CR5;   /* 0x1C SMPS control */
    volatile uint32_t PUCRA; /* 0x20 GPIO pull-up/-down in standby, port A */
} wb_pwr_regs_t;

_Static_assert(offsetof(wb_pwr_regs_t, CR4) == 0x0C, "PWR_CR4");
_Static_assert(offsetof(wb_pwr_regs_t, CR5) == 0x1C, "PWR_CR5");

#define WB_PWR ((wb_pwr_regs_t *)WB_PWR_BASE)

#define WB_PWR_CR1_LPMS_Pos    0u
#define WB_PWR_CR1_LPMS_Msk    (0x7u << WB_PWR_CR1_LPMS_Pos)
#define WB_PWR_CR1_DBP_Pos     8u /* backup domain (RCC_BDCR, RTC) write access */
#define WB_PWR_CR1_DBP_Msk     (1u << WB_PWR_CR1_DBP_Pos)
#define WB_PWR_CR1_VOS_Pos     9u
#define WB_PWR_CR1_VOS_Msk     (0x3u << WB_PWR_CR1_VOS_Pos)
#define WB_PWR_CR4_C2BOOT_Pos  15u /* CPU2 boots (with the EXTI line 41 event) once set */
#define WB_PWR_CR4_C2BOOT_Msk  (1u << WB_PWR_CR4_C2BOOT_Pos)
#define WB_PWR_CR5_SMPSVOS_Pos 0u /* factory-trimmed output voltage: leave as loaded */
#define WB_PWR_CR5_SMPSVOS_Msk (0xFu << WB_PWR_CR5_SMPSVOS_Pos)
#define WB_PWR_CR5_SMPSSC_Pos  4u
#define WB_PWR_CR5_SMPSSC_Msk  (0x7u << WB_PWR_CR5_SMPSSC_Pos)
#define WB_PWR_CR5_BORHC_Pos   8u
#define WB_PWR_CR5_BORHC_Msk   (1u << WB_PWR_CR5_BORHC_Pos)
#define WB_PWR_CR5_SMPSEN_Pos  15u /* 0: SMPS bypassed (LDO only), 1: step-down enabled */
#define WB_PWR_CR5_SMPSEN_Msk  (1u << WB_PWR_CR5_SMPSEN_Pos)

#endif
