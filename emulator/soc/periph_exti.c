/* periph_exti.c - EXTI (RM0434 chapter 14) at 0x58000800 as a register table: trigger selection,
 * software interrupt, pending (write-1-to-clear) and the CPU1/CPU2 interrupt and event masks with
 * their reset values. Configurable lines: 0-21 and 31 in the "1" registers, 33, 40 (CPU2 SEV) and
 * 41 (CPU1 SEV) in the "2" registers; lines 26, 27, 32, 34, 35 and 47 do not exist. Event routing
 * is reduced to what the models need: CPU2 activity sets CPU1's event register directly (IPCC
 * model); no GPIO line raises EXTI interrupts. EXTI has no clock enable. */
#include "soc.h"

#include <stdlib.h>
#include <string.h>

#define EXTI_BASE_ADDR 0x58000800u

#define CFG1  0x803FFFFFu /* configurable lines 0-21, 31 */
#define CFG2  0x00000302u /* configurable lines 33, 40, 41 */
#define LINE1 0xF3FFFFFFu /* lines 0-31 without 26, 27 */
#define LINE2 0x00017FF2u /* lines 33, 36-46, 48 (32, 34, 35, 47 do not exist) */

static void prv_swier1_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static void prv_swier2_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);

static const emu_reg_t s_regs[] = {
    {0x00, "RTSR1", 0, CFG1, 0, 0, NULL, NULL},
    {0x04, "FTSR1", 0, CFG1, 0, 0, NULL, NULL},
    {0x08, "SWIER1", 0, 0, 0, CFG1, NULL, prv_swier1_wr}, /* reads 0, sets PR1 */
    {0x0C, "PR1", 0, 0, CFG1, 0, NULL, NULL},
    {0x20, "RTSR2", 0, CFG2, 0, 0, NULL, NULL},
    {0x24, "FTSR2", 0, CFG2, 0, 0, NULL, NULL},
    {0x28, "SWIER2", 0, 0, 0, CFG2, NULL, prv_swier2_wr},
    {0x2C, "PR2", 0, 0, CFG2, 0, NULL, NULL},
    /* direct lines 22-25 and 28-30 unmasked after reset */
    {0x80, "C1IMR1", 0x73C00000u, LINE1, 0, 0, NULL, NULL},
    {0x84, "C1EMR1", 0, LINE1, 0, 0, NULL, NULL},
    {0x90, "C1IMR2", 0x00017CF0u, LINE2, 0, 0, NULL, NULL},
    {0x94, "C1EMR2", 0, LINE2, 0, 0, NULL, NULL},
    {0xC0, "C2IMR1", 0x73C00000u, LINE1, 0, 0, NULL, NULL},
    {0xC4, "C2EMR1", 0, LINE1, 0, 0, NULL, NULL},
    {0xD0, "C2IMR2", 0x00017CF0u, LINE2, 0, 0, NULL, NULL},
    {0xD4, "C2EMR2", 0, LINE2, 0, 0, NULL, NULL},
    {0x3C8, "HWCFGR5", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3CC, "HWCFGR4", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3D0, "HWCFGR3", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3D4, "HWCFGR2", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3EC, "HWCFGR1", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3F0, "HWCFGR0", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3F4, "VERR", 0x00000020u, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3F8, "IPIDR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x3FC, "SIDR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
};
#define NTAB   (sizeof(s_regs) / sizeof(s_regs[0]))
#define IX_PR1 3
#define IX_PR2 7
const emu_regblock_t emu_rb_exti = EMU_REGBLOCK("EXTI", EXTI_BASE_ADDR, s_regs, 0u, 0u);

struct emu_exti {
    uint32_t v[NTAB];
};

static void prv_swier1_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)soc;
    (void)old;
    struct emu_exti *e = st;
    e->v[IX_PR1] |= val & mask & CFG1;
}

static void prv_swier2_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)soc;
    (void)old;
    struct emu_exti *e = st;
    e->v[IX_PR2] |= val & mask & CFG2;
}

void emu_exti_init(emu_soc_t *soc)
{
    struct emu_exti *e = soc->exti = calloc(1, sizeof(*e));
    emu_periph_t p = {.st = e, .rb = &emu_rb_exti, .vals = e->v}; /* reset: the table's */
    emu_soc_add_model(soc, &p, sizeof(*e), NULL);
}
