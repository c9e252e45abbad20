/* test_loader_adv.c - the loader information in the scan response: the byte table of
 * docs/protocol.md#loader-adv written out here, and what the decoder refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/loader_adv.h"

/* ST's 12 bytes (docs/st-interface.md#advertising) for address 00:80:E1:26:AB:CE */
static const uint8_t k_st[12] = {0x01, 0x86, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x80, 0xE1, 0x26, 0xAB, 0xCE};

static wbota_ladv_t prv_sample(void)
{
    wbota_ladv_t li;
    memset(&li, 0, sizeof(li));
    li.mode = WBOTA_LADV_MODE_STAGED;
    li.policy = 1u; /* signed */
    li.ver_major = 1u;
    li.ver_minor = 2u;
    li.ver_patch = 0x0304u;
    li.state = WBOTA_LADV_RECEIVING;
    li.last_reason = WBOTA_E_LINK_LOST;
    li.stay_reason = WBOTA_E_SIG;
    li.active_counter = 0x00000007u;
    li.reverted_from = 0u;
    return li;
}

static void test_ladv_encode_byte_table(void **state)
{
    (void)state;
    wbota_ladv_t li = prv_sample();
    uint8_t out[17];
    const uint8_t ll = (uint8_t)(-(int)WBOTA_E_LINK_LOST), vf = (uint8_t)(-(int)WBOTA_E_SIG);
    const uint8_t want[17] = {0x01, 0x11, 0x01, 0x02, 0x04, 0x03, 0x01, ll,  vf,
                              0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    wbota_ladv_encode(&li, out);
    assert_memory_equal(out, want, sizeof(want));
}

static void test_ladv_decode_round_trip_and_unknown_counter(void **state)
{
    (void)state;
    uint8_t m[29];
    memcpy(m, k_st, 12);
    wbota_ladv_t li = prv_sample();
    li.active_counter = WBOTA_LADV_UNKNOWN;
    li.reverted_from = 0x01020304u;
    wbota_ladv_encode(&li, &m[12]);
    wbota_ladv_t got;
    memset(&got, 0xAA, sizeof(got));
    assert_int_equal(wbota_ladv_decode(m, sizeof(m), &got), WBOTA_OK);
    assert_int_equal(got.format, 1);
    assert_int_equal(got.mode, WBOTA_LADV_MODE_STAGED);
    assert_int_equal(got.policy, 1);
    assert_int_equal(got.ver_major, 1);
    assert_int_equal(got.ver_minor, 2);
    assert_int_equal(got.ver_patch, 0x0304);
    assert_int_equal(got.state, WBOTA_LADV_RECEIVING);
    assert_int_equal(got.last_reason, WBOTA_E_LINK_LOST);
    assert_int_equal(got.stay_reason, WBOTA_E_SIG);
    assert_int_equal(got.active_counter, 0xFFFFFFFFu);
    assert_int_equal(got.reverted_from, 0x01020304u);
    /* bytes 13..16 little-endian on the wire */
    assert_int_equal(m[12 + 13], 0x04);
    assert_int_equal(m[12 + 16], 0x01);
}

/* One byte changed from the valid 29 bytes, each making them another sender's data. */
static const struct {
    size_t at;
    uint8_t value;
} k_foreign[] = {
    {1u, 0x83u},  /* an app's device id */
    {0u, 0x02u},  /* another ST manufacturer-data version */
    {12u, 0x02u}, /* a newer loader-information format */
};

static void test_ladv_decode_refuses_st_and_foreign_data(void **state)
{
    (void)state;
    uint8_t m[29];
    memcpy(m, k_st, 12);
    wbota_ladv_t li = prv_sample();
    wbota_ladv_encode(&li, &m[12]);
    wbota_ladv_t got;
    /* ST's own loader: the 12 bytes alone */
    assert_int_equal(wbota_ladv_decode(m, 12, &got), WBOTA_E_PARSE);
    assert_int_equal(wbota_ladv_decode(m, 28, &got), WBOTA_E_PARSE); /* one byte short */
    for (size_t i = 0; i < sizeof k_foreign / sizeof k_foreign[0]; i++) {
        const uint8_t keep = m[k_foreign[i].at];
        m[k_foreign[i].at] = k_foreign[i].value;
        assert_int_equal(wbota_ladv_decode(m, sizeof(m), &got), WBOTA_E_PARSE);
        m[k_foreign[i].at] = keep;
    }
    assert_int_equal(wbota_ladv_decode(m, sizeof(m), &got), WBOTA_OK);
}

/* docs/protocol.md#loader-adv, state (offset 20); anything else prints "?" */
static const struct {
    uint8_t state;
    const char *name;
} k_state_names[] = {
    {0u, "waiting"}, {1u, "receiving"}, {2u, "verified"}, {3u, "error"}, {4u, "gave-up"}, {5u, "?"},
};

static void test_ladv_state_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_state_names / sizeof k_state_names[0]; i++) {
        assert_string_equal(wbota_ladv_state_name(k_state_names[i].state), k_state_names[i].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ladv_encode_byte_table),
        cmocka_unit_test(test_ladv_decode_round_trip_and_unknown_counter),
        cmocka_unit_test(test_ladv_decode_refuses_st_and_foreign_data),
        cmocka_unit_test(test_ladv_state_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
