/* emu_bus_test.h - helpers shared by the emulator's bus-level tests (test_emu_periph.c,
 * test_emu_chip_rules.c): a SoC after power-on with a minimal vector table, 32-bit bus access
 * as the CPU would do it, NVIC pending bit of an IRQ. Header-only, test code only. */
#ifndef EMU_BUS_TEST_H
#define EMU_BUS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "soc.h"

/* The same SoC with the caller's options (fault injection: hse_dead, pka_stuck, ...). */
static inline emu_soc_t *emu_test_soc_with(emu_soc_opts_t o)
{
    emu_soc_t *soc = emu_soc_create(&o);
    assert_non_null(soc);
    /* a minimal vector table so the CPU reset finds a Thumb reset vector */
    uint32_t vt[2] = {0x20030000u, 0x08000101u};
    assert_true(emu_soc_flash_load(soc, 0x08000000u, vt, sizeof(vt)));
    emu_soc_power_on(soc);
    return soc;
}

static inline emu_soc_t *emu_test_soc(bool strict)
{
    emu_soc_opts_t o;
    memset(&o, 0, sizeof(o));
    o.sfsa = 0xCB;
    o.strict = strict;
    o.uid64 = 0x0080E12600001234ull;
    return emu_test_soc_with(o);
}

static inline uint32_t rd(emu_soc_t *soc, uint32_t a)
{
    return emu_bus_read(soc, a, 4);
}

static inline void wr(emu_soc_t *soc, uint32_t a, uint32_t v)
{
    emu_bus_write(soc, a, v, 4);
}

/* NVIC_ISPRn: is IRQ n pending? */
static inline bool prv_irq_pending(emu_soc_t *soc, unsigned irq)
{
    return (rd(soc, 0xE000E200u + 4u * (irq / 32u)) >> (irq % 32u)) & 1u;
}

#endif
