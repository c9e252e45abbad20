/* test_st_ota.c - ST's OTA identity (wbota/st_ota.h) against docs/st-interface.md: the on-air
 * UUID bytes the firmware registers and the host matches are the documented text UUIDs
 * (byte-reversed), and the FE22/FE23 values are the documented ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/st_ota.h"

/* "0000fe22-8e22-4541-9d4c-21edae82ed19" -> 16 bytes little-endian (reversed), as on air */
static void prv_uuid_le(const char *text, uint8_t out[16])
{
    uint8_t be[16] = {0};
    size_t n = 0;
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '-') {
            continue;
        }
        unsigned v = (unsigned)(*c >= 'a' ? *c - 'a' + 10 : *c - '0');
        if ((n & 1u) == 0u) {
            be[n / 2u] = (uint8_t)(v << 4);
        } else {
            be[n / 2u] |= (uint8_t)v;
        }
        n++;
    }
    assert_int_equal(n, 32);
    for (size_t i = 0; i < 16u; i++) {
        out[i] = be[15u - i];
    }
}

static void test_st_uuid_text_and_bytes_agree(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint8_t id;
    } k[] = {/* docs/st-interface.md#gatt, written out */
             {"0000fe11-8e22-4541-9d4c-21edae82ed19", WBOTA_ST_FE11},
             {"0000fe22-8e22-4541-9d4c-21edae82ed19", WBOTA_ST_FE22},
             {"0000fe23-8e22-4541-9d4c-21edae82ed19", WBOTA_ST_FE23},
             {"0000fe24-8e22-4541-9d4c-21edae82ed19", WBOTA_ST_FE24}};
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        uint8_t want[16];
        prv_uuid_le(k[i].text, want);
        uint8_t got[16] = WBOTA_ST_CHAR_UUID_LE(0u);
        got[12] = k[i].id;
        assert_memory_equal(got, want, 16);
    }
    uint8_t want[16];
    prv_uuid_le("0000fe20-cc7a-482a-984a-7f2ed5b3e58f", want);
    const uint8_t service[16] = WBOTA_ST_SERVICE_UUID_LE;
    assert_memory_equal(service, want, 16);
    assert_string_equal(WBOTA_ST_LOADER_NAME, "STM_OTA");
    assert_int_equal(WBOTA_ST_DEV_ID_LOADER, 0x86);
}

static void test_st_fe22_fe23_values(void **state)
{
    (void)state;
    /* docs/st-interface.md#fe22 */
    assert_int_equal(WBOTA_ST_CMD_STOP, 0x00);
    assert_int_equal(WBOTA_ST_CMD_WIRELESS, 0x01);
    assert_int_equal(WBOTA_ST_CMD_APP, 0x02);
    assert_int_equal(WBOTA_ST_CMD_FINISHED, 0x07);
    assert_int_equal(WBOTA_ST_CMD_CANCEL, 0x08);
    /* docs/reason-codes.md#fe23-byte: 0x01 success, 0x03 E_SIZE, 0x80 | code otherwise */
    assert_int_equal(wbota_err_from_wire(0x01), WBOTA_OK);
    assert_int_equal(wbota_err_from_wire(0x8F), WBOTA_E_HASH);
    assert_int_equal(wbota_err_from_wire(0x03), WBOTA_E_SIZE);
    assert_int_equal(wbota_err_from_wire(wbota_err_to_wire(WBOTA_E_SIG)), WBOTA_E_SIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_st_uuid_text_and_bytes_agree),
        cmocka_unit_test(test_st_fe22_fe23_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
