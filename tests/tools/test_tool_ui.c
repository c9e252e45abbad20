/* test_tool_ui.c - the upload progress line (tools/wbota/ui.h): fits 80 columns for any input,
 * shows no rate or ETA before one is measured, and gives the rate in device time the way the
 * upload summary computes it (bytes / device seconds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ui.h"

static void test_progress_fits_80_columns(void **state)
{
    (void)state;
    const uint32_t sizes[] = {0u, 1u, 6484u, 802816u, 0xFFFFFFFFu};
    const uint64_t times[] = {0u, 1u, 99999u, 100000u, 123456789u, UINT64_MAX};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        for (size_t j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
            for (size_t k = 0; k < sizeof(times) / sizeof(times[0]); k++) {
                char line[256];
                size_t n = wbtool_progress_line(line, sizeof(line), sizes[i], sizes[j], times[k]);
                assert_int_equal(n, strlen(line));
                if (n >= 80u) {
                    fail_msg("%zu columns: '%s'", n, line);
                }
            }
        }
    }
}

static void test_progress_no_rate_before_measured(void **state)
{
    (void)state;
    char line[128];
    (void)wbtool_progress_line(line, sizeof(line), 0u, 6484u, 0u);
    assert_null(strstr(line, "ETA"));
    assert_null(strstr(line, "kB/s"));
    (void)wbtool_progress_line(line, sizeof(line), 248u, 6484u, 5000u); /* one chunk, 5 ms */
    assert_null(strstr(line, "ETA"));
    assert_non_null(strstr(line, "measuring"));
}

static void test_progress_rate_is_device_time_like_summary(void **state)
{
    (void)state;
    char line[128];
    /* 3242 of 6484 bytes after 0.19 s of device time: 17.1 kB/s, 0.19 s left */
    (void)wbtool_progress_line(line, sizeof(line), 3242u, 6484u, 190000u);
    assert_non_null(strstr(line, " 50%"));
    assert_non_null(strstr(line, "17.1 kB/s device"));
    assert_non_null(strstr(line, "ETA 0 s"));
    /* 100 kB of 800 kB after 10 s: 10.0 kB/s, 70 s left */
    (void)wbtool_progress_line(line, sizeof(line), 100000u, 800000u, 10000000u);
    assert_non_null(strstr(line, "10.0 kB/s device"));
    assert_non_null(strstr(line, "ETA 70 s"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_fits_80_columns),
        cmocka_unit_test(test_progress_no_rate_before_measured),
        cmocka_unit_test(test_progress_rate_is_device_time_like_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
