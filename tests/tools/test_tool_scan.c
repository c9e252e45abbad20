/* test_tool_scan.c - `wbota scan`'s classification of advertising data. Expected kinds come
 * from the advertising formats in docs/protocol.md / docs/st-interface.md (loader: name "STM_OTA"
 * and manufacturer data 0D FF 01 86 ...; a wbota loader adds the scan response of
 * docs/protocol.md#loader-adv; apps: feature byte bit 0x20 = OTA reboot request). */
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

/* ST's loader advertising followed by a wbota loader's scan response (docs/protocol.md#loader-adv):
 * staged/signed, version 0.1.2, receiving, last E_LINK_LOST (-34), no stay reason, app counter
 * 7, reverted from none */
static size_t prv_wbota_loader_ad(uint8_t *out)
{
    size_t n = prv_ad(out, "STM_OTA", 0x86u, 0x00u);
    const uint8_t rsp[31] = {0x1E, 0xFF, 0x01, 0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xE1,
                             0x26, 0x12, 0x35, 0x01, 0x11, 0x00, 0x01, 0x02, 0x00, 0x01, 34,
                             0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    memcpy(&out[n], rsp, sizeof(rsp));
    return n + sizeof(rsp);
}

static void test_scan_wbota_loader_info(void **state)
{
    (void)state;
    uint8_t ad[64];
    size_t n = prv_wbota_loader_ad(ad);
    assert_int_equal(wbtool_adv_kind(ad, n), WBTOOL_KIND_WBOTA_LOADER);
    assert_string_equal(wbtool_kind_name(WBTOOL_KIND_WBOTA_LOADER), "wbota-loader");
    wbota_ladv_t li;
    assert_true(wbtool_adv_loader_info(ad, n, &li));
    char line[160];
    wbtool_fmt_loader_info(line, sizeof(line), &li);
    assert_string_equal(line, "v0.1.2 staged/signed, receiving, last E_LINK_LOST, app counter 7");
    /* BlueZ publishes one value per company id: the scan response's element alone */
    const size_t name_len = 2u + 7u;
    uint8_t bz[64];
    memcpy(bz, ad, name_len);
    memcpy(&bz[name_len], &ad[n - 31u], 31u);
    assert_int_equal(wbtool_adv_kind(bz, name_len + 31u), WBTOOL_KIND_WBOTA_LOADER);
    /* ST's own loader (advertising only) stays "loader" */
    n = prv_ad(ad, "STM_OTA", 0x86u, 0x00u);
    assert_false(wbtool_adv_loader_info(ad, n, &li));
    assert_int_equal(wbtool_adv_kind(ad, n), WBTOOL_KIND_LOADER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_kinds),
        cmocka_unit_test(test_scan_wbota_loader_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
