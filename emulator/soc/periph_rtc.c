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
        uint32_t flags = 0x0001FF00u & ~ISR_INIT; /* ALRAF..ITSF etc. */
        isr &= ~(flags & mask & ~val);
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
    struct emu_rtc *t = calloc(1, sizeof(*t));
    soc->rtc = t;
    t->wpr.keys[0] = 0xCAu;
    t->wpr.keys[1] = 0x53u;
    t->wpr.nkeys = 2;
    emu_periph_t p = {.name = "RTC",
                      .base = RTC_BASE_ADDR,
                      .size = 0x400u,
                      .read = prv_read,
                      .write = prv_write,
                      .reset = prv_reset,
                      .st = t};
    emu_soc_register_periph(soc, &p);
    emu_soc_register_state(soc, t, sizeof(*t));
    emu_soc_register_timer_cb(soc, prv_wut_cb);
    prv_reset(soc, t, true);
}
