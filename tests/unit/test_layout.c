/* test_layout.c - flash geometry and region predicates, with the expected addresses written
 * from docs/st-interface.md#layout (page 7 = 0x08007000, SFSA 0xCB = 0x080CB000), not from
 * layout.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wbota/layout.h"

static void test_layout_default_st_addresses(void **state)
{
    (void)state;
    wbota_layout_t lay = wbota_layout_default(0xCB);
    assert_int_equal(lay.app_start_page, 7);
    assert_int_equal(wbota_layout_check(&lay), WBOTA_OK);
    assert_int_equal(wbota_app_start(&lay), 0x08007000u);
    assert_int_equal(wbota_app_end(&lay), 0x080CB000u);
    assert_int_equal(wbota_app_max_size(&lay), 0x080CB000u - 0x08007000u);
    assert_int_equal(wbota_page_addr(255), 0x080FF000u);
    assert_int_equal(wbota_addr_page(0x08007FFFu), 7);
    assert_int_equal(wbota_addr_page(0x08008000u), 8);
}

static void test_layout_check_bad_values_rejected(void **state)
{
    (void)state;
    wbota_layout_t lay = wbota_layout_default(7); /* SFSA == app start: no app region */
    assert_int_equal(wbota_layout_check(&lay), WBOTA_E_RANGE);
    assert_int_equal(wbota_app_max_size(&lay), 0);
    lay = wbota_layout_default(257);
    assert_int_equal(wbota_layout_check(&lay), WBOTA_E_RANGE);
    lay.app_start_page = 0; /* no loader */
    lay.sfsa = 0xCB;
    assert_int_equal(wbota_layout_check(&lay), WBOTA_E_RANGE);
    assert_int_equal(wbota_layout_check(NULL), WBOTA_E_ARG);
    lay = wbota_layout_default(256); /* no CPU2 area at all: still usable */
    assert_int_equal(wbota_layout_check(&lay), WBOTA_OK);
    assert_int_equal(wbota_app_end(&lay), 0x08100000u);
}

static void test_layout_is_in_flash_edges(void **state)
{
    (void)state;
    assert_true(wbota_is_in_flash(0x08000000u, 1));
    assert_true(wbota_is_in_flash(0x08000000u, 0x00100000u));
    assert_true(wbota_is_in_flash(0x080FFFF8u, 8));
    assert_false(wbota_is_in_flash(0x080FFFF8u, 9));
    assert_false(wbota_is_in_flash(0x07FFFFFFu, 2));
    assert_false(wbota_is_in_flash(0x08100000u, 1));
    assert_false(wbota_is_in_flash(0x08000000u, 0));
    /* addr + len wraps around 2^32: must not look small. */
    assert_false(wbota_is_in_flash(0x08000010u, 0xFFFFFFF8u));
}

static void test_layout_is_in_app_edges(void **state)
{
    (void)state;
    wbota_layout_t lay = wbota_layout_default(0xCB);
    assert_true(wbota_is_in_app(&lay, 0x08007000u, 8));
    assert_false(wbota_is_in_app(&lay, 0x08006FF8u, 8)); /* page 6: loader */
    assert_false(wbota_is_in_app(&lay, 0x08006FF8u, 16));
    assert_true(wbota_is_in_app(&lay, 0x080CAFF8u, 8));
    assert_false(wbota_is_in_app(&lay, 0x080CAFF8u, 9)); /* crosses SFSA */
    assert_false(wbota_is_in_app(&lay, 0x080CB000u, 1));
    assert_false(wbota_is_in_app(&lay, 0x08007000u, 0));
    assert_false(wbota_is_in_app(&lay, 0x08007000u, 0xFFFFFFFFu));
    wbota_layout_t bad = wbota_layout_default(3);
    assert_false(wbota_is_in_app(&bad, 0x08007000u, 8));
}

static void test_layout_loader_pages(void **state)
{
    (void)state;
    wbota_layout_t lay = wbota_layout_default(0xCB);
    assert_true(wbota_is_loader_page(&lay, 0));
    assert_true(wbota_is_loader_page(&lay, 6));
    assert_false(wbota_is_loader_page(&lay, 7));
    lay.app_start_page = 8; /* a bigger loader, configured at build time */
    assert_true(wbota_is_loader_page(&lay, 7));
    assert_int_equal(wbota_app_start(&lay), 0x08008000u);
}

static void test_layout_alignment_and_app_ram(void **state)
{
    (void)state;
    assert_true(wbota_is_dw_aligned(0x08007000u));
    assert_true(wbota_is_dw_aligned(0x08007008u));
    assert_false(wbota_is_dw_aligned(0x08007004u));
    assert_false(wbota_is_dw_aligned(0x08007001u));
    assert_true(wbota_is_in_app_ram(0x20000008u, 4));
    assert_false(wbota_is_in_app_ram(0x20000004u, 4)); /* loader status word */
    assert_false(wbota_is_in_app_ram(0x20000000u, 3)); /* mailbox */
    assert_true(wbota_is_in_app_ram(0x2002FFFCu, 4));
    assert_false(wbota_is_in_app_ram(0x2002FFFCu, 8)); /* into SRAM2A */
    assert_false(wbota_is_in_app_ram(0x20030000u, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_default_st_addresses),
        cmocka_unit_test(test_layout_check_bad_values_rejected),
        cmocka_unit_test(test_layout_is_in_flash_edges),
        cmocka_unit_test(test_layout_is_in_app_edges),
        cmocka_unit_test(test_layout_loader_pages),
        cmocka_unit_test(test_layout_alignment_and_app_ram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
