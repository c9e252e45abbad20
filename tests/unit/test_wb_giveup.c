/* Host tests of the loader's give-up policy (firmware/chip/pure/giveup.c): the "never hang"
 * rules (docs/troubleshooting.md) - back to a valid app with the reason recorded, bounded retries
 * otherwise, the RF wake-up trap named as such. Status word bytes are checked as
 * docs/troubleshooting.md defines them (A5, reason, attempts, flags), not through the module's
 * encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wb/giveup.h"
#include "wbota/loader_info.h"
#include "wb/reset_flags.h"

#define WORD(reason, attempts, flags)                                                              \
    (0xA5u | ((uint32_t)(reason) << 8) | ((uint32_t)(attempts) << 16) | ((uint32_t)(flags) << 24))

static wb_giveup_in_t prv_in(bool app_valid, wbota_err_t err, uint32_t prev)
{
    wb_giveup_in_t in = {
        .app_valid = app_valid,
        .err = err,
        .rfwkp_status = WBOTA_OK,
        .prev_status = prev,
        .max_attempts = 3u,
        .long_pause_ms = 60000u,
    };
    return in;
}

static void test_giveup_valid_app_returns_with_reason(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    const wb_giveup_in_t in = prv_in(true, WBOTA_E_CPU2_NOT_READY, 0u);
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.action, WB_GIVEUP_RESET_TO_APP);
    assert_int_equal(out.reason, WBOTA_E_CPU2_NOT_READY);
    assert_int_equal(out.status, WORD(29, 1, 0x01));
}

static void test_giveup_stuck_clock_cpu2_error_reports_trap(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    wb_giveup_in_t in = prv_in(true, WBOTA_E_CPU2_CMD, 0u);
    in.rfwkp_status = WBOTA_E_RFWKP_TRAP;
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.reason, WBOTA_E_RFWKP_TRAP);
    assert_int_equal(out.status, WORD(32, 1, 0x01));
}

static void test_giveup_stuck_clock_other_error_kept(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    wb_giveup_in_t in = prv_in(true, WBOTA_E_TIMEOUT, 0u); /* HSE did not start */
    in.rfwkp_status = WBOTA_E_RFWKP_TRAP;
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.reason, WBOTA_E_TIMEOUT);
}

static void test_giveup_no_app_first_failure_retries_after_1s(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    const wb_giveup_in_t in = prv_in(false, WBOTA_E_CPU2_NO_RESPONSE, 0u);
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.action, WB_GIVEUP_RETRY);
    assert_int_equal(out.attempts, 1u);
    assert_int_equal(out.pause_ms, 1000u);
    assert_int_equal(out.status, WORD(30, 1, 0x00));
}

static void test_giveup_no_app_attempts_count_across_resets(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    const wb_giveup_in_t in = prv_in(false, WBOTA_E_CPU2_NOT_READY, WORD(29, 1, 0x00));
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.action, WB_GIVEUP_RETRY);
    assert_int_equal(out.attempts, 2u);
    assert_int_equal(out.pause_ms, 2000u);
}

static void test_giveup_no_app_last_attempt_long_pause_new_round(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    const wb_giveup_in_t in = prv_in(false, WBOTA_E_CPU2_NOT_READY, WORD(29, 2, 0x00));
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.action, WB_GIVEUP_LONG_PAUSE);
    assert_int_equal(out.attempts, 3u);
    assert_int_equal(out.pause_ms, 60000u);
    assert_int_equal(out.status, WORD(29, 3, 0x00));
    assert_int_equal(out.status_after, WORD(29, 0, 0x00));
    /* the next boot starts counting again from the word written before the reset */
    assert_int_equal(wb_giveup_prev_attempts(out.status_after), 0u);
}

static void test_giveup_previous_give_up_to_app_starts_new_round(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    const wb_giveup_in_t in = prv_in(false, WBOTA_E_CPU2_NOT_READY, WORD(29, 2, 0x01));
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.attempts, 1u);
    assert_int_equal(out.action, WB_GIVEUP_RETRY);
}

static void test_giveup_garbage_status_word_ignored(void **state)
{
    (void)state;
    /* power-on SRAM pattern without the A5 marker */
    assert_int_equal(wb_giveup_prev_attempts(0x77FE0312u), 0u);
    assert_int_equal(wb_giveup_prev_attempts(0u), 0u);
    assert_int_equal(wb_giveup_prev_attempts(WORD(29, 2, 0x00)), 2u);
}

static void test_giveup_ok_without_app_is_an_error(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    const wb_giveup_in_t in = prv_in(false, WBOTA_OK, 0u);
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.reason, WBOTA_E_ARG);
    assert_int_not_equal(out.action, WB_GIVEUP_RESET_TO_APP);
}

static void test_giveup_backoff_capped_and_attempts_saturate(void **state)
{
    (void)state;
    wb_giveup_out_t out;
    wb_giveup_in_t in = prv_in(false, WBOTA_E_CPU2_NOT_READY, WORD(29, 255, 0x00));
    in.max_attempts = 1000u;
    in.long_pause_ms = 5000u;
    wb_giveup_plan(&in, &out);
    assert_int_equal(out.attempts, 255u);
    assert_int_equal(out.action, WB_GIVEUP_RETRY);
    assert_int_equal(out.pause_ms, 5000u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_giveup_valid_app_returns_with_reason),
        cmocka_unit_test(test_giveup_stuck_clock_cpu2_error_reports_trap),
        cmocka_unit_test(test_giveup_stuck_clock_other_error_kept),
        cmocka_unit_test(test_giveup_no_app_first_failure_retries_after_1s),
        cmocka_unit_test(test_giveup_no_app_attempts_count_across_resets),
        cmocka_unit_test(test_giveup_no_app_last_attempt_long_pause_new_round),
        cmocka_unit_test(test_giveup_previous_give_up_to_app_starts_new_round),
        cmocka_unit_test(test_giveup_garbage_status_word_ignored),
        cmocka_unit_test(test_giveup_ok_without_app_is_an_error),
        cmocka_unit_test(test_giveup_backoff_capped_and_attempts_saturate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
