/* test_emu_regs_vs_headers.c - the firmware's register headers (firmware/chip/include/wb/regs)
 * and the emulator's register tables (emulator/soc) are two independent encodings of RM0434.
 * This test walks both: every block base, every register offset the headers declare must be a
 * register of the same name at the same offset in the emulator's table, every bit mask the
 * headers name must be a defined bit of that register in the table, a few access kinds must agree
 * (rc_w1 flags, rw control bits), and the clock gates the emulator applies must be the enable bits
 * the firmware sets. One wrong constant on either side fails here. tests/emu/regs_coverage.sh
 * checks that every struct field and _Msk macro of the headers is listed below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "soc.h"
#include "wb/regs/exti.h"
#include "wb/regs/flash.h"
#include "wb/regs/gpio.h"
#include "wb/regs/hsem.h"
#include "wb/regs/ipcc.h"
#include "wb/regs/pka.h"
#include "wb/regs/pwr.h"
#include "wb/regs/rcc.h"

typedef struct {
    const char *block, *reg; /* reg NULL: a block base */
    uint32_t val;            /* base or offset */
} prv_reg_t;

#define BLOCK(b, base)                                                                             \
    {                                                                                              \
        b, NULL, base                                                                              \
    }
#define REG(b, type, field)                                                                        \
    {                                                                                              \
        b, #field, (uint32_t)offsetof(type, field)                                                 \
    }
#define REGN(b, n, type, expr)                                                                     \
    {                                                                                              \
        b, n, (uint32_t)offsetof(type, expr)                                                       \
    }

static const prv_reg_t s_regs[] = {
    BLOCK("FLASH", WB_FLASH_R_BASE),
    REG("FLASH", wb_flash_regs_t, ACR),
    REG("FLASH", wb_flash_regs_t, KEYR),
    REG("FLASH", wb_flash_regs_t, OPTKEYR),
    REG("FLASH", wb_flash_regs_t, SR),
    REG("FLASH", wb_flash_regs_t, CR),
    REG("FLASH", wb_flash_regs_t, ECCR),
    REG("FLASH", wb_flash_regs_t, OPTR),
    REG("FLASH", wb_flash_regs_t, PCROP1ASR),
    REG("FLASH", wb_flash_regs_t, PCROP1AER),
    REG("FLASH", wb_flash_regs_t, WRP1AR),
    REG("FLASH", wb_flash_regs_t, WRP1BR),
    REG("FLASH", wb_flash_regs_t, PCROP1BSR),
    REG("FLASH", wb_flash_regs_t, PCROP1BER),
    REG("FLASH", wb_flash_regs_t, IPCCBR),
    REG("FLASH", wb_flash_regs_t, C2ACR),
    REG("FLASH", wb_flash_regs_t, C2SR),
    REG("FLASH", wb_flash_regs_t, C2CR),
    REG("FLASH", wb_flash_regs_t, SFR),
    REG("FLASH", wb_flash_regs_t, SRRVR),
    BLOCK("RCC", WB_RCC_BASE),
    REG("RCC", wb_rcc_regs_t, CR),
    REG("RCC", wb_rcc_regs_t, ICSCR),
    REG("RCC", wb_rcc_regs_t, CFGR),
    REG("RCC", wb_rcc_regs_t, PLLCFGR),
    REG("RCC", wb_rcc_regs_t, PLLSAI1CFGR),
    REG("RCC", wb_rcc_regs_t, CIER),
    REG("RCC", wb_rcc_regs_t, CIFR),
    REG("RCC", wb_rcc_regs_t, CICR),
    REG("RCC", wb_rcc_regs_t, SMPSCR),
    REG("RCC", wb_rcc_regs_t, AHB1RSTR),
    REG("RCC", wb_rcc_regs_t, AHB2RSTR),
    REG("RCC", wb_rcc_regs_t, AHB3RSTR),
    REG("RCC", wb_rcc_regs_t, APB1RSTR1),
    REG("RCC", wb_rcc_regs_t, APB1RSTR2),
    REG("RCC", wb_rcc_regs_t, APB2RSTR),
    REG("RCC", wb_rcc_regs_t, APB3RSTR),
    REG("RCC", wb_rcc_regs_t, AHB1ENR),
    REG("RCC", wb_rcc_regs_t, AHB2ENR),
    REG("RCC", wb_rcc_regs_t, AHB3ENR),
    REG("RCC", wb_rcc_regs_t, APB1ENR1),
    REG("RCC", wb_rcc_regs_t, APB1ENR2),
    REG("RCC", wb_rcc_regs_t, APB2ENR),
    REG("RCC", wb_rcc_regs_t, AHB1SMENR),
    REG("RCC", wb_rcc_regs_t, AHB2SMENR),
    REG("RCC", wb_rcc_regs_t, AHB3SMENR),
    REG("RCC", wb_rcc_regs_t, APB1SMENR1),
    REG("RCC", wb_rcc_regs_t, APB1SMENR2),
    REG("RCC", wb_rcc_regs_t, APB2SMENR),
    REG("RCC", wb_rcc_regs_t, CCIPR),
    REG("RCC", wb_rcc_regs_t, BDCR),
    REG("RCC", wb_rcc_regs_t, CSR),
    REG("RCC", wb_rcc_regs_t, CRRCR),
    REG("RCC", wb_rcc_regs_t, HSECR),
    REG("RCC", wb_rcc_regs_t, EXTCFGR),
    REG("RCC", wb_rcc_regs_t, C2AHB1ENR),
    REG("RCC", wb_rcc_regs_t, C2AHB2ENR),
    REG("RCC", wb_rcc_regs_t, C2AHB3ENR),
    REG("RCC", wb_rcc_regs_t, C2APB1ENR1),
    REG("RCC", wb_rcc_regs_t, C2APB1ENR2),
    REG("RCC", wb_rcc_regs_t, C2APB2ENR),
    REG("RCC", wb_rcc_regs_t, C2APB3ENR),
    BLOCK("PWR", WB_PWR_BASE),
    REG("PWR", wb_pwr_regs_t, CR1),
    REG("PWR", wb_pwr_regs_t, CR2),
    REG("PWR", wb_pwr_regs_t, CR3),
    REG("PWR", wb_pwr_regs_t, CR4),
    REG("PWR", wb_pwr_regs_t, SR1),
    REG("PWR", wb_pwr_regs_t, SR2),
    REG("PWR", wb_pwr_regs_t, SCR),
    REG("PWR", wb_pwr_regs_t, CR5),
    REG("PWR", wb_pwr_regs_t, PUCRA),
    BLOCK("EXTI", WB_EXTI_BASE),
    REG("EXTI", wb_exti_regs_t, RTSR1),
    REG("EXTI", wb_exti_regs_t, FTSR1),
    REG("EXTI", wb_exti_regs_t, SWIER1),
    REG("EXTI", wb_exti_regs_t, PR1),
    REG("EXTI", wb_exti_regs_t, RTSR2),
    REG("EXTI", wb_exti_regs_t, FTSR2),
    REG("EXTI", wb_exti_regs_t, SWIER2),
    REG("EXTI", wb_exti_regs_t, PR2),
    REG("EXTI", wb_exti_regs_t, C1IMR1),
    REG("EXTI", wb_exti_regs_t, C1EMR1),
    REG("EXTI", wb_exti_regs_t, C1IMR2),
    REG("EXTI", wb_exti_regs_t, C1EMR2),
    REG("EXTI", wb_exti_regs_t, C2IMR1),
    REG("EXTI", wb_exti_regs_t, C2EMR1),
    REG("EXTI", wb_exti_regs_t, C2IMR2),
    REG("EXTI", wb_exti_regs_t, C2EMR2),
    BLOCK("IPCC", WB_IPCC_BASE),
    REG("IPCC", wb_ipcc_regs_t, C1CR),
    REG("IPCC", wb_ipcc_regs_t, C1MR),
    REG("IPCC", wb_ipcc_regs_t, C1SCR),
    REG("IPCC", wb_ipcc_regs_t, C1TOC2SR),
    REG("IPCC", wb_ipcc_regs_t, C2CR),
    REG("IPCC", wb_ipcc_regs_t, C2MR),
    REG("IPCC", wb_ipcc_regs_t, C2SCR),
    REG("IPCC", wb_ipcc_regs_t, C2TOC1SR),
    BLOCK("HSEM", WB_HSEM_BASE),
    BLOCK("PKA", WB_PKA_BASE),
    REG("PKA", wb_pka_regs_t, CR),
    REG("PKA", wb_pka_regs_t, SR),
    REG("PKA", wb_pka_regs_t, CLRFR),
    REGN("HSEM", "R0", wb_hsem_regs_t, R[0]),
    REGN("HSEM", "R1", wb_hsem_regs_t, R[1]),
    REGN("HSEM", "R2", wb_hsem_regs_t, R[2]),
    REGN("HSEM", "R3", wb_hsem_regs_t, R[3]),
    REGN("HSEM", "R4", wb_hsem_regs_t, R[4]),
    REGN("HSEM", "R5", wb_hsem_regs_t, R[5]),
    REGN("HSEM", "R6", wb_hsem_regs_t, R[6]),
    REGN("HSEM", "R7", wb_hsem_regs_t, R[7]),
    REGN("HSEM", "R8", wb_hsem_regs_t, R[8]),
    REGN("HSEM", "R9", wb_hsem_regs_t, R[9]),
    REGN("HSEM", "R10", wb_hsem_regs_t, R[10]),
    REGN("HSEM", "R11", wb_hsem_regs_t, R[11]),
    REGN("HSEM", "R12", wb_hsem_regs_t, R[12]),
    REGN("HSEM", "R13", wb_hsem_regs_t, R[13]),
    REGN("HSEM", "R14", wb_hsem_regs_t, R[14]),
    REGN("HSEM", "R15", wb_hsem_regs_t, R[15]),
    REGN("HSEM", "R16", wb_hsem_regs_t, R[16]),
    REGN("HSEM", "R17", wb_hsem_regs_t, R[17]),
    REGN("HSEM", "R18", wb_hsem_regs_t, R[18]),
    REGN("HSEM", "R19", wb_hsem_regs_t, R[19]),
    REGN("HSEM", "R20", wb_hsem_regs_t, R[20]),
    REGN("HSEM", "R21", wb_hsem_regs_t, R[21]),
    REGN("HSEM", "R22", wb_hsem_regs_t, R[22]),
    REGN("HSEM", "R23", wb_hsem_regs_t, R[23]),
    REGN("HSEM", "R24", wb_hsem_regs_t, R[24]),
    REGN("HSEM", "R25", wb_hsem_regs_t, R[25]),
    REGN("HSEM", "R26", wb_hsem_regs_t, R[26]),
    REGN("HSEM", "R27", wb_hsem_regs_t, R[27]),
    REGN("HSEM", "R28", wb_hsem_regs_t, R[28]),
    REGN("HSEM", "R29", wb_hsem_regs_t, R[29]),
    REGN("HSEM", "R30", wb_hsem_regs_t, R[30]),
    REGN("HSEM", "R31", wb_hsem_regs_t, R[31]),
    REGN("HSEM", "RLR0", wb_hsem_regs_t, RLR[0]),
    REGN("HSEM", "RLR1", wb_hsem_regs_t, RLR[1]),
    REGN("HSEM", "RLR2", wb_hsem_regs_t, RLR[2]),
    REGN("HSEM", "RLR3", wb_hsem_regs_t, RLR[3]),
    REGN("HSEM", "RLR4", wb_hsem_regs_t, RLR[4]),
    REGN("HSEM", "RLR5", wb_hsem_regs_t, RLR[5]),
    REGN("HSEM", "RLR6", wb_hsem_regs_t, RLR[6]),
    REGN("HSEM", "RLR7", wb_hsem_regs_t, RLR[7]),
    REGN("HSEM", "RLR8", wb_hsem_regs_t, RLR[8]),
    REGN("HSEM", "RLR9", wb_hsem_regs_t, RLR[9]),
    REGN("HSEM", "RLR10", wb_hsem_regs_t, RLR[10]),
    REGN("HSEM", "RLR11", wb_hsem_regs_t, RLR[11]),
    REGN("HSEM", "RLR12", wb_hsem_regs_t, RLR[12]),
    REGN("HSEM", "RLR13", wb_hsem_regs_t, RLR[13]),
    REGN("HSEM", "RLR14", wb_hsem_regs_t, RLR[14]),
    REGN("HSEM", "RLR15", wb_hsem_regs_t, RLR[15]),
    REGN("HSEM", "RLR16", wb_hsem_regs_t, RLR[16]),
    REGN("HSEM", "RLR17", wb_hsem_regs_t, RLR[17]),
    REGN("HSEM", "RLR18", wb_hsem_regs_t, RLR[18]),
    REGN("HSEM", "RLR19", wb_hsem_regs_t, RLR[19]),
    REGN("HSEM", "RLR20", wb_hsem_regs_t, RLR[20]),
    REGN("HSEM", "RLR21", wb_hsem_regs_t, RLR[21]),
    REGN("HSEM", "RLR22", wb_hsem_regs_t, RLR[22]),
    REGN("HSEM", "RLR23", wb_hsem_regs_t, RLR[23]),
    REGN("HSEM", "RLR24", wb_hsem_regs_t, RLR[24]),
    REGN("HSEM", "RLR25", wb_hsem_regs_t, RLR[25]),
    REGN("HSEM", "RLR26", wb_hsem_regs_t, RLR[26]),
    REGN("HSEM", "RLR27", wb_hsem_regs_t, RLR[27]),
    REGN("HSEM", "RLR28", wb_hsem_regs_t, RLR[28]),
    REGN("HSEM", "RLR29", wb_hsem_regs_t, RLR[29]),
    REGN("HSEM", "RLR30", wb_hsem_regs_t, RLR[30]),
    REGN("HSEM", "RLR31", wb_hsem_regs_t, RLR[31]),
    REG("HSEM", wb_hsem_regs_t, C1IER),
    REG("HSEM", wb_hsem_regs_t, C1ICR),
    REG("HSEM", wb_hsem_regs_t, C1ISR),
    REG("HSEM", wb_hsem_regs_t, C1MISR),
    REG("HSEM", wb_hsem_regs_t, C2IER),
    REG("HSEM", wb_hsem_regs_t, C2ICR),
    REG("HSEM", wb_hsem_regs_t, C2ISR),
    REG("HSEM", wb_hsem_regs_t, C2MISR),
    REG("HSEM", wb_hsem_regs_t, CR),
    REG("HSEM", wb_hsem_regs_t, KEYR),
    BLOCK("GPIO", WB_GPIO_BASE),
    REG("GPIO", wb_gpio_regs_t, MODER),
    REG("GPIO", wb_gpio_regs_t, OTYPER),
    REG("GPIO", wb_gpio_regs_t, OSPEEDR),
    REG("GPIO", wb_gpio_regs_t, PUPDR),
    REG("GPIO", wb_gpio_regs_t, IDR),
    REG("GPIO", wb_gpio_regs_t, ODR),
    REG("GPIO", wb_gpio_regs_t, BSRR),
    REG("GPIO", wb_gpio_regs_t, LCKR),
    REGN("GPIO", "AFRL", wb_gpio_regs_t, AFR[0]),
    REGN("GPIO", "AFRH", wb_gpio_regs_t, AFR[1]),
    REG("GPIO", wb_gpio_regs_t, BRR),
};

typedef struct {
    const char *block, *reg, *name;
    uint32_t msk;
} prv_bits_t;
#define BITS(b, r, m)                                                                              \
    {                                                                                              \
        b, r, #m, m                                                                                \
    }

static const prv_bits_t s_bits[] = {
    BITS("FLASH", "ACR", WB_FLASH_ACR_LATENCY_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_PRFTEN_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_ICEN_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_DCEN_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_ICRST_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_DCRST_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_PES_Msk),
    BITS("FLASH", "ACR", WB_FLASH_ACR_EMPTY_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_EOP_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_OPERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_PROGERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_WRPERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_PGAERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_SIZERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_PGSERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_MISERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_FASTERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_OPTNV_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_RDERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_OPTVERR_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_BSY_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_CFGBSY_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_PESD_Msk),
    BITS("FLASH", "SR", WB_FLASH_SR_ERRORS_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_PG_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_PER_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_MER_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_PNB_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_STRT_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_OPTSTRT_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_FSTPG_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_EOPIE_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_ERRIE_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_RDERRIE_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_OBL_LAUNCH_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_OPTLOCK_Msk),
    BITS("FLASH", "CR", WB_FLASH_CR_LOCK_Msk),
    BITS("FLASH", "SFR", WB_FLASH_SFR_SFSA_Msk),
    BITS("FLASH", "SFR", WB_FLASH_SFR_FSD_Msk),
    BITS("FLASH", "SFR", WB_FLASH_SFR_DDS_Msk),
    BITS("RCC", "CR", WB_RCC_CR_MSION_Msk),
    BITS("RCC", "CR", WB_RCC_CR_MSIRDY_Msk),
    BITS("RCC", "CR", WB_RCC_CR_MSIRANGE_Msk),
    BITS("RCC", "CR", WB_RCC_CR_HSION_Msk),
    BITS("RCC", "CR", WB_RCC_CR_HSIRDY_Msk),
    BITS("RCC", "CR", WB_RCC_CR_HSEON_Msk),
    BITS("RCC", "CR", WB_RCC_CR_HSERDY_Msk),
    BITS("RCC", "CR", WB_RCC_CR_CSSON_Msk),
    BITS("RCC", "CR", WB_RCC_CR_HSEPRE_Msk),
    BITS("RCC", "CR", WB_RCC_CR_PLLON_Msk),
    BITS("RCC", "CR", WB_RCC_CR_PLLRDY_Msk),
    BITS("RCC", "CFGR", WB_RCC_CFGR_SW_Msk),
    BITS("RCC", "CFGR", WB_RCC_CFGR_SWS_Msk),
    BITS("RCC", "CFGR", WB_RCC_CFGR_HPRE_Msk),
    BITS("RCC", "CFGR", WB_RCC_CFGR_PPRE1_Msk),
    BITS("RCC", "CFGR", WB_RCC_CFGR_PPRE2_Msk),
    BITS("RCC", "PLLCFGR", WB_RCC_PLLCFGR_PLLSRC_Msk),
    BITS("RCC", "PLLCFGR", WB_RCC_PLLCFGR_PLLM_Msk),
    BITS("RCC", "PLLCFGR", WB_RCC_PLLCFGR_PLLN_Msk),
    BITS("RCC", "PLLCFGR", WB_RCC_PLLCFGR_PLLREN_Msk),
    BITS("RCC", "PLLCFGR", WB_RCC_PLLCFGR_PLLR_Msk),
    BITS("RCC", "SMPSCR", WB_RCC_SMPSCR_SMPSSEL_Msk),
    BITS("RCC", "SMPSCR", WB_RCC_SMPSCR_SMPSDIV_Msk),
    BITS("RCC", "AHB2ENR", WB_RCC_AHB2ENR_GPIOAEN_Msk),
    BITS("RCC", "AHB3ENR", WB_RCC_AHB3ENR_HSEMEN_Msk),
    BITS("RCC", "AHB3ENR", WB_RCC_AHB3ENR_PKAEN_Msk),
    BITS("PKA", "CR", WB_PKA_CR_EN_Msk),
    BITS("PKA", "CR", WB_PKA_CR_START_Msk),
    BITS("PKA", "CR", WB_PKA_CR_MODE_Msk),
    BITS("PKA", "CR", WB_PKA_CR_PROCENDIE_Msk),
    BITS("PKA", "CR", WB_PKA_CR_RAMERRIE_Msk),
    BITS("PKA", "CR", WB_PKA_CR_ADDRERRIE_Msk),
    BITS("PKA", "SR", WB_PKA_SR_BUSY_Msk),
    BITS("PKA", "SR", WB_PKA_SR_PROCENDF_Msk),
    BITS("PKA", "SR", WB_PKA_SR_RAMERRF_Msk),
    BITS("PKA", "SR", WB_PKA_SR_ADDRERRF_Msk),
    BITS("PKA", "CLRFR", WB_PKA_SR_FLAGS_Msk),
    BITS("RCC", "AHB3ENR", WB_RCC_AHB3ENR_IPCCEN_Msk),
    BITS("RCC", "AHB3ENR", WB_RCC_AHB3ENR_FLASHEN_Msk),
    BITS("RCC", "C2AHB3ENR", WB_RCC_C2AHB3ENR_HSEMEN_Msk),
    BITS("RCC", "C2AHB3ENR", WB_RCC_C2AHB3ENR_IPCCEN_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_LSEON_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_LSERDY_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_LSEBYP_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_LSEDRV_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_RTCSEL_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_RTCEN_Msk),
    BITS("RCC", "BDCR", WB_RCC_BDCR_BDRST_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_LSI1ON_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_LSI1RDY_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_LSI2ON_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_LSI2RDY_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_RFWKPSEL_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_RFRSTS_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_RMVF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_OBLRSTF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_PINRSTF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_BORRSTF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_SFTRSTF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_IWDGRSTF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_WWDGRSTF_Msk),
    BITS("RCC", "CSR", WB_RCC_CSR_LPWRRSTF_Msk),
    BITS("RCC", "HSECR", WB_RCC_HSECR_UNLOCKED_Msk),
    BITS("RCC", "HSECR", WB_RCC_HSECR_HSES_Msk),
    BITS("RCC", "HSECR", WB_RCC_HSECR_HSEGMC_Msk),
    BITS("RCC", "HSECR", WB_RCC_HSECR_HSETUNE_Msk),
    BITS("RCC", "EXTCFGR", WB_RCC_EXTCFGR_SHDHPRE_Msk),
    BITS("RCC", "EXTCFGR", WB_RCC_EXTCFGR_C2HPRE_Msk),
    BITS("RCC", "EXTCFGR", WB_RCC_EXTCFGR_SHDHPREF_Msk),
    BITS("RCC", "EXTCFGR", WB_RCC_EXTCFGR_C2HPREF_Msk),
    BITS("PWR", "CR1", WB_PWR_CR1_LPMS_Msk),
    BITS("PWR", "CR1", WB_PWR_CR1_DBP_Msk),
    BITS("PWR", "CR1", WB_PWR_CR1_VOS_Msk),
    BITS("PWR", "CR4", WB_PWR_CR4_C2BOOT_Msk),
    BITS("PWR", "CR5", WB_PWR_CR5_SMPSVOS_Msk),
    BITS("PWR", "CR5", WB_PWR_CR5_SMPSSC_Msk),
    BITS("PWR", "CR5", WB_PWR_CR5_BORHC_Msk),
    BITS("PWR", "CR5", WB_PWR_CR5_SMPSEN_Msk),
    BITS("EXTI", "RTSR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "FTSR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "SWIER2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "PR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "C1IMR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "C1EMR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "C2IMR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "C2EMR2", WB_EXTI_LINE41_Msk),
    BITS("EXTI", "RTSR2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "FTSR2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "SWIER2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "PR2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "C1IMR2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "C1EMR2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "C2IMR2", WB_EXTI_LINE40_Msk),
    BITS("EXTI", "C2EMR2", WB_EXTI_LINE40_Msk),
    BITS("IPCC", "C1CR", WB_IPCC_CR_RXOIE_Msk),
    BITS("IPCC", "C2CR", WB_IPCC_CR_RXOIE_Msk),
    BITS("IPCC", "C1CR", WB_IPCC_CR_TXFIE_Msk),
    BITS("IPCC", "C2CR", WB_IPCC_CR_TXFIE_Msk),
    BITS("HSEM", "R0", WB_HSEM_R_PROCID_Msk),
    BITS("HSEM", "R0", WB_HSEM_R_COREID_Msk),
    BITS("HSEM", "R0", WB_HSEM_R_LOCK_Msk),
};

static void test_every_header_register_is_in_the_table(void **state)
{
    (void)state;
    unsigned bad = 0;
    for (size_t i = 0; i < sizeof(s_regs) / sizeof(s_regs[0]); i++) {
        const prv_reg_t *h = &s_regs[i];
        const emu_regblock_t *b = emu_regblock_find(h->block);
        if (b == NULL) {
            printf("block %s: not in the emulator\n", h->block);
            bad++;
            continue;
        }
        if (h->reg == NULL) {
            if (b->base != h->val) {
                printf("%s base: header 0x%08x, emulator 0x%08x\n", h->block, h->val, b->base);
                bad++;
            }
            continue;
        }
        const emu_reg_t *r = emu_reg_find(h->block, h->reg);
        if (r == NULL) {
            printf("%s.%s (header offset 0x%03x): not in the emulator's table\n", h->block, h->reg,
                   h->val);
            bad++;
        } else if (r->off != h->val) {
            printf("%s.%s: header offset 0x%03x, emulator 0x%03x\n", h->block, h->reg, h->val,
                   r->off);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_every_header_bit_is_defined_in_the_table(void **state)
{
    (void)state;
    unsigned bad = 0;
    for (size_t i = 0; i < sizeof(s_bits) / sizeof(s_bits[0]); i++) {
        const prv_bits_t *h = &s_bits[i];
        const emu_reg_t *r = emu_reg_find(h->block, h->reg);
        if (r == NULL) {
            printf("%s: register %s.%s not in the emulator\n", h->name, h->block, h->reg);
            bad++;
        } else if ((h->msk & ~emu_reg_defined(r)) != 0u) {
            printf("%s = 0x%08x: bits 0x%08x are reserved in the emulator's %s.%s\n", h->name,
                   h->msk, h->msk & ~emu_reg_defined(r), h->block, h->reg);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static uint32_t prv_w1c(const char *b, const char *r)
{
    return emu_reg_find(b, r)->w1c;
}
static uint32_t prv_rw(const char *b, const char *r)
{
    return emu_reg_find(b, r)->wmask;
}
static uint32_t prv_ro(const char *b, const char *r)
{
    return emu_reg_find(b, r)->ro;
}

/* Access kinds the firmware relies on, as the header comments state them. */
static void test_access_kinds_agree(void **state)
{
    (void)state;
    /* FLASH_SR error flags and EOP are rc_w1; BSY/CFGBSY/PESD read-only */
    assert_int_equal(WB_FLASH_SR_ERRORS_Msk & ~prv_w1c("FLASH", "SR"), 0u);
    assert_int_equal(WB_FLASH_SR_EOP_Msk & ~prv_w1c("FLASH", "SR"), 0u);
    assert_int_equal((WB_FLASH_SR_BSY_Msk | WB_FLASH_SR_CFGBSY_Msk | WB_FLASH_SR_PESD_Msk) &
                         ~prv_ro("FLASH", "SR"),
                     0u);
    /* FLASH_CR control bits are rw */
    assert_int_equal((WB_FLASH_CR_PG_Msk | WB_FLASH_CR_PER_Msk | WB_FLASH_CR_PNB_Msk |
                      WB_FLASH_CR_STRT_Msk | WB_FLASH_CR_EOPIE_Msk | WB_FLASH_CR_LOCK_Msk) &
                         ~prv_rw("FLASH", "CR"),
                     0u);
    /* RCC_CSR: reset flags read-only, RFWKPSEL and LSIxON writable, ready flags read-only */
    const uint32_t flags = WB_RCC_CSR_OBLRSTF_Msk | WB_RCC_CSR_PINRSTF_Msk |
                           WB_RCC_CSR_BORRSTF_Msk | WB_RCC_CSR_SFTRSTF_Msk |
                           WB_RCC_CSR_IWDGRSTF_Msk | WB_RCC_CSR_WWDGRSTF_Msk |
                           WB_RCC_CSR_LPWRRSTF_Msk;
    assert_int_equal(flags, 0xFE000000u); /* RM0434 6.4.21: bits 31:25 */
    assert_int_equal(flags & ~prv_ro("RCC", "CSR"), 0u);
    assert_int_equal(flags & prv_rw("RCC", "CSR"), 0u);
    assert_int_equal((WB_RCC_CSR_RFWKPSEL_Msk | WB_RCC_CSR_LSI1ON_Msk | WB_RCC_CSR_LSI2ON_Msk) &
                         ~prv_rw("RCC", "CSR"),
                     0u);
    assert_int_equal((WB_RCC_CR_MSIRDY_Msk | WB_RCC_CR_HSIRDY_Msk | WB_RCC_CR_HSERDY_Msk |
                      WB_RCC_CR_PLLRDY_Msk) &
                         prv_rw("RCC", "CR"),
                     0u);
    assert_int_equal(WB_RCC_CFGR_SWS_Msk & prv_rw("RCC", "CFGR"), 0u);
    /* PWR_CR4.C2BOOT, IPCC RXOIE/TXFIE, HSEM R fields are writable; RLR read-only */
    assert_int_equal(WB_PWR_CR4_C2BOOT_Msk & ~prv_rw("PWR", "CR4"), 0u);
    assert_int_equal((WB_IPCC_CR_RXOIE_Msk | WB_IPCC_CR_TXFIE_Msk) & ~prv_rw("IPCC", "C1CR"), 0u);
    const uint32_t r = WB_HSEM_R_LOCK_Msk | WB_HSEM_R_COREID_Msk | WB_HSEM_R_PROCID_Msk;
    assert_int_equal(r & ~prv_rw("HSEM", "R7"), 0u);
    assert_int_equal(prv_rw("HSEM", "RLR7"), 0u);
    /* the CPU2 boot event is EXTI line 41 (CPU1 SEV), CPU2's own SEV is line 40 */
    assert_int_equal(WB_EXTI_LINE_C1SEV, 41u);
    assert_int_equal(WB_EXTI_LINE_C2SEV, 40u);
    assert_int_equal(WB_EXTI_LINE41_Msk & ~prv_rw("EXTI", "C2EMR2"), 0u);
}

static const emu_periph_t *prv_periph(emu_soc_t *soc, const char *name)
{
    for (unsigned i = 0; i < soc->nperiph; i++) {
        if (strcmp(soc->periph[i].name, name) == 0) {
            return &soc->periph[i];
        }
    }
    return NULL;
}

/* The window called name exists and its clock gate is RCC register offset clk_off, bit clk_bit. */
static const emu_periph_t *prv_gated(emu_soc_t *soc, const char *name, uint32_t clk_off,
                                     uint32_t clk_bit)
{
    const emu_periph_t *p = prv_periph(soc, name);
    assert_non_null(p);
    assert_int_equal(p->clk_off, clk_off);
    assert_int_equal(p->clk_bit, clk_bit);
    return p;
}

/* The clock gates the emulator applies are the enable bits the firmware sets. */
static void test_clock_gates_match_the_firmware_enable_bits(void **state)
{
    (void)state;
    emu_soc_opts_t o;
    memset(&o, 0, sizeof(o));
    o.strict = true;
    o.quiet = true;
    emu_soc_t *soc = emu_soc_create(&o);
    assert_non_null(soc);
    const uint32_t ahb3 = offsetof(wb_rcc_regs_t, AHB3ENR);
    const uint32_t ahb2 = offsetof(wb_rcc_regs_t, AHB2ENR);
    prv_gated(soc, "IPCC", ahb3, WB_RCC_AHB3ENR_IPCCEN_Msk);
    prv_gated(soc, "HSEM", ahb3, WB_RCC_AHB3ENR_HSEMEN_Msk);
    prv_gated(soc, "PKA", ahb3, WB_RCC_AHB3ENR_PKAEN_Msk);
    const emu_periph_t *p = prv_gated(soc, "PKA RAM", ahb3, WB_RCC_AHB3ENR_PKAEN_Msk);
    assert_int_equal(p->base - WB_PKA_BASE, offsetof(wb_pka_regs_t, RAM));
    assert_int_equal(p->size, sizeof(((wb_pka_regs_t *)0)->RAM));
    prv_gated(soc, "FLASH", ahb3, WB_RCC_AHB3ENR_FLASHEN_Msk);
    prv_gated(soc, "GPIOA", ahb2, WB_RCC_AHB2ENR_GPIOAEN_Msk);
    p = prv_gated(soc, "GPIOB", ahb2, WB_RCC_AHB2ENR_GPIOAEN_Msk << 1);
    assert_int_equal(p->base, WB_GPIO_BASE + WB_GPIO_PORT_SIZE);
    emu_soc_destroy(soc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_header_register_is_in_the_table),
        cmocka_unit_test(test_every_header_bit_is_defined_in_the_table),
        cmocka_unit_test(test_access_kinds_agree),
        cmocka_unit_test(test_clock_gates_match_the_firmware_enable_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
