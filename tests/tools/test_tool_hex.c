/* test_tool_hex.c - Intel HEX parser and writer of the wbota tool (host/imageio/hex.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hex.h"

typedef struct {
    wbtool_memimg_t m;
    wbtool_hex_info_t info;
} hexres_t;

static wbota_err_t prv_parse(const char *text, hexres_t *r)
{
    wbtool_memimg_init(&r->m);
    return wbtool_hex_parse(text, strlen(text), &r->m, &r->info);
}

static void test_hex_minimal_record_parsed(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":0400100001020304E2\n:00000001FF\n", &r), WBOTA_OK);
    assert_int_equal(r.m.n, 1);
    assert_int_equal(r.m.segs[0].addr, 0x10);
    assert_int_equal(r.m.segs[0].len, 4);
    assert_memory_equal(r.m.data, "\x01\x02\x03\x04", 4);
    assert_int_equal(r.info.records, 1);
    wbtool_memimg_free(&r.m);
}

static void test_hex_checksum_wrong_rejected_with_line(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":00000001FF\n", &r), WBOTA_OK);
    wbtool_memimg_free(&r.m);
    assert_int_equal(prv_parse(":0400100001020304E2\n:0400140001020304E0\n:00000001FF\n", &r),
                     WBOTA_E_PARSE);
    assert_int_equal(r.info.line, 2);
    assert_non_null(strstr(r.info.msg, "checksum"));
    wbtool_memimg_free(&r.m);
}

static void test_hex_missing_eof_truncated(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":0400100001020304E2\n", &r), WBOTA_E_TRUNCATED);
    assert_non_null(strstr(r.info.msg, "end-of-file"));
    wbtool_memimg_free(&r.m);
}

static void test_hex_data_after_eof_rejected(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":00000001FF\n:0400100001020304E2\n", &r), WBOTA_E_PARSE);
    assert_int_equal(r.info.line, 2);
    wbtool_memimg_free(&r.m);
}

static void test_hex_extended_linear_address_applied(void **state)
{
    (void)state;
    hexres_t r;
    /* 04: upper 0x0800, data at 0x7000 */
    assert_int_equal(prv_parse(":020000040800F2\n:02700000AABB29\n:00000001FF\n", &r), WBOTA_OK);
    assert_int_equal(r.m.segs[0].addr, 0x08007000u);
    assert_int_equal(r.m.segs[0].len, 2);
    wbtool_memimg_free(&r.m);
}

static void test_hex_extended_segment_address_applied(void **state)
{
    (void)state;
    hexres_t r;
    /* 02: segment 0x1000 -> base 0x10000 */
    assert_int_equal(prv_parse(":020000021000EC\n:02000400AABB95\n:00000001FF\n", &r), WBOTA_OK);
    assert_int_equal(r.m.segs[0].addr, 0x10004u);
    wbtool_memimg_free(&r.m);
}

static void test_hex_segment_wrap_rejected(void **state)
{
    (void)state;
    hexres_t r;
    /* 4 bytes at offset 0xFFFE in segment mode would wrap inside the segment */
    assert_int_equal(prv_parse(":020000021000EC\n:04FFFE0001020304F5\n:00000001FF\n", &r),
                     WBOTA_E_PARSE);
    assert_non_null(strstr(r.info.msg, "wraps"));
    wbtool_memimg_free(&r.m);
}

static void test_hex_4gb_overflow_rejected(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":02000004FFFFFC\n:04FFFE0001020304F5\n:00000001FF\n", &r),
                     WBOTA_E_RANGE);
    wbtool_memimg_free(&r.m);
}

static void test_hex_overlap_rejected(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":0400100001020304E2\n:02001200AABB87\n:00000001FF\n", &r),
                     WBOTA_E_PARSE);
    assert_non_null(strstr(r.info.msg, "overlap"));
    assert_int_equal(r.m.overlap_addr, 0x12);
    wbtool_memimg_free(&r.m);
}

static void test_hex_gap_gives_two_segments(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":0400100001020304E2\n:02002000AABB79\n:00000001FF\n", &r),
                     WBOTA_OK);
    assert_int_equal(r.m.n, 2);
    uint8_t *flat = wbtool_memimg_flatten(&r.m, 0x10, 0x22);
    assert_non_null(flat);
    assert_int_equal(flat[4], 0xFF); /* gap filled */
    assert_int_equal(flat[0x10], 0xAA);
    free(flat);
    wbtool_memimg_free(&r.m);
}

static void test_hex_out_of_order_records_merged(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":02001400AABB85\n:0400100001020304E2\n:00000001FF\n", &r),
                     WBOTA_OK);
    assert_int_equal(r.m.n, 1);
    assert_int_equal(r.m.segs[0].addr, 0x10);
    assert_int_equal(r.m.segs[0].len, 6);
    assert_memory_equal(r.m.data, "\x01\x02\x03\x04\xAA\xBB", 6);
    wbtool_memimg_free(&r.m);
}

static void test_hex_start_records_recorded(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse(":0400100001020304E2\n:04000005080072017C\n:00000001FF\n", &r),
                     WBOTA_OK);
    assert_true(r.info.has_start);
    assert_int_equal(r.info.start, 0x08007201u);
    wbtool_memimg_free(&r.m);
    assert_int_equal(prv_parse(":0400100001020304E2\n:0400000312340010A3\n:00000001FF\n", &r),
                     WBOTA_OK);
    assert_int_equal(r.info.start, 0x12340u + 0x10u);
    wbtool_memimg_free(&r.m);
}

static void test_hex_malformed_records_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "0400100001020304E2\n:00000001FF\n",  /* no colon */
        ":0400100001020304E\n:00000001FF\n",  /* odd digit count */
        ":0500100001020304E1\n:00000001FF\n", /* length byte disagrees */
        ":04001000010203G4E2\n:00000001FF\n", /* non-hex */
        ":0400100601020304DC\n:00000001FF\n", /* unknown type 06 */
        ":03000004080000F1\n:00000001FF\n",   /* type 04 with 3 bytes */
        ":0100000200FD\n:00000001FF\n",       /* type 02 with 1 byte */
        ":020000050800F1\n:00000001FF\n",     /* type 05 with 2 bytes */
        ":01000001AA54\n",                    /* EOF with data */
        ":00000001\n",                        /* too short */
    };
    for (size_t i = 0u; i < sizeof(bad) / sizeof(bad[0]); i++) {
        hexres_t r;
        wbota_err_t err = prv_parse(bad[i], &r);
        if (err == WBOTA_OK) {
            fail_msg("malformed input %zu accepted", i);
        }
        assert_int_equal(r.info.line, 1);
        assert_true(strlen(r.info.msg) > 0u);
        wbtool_memimg_free(&r.m);
    }
}

static void test_hex_overlong_record_rejected(void **state)
{
    (void)state;
    char buf[1200];
    buf[0] = ':';
    memset(buf + 1, '0', 1100);
    strcpy(buf + 1101, "\n:00000001FF\n");
    hexres_t r;
    assert_int_equal(prv_parse(buf, &r), WBOTA_E_PARSE);
    wbtool_memimg_free(&r.m);
}

static void test_hex_crlf_blank_lines_and_lowercase_ok(void **state)
{
    (void)state;
    hexres_t r;
    assert_int_equal(prv_parse("\r\n:0400100001020304e2\r\n\r\n  \n:00000001ff\r\n\n", &r),
                     WBOTA_OK);
    assert_int_equal(r.m.segs[0].len, 4);
    wbtool_memimg_free(&r.m);
}

static void test_hex_write_then_parse_roundtrip(void **state)
{
    (void)state;
    /* 300 bytes straddling a 64 KB boundary: exercises type 04 and record splitting */
    uint8_t data[300];
    for (size_t i = 0u; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 13u + 5u);
    }
    char *text = NULL;
    size_t len = 0u;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(wbtool_hex_write(f, 0x0800FFA0u, data, sizeof(data), true, 0x08007201u),
                     WBOTA_OK);
    fclose(f);
    hexres_t r;
    wbtool_memimg_init(&r.m);
    assert_int_equal(wbtool_hex_parse(text, len, &r.m, &r.info), WBOTA_OK);
    assert_int_equal(r.m.n, 1);
    assert_int_equal(r.m.segs[0].addr, 0x0800FFA0u);
    assert_int_equal(r.m.segs[0].len, sizeof(data));
    assert_memory_equal(r.m.data, data, sizeof(data));
    assert_true(r.info.has_start);
    assert_int_equal(r.info.start, 0x08007201u);
    assert_non_null(strstr(text, ":020000040801F1"));
    wbtool_memimg_free(&r.m);
    free(text);
}

static void test_hex_sparse_writer_skips_erased_records(void **state)
{
    (void)state;
    uint8_t data[64];
    memset(data, 0xFF, sizeof(data));
    data[0] = 0x12;  /* record 0 */
    data[40] = 0x34; /* record 2 */
    char *text = NULL;
    size_t len = 0u;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(wbtool_hex_write_sparse(f, 0x08000000u, data, sizeof(data), false, 0u),
                     WBOTA_OK);
    fclose(f);
    hexres_t r;
    wbtool_memimg_init(&r.m);
    assert_int_equal(wbtool_hex_parse(text, len, &r.m, &r.info), WBOTA_OK);
    assert_int_equal(r.info.records, 2);
    assert_int_equal(r.m.n, 2);
    assert_int_equal(r.m.segs[0].addr, 0x08000000u);
    assert_int_equal(r.m.segs[1].addr, 0x08000020u);
    uint8_t *flat = wbtool_memimg_flatten(&r.m, 0x08000000u, 0x08000040u);
    assert_memory_equal(flat, data, sizeof(data));
    free(flat);
    wbtool_memimg_free(&r.m);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_minimal_record_parsed),
        cmocka_unit_test(test_hex_checksum_wrong_rejected_with_line),
        cmocka_unit_test(test_hex_missing_eof_truncated),
        cmocka_unit_test(test_hex_data_after_eof_rejected),
        cmocka_unit_test(test_hex_extended_linear_address_applied),
        cmocka_unit_test(test_hex_extended_segment_address_applied),
        cmocka_unit_test(test_hex_segment_wrap_rejected),
        cmocka_unit_test(test_hex_4gb_overflow_rejected),
        cmocka_unit_test(test_hex_overlap_rejected),
        cmocka_unit_test(test_hex_gap_gives_two_segments),
        cmocka_unit_test(test_hex_out_of_order_records_merged),
        cmocka_unit_test(test_hex_start_records_recorded),
        cmocka_unit_test(test_hex_malformed_records_rejected),
        cmocka_unit_test(test_hex_overlong_record_rejected),
        cmocka_unit_test(test_hex_crlf_blank_lines_and_lowercase_ok),
        cmocka_unit_test(test_hex_write_then_parse_roundtrip),
        cmocka_unit_test(test_hex_sparse_writer_skips_erased_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
