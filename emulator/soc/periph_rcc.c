/* periph_rcc.c - RCC (RM0434 chapter 6, registers 6.4) at 0x58000000: oscillators with ready
 * flags after a start-up delay in simulated time, SYSCLK switch (SW -> SWS once the source is
 * ready), the CPU1 clock fed to the time base, CSR reset flags (RMVF), RFWKPSEL with the ES0394
 * 2.3.1 behaviour (once HSE/1024 = 11 is selected it sticks until power-on), the main PLL
 * (PLLCFGR writable only while off, locks only with its input running, SYSCLK = input / M * N /
 * R; the oscillators feeding SYSCLK, directly or through the PLL, cannot be stopped), HSECR with
 * its unlock key, and the enable/reset/sleep-enable registers (stored, no side effects: the other
 * models do not check their clock enable). Start-up delays are approximate datasheet values. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define RCC_BASE_ADDR 0x58000000u

#define T_MSI_NS 6000u
#define T_HSI_NS 2000u
#define T_HSE_NS 1000000u   /* 32 MHz crystal (HSE with tuning): ~1 ms */
#define T_LSE_NS 300000000u /* 32.768 kHz crystal: hundreds of ms */
#define T_LSI_NS 100000u
#define T_PLL_NS 40000u

/* CR */
#define CR_MSION      (1u << 0)
#define CR_MSIRDY     (1u << 1)
#define CR_HSION      (1u << 8)
#define CR_HSIRDY     (1u << 10)
#define CR_HSEON      (1u << 16)
#define CR_HSERDY     (1u << 17)
#define CR_HSEPRE     (1u << 20)
#define CR_PLLON      (1u << 24)
#define CR_PLLRDY     (1u << 25)
#define CR_PLLSAI1ON  (1u << 26)
#define CR_PLLSAI1RDY (1u << 27)
#define CR_RO         (CR_MSIRDY | CR_HSIRDY | CR_HSERDY | CR_PLLRDY | CR_PLLSAI1RDY | (1u << 12))
/* BDCR */
#define BDCR_LSEON  (1u << 0)
#define BDCR_LSERDY (1u << 1)
/* CSR */
#define CSR_LSI1ON       (1u << 0)
#define CSR_LSI1RDY      (1u << 1)
#define CSR_LSI2ON       (1u << 2)
#define CSR_LSI2RDY      (1u << 3)
#define CSR_RFWKPSEL_POS 14
#define CSR_RFWKPSEL_MSK (3u << 14)
#define CSR_RMVF         (1u << 23)
#define CSR_OBLRSTF      (1u << 25)
#define CSR_PINRSTF      (1u << 26)
#define CSR_BORRSTF      (1u << 27)
#define CSR_SFTRSTF      (1u << 28)
#define CSR_FLAGS        0xFF000000u

#define NREGS 0x100u

/* RM0434 6.4 register map. Masks: wmask = rw bits, ro = read-only flags and write-only action
 * bits (RMVF, CICR). Enable registers list the clock of every block of the STM32WB55. */
static const emu_reg_t s_regs[] = {
    /* MSION MSIPLLEN MSIRANGE HSION HSIKERON HSIASFS HSEON CSSON HSEPRE PLLON PLLSAI1ON */
    /* reset: MSI on and ready at 4 MHz */
    {0x000, "CR", 0x00000063u, 0x05190BF5u, 0, 0x0A021402u, NULL, NULL},
    {0x004, "ICSCR", 0x40000000u, 0x7F00FF00u, 0, 0x00FF00FFu, NULL, NULL},
    /* SW HPRE PPRE1 PPRE2 STOPWUCK MCOSEL MCOPRE rw; SWS HPREF PPRE1F PPRE2F ro; bit 14 reserved */
    {0x008, "CFGR", 0x00070000u, 0x7F00BFF3u, 0, 0x0007000Cu, NULL, NULL},
    {0x00C, "PLLCFGR", 0x22041000u, 0xFF3F7F73u, 0, 0, NULL, NULL},
    {0x010, "PLLSAI1CFGR", 0x22041000u, 0xFF3F7F00u, 0, 0, NULL, NULL},
    {0x018, "CIER", 0, 0x00000E7Fu, 0, 0, NULL, NULL},
    {0x01C, "CIFR", 0, 0, 0, 0x00000FFFu, NULL, NULL},
    {0x020, "CICR", 0, 0, 0, 0x00000FFFu, NULL, NULL},
    {0x024, "SMPSCR", 0, 0x00000033u, 0, 0x00000300u, NULL, NULL},
    {0x028, "AHB1RSTR", 0, 0x00011007u, 0, 0, NULL, NULL},
    {0x02C, "AHB2RSTR", 0, 0x0001209Fu, 0, 0, NULL, NULL},
    {0x030, "AHB3RSTR", 0, 0x021F0100u, 0, 0, NULL, NULL},
    {0x038, "APB1RSTR1", 0, 0x85A04201u, 0, 0, NULL, NULL},
    {0x03C, "APB1RSTR2", 0, 0x00000021u, 0, 0, NULL, NULL},
    {0x040, "APB2RSTR", 0, 0x00265800u, 0, 0, NULL, NULL},
    {0x044, "APB3RSTR", 0, 0x00000001u, 0, 0, NULL, NULL},
    /* DMA1EN DMA2EN DMAMUX1EN CRCEN TSCEN (the flash clock is AHB3ENR.FLASHEN) */
    {0x048, "AHB1ENR", 0, 0x00011007u, 0, 0, NULL, NULL},
    /* GPIOAEN..GPIOEEN GPIOHEN ADCEN AES1EN */
    {0x04C, "AHB2ENR", 0, 0x0001209Fu, 0, 0, NULL, NULL},
    /* QSPIEN PKAEN AES2EN RNGEN HSEMEN IPCCEN FLASHEN; HSEM and FLASH on after reset */
    {0x050, "AHB3ENR", 0x02080000u, 0x021F0100u, 0, 0, NULL, NULL},
    /* TIM2 LCD RTCAPB WWDG SPI2 I2C1 I2C3 CRS USB LPTIM1 */
    {0x058, "APB1ENR1", 0x00000400u, 0x85A04E01u, 0, 0, NULL, NULL},
    {0x05C, "APB1ENR2", 0, 0x00000021u, 0, 0, NULL, NULL},
    /* TIM1 SPI1 USART1 TIM16 TIM17 SAI1 */
    {0x060, "APB2ENR", 0, 0x00265800u, 0, 0, NULL, NULL},
    {0x068, "AHB1SMENR", 0x00011207u, 0x00011207u, 0, 0, NULL, NULL},
    {0x06C, "AHB2SMENR", 0x0001209Fu, 0x0001209Fu, 0, 0, NULL, NULL},
    {0x070, "AHB3SMENR", 0x03070100u, 0x03070100u, 0, 0, NULL, NULL},
    {0x078, "APB1SMENR1", 0x85A04E01u, 0x85A04E01u, 0, 0, NULL, NULL},
    {0x07C, "APB1SMENR2", 0x00000021u, 0x00000021u, 0, 0, NULL, NULL},
    {0x080, "APB2SMENR", 0x00265800u, 0x00265800u, 0, 0, NULL, NULL},
    {0x088, "CCIPR", 0, 0xFCFF3C03u, 0, 0, NULL, NULL},
    /* LSEON LSEBYP LSEDRV LSECSSON RTCSEL RTCEN BDRST LSCOEN LSCOSEL; LSERDY LSECSSD ro */
    {0x090, "BDCR", 0, 0x0301833Du, 0, 0x00000042u, NULL, NULL},
    /* LSI1ON LSI2ON LSI2TRIMEN LSI2BW RFWKPSEL rw; RDY/TRIMOK RFRSTS ro; RMVF action; reset
     * flags OBLRSTF..LPWRRSTF = bits 31:25 (0xFE000000) */
    {0x094, "CSR", 0x0C000000u, 0x0000CF15u, 0, 0xFE81002Au, NULL, NULL},
    {0x098, "CRRCR", 0, 0x00000001u, 0, 0x0000FF82u, NULL, NULL},
    {0x09C, "HSECR", 0, 0x00003F78u, 0, 0x00000001u, NULL, NULL},
    {0x108, "EXTCFGR", 0x00030000u, 0x001000FFu, 0, 0x00030000u, NULL, NULL},
    {0x148, "C2AHB1ENR", 0, 0x00011207u, 0, 0, NULL, NULL},
    {0x14C, "C2AHB2ENR", 0, 0x0001209Fu, 0, 0, NULL, NULL},
    {0x150, "C2AHB3ENR", 0, 0x021F0000u, 0, 0, NULL, NULL},
    {0x158, "C2APB1ENR1", 0, 0x85A04601u, 0, 0, NULL, NULL},
    {0x15C, "C2APB1ENR2", 0, 0x00000021u, 0, 0, NULL, NULL},
    {0x160, "C2APB2ENR", 0, 0x00265800u, 0, 0, NULL, NULL},
    {0x164, "C2APB3ENR", 0, 0x00000003u, 0, 0, NULL, NULL},
    {0x168, "C2AHB1SMENR", 0x00011207u, 0x00011207u, 0, 0, NULL, NULL},
    {0x16C, "C2AHB2SMENR", 0x0001209Fu, 0x0001209Fu, 0, 0, NULL, NULL},
    {0x170, "C2AHB3SMENR", 0x03070000u, 0x03070000u, 0, 0, NULL, NULL},
    {0x178, "C2APB1SMENR1", 0x85A04601u, 0x85A04601u, 0, 0, NULL, NULL},
    {0x17C, "C2APB1SMENR2", 0x00000021u, 0x00000021u, 0, 0, NULL, NULL},
    {0x180, "C2APB2SMENR", 0x00265800u, 0x00265800u, 0, 0, NULL, NULL},
    {0x184, "C2APB3SMENR", 0x00000003u, 0x00000003u, 0, 0, NULL, NULL},
};
#define NTAB (unsigned)(sizeof(s_regs) / sizeof(s_regs[0]))
const emu_regblock_t emu_rb_rcc = EMU_REGBLOCK("RCC", RCC_BASE_ADDR, s_regs, 0u, 0u);

static const emu_reg_t *prv_tab(uint32_t off)
{
    int i = emu_reg_index(s_regs, NTAB, off);
    return i < 0 ? NULL : &s_regs[i];
}

typedef enum { OSC_MSI, OSC_HSI, OSC_HSE, OSC_LSE, OSC_LSI1, OSC_LSI2, OSC_PLL, OSC_N } prv_osc_t;

struct emu_rcc {
    uint32_t r[NREGS]; /* plain storage for registers without special semantics */
    uint32_t cr, cfgr, bdcr, csr, hsecr, extcfgr;
    bool hsecr_unlocked;
    uint32_t rdy_timer[OSC_N];
};

static const uint32_t s_msi_hz[12] = {100000u,   200000u,   400000u,   800000u,
                                      1000000u,  2000000u,  4000000u,  8000000u,
                                      16000000u, 24000000u, 32000000u, 48000000u};

static uint32_t prv_sysclk(const struct emu_rcc *r, uint32_t sws)
{
    switch (sws) {
    case 0: {
        uint32_t range = (r->cr >> 4) & 0xFu;
        return s_msi_hz[range < 12u ? range : 6u];
    }
    case 1:
        return 16000000u;
    case 2:
        return (r->cr & CR_HSEPRE) ? 16000000u : 32000000u;
    default: {
        uint32_t pll = r->r[0x0C / 4];
        uint32_t src = pll & 3u;
        uint64_t in = src == 1u   ? s_msi_hz[((r->cr >> 4) & 0xFu) % 12u]
                      : src == 2u ? 16000000u
                      : src == 3u ? ((r->cr & CR_HSEPRE) ? 16000000u : 32000000u)
                                  : 0u;
        uint32_t m = ((pll >> 4) & 7u) + 1u;
        uint32_t n = (pll >> 8) & 0x7Fu;
        uint32_t rdiv = ((pll >> 29) & 7u) + 1u;
        return (uint32_t)(in / m * n / rdiv);
    }
    }
}

static uint32_t prv_hpre_div(uint32_t hpre)
{
    static const uint16_t div[16] = {1, 3, 5, 1, 1, 6, 10, 32, 2, 4, 8, 16, 64, 128, 256, 512};
    return div[hpre & 0xFu];
}

static void prv_update_clock(emu_soc_t *soc)
{
    struct emu_rcc *r = soc->rcc;
    uint32_t sws = (r->cfgr >> 2) & 3u;
    uint32_t hclk = prv_sysclk(r, sws) / prv_hpre_div((r->cfgr >> 4) & 0xFu);
    if (hclk != soc->sysclk_hz) {
        emu_trace(soc, EMU_TRACE_PERIPH, "RCC: CPU1 clock %" PRIu32 " Hz", hclk);
        emu_soc_set_sysclk(soc, hclk);
    }
}

static bool prv_src_ready(const struct emu_rcc *r, uint32_t sw)
{
    switch (sw) {
    case 0:
        return r->cr & CR_MSIRDY;
    case 1:
        return r->cr & CR_HSIRDY;
    case 2:
        return r->cr & CR_HSERDY;
    default:
        return r->cr & CR_PLLRDY;
    }
}

static void prv_try_switch(emu_soc_t *soc)
{
    struct emu_rcc *r = soc->rcc;
    uint32_t sw = r->cfgr & 3u;
    if (((r->cfgr >> 2) & 3u) != sw && prv_src_ready(r, sw)) {
        r->cfgr = (r->cfgr & ~0xCu) | (sw << 2);
    }
    prv_update_clock(soc);
}

/* PLLCFGR.PLLSRC (RM0434 6.4.4): 0 none, 1 MSI, 2 HSI16, 3 HSE. */
static bool prv_pll_src_ready(const struct emu_rcc *r)
{
    uint32_t src = r->r[0x0C / 4] & 3u;
    return src != 0u && prv_src_ready(r, src == 1u ? 0u : src == 2u ? 1u : 2u);
}

static void prv_ready_cb(emu_soc_t *soc, void *arg)
{
    struct emu_rcc *r = soc->rcc;
    prv_osc_t o = (prv_osc_t)(uintptr_t)arg;
    r->rdy_timer[o] = 0;
    if (o == OSC_PLL && !prv_pll_src_ready(r)) {
        /* no lock without a running input clock: try again one lock time later */
        r->rdy_timer[o] =
            emu_schedule(soc, emu_time_ns(soc) + T_PLL_NS, prv_ready_cb, (void *)(uintptr_t)o);
        return;
    }
    switch (o) {
    case OSC_MSI:
        r->cr |= CR_MSIRDY;
        break;
    case OSC_HSI:
        r->cr |= CR_HSIRDY;
        break;
    case OSC_HSE:
        r->cr |= CR_HSERDY;
        break;
    case OSC_PLL:
        r->cr |= CR_PLLRDY;
        break;
    case OSC_LSE:
        r->bdcr |= BDCR_LSERDY;
        break;
    case OSC_LSI1:
        r->csr |= CSR_LSI1RDY;
        break;
    case OSC_LSI2:
        r->csr |= CSR_LSI2RDY;
        break;
    default:
        break;
    }
    emu_trace(soc, EMU_TRACE_PERIPH, "RCC: oscillator %d ready", (int)o);
    prv_try_switch(soc);
}

/* on: start (ready after delay) or stop (ready cleared at once). */
static void prv_osc(emu_soc_t *soc, prv_osc_t o, bool on, bool ready, uint64_t delay)
{
    struct emu_rcc *r = soc->rcc;
    if (o == OSC_HSE && soc->opt.hse_dead) {
        return; /* --hse-dead: a missing or broken crystal never becomes ready */
    }
    if (on && !ready && r->rdy_timer[o] == 0u) {
        r->rdy_timer[o] =
            emu_schedule(soc, emu_time_ns(soc) + delay, prv_ready_cb, (void *)(uintptr_t)o);
    } else if (!on && r->rdy_timer[o] != 0u) {
        emu_cancel(soc, r->rdy_timer[o]);
        r->rdy_timer[o] = 0;
    }
}

static void prv_write_cr(emu_soc_t *soc, uint32_t nv)
{
    struct emu_rcc *r = soc->rcc;
    uint32_t sws = (r->cfgr >> 2) & 3u;
    /* the oscillator feeding SYSCLK cannot be stopped */
    if (sws == 0u) {
        nv |= CR_MSION;
    } else if (sws == 1u) {
        nv |= CR_HSION;
    } else if (sws == 2u) {
        nv |= CR_HSEON;
    } else {
        nv |= CR_PLLON;
        /* ... nor the one feeding the PLL that feeds SYSCLK */
        uint32_t src = r->r[0x0C / 4] & 3u;
        nv |= src == 1u ? CR_MSION : src == 2u ? CR_HSION : src == 3u ? CR_HSEON : 0u;
    }
    r->cr = (r->cr & CR_RO) | (nv & ~CR_RO & prv_tab(0x000)->wmask);
    if (!(r->cr & CR_MSION)) {
        r->cr &= ~CR_MSIRDY;
    }
    if (!(r->cr & CR_HSION)) {
        r->cr &= ~CR_HSIRDY;
    }
    if (!(r->cr & CR_HSEON)) {
        r->cr &= ~CR_HSERDY;
    }
    if (!(r->cr & CR_PLLON)) {
        r->cr &= ~CR_PLLRDY;
    }
    if (r->cr & CR_PLLSAI1ON) {
        r->cr |= CR_PLLSAI1RDY;
    } else {
        r->cr &= ~CR_PLLSAI1RDY;
    }
    prv_osc(soc, OSC_MSI, r->cr & CR_MSION, r->cr & CR_MSIRDY, T_MSI_NS);
    prv_osc(soc, OSC_HSI, r->cr & CR_HSION, r->cr & CR_HSIRDY, T_HSI_NS);
    prv_osc(soc, OSC_HSE, r->cr & CR_HSEON, r->cr & CR_HSERDY, T_HSE_NS);
    prv_osc(soc, OSC_PLL, r->cr & CR_PLLON, r->cr & CR_PLLRDY, T_PLL_NS);
    prv_update_clock(soc);
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_rcc *r = st;
    (void)soc;
    switch (off) {
    case 0x00:
        return r->cr;
    case 0x08: /* HPREF/PPRE1F/PPRE2F: prescaler changes apply at once */
        return r->cfgr | (7u << 16);
    case 0x90:
        return r->bdcr;
    case 0x94:
        return r->csr;
    case 0x9C:
        return r->hsecr;
    case 0x108:
        return r->extcfgr | (3u << 16); /* SHDHPREF, C2HPREF */
    default:
        if (off < NREGS * 4u) {
            return r->r[off / 4u];
        }
        return 0;
    }
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_rcc *r = st;
    switch (off) {
    case 0x00:
        prv_write_cr(soc, emu_reg_merge(r->cr, val, mask, prv_tab(0x000)->wmask));
        return;
    case 0x08:
        r->cfgr = emu_reg_merge(r->cfgr, val, mask, prv_tab(0x008)->wmask);
        prv_try_switch(soc);
        return;
    case 0x1C: /* CIFR: read-only */
        return;
    case 0x20: /* CICR: clear CIFR flags */
        r->r[0x1C / 4] &= ~(val & mask);
        return;
    case 0x90: {
        uint32_t nv = emu_reg_merge(r->bdcr, val, mask, prv_tab(0x090)->wmask);
        if (nv & (1u << 16)) { /* BDRST: backup domain reset */
            nv = 0;
        }
        r->bdcr = (nv & ~BDCR_LSERDY) | (r->bdcr & BDCR_LSERDY);
        if (!(r->bdcr & BDCR_LSEON)) {
            r->bdcr &= ~BDCR_LSERDY;
        }
        prv_osc(soc, OSC_LSE, r->bdcr & BDCR_LSEON, r->bdcr & BDCR_LSERDY, T_LSE_NS);
        return;
    }
    case 0x94: {
        uint32_t old_sel = r->csr & CSR_RFWKPSEL_MSK;
        uint32_t nv = emu_reg_merge(r->csr, val, mask, prv_tab(0x094)->wmask);
        if (old_sel == CSR_RFWKPSEL_MSK) {
            /* ES0394 2.3.1: HSE/1024 cannot be deselected until a power-on reset */
            nv |= CSR_RFWKPSEL_MSK;
            if ((nv & CSR_RFWKPSEL_MSK) != (val & mask & CSR_RFWKPSEL_MSK) &&
                (mask & CSR_RFWKPSEL_MSK)) {
                emu_trace(soc, EMU_TRACE_PERIPH,
                          "RCC_CSR.RFWKPSEL write ignored: stuck at HSE/1024 (ES0394 2.3.1)");
            }
        }
        if ((val & mask) & CSR_RMVF) {
            nv &= ~CSR_FLAGS; /* RMVF clears every reset flag */
        }
        r->csr = (nv & ~(CSR_LSI1RDY | CSR_LSI2RDY)) | (r->csr & (CSR_LSI1RDY | CSR_LSI2RDY));
        if (!(r->csr & CSR_LSI1ON)) {
            r->csr &= ~CSR_LSI1RDY;
        }
        if (!(r->csr & CSR_LSI2ON)) {
            r->csr &= ~CSR_LSI2RDY;
        }
        prv_osc(soc, OSC_LSI1, r->csr & CSR_LSI1ON, r->csr & CSR_LSI1RDY, T_LSI_NS);
        prv_osc(soc, OSC_LSI2, r->csr & CSR_LSI2ON, r->csr & CSR_LSI2RDY, T_LSI_NS);
        if ((r->csr & CSR_RFWKPSEL_MSK) != old_sel) {
            emu_trace(soc, EMU_TRACE_PERIPH, "RCC: RFWKPSEL = %" PRIu32,
                      (r->csr & CSR_RFWKPSEL_MSK) >> CSR_RFWKPSEL_POS);
        }
        return;
    }
    case 0x9C: /* HSECR: writable once after the 0xCAFECAFE key */
        if (mask == 0xFFFFFFFFu && val == 0xCAFECAFEu) {
            r->hsecr_unlocked = true;
            r->hsecr |= 1u; /* UNLOCKED */
            return;
        }
        if (r->hsecr_unlocked) {
            r->hsecr = emu_reg_merge(r->hsecr, val, mask, prv_tab(0x09C)->wmask) & ~1u;
            r->hsecr_unlocked = false;
        }
        return;
    case 0x098: /* CRRCR: HSI48 ready at once when switched on (start-up time not modelled) */
        r->r[0x98 / 4] = emu_reg_merge(r->r[0x98 / 4], val, mask, 1u);
        r->r[0x98 / 4] = (r->r[0x98 / 4] & ~2u) | ((r->r[0x98 / 4] & 1u) << 1);
        return;
    case 0x108:
        r->extcfgr = emu_reg_merge(r->extcfgr, val, mask, prv_tab(0x108)->wmask);
        return;
    case 0x0C: /* PLLCFGR: writable only while the PLL is off (RM0434 6.4.4) */
        if (r->cr & CR_PLLON) {
            emu_trace(soc, EMU_TRACE_PERIPH, "RCC_PLLCFGR write ignored: PLL is on");
            return;
        }
        r->r[0x0C / 4] = emu_reg_merge(r->r[0x0C / 4], val, mask, 0xFFFFFFFFu);
        return;
    default:
        if (off < NREGS * 4u && prv_tab(off) != NULL) {
            r->r[off / 4u] = emu_reg_merge(r->r[off / 4u], val, mask, prv_tab(off)->wmask);
            if (off == 0x0C && (r->cfgr & 0xCu) == 0xCu) {
                prv_update_clock(soc);
            }
        }
        return;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    struct emu_rcc *r = st;
    uint32_t bdcr = r->bdcr, csr = r->csr;
    memset(r->r, 0, sizeof(r->r));
    memset(r->rdy_timer, 0, sizeof(r->rdy_timer)); /* timers were dropped by the reset */
    for (unsigned i = 0; i < NTAB; i++) {
        r->r[s_regs[i].off / 4u] = s_regs[i].reset;
    }
    r->cr = CR_MSION | CR_MSIRDY | (6u << 4); /* MSI 4 MHz (RM0434 6.4.1) */
    r->cfgr = 0;                              /* HPREF/PPRE1F/PPRE2F are added when read */
    r->hsecr = 0;
    r->hsecr_unlocked = false;
    r->extcfgr = 0;
    if (power_on) {
        r->bdcr = 0;
        r->csr = 0;
    } else {
        /* backup domain survives; RFWKPSEL survives only when stuck at HSE/1024 (ES0394) */
        r->bdcr = bdcr & ~BDCR_LSERDY;
        r->csr = csr & (CSR_FLAGS |
                        ((csr & CSR_RFWKPSEL_MSK) == CSR_RFWKPSEL_MSK ? CSR_RFWKPSEL_MSK : 0u));
        if (bdcr & BDCR_LSERDY) {
            r->bdcr |= BDCR_LSERDY; /* LSE keeps running through a system reset */
        }
    }
}

void emu_rcc_note_reset(emu_soc_t *soc, bool power_on)
{
    struct emu_rcc *r = soc->rcc;
    if (power_on) {
        r->csr = (r->csr & ~CSR_FLAGS) | CSR_BORRSTF | CSR_PINRSTF;
    } else {
        /* the internal reset drives NRST too: software reset shows SFTRSTF and PINRSTF */
        r->csr |= CSR_SFTRSTF | CSR_PINRSTF;
    }
    if ((r->bdcr & BDCR_LSEON) && !(r->bdcr & BDCR_LSERDY)) {
        prv_osc(soc, OSC_LSE, true, false, T_LSE_NS);
    }
}

void emu_rcc_init(emu_soc_t *soc)
{
    struct emu_rcc *r = soc->rcc = calloc(1, sizeof(*r));
    emu_periph_t p = {
        .read = prv_read, .write = prv_write, .reset = prv_reset, .st = r, .rb = &emu_rb_rcc};
    emu_soc_add_model(soc, &p, sizeof(*r), prv_ready_cb);
    r->csr = CSR_BORRSTF | CSR_PINRSTF;
}

uint32_t emu_rcc_rng_clock_hz(const emu_soc_t *soc)
{
    const struct emu_rcc *r = soc->rcc;
    uint32_t ccipr = r->r[0x88 / 4];
    switch (ccipr >> 30) {
    case 0: /* CLK48 */
        switch ((ccipr >> 26) & 3u) {
        case 0: /* HSI48 */
            return (r->r[0x98 / 4] & 2u) ? 48000000u : 0u;
        case 1: /* PLLSAI1 Q */
            return ((r->cr & CR_PLLSAI1RDY) && (r->r[0x10 / 4] & (1u << 24))) ? 48000000u : 0u;
        case 2: /* PLL Q */
            return ((r->cr & CR_PLLRDY) && (r->r[0x0C / 4] & (1u << 24))) ? 48000000u : 0u;
        default: /* MSI */
            return (r->cr & CR_MSIRDY) ? 48000000u : 0u;
        }
    case 1: /* LSI (LSI1 or LSI2) */
        return (r->csr & (CSR_LSI1RDY | CSR_LSI2RDY)) ? 32000u : 0u;
    case 2: /* LSE */
        return (r->bdcr & BDCR_LSERDY) ? 32768u : 0u;
    default:
        return 0;
    }
}

bool emu_rcc_enabled(const emu_soc_t *soc, uint32_t off, uint32_t bit)
{
    return off < NREGS * 4u && (soc->rcc->r[off / 4u] & bit) != 0u;
}

uint32_t emu_rcc_rfwkpsel(const emu_soc_t *soc)
{
    return (soc->rcc->csr & CSR_RFWKPSEL_MSK) >> CSR_RFWKPSEL_POS;
}

bool emu_rcc_hse_ready(const emu_soc_t *soc)
{
    return (soc->rcc->cr & CR_HSERDY) != 0u;
}

bool emu_rcc_lse_ready(const emu_soc_t *soc)
{
    return (soc->rcc->bdcr & BDCR_LSERDY) != 0u;
}
