/* Host tests of the RF wake-up clock decision (firmware/chip/pure/rfwkp.c): the logic that
 * keeps the loader out of the RF wake-up trap (ES0394 2.3.1). Expected values are written from
 * docs/st-interface.md#rf-wakeup (RFWKPSEL 00 none, 01 LSE, 11 HSE/1024), not from the module's
 * macros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wb/rfwkp.h"
#include "wbota/loader_info.h"

#define SEL_NONE 0u
#define SEL_LSE  1u
#define SEL_HSE  3u
#define KEEP     0xFFu

static void test_rfwkp_adaptive_stuck_hse_keeps_hse(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_ADAPTIVE, SEL_HSE, true);
    assert_int_equal(p.write_sel, KEEP);
    assert_int_equal(p.expect_sel, SEL_HSE);
    assert_true(p.ls_source_hse);
    assert_int_equal(p.status, WBOTA_OK);
}

static void test_rfwkp_adaptive_none_with_lse_selects_lse(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_ADAPTIVE, SEL_NONE, true);
    assert_int_equal(p.write_sel, SEL_LSE);
    assert_int_equal(p.expect_sel, SEL_LSE);
    assert_false(p.ls_source_hse);
    assert_int_equal(p.status, WBOTA_OK);
}

static void test_rfwkp_adaptive_lse_in_force_no_write(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_ADAPTIVE, SEL_LSE, true);
    assert_int_equal(p.write_sel, KEEP);
    assert_false(p.ls_source_hse);
}

static void test_rfwkp_adaptive_no_lse_selects_hse(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_ADAPTIVE, SEL_NONE, false);
    assert_int_equal(p.write_sel, SEL_HSE);
    assert_true(p.ls_source_hse);
    assert_int_equal(p.status, WBOTA_OK);
}

static void test_rfwkp_adaptive_lse_selected_but_dead_falls_back_to_hse(void **state)
{
    (void)state;
    /* the app left LSE selected but the crystal does not run now: the radio needs a clock */
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_ADAPTIVE, SEL_LSE, false);
    assert_int_equal(p.write_sel, SEL_HSE);
    assert_true(p.ls_source_hse);
}

static void test_rfwkp_adaptive_full_csr_value_uses_field_only(void **state)
{
    (void)state;
    /* callers pass the 2-bit field; extra high bits must not change the answer */
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_ADAPTIVE, 0x1Cu | SEL_HSE, true);
    assert_int_equal(p.write_sel, KEEP);
    assert_true(p.ls_source_hse);
}

static void test_rfwkp_fixed_lse_stuck_hse_reports_trap(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_LSE, SEL_HSE, true);
    /* ST behaviour: still writes LSE and tells the stack LSE; the status carries the trap */
    assert_int_equal(p.write_sel, SEL_LSE);
    assert_false(p.ls_source_hse);
    assert_int_equal(p.expect_sel, SEL_HSE);
    assert_int_equal(p.status, WBOTA_E_RFWKP_TRAP);
}

static void test_rfwkp_fixed_lse_after_power_on_ok(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(WBOTA_RFWKP_LSE, SEL_NONE, true);
    assert_int_equal(p.write_sel, SEL_LSE);
    assert_int_equal(p.expect_sel, SEL_LSE);
    assert_false(p.ls_source_hse);
    assert_int_equal(p.status, WBOTA_OK);
}

static void test_rfwkp_fixed_hse_selects_hse(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t a = wb_rfwkp_plan(WBOTA_RFWKP_HSE1024, SEL_LSE, true);
    assert_int_equal(a.write_sel, SEL_HSE);
    assert_true(a.ls_source_hse);
    assert_int_equal(a.status, WBOTA_OK);
    const wb_rfwkp_plan_t b = wb_rfwkp_plan(WBOTA_RFWKP_HSE1024, SEL_HSE, true);
    assert_int_equal(b.write_sel, KEEP);
    assert_true(b.ls_source_hse);
}

static void test_rfwkp_unknown_mode_adaptive_with_arg_error(void **state)
{
    (void)state;
    const wb_rfwkp_plan_t p = wb_rfwkp_plan(0x7Fu, SEL_HSE, true);
    assert_int_equal(p.write_sel, KEEP); /* never writes something that could stick */
    assert_true(p.ls_source_hse);
    assert_int_equal(p.status, WBOTA_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfwkp_adaptive_stuck_hse_keeps_hse),
        cmocka_unit_test(test_rfwkp_adaptive_none_with_lse_selects_lse),
        cmocka_unit_test(test_rfwkp_adaptive_lse_in_force_no_write),
        cmocka_unit_test(test_rfwkp_adaptive_no_lse_selects_hse),
        cmocka_unit_test(test_rfwkp_adaptive_lse_selected_but_dead_falls_back_to_hse),
        cmocka_unit_test(test_rfwkp_adaptive_full_csr_value_uses_field_only),
        cmocka_unit_test(test_rfwkp_fixed_lse_stuck_hse_reports_trap),
        cmocka_unit_test(test_rfwkp_fixed_lse_after_power_on_ok),
        cmocka_unit_test(test_rfwkp_fixed_hse_selects_hse),
        cmocka_unit_test(test_rfwkp_unknown_mode_adaptive_with_arg_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
