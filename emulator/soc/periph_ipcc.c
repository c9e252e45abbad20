/* periph_ipcc.c - IPCC (RM0434 chapter 37) at 0x58000C00, CPU1 registers plus the CPU2 side
 * through emu_soc.h. Channels 1..6 = bits 0..5. C1SCR: CHnC (bit n-1) clears C2TOC1SR.CHnF,
 * CHnS (bit 16+n-1) sets C1TOC2SR.CHnF. Interrupts: IPCC_C1_RX (IRQ 44) while a C2TOC1 flag is
 * set, unmasked in C1MR.CHnOM and C1CR.RXOIE = 1; IPCC_C1_TX (IRQ 45) while a C1TOC2 flag is
 * clear, unmasked in C1MR.CHnFM and C1CR.TXFIE = 1. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>

#define IPCC_BASE_ADDR 0x58000C00u
#define CH_MASK        0x3Fu

/* RM0434 37.6 register map */
static const emu_reg_t s_regs[] = {
    {0x00, "C1CR", 0, 0x00010001u, 0, 0, NULL, NULL},           /* RXOIE, TXFIE */
    {0x04, "C1MR", 0x003F003Fu, 0x003F003Fu, 0, 0, NULL, NULL}, /* CHnOM, CHnFM */
    {0x08, "C1SCR", 0, 0, 0, 0x003F003Fu, NULL, NULL},          /* CHnC, CHnS (wo) */
    {0x0C, "C1TOC2SR", 0, 0, 0, 0x0000003Fu, NULL, NULL},       /* CHnF (ro) */
    {0x10, "C2CR", 0, 0x00010001u, 0, 0, NULL, NULL},
    {0x14, "C2MR", 0x003F003Fu, 0x003F003Fu, 0, 0, NULL, NULL},
    {0x18, "C2SCR", 0, 0, 0, 0x003F003Fu, NULL, NULL},
    {0x1C, "C2TOC1SR", 0, 0, 0, 0x0000003Fu, NULL, NULL},
    {0x3F0, "HWCFGR", 0x00000006u, 0, 0, 0x000000FFu, NULL, NULL},
    {0x3F4, "VERR", 0x00000010u, 0, 0, 0x000000FFu, NULL, NULL},
    {0x3F8, "IPIDR", 0x00100071u, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3FC, "SIDR", 0xA3C5DD01u, 0, 0, 0xFFFFFFFFu, NULL, NULL},
};
/* clock gate: IPCCEN */
const emu_regblock_t emu_rb_ipcc =
    EMU_REGBLOCK("IPCC", IPCC_BASE_ADDR, s_regs, EMU_RCC_AHB3ENR, 1u << 20);

struct emu_ipcc {
    uint32_t c1cr, c1mr, c2cr, c2mr;
    uint32_t c1toc2; /* C1TOC2SR CHnF */
    uint32_t c2toc1; /* C2TOC1SR CHnF */
};

static void prv_update_irq(emu_soc_t *soc)
{
    struct emu_ipcc *s = soc->ipcc;
    bool rx = (s->c1cr & 1u) && (s->c2toc1 & ~s->c1mr & CH_MASK);
    bool tx = (s->c1cr & (1u << 16)) && (~s->c1toc2 & ~(s->c1mr >> 16) & CH_MASK);
    emu_irq_set(soc, EMU_IRQ_IPCC_RX, rx);
    emu_irq_set(soc, EMU_IRQ_IPCC_TX, tx);
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_ipcc *s = st;
    switch (off) {
    case 0x00:
        return s->c1cr;
    case 0x04:
        return s->c1mr;
    case 0x08:
    case 0x18: /* C1SCR/C2SCR: write-only */
        return 0;
    case 0x0C:
        return s->c1toc2;
    case 0x10:
        return s->c2cr;
    case 0x14:
        return s->c2mr;
    case 0x1C:
        return s->c2toc1;
    case 0x3F0: /* HWCFGR: 6 channels */
    case 0x3F4: /* VERR */
    case 0x3F8: /* IPIDR */
    case 0x3FC: /* SIDR */
        return s_regs[emu_reg_index(s_regs, emu_rb_ipcc.nregs, off)].reset;
    default:
        emu_soc_unimplemented(soc, "IPCC", IPCC_BASE_ADDR + off, false, 0);
        return 0;
    }
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_ipcc *s = st;
    switch (off) {
    case 0x00:
        s->c1cr = emu_reg_merge(s->c1cr, val, mask, 0x00010001u);
        break;
    case 0x04:
        s->c1mr = emu_reg_merge(s->c1mr, val, mask, 0x003F003Fu);
        break;
    case 0x08: {
        uint32_t v = val & mask;
        uint32_t clr = v & CH_MASK & s->c2toc1;
        uint32_t set = (v >> 16) & CH_MASK;
        s->c2toc1 &= ~(v & CH_MASK);
        s->c1toc2 |= set;
        prv_update_irq(soc);
        for (unsigned ch = 1; ch <= 6u; ch++) {
            if (clr & (1u << (ch - 1u))) {
                emu_trace(soc, EMU_TRACE_CPU2, "IPCC: CPU1 cleared C2TOC1 ch%u", ch);
                for (unsigned i = 0; i < soc->ndev; i++) {
                    if (soc->dev[i].ops->ipcc_c1_cleared_cb != NULL) {
                        soc->dev[i].ops->ipcc_c1_cleared_cb(soc, soc->dev[i].ctx, ch);
                    }
                }
            }
            if (set & (1u << (ch - 1u))) {
                emu_trace(soc, EMU_TRACE_CPU2, "IPCC: CPU1 set C1TOC2 ch%u", ch);
                for (unsigned i = 0; i < soc->ndev; i++) {
                    if (soc->dev[i].ops->ipcc_c1_set_cb != NULL) {
                        soc->dev[i].ops->ipcc_c1_set_cb(soc, soc->dev[i].ctx, ch);
                    }
                }
            }
        }
        break;
    }
    case 0x18: {
        /* C2SCR (RM0434 37.6.7): CHnC clears C1TOC2SR.CHnF (CPU2 took CPU1's message), CHnS
         * sets C2TOC1SR.CHnF. CPU1 firmware built with ST's middleware writes 0x3F here when it
         * resets the IPCC at boot. */
        uint32_t v = val & mask;
        uint32_t clr = v & CH_MASK & s->c1toc2;
        uint32_t set = (v >> 16) & CH_MASK & ~s->c2toc1;
        s->c1toc2 &= ~(v & CH_MASK);
        s->c2toc1 |= (v >> 16) & CH_MASK;
        for (unsigned ch = 1; ch <= 6u; ch++) {
            if (clr & (1u << (ch - 1u))) {
                emu_trace(soc, EMU_TRACE_CPU2, "IPCC: C2SCR cleared C1TOC2 ch%u", ch);
            }
            if (set & (1u << (ch - 1u))) {
                emu_trace(soc, EMU_TRACE_CPU2, "IPCC: C2SCR set C2TOC1 ch%u", ch);
            }
        }
        break;
    }
    case 0x0C:
    case 0x1C: /* status registers are read-only */
    case 0x3F0:
    case 0x3F4:
    case 0x3F8:
    case 0x3FC:
        break;
    case 0x10:
        s->c2cr = emu_reg_merge(s->c2cr, val, mask, 0x00010001u);
        break;
    case 0x14:
        s->c2mr = emu_reg_merge(s->c2mr, val, mask, 0x003F003Fu);
        break;
    default:
        emu_soc_unimplemented(soc, "IPCC", IPCC_BASE_ADDR + off, true, val);
        return;
    }
    prv_update_irq(soc);
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)power_on;
    struct emu_ipcc *s = st;
    s->c1cr = 0;
    s->c2cr = 0;
    s->c1mr = 0x003F003Fu; /* everything masked (RM0434 37.6.2) */
    s->c2mr = 0x003F003Fu;
    s->c1toc2 = 0;
    s->c2toc1 = 0;
    prv_update_irq(soc);
}

void emu_ipcc_init(emu_soc_t *soc)
{
    struct emu_ipcc *s = soc->ipcc = calloc(1, sizeof(*s));
    emu_periph_t p = {
        .read = prv_read, .write = prv_write, .reset = prv_reset, .st = s, .rb = &emu_rb_ipcc};
    emu_soc_add_model(soc, &p, sizeof(*s), NULL);
}

static bool prv_ch_ok(unsigned ch)
{
    return ch >= 1u && ch <= 6u;
}

bool emu_ipcc_c1_to_c2_pending(emu_soc_t *soc, unsigned ch)
{
    return prv_ch_ok(ch) && (soc->ipcc->c1toc2 & (1u << (ch - 1u)));
}

void emu_ipcc_c2_ack(emu_soc_t *soc, unsigned ch)
{
    if (prv_ch_ok(ch)) {
        soc->ipcc->c1toc2 &= ~(1u << (ch - 1u));
        emu_trace(soc, EMU_TRACE_CPU2, "IPCC: CPU2 freed C1TOC2 ch%u", ch);
        prv_update_irq(soc);
    }
}

void emu_ipcc_c2_to_c1_set(emu_soc_t *soc, unsigned ch)
{
    if (prv_ch_ok(ch)) {
        soc->ipcc->c2toc1 |= 1u << (ch - 1u);
        emu_trace(soc, EMU_TRACE_CPU2, "IPCC: CPU2 set C2TOC1 ch%u", ch);
        soc->nvic.event_reg = true; /* CPU2 also signals an event to CPU1 (C2SEV) */
        prv_update_irq(soc);
    }
}

bool emu_ipcc_c2_to_c1_pending(emu_soc_t *soc, unsigned ch)
{
    return prv_ch_ok(ch) && (soc->ipcc->c2toc1 & (1u << (ch - 1u)));
}
