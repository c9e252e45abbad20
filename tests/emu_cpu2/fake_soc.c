/* fake_soc.c - emu_soc.h for host tests (see fake_soc.h). Only what the CPU2 model and the
 * radio use; behaviour follows the RM0434 facts the real SoC model implements. */
#include "fake_soc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_RAM_BASE 0x20000000u
#define FAKE_RAM_SIZE 0x40000u
#define FAKE_TIMERS   512
#define FAKE_LOG_MAX  65536

typedef struct {
    uint64_t at;
    emu_timer_cb cb;
    void *arg;
    uint32_t handle;
    bool active;
} fake_timer_t;

struct emu_soc {
    uint8_t ram[FAKE_RAM_SIZE];
    uint64_t now;
    fake_timer_t timers[FAKE_TIMERS];
    uint32_t next_handle;
    const emu_device_ops_t *ops[8];
    void *ctx[8];
    unsigned ndev;
    char failed_rule[64];
    bool failed;
    char log[FAKE_LOG_MAX];
    size_t log_len;
    bool c1toc2[7], c2toc1[7];
    unsigned hsem[32];
    uint32_t rfwkpsel;
    bool trace;
    uint64_t late_ns;  /* timers fire this late (the real CPU slice ends after the due time) */
    int reset_request; /* 0 none, 1 system reset, 2 power-on: done after the poll hooks */
};

emu_soc_t *fake_soc_create(void)
{
    emu_soc_t *s = calloc(1, sizeof *s);
    s->next_handle = 1;
    s->trace = getenv("FAKE_TRACE") != NULL;
    return s;
}

void fake_soc_destroy(emu_soc_t *soc)
{
    free(soc);
}

bool emu_mem_read(emu_soc_t *soc, uint32_t addr, void *buf, uint32_t len)
{
    if (addr < FAKE_RAM_BASE || addr - FAKE_RAM_BASE > FAKE_RAM_SIZE ||
        len > FAKE_RAM_SIZE - (addr - FAKE_RAM_BASE)) {
        return false;
    }
    memcpy(buf, soc->ram + (addr - FAKE_RAM_BASE), len);
    return true;
}

bool emu_mem_write(emu_soc_t *soc, uint32_t addr, const void *buf, uint32_t len)
{
    if (addr < FAKE_RAM_BASE || addr - FAKE_RAM_BASE > FAKE_RAM_SIZE ||
        len > FAKE_RAM_SIZE - (addr - FAKE_RAM_BASE)) {
        return false;
    }
    memcpy(soc->ram + (addr - FAKE_RAM_BASE), buf, len);
    return true;
}

uint64_t emu_time_ns(const emu_soc_t *soc)
{
    return soc->now;
}

uint32_t emu_schedule(emu_soc_t *soc, uint64_t at_ns, emu_timer_cb cb, void *arg)
{
    for (int i = 0; i < FAKE_TIMERS; i++) {
        if (!soc->timers[i].active) {
            soc->timers[i] = (fake_timer_t){at_ns < soc->now ? soc->now : at_ns, cb, arg,
                                            soc->next_handle++, true};
            return soc->timers[i].handle;
        }
    }
    fprintf(stderr, "fake_soc: timer table full\n");
    abort();
}

void emu_cancel(emu_soc_t *soc, uint32_t handle)
{
    for (int i = 0; i < FAKE_TIMERS; i++) {
        if (soc->timers[i].active && soc->timers[i].handle == handle) {
            soc->timers[i].active = false;
        }
    }
}

static void prv_log_add(emu_soc_t *soc, const char *line)
{
    size_t n = strlen(line);
    if (soc->log_len + n + 2 < FAKE_LOG_MAX) {
        memcpy(soc->log + soc->log_len, line, n);
        soc->log_len += n;
        soc->log[soc->log_len++] = '\n';
        soc->log[soc->log_len] = 0;
    }
}

void emu_fail(emu_soc_t *soc, const char *rule, const char *fmt, ...)
{
    char d[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    fprintf(stderr, "EMU RULE %s: %s (t=%llu ns)\n", rule, d, (unsigned long long)soc->now);
    if (!soc->failed) {
        soc->failed = true;
        snprintf(soc->failed_rule, sizeof soc->failed_rule, "%s", rule);
    }
}

void emu_log(emu_soc_t *soc, const char *fmt, ...)
{
    char d[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    if (soc->trace) {
        fprintf(stderr, "LOG %s\n", d);
    }
    prv_log_add(soc, d);
}

bool emu_trace_on(const emu_soc_t *soc, unsigned category)
{
    (void)category;
    return soc->trace;
}

void emu_trace(emu_soc_t *soc, unsigned category, const char *fmt, ...)
{
    (void)category;
    if (!soc->trace) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[%10.3f ms] ", (double)soc->now / 1e6);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool emu_ipcc_c1_to_c2_pending(emu_soc_t *soc, unsigned ch)
{
    return ch >= 1 && ch <= 6 && soc->c1toc2[ch];
}

void emu_ipcc_c2_ack(emu_soc_t *soc, unsigned ch)
{
    if (ch >= 1 && ch <= 6) {
        soc->c1toc2[ch] = false;
    }
}

void emu_ipcc_c2_to_c1_set(emu_soc_t *soc, unsigned ch)
{
    if (ch >= 1 && ch <= 6) {
        soc->c2toc1[ch] = true;
    }
}

bool emu_ipcc_c2_to_c1_pending(emu_soc_t *soc, unsigned ch)
{
    return ch >= 1 && ch <= 6 && soc->c2toc1[ch];
}

bool emu_hsem_cpu2_lock(emu_soc_t *soc, unsigned sem)
{
    if (sem >= 32 || soc->hsem[sem] != 0) {
        return false;
    }
    soc->hsem[sem] = 8;
    return true;
}

void emu_hsem_cpu2_unlock(emu_soc_t *soc, unsigned sem)
{
    if (sem < 32 && soc->hsem[sem] == 8) {
        soc->hsem[sem] = 0;
    }
}

unsigned emu_hsem_owner(const emu_soc_t *soc, unsigned sem)
{
    return sem < 32 ? soc->hsem[sem] : 0;
}

uint32_t emu_rcc_rfwkpsel(const emu_soc_t *soc)
{
    return soc->rfwkpsel;
}

bool emu_rcc_hse_ready(const emu_soc_t *soc)
{
    (void)soc;
    return true;
}

bool emu_rcc_lse_ready(const emu_soc_t *soc)
{
    (void)soc;
    return true;
}

uint32_t emu_option_sfsa(const emu_soc_t *soc)
{
    (void)soc;
    return 0xCB;
}

bool emu_soc_attach(emu_soc_t *soc, const emu_device_ops_t *ops, void *ctx)
{
    if (soc->ndev >= 8) {
        return false;
    }
    soc->ops[soc->ndev] = ops;
    soc->ctx[soc->ndev] = ctx;
    soc->ndev++;
    return true;
}

/* As the real run loop: a requested reset happens after the current device hooks return. */
void emu_request_power_on_reset(emu_soc_t *soc)
{
    soc->reset_request = 2;
}

void emu_request_system_reset(emu_soc_t *soc)
{
    if (soc->reset_request == 0) {
        soc->reset_request = 1;
    }
}

void fake_soc_set_timer_lateness(emu_soc_t *soc, uint64_t ns)
{
    soc->late_ns = ns;
}

/* ---- test controls ---- */

static void prv_poll(emu_soc_t *soc)
{
    for (unsigned i = 0; i < soc->ndev; i++) {
        if (soc->ops[i]->poll_cb) {
            soc->ops[i]->poll_cb(soc, soc->ctx[i]);
        }
    }
    if (soc->reset_request != 0) {
        bool por = soc->reset_request == 2;
        soc->reset_request = 0;
        fake_soc_reset(soc, por);
    }
}

bool fake_soc_step(emu_soc_t *soc)
{
    int best = -1;
    for (int i = 0; i < FAKE_TIMERS; i++) {
        if (soc->timers[i].active && (best < 0 || soc->timers[i].at < soc->timers[best].at)) {
            best = i;
        }
    }
    if (best < 0) {
        return false;
    }
    fake_timer_t t = soc->timers[best];
    soc->timers[best].active = false;
    if (t.at + soc->late_ns > soc->now) {
        soc->now = t.at + soc->late_ns;
    }
    t.cb(soc, t.arg);
    prv_poll(soc);
    return true;
}

void fake_soc_advance(emu_soc_t *soc, uint64_t ns)
{
    uint64_t target = soc->now + ns;
    for (;;) {
        int best = -1;
        for (int i = 0; i < FAKE_TIMERS; i++) {
            if (soc->timers[i].active && (best < 0 || soc->timers[i].at < soc->timers[best].at)) {
                best = i;
            }
        }
        if (best < 0 || soc->timers[best].at > target) {
            break;
        }
        fake_soc_step(soc);
    }
    if (soc->now < target) {
        soc->now = target;
    }
    prv_poll(soc);
}

const char *fake_soc_failed_rule(const emu_soc_t *soc)
{
    return soc->failed ? soc->failed_rule : NULL;
}

bool fake_soc_log_has(const emu_soc_t *soc, const char *needle)
{
    return strstr(soc->log, needle) != NULL;
}

void fake_soc_set_rfwkpsel(emu_soc_t *soc, uint32_t v)
{
    /* ES0394 2.3.1: HSE/1024 sticks until power-on */
    if (soc->rfwkpsel != 3u) {
        soc->rfwkpsel = v;
    }
}

void fake_soc_reset(emu_soc_t *soc, bool power_on)
{
    memset(soc->timers, 0, sizeof soc->timers);
    memset(soc->c1toc2, 0, sizeof soc->c1toc2);
    memset(soc->c2toc1, 0, sizeof soc->c2toc1);
    memset(soc->hsem, 0, sizeof soc->hsem);
    if (power_on) {
        soc->rfwkpsel = 0;
        memset(soc->ram, 0xA5, sizeof soc->ram);
    }
    for (unsigned i = 0; i < soc->ndev; i++) {
        if (soc->ops[i]->reset_cb) {
            soc->ops[i]->reset_cb(soc, soc->ctx[i], power_on);
        }
    }
}

void fake_c1_c2boot(emu_soc_t *soc)
{
    for (unsigned i = 0; i < soc->ndev; i++) {
        if (soc->ops[i]->c2boot_cb) {
            soc->ops[i]->c2boot_cb(soc, soc->ctx[i]);
        }
    }
}

/* Tells every device that CPU1 set its flag of ch (set) or cleared CPU2's (not set). */
static void prv_ipcc_notify(emu_soc_t *soc, unsigned ch, bool set)
{
    for (unsigned i = 0; i < soc->ndev; i++) {
        void (*cb)(emu_soc_t *, void *, unsigned) =
            set ? soc->ops[i]->ipcc_c1_set_cb : soc->ops[i]->ipcc_c1_cleared_cb;
        if (cb != NULL) {
            cb(soc, soc->ctx[i], ch);
        }
    }
}

void fake_c1_set(emu_soc_t *soc, unsigned ch)
{
    soc->c1toc2[ch] = true;
    prv_ipcc_notify(soc, ch, true);
}

bool fake_c1_tx_busy(emu_soc_t *soc, unsigned ch)
{
    return soc->c1toc2[ch];
}

bool fake_c1_rx_pending(emu_soc_t *soc, unsigned ch)
{
    return soc->c2toc1[ch];
}

void fake_c1_clear(emu_soc_t *soc, unsigned ch)
{
    soc->c2toc1[ch] = false;
    prv_ipcc_notify(soc, ch, false);
}

bool fake_c1_hsem_lock(emu_soc_t *soc, unsigned sem)
{
    if (soc->hsem[sem] != 0) {
        return false;
    }
    soc->hsem[sem] = 4;
    return true;
}

void fake_c1_hsem_unlock(emu_soc_t *soc, unsigned sem)
{
    if (soc->hsem[sem] == 4) {
        soc->hsem[sem] = 0;
    }
}
