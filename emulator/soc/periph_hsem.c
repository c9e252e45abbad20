/* periph_hsem.c - HSEM (RM0434 chapter 38) at 0x58001400: 32 semaphores.
 * R[n] (+4n): 2-step lock by writing LOCK | COREID | PROCID (taken only if free and COREID is
 * the writer's own core id), unlock by writing LOCK = 0 with the owner's COREID and PROCID.
 * RLR[n] (+0x80+4n): 1-step lock on read (PROCID 0); the value read is the semaphore after the
 * attempt, so 0x80000400 means CPU1 got it. Core ids: CPU1 = 4, CPU2 = 8 (RM0434 38.3.2).
 * CR (+0x140): clear every semaphore of a COREID when KEY matches KEYR (+0x144).
 * Freeing a semaphore sets its bit in C1ISR and C2ISR; C1MISR = C1ISR & C1IER drives the HSEM
 * interrupt (IRQ 46). C1ICR is write-1-to-clear. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>

#define HSEM_BASE_ADDR 0x58001400u
#define R_LOCK         (1u << 31)
#define COREID_CPU1    4u
#define COREID_CPU2    8u

/* RM0434 38.4 register map: R (2-step lock, LOCK COREID PROCID), RLR (1-step lock on read) */
static const emu_reg_t s_regs[] = {
    {0x00, "R0", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x04, "R1", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x08, "R2", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x0C, "R3", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x10, "R4", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x14, "R5", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x18, "R6", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x1C, "R7", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x20, "R8", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x24, "R9", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x28, "R10", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x2C, "R11", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x30, "R12", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x34, "R13", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x38, "R14", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x3C, "R15", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x40, "R16", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x44, "R17", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x48, "R18", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x4C, "R19", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x50, "R20", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x54, "R21", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x58, "R22", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x5C, "R23", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x60, "R24", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x64, "R25", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x68, "R26", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x6C, "R27", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x70, "R28", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x74, "R29", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x78, "R30", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x7C, "R31", 0, 0x80000FFFu, 0, 0, NULL, NULL},
    {0x80, "RLR0", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x84, "RLR1", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x88, "RLR2", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x8C, "RLR3", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x90, "RLR4", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x94, "RLR5", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x98, "RLR6", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x9C, "RLR7", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xA0, "RLR8", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xA4, "RLR9", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xA8, "RLR10", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xAC, "RLR11", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xB0, "RLR12", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xB4, "RLR13", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xB8, "RLR14", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xBC, "RLR15", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xC0, "RLR16", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xC4, "RLR17", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xC8, "RLR18", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xCC, "RLR19", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xD0, "RLR20", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xD4, "RLR21", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xD8, "RLR22", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xDC, "RLR23", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xE0, "RLR24", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xE4, "RLR25", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xE8, "RLR26", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xEC, "RLR27", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xF0, "RLR28", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xF4, "RLR29", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xF8, "RLR30", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0xFC, "RLR31", 0, 0, 0, 0x80000FFFu, NULL, NULL},
    {0x100, "C1IER", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x104, "C1ICR", 0, 0, 0xFFFFFFFFu, 0, NULL, NULL},
    {0x108, "C1ISR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x10C, "C1MISR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x110, "C2IER", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x114, "C2ICR", 0, 0, 0xFFFFFFFFu, 0, NULL, NULL},
    {0x118, "C2ISR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x11C, "C2MISR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x140, "CR", 0, 0, 0, 0xFFFF0F00u, NULL, NULL}, /* KEY[31:16] COREID[11:8] (wo) */
    {0x144, "KEYR", 0, 0xFFFF0000u, 0, 0, NULL, NULL},
    {0x3F0, "HWCFGR1", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3F4, "VERR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3F8, "IPIDR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3FC, "SIDR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
};
/* clock gate: HSEMEN */
const emu_regblock_t emu_rb_hsem =
    EMU_REGBLOCK("HSEM", HSEM_BASE_ADDR, s_regs, EMU_RCC_AHB3ENR, 1u << 19);

struct emu_hsem {
    uint32_t r[32]; /* LOCK | COREID << 8 | PROCID */
    uint32_t c1ier, c1isr, c2ier, c2isr, keyr;
};

static void prv_update_irq(emu_soc_t *soc)
{
    struct emu_hsem *h = soc->hsem;
    emu_irq_set(soc, EMU_IRQ_HSEM, (h->c1isr & h->c1ier) != 0u);
}

static void prv_free(emu_soc_t *soc, unsigned n)
{
    struct emu_hsem *h = soc->hsem;
    h->r[n] = 0;
    h->c1isr |= 1u << n;
    h->c2isr |= 1u << n;
    emu_trace(soc, EMU_TRACE_PERIPH, "HSEM %u freed", n);
    prv_update_irq(soc);
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_hsem *h = st;
    if (off < 0x80u) {
        return h->r[off / 4u];
    }
    if (off < 0x100u) {
        unsigned n = (off - 0x80u) / 4u;
        if (h->r[n] == 0u) {
            h->r[n] = R_LOCK | (COREID_CPU1 << 8);
            emu_trace(soc, EMU_TRACE_PERIPH, "HSEM %u locked by CPU1 (1-step)", n);
        }
        return h->r[n];
    }
    switch (off) {
    case 0x100:
        return h->c1ier;
    case 0x104: /* C1ICR reads as 0 */
        return 0;
    case 0x108:
        return h->c1isr;
    case 0x10C:
        return h->c1isr & h->c1ier;
    case 0x110:
        return h->c2ier;
    case 0x114:
        return 0;
    case 0x118:
        return h->c2isr;
    case 0x11C:
        return h->c2isr & h->c2ier;
    case 0x140: /* CR: write-only */
        return 0;
    case 0x144:
        return h->keyr;
    case 0x3F0: /* HWCFGR2, HWCFGR1 */
        return 0x00000084u;
    case 0x3F4:
        return 0x00000020u;
    case 0x3F8: /* VERR */
        return 0x00000020u;
    case 0x3FC:
        return 0x00100072u;
    default:
        emu_soc_unimplemented(soc, "HSEM", HSEM_BASE_ADDR + off, false, 0);
        return 0;
    }
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_hsem *h = st;
    if (off < 0x80u) {
        unsigned n = off / 4u;
        uint32_t v = val & mask;
        uint32_t core = (v >> 8) & 0xFu;
        if (mask != 0xFFFFFFFFu) {
            return; /* only 32-bit accesses are accepted */
        }
        if (v & R_LOCK) {
            if (h->r[n] == 0u && core == COREID_CPU1) {
                h->r[n] = v & (R_LOCK | 0xFFFu);
                emu_trace(soc, EMU_TRACE_PERIPH, "HSEM %u locked by CPU1 proc %" PRIu32 " (2-step)",
                          n, v & 0xFFu);
            }
        } else if (h->r[n] != 0u && core == COREID_CPU1 && (h->r[n] & 0xFFFu) == (v & 0xFFFu)) {
            prv_free(soc, n);
        }
        return;
    }
    if (off < 0x100u) {
        return; /* RLR: read-only */
    }
    switch (off) {
    case 0x100:
        h->c1ier = emu_reg_merge(h->c1ier, val, mask, 0xFFFFFFFFu);
        break;
    case 0x104:
        h->c1isr &= ~(val & mask);
        break;
    case 0x110:
        h->c2ier = emu_reg_merge(h->c2ier, val, mask, 0xFFFFFFFFu);
        break;
    case 0x114:
        h->c2isr &= ~(val & mask);
        break;
    case 0x140: {
        uint32_t core = (val >> 8) & 0xFu;
        if ((val >> 16) == (h->keyr >> 16) && core == COREID_CPU1) {
            for (unsigned n = 0; n < 32u; n++) {
                if (h->r[n] != 0u && ((h->r[n] >> 8) & 0xFu) == core) {
                    prv_free(soc, n);
                }
            }
        }
        break;
    }
    case 0x144:
        h->keyr = emu_reg_merge(h->keyr, val, mask, 0xFFFF0000u);
        break;
    default:
        emu_soc_unimplemented(soc, "HSEM", HSEM_BASE_ADDR + off, true, val);
        return;
    }
    prv_update_irq(soc);
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)power_on;
    struct emu_hsem *h = st;
    for (unsigned n = 0; n < 32u; n++) {
        h->r[n] = 0;
    }
    h->c1ier = h->c1isr = h->c2ier = h->c2isr = h->keyr = 0;
    prv_update_irq(soc);
}

void emu_hsem_init(emu_soc_t *soc)
{
    struct emu_hsem *h = soc->hsem = calloc(1, sizeof(*h));
    emu_periph_t p = {
        .read = prv_read, .write = prv_write, .reset = prv_reset, .st = h, .rb = &emu_rb_hsem};
    emu_soc_add_model(soc, &p, sizeof(*h), NULL);
}

bool emu_hsem_cpu2_lock(emu_soc_t *soc, unsigned sem)
{
    struct emu_hsem *h = soc->hsem;
    if (sem >= 32u || h->r[sem] != 0u) {
        return false;
    }
    h->r[sem] = R_LOCK | (COREID_CPU2 << 8);
    emu_trace(soc, EMU_TRACE_CPU2, "HSEM %u locked by CPU2", sem);
    return true;
}

void emu_hsem_cpu2_unlock(emu_soc_t *soc, unsigned sem)
{
    struct emu_hsem *h = soc->hsem;
    if (sem < 32u && ((h->r[sem] >> 8) & 0xFu) == COREID_CPU2) {
        prv_free(soc, sem);
    }
}

unsigned emu_hsem_owner(const emu_soc_t *soc, unsigned sem)
{
    if (sem >= 32u || !(soc->hsem->r[sem] & R_LOCK)) {
        return 0;
    }
    return (soc->hsem->r[sem] >> 8) & 0xFu;
}
