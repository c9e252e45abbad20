/* periph_systick.c - Cortex-M4 SysTick (ARMv7-M B3.3): CSR/RVR/CVR/CALIB at 0xE000E010,
 * counting in simulated time at HCLK (CLKSOURCE = 1) or HCLK/8. The counter is not stepped: its
 * value is computed from simulated time and a timer is scheduled for each wrap (1 -> 0), which
 * sets COUNTFLAG and pends the SysTick exception when TICKINT is set. */
#include "soc.h"

#include <inttypes.h>

#define CSR_ENABLE    (1u << 0)
#define CSR_TICKINT   (1u << 1)
#define CSR_CLKSOURCE (1u << 2)
#define CSR_COUNTFLAG (1u << 16)

static uint64_t prv_hz(const emu_soc_t *soc)
{
    uint64_t hz = soc->sysclk_hz;
    return (soc->systick.csr & CSR_CLKSOURCE) ? hz : hz / 8u;
}

static uint64_t prv_ticks_since(const emu_soc_t *soc, uint64_t now)
{
    return (now - soc->systick.start_ns) * prv_hz(soc) / 1000000000ull;
}

static uint64_t prv_tick_time(const emu_soc_t *soc, uint64_t ticks)
{
    uint64_t hz = prv_hz(soc);
    return soc->systick.start_ns + (ticks * 1000000000ull + hz - 1u) / hz;
}

static uint32_t prv_current(const emu_soc_t *soc)
{
    const emu_systick_t *t = &soc->systick;
    if (!(t->csr & CSR_ENABLE)) {
        return t->load_val;
    }
    uint64_t ticks = prv_ticks_since(soc, emu_time_ns(soc));
    if (ticks <= t->load_val) {
        return t->load_val - (uint32_t)ticks;
    }
    uint64_t period = (uint64_t)t->rvr + 1u;
    uint64_t after = ticks - t->load_val - 1u; /* ticks after the first reload */
    return t->rvr - (uint32_t)(after % period);
}

static void prv_wrap_cb(emu_soc_t *soc, void *arg);

static void prv_arm(emu_soc_t *soc)
{
    emu_systick_t *t = &soc->systick;
    if (t->timer != 0u) {
        emu_cancel(soc, t->timer);
        t->timer = 0;
    }
    if (!(t->csr & CSR_ENABLE) || t->rvr == 0u) {
        return;
    }
    /* next 1 -> 0 transition: at load_val ticks, or a full period after a reload from 0 */
    uint64_t ticks = t->load_val != 0u ? t->load_val : (uint64_t)t->rvr + 1u;
    t->wrap_ns = prv_tick_time(soc, ticks);
    t->timer = emu_schedule(soc, t->wrap_ns, prv_wrap_cb, NULL);
}

static void prv_wrap_cb(emu_soc_t *soc, void *arg)
{
    (void)arg;
    emu_systick_t *t = &soc->systick;
    t->timer = 0;
    t->countflag = true;
    /* the counter reloaded when the wrap was due, not when the timer ran (at the end of a CPU
     * slice or a flash stall): otherwise every period would stretch by that delay */
    t->start_ns = t->wrap_ns;
    t->load_val = 0;
    if (t->csr & CSR_TICKINT) {
        emu_nvic_set_pending(soc, EMU_EXC_SYSTICK);
    }
    prv_arm(soc);
}

/* A wrap that is due but whose timer has not run yet (timers run between CPU slices; a flash
 * stall can move time past the wrap inside a slice) happens now, so CVR, COUNTFLAG and the
 * pending SysTick exception agree as on the chip. */
void emu_systick_catch_up(emu_soc_t *soc)
{
    emu_systick_t *t = &soc->systick;
    for (unsigned i = 0; i < 4u && t->timer != 0u && emu_time_ns(soc) >= t->wrap_ns; i++) {
        emu_cancel(soc, t->timer);
        prv_wrap_cb(soc, NULL);
    }
}

uint32_t emu_systick_read(emu_soc_t *soc, uint32_t off)
{
    emu_systick_t *t = &soc->systick;
    emu_systick_catch_up(soc);
    switch (off) {
    case 0x10: {
        uint32_t v = t->csr | (t->countflag ? CSR_COUNTFLAG : 0u);
        t->countflag = false; /* COUNTFLAG clears on read */
        return v;
    }
    case 0x14:
        return t->rvr;
    case 0x18:
        return prv_current(soc);
    case 0x1C:
        /* CALIB: NOREF = 0, SKEW = 1 (no exact 10 ms value), TENMS = 0 */
        return 0x40000000u;
    default:
        return 0;
    }
}

void emu_systick_write(emu_soc_t *soc, uint32_t off, uint32_t val)
{
    emu_systick_t *t = &soc->systick;
    switch (off) {
    case 0x10: {
        uint32_t cur = prv_current(soc);
        t->csr = val & (CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE);
        t->start_ns = emu_time_ns(soc);
        t->load_val = cur;
        prv_arm(soc);
        return;
    }
    case 0x14:
        t->rvr = val & 0x00FFFFFFu;
        if (t->csr & CSR_ENABLE) {
            uint32_t cur = prv_current(soc);
            t->start_ns = emu_time_ns(soc);
            t->load_val = cur;
            prv_arm(soc);
        }
        return;
    case 0x18: /* any write clears the counter and COUNTFLAG; reload happens on the next tick */
        t->countflag = false;
        t->start_ns = emu_time_ns(soc);
        t->load_val = 0;
        prv_arm(soc);
        return;
    default:
        return; /* CALIB read-only */
    }
}

void emu_systick_reset(emu_soc_t *soc)
{
    emu_systick_t *t = &soc->systick;
    t->csr = 0;
    t->rvr = 0;
    t->load_val = 0;
    t->start_ns = emu_time_ns(soc);
    t->countflag = false;
    t->timer = 0; /* timers were dropped by the reset */
}

void emu_systick_init(emu_soc_t *soc)
{
    emu_soc_register_timer_cb(soc, prv_wrap_cb);
    emu_systick_reset(soc);
}
