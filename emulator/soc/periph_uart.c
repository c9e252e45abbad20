/* periph_uart.c - USART1 (RM0434 chapter 36) with DMA2 (chapter 11) and DMAMUX1 (chapter 12), the
 * path ST's reference applications print their traces on. USART1 at 0x40013800: a byte written
 * to TDR (by the CPU or by DMA) while CR1.UE and CR1.TE are set is transmitted at once (baud rate
 * not modelled) and collected into a line: each line appears as `EMU LOG UART1: <text>` (CR
 * dropped, 200 characters at most per line). ISR: TXE always 1, TC set after each byte (cleared
 * by ICR.TCCF), TEACK/REACK follow TE/RE while UE = 1. IRQ 36 on TCIE & TC or TXEIE & TXE.
 * DMA2 at 0x40020400, channels 1-7 (CCR/CNDTR/CPAR/CMAR at 0x08 + 20 * (n - 1)); DMA2 channel n is
 * fed by DMAMUX1 channel 6 + n (DMAMUX1 at 0x40020800, CxCR.DMAREQ_ID; request 15 = USART1_TX).
 * A memory-to-peripheral transfer runs as a whole when the channel is enabled, its DMAMUX request
 * is USART1_TX and USART1 has CR3.DMAT set; it then sets HTIF/TCIF/GIF (IRQ 55 + n - 1 when
 * TCIE/HTIE). Clocks: APB2ENR.USART1EN (bit 14), AHB1ENR.DMA2EN (bit 1), AHB1ENR.DMAMUX1EN (bit 2).
 * Not modelled: reception, baud-rate timing, circular mode (runs once), DMA1, peripheral-to-memory
 * and memory-to-memory transfers (reported as unimplemented). */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define USART1_BASE   0x40013800u
#define DMA2_BASE     0x40020400u
#define DMAMUX1_BASE  0x40020800u
#define IRQ_USART1    36u
#define IRQ_DMA2_CH1  55u
#define REQ_USART1_TX 15u
#define LINE_MAX      200u

#define CR1_UE    (1u << 0)
#define CR1_RE    (1u << 2)
#define CR1_TE    (1u << 3)
#define CR1_TCIE  (1u << 6)
#define CR1_TXEIE (1u << 7)
#define CR3_DMAT  (1u << 7)
#define ISR_TC    (1u << 6)
#define ISR_TXE   (1u << 7)
#define CCR_EN    (1u << 0)
#define CCR_TCIE  (1u << 1)
#define CCR_HTIE  (1u << 2)
#define CCR_TEIE  (1u << 3)
#define CCR_DIR   (1u << 4)
#define CCR_MINC  (1u << 7)
#define CCR_M2M   (1u << 14)

static void prv_usart_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static void prv_icr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static void prv_tdr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static uint32_t prv_isr_rd(emu_soc_t *soc, void *st, uint32_t stored);
static void prv_ifcr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static void prv_dma_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);

static const emu_reg_t s_usart_regs[] = {
    {0x00, "CR1", 0, 0xFFFFFFFFu, 0, 0, NULL, prv_usart_wr},
    {0x04, "CR2", 0, 0xFFFFFF7Bu, 0, 0, NULL, NULL},
    {0x08, "CR3", 0, 0xF1FFFFFFu, 0, 0, NULL, prv_usart_wr}, /* DMAT = bit 7 */
    {0x0C, "BRR", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x10, "GTPR", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x14, "RTOR", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x18, "RQR", 0, 0, 0, 0x0000001Fu, NULL, NULL},
    {0x1C, "ISR", 0x000000C0u, 0, 0, 0x0FFFFFFFu, prv_isr_rd, NULL}, /* TXE, TC after reset */
    {0x20, "ICR", 0, 0, 0, 0x00123B5Fu, NULL, prv_icr_wr},
    {0x24, "RDR", 0, 0, 0, 0x000001FFu, NULL, NULL},
    {0x28, "TDR", 0, 0x000001FFu, 0, 0, NULL, prv_tdr_wr},
    {0x2C, "PRESC", 0, 0x0000000Fu, 0, 0, NULL, NULL},
};
#define NUSART (sizeof(s_usart_regs) / sizeof(s_usart_regs[0]))
/* clock gate: USART1EN */
const emu_regblock_t emu_rb_usart1 =
    EMU_REGBLOCK("USART1", USART1_BASE, s_usart_regs, EMU_RCC_APB2ENR, 1u << 14);

static const emu_reg_t s_dma_regs[] = {
    {0x00, "ISR", 0, 0, 0, 0x0FFFFFFFu, NULL, NULL},
    {0x04, "IFCR", 0, 0, 0, 0x0FFFFFFFu, NULL, prv_ifcr_wr},
    {0x08, "CCR1", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x0C, "CNDTR1", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x10, "CPAR1", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x14, "CMAR1", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x1C, "CCR2", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x20, "CNDTR2", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x24, "CPAR2", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x28, "CMAR2", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x30, "CCR3", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x34, "CNDTR3", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x38, "CPAR3", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x3C, "CMAR3", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x44, "CCR4", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x48, "CNDTR4", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x4C, "CPAR4", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x50, "CMAR4", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x58, "CCR5", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x5C, "CNDTR5", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x60, "CPAR5", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x64, "CMAR5", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x6C, "CCR6", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x70, "CNDTR6", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x74, "CPAR6", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x78, "CMAR6", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x80, "CCR7", 0, 0x00007FFFu, 0, 0, NULL, prv_dma_wr},
    {0x84, "CNDTR7", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x88, "CPAR7", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x8C, "CMAR7", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
};
#define NDMA (sizeof(s_dma_regs) / sizeof(s_dma_regs[0]))
/* clock gate: DMA2EN */
const emu_regblock_t emu_rb_dma2 =
    EMU_REGBLOCK("DMA2", DMA2_BASE, s_dma_regs, EMU_RCC_AHB1ENR, 1u << 1);

static const emu_reg_t s_mux_regs[] = {
    {0x00, "C0CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x04, "C1CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x08, "C2CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x0C, "C3CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x10, "C4CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x14, "C5CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x18, "C6CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x1C, "C7CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x20, "C8CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x24, "C9CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x28, "C10CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x2C, "C11CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x30, "C12CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x34, "C13CR", 0, 0x1FFF033Fu, 0, 0, NULL, prv_dma_wr},
    {0x80, "CSR", 0, 0, 0, 0x00003FFFu, NULL, NULL},
    {0x84, "CFR", 0, 0, 0, 0x00003FFFu, NULL, NULL},
    {0x100, "RG0CR", 0, 0x00FF011Fu, 0, 0, NULL, NULL},
    {0x104, "RG1CR", 0, 0x00FF011Fu, 0, 0, NULL, NULL},
    {0x108, "RG2CR", 0, 0x00FF011Fu, 0, 0, NULL, NULL},
    {0x10C, "RG3CR", 0, 0x00FF011Fu, 0, 0, NULL, NULL},
    {0x140, "RGSR", 0, 0, 0, 0x0000000Fu, NULL, NULL},
    {0x144, "RGCFR", 0, 0, 0, 0x0000000Fu, NULL, NULL},
};
#define NMUX (sizeof(s_mux_regs) / sizeof(s_mux_regs[0]))
/* clock gate: DMAMUX1EN */
const emu_regblock_t emu_rb_dmamux1 =
    EMU_REGBLOCK("DMAMUX1", DMAMUX1_BASE, s_mux_regs, EMU_RCC_AHB1ENR, 1u << 2);

struct emu_uart {
    uint32_t usart[NUSART];
    uint32_t dma[NDMA];
    uint32_t mux[NMUX];
    uint32_t tc; /* ISR.TC */
    uint32_t nline;
    char line[LINE_MAX + 1];
};

/* table indexes */
#define U_CR1      0
#define U_CR3      2
#define U_ISR      7
#define D_ISR      0
#define D_CCR(n)   (2u + 4u * ((n)-1u))
#define D_CNDTR(n) (3u + 4u * ((n)-1u))
#define D_CPAR(n)  (4u + 4u * ((n)-1u))
#define D_CMAR(n)  (5u + 4u * ((n)-1u))

static void prv_irqs(emu_soc_t *soc, struct emu_uart *u)
{
    uint32_t cr1 = u->usart[U_CR1];
    emu_irq_set(soc, IRQ_USART1, ((cr1 & CR1_TCIE) && u->tc) || (cr1 & CR1_TXEIE));
    for (unsigned n = 1; n <= 7u; n++) {
        uint32_t f = (u->dma[D_ISR] >> (4u * (n - 1u))) & 0xFu; /* GIF TCIF HTIF TEIF */
        uint32_t ccr = u->dma[D_CCR(n)];
        bool lvl = ((ccr & CCR_TCIE) && (f & 2u)) || ((ccr & CCR_HTIE) && (f & 4u)) ||
                   ((ccr & CCR_TEIE) && (f & 8u));
        emu_irq_set(soc, IRQ_DMA2_CH1 + n - 1u, lvl);
    }
}

static void prv_flush(emu_soc_t *soc, struct emu_uart *u)
{
    u->line[u->nline] = '\0';
    emu_log(soc, "UART1: %s", u->line);
    u->nline = 0;
}

static void prv_tx_byte(emu_soc_t *soc, struct emu_uart *u, uint8_t b)
{
    uint32_t cr1 = u->usart[U_CR1];
    if (!(cr1 & CR1_UE) || !(cr1 & CR1_TE)) {
        emu_trace(soc, EMU_TRACE_PERIPH, "USART1: byte 0x%02x not sent (UE/TE off)", b);
        return;
    }
    u->tc = 1;
    if (b == '\r') {
        return;
    }
    if (b == '\n') {
        prv_flush(soc, u);
        return;
    }
    u->line[u->nline++] = (b >= 0x20u && b < 0x7Fu) ? (char)b : '.';
    if (u->nline == LINE_MAX) {
        prv_flush(soc, u);
    }
}

/* Run every DMA2 channel whose request is pending. */
static void prv_dma_kick(emu_soc_t *soc, struct emu_uart *u)
{
    if (!emu_rcc_enabled(soc, EMU_RCC_AHB1ENR, 1u << 1) ||
        !emu_rcc_enabled(soc, EMU_RCC_AHB1ENR, 1u << 2)) {
        return; /* DMA2 or DMAMUX1 not clocked: no request reaches the channel */
    }
    for (unsigned n = 1; n <= 7u; n++) {
        uint32_t ccr = u->dma[D_CCR(n)];
        uint32_t cnt = u->dma[D_CNDTR(n)];
        if (!(ccr & CCR_EN) || cnt == 0u) {
            continue;
        }
        if (ccr & CCR_M2M || !(ccr & CCR_DIR)) {
            emu_soc_unimplemented(soc, "DMA2 (memory-to-memory / peripheral-to-memory)",
                                  DMA2_BASE + 0x08u + 20u * (n - 1u), true, ccr);
            continue;
        }
        uint32_t req = u->mux[6u + n] & 0x3Fu;
        if (req != REQ_USART1_TX || !(u->usart[U_CR3] & CR3_DMAT) ||
            !emu_rcc_enabled(soc, EMU_RCC_APB2ENR, 1u << 14)) {
            continue; /* no request from USART1 (yet) */
        }
        if (u->dma[D_CPAR(n)] != USART1_BASE + 0x28u) {
            emu_soc_unimplemented(soc, "DMA2 (peripheral address other than USART1_TDR)",
                                  DMA2_BASE + 0x10u + 20u * (n - 1u), true, u->dma[D_CPAR(n)]);
            continue;
        }
        uint32_t msize = 1u << ((ccr >> 10) & 3u);
        uint32_t addr = u->dma[D_CMAR(n)];
        unsigned sh = 4u * (n - 1u);
        emu_trace(soc, EMU_TRACE_PERIPH,
                  "DMA2 ch%u: %" PRIu32 " items from 0x%08" PRIx32 " to USART1", n, cnt, addr);
        for (; cnt > 0u; cnt--) {
            uint8_t b[4] = {0};
            if (!emu_mem_read(soc, addr, b, msize > 4u ? 4u : msize)) {
                u->dma[D_ISR] |= 0x9u << sh; /* TEIF, GIF; the channel is disabled */
                u->dma[D_CCR(n)] &= ~CCR_EN;
                break;
            }
            prv_tx_byte(soc, u, b[0]);
            if (ccr & CCR_MINC) {
                addr += msize;
            }
        }
        u->dma[D_CNDTR(n)] = cnt;
        if (cnt == 0u) {
            u->dma[D_ISR] |= 0x7u << sh; /* GIF TCIF HTIF */
        }
    }
    prv_irqs(soc, u);
}

static void prv_usart_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    (void)val;
    (void)mask;
    prv_dma_kick(soc, st);
}

static void prv_dma_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    (void)val;
    (void)mask;
    prv_dma_kick(soc, st);
}

static void prv_icr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    struct emu_uart *u = st;
    if (val & mask & ISR_TC) {
        u->tc = 0; /* TCCF */
    }
    prv_irqs(soc, u);
}

static void prv_tdr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    struct emu_uart *u = st;
    if (mask & 0xFFu) {
        prv_tx_byte(soc, u, (uint8_t)val);
    }
    prv_irqs(soc, u);
}

static uint32_t prv_isr_rd(emu_soc_t *soc, void *st, uint32_t stored)
{
    (void)soc;
    (void)stored;
    struct emu_uart *u = st;
    uint32_t cr1 = u->usart[U_CR1];
    uint32_t v = ISR_TXE | (u->tc ? ISR_TC : 0u);
    if (cr1 & CR1_UE) {
        v |= ((cr1 & CR1_TE) ? (1u << 21) : 0u) | ((cr1 & CR1_RE) ? (1u << 22) : 0u);
    }
    return v;
}

static void prv_ifcr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    struct emu_uart *u = st;
    uint32_t v = val & mask;
    for (unsigned n = 1; n <= 7u; n++) {
        unsigned sh = 4u * (n - 1u);
        if ((v >> sh) & 1u) { /* CGIFn clears all four flags of the channel */
            v |= 0xFu << sh;
        }
    }
    u->dma[D_ISR] &= ~(v & 0x0FFFFFFFu);
    prv_irqs(soc, u);
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    (void)power_on;
    struct emu_uart *u = st; /* registers: reset by the engine from the tables */
    u->tc = 1;
    u->nline = 0;
}

void emu_uart_init(emu_soc_t *soc)
{
    struct emu_uart *u = soc->uart = calloc(1, sizeof(*u));
    emu_periph_t dma = {.st = u, .rb = &emu_rb_dma2, .vals = u->dma};
    emu_periph_t mux = {.st = u, .rb = &emu_rb_dmamux1, .vals = u->mux};
    emu_periph_t us = {.reset = prv_reset, .st = u, .rb = &emu_rb_usart1, .vals = u->usart};
    emu_soc_register_periph(soc, &dma);
    emu_soc_register_periph(soc, &mux);
    emu_soc_add_model(soc, &us, sizeof(*u), NULL);
}
