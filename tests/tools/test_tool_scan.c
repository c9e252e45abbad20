/* test_tool_scan.c - `wbota scan`'s classification of advertising data. Expected kinds come
 * from the advertising formats in docs/protocol.md / the ST reference (loader: name "STM_OTA"
 * and manufacturer data 0D FF 01 86 ...; apps: feature byte bit 0x20 = OTA reboot request). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cmd_scan.h"

static size_t prv_ad(uint8_t *out, const char *name, uint8_t dev_id, uint8_t feature)
{
    size_t n = 0u, nl = strlen(name);
    out[n++] = (uint8_t)(nl + 1u);
    out[n++] = 0x09u;
    memcpy(&out[n], name, nl);
    n += nl;
    const uint8_t manuf[14] = {0x0D, 0xFF, 0x01, dev_id, feature, 0,    0,
                               0,    0x00, 0x80, 0xE1,   0x26,    0x12, 0x35};
    memcpy(&out[n], manuf, sizeof(manuf));
    return n + sizeof(manuf);
}

static void test_scan_kinds(void **state)
{
    (void)state;
    uint8_t ad[64];
    size_t n = prv_ad(ad, "STM_OTA", 0x86u, 0x00u);
    assert_int_equal(wbtool_adv_kind(ad, n), WBTOOL_KIND_LOADER);
    n = prv_ad(ad, "HELLO-v1.0", 0x83u, 0x20u);
    assert_int_equal(wbtool_adv_kind(ad, n), WBTOOL_KIND_APP_OTA);
    n = prv_ad(ad, "HELLO-v1.0", 0x83u, 0x00u); /* no OTA feature bit */
    assert_int_equal(wbtool_adv_kind(ad, n), WBTOOL_KIND_OTHER);
    n = prv_ad(ad, "STM_OTA", 0x83u, 0x00u); /* the name alone is not ST's loader */
    assert_int_equal(wbtool_adv_kind(ad, n), WBTOOL_KIND_OTHER);
    const uint8_t only_name[] = {0x04, 0x09, 'a', 'b', 'c'};
    assert_int_equal(wbtool_adv_kind(only_name, sizeof(only_name)), WBTOOL_KIND_OTHER);
    const uint8_t truncated[] = {0x0D, 0xFF, 0x01, 0x86};
    assert_int_equal(wbtool_adv_kind(truncated, sizeof(truncated)), WBTOOL_KIND_OTHER);
    assert_string_equal(wbtool_kind_name(WBTOOL_KIND_LOADER), "loader");
    assert_string_equal(wbtool_kind_name(WBTOOL_KIND_APP_OTA), "app-ota");
    assert_string_equal(wbtool_kind_name(WBTOOL_KIND_OTHER), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
