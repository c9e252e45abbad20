/* test_mailbox.c - the 3-byte boot request: ST's vectors (01 07 FF), the 0xFF clip at SFSA,
 * the page-6 case ST accepts and we refuse, and every malformed request's reason code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wbota/mailbox.h"

static wbota_err_t prv_plan(uint8_t mode, uint8_t first, uint8_t count, uint32_t sfsa,
                            wbota_erase_plan_t *plan)
{
    const uint8_t raw[3] = {mode, first, count};
    wbota_mailbox_t mb;
    wbota_layout_t lay = wbota_layout_default(sfsa);
    wbota_mailbox_decode(raw, &mb);
    return wbota_mailbox_erase_plan(&mb, &lay, plan);
}

static void test_mailbox_decode_encode_roundtrip(void **state)
{
    (void)state;
    const uint8_t raw[3] = {0x01, 0x07, 0xFF};
    uint8_t back[3] = {0};
    wbota_mailbox_t mb;
    wbota_mailbox_decode(raw, &mb);
    assert_int_equal(mb.mode, 0x01);
    assert_int_equal(mb.first_page, 0x07);
    assert_int_equal(mb.page_count, 0xFF);
    wbota_mailbox_encode(&mb, back);
    assert_memory_equal(back, raw, 3);
}

static void test_mailbox_check_mode_values(void **state)
{
    (void)state;
    wbota_mailbox_t mb = {0, 7, 0xFF};
    for (unsigned m = 0; m < 256; m++) {
        mb.mode = (uint8_t)m;
        assert_int_equal(wbota_mailbox_check_mode(&mb), (m <= 2) ? WBOTA_OK : WBOTA_E_MAILBOX_MODE);
    }
    assert_int_equal(wbota_mailbox_check_mode(NULL), WBOTA_E_ARG);
}

static void test_mailbox_plan_all_clipped_at_sfsa(void **state)
{
    (void)state;
    wbota_erase_plan_t plan;
    assert_int_equal(prv_plan(0x01, 0x07, 0xFF, 0xCB, &plan), WBOTA_OK);
    assert_int_equal(plan.first_page, 7);
    assert_int_equal(plan.page_count, 0xCB - 7);
    /* A count past SFSA (not 0xFF) is clipped too, as ST does. */
    assert_int_equal(prv_plan(0x01, 0x10, 0xFE, 0xCB, &plan), WBOTA_OK);
    assert_int_equal(plan.first_page, 0x10);
    assert_int_equal(plan.page_count, 0xCB - 0x10);
    /* Last app page only. */
    assert_int_equal(prv_plan(0x01, 0xCA, 0xFF, 0xCB, &plan), WBOTA_OK);
    assert_int_equal(plan.page_count, 1);
}

static void test_mailbox_plan_exact_count_kept(void **state)
{
    (void)state;
    wbota_erase_plan_t plan;
    /* iOS-style ceil(size / 4096). */
    assert_int_equal(prv_plan(0x01, 0x07, 0x22, 0xCB, &plan), WBOTA_OK);
    assert_int_equal(plan.first_page, 7);
    assert_int_equal(plan.page_count, 0x22);
    assert_int_equal(prv_plan(0x01, 0x07, 0x7F, 0xCB, &plan), WBOTA_OK);
    assert_int_equal(plan.page_count, 0x7F);
}

static void test_mailbox_plan_page6_rejected(void **state)
{
    (void)state;
    wbota_erase_plan_t plan = {99, 99};
    /* ST accepts 6 (its own last page): we refuse it and plan nothing. */
    assert_int_equal(prv_plan(0x01, 0x06, 0xFF, 0xCB, &plan), WBOTA_E_MAILBOX_PAGE);
    assert_int_equal(plan.first_page, 0);
    assert_int_equal(plan.page_count, 0);
    for (uint8_t p = 0; p < 6; p++) {
        assert_int_equal(prv_plan(0x01, p, 1, 0xCB, &plan), WBOTA_E_MAILBOX_PAGE);
        assert_int_equal(plan.page_count, 0);
    }
}

static void test_mailbox_plan_at_or_above_sfsa_rejected(void **state)
{
    (void)state;
    wbota_erase_plan_t plan = {99, 99};
    assert_int_equal(prv_plan(0x01, 0xCB, 1, 0xCB, &plan), WBOTA_E_MAILBOX_PAGE);
    assert_int_equal(plan.page_count, 0);
    assert_int_equal(prv_plan(0x01, 0xF0, 0xFF, 0xCB, &plan), WBOTA_E_MAILBOX_PAGE);
    assert_int_equal(plan.page_count, 0);
}

static void test_mailbox_plan_zero_count_empty(void **state)
{
    (void)state;
    wbota_erase_plan_t plan = {99, 99};
    assert_int_equal(prv_plan(0x01, 0x07, 0x00, 0xCB, &plan), WBOTA_E_MAILBOX_EMPTY);
    assert_int_equal(plan.first_page, 0);
    assert_int_equal(plan.page_count, 0);
}

static void test_mailbox_plan_wrong_mode_or_layout_rejected(void **state)
{
    (void)state;
    wbota_erase_plan_t plan = {99, 99};
    assert_int_equal(prv_plan(0x00, 0x07, 0xFF, 0xCB, &plan), WBOTA_E_MAILBOX_MODE);
    assert_int_equal(plan.page_count, 0);
    assert_int_equal(prv_plan(0x03, 0x07, 0xFF, 0xCB, &plan), WBOTA_E_MAILBOX_MODE);
    assert_int_equal(prv_plan(0x01, 0x07, 0xFF, 0x05, &plan), WBOTA_E_RANGE);
    assert_int_equal(plan.page_count, 0);
    assert_int_equal(wbota_mailbox_erase_plan(NULL, NULL, &plan), WBOTA_E_ARG);
}

static void test_mailbox_stay_all_is_st_request(void **state)
{
    (void)state;
    wbota_layout_t lay = wbota_layout_default(0xCB);
    wbota_mailbox_t mb = wbota_mailbox_stay_all(&lay);
    uint8_t raw[3];
    wbota_mailbox_encode(&mb, raw);
    assert_int_equal(raw[0], 0x01);
    assert_int_equal(raw[1], 0x07);
    assert_int_equal(raw[2], 0xFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mailbox_decode_encode_roundtrip),
        cmocka_unit_test(test_mailbox_check_mode_values),
        cmocka_unit_test(test_mailbox_plan_all_clipped_at_sfsa),
        cmocka_unit_test(test_mailbox_plan_exact_count_kept),
        cmocka_unit_test(test_mailbox_plan_page6_rejected),
        cmocka_unit_test(test_mailbox_plan_at_or_above_sfsa_rejected),
        cmocka_unit_test(test_mailbox_plan_zero_count_empty),
        cmocka_unit_test(test_mailbox_plan_wrong_mode_or_layout_rejected),
        cmocka_unit_test(test_mailbox_stay_all_is_st_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
