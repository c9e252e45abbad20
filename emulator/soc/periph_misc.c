/* periph_misc.c - small blocks firmware touches during start-up, as register tables with their
 * RM0434 reset values: DBGMCU (0xE0042000, IDCODE 0x20016495: DEV_ID 0x495 STM32WB5x, REV 2.1),
 * SYSCFG (0x40010000, incl. VREFBUF at +0x30), and the DWT cycle counter (0xE0001000: CYCCNT
 * counts one cycle per instruction). None of them has a clock enable on the WB55. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint32_t prv_vrefbuf_rd(emu_soc_t *soc, void *st, uint32_t stored);

static const emu_reg_t s_dbg_regs[] = {
    {0x00, "IDCODE", 0x20016495u, 0, 0, 0xFFFF0FFFu, NULL, NULL},
    {0x04, "CR", 0, 0x00000027u, 0, 0, NULL, NULL}, /* DBG_SLEEP DBG_STOP DBG_STANDBY TRACE_IOEN */
    {0x3C, "APB1FZR1", 0, 0x81A01C01u, 0, 0, NULL, NULL},
    {0x40, "C2APB1FZR1", 0, 0x81A00001u, 0, 0, NULL, NULL},
    {0x44, "APB1FZR2", 0, 0x00000020u, 0, 0, NULL, NULL},
    {0x48, "C2APB1FZR2", 0, 0x00000020u, 0, 0, NULL, NULL},
    {0x4C, "APB2FZR", 0, 0x00060800u, 0, 0, NULL, NULL},
    {0x50, "C2APB2FZR", 0, 0x00060800u, 0, 0, NULL, NULL},
};
#define NDBG (sizeof(s_dbg_regs) / sizeof(s_dbg_regs[0]))
const emu_regblock_t emu_rb_dbgmcu = EMU_REGBLOCK("DBGMCU", 0xE0042000u, s_dbg_regs, 0u, 0u);

static const emu_reg_t s_sys_regs[] = {
    {0x00, "MEMRMP", 0, 0x00000007u, 0, 0, NULL, NULL},
    /* BOOSTEN (bit 8), I2C_PBx_FMP, I2C1_FMP, I2C3_FMP, FPU_IE[31:26] (reset 0x1F); bit 0 is
     * reserved on the WB55 */
    {0x04, "CFGR1", 0x7C000000u, 0xFC5F0100u, 0, 0, NULL, NULL},
    {0x08, "EXTICR1", 0, 0x00007777u, 0, 0, NULL, NULL},
    {0x0C, "EXTICR2", 0, 0x00007777u, 0, 0, NULL, NULL},
    {0x10, "EXTICR3", 0, 0x00007777u, 0, 0, NULL, NULL},
    {0x14, "EXTICR4", 0, 0x00007777u, 0, 0, NULL, NULL},
    {0x18, "SCSR", 0, 0x80000000u, 0, 0x00000003u, NULL, NULL},
    {0x1C, "CFGR2", 0, 0x0000000Fu, 0x00000100u, 0, NULL, NULL},
    {0x20, "SWPR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x24, "SKR", 0, 0, 0, 0x000000FFu, NULL, NULL},
    {0x30, "VREFBUF_CSR", 0x00000002u, 0x00000007u, 0, 0x00000008u, prv_vrefbuf_rd, NULL},
    {0x34, "VREFBUF_CCR", 0, 0x0000003Fu, 0, 0, NULL, NULL},
    {0x100, "IMR1", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x104, "IMR2", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x108, "C2IMR1", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x10C, "C2IMR2", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x110, "SIPCR", 0, 0x0000000Fu, 0, 0, NULL, NULL},
};
#define NSYS (sizeof(s_sys_regs) / sizeof(s_sys_regs[0]))
const emu_regblock_t emu_rb_syscfg = EMU_REGBLOCK("SYSCFG", 0x40010000u, s_sys_regs, 0u, 0u);

static const emu_reg_t s_dwt_regs[] = {
    {0x00, "CTRL", 0x40000000u, 0x01FFFFFFu, 0, 0xF0000000u, NULL, NULL},
    {0x04, "CYCCNT", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
};
const emu_regblock_t emu_rb_dwt = EMU_REGBLOCK("DWT", 0xE0001000u, s_dwt_regs, 0u, 0u);

struct emu_misc {
    uint32_t dbg[NDBG];
    uint32_t sys[NSYS];
    uint32_t dwt_ctrl;
    uint64_t cyc_base; /* instruction count at which CYCCNT was 0 */
};

static uint32_t prv_vrefbuf_rd(emu_soc_t *soc, void *st, uint32_t stored)
{
    (void)soc;
    (void)st;
    return stored | ((stored & 1u) ? 8u : 0u); /* VRR (ready) once enabled */
}

static uint32_t prv_dwt_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_misc *m = st;
    if (off == 0x00) {
        return m->dwt_ctrl | 0x40000000u; /* NUMCOMP = 4 */
    }
    return (uint32_t)(soc->insn - m->cyc_base);
}

static void prv_dwt_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_misc *m = st;
    if (off == 0x00) {
        m->dwt_ctrl = emu_reg_merge(m->dwt_ctrl, val, mask, s_dwt_regs[0].wmask);
    } else {
        m->cyc_base = soc->insn - val;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)power_on;
    struct emu_misc *m = st; /* DBGMCU, SYSCFG: reset by the engine from the tables */
    m->dwt_ctrl = 0;
    m->cyc_base = soc->insn;
}

void emu_misc_init(emu_soc_t *soc)
{
    struct emu_misc *m = soc->misc = calloc(1, sizeof(*m));
    emu_periph_t sys = {.size = 0x200u, .st = m, .rb = &emu_rb_syscfg, .vals = m->sys};
    emu_periph_t dwt = {
        .size = 0x1000u, .read = prv_dwt_read, .write = prv_dwt_write, .st = m, .rb = &emu_rb_dwt};
    emu_periph_t dbg = {.reset = prv_reset, .st = m, .rb = &emu_rb_dbgmcu, .vals = m->dbg};
    emu_soc_register_periph(soc, &sys);
    emu_soc_register_periph(soc, &dwt);
    emu_soc_add_model(soc, &dbg, sizeof(*m), NULL);
}
