/* periph_pwr.c - PWR (RM0434 chapter 5, registers 5.6) at 0x58000400 as a register table on the
 * generic engine: CR1..CR5, SR1/SR2, SCR, pull-up/down registers (stored), C2 registers.
 * Special: CR4.C2BOOT 0 -> 1 boots CPU2 (calls every attached device's c2boot_cb); SCR clears SR1
 * flags. Low-power modes are not modelled: WFI/WFE with SLEEPDEEP behave as sleep (time skips
 * ahead the same way). PWR has no clock enable (always clocked). */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define PWR_BASE_ADDR 0x58000400u
#define CR4_C2BOOT    (1u << 15)

static void prv_cr4_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static void prv_scr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static uint32_t prv_sr2_rd(emu_soc_t *soc, void *st, uint32_t stored);

static const emu_reg_t s_regs[] = {
    /* LPMS FPDR FPDS DBP VOS LPR; reset VOS = range 1 */
    {0x00, "CR1", 0x00000200u, 0x00004737u, 0, 0, NULL, NULL},
    {0x04, "CR2", 0, 0x0000005Fu, 0, 0, NULL, NULL},
    /* EWUP1..5 EBORHSMPSFB RRS APC EBLEWUP E802WUP EC2H EIWUL */
    {0x08, "CR3", 0x00008000u, 0x0000F71Fu, 0, 0, NULL, NULL},
    /* WP1..WP5 VBE VBRS EXT_SMPS_ON C2BOOT; bit 14 reserved */
    {0x0C, "CR4", 0, 0x0000A31Fu, 0, 0, NULL, prv_cr4_wr},
    {0x10, "SR1", 0, 0, 0, 0x0000DF9Fu, NULL, NULL},
    /* SMPSBF SMPSF REGLPS REGLPF VOSF PVDO PVMO1 PVMO3 */
    {0x14, "SR2", 0, 0, 0, 0x00005F03u, prv_sr2_rd, NULL},
    {0x18, "SCR", 0, 0, 0, 0x0000DF9Fu, NULL, prv_scr_wr},
    /* SMPSVOS SMPSSC BORHC SMPSEN; bits 9 and 14 reserved */
    {0x1C, "CR5", 0x00000072u, 0x0000817Fu, 0, 0, NULL, NULL},
    {0x20, "PUCRA", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x24, "PDCRA", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x28, "PUCRB", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x2C, "PDCRB", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x30, "PUCRC", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x34, "PDCRC", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x38, "PUCRD", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x3C, "PDCRD", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x40, "PUCRE", 0, 0x0000001Fu, 0, 0, NULL, NULL},
    {0x44, "PDCRE", 0, 0x0000001Fu, 0, 0, NULL, NULL},
    {0x58, "PUCRH", 0, 0x0000000Bu, 0, 0, NULL, NULL},
    {0x5C, "PDCRH", 0, 0x0000000Bu, 0, 0, NULL, NULL},
    {0x80, "C2CR1", 0, 0x0000C037u, 0, 0, NULL, NULL},
    {0x84, "C2CR3", 0, 0x0000961Fu, 0, 0, NULL, NULL},
    {0x88, "EXTSCR", 0, 0, 0, 0x0000EF07u, NULL, NULL},
};
#define NTAB   (sizeof(s_regs) / sizeof(s_regs[0]))
#define IX_CR4 3
#define IX_SR1 4
const emu_regblock_t emu_rb_pwr = EMU_REGBLOCK("PWR", PWR_BASE_ADDR, s_regs, 0u, 0u);

struct emu_pwr {
    uint32_t v[NTAB];
};

static void prv_cr4_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    struct emu_pwr *p = st;
    (void)val;
    (void)mask;
    if (!(old & CR4_C2BOOT) && (p->v[IX_CR4] & CR4_C2BOOT)) {
        emu_trace(soc, EMU_TRACE_CPU2, "PWR_CR4.C2BOOT set: CPU2 boots");
        for (unsigned i = 0; i < soc->ndev; i++) {
            if (soc->dev[i].ops->c2boot_cb != NULL) {
                soc->dev[i].ops->c2boot_cb(soc, soc->dev[i].ctx);
            }
        }
    }
}

static void prv_scr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)soc;
    (void)old;
    struct emu_pwr *p = st;
    p->v[IX_SR1] &= ~(val & mask);
}

static uint32_t prv_sr2_rd(emu_soc_t *soc, void *st, uint32_t stored)
{
    (void)soc;
    (void)st;
    (void)stored;
    return 1u << 8; /* REGLPS (low-power regulator ready), voltage scaling done (VOSF = 0) */
}

void emu_pwr_init(emu_soc_t *soc)
{
    struct emu_pwr *p = soc->pwr = calloc(1, sizeof(*p));
    emu_periph_t d = {.st = p, .rb = &emu_rb_pwr, .vals = p->v}; /* reset: the table's */
    emu_soc_add_model(soc, &d, sizeof(*p), NULL);
}
