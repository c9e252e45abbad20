/* periph_pwr.c - PWR (RM0434 chapter 5, registers 5.6) at 0x58000400: CR1..CR5, SR1/SR2, SCR,
 * pull-up/down registers (stored), C2 registers. Special: CR4.C2BOOT 0 -> 1 boots CPU2 (calls
 * every attached device's c2boot_cb); SCR clears SR1 flags. Low-power modes are not modelled:
 * WFI/WFE with SLEEPDEEP behave as sleep (time skips ahead the same way). */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define PWR_BASE_ADDR 0x58000400u
#define CR4_C2BOOT    (1u << 15)

struct emu_pwr {
    uint32_t r[0x100];
};

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_pwr *p = st;
    switch (off) {
    case 0x14: /* SR2: REGLPS (low-power regulator ready), voltage scaling done (VOSF = 0) */
        return 1u << 8;
    case 0x18: /* SCR: write-only */
        return 0;
    default:
        if (off <= 0x5Cu || (off >= 0x80u && off <= 0x88u)) {
            return p->r[off / 4u];
        }
        emu_soc_unimplemented(soc, "PWR", PWR_BASE_ADDR + off, false, 0);
        return 0;
    }
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_pwr *p = st;
    switch (off) {
    case 0x0C: {
        uint32_t old = p->r[off / 4u];
        p->r[off / 4u] = emu_reg_merge(old, val, mask, 0x0000C30Fu);
        if (!(old & CR4_C2BOOT) && (p->r[off / 4u] & CR4_C2BOOT)) {
            emu_trace(soc, EMU_TRACE_CPU2, "PWR_CR4.C2BOOT set: CPU2 boots");
            for (unsigned i = 0; i < soc->ndev; i++) {
                if (soc->dev[i].ops->c2boot_cb != NULL) {
                    soc->dev[i].ops->c2boot_cb(soc, soc->dev[i].ctx);
                }
            }
        }
        return;
    }
    case 0x10: /* SR1: read-only, cleared through SCR */
    case 0x14:
        return;
    case 0x18:
        p->r[0x10 / 4u] &= ~(val & mask);
        return;
    default:
        if (off <= 0x5Cu || (off >= 0x80u && off <= 0x88u)) {
            p->r[off / 4u] = emu_reg_merge(p->r[off / 4u], val, mask, 0xFFFFFFFFu);
            return;
        }
        emu_soc_unimplemented(soc, "PWR", PWR_BASE_ADDR + off, true, val);
        return;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    (void)power_on;
    struct emu_pwr *p = st;
    memset(p->r, 0, sizeof(p->r));
    p->r[0x00 / 4] = 0x00000200u; /* CR1: VOS range 1 */
    p->r[0x08 / 4] = 0x00008000u; /* CR3: EIWUL */
    p->r[0x1C / 4] = 0x00004272u; /* CR5: SMPS defaults (SMPSEN = 0) */
}

void emu_pwr_init(emu_soc_t *soc)
{
    struct emu_pwr *p = calloc(1, sizeof(*p));
    soc->pwr = p;
    emu_periph_t d = {.name = "PWR",
                      .base = PWR_BASE_ADDR,
                      .size = 0x400u,
                      .read = prv_read,
                      .write = prv_write,
                      .reset = prv_reset,
                      .st = p};
    emu_soc_register_periph(soc, &d);
    emu_soc_register_state(soc, p, sizeof(*p));
    prv_reset(soc, p, true);
}
