/* regtable.h - peripheral registers as tables (offset, name, reset value, writable mask,
 * write-1-to-clear mask, read-only mask, optional hooks), the way QEMU describes its device
 * registers. Owns: the table types, the generic register engine used by the bus dispatcher
 * (soc.c) and the registry of every modelled block's table (regtable.c), which the emulator's
 * tests compare against the firmware's register headers. Included through soc.h.
 *
 * A block with a table: an offset not in the table is reserved (reported as unimplemented,
 * strict mode stops); traces name the register (`FLASH.SR`). A block with its own read/write
 * functions still uses the table for names, reset values and the reserved check; a block without
 * them is handled entirely by the generic engine: reads return the stored value (through rd when
 * set), writes store the writable bits, clear the w1c bits written as 1, then call wr. */
#ifndef EMU_REGTABLE_H
#define EMU_REGTABLE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct emu_soc emu_soc_t;
typedef struct emu_reg emu_reg_t;

struct emu_reg {
    uint16_t off;
    const char *name;
    uint32_t reset; /* value after reset (RM0434 register description) */
    uint32_t wmask; /* bits a write stores (rw) */
    uint32_t w1c;   /* bits a write of 1 clears (rc_w1) */
    uint32_t ro;    /* other defined bits: read-only or write-only/action bits */
    /* optional: value the CPU reads, from the stored one */
    uint32_t (*rd)(emu_soc_t *soc, void *st, uint32_t stored);
    /* optional: after the generic store; old = value before, val/mask = what was written */
    void (*wr)(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
};

/* Bits the register defines (anything else reads as written-by-nobody: reserved). */
static inline uint32_t emu_reg_defined(const emu_reg_t *r)
{
    return r->wmask | r->w1c | r->ro;
}

/* A named table for one block (registry entry). Blocks with several instances (GPIO ports)
 * share a table; base is the first instance. */
typedef struct {
    const char *block;
    uint32_t base;
    const emu_reg_t *regs;
    unsigned nregs;
    /* clock gate: RCC enable register offset and bit (RM0434 6.4; clk_off 0 = always clocked) */
    uint16_t clk_off;
    uint32_t clk_bit;
} emu_regblock_t;

/* The registry entry of a model's table regs (an array), its block name, base and clock gate. */
#define EMU_REGBLOCK(block, base, regs, clk_off, clk_bit)                                          \
    {                                                                                              \
        (block), (base), (regs), (unsigned)(sizeof(regs) / sizeof((regs)[0])), (clk_off),          \
            (clk_bit)                                                                              \
    }

/* Register index in a table for offset off, or -1 (reserved). */
int emu_reg_index(const emu_reg_t *regs, unsigned nregs, uint32_t off);
/* Fill vals[i] with regs[i].reset. */
void emu_regs_reset(const emu_reg_t *regs, unsigned nregs, uint32_t *vals);
/* The register table of block (RM0434 name, e.g. "FLASH"), or NULL. */
const emu_regblock_t *emu_regblock_find(const char *block);
/* Register name of a table, or NULL. */
const emu_reg_t *emu_reg_find(const char *block, const char *reg);
/* Every registered table (for tests and documentation). */
const emu_regblock_t *const *emu_regblocks(unsigned *n);

/* the tables, defined by their models */
extern const emu_regblock_t emu_rb_flash, emu_rb_rcc, emu_rb_pwr, emu_rb_exti, emu_rb_ipcc,
    emu_rb_hsem, emu_rb_rtc, emu_rb_gpio, emu_rb_syscfg, emu_rb_dbgmcu, emu_rb_dwt, emu_rb_rng,
    emu_rb_pka, emu_rb_usart1, emu_rb_dma2, emu_rb_dmamux1;

#endif
