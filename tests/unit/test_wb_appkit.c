/* Host tests of the app kit's decisions (firmware/appkit/src/reboot_check.c): FE11 validation,
 * loader presence, the RF wake-up trap refusal, and the loader status word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota_appkit.h"

#define SFSA     0xCBu
#define SEL_NONE 0u
#define SEL_LSE  1u
#define SEL_HSE  3u

static const uint8_t k_head[8] = {0x00, 0x00, 0x03, 0x20, 0x01, 0x01, 0x00, 0x08};
static const uint8_t k_erased[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

static void prv_info(uint8_t rf_mode, uint8_t start_page, uint8_t out[WBOTA_LOADER_INFO_LEN])
{
    wbota_loader_info_t li = {.format = 1,
                              .policy = 0,
                              .rfwkp_mode = rf_mode,
                              .app_start_page = start_page,
                              .ver_major = 1};
    wbota_loader_info_encode(&li, out);
}

static void test_reboot_check_st_request_ok(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    prv_info(WBOTA_RFWKP_ADAPTIVE, 7, info);
    const uint8_t v[3] = {0x01, 0x07, 0xFF};
    wbota_mailbox_t mb;
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_LSE, &mb), WBOTA_OK);
    assert_int_equal(mb.mode, 0x01);
    assert_int_equal(mb.first_page, 0x07);
    assert_int_equal(mb.page_count, 0xFF);
}

static void test_reboot_check_bad_len_rejected(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    prv_info(WBOTA_RFWKP_ADAPTIVE, 7, info);
    const uint8_t v[4] = {0x01, 0x07, 0xFF, 0x00};
    wbota_mailbox_t mb;
    assert_int_equal(wbota_reboot_check(v, 2, k_head, info, SFSA, SEL_LSE, &mb), WBOTA_E_OTA_LEN);
    assert_int_equal(wbota_reboot_check(v, 4, k_head, info, SFSA, SEL_LSE, &mb), WBOTA_E_OTA_LEN);
    assert_int_equal(wbota_reboot_check(NULL, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_OTA_LEN);
}

static void test_reboot_check_bad_mode_rejected(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    prv_info(WBOTA_RFWKP_ADAPTIVE, 7, info);
    wbota_mailbox_t mb;
    const uint8_t v2[3] = {0x02, 0x07, 0xFF};
    const uint8_t v9[3] = {0x09, 0x07, 0xFF};
    assert_int_equal(wbota_reboot_check(v2, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_MAILBOX_MODE);
    assert_int_equal(wbota_reboot_check(v9, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_MAILBOX_MODE);
}

static void test_reboot_check_loader_page_rejected(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    prv_info(WBOTA_RFWKP_ADAPTIVE, 7, info);
    wbota_mailbox_t mb;
    const uint8_t p6[3] = {0x01, 0x06, 0xFF}; /* ST accepts page 6: we do not */
    const uint8_t p0[3] = {0x01, 0x00, 0x01};
    const uint8_t pfs[3] = {0x01, SFSA, 0x01};
    assert_int_equal(wbota_reboot_check(p6, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_MAILBOX_PAGE);
    assert_int_equal(wbota_reboot_check(p0, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_MAILBOX_PAGE);
    assert_int_equal(wbota_reboot_check(pfs, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_MAILBOX_PAGE);
    /* a loader that declares a larger region protects it */
    prv_info(WBOTA_RFWKP_ADAPTIVE, 9, info);
    const uint8_t p8[3] = {0x01, 0x08, 0x01};
    assert_int_equal(wbota_reboot_check(p8, 3, k_head, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_MAILBOX_PAGE);
}

static void test_reboot_check_plain_reboot_ignores_pages(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    prv_info(WBOTA_RFWKP_LSE, 7, info);
    wbota_mailbox_t mb;
    const uint8_t v[3] = {0x00, 0x00, 0x00};
    /* 00 does not start the radio: allowed even with HSE/1024 in force */
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_HSE, &mb), WBOTA_OK);
    assert_int_equal(mb.mode, 0x00);
}

static void test_reboot_check_no_loader_rejected(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    memset(info, 0xFF, sizeof(info));
    wbota_mailbox_t mb;
    const uint8_t v[3] = {0x01, 0x07, 0xFF};
    assert_int_equal(wbota_reboot_check(v, 3, k_erased, info, SFSA, SEL_LSE, &mb),
                     WBOTA_E_NO_LOADER);
}

static void test_reboot_check_rfwkp_trap_fixed_lse_refused(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    wbota_mailbox_t mb;
    const uint8_t v[3] = {0x01, 0x07, 0xFF};
    prv_info(WBOTA_RFWKP_LSE, 7, info);
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_HSE, &mb),
                     WBOTA_E_RFWKP_TRAP);
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_LSE, &mb), WBOTA_OK);
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_NONE, &mb), WBOTA_OK);
    /* adaptive loader follows whatever is in force */
    prv_info(WBOTA_RFWKP_ADAPTIVE, 7, info);
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_HSE, &mb), WBOTA_OK);
}

static void test_reboot_check_st_loader_assumed_lse(void **state)
{
    (void)state;
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    memset(info, 0xFF, sizeof(info)); /* ST's BLE_Ota has no information block */
    wbota_mailbox_t mb;
    const uint8_t v[3] = {0x01, 0x07, 0xFF};
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_HSE, &mb),
                     WBOTA_E_RFWKP_TRAP);
    assert_int_equal(wbota_reboot_check(v, 3, k_head, info, SFSA, SEL_LSE, &mb), WBOTA_OK);
}

static void test_loader_status_decode_fields(void **state)
{
    (void)state;
    wbota_loader_status_t st;
    const uint8_t raw[4] = {0xA5, 29, 3, 0x01};
    wbota_loader_status_decode(raw, &st);
    assert_true(st.present);
    assert_int_equal(st.reason, WBOTA_E_CPU2_NOT_READY);
    assert_int_equal(st.attempts, 3);
    assert_true(st.gave_up);
    const uint8_t none[4] = {0x00, 29, 3, 0x01};
    wbota_loader_status_decode(none, &st);
    assert_false(st.present);
    assert_int_equal(st.reason, WBOTA_OK);
    assert_false(st.gave_up);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reboot_check_st_request_ok),
        cmocka_unit_test(test_reboot_check_bad_len_rejected),
        cmocka_unit_test(test_reboot_check_bad_mode_rejected),
        cmocka_unit_test(test_reboot_check_loader_page_rejected),
        cmocka_unit_test(test_reboot_check_plain_reboot_ignores_pages),
        cmocka_unit_test(test_reboot_check_no_loader_rejected),
        cmocka_unit_test(test_reboot_check_rfwkp_trap_fixed_lse_refused),
        cmocka_unit_test(test_reboot_check_st_loader_assumed_lse),
        cmocka_unit_test(test_loader_status_decode_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
