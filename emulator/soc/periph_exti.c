/* periph_exti.c - EXTI (RM0434 chapter 14) at 0x58000800: trigger selection, software
 * interrupt, pending (write-1-to-clear) and the CPU1/CPU2 interrupt and event masks are stored
 * with their reset values. Event routing is reduced to what the models need: CPU2 activity sets
 * CPU1's event register directly (IPCC model); no GPIO line raises EXTI interrupts. */
#include "soc.h"

#include <stdlib.h>
#include <string.h>

#define EXTI_BASE_ADDR 0x58000800u

struct emu_exti {
    uint32_t r[0x100];
};

static bool prv_known(uint32_t off)
{
    switch (off) {
    case 0x00:
    case 0x04:
    case 0x08:
    case 0x0C: /* RTSR1 FTSR1 SWIER1 PR1 */
    case 0x20:
    case 0x24:
    case 0x28:
    case 0x2C: /* RTSR2 FTSR2 SWIER2 PR2 */
    case 0x80:
    case 0x84:
    case 0x90:
    case 0x94: /* C1IMR1 C1EMR1 C1IMR2 C1EMR2 */
    case 0xC0:
    case 0xC4:
    case 0xD0:
    case 0xD4: /* C2IMR1 C2EMR1 C2IMR2 C2EMR2 */
    case 0x3C8:
    case 0x3CC:
    case 0x3D0:
    case 0x3D4:
    case 0x3EC:
    case 0x3F0:
    case 0x3F4:
    case 0x3F8:
    case 0x3FC:
        return true;
    default:
        return false;
    }
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_exti *e = st;
    if (!prv_known(off)) {
        emu_soc_unimplemented(soc, "EXTI", EXTI_BASE_ADDR + off, false, 0);
        return 0;
    }
    if (off == 0x08 || off == 0x28) {
        return 0; /* SWIER reads back 0 once the pending bit is set */
    }
    return e->r[off / 4u];
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_exti *e = st;
    if (!prv_known(off) || off >= 0x3C8u) {
        emu_soc_unimplemented(soc, "EXTI", EXTI_BASE_ADDR + off, true, val);
        return;
    }
    switch (off) {
    case 0x08: /* SWIER1: set pending of configurable lines */
        e->r[0x0C / 4] |= val & mask & 0x003FFFFFu;
        return;
    case 0x28:
        e->r[0x2C / 4] |= val & mask & 0x0000FFFFu;
        return;
    case 0x0C: /* PR: write-1-to-clear */
    case 0x2C:
        e->r[off / 4u] &= ~(val & mask);
        return;
    default:
        e->r[off / 4u] = emu_reg_merge(e->r[off / 4u], val, mask, 0xFFFFFFFFu);
        return;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    (void)power_on;
    struct emu_exti *e = st;
    memset(e->r, 0, sizeof(e->r));
    e->r[0x80 / 4] = 0x7FC00000u; /* C1IMR1: direct lines 22..30 enabled */
    e->r[0x90 / 4] = 0x0001FCFDu; /* C1IMR2 */
    e->r[0xC0 / 4] = 0x7FC00000u;
    e->r[0xD0 / 4] = 0x0001FCFDu;
    e->r[0x3F4 / 4] = 0x00000020u; /* VERR */
}

void emu_exti_init(emu_soc_t *soc)
{
    struct emu_exti *e = calloc(1, sizeof(*e));
    soc->exti = e;
    emu_periph_t p = {.name = "EXTI",
                      .base = EXTI_BASE_ADDR,
                      .size = 0x400u,
                      .read = prv_read,
                      .write = prv_write,
                      .reset = prv_reset,
                      .st = e};
    emu_soc_register_periph(soc, &p);
    emu_soc_register_state(soc, e, sizeof(*e));
    prv_reset(soc, e, true);
}
