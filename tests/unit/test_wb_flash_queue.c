/* Host test of the loader's write-behind flash queue (firmware/loader/flash_queue.c) over the
 * host flash model: what the OTA engine reads while data is still queued, the all-0xFF rule
 * (docs/flash-rules.md#all-ones), erase after the queue, sticky errors, and the gap rule that
 * keeps CPU1's operations away from the predicted first packet of a connection event. The queue
 * comes from the library wbota_loader_host; wb_fq_host_power_on (ota_host.h) resets it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flash_queue.h"
#include "ota_host.h"
#include "wb/flash.h"
#include "wb/time.h"
#include "wbota/flash_model.h"

static wbota_flash_model_t s_fm;
static uint32_t s_now_us;
static bool s_cpu2_holds;
static uint32_t s_ops;          /* flash operations started */
static uint32_t s_op_at[64];    /* their start times (us) */
static uint32_t s_sessions;     /* burst_begin calls */
static wbota_err_t s_fail_next; /* injected failure of the next program */

uint32_t wb_time_us(void)
{
    return s_now_us;
}

wbota_err_t wb_flash_burst_begin(void)
{
    s_sessions++;
    return WBOTA_OK;
}

void wb_flash_burst_end(void)
{
}

wbota_err_t wb_flash_burst_program_dw(uint32_t addr, const uint8_t dw[8])
{
    if (s_ops < 64u) {
        s_op_at[s_ops] = s_now_us;
    }
    s_ops++;
    s_now_us += 94u; /* 81.7 us busy + the driver */
    if (s_fail_next != WBOTA_OK) {
        wbota_err_t e = s_fail_next;
        s_fail_next = WBOTA_OK;
        return e;
    }
    return wbota_fm_program_dw(&s_fm, addr, dw);
}

bool wb_flash_cpu2_holds_sem7(void)
{
    return s_cpu2_holds;
}

wbota_err_t wb_flash_read(uint32_t addr, uint8_t *buf, uint32_t len)
{
    return wbota_fm_read(&s_fm, addr, buf, len);
}

wbota_err_t wb_flash_erase_page(uint32_t page)
{
    s_ops++;
    return wbota_fm_erase_page(&s_fm, page);
}

#define BASE 0x08010000u

/* A double word that is not all ones (docs/flash-rules.md#all-ones): the queue programs it. */
static const uint8_t k_a[8] = {1, 2, 3, 4, 5, 6, 7, 8};

/* Queues k_a at BASE + 8 * i for first <= i < end through the OTA engine's port. */
static void prv_queue(const wbota_ota_flash_t *f, uint32_t first, uint32_t end)
{
    for (uint32_t i = first; i < end; i++) {
        assert_int_equal(f->program_dw_cb(f->ctx, BASE + 8u * i, k_a), WBOTA_OK);
    }
}

/* The flash itself (not the queue's view of it) holds dw at addr. */
static void prv_assert_flash_holds(uint32_t addr, const uint8_t dw[8])
{
    uint8_t raw[8];
    assert_int_equal(wbota_fm_read(&s_fm, addr, raw, 8), WBOTA_OK);
    assert_memory_equal(raw, dw, 8);
}

/* A job stands for a progress record: it notes what the flash held when it ran. */
static uint32_t s_job_runs;
static uint32_t s_job_ops_at_run;
static uint8_t s_job_saw[3][8];
static wbota_err_t s_job_result;

static wbota_err_t prv_job(void *ctx)
{
    (void)ctx;
    s_job_runs++;
    s_job_ops_at_run = s_ops;
    for (uint32_t i = 0; i < 3u; i++) {
        (void)wbota_fm_read(&s_fm, BASE + 8u * i, s_job_saw[i], 8);
    }
    return s_job_result;
}

static int prv_setup(void **state)
{
    (void)state;
    wbota_fm_init(&s_fm, 0xCBu);
    s_now_us = 1000000u;
    s_cpu2_holds = false;
    s_ops = 0u;
    s_sessions = 0u;
    s_fail_next = WBOTA_OK;
    s_job_runs = 0u;
    s_job_result = WBOTA_OK;
    wb_fq_host_power_on();
    wb_fq_reset();
    return 0;
}

static void test_fq_reads_include_queued_data(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    const uint8_t b[8] = {9, 10, 11, 12, 13, 14, 15, 16};
    prv_queue(&f, 0u, 1u);
    assert_int_equal(f.program_dw_cb(f.ctx, BASE + 8u, b), WBOTA_OK);
    assert_int_equal(s_ops, 0u); /* nothing programmed yet: CPU2's buffer can go back */
    uint8_t got[20];
    assert_int_equal(f.read_cb(f.ctx, BASE - 2u, got, sizeof got), WBOTA_OK);
    assert_int_equal(got[0], 0xFF);
    assert_int_equal(got[1], 0xFF);
    assert_memory_equal(&got[2], k_a, 8);
    assert_memory_equal(&got[10], b, 8);
    assert_int_equal(got[18], 0xFF);
    /* the flash itself is still erased until the queue is drained */
    uint8_t raw[8];
    assert_int_equal(wbota_fm_read(&s_fm, BASE, raw, 8), WBOTA_OK);
    assert_int_equal(raw[0], 0xFF);
    assert_int_equal(wb_fq_drain(), WBOTA_OK);
    assert_int_equal(s_ops, 2u);
    prv_assert_flash_holds(BASE, k_a);
}

static void test_fq_all_ones_not_programmed(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    assert_int_equal(f.program_dw_cb(f.ctx, BASE, ones), WBOTA_OK);
    assert_int_equal(wb_fq_len(), 0u);
    assert_int_equal(wb_fq_drain(), WBOTA_OK);
    assert_int_equal(s_ops, 0u);
    /* the double word stays truly erased: a later value can still be programmed there */
    const uint8_t z[8] = {0};
    assert_int_equal(wbota_fm_program_dw(&s_fm, BASE, z), WBOTA_OK);
}

static void test_fq_erase_after_queued_programs(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    prv_queue(&f, 0u, 1u);
    assert_int_equal(f.erase_page_cb(f.ctx, wbota_addr_page(BASE) + 1u), WBOTA_OK);
    assert_int_equal(s_ops, 2u); /* the queued program went first */
    prv_assert_flash_holds(BASE, k_a);
}

static void test_fq_deferred_error_is_sticky_until_reset(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    prv_queue(&f, 0u, 1u);
    s_fail_next = WBOTA_E_FLASH_PROG;
    assert_int_equal(wb_fq_drain(), WBOTA_E_FLASH_PROG);
    assert_int_equal(s_ops, 1u); /* the injected failure fired */
    uint8_t got[8];
    assert_int_equal(f.program_dw_cb(f.ctx, BASE + 8u, k_a), WBOTA_E_FLASH_PROG);
    assert_int_equal(f.read_cb(f.ctx, BASE, got, 8), WBOTA_E_FLASH_PROG);
    wb_fq_reset();
    assert_int_equal(f.read_cb(f.ctx, BASE, got, 8), WBOTA_OK);
}

/* CPU2 takes Sem 7 at t = 1.000 s (seen promptly): with 15 ms events, no operation may start
 * within 510 us (one operation + 400 us) before t + 15 ms, nor 300 us after it. */
static void test_fq_no_operation_near_the_next_event(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    wb_fq_watch_radio(); /* free at 1.000000 s */
    s_cpu2_holds = true;
    s_now_us += 10u;
    wb_fq_watch_radio(); /* held at 1.000010 s: prompt, the grid */
    s_cpu2_holds = false;
    prv_queue(&f, 0u, 40u);
    const uint32_t next = 1000010u + 15000u;
    s_now_us = next - 900u; /* room for a few operations, then the guard */
    for (uint32_t k = 0; k < 400u && wb_fq_len() > 0u; k++) {
        wb_fq_service();
        s_now_us += 10u; /* the loader's loop */
    }
    assert_true(s_ops > 0u);
    for (uint32_t i = 0; i < s_ops && i < 64u; i++) {
        const uint32_t start = s_op_at[i];
        if (!(start + 94u + 400u <= next || start >= next + 300u)) {
            fail_msg("op %u at %u, next event %u", (unsigned)i, (unsigned)start, (unsigned)next);
        }
    }
    assert_int_equal(wb_fq_len(), 0u); /* all done after the guard */
    assert_true(s_sessions < s_ops);   /* one session per burst, not per double word */
}

/* The record of a page follows its data (docs/staged.md#resume): a job registered after three
 * double words runs once those three are in the flash, not while CPU2 holds Sem 7, before the
 * double words queued after it; a newer job replaces a waiting one. */
static void test_fq_job_runs_after_its_data_in_a_gap(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    prv_queue(&f, 0u, 2u);
    wb_fq_after_queued(prv_job, NULL); /* replaced below: must never run */
    prv_queue(&f, 2u, 3u);
    wb_fq_after_queued(prv_job, NULL);
    prv_queue(&f, 3u, 5u);
    s_cpu2_holds = true; /* a connection event: nothing runs */
    wb_fq_service();
    assert_int_equal(s_ops, 0u);
    assert_int_equal(s_job_runs, 0u);
    assert_false(wb_fq_idle());
    s_cpu2_holds = false;
    for (uint32_t k = 0; k < 10u && !wb_fq_idle(); k++) {
        wb_fq_service();
    }
    assert_true(wb_fq_idle());
    assert_int_equal(s_job_runs, 1u);
    assert_int_equal(s_job_ops_at_run, 3u); /* after the three double words, before the rest */
    for (uint32_t i = 0; i < 3u; i++) {
        assert_memory_equal(s_job_saw[i], k_a, 8);
    }
    assert_int_equal(s_ops, 5u);
}

/* The drain runs a waiting job; a failed job is the session's sticky error. */
static void test_fq_drain_runs_the_job_and_keeps_its_error(void **state)
{
    (void)state;
    wbota_ota_flash_t f = wb_fq_port();
    s_job_result = WBOTA_E_FLASH_PROG;
    prv_queue(&f, 0u, 1u);
    wb_fq_after_queued(prv_job, NULL);
    assert_int_equal(wb_fq_drain(), WBOTA_E_FLASH_PROG);
    assert_int_equal(s_job_runs, 1u); /* the injected failure fired */
    assert_int_equal(s_job_ops_at_run, 1u);
    assert_true(wb_fq_idle());
    assert_int_equal(f.program_dw_cb(f.ctx, BASE + 8u, k_a), WBOTA_E_FLASH_PROG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fq_reads_include_queued_data, prv_setup),
        cmocka_unit_test_setup(test_fq_all_ones_not_programmed, prv_setup),
        cmocka_unit_test_setup(test_fq_erase_after_queued_programs, prv_setup),
        cmocka_unit_test_setup(test_fq_deferred_error_is_sticky_until_reset, prv_setup),
        cmocka_unit_test_setup(test_fq_no_operation_near_the_next_event, prv_setup),
        cmocka_unit_test_setup(test_fq_job_runs_after_its_data_in_a_gap, prv_setup),
        cmocka_unit_test_setup(test_fq_drain_runs_the_job_and_keeps_its_error, prv_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
