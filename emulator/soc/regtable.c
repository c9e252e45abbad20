/* regtable.c - generic register engine helpers and the registry of every block's register table
 * (see regtable.h). The tables themselves live with their models (periph_*.c). */
#include <string.h>

#include "soc.h"

int emu_reg_index(const emu_reg_t *regs, unsigned nregs, uint32_t off)
{
    for (unsigned i = 0; i < nregs; i++) {
        if (regs[i].off == off) {
            return (int)i;
        }
    }
    return -1;
}

void emu_regs_reset(const emu_reg_t *regs, unsigned nregs, uint32_t *vals)
{
    for (unsigned i = 0; i < nregs; i++) {
        vals[i] = regs[i].reset;
    }
}

static const emu_regblock_t *const s_blocks[] = {
    &emu_rb_flash, &emu_rb_rcc,    &emu_rb_pwr,    &emu_rb_exti,    &emu_rb_ipcc, &emu_rb_hsem,
    &emu_rb_rtc,   &emu_rb_gpio,   &emu_rb_syscfg, &emu_rb_dbgmcu,  &emu_rb_dwt,  &emu_rb_rng,
    &emu_rb_pka,   &emu_rb_usart1, &emu_rb_dma2,   &emu_rb_dmamux1,
};

const emu_regblock_t *const *emu_regblocks(unsigned *n)
{
    *n = (unsigned)(sizeof(s_blocks) / sizeof(s_blocks[0]));
    return s_blocks;
}

const emu_regblock_t *emu_regblock_find(const char *block)
{
    for (unsigned i = 0; i < sizeof(s_blocks) / sizeof(s_blocks[0]); i++) {
        if (strcmp(s_blocks[i]->block, block) == 0) {
            return s_blocks[i];
        }
    }
    return NULL;
}

const emu_reg_t *emu_reg_find(const char *block, const char *reg)
{
    const emu_regblock_t *b = emu_regblock_find(block);
    if (b == NULL) {
        return NULL;
    }
    for (unsigned i = 0; i < b->nregs; i++) {
        if (strcmp(b->regs[i].name, reg) == 0) {
            return &b->regs[i];
        }
    }
    return NULL;
}
