/* Write-behind flash queue (see flash_queue.h). Timing rules: docs/benchmarks.md#speed. */
#include "flash_queue.h"

#include <string.h>

#include "ota_deps.h"

/* CPU2 releasing Sem 7 for longer than this starts a new connection event (inside an event
 * it holds Sem 7 from packet to packet). */
#define FQ_NEW_EVENT_GAP_US 3000u
/* One double word: 81.7 us of flash busy time plus the driver's software around it. */
#define FQ_OP_US 110u
/* A hold seen within this of a look that found Sem 7 free began in between. */
#define FQ_PROMPT_US 150u
/* Keep clear of the predicted first delivery of the next event by this much on either side:
 * our prediction comes from arrival times CPU1 noticed up to one operation late. */
#define FQ_GUARD_BEFORE_US 400u
#define FQ_GUARD_AFTER_US  300u
/* Double words per burst (one flash session): short, so CPU2 events are fetched promptly. */
#define FQ_BURST_DW 8u
/* A job (a record of one header and one payload double word) counts as this many operations. */
#define FQ_JOB_OPS 2u

typedef struct {
    uint32_t addr;
    uint8_t dw[WBOTA_DW_SIZE];
} fq_ent_t;

/* not zeroed at start-up (loader.ld .noinit): every entry is written before it is read */
static fq_ent_t s_q[WB_CFG_FQ_CAP] __attribute__((section(".noinit")));
static uint32_t s_head;
static uint32_t s_len;
static wbota_err_t s_err;
static uint32_t s_itv_us = 15000u;
static uint32_t s_anchor_us; /* a (predicted) first-delivery time of a connection event */
static uint32_t s_last_hold_us;
static uint32_t s_free_seen_us; /* last look at Sem 7 that found it free */
static bool s_free_seen;
static bool s_have_anchor;
/* double words queued / programmed (or dropped) since start-up, wrapping: the job waits for
 * s_done to reach s_job_mark, the s_queued of its registration */
static uint32_t s_queued;
static uint32_t s_done;
static wb_fq_job_fn s_job;
static void *s_job_ctx;
static uint32_t s_job_mark;

#ifdef WB_OTA_HOST_TEST
void wb_fq_host_power_on(void)
{
    s_head = s_len = 0u;
    s_err = WBOTA_OK;
    s_itv_us = 15000u;
    s_anchor_us = s_last_hold_us = s_free_seen_us = 0u;
    s_free_seen = s_have_anchor = false;
    s_job = NULL;
    s_job_ctx = NULL;
    s_queued = s_done = s_job_mark = 0u;
}
#endif

void wb_fq_reset(void)
{
    s_err = WBOTA_OK;
}

uint32_t wb_fq_len(void)
{
    return s_len;
}

uint32_t wb_fq_space(void)
{
    return WB_CFG_FQ_CAP - s_len;
}

void wb_fq_set_interval_us(uint32_t us)
{
    if (us >= 7500u) {
        s_itv_us = us;
        s_have_anchor = false;
    }
}

/* CPU2 takes Sem 7 at the first packet of a connection event that carries data: the moment
 * CPU1 must not hold it. The grid of those moments is learned from holds CPU1 saw begin
 * promptly (it looked less than FQ_PROMPT_US before and Sem 7 was free then); a hold first seen
 * after CPU1 was busy elsewhere may have begun long before and says nothing. The first packet's
 * size moves the moment within the event (0.5-2.5 ms after the anchor), so the latest prompt
 * sighting wins. */
static void prv_watch(bool held)
{
    const uint32_t now = wb_time_us();
    if (!held) {
        s_free_seen_us = now;
        s_free_seen = true;
        return;
    }
    if (s_free_seen && (uint32_t)(now - s_free_seen_us) < FQ_PROMPT_US &&
        (uint32_t)(now - s_last_hold_us) >= FQ_NEW_EVENT_GAP_US) {
        s_anchor_us = now;
        s_have_anchor = true;
    }
    s_free_seen = false;
    s_last_hold_us = now;
}

/* May ops flash operations start now without holding Sem 7 when the next event begins? */
static bool prv_gap_ok(uint32_t ops)
{
    if (!s_have_anchor) {
        return true;
    }
    const uint32_t phase = (uint32_t)(wb_time_us() - s_anchor_us) % s_itv_us;
    if (phase < FQ_GUARD_AFTER_US) {
        return false;
    }
    return (s_itv_us - phase) > ((ops * FQ_OP_US) + FQ_GUARD_BEFORE_US);
}

static void prv_program_head(void)
{
    const fq_ent_t *e = &s_q[s_head];
    if (s_err == WBOTA_OK) {
        s_err = wb_flash_burst_program_dw(e->addr, e->dw);
    }
    s_head = (s_head + 1u) % WB_CFG_FQ_CAP;
    s_len--;
    s_done++;
}

static bool prv_job_due(void)
{
    return (s_job != NULL) && ((int32_t)(s_done - s_job_mark) >= 0);
}

static void prv_run_job(void)
{
    const wb_fq_job_fn fn = s_job;
    s_job = NULL;
    if (s_err == WBOTA_OK) {
        s_err = fn(s_job_ctx); /* a failed record ends the session like a failed program */
    }
}

static void prv_burst(bool forced)
{
    uint32_t n = 0u;
    bool open = false;
    while (((s_len > 0u) || prv_job_due()) && (forced || (n < FQ_BURST_DW))) {
        const bool job = prv_job_due();
        if (!forced) {
            const bool held = wb_flash_cpu2_holds_sem7();
            prv_watch(held);
            if (held) {
                break;
            }
            /* with the queue more than half full the flash is the bottleneck: the link has to
             * slow down anyway, and an event CPU2 loses to our operation costs the flash
             * nothing, while a pause before each event would */
            if ((s_len < (WB_CFG_FQ_CAP / 2u)) && !prv_gap_ok(job ? FQ_JOB_OPS : 1u)) {
                break;
            }
        }
        if (job) {
            if (open) {
                wb_flash_burst_end(); /* the job opens its own flash sessions */
                open = false;
            }
            prv_run_job();
            n += FQ_JOB_OPS;
            continue;
        }
        if (!open) {
            wbota_err_t err = wb_flash_burst_begin();
            if (err != WBOTA_OK) {
                if (s_err == WBOTA_OK) {
                    s_err = err;
                }
                s_head = (s_head + s_len) % WB_CFG_FQ_CAP; /* the session has failed */
                s_done += s_len;
                s_len = 0u;
                return;
            }
            open = true;
        }
        prv_program_head();
        n++;
        if (forced && (n % FQ_BURST_DW) == 0u) {
            /* a new session every few double words: CPU2 may need Sem 2 meanwhile */
            wb_flash_burst_end();
            open = false;
        }
    }
    if (open) {
        wb_flash_burst_end();
    }
}

void wb_fq_watch_radio(void)
{
    prv_watch(wb_flash_cpu2_holds_sem7());
}

void wb_fq_woke(void)
{
    /* asleep until an interrupt: a hold that began meanwhile woke us with its event (IPCC) */
    s_free_seen_us = wb_time_us();
    s_free_seen = !wb_flash_cpu2_holds_sem7();
    if (!s_free_seen) {
        s_free_seen = true;
        prv_watch(true);
    }
}

void wb_fq_after_queued(wb_fq_job_fn fn, void *ctx)
{
    s_job = fn;
    s_job_ctx = ctx;
    s_job_mark = s_queued;
}

bool wb_fq_idle(void)
{
    return (s_len == 0u) && (s_job == NULL);
}

void wb_fq_service(void)
{
    prv_burst(false);
}

wbota_err_t wb_fq_drain(void)
{
    prv_burst(true);
    return s_err;
}

static bool prv_all_ones(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0u; i < n; i++) {
        if (p[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

static wbota_err_t prv_program_cb(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE])
{
    (void)ctx;
    if (s_err != WBOTA_OK) {
        return s_err;
    }
    if (prv_all_ones(dw, WBOTA_DW_SIZE)) {
        /* erased flash already reads so: programming ones would only spend 82 us and leave a
         * double word nothing can overwrite (docs/flash-rules.md#all-ones); the core has just
         * checked that it reads erased */
        return WBOTA_OK;
    }
    if (s_len == WB_CFG_FQ_CAP) {
        /* the service keeps space for a whole write; never reached in normal flow */
        prv_burst(true);
        if (s_err != WBOTA_OK) {
            return s_err;
        }
    }
    fq_ent_t *e = &s_q[(s_head + s_len) % WB_CFG_FQ_CAP];
    e->addr = addr;
    memcpy(e->dw, dw, WBOTA_DW_SIZE);
    s_len++;
    s_queued++;
    return WBOTA_OK;
}

/* Flash contents as they will be: the array, then the queued double words over it (newest
 * last). The core reads back what it just queued, so the search runs from the newest. */
static wbota_err_t prv_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    if (s_err != WBOTA_OK) {
        return s_err;
    }
    wbota_err_t err = wb_flash_read(addr, buf, len);
    if (err != WBOTA_OK || s_len == 0u) {
        return err;
    }
    const uint32_t first = s_q[s_head].addr;
    const uint32_t last = s_q[(s_head + s_len - 1u) % WB_CFG_FQ_CAP].addr;
    if ((addr + len <= first && addr + len <= last) ||
        (addr >= first + WBOTA_DW_SIZE && addr >= last + WBOTA_DW_SIZE)) {
        /* the stream is in address order: outside [first, last] nothing is queued */
        if (last >= first) {
            return WBOTA_OK;
        }
    }
    for (uint32_t i = s_len; i > 0u; i--) {
        const fq_ent_t *e = &s_q[(s_head + i - 1u) % WB_CFG_FQ_CAP];
        if ((e->addr >= addr + len) || (e->addr + WBOTA_DW_SIZE <= addr)) {
            continue;
        }
        for (uint32_t k = 0u; k < WBOTA_DW_SIZE; k++) {
            const uint32_t a = e->addr + k;
            if (a >= addr && a < addr + len) {
                buf[a - addr] = e->dw[k];
            }
        }
        if ((len == WBOTA_DW_SIZE) && (e->addr == addr)) {
            break; /* the newest entry covers the whole read */
        }
    }
    return WBOTA_OK;
}

static wbota_err_t prv_erase_cb(void *ctx, uint32_t page)
{
    (void)ctx;
    wbota_err_t err = wb_fq_drain();
    if (err != WBOTA_OK) {
        return err;
    }
    return wb_flash_erase_page(page);
}

wbota_ota_flash_t wb_fq_port(void)
{
    return wbota_ota_flash_port(prv_erase_cb, prv_program_cb, prv_read_cb, NULL);
}
