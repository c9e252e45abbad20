/* periph_misc.c - small blocks firmware touches during start-up, stored as plain registers with
 * their RM0434 reset values: DBGMCU (0xE0042000, IDCODE 0x20016495: DEV_ID 0x495 STM32WB5x, REV
 * 2.1), SYSCFG (0x40010000, incl. VREFBUF at +0x30), and the DWT cycle counter (0xE0001000:
 * CYCCNT counts one cycle per instruction). Offsets outside each register list are unimplemented.
 */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct emu_misc {
    uint32_t dbg[0x100];
    uint32_t syscfg[0x100];
    uint32_t dwt_ctrl;
    uint64_t cyc_base; /* instruction count at which CYCCNT was 0 */
};

static uint32_t prv_dbg_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_misc *m = st;
    if (off == 0x00) {
        return 0x20016495u;
    }
    if (off <= 0x54u) {
        return m->dbg[off / 4u];
    }
    emu_soc_unimplemented(soc, "DBGMCU", 0xE0042000u + off, false, 0);
    return 0;
}

static void prv_dbg_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_misc *m = st;
    if (off == 0x00 || off > 0x54u) {
        emu_soc_unimplemented(soc, "DBGMCU", 0xE0042000u + off, true, val);
        return;
    }
    m->dbg[off / 4u] = emu_reg_merge(m->dbg[off / 4u], val, mask, 0xFFFFFFFFu);
}

static bool prv_syscfg_known(uint32_t off)
{
    return off <= 0x24u || (off >= 0x30u && off <= 0x34u) || (off >= 0x100u && off <= 0x110u);
}

static uint32_t prv_syscfg_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_misc *m = st;
    if (!prv_syscfg_known(off)) {
        emu_soc_unimplemented(soc, "SYSCFG", 0x40010000u + off, false, 0);
        return 0;
    }
    if (off == 0x30u) { /* VREFBUF_CSR: VRR (ready) once enabled */
        return m->syscfg[off / 4u] | ((m->syscfg[off / 4u] & 1u) ? 8u : 0u);
    }
    return m->syscfg[off / 4u];
}

static void prv_syscfg_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_misc *m = st;
    if (!prv_syscfg_known(off)) {
        emu_soc_unimplemented(soc, "SYSCFG", 0x40010000u + off, true, val);
        return;
    }
    m->syscfg[off / 4u] = emu_reg_merge(m->syscfg[off / 4u], val, mask, 0xFFFFFFFFu);
}

static uint32_t prv_dwt_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_misc *m = st;
    switch (off) {
    case 0x00:
        return m->dwt_ctrl | 0x40000000u; /* NUMCOMP = 4 */
    case 0x04:
        return (uint32_t)(soc->insn - m->cyc_base);
    default:
        emu_soc_unimplemented(soc, "DWT", 0xE0001000u + off, false, 0);
        return 0;
    }
}

static void prv_dwt_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_misc *m = st;
    switch (off) {
    case 0x00:
        m->dwt_ctrl = emu_reg_merge(m->dwt_ctrl, val, mask, 0x1FFFFFFu);
        return;
    case 0x04:
        m->cyc_base = soc->insn - val;
        return;
    default:
        emu_soc_unimplemented(soc, "DWT", 0xE0001000u + off, true, val);
        return;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)power_on;
    struct emu_misc *m = st;
    memset(m->dbg, 0, sizeof(m->dbg));
    memset(m->syscfg, 0, sizeof(m->syscfg));
    m->syscfg[0x04 / 4] = 0x7C000001u; /* CFGR1: BOOSTEN=1, I2C FMP off */
    m->syscfg[0x30 / 4] = 0x00000002u; /* VREFBUF_CSR: HIZ */
    m->syscfg[0x100 / 4] = 0;
    m->dwt_ctrl = 0;
    m->cyc_base = soc->insn;
}

void emu_misc_init(emu_soc_t *soc)
{
    struct emu_misc *m = calloc(1, sizeof(*m));
    soc->misc = m;
    emu_periph_t dbg = {.name = "DBGMCU",
                        .base = 0xE0042000u,
                        .size = 0x400u,
                        .read = prv_dbg_read,
                        .write = prv_dbg_write,
                        .reset = prv_reset,
                        .st = m};
    emu_periph_t sys = {.name = "SYSCFG",
                        .base = 0x40010000u,
                        .size = 0x200u,
                        .read = prv_syscfg_read,
                        .write = prv_syscfg_write,
                        .reset = NULL,
                        .st = m};
    emu_periph_t dwt = {.name = "DWT",
                        .base = 0xE0001000u,
                        .size = 0x1000u,
                        .read = prv_dwt_read,
                        .write = prv_dwt_write,
                        .reset = NULL,
                        .st = m};
    emu_soc_register_periph(soc, &dbg);
    emu_soc_register_periph(soc, &sys);
    emu_soc_register_periph(soc, &dwt);
    emu_soc_register_state(soc, m, sizeof(*m));
    prv_reset(soc, m, true);
}
