/* Time base: SysTick at 1 kHz from HCLK (see wb/time.h). */
#include "wb/time.h"

#include "wb/regs/scb.h"
#include "wb/regs/systick.h"

static volatile uint32_t s_ms;
static uint32_t s_hclk_hz = 4000000u; /* MSI 4 MHz after reset */
static bool s_running;

/* Without SysTick, a deadline counts calls instead. A poll loop takes at least 4 CPU cycles
 * per call, so hclk / 4000 calls last at least a millisecond at any clock: the fallback never
 * fires early (a fixed count per millisecond did at 64 MHz: a 22 ms page erase polled in a
 * tight loop looked like a 100 ms timeout). */
static uint32_t prv_spins_per_ms(void)
{
    const uint32_t n = s_hclk_hz / 4000u;
    return (n < 1000u) ? 1000u : n;
}

void wb_isr_systick(void)
{
    s_ms = s_ms + 1u;
}

void wb_time_init(uint32_t hclk_hz)
{
    s_hclk_hz = hclk_hz;
    WB_SYSTICK->CSR = 0u;
    WB_SYSTICK->RVR = (hclk_hz / 1000u) - 1u;
    WB_SYSTICK->CVR = 0u;
    WB_SYSTICK->CSR =
        WB_SYSTICK_CSR_CLKSOURCE_Msk | WB_SYSTICK_CSR_TICKINT_Msk | WB_SYSTICK_CSR_ENABLE_Msk;
    s_running = true;
}

void wb_time_set_hclk(uint32_t hclk_hz)
{
    s_hclk_hz = hclk_hz;
}

uint32_t wb_time_hclk_hz(void)
{
    return s_hclk_hz;
}

uint32_t wb_time_ms(void)
{
    return s_ms;
}

uint32_t wb_time_us(void)
{
    if (!s_running) {
        return s_ms * 1000u;
    }
    uint32_t ms;
    uint32_t cvr;
    uint32_t again;
    bool pend;
    /* A wrap whose interrupt has not run yet (masked around a flash operation) is pending:
     * count it, or the time would step back by a millisecond. Retry if the counter wrapped
     * while we looked. */
    do {
        ms = s_ms;
        cvr = WB_SYSTICK->CVR;
        pend = (WB_SCB->ICSR & WB_SCB_ICSR_PENDSTSET_Msk) != 0u;
        again = WB_SYSTICK->CVR;
    } while ((ms != s_ms) || (again > cvr));
    if (pend) {
        ms++;
    }
    const uint32_t cycles_per_us = s_hclk_hz / 1000000u;
    const uint32_t into = WB_SYSTICK->RVR - cvr; /* counts down from RVR */
    return (ms * 1000u) + (into / (cycles_per_us == 0u ? 1u : cycles_per_us));
}

wb_deadline_t wb_deadline_in(uint32_t ms)
{
    wb_deadline_t d = {.start = s_ms, .span_ms = ms, .spins = 0u};
    return d;
}

bool wb_deadline_expired(wb_deadline_t *d)
{
    if (!s_running) {
        d->spins++;
        return (d->spins / prv_spins_per_ms()) > d->span_ms;
    }
    return (uint32_t)(s_ms - d->start) >= d->span_ms;
}

uint32_t wb_deadline_left_ms(const wb_deadline_t *d)
{
    uint32_t used = (uint32_t)(s_ms - d->start);
    return (used >= d->span_ms) ? 0u : (d->span_ms - used);
}

void wb_delay_us(uint32_t us)
{
    if (!s_running) {
        /* ~4 cycles per iteration at the 4 MHz reset clock: generous on purpose */
        for (volatile uint32_t i = 0; i < us; i++) {
        }
        return;
    }
    const uint32_t period = WB_SYSTICK->RVR + 1u;
    const uint32_t cycles_per_us = s_hclk_hz / 1000000u;
    uint32_t left = us * (cycles_per_us == 0u ? 1u : cycles_per_us);
    uint32_t prev = WB_SYSTICK->CVR;
    while (left > 0u) {
        uint32_t now = WB_SYSTICK->CVR;
        /* the counter counts down and reloads at 0 */
        uint32_t step = (prev >= now) ? (prev - now) : (prev + period - now);
        left = (step >= left) ? 0u : (left - step);
        prev = now;
    }
}

void wb_idle(void)
{
    __asm volatile("dsb\n\twfi" ::: "memory");
}

void wb_delay_ms(uint32_t ms)
{
    wb_deadline_t d = wb_deadline_in(ms);
    while (!wb_deadline_expired(&d)) {
        if (s_running) {
            wb_idle();
        }
    }
}

void wb_masked_begin(wb_masked_clock_t *m)
{
    m->wraps = 0u;
    m->running = s_running;
    (void)WB_SYSTICK->CSR; /* reading clears COUNTFLAG: count only wraps from now on */
}

uint32_t wb_masked_elapsed_ms(wb_masked_clock_t *m)
{
    if (!m->running) {
        /* no SysTick: count polls (>= 4 cycles each, see prv_spins_per_ms) */
        m->wraps++;
        return m->wraps / prv_spins_per_ms();
    }
    if ((WB_SYSTICK->CSR & WB_SYSTICK_CSR_COUNTFLAG_Msk) != 0u) {
        m->wraps++;
    }
    return m->wraps;
}

void wb_masked_end(wb_masked_clock_t *m)
{
    if (m->running && (m->wraps > 0u)) {
        /* the first wrap left the SysTick interrupt pending (it counts once when unmasked);
         * the others were lost */
        s_ms = s_ms + (m->wraps - 1u);
    }
}
