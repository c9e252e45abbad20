/* Host tests of the shared BLE layer's pure half (firmware/cpu2/src/ble_pack.c)
 * (see test_wb_shci.c for the SHCI packing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wb/ble.h"
#include "wb/tl.h"

/* WB_UUID128 from the text groups: ST's service 0000fe20-cc7a-482a-984a-7f2ed5b3e58f
 * (docs/st-interface.md#gatt) in the ACI's order, the text's bytes reversed. */
static void test_uuid128_macro_reversed_for_aci(void **state)
{
    (void)state;
    static const wb_uuid_t u =
        WB_UUID128(0x0000fe20u, 0xcc7au, 0x482au, 0x984au, 0x7f2ed5b3e58full);
    assert_int_equal(u.type, 2);
    const uint8_t le[16] = {0x8f, 0xe5, 0xb3, 0xd5, 0x2e, 0x7f, 0x4a, 0x98,
                            0x2a, 0x48, 0x7a, 0xcc, 0x20, 0xfe, 0x00, 0x00};
    assert_memory_equal(u.uuid, le, 16);
    static const wb_uuid_t st = WB_UUID128_LE(WBOTA_ST_SERVICE_UUID_LE);
    assert_int_equal(st.type, 2);
    assert_memory_equal(st.uuid, le, 16);
}

static void test_addr_from_uid64_st_derivation(void **state)
{
    (void)state;
    uint8_t a[6];
    /* word0 = unique number, word1 = company id (bits 31..8) | device id (7..0) */
    wb_ble_addr_from_uid64(0x1234ABCDu, 0x0080E126u, false, a);
    const uint8_t expect[6] = {0xCD, 0xAB, 0x26, 0xE1, 0x80, 0x00};
    assert_memory_equal(a, expect, 6);
    wb_ble_addr_from_uid64(0x1234ABCDu, 0x0080E126u, true, a);
    assert_int_equal(a[0], 0xCE);
    assert_int_equal(a[1], 0xAB);
}

static void test_addr_plus1_no_carry(void **state)
{
    (void)state;
    uint8_t a[6];
    wb_ble_addr_from_uid64(0x000012FFu, 0x0080E126u, true, a);
    assert_int_equal(a[0], 0x00);
    assert_int_equal(a[1], 0x12); /* ST clients expect byte 0 + 1 without carry */
}

static void test_addr_erased_uid_fallback_nonzero(void **state)
{
    (void)state;
    uint8_t a[6];
    wb_ble_addr_from_uid64(0xFFFFFFFFu, 0xFFFFFFFFu, false, a);
    const uint8_t ff[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    assert_memory_not_equal(a, ff, 6);
}

static void test_manuf_data_loader_layout(void **state)
{
    (void)state;
    const uint8_t addr[6] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06}; /* LSB first */
    uint8_t m[14];
    assert_int_equal(wb_ble_manuf_data(WB_MANUF_DEV_LOADER, 0u, addr, m), 14);
    const uint8_t expect[14] = {0x0D, 0xFF, 0x01, 0x86, 0x00, 0x00, 0x00,
                                0x00, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    assert_memory_equal(m, expect, 14);
}

static void test_evt_attr_modified_decoded(void **state)
{
    (void)state;
    const uint8_t raw[] = {0x04, 0xFF, 0x0E, 0x01, 0x0C, 0x01, 0x08, 0x0E, 0x00,
                           0x00, 0x00, 0x04, 0x00, 0x02, 0x00, 0x70, 0x00};
    wb_tl_evt_t e;
    wb_ble_evt_t b;
    assert_true(wb_tl_evt_decode(raw, sizeof(raw), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_ATTR_MODIFIED);
    assert_int_equal(b.conn, 0x0801);
    assert_int_equal(b.attr, 0x000E);
    assert_int_equal(b.len, 4);
    assert_int_equal(b.data[0], 0x02);
    assert_int_equal(b.data[2], 0x70);
}

static void test_evt_attr_modified_len_beyond_event_other(void **state)
{
    (void)state;
    /* data length field says 200, the event holds 4 */
    const uint8_t raw[] = {0x04, 0xFF, 0x0E, 0x01, 0x0C, 0x01, 0x08, 0x0E, 0x00,
                           0x00, 0x00, 0xC8, 0x00, 0x02, 0x00, 0x70, 0x00};
    wb_tl_evt_t e;
    wb_ble_evt_t b;
    assert_true(wb_tl_evt_decode(raw, sizeof(raw), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_OTHER);
    assert_null(b.data);
}

static void test_evt_attr_modified_fragment_flag_decoded(void **state)
{
    (void)state;
    /* offset 0x8000: first fragment, more follow; data len 2 */
    const uint8_t raw[] = {0x04, 0xFF, 0x0C, 0x01, 0x0C, 0x01, 0x08, 0x14,
                           0x00, 0x00, 0x80, 0x02, 0x00, 0xAA, 0xBB};
    wb_tl_evt_t e;
    wb_ble_evt_t b;
    assert_true(wb_tl_evt_decode(raw, sizeof(raw), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_ATTR_MODIFIED);
    assert_true(b.more);
    assert_int_equal(b.offset, 0);
    assert_int_equal(b.len, 2);
    assert_int_equal(b.data[1], 0xBB);
}

static void test_evt_connection_disconnect_mtu_confirm(void **state)
{
    (void)state;
    wb_tl_evt_t e;
    wb_ble_evt_t b;
    const uint8_t conn[] = {0x04, 0x3E, 0x13, 0x01, 0x00, 0x01, 0x08, 0x01, 0x00, 0,    0,
                            0,    0,    0,    0,    0x18, 0x00, 0x00, 0x00, 0xF4, 0x01, 0x00};
    assert_true(wb_tl_evt_decode(conn, sizeof(conn), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_CONNECTED);
    assert_int_equal(b.conn, 0x0801);
    const uint8_t enh[] = {0x04, 0x3E, 0x04, 0x0A, 0x00, 0x02, 0x08};
    assert_true(wb_tl_evt_decode(enh, sizeof(enh), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_CONNECTED);
    assert_int_equal(b.conn, 0x0802);
    const uint8_t disc[] = {0x04, 0x05, 0x04, 0x00, 0x01, 0x08, 0x13};
    assert_true(wb_tl_evt_decode(disc, sizeof(disc), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_DISCONNECTED);
    assert_int_equal(b.reason, 0x13);
    const uint8_t mtu[] = {0x04, 0xFF, 0x06, 0x03, 0x0C, 0x01, 0x08, 0xFB, 0x00};
    assert_true(wb_tl_evt_decode(mtu, sizeof(mtu), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_MTU);
    assert_int_equal(b.mtu, 251);
    const uint8_t conf[] = {0x04, 0xFF, 0x04, 0x17, 0x0C, 0x01, 0x08};
    assert_true(wb_tl_evt_decode(conf, sizeof(conf), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_SERVER_CONFIRM);
    const uint8_t shortdisc[] = {0x04, 0x05, 0x02, 0x00, 0x01};
    assert_true(wb_tl_evt_decode(shortdisc, sizeof(shortdisc), &e));
    wb_ble_evt_parse(&e, &b);
    assert_int_equal(b.kind, WB_BLE_EVT_OTHER);
}

static void test_add_char_params_fe24_layout(void **state)
{
    (void)state;
    wb_aci_char_t c = {.service = 0x000C,
                       .value_len = 248,
                       .props = WB_CHAR_PROP_WRITE_NO_RSP,
                       .perms = WB_ATTR_PERM_NONE,
                       .evt_mask = WB_GATT_NOTIFY_ATTR_WRITE,
                       .enc_key_size = 16,
                       .is_variable = 1};
    c.uuid = (wb_uuid_t)WB_UUID128(0x0000fe24u, 0x8e22u, 0x4541u, 0x9d4cu, 0x21edae82ed19ull);
    uint8_t p[32];
    size_t n = wb_aci_add_char_params(&c, p, sizeof(p));
    assert_int_equal(n, 26);
    assert_int_equal(p[0], 0x0C);
    assert_int_equal(p[2], 2);     /* 128-bit */
    assert_int_equal(p[3], 0x19);  /* LSB of the UUID first */
    assert_int_equal(p[15], 0x24); /* ...fe24 in the 3 most significant bytes */
    assert_int_equal(p[16], 0xfe);
    assert_int_equal(p[19], 248);
    assert_int_equal(p[20], 0);
    assert_int_equal(p[21], 0x04);
    assert_int_equal(p[23], 0x01);
    assert_int_equal(p[24], 16);
    assert_int_equal(p[25], 1);
    assert_int_equal(wb_aci_add_char_params(&c, p, 10), 0);
}

static void test_set_discoverable_params_name_ad(void **state)
{
    (void)state;
    uint8_t p[48];
    size_t n = wb_aci_set_discoverable_params(0x80, 0xA0, "STM_OTA", p, sizeof(p));
    assert_int_equal(n, 14 + 7);
    assert_int_equal(p[0], 0x00);
    assert_int_equal(p[1], 0x80);
    assert_int_equal(p[3], 0xA0);
    assert_int_equal(p[7], 8);
    assert_int_equal(p[8], 0x09);
    assert_memory_equal(&p[9], "STM_OTA", 7);
    assert_int_equal(p[16], 0); /* no UUID list */
    assert_int_equal(
        wb_aci_set_discoverable_params(0x80, 0xA0, "0123456789012345678901234567", p, sizeof(p)),
        0);
}

static void test_update_char_params_layout(void **state)
{
    (void)state;
    uint8_t p[16];
    const uint8_t v = 0x01;
    size_t n = wb_aci_update_char_params(0x0C, 0x10, 0, &v, 1, p, sizeof(p));
    assert_int_equal(n, 7);
    const uint8_t expect[7] = {0x0C, 0x00, 0x10, 0x00, 0x00, 0x01, 0x01};
    assert_memory_equal(p, expect, 7);
    assert_int_equal(wb_aci_update_char_params(0x0C, 0x10, 0, &v, 20, p, sizeof(p)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid128_macro_reversed_for_aci),
        cmocka_unit_test(test_addr_from_uid64_st_derivation),
        cmocka_unit_test(test_addr_plus1_no_carry),
        cmocka_unit_test(test_addr_erased_uid_fallback_nonzero),
        cmocka_unit_test(test_manuf_data_loader_layout),
        cmocka_unit_test(test_evt_attr_modified_decoded),
        cmocka_unit_test(test_evt_attr_modified_len_beyond_event_other),
        cmocka_unit_test(test_evt_attr_modified_fragment_flag_decoded),
        cmocka_unit_test(test_evt_connection_disconnect_mtu_confirm),
        cmocka_unit_test(test_add_char_params_fe24_layout),
        cmocka_unit_test(test_set_discoverable_params_name_ad),
        cmocka_unit_test(test_update_char_params_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
