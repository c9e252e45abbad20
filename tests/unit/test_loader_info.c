/* test_loader_info.c - the 32-byte loader information block (byte table written out here from
 * the header comment) and the RF wake-up trap rule of ES0394 2.3.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/loader_info.h"

static wbota_loader_info_t prv_sample(void)
{
    /* static: the padding is zero too (the round trip compares whole structs) */
    static const wbota_loader_info_t li = {.format = 1,
                                           .policy = 1,
                                           .rfwkp_mode = WBOTA_RFWKP_ADAPTIVE,
                                           .app_start_page = 7,
                                           .ver_major = 1,
                                           .ver_minor = 2,
                                           .ver_patch = 0x0304,
                                           .build_id = 0x11223344u,
                                           .loader_size = 0x00004E20u,
                                           .key_id = 0xA1B2C3D4u};
    return li;
}

static void test_loader_info_encode_byte_table(void **state)
{
    (void)state;
    wbota_loader_info_t li = prv_sample();
    uint8_t out[32];
    const uint8_t want[32] = {'W',  'B',  'L',  'O',  0x01, 0x01, 0x03, 0x07, 0x01, 0x02, 0x04,
                              0x03, 0x44, 0x33, 0x22, 0x11, 0x20, 0x4E, 0x00, 0x00, 0xD4, 0xC3,
                              0xB2, 0xA1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    wbota_loader_info_encode(&li, out);
    assert_memory_equal(out, want, 32);
}

static void test_loader_info_roundtrip_fields_equal(void **state)
{
    (void)state;
    wbota_loader_info_t li = prv_sample();
    wbota_loader_info_t back;
    uint8_t raw[32];
    wbota_loader_info_encode(&li, raw);
    assert_int_equal(wbota_loader_info_decode(raw, &back), WBOTA_OK);
    assert_memory_equal(&back, &li, sizeof(li));
}

static void test_loader_info_bad_magic_or_format_no_loader(void **state)
{
    (void)state;
    wbota_loader_info_t li = prv_sample();
    wbota_loader_info_t back;
    uint8_t raw[32];
    uint8_t erased[32];
    memset(erased, 0xFF, sizeof(erased));
    assert_int_equal(wbota_loader_info_decode(erased, &back), WBOTA_E_NO_LOADER);
    for (int i = 0; i < 5; i++) {
        wbota_loader_info_encode(&li, raw);
        raw[i] ^= 0x40u;
        assert_int_equal(wbota_loader_info_decode(raw, &back), WBOTA_E_NO_LOADER);
    }
    assert_int_equal(wbota_loader_info_decode(NULL, &back), WBOTA_E_ARG);
}

/* A loader in this mode is compatible with every RFWKP selection in force. */
static void prv_always_ok(uint8_t mode)
{
    for (uint32_t sel = 0; sel < 4; sel++) {
        assert_int_equal(wbota_rfwkp_compatible(mode, sel), WBOTA_OK);
    }
}

static void test_rfwkp_adaptive_always_ok(void **state)
{
    (void)state;
    prv_always_ok(WBOTA_RFWKP_ADAPTIVE);
}

static void test_rfwkp_lse_loader_hse_in_force_trap(void **state)
{
    (void)state;
    assert_int_equal(wbota_rfwkp_compatible(WBOTA_RFWKP_LSE, 0u), WBOTA_OK);
    assert_int_equal(wbota_rfwkp_compatible(WBOTA_RFWKP_LSE, 1u), WBOTA_OK);
    assert_int_equal(wbota_rfwkp_compatible(WBOTA_RFWKP_LSE, 3u), WBOTA_E_RFWKP_TRAP);
    assert_int_equal(wbota_rfwkp_compatible(WBOTA_RFWKP_LSE, 2u), WBOTA_E_RFWKP_TRAP);
}

static void test_rfwkp_hse_loader_always_ok(void **state)
{
    (void)state;
    prv_always_ok(WBOTA_RFWKP_HSE1024);
}

static void test_rfwkp_unknown_mode_or_value_refused(void **state)
{
    (void)state;
    assert_int_equal(wbota_rfwkp_compatible(0u, 1u), WBOTA_E_RFWKP_TRAP);
    assert_int_equal(wbota_rfwkp_compatible(0xFFu, 0u), WBOTA_E_RFWKP_TRAP);
    /* Whole RCC_CSR passed by mistake instead of the 2-bit field. */
    assert_int_equal(wbota_rfwkp_compatible(WBOTA_RFWKP_ADAPTIVE, 0x0000C000u), WBOTA_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader_info_encode_byte_table),
        cmocka_unit_test(test_loader_info_roundtrip_fields_equal),
        cmocka_unit_test(test_loader_info_bad_magic_or_format_no_loader),
        cmocka_unit_test(test_rfwkp_adaptive_always_ok),
        cmocka_unit_test(test_rfwkp_lse_loader_hse_in_force_trap),
        cmocka_unit_test(test_rfwkp_hse_loader_always_ok),
        cmocka_unit_test(test_rfwkp_unknown_mode_or_value_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
