/* Host tests of the reset-cause mapping and the loader status word encoding
 * (firmware/chip/pure/reset_flags.c). RCC_CSR bit positions are written here from RM0434
 * 7.4.28, independently of the module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wb/reset_flags.h"
#include "wbota/boot.h"
#include "wbota/loader_info.h"

#define CSR_OBLRSTF  (1u << 25)
#define CSR_PINRSTF  (1u << 26)
#define CSR_BORRSTF  (1u << 27)
#define CSR_SFTRSTF  (1u << 28)
#define CSR_IWDGRSTF (1u << 29)
#define CSR_WWDGRSTF (1u << 30)
#define CSR_LPWRRSTF (1u << 31)

static void test_reset_flags_software_only(void **state)
{
    (void)state;
    assert_int_equal(wb_reset_flags_from_csr(CSR_SFTRSTF), WBOTA_RESET_SOFTWARE);
}

static void test_reset_flags_power_on_sets_power_and_pin(void **state)
{
    (void)state;
    /* a power-on reset sets BORRSTF and PINRSTF together */
    assert_int_equal(wb_reset_flags_from_csr(CSR_BORRSTF | CSR_PINRSTF),
                     WBOTA_RESET_POWER | WBOTA_RESET_PIN);
}

static void test_reset_flags_option_and_watchdogs(void **state)
{
    (void)state;
    assert_int_equal(wb_reset_flags_from_csr(CSR_OBLRSTF), WBOTA_RESET_OPTION);
    assert_int_equal(wb_reset_flags_from_csr(CSR_IWDGRSTF), WBOTA_RESET_WATCHDOG);
    assert_int_equal(wb_reset_flags_from_csr(CSR_WWDGRSTF), WBOTA_RESET_WATCHDOG);
}

static void test_reset_flags_other_bits_ignored(void **state)
{
    (void)state;
    /* RFWKPSEL = 11, LSI1ON, LSI1RDY and LPWRRSTF are not reset causes the boot uses */
    assert_int_equal(wb_reset_flags_from_csr((3u << 14) | 0x3u | CSR_LPWRRSTF), 0u);
}

static void test_status_word_layout_bytes(void **state)
{
    (void)state;
    const uint32_t w = wb_loader_status_encode(29u, 2u, WBOTA_LOADER_STATUS_F_GAVE_UP);
    /* bytes at 0x20000004..7: A5, reason, attempts, flags */
    assert_int_equal(w & 0xFFu, 0xA5u);
    assert_int_equal((w >> 8) & 0xFFu, 29u);
    assert_int_equal((w >> 16) & 0xFFu, 2u);
    assert_int_equal(w >> 24, 0x01u);
}

static void test_status_word_roundtrip(void **state)
{
    (void)state;
    uint8_t r = 0, a = 0, f = 0;
    assert_true(wb_loader_status_decode(wb_loader_status_encode(32u, 3u, 0u), &r, &a, &f));
    assert_int_equal(r, 32u);
    assert_int_equal(a, 3u);
    assert_int_equal(f, 0u);
}

static void test_status_word_without_marker_rejected(void **state)
{
    (void)state;
    uint8_t r = 7;
    assert_false(wb_loader_status_decode(0u, &r, NULL, NULL));
    assert_false(wb_loader_status_decode(0x0102035Au, &r, NULL, NULL));
    assert_int_equal(r, 7u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_flags_software_only),
        cmocka_unit_test(test_reset_flags_power_on_sets_power_and_pin),
        cmocka_unit_test(test_reset_flags_option_and_watchdogs),
        cmocka_unit_test(test_reset_flags_other_bits_ignored),
        cmocka_unit_test(test_status_word_layout_bytes),
        cmocka_unit_test(test_status_word_roundtrip),
        cmocka_unit_test(test_status_word_without_marker_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
