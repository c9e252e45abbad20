/* periph_rng.c - RNG (RM0434 chapter 22) at 0x58001000: CR.RNGEN starts the generator, SR.DRDY
 * is set when a 32-bit value is ready in DR, reading DR takes it (DRDY clears, the next value is
 * ready after 42 RNG clock periods). The RNG needs its bus clock (RCC_AHB3ENR.RNGEN, bit 18) and a
 * running kernel clock (RCC_CCIPR.RNGSEL / CLK48SEL: HSI48, PLLSAI1 Q, PLL Q, MSI, LSI or LSE);
 * without the kernel clock SR.CECS (clock error) is set and no value comes (with CR.CED = 0).
 * Values come from a deterministic xorshift generator so runs are repeatable. IRQ 53 (RNG) while
 * CR.IE and (DRDY or CEIS or SEIS). */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>

#define RNG_BASE_ADDR 0x58001000u
#define EMU_IRQ_RNG   53u
#define CR_RNGEN      (1u << 2)
#define CR_IE         (1u << 3)
#define CR_CED        (1u << 5)
#define SR_DRDY       (1u << 0)
#define SR_CECS       (1u << 1)
#define SR_CEIS       (1u << 5)
#define SR_SEIS       (1u << 6)

static void prv_cr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static uint32_t prv_dr_rd(emu_soc_t *soc, void *st, uint32_t stored);
static void prv_sr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);

static const emu_reg_t s_regs[] = {
    {0x00, "CR", 0, 0x0000002Cu, 0, 0, NULL, prv_cr_wr},           /* RNGEN IE CED */
    {0x04, "SR", 0, 0x00000060u, 0, 0x00000007u, NULL, prv_sr_wr}, /* CEIS SEIS rc_w0 */
    {0x08, "DR", 0, 0, 0, 0xFFFFFFFFu, prv_dr_rd, NULL},
};
#define NTAB (sizeof(s_regs) / sizeof(s_regs[0]))
/* clock gate: RNGEN */
const emu_regblock_t emu_rb_rng =
    EMU_REGBLOCK("RNG", RNG_BASE_ADDR, s_regs, EMU_RCC_AHB3ENR, 1u << 18);

struct emu_rng {
    uint32_t v[NTAB];
    uint32_t x; /* xorshift state */
    uint32_t timer;
};

static void prv_irq(emu_soc_t *soc, struct emu_rng *r)
{
    emu_irq_set(soc, EMU_IRQ_RNG, (r->v[0] & CR_IE) && (r->v[1] & (SR_DRDY | SR_CEIS | SR_SEIS)));
}

static void prv_ready_cb(emu_soc_t *soc, void *arg)
{
    (void)arg;
    struct emu_rng *r = soc->rng;
    r->timer = 0;
    if (!(r->v[0] & CR_RNGEN)) {
        return;
    }
    r->x ^= r->x << 13;
    r->x ^= r->x >> 17;
    r->x ^= r->x << 5;
    r->v[2] = r->x;
    r->v[1] |= SR_DRDY;
    prv_irq(soc, r);
}

/* Start producing the next value, or flag a clock error when the kernel clock does not run. */
static void prv_next(emu_soc_t *soc, struct emu_rng *r)
{
    if (!(r->v[0] & CR_RNGEN) || r->timer != 0u || (r->v[1] & SR_DRDY)) {
        return;
    }
    uint32_t hz = emu_rcc_rng_clock_hz(soc);
    if (hz == 0u) {
        if (!(r->v[0] & CR_CED)) {
            r->v[1] |= SR_CECS | SR_CEIS;
            emu_trace(soc, EMU_TRACE_PERIPH, "RNG: kernel clock not running (CECS)");
            prv_irq(soc, r);
        }
        return;
    }
    r->v[1] &= ~SR_CECS;
    uint64_t ns = 42ull * 1000000000ull / hz; /* 42 RNG clock periods per 32-bit value */
    r->timer = emu_schedule(soc, emu_time_ns(soc) + (ns ? ns : 1u), prv_ready_cb, NULL);
}

static void prv_cr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    (void)val;
    (void)mask;
    struct emu_rng *r = st;
    if (!(r->v[0] & CR_RNGEN)) {
        if (r->timer != 0u) {
            emu_cancel(soc, r->timer);
            r->timer = 0;
        }
        r->v[1] &= ~SR_DRDY;
    }
    prv_next(soc, r);
    prv_irq(soc, r);
}

static void prv_sr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    /* CEIS/SEIS are cleared by writing 0 (rc_w0); writing 1 keeps them */
    struct emu_rng *r = st;
    uint32_t keep = old & (SR_CEIS | SR_SEIS) & ~(mask & ~val);
    r->v[1] = (old & 0x7u) | keep;
    prv_next(soc, r);
    prv_irq(soc, r);
}

static uint32_t prv_dr_rd(emu_soc_t *soc, void *st, uint32_t stored)
{
    struct emu_rng *r = st;
    if (!(r->v[1] & SR_DRDY)) {
        return 0; /* no value ready */
    }
    r->v[1] &= ~SR_DRDY;
    r->v[2] = 0;
    prv_next(soc, r);
    prv_irq(soc, r);
    return stored;
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    (void)power_on;
    struct emu_rng *r = st; /* registers: reset by the engine from the table */
    r->timer = 0;
    if (r->x == 0u) {
        r->x = 0x9E3779B9u;
    }
}

void emu_rng_init(emu_soc_t *soc)
{
    struct emu_rng *r = soc->rng = calloc(1, sizeof(*r));
    emu_periph_t p = {.reset = prv_reset, .st = r, .rb = &emu_rb_rng, .vals = r->v};
    emu_soc_add_model(soc, &p, sizeof(*r), prv_ready_cb);
}
