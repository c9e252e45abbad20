/* periph_rtc.c - RTC (RM0434 chapter 30) at 0x40002800, minimal: write protection (WPR keys
 * 0xCA, 0x53), INIT/INITF, the wake-up timer (WUTR, CR.WUCKSEL/WUTE/WUTIE, ISR.WUTWF/WUTF)
 * counting RTCCLK = 32.768 kHz in simulated time and raising RTC_WKUP (IRQ 3), and the backup
 * registers. Calendar, alarms, timestamp and tamper are stored but do not run. The RTC is in the
 * backup domain: only a power-on reset resets it. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define RTC_BASE_ADDR 0x40002800u
#define RTCCLK_HZ     32768u

#define ISR_WUTWF (1u << 2)
#define ISR_RSF   (1u << 5)
#define ISR_INITF (1u << 6)
#define ISR_INIT  (1u << 7)
#define ISR_WUTF  (1u << 10)
#define CR_WUTE   (1u << 10)
#define CR_WUTIE  (1u << 14)

/* RM0434 30.6 register map; 0x18 is reserved */
static const emu_reg_t s_regs[] = {
    {0x00, "TR", 0, 0x007F7F7Fu, 0, 0, NULL, NULL},
    {0x04, "DR", 0x00002101u, 0x00FFFF3Fu, 0, 0, NULL, NULL},
    {0x08, "CR", 0, 0x01FFFF7Fu, 0, 0, NULL, NULL},
    /* INIT rw; ALRAF ALRBF WUTF TSF TSOVF TAMPxF ITSF cleared by writing 0; others ro */
    {0x0C, "ISR", 0x00000007u, 0x00000080u, 0, 0x0003FF7Fu, NULL, NULL},
    {0x10, "PRER", 0x007F00FFu, 0x007F7FFFu, 0, 0, NULL, NULL},
    {0x14, "WUTR", 0x0000FFFFu, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x1C, "ALRMAR", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x20, "ALRMBR", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x24, "WPR", 0, 0, 0, 0x000000FFu, NULL, NULL},
    {0x28, "SSR", 0, 0, 0, 0x0000FFFFu, NULL, NULL},
    {0x2C, "SHIFTR", 0, 0, 0, 0x80007FFFu, NULL, NULL},
    {0x30, "TSTR", 0, 0, 0, 0x007F7F7Fu, NULL, NULL},
    {0x34, "TSDR", 0, 0, 0, 0x0000FF3Fu, NULL, NULL},
    {0x38, "TSSSR", 0, 0, 0, 0x0000FFFFu, NULL, NULL},
    {0x3C, "CALR", 0, 0x0000E1FFu, 0, 0, NULL, NULL},
    {0x40, "TAMPCR", 0, 0x00FFFFFFu, 0, 0, NULL, NULL},
    {0x44, "ALRMASSR", 0, 0x0F007FFFu, 0, 0, NULL, NULL},
    {0x48, "ALRMBSSR", 0, 0x0F007FFFu, 0, 0, NULL, NULL},
    {0x4C, "OR", 0, 0x00000003u, 0, 0, NULL, NULL},
    {0x50, "BKP0R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x54, "BKP1R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x58, "BKP2R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x5C, "BKP3R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x60, "BKP4R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x64, "BKP5R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x68, "BKP6R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x6C, "BKP7R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x70, "BKP8R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x74, "BKP9R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x78, "BKP10R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x7C, "BKP11R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x80, "BKP12R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x84, "BKP13R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x88, "BKP14R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x8C, "BKP15R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x90, "BKP16R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x94, "BKP17R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x98, "BKP18R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x9C, "BKP19R", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
};
/* clock gate: RTCAPBEN (on after reset) */
const emu_regblock_t emu_rb_rtc =
    EMU_REGBLOCK("RTC", RTC_BASE_ADDR, s_regs, EMU_RCC_APB1ENR1, 1u << 10);
/* ISR flags cleared by writing 0 (rc_w0): ALRAF..TAMP3F (bits 8-15) and ITSF (bit 17);
 * RECALPF (bit 16) is read-only */
#define ISR_RC_W0 0x0002FF00u

struct emu_rtc {
    uint32_t r[0x100];
    emu_keylock_t wpr;
    bool unlocked;
    uint32_t wut_timer;
};

static void prv_wut_cb(emu_soc_t *soc, void *arg);

static void prv_arm(emu_soc_t *soc)
{
    struct emu_rtc *t = soc->rtc;
    if (t->wut_timer != 0u) {
        emu_cancel(soc, t->wut_timer);
        t->wut_timer = 0;
    }
    uint32_t cr = t->r[0x08 / 4];
    if (!(cr & CR_WUTE)) {
        return;
    }
    uint32_t sel = cr & 7u;
    uint64_t ticks = (uint64_t)(t->r[0x14 / 4] & 0xFFFFu) + 1u;
    uint64_t ns;
    if (sel < 4u) {
        ns = ticks * (16u >> sel) * 1000000000ull / RTCCLK_HZ; /* RTC/16, /8, /4, /2 */
    } else {
        ns = (ticks + (sel >= 6u ? 65536u : 0u)) * 1000000000ull; /* ck_spre = 1 Hz */
    }
    t->wut_timer = emu_schedule(soc, emu_time_ns(soc) + ns, prv_wut_cb, NULL);
}

static void prv_wut_cb(emu_soc_t *soc, void *arg)
{
    (void)arg;
    struct emu_rtc *t = soc->rtc;
    t->wut_timer = 0;
    t->r[0x0C / 4] |= ISR_WUTF;
    if (t->r[0x08 / 4] & CR_WUTIE) {
        emu_irq_set(soc, EMU_IRQ_RTC_WKUP, true);
    }
    prv_arm(soc); /* auto-reload */
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_rtc *t = st;
    if (off == 0x0C) {
        uint32_t v = (t->r[off / 4u] & ~ISR_WUTWF) | ISR_RSF;
        if (!(t->r[0x08 / 4] & CR_WUTE)) {
            v |= ISR_WUTWF; /* wake-up timer writable while WUTE = 0 */
        }
        return v;
    }
    if (off == 0x24) {
        return 0;
    }
    if (off <= 0x9Cu) {
        return t->r[off / 4u];
    }
    emu_soc_unimplemented(soc, "RTC", RTC_BASE_ADDR + off, false, 0);
    return 0;
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_rtc *t = st;
    if (off == 0x24) { /* WPR: 0xCA then 0x53 unlocks, anything else relocks */
        if (emu_keylock_feed(&t->wpr, val & 0xFFu)) {
            t->unlocked = true;
        } else {
            t->unlocked = false;
            if (t->wpr.blocked) {
                emu_keylock_reset(&t->wpr); /* a wrong key only relocks (not sticky) */
                if ((val & 0xFFu) == 0xCAu) {
                    emu_keylock_feed(&t->wpr, 0xCAu);
                }
            }
        }
        return;
    }
    if (off >= 0x50u && off <= 0x9Cu) { /* backup registers are not write-protected */
        t->r[off / 4u] = emu_reg_merge(t->r[off / 4u], val, mask, 0xFFFFFFFFu);
        return;
    }
    if (off > 0x9Cu) {
        emu_soc_unimplemented(soc, "RTC", RTC_BASE_ADDR + off, true, val);
        return;
    }
    if (!t->unlocked && off != 0x0C) {
        emu_trace(soc, EMU_TRACE_PERIPH, "RTC write 0x%02" PRIx32 " ignored: write-protected", off);
        return;
    }
    switch (off) {
    case 0x0C: {
        /* ISR: flags are cleared by writing 0 (rc_w0); INIT is read/write */
        uint32_t isr = t->r[off / 4u];
        isr &= ~(ISR_RC_W0 & mask & ~val);
        if (t->unlocked && (mask & ISR_INIT)) {
            isr = (val & ISR_INIT) ? (isr | ISR_INIT | ISR_INITF) : (isr & ~(ISR_INIT | ISR_INITF));
        }
        t->r[off / 4u] = isr;
        if (!(isr & ISR_WUTF)) {
            emu_irq_set(soc, EMU_IRQ_RTC_WKUP, false);
        }
        return;
    }
    case 0x08:
        t->r[off / 4u] = emu_reg_merge(t->r[off / 4u], val, mask, 0x01FFFF7Fu);
        prv_arm(soc);
        return;
    default:
        t->r[off / 4u] = emu_reg_merge(t->r[off / 4u], val, mask, 0xFFFFFFFFu);
        return;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    struct emu_rtc *t = st;
    t->wut_timer = 0; /* timers were dropped by the reset */
    if (power_on) {
        memset(t->r, 0, sizeof(t->r));
        t->r[0x04 / 4] = 0x00002101u; /* DR */
        t->r[0x0C / 4] = 0x00000007u; /* ISR: ALRAWF ALRBWF WUTWF */
        t->r[0x10 / 4] = 0x007F00FFu; /* PRER */
        t->r[0x14 / 4] = 0x0000FFFFu; /* WUTR */
        emu_keylock_reset(&t->wpr);
        t->unlocked = false;
    } else {
        prv_arm(soc);
    }
}

void emu_rtc_init(emu_soc_t *soc)
{
    struct emu_rtc *t = soc->rtc = calloc(1, sizeof(*t));
    t->wpr.keys[0] = 0xCAu;
    t->wpr.keys[1] = 0x53u;
    t->wpr.nkeys = 2;
    emu_periph_t p = {
        .read = prv_read, .write = prv_write, .reset = prv_reset, .st = t, .rb = &emu_rb_rtc};
    emu_soc_add_model(soc, &p, sizeof(*t), prv_wut_cb);
}
