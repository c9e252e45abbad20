/* test_err.c - every error code has a distinct name and a useful text, the FE23 mapping, and
 * docs/reason-codes.md documents every name (read through WBOTA_SOURCE_DIR). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/bytes.h"
#include "wbota/err.h"
#include "wbota/layout.h"
#include "wbota/mailbox.h"

static void test_err_names_distinct_and_texts_nonempty(void **state)
{
    (void)state;
    for (int a = -2; a >= WBOTA_E_LAST + 1; a--) {
        const char *na = wbota_err_name(a);
        assert_non_null(na);
        assert_true(strncmp(na, "E_", 2) == 0);
        assert_string_not_equal(na, "E_UNKNOWN");
        assert_non_null(wbota_err_text(a));
        assert_true(strlen(wbota_err_text(a)) > 10u);
        for (int b = a - 1; b >= WBOTA_E_LAST + 1; b--) {
            assert_string_not_equal(na, wbota_err_name(b));
        }
    }
    assert_string_equal(wbota_err_name(WBOTA_OK), "OK");
}

static void test_err_known_names_match_enum(void **state)
{
    (void)state;
    assert_string_equal(wbota_err_name(WBOTA_E_ARG), "E_ARG");
    assert_string_equal(wbota_err_name(WBOTA_E_MAILBOX_PAGE), "E_MAILBOX_PAGE");
    assert_string_equal(wbota_err_name(WBOTA_E_HASH), "E_HASH");
    assert_string_equal(wbota_err_name(WBOTA_E_RFWKP_TRAP), "E_RFWKP_TRAP");
    assert_string_equal(wbota_err_name(WBOTA_E_STAY_CPU2_UPGRADE), "E_STAY_CPU2_UPGRADE");
}

static void test_err_out_of_range_unknown_never_null(void **state)
{
    (void)state;
    const int bad[] = {1, 100, WBOTA_E_LAST, WBOTA_E_LAST - 1, -1000, -2147483647 - 1};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_string_equal(wbota_err_name(bad[i]), "E_UNKNOWN");
        assert_non_null(wbota_err_text(bad[i]));
    }
}

static void test_err_to_wire_st_success_and_codes(void **state)
{
    (void)state;
    /* docs/reason-codes.md#fe23-byte: 0x01 success, 0x03 E_SIZE, other failures 0x80 | -code */
    assert_int_equal(wbota_err_to_wire(WBOTA_OK), 0x01);
    assert_int_equal(wbota_err_to_wire(WBOTA_E_ARG), 0x82);
    assert_int_equal(wbota_err_to_wire(WBOTA_E_RANGE), 0x83);
    assert_int_equal(wbota_err_to_wire(WBOTA_E_HASH), 0x8F);
    assert_int_equal(wbota_err_to_wire(WBOTA_E_SIZE), 0x03);
    assert_int_equal(wbota_err_to_wire(WBOTA_E_STAY_CPU2_UPGRADE), 0xAE);
}

/* ST's apps read 0x02 as "send the file again": no code may ever map to it, and every code
 * comes back from its byte. */
static void test_err_wire_never_0x02_and_round_trips(void **state)
{
    (void)state;
    for (int c = 0; c > WBOTA_E_LAST; c--) {
        uint8_t v = wbota_err_to_wire(c);
        assert_int_not_equal(v, 0x02);
        assert_int_not_equal(v, 0x00);
        assert_int_equal(wbota_err_from_wire(v), c);
    }
    assert_int_equal(wbota_err_from_wire(0x02), 1);
    assert_int_equal(wbota_err_from_wire(0x00), 1);
    assert_int_equal(wbota_err_from_wire(0x0F), 1);
}

static void test_bytes_le_be_helpers_both_orders(void **state)
{
    (void)state;
    uint8_t b[4];
    wbota_put_le32(b, 0x11223344u);
    assert_int_equal(b[0], 0x44);
    assert_int_equal(b[3], 0x11);
    assert_int_equal(wbota_get_le32(b), 0x11223344u);
    assert_int_equal(wbota_get_be32(b), 0x44332211u);
    wbota_put_be32(b, 0x11223344u);
    assert_int_equal(b[0], 0x11);
    assert_int_equal(wbota_get_be32(b), 0x11223344u);
    wbota_put_le16(b, 0xA1B2u);
    assert_int_equal(b[0], 0xB2);
    assert_int_equal(wbota_get_le16(b), 0xA1B2u);
    /* ST's FE22 address: 02 00 70 00 reads the same both ways; 01 23 45 does not. */
    const uint8_t st[3] = {0x00, 0x70, 0x00};
    assert_int_equal(wbota_get_be24(st), 0x007000u);
    const uint8_t other[3] = {0x01, 0x23, 0x45};
    assert_int_equal(wbota_get_be24(other), 0x012345u);
    wbota_put_be24(b, 0x0ABCDEu);
    assert_int_equal(b[0], 0x0A);
    assert_int_equal(b[2], 0xDE);
    /* 64-bit little-endian (the virtual radio's times): least significant byte first */
    uint8_t q[8];
    wbota_put_le64(q, 0x0102030405060708ull);
    const uint8_t q_want[8] = {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    assert_memory_equal(q, q_want, 8);
    const uint8_t q_hi[8] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80};
    assert_true(wbota_get_le64(q_hi) == 0x8000000000000000ull);
    /* High bits survive (no sign extension through int promotion). */
    const uint8_t hi[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    assert_int_equal(wbota_get_le32(hi), 0xFFFFFFFFu);
    assert_int_equal(wbota_get_be32(hi), 0xFFFFFFFFu);
}

static void test_err_reason_codes_doc_lists_every_name(void **state)
{
    (void)state;
    const char *path = WBOTA_SOURCE_DIR "/docs/reason-codes.md";
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof(doc) - 1u, f);
    fclose(f);
    doc[n] = '\0';
    for (int c = -2; c >= WBOTA_E_LAST + 1; c--) {
        char needle[64];
        /* The name in backquotes, and its FE23 byte in the same table. */
        snprintf(needle, sizeof(needle), "`%s`", wbota_err_name(c));
        if (strstr(doc, needle) == NULL) {
            fail_msg("docs/reason-codes.md does not mention %s", needle);
        }
        snprintf(needle, sizeof(needle), "| 0x%02X |", (unsigned)wbota_err_to_wire(c));
        if (strstr(doc, needle) == NULL) {
            fail_msg("docs/reason-codes.md has no FE23 byte %s", needle);
        }
    }
}

/* E_ARG is a programmer error: each refusal of a bad argument is counted, a good call is not */
static void test_err_arg_paths_are_counted(void **state)
{
    (void)state;
    uint32_t before = wbota_err_arg_count();
    assert_int_equal(wbota_layout_check(NULL), WBOTA_E_ARG);
    assert_int_equal(wbota_err_arg_count(), before + 1u);
    assert_int_equal(wbota_mailbox_check_mode(NULL), WBOTA_E_ARG);
    assert_int_equal(wbota_err_arg_count(), before + 2u);
    const wbota_mailbox_t ok = {.mode = 0x00u, .first_page = 7u, .page_count = 0u};
    assert_int_equal(wbota_mailbox_check_mode(&ok), WBOTA_OK);
    assert_int_equal(wbota_err_arg_count(), before + 2u);
    /* the helper itself: returns the code and counts once */
    assert_int_equal(wbota_err_arg(), WBOTA_E_ARG);
    assert_int_equal(wbota_err_arg_count(), before + 3u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_arg_paths_are_counted),
        cmocka_unit_test(test_err_names_distinct_and_texts_nonempty),
        cmocka_unit_test(test_err_known_names_match_enum),
        cmocka_unit_test(test_err_out_of_range_unknown_never_null),
        cmocka_unit_test(test_err_to_wire_st_success_and_codes),
        cmocka_unit_test(test_err_wire_never_0x02_and_round_trips),
        cmocka_unit_test(test_bytes_le_be_helpers_both_orders),
        cmocka_unit_test(test_err_reason_codes_doc_lists_every_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
