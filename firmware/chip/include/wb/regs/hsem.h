/* wb/regs/hsem.h - STM32WB55 hardware semaphores.
 * Source: RM0434, chapter "Hardware semaphore (HSEM)", HSEM registers.
 * Owns: the HSEM register layout, the 1-step lock convention for CPU1 and the semaphore
 * numbers STM32WB firmware agrees on (docs/st-interface.md#flash-cpu2). Used by the flash driver
 * and the CPU2 transport. Register description only. */
#ifndef WB_REGS_HSEM_H
#define WB_REGS_HSEM_H

#include <stddef.h>
#include <stdint.h>

#define WB_HSEM_BASE 0x58001400u /* RM0434 memory map, AHB4 HSEM */

typedef struct {
    volatile uint32_t R[32];   /* 0x000 + 4n: 2-step lock (write) / status (read); release by
                                  writing LOCK = 0 with the owner's COREID and PROCID */
    volatile uint32_t RLR[32]; /* 0x080 + 4n: 1-step lock by READING (read-only) */
    volatile uint32_t C1IER;   /* 0x100 CPU1 interrupt enable */
    volatile uint32_t C1ICR;   /* 0x104 CPU1 interrupt clear (w1c) */
    volatile uint32_t C1ISR;   /* 0x108 */
    volatile uint32_t C1MISR;  /* 0x10C */
    volatile uint32_t C2IER;   /* 0x110 */
    volatile uint32_t C2ICR;   /* 0x114 */
    volatile uint32_t C2ISR;   /* 0x118 */
    volatile uint32_t C2MISR;  /* 0x11C */
    uint32_t reserved120[8];   /* 0x120-0x13C */
    volatile uint32_t CR;      /* 0x140 clear all of a core (KEY + COREID) */
    volatile uint32_t KEYR;    /* 0x144 clear key */
} wb_hsem_regs_t;

_Static_assert(offsetof(wb_hsem_regs_t, RLR) == 0x080, "HSEM_RLR");
_Static_assert(offsetof(wb_hsem_regs_t, C1IER) == 0x100, "HSEM_C1IER");
_Static_assert(offsetof(wb_hsem_regs_t, CR) == 0x140, "HSEM_CR");
_Static_assert(offsetof(wb_hsem_regs_t, KEYR) == 0x144, "HSEM_KEYR");

#define WB_HSEM ((wb_hsem_regs_t *)WB_HSEM_BASE)

#define WB_HSEM_R_PROCID_Pos 0u
#define WB_HSEM_R_PROCID_Msk (0xFFu << WB_HSEM_R_PROCID_Pos)
#define WB_HSEM_R_COREID_Pos 8u
#define WB_HSEM_R_COREID_Msk (0xFu << WB_HSEM_R_COREID_Pos)
#define WB_HSEM_R_LOCK_Pos   31u
#define WB_HSEM_R_LOCK_Msk   (1u << WB_HSEM_R_LOCK_Pos)

#define WB_HSEM_COREID_CPU1 4u
#define WB_HSEM_COREID_CPU2 8u
/* A 1-step lock succeeded iff the RLR read returns exactly this (LOCK, COREID 4, PROCID 0). */
#define WB_HSEM_CPU1_LOCKED (WB_HSEM_R_LOCK_Msk | (WB_HSEM_COREID_CPU1 << WB_HSEM_R_COREID_Pos))
/* Value written to R[n] to release a 1-step lock held by CPU1. */
#define WB_HSEM_CPU1_RELEASE (WB_HSEM_COREID_CPU1 << WB_HSEM_R_COREID_Pos)

/* Semaphore numbers (docs/st-interface.md#flash-cpu2, shared with CPU2's firmware) */
#define WB_HSEM_ID_RNG          0u
#define WB_HSEM_ID_PKA          1u
#define WB_HSEM_ID_FLASH        2u /* flash ownership for a whole session (both CPUs) */
#define WB_HSEM_ID_RCC          3u
#define WB_HSEM_ID_STOP         4u
#define WB_HSEM_ID_CLK48        5u
#define WB_HSEM_ID_CPU1_NO_CPU2 6u /* CPU1 holds it: CPU2 must not do flash operations */
#define WB_HSEM_ID_CPU2_NO_CPU1 7u /* CPU2 holds it: CPU1 must not do flash operations */
#define WB_HSEM_ID_BLE_NVM      8u
#define WB_HSEM_ID_THREAD_NVM   9u

#endif
