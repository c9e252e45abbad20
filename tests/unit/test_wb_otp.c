/* Host tests of the OTP record parser (firmware/chip/pure/otp.c): the HSE tuning value the
 * loader writes into RCC_HSECR comes from here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wb/otp.h"

static uint8_t s_otp[WB_OTP_SIZE];

static void prv_blank(void)
{
    memset(s_otp, 0xFF, sizeof s_otp);
}

static void prv_record(size_t index, uint8_t id, uint8_t tune)
{
    uint8_t *r = &s_otp[index * WB_OTP_RECORD_LEN];
    memset(r, 0x11, WB_OTP_RECORD_LEN);
    r[WB_OTP_HSE_TUNE_BYTE] = tune;
    r[WB_OTP_ID_BYTE] = id;
}

static void test_otp_blank_not_found(void **state)
{
    (void)state;
    uint8_t tune = 0xAA;
    prv_blank();
    assert_false(wb_otp_find_hse_tune(s_otp, sizeof s_otp, &tune));
    assert_int_equal(tune, 0xAA); /* untouched when nothing is found */
}

static void test_otp_single_record_found(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record(0, 0x00, 0x1C);
    assert_true(wb_otp_find_hse_tune(s_otp, sizeof s_otp, &tune));
    assert_int_equal(tune, 0x1C);
}

static void test_otp_last_matching_record_wins(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record(0, 0x00, 0x10);
    prv_record(1, 0x05, 0x3F); /* other record id: ignored */
    prv_record(2, 0x00, 0x21);
    prv_record(3, 0x07, 0x01);
    assert_true(wb_otp_find_hse_tune(s_otp, sizeof s_otp, &tune));
    assert_int_equal(tune, 0x21);
}

static void test_otp_other_ids_only_not_found(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record(0, 0x01, 0x10);
    prv_record(1, 0x02, 0x11);
    assert_false(wb_otp_find_hse_tune(s_otp, sizeof s_otp, &tune));
}

static void test_otp_tune_masked_to_six_bits(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record(0, 0x00, 0xE5);
    assert_true(wb_otp_find_hse_tune(s_otp, sizeof s_otp, &tune));
    assert_int_equal(tune, 0x25);
}

static void test_otp_record_in_last_slot_found(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record((WB_OTP_SIZE / WB_OTP_RECORD_LEN) - 1u, 0x00, 0x07);
    assert_true(wb_otp_find_hse_tune(s_otp, sizeof s_otp, &tune));
    assert_int_equal(tune, 0x07);
}

static void test_otp_partial_trailing_record_ignored(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record(1, 0x00, 0x09);
    /* only 15 bytes: record 1 is incomplete, so it must not be read */
    assert_false(wb_otp_find_hse_tune(s_otp, 15u, &tune));
    assert_true(wb_otp_find_hse_tune(s_otp, 16u, &tune));
}

static void test_otp_null_args_rejected(void **state)
{
    (void)state;
    uint8_t tune = 0;
    prv_blank();
    prv_record(0, 0x00, 0x09);
    assert_false(wb_otp_find_hse_tune(NULL, sizeof s_otp, &tune));
    assert_false(wb_otp_find_hse_tune(s_otp, sizeof s_otp, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_otp_blank_not_found),
        cmocka_unit_test(test_otp_single_record_found),
        cmocka_unit_test(test_otp_last_matching_record_wins),
        cmocka_unit_test(test_otp_other_ids_only_not_found),
        cmocka_unit_test(test_otp_tune_masked_to_six_bits),
        cmocka_unit_test(test_otp_record_in_last_slot_found),
        cmocka_unit_test(test_otp_partial_trailing_record_ignored),
        cmocka_unit_test(test_otp_null_args_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
