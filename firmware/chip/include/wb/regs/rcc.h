/* wb/regs/rcc.h - STM32WB55 reset and clock control registers.
 * Source: RM0434, chapter "Reset and clock control (RCC)", RCC registers.
 * Owns: the RCC register block layout and the bit names the firmware uses, written from
 * RM0434. Used by the clock setup, the reset-cause reader of the loader boot path and the
 * CPU2 start-up (IPCC/HSEM clocks). Register description only: no code. */
#ifndef WB_REGS_RCC_H
#define WB_REGS_RCC_H

#include <stddef.h>
#include <stdint.h>

#define WB_RCC_BASE 0x58000000u /* RM0434 memory map, AHB4 RCC */

typedef struct {
    volatile uint32_t CR;          /* 0x000 clock control (rw; RDY bits read-only) */
    volatile uint32_t ICSCR;       /* 0x004 internal clock calibration */
    volatile uint32_t CFGR;        /* 0x008 clock configuration (SWS, *F read-only) */
    volatile uint32_t PLLCFGR;     /* 0x00C */
    volatile uint32_t PLLSAI1CFGR; /* 0x010 */
    uint32_t reserved014;          /* 0x014 */
    volatile uint32_t CIER;        /* 0x018 */
    volatile uint32_t CIFR;        /* 0x01C (ro) */
    volatile uint32_t CICR;        /* 0x020 (wo, write 1 to clear) */
    volatile uint32_t SMPSCR;      /* 0x024 SMPS step-down converter clock */
    volatile uint32_t AHB1RSTR;    /* 0x028 */
    volatile uint32_t AHB2RSTR;    /* 0x02C */
    volatile uint32_t AHB3RSTR;    /* 0x030 */
    uint32_t reserved034;          /* 0x034 */
    volatile uint32_t APB1RSTR1;   /* 0x038 */
    volatile uint32_t APB1RSTR2;   /* 0x03C */
    volatile uint32_t APB2RSTR;    /* 0x040 */
    volatile uint32_t APB3RSTR;    /* 0x044 radio system reset (RFRST) */
    volatile uint32_t AHB1ENR;     /* 0x048 CPU1 clock enables */
    volatile uint32_t AHB2ENR;     /* 0x04C GPIO ports */
    volatile uint32_t AHB3ENR;     /* 0x050 HSEM, IPCC, FLASH */
    uint32_t reserved054;          /* 0x054 */
    volatile uint32_t APB1ENR1;    /* 0x058 */
    volatile uint32_t APB1ENR2;    /* 0x05C */
    volatile uint32_t APB2ENR;     /* 0x060 */
    uint32_t reserved064;          /* 0x064 */
    volatile uint32_t AHB1SMENR;   /* 0x068 */
    volatile uint32_t AHB2SMENR;   /* 0x06C */
    volatile uint32_t AHB3SMENR;   /* 0x070 */
    uint32_t reserved074;          /* 0x074 */
    volatile uint32_t APB1SMENR1;  /* 0x078 */
    volatile uint32_t APB1SMENR2;  /* 0x07C */
    volatile uint32_t APB2SMENR;   /* 0x080 */
    uint32_t reserved084;          /* 0x084 */
    volatile uint32_t CCIPR;       /* 0x088 peripheral independent clocks */
    uint32_t reserved08c;          /* 0x08C */
    volatile uint32_t BDCR;        /* 0x090 backup domain: write-protected until PWR_CR1.DBP = 1 */
    volatile uint32_t CSR;         /* 0x094 control/status: reset flags, RFWKPSEL */
    volatile uint32_t CRRCR;       /* 0x098 HSI48 */
    volatile uint32_t HSECR;       /* 0x09C HSE config: locked, unlock by writing 0xCAFECAFE */
    uint32_t reserved0a0[26];      /* 0x0A0-0x104 */
    volatile uint32_t EXTCFGR;     /* 0x108 extended clock recovery (HCLK4/HCLK2 prescalers) */
    uint32_t reserved10c[15];      /* 0x10C-0x144 */
    volatile uint32_t C2AHB1ENR;   /* 0x148 CPU2 clock enables */
    volatile uint32_t C2AHB2ENR;   /* 0x14C */
    volatile uint32_t C2AHB3ENR;   /* 0x150 */
    uint32_t reserved154;          /* 0x154 */
    volatile uint32_t C2APB1ENR1;  /* 0x158 */
    volatile uint32_t C2APB1ENR2;  /* 0x15C */
    volatile uint32_t C2APB2ENR;   /* 0x160 */
    volatile uint32_t C2APB3ENR;   /* 0x164 */
} wb_rcc_regs_t;

_Static_assert(offsetof(wb_rcc_regs_t, CFGR) == 0x008, "RCC_CFGR");
_Static_assert(offsetof(wb_rcc_regs_t, SMPSCR) == 0x024, "RCC_SMPSCR");
_Static_assert(offsetof(wb_rcc_regs_t, AHB2ENR) == 0x04C, "RCC_AHB2ENR");
_Static_assert(offsetof(wb_rcc_regs_t, AHB3ENR) == 0x050, "RCC_AHB3ENR");
_Static_assert(offsetof(wb_rcc_regs_t, CCIPR) == 0x088, "RCC_CCIPR");
_Static_assert(offsetof(wb_rcc_regs_t, BDCR) == 0x090, "RCC_BDCR");
_Static_assert(offsetof(wb_rcc_regs_t, CSR) == 0x094, "RCC_CSR");
_Static_assert(offsetof(wb_rcc_regs_t, HSECR) == 0x09C, "RCC_HSECR");
_Static_assert(offsetof(wb_rcc_regs_t, EXTCFGR) == 0x108, "RCC_EXTCFGR");
_Static_assert(offsetof(wb_rcc_regs_t, C2AHB3ENR) == 0x150, "RCC_C2AHB3ENR");
_Static_assert(offsetof(wb_rcc_regs_t, C2APB3ENR) == 0x164, "RCC_C2APB3ENR");

#define WB_RCC ((wb_rcc_regs_t *)WB_RCC_BASE)

/* CR */
#define WB_RCC_CR_MSION_Pos    0u
#define WB_RCC_CR_MSION_Msk    (1u << WB_RCC_CR_MSION_Pos)
#define WB_RCC_CR_MSIRDY_Pos   1u
#define WB_RCC_CR_MSIRDY_Msk   (1u << WB_RCC_CR_MSIRDY_Pos)
#define WB_RCC_CR_MSIRANGE_Pos 4u /* 6 = 4 MHz (reset), 10 = 32 MHz, 11 = 48 MHz */
#define WB_RCC_CR_MSIRANGE_Msk (0xFu << WB_RCC_CR_MSIRANGE_Pos)
#define WB_RCC_CR_HSION_Pos    8u
#define WB_RCC_CR_HSION_Msk    (1u << WB_RCC_CR_HSION_Pos)
#define WB_RCC_CR_HSIRDY_Pos   10u
#define WB_RCC_CR_HSIRDY_Msk   (1u << WB_RCC_CR_HSIRDY_Pos)
#define WB_RCC_CR_HSEON_Pos    16u
#define WB_RCC_CR_HSEON_Msk    (1u << WB_RCC_CR_HSEON_Pos)
#define WB_RCC_CR_HSERDY_Pos   17u /* read-only */
#define WB_RCC_CR_HSERDY_Msk   (1u << WB_RCC_CR_HSERDY_Pos)
#define WB_RCC_CR_CSSON_Pos    19u
#define WB_RCC_CR_CSSON_Msk    (1u << WB_RCC_CR_CSSON_Pos)
#define WB_RCC_CR_HSEPRE_Pos   20u /* 0: SYSCLK from HSE undivided (32 MHz), 1: HSE/2 */
#define WB_RCC_CR_HSEPRE_Msk   (1u << WB_RCC_CR_HSEPRE_Pos)
#define WB_RCC_CR_PLLON_Pos    24u
#define WB_RCC_CR_PLLON_Msk    (1u << WB_RCC_CR_PLLON_Pos)
#define WB_RCC_CR_PLLRDY_Pos   25u
#define WB_RCC_CR_PLLRDY_Msk   (1u << WB_RCC_CR_PLLRDY_Pos)

#define WB_RCC_MSIRANGE_4MHZ  6u
#define WB_RCC_MSIRANGE_48MHZ 11u

/* CFGR */
#define WB_RCC_CFGR_SW_Pos    0u
#define WB_RCC_CFGR_SW_Msk    (0x3u << WB_RCC_CFGR_SW_Pos)
#define WB_RCC_CFGR_SWS_Pos   2u /* read-only mirror of the source in use */
#define WB_RCC_CFGR_SWS_Msk   (0x3u << WB_RCC_CFGR_SWS_Pos)
#define WB_RCC_CFGR_HPRE_Pos  4u
#define WB_RCC_CFGR_HPRE_Msk  (0xFu << WB_RCC_CFGR_HPRE_Pos)
#define WB_RCC_CFGR_PPRE1_Pos 8u
#define WB_RCC_CFGR_PPRE1_Msk (0x7u << WB_RCC_CFGR_PPRE1_Pos)
#define WB_RCC_CFGR_PPRE2_Pos 11u
#define WB_RCC_CFGR_PPRE2_Msk (0x7u << WB_RCC_CFGR_PPRE2_Pos)
#define WB_RCC_SW_MSI         0u
#define WB_RCC_SW_HSI16       1u
#define WB_RCC_SW_HSE         2u
#define WB_RCC_SW_PLL         3u

/* PLLCFGR (main PLL; writable only while PLLON = 0). f(VCO in) = src / M must be 2.66-16 MHz,
 * f(VCO out) = VCO in * N must be 96-344 MHz, PLLRCLK = VCO out / R feeds SYSCLK. */
#define WB_RCC_PLLCFGR_PLLSRC_Pos 0u /* 00 none, 01 MSI, 10 HSI16, 11 HSE */
#define WB_RCC_PLLCFGR_PLLSRC_Msk (0x3u << WB_RCC_PLLCFGR_PLLSRC_Pos)
#define WB_RCC_PLLCFGR_PLLM_Pos   4u /* M = PLLM + 1 (1..8) */
#define WB_RCC_PLLCFGR_PLLM_Msk   (0x7u << WB_RCC_PLLCFGR_PLLM_Pos)
#define WB_RCC_PLLCFGR_PLLN_Pos   8u /* N = PLLN (6..127) */
#define WB_RCC_PLLCFGR_PLLN_Msk   (0x7Fu << WB_RCC_PLLCFGR_PLLN_Pos)
#define WB_RCC_PLLCFGR_PLLREN_Pos 28u
#define WB_RCC_PLLCFGR_PLLREN_Msk (1u << WB_RCC_PLLCFGR_PLLREN_Pos)
#define WB_RCC_PLLCFGR_PLLR_Pos   29u /* R = PLLR + 1 (2..8; 000 reserved) */
#define WB_RCC_PLLCFGR_PLLR_Msk   (0x7u << WB_RCC_PLLCFGR_PLLR_Pos)
#define WB_RCC_PLLSRC_HSE         3u

/* SMPSCR */
#define WB_RCC_SMPSCR_SMPSSEL_Pos 0u /* 00 HSI16, 01 MSI, 10 HSE */
#define WB_RCC_SMPSCR_SMPSSEL_Msk (0x3u << WB_RCC_SMPSCR_SMPSSEL_Pos)
#define WB_RCC_SMPSCR_SMPSDIV_Pos 4u
#define WB_RCC_SMPSCR_SMPSDIV_Msk (0x3u << WB_RCC_SMPSCR_SMPSDIV_Pos)

/* AHB2ENR (CPU1): GPIO ports */
#define WB_RCC_AHB2ENR_GPIOAEN_Pos 0u /* port n (A=0 .. E=4, H=7) at bit n */
#define WB_RCC_AHB2ENR_GPIOAEN_Msk (1u << WB_RCC_AHB2ENR_GPIOAEN_Pos)

/* AHB3ENR (CPU1) */
#define WB_RCC_AHB3ENR_PKAEN_Pos   16u /* PKA bus clock (docs/pka.md) */
#define WB_RCC_AHB3ENR_PKAEN_Msk   (1u << WB_RCC_AHB3ENR_PKAEN_Pos)
#define WB_RCC_AHB3ENR_HSEMEN_Pos  19u
#define WB_RCC_AHB3ENR_HSEMEN_Msk  (1u << WB_RCC_AHB3ENR_HSEMEN_Pos)
#define WB_RCC_AHB3ENR_IPCCEN_Pos  20u
#define WB_RCC_AHB3ENR_IPCCEN_Msk  (1u << WB_RCC_AHB3ENR_IPCCEN_Pos)
#define WB_RCC_AHB3ENR_FLASHEN_Pos 25u
#define WB_RCC_AHB3ENR_FLASHEN_Msk (1u << WB_RCC_AHB3ENR_FLASHEN_Pos)

/* C2AHB3ENR (CPU2 view of the same clocks) */
#define WB_RCC_C2AHB3ENR_HSEMEN_Pos 19u
#define WB_RCC_C2AHB3ENR_HSEMEN_Msk (1u << WB_RCC_C2AHB3ENR_HSEMEN_Pos)
#define WB_RCC_C2AHB3ENR_IPCCEN_Pos 20u
#define WB_RCC_C2AHB3ENR_IPCCEN_Msk (1u << WB_RCC_C2AHB3ENR_IPCCEN_Pos)

/* BDCR (backup domain: survives system reset; write needs PWR_CR1.DBP = 1) */
#define WB_RCC_BDCR_LSEON_Pos  0u
#define WB_RCC_BDCR_LSEON_Msk  (1u << WB_RCC_BDCR_LSEON_Pos)
#define WB_RCC_BDCR_LSERDY_Pos 1u /* read-only */
#define WB_RCC_BDCR_LSERDY_Msk (1u << WB_RCC_BDCR_LSERDY_Pos)
#define WB_RCC_BDCR_LSEBYP_Pos 2u
#define WB_RCC_BDCR_LSEBYP_Msk (1u << WB_RCC_BDCR_LSEBYP_Pos)
#define WB_RCC_BDCR_LSEDRV_Pos 3u /* 00 low .. 11 high drive */
#define WB_RCC_BDCR_LSEDRV_Msk (0x3u << WB_RCC_BDCR_LSEDRV_Pos)
#define WB_RCC_BDCR_RTCSEL_Pos 8u
#define WB_RCC_BDCR_RTCSEL_Msk (0x3u << WB_RCC_BDCR_RTCSEL_Pos)
#define WB_RCC_BDCR_RTCEN_Pos  15u
#define WB_RCC_BDCR_RTCEN_Msk  (1u << WB_RCC_BDCR_RTCEN_Pos)
#define WB_RCC_BDCR_BDRST_Pos  16u
#define WB_RCC_BDCR_BDRST_Msk  (1u << WB_RCC_BDCR_BDRST_Pos)

/* CSR. Reset flags (bits 25-31) are set by hardware and cleared only by writing RMVF = 1
 * (set-only, reads 0). RFWKPSEL: 00 none, 01 LSE, 11 HSE/1024; ES0394 2.3.1
 * (docs/st-interface.md#rf-wakeup): once 11 it cannot be changed and survives a system reset; only
 * a power-on reset clears it. */
#define WB_RCC_CSR_LSI1ON_Pos   0u
#define WB_RCC_CSR_LSI1ON_Msk   (1u << WB_RCC_CSR_LSI1ON_Pos)
#define WB_RCC_CSR_LSI1RDY_Pos  1u
#define WB_RCC_CSR_LSI1RDY_Msk  (1u << WB_RCC_CSR_LSI1RDY_Pos)
#define WB_RCC_CSR_LSI2ON_Pos   2u
#define WB_RCC_CSR_LSI2ON_Msk   (1u << WB_RCC_CSR_LSI2ON_Pos)
#define WB_RCC_CSR_LSI2RDY_Pos  3u
#define WB_RCC_CSR_LSI2RDY_Msk  (1u << WB_RCC_CSR_LSI2RDY_Pos)
#define WB_RCC_CSR_RFWKPSEL_Pos 14u
#define WB_RCC_CSR_RFWKPSEL_Msk (0x3u << WB_RCC_CSR_RFWKPSEL_Pos)
#define WB_RCC_CSR_RFRSTS_Pos   16u /* radio system (BLE/802.15.4) held in reset: read-only */
#define WB_RCC_CSR_RFRSTS_Msk   (1u << WB_RCC_CSR_RFRSTS_Pos)
#define WB_RCC_CSR_RMVF_Pos     23u
#define WB_RCC_CSR_RMVF_Msk     (1u << WB_RCC_CSR_RMVF_Pos)
#define WB_RCC_CSR_OBLRSTF_Pos  25u
#define WB_RCC_CSR_OBLRSTF_Msk  (1u << WB_RCC_CSR_OBLRSTF_Pos)
#define WB_RCC_CSR_PINRSTF_Pos  26u
#define WB_RCC_CSR_PINRSTF_Msk  (1u << WB_RCC_CSR_PINRSTF_Pos)
#define WB_RCC_CSR_BORRSTF_Pos  27u
#define WB_RCC_CSR_BORRSTF_Msk  (1u << WB_RCC_CSR_BORRSTF_Pos)
#define WB_RCC_CSR_SFTRSTF_Pos  28u
#define WB_RCC_CSR_SFTRSTF_Msk  (1u << WB_RCC_CSR_SFTRSTF_Pos)
#define WB_RCC_CSR_IWDGRSTF_Pos 29u
#define WB_RCC_CSR_IWDGRSTF_Msk (1u << WB_RCC_CSR_IWDGRSTF_Pos)
#define WB_RCC_CSR_WWDGRSTF_Pos 30u
#define WB_RCC_CSR_WWDGRSTF_Msk (1u << WB_RCC_CSR_WWDGRSTF_Pos)
#define WB_RCC_CSR_LPWRRSTF_Pos 31u
#define WB_RCC_CSR_LPWRRSTF_Msk (1u << WB_RCC_CSR_LPWRRSTF_Pos)

#define WB_RCC_RFWKPSEL_NONE    0u
#define WB_RCC_RFWKPSEL_LSE     1u
#define WB_RCC_RFWKPSEL_HSE1024 3u

/* HSECR: every write must be preceded by the unlock key write (the register relocks after
 * each write). HSETUNE (load capacitance) only while HSE is off. */
#define WB_RCC_HSECR_KEY          0xCAFECAFEu
#define WB_RCC_HSECR_UNLOCKED_Pos 0u
#define WB_RCC_HSECR_UNLOCKED_Msk (1u << WB_RCC_HSECR_UNLOCKED_Pos)
#define WB_RCC_HSECR_HSES_Pos     3u
#define WB_RCC_HSECR_HSES_Msk     (1u << WB_RCC_HSECR_HSES_Pos)
#define WB_RCC_HSECR_HSEGMC_Pos   4u
#define WB_RCC_HSECR_HSEGMC_Msk   (0x7u << WB_RCC_HSECR_HSEGMC_Pos)
#define WB_RCC_HSECR_HSETUNE_Pos  8u
#define WB_RCC_HSECR_HSETUNE_Msk  (0x3Fu << WB_RCC_HSECR_HSETUNE_Pos)

/* EXTCFGR: HCLK4 (flash, shared AHB) and HCLK2 (CPU2) prescalers; 0 = divide by 1. */
#define WB_RCC_EXTCFGR_SHDHPRE_Pos  0u
#define WB_RCC_EXTCFGR_SHDHPRE_Msk  (0xFu << WB_RCC_EXTCFGR_SHDHPRE_Pos)
#define WB_RCC_EXTCFGR_C2HPRE_Pos   4u /* same coding as CFGR.HPRE: 1000 = /2 */
#define WB_RCC_EXTCFGR_C2HPRE_Msk   (0xFu << WB_RCC_EXTCFGR_C2HPRE_Pos)
#define WB_RCC_EXTCFGR_SHDHPREF_Pos 16u
#define WB_RCC_EXTCFGR_SHDHPREF_Msk (1u << WB_RCC_EXTCFGR_SHDHPREF_Pos)
#define WB_RCC_EXTCFGR_C2HPREF_Pos  17u
#define WB_RCC_EXTCFGR_C2HPREF_Msk  (1u << WB_RCC_EXTCFGR_C2HPREF_Pos)

#endif
