/* wb/regs/flash.h - STM32WB55 embedded flash interface registers.
 * Source: RM0434, chapter "Embedded flash memory (FLASH)", FLASH registers.
 * Owns: the FLASH register block layout and bit names, written from RM0434 (no vendor headers).
 * Used by the chip flash driver and the loader boot path (FLASH_SFR, FLASH_ACR). Register
 * headers only describe hardware: no code, no policy. */
#ifndef WB_REGS_FLASH_H
#define WB_REGS_FLASH_H

#include <stddef.h>
#include <stdint.h>

#define WB_FLASH_R_BASE 0x58004000u /* RM0434 memory map, AHB4 FLASH registers */

typedef struct {
    volatile uint32_t ACR;       /* 0x00 access control: LATENCY, caches (rw) */
    uint32_t reserved04;         /* 0x04 */
    volatile uint32_t KEYR;      /* 0x08 key (wo): 0x45670123 then 0xCDEF89AB clears CR.LOCK */
    volatile uint32_t OPTKEYR;   /* 0x0C option key (wo): 0x08192A3B then 0x4C5D6E7F */
    volatile uint32_t SR;        /* 0x10 status: error flags rc_w1, BSY/CFGBSY/PESD read-only */
    volatile uint32_t CR;        /* 0x14 control (rw while LOCK = 0; LOCK set-only by software) */
    volatile uint32_t ECCR;      /* 0x18 ECC status (ECCC/ECCD rc_w1) */
    uint32_t reserved1c;         /* 0x1C */
    volatile uint32_t OPTR;      /* 0x20 option register (loaded from option bytes) */
    volatile uint32_t PCROP1ASR; /* 0x24 */
    volatile uint32_t PCROP1AER; /* 0x28 */
    volatile uint32_t WRP1AR;    /* 0x2C */
    volatile uint32_t WRP1BR;    /* 0x30 */
    volatile uint32_t PCROP1BSR; /* 0x34 */
    volatile uint32_t PCROP1BER; /* 0x38 */
    volatile uint32_t IPCCBR;    /* 0x3C IPCC mailbox data buffer base (IPCCDBA) */
    uint32_t reserved40[7];      /* 0x40-0x58 */
    volatile uint32_t C2ACR;     /* 0x5C CPU2 access control */
    volatile uint32_t C2SR;      /* 0x60 CPU2 status */
    volatile uint32_t C2CR;      /* 0x64 CPU2 control */
    uint32_t reserved68[6];      /* 0x68-0x7C */
    volatile uint32_t SFR;       /* 0x80 secure flash start address (ro for CPU1) */
    volatile uint32_t SRRVR;     /* 0x84 secure SRAM2 start / CPU2 reset vector (ro for CPU1) */
} wb_flash_regs_t;

_Static_assert(offsetof(wb_flash_regs_t, KEYR) == 0x08, "FLASH_KEYR");
_Static_assert(offsetof(wb_flash_regs_t, SR) == 0x10, "FLASH_SR");
_Static_assert(offsetof(wb_flash_regs_t, CR) == 0x14, "FLASH_CR");
_Static_assert(offsetof(wb_flash_regs_t, OPTR) == 0x20, "FLASH_OPTR");
_Static_assert(offsetof(wb_flash_regs_t, IPCCBR) == 0x3C, "FLASH_IPCCBR");
_Static_assert(offsetof(wb_flash_regs_t, C2ACR) == 0x5C, "FLASH_C2ACR");
_Static_assert(offsetof(wb_flash_regs_t, C2CR) == 0x64, "FLASH_C2CR");
_Static_assert(offsetof(wb_flash_regs_t, SFR) == 0x80, "FLASH_SFR");
_Static_assert(offsetof(wb_flash_regs_t, SRRVR) == 0x84, "FLASH_SRRVR");

#define WB_FLASH ((wb_flash_regs_t *)WB_FLASH_R_BASE)

#define WB_FLASH_KEY1    0x45670123u
#define WB_FLASH_KEY2    0xCDEF89ABu
#define WB_FLASH_OPTKEY1 0x08192A3Bu
#define WB_FLASH_OPTKEY2 0x4C5D6E7Fu

/* ACR: wait states must be raised BEFORE raising HCLK4 and lowered AFTER lowering it; the new
 * value is in force once it reads back (RM0434 FLASH chapter, "Read access latency"). Range 1: 0 WS
 * <= 18 MHz, 1 WS <= 36, 2 WS <= 54, 3 WS <= 64 MHz. */
#define WB_FLASH_ACR_LATENCY_Pos 0u
#define WB_FLASH_ACR_LATENCY_Msk (0x7u << WB_FLASH_ACR_LATENCY_Pos)
#define WB_FLASH_ACR_PRFTEN_Pos  8u
#define WB_FLASH_ACR_PRFTEN_Msk  (1u << WB_FLASH_ACR_PRFTEN_Pos)
#define WB_FLASH_ACR_ICEN_Pos    9u
#define WB_FLASH_ACR_ICEN_Msk    (1u << WB_FLASH_ACR_ICEN_Pos)
#define WB_FLASH_ACR_DCEN_Pos    10u
#define WB_FLASH_ACR_DCEN_Msk    (1u << WB_FLASH_ACR_DCEN_Pos)
#define WB_FLASH_ACR_ICRST_Pos   11u
#define WB_FLASH_ACR_ICRST_Msk   (1u << WB_FLASH_ACR_ICRST_Pos)
#define WB_FLASH_ACR_DCRST_Pos   12u
#define WB_FLASH_ACR_DCRST_Msk   (1u << WB_FLASH_ACR_DCRST_Pos)
#define WB_FLASH_ACR_PES_Pos     15u /* program/erase suspend request (CPU1 side) */
#define WB_FLASH_ACR_PES_Msk     (1u << WB_FLASH_ACR_PES_Pos)
#define WB_FLASH_ACR_EMPTY_Pos   16u
#define WB_FLASH_ACR_EMPTY_Msk   (1u << WB_FLASH_ACR_EMPTY_Pos)

/* SR: bits 0-15 are error/end flags, write 1 to clear (rc_w1); 16, 18, 19 read-only. */
#define WB_FLASH_SR_EOP_Pos     0u
#define WB_FLASH_SR_EOP_Msk     (1u << WB_FLASH_SR_EOP_Pos)
#define WB_FLASH_SR_OPERR_Pos   1u
#define WB_FLASH_SR_OPERR_Msk   (1u << WB_FLASH_SR_OPERR_Pos)
#define WB_FLASH_SR_PROGERR_Pos 3u /* target not erased (and not an all-zero overwrite) */
#define WB_FLASH_SR_PROGERR_Msk (1u << WB_FLASH_SR_PROGERR_Pos)
#define WB_FLASH_SR_WRPERR_Pos  4u /* write-protected / secure area */
#define WB_FLASH_SR_WRPERR_Msk  (1u << WB_FLASH_SR_WRPERR_Pos)
#define WB_FLASH_SR_PGAERR_Pos  5u /* misaligned / not the same double word */
#define WB_FLASH_SR_PGAERR_Msk  (1u << WB_FLASH_SR_PGAERR_Pos)
#define WB_FLASH_SR_SIZERR_Pos  6u /* byte or half-word write while PG = 1 */
#define WB_FLASH_SR_SIZERR_Msk  (1u << WB_FLASH_SR_SIZERR_Pos)
#define WB_FLASH_SR_PGSERR_Pos  7u /* wrong CR bit combination / sequence */
#define WB_FLASH_SR_PGSERR_Msk  (1u << WB_FLASH_SR_PGSERR_Pos)
#define WB_FLASH_SR_MISERR_Pos  8u /* fast programming data miss */
#define WB_FLASH_SR_MISERR_Msk  (1u << WB_FLASH_SR_MISERR_Pos)
#define WB_FLASH_SR_FASTERR_Pos 9u
#define WB_FLASH_SR_FASTERR_Msk (1u << WB_FLASH_SR_FASTERR_Pos)
#define WB_FLASH_SR_OPTNV_Pos   13u
#define WB_FLASH_SR_OPTNV_Msk   (1u << WB_FLASH_SR_OPTNV_Pos)
#define WB_FLASH_SR_RDERR_Pos   14u
#define WB_FLASH_SR_RDERR_Msk   (1u << WB_FLASH_SR_RDERR_Pos)
#define WB_FLASH_SR_OPTVERR_Pos 15u /* set wrongly at power-on (reference 5): clear before use */
#define WB_FLASH_SR_OPTVERR_Msk (1u << WB_FLASH_SR_OPTVERR_Pos)
#define WB_FLASH_SR_BSY_Pos     16u
#define WB_FLASH_SR_BSY_Msk     (1u << WB_FLASH_SR_BSY_Pos)
#define WB_FLASH_SR_CFGBSY_Pos  18u /* programming/erase configuration busy */
#define WB_FLASH_SR_CFGBSY_Msk  (1u << WB_FLASH_SR_CFGBSY_Pos)
#define WB_FLASH_SR_PESD_Pos    19u /* operations suspended (by CPU2's PES or by CPU2 itself) */
#define WB_FLASH_SR_PESD_Msk    (1u << WB_FLASH_SR_PESD_Pos)
#define WB_FLASH_SR_ERRORS_Msk                                                                     \
    (WB_FLASH_SR_OPERR_Msk | WB_FLASH_SR_PROGERR_Msk | WB_FLASH_SR_WRPERR_Msk |                    \
     WB_FLASH_SR_PGAERR_Msk | WB_FLASH_SR_SIZERR_Msk | WB_FLASH_SR_PGSERR_Msk |                    \
     WB_FLASH_SR_MISERR_Msk | WB_FLASH_SR_FASTERR_Msk | WB_FLASH_SR_RDERR_Msk |                    \
     WB_FLASH_SR_OPTVERR_Msk)

/* CR: every bit except LOCK/OPTLOCK is writable only while LOCK = 0. */
#define WB_FLASH_CR_PG_Pos         0u
#define WB_FLASH_CR_PG_Msk         (1u << WB_FLASH_CR_PG_Pos)
#define WB_FLASH_CR_PER_Pos        1u
#define WB_FLASH_CR_PER_Msk        (1u << WB_FLASH_CR_PER_Pos)
#define WB_FLASH_CR_MER_Pos        2u /* mass erase: refused for CPU1 on STM32WB (bus error) */
#define WB_FLASH_CR_MER_Msk        (1u << WB_FLASH_CR_MER_Pos)
#define WB_FLASH_CR_PNB_Pos        3u /* page number, 8 bits [10:3] on the 1 MB WB55 */
#define WB_FLASH_CR_PNB_Msk        (0xFFu << WB_FLASH_CR_PNB_Pos)
#define WB_FLASH_CR_STRT_Pos       16u /* start erase (set-only, cleared when BSY clears) */
#define WB_FLASH_CR_STRT_Msk       (1u << WB_FLASH_CR_STRT_Pos)
#define WB_FLASH_CR_OPTSTRT_Pos    17u
#define WB_FLASH_CR_OPTSTRT_Msk    (1u << WB_FLASH_CR_OPTSTRT_Pos)
#define WB_FLASH_CR_FSTPG_Pos      18u
#define WB_FLASH_CR_FSTPG_Msk      (1u << WB_FLASH_CR_FSTPG_Pos)
#define WB_FLASH_CR_EOPIE_Pos      24u
#define WB_FLASH_CR_EOPIE_Msk      (1u << WB_FLASH_CR_EOPIE_Pos)
#define WB_FLASH_CR_ERRIE_Pos      25u
#define WB_FLASH_CR_ERRIE_Msk      (1u << WB_FLASH_CR_ERRIE_Pos)
#define WB_FLASH_CR_RDERRIE_Pos    26u
#define WB_FLASH_CR_RDERRIE_Msk    (1u << WB_FLASH_CR_RDERRIE_Pos)
#define WB_FLASH_CR_OBL_LAUNCH_Pos 27u
#define WB_FLASH_CR_OBL_LAUNCH_Msk (1u << WB_FLASH_CR_OBL_LAUNCH_Pos)
#define WB_FLASH_CR_OPTLOCK_Pos    30u
#define WB_FLASH_CR_OPTLOCK_Msk    (1u << WB_FLASH_CR_OPTLOCK_Pos)
#define WB_FLASH_CR_LOCK_Pos       31u /* set-only by software; cleared by the KEYR sequence */
#define WB_FLASH_CR_LOCK_Msk       (1u << WB_FLASH_CR_LOCK_Pos)

/* SFR: written by the FUS only; CPU1 reads it. */
#define WB_FLASH_SFR_SFSA_Pos 0u /* first secure page: CPU1 must not touch [SFSA, 256) */
#define WB_FLASH_SFR_SFSA_Msk (0xFFu << WB_FLASH_SFR_SFSA_Pos)
#define WB_FLASH_SFR_FSD_Pos  8u
#define WB_FLASH_SFR_FSD_Msk  (1u << WB_FLASH_SFR_FSD_Pos)
#define WB_FLASH_SFR_DDS_Pos  12u
#define WB_FLASH_SFR_DDS_Msk  (1u << WB_FLASH_SFR_DDS_Pos)

#endif
