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
    struct emu_hsem *h = calloc(1, sizeof(*h));
    soc->hsem = h;
    emu_periph_t p = {.name = "HSEM",
                      .base = HSEM_BASE_ADDR,
                      .size = 0x400u,
                      .read = prv_read,
                      .write = prv_write,
                      .reset = prv_reset,
                      .st = h};
    emu_soc_register_periph(soc, &p);
    emu_soc_register_state(soc, h, sizeof(*h));
    prv_reset(soc, h, true);
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
