/* Unit tests of the host flash model: the RM0434 NOR rules and power-cut injection.
 * Expected values are written from RM0434 here (FLASH_SR bit positions 3..7), not taken from the
 * model's header, so one wrong constant cannot pass in both places. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/flash_model.h"

#define SR_PROGERR (1u << 3)
#define SR_WRPERR  (1u << 4)
#define SR_PGAERR  (1u << 5)
#define SR_SIZERR  (1u << 6)

#define SFSA   0x40u
#define PAGE10 (0x08000000u + 10u * 4096u)
#define TEST_DW                                                                                    \
    {                                                                                              \
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88                                             \
    }

static wbota_flash_model_t s_fm;

static int prv_setup(void **state)
{
    (void)state;
    wbota_fm_init(&s_fm, SFSA);
    return 0;
}

static uint8_t prv_byte(uint32_t addr)
{
    return s_fm.mem[addr - 0x08000000u];
}

static bool prv_range_is(uint32_t addr, uint32_t len, uint8_t v)
{
    for (uint32_t i = 0; i < len; i++) {
        if (prv_byte(addr + i) != v) {
            return false;
        }
    }
    return true;
}

static void test_fm_init_all_erased(void **state)
{
    (void)state;
    assert_true(prv_range_is(0x08000000u, 0x100000u, 0xFF));
    assert_int_equal(s_fm.op_count, 0);
    assert_int_equal(s_fm.sr, 0);
    assert_true(s_fm.powered);
}

static void test_fm_program_erased_dw_stores_and_reads_back(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    uint8_t rd[8];
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 16u, dw), WBOTA_OK);
    assert_int_equal(wbota_fm_read(&s_fm, PAGE10 + 16u, rd, 8), WBOTA_OK);
    assert_memory_equal(rd, dw, 8);
    assert_true(prv_range_is(PAGE10, 16, 0xFF));
    assert_true(prv_range_is(PAGE10 + 24u, 8, 0xFF));
    assert_int_equal(s_fm.op_count, 1);
}

static void test_fm_program_misaligned_pgaerr_no_change(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 4u, dw), WBOTA_E_ALIGN);
    assert_true((s_fm.sr & SR_PGAERR) != 0u);
    assert_true(prv_range_is(PAGE10, 16, 0xFF));
    assert_int_equal(s_fm.op_count, 1);
}

static void test_fm_program_narrow_width_sizerr(void **state)
{
    (void)state;
    const uint8_t data[8] = TEST_DW;
    static const uint32_t widths[] = {1u, 2u, 4u};
    for (size_t i = 0; i < 3; i++) {
        wbota_fm_clear_errors(&s_fm);
        assert_int_equal(wbota_fm_program_width(&s_fm, PAGE10, data, widths[i]),
                         WBOTA_E_FLASH_PROG);
        assert_true((s_fm.sr & SR_SIZERR) != 0u);
        assert_true(prv_range_is(PAGE10, 8, 0xFF));
    }
    wbota_fm_clear_errors(&s_fm);
    assert_int_equal(wbota_fm_program_width(&s_fm, PAGE10, data, 8u), WBOTA_OK);
    assert_int_equal(s_fm.sr, 0);
    assert_int_equal(s_fm.op_count, 4);
}

static void test_fm_program_over_programmed_progerr_no_change(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    const uint8_t other[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    /* even clearing more bits (other & dw) is refused: only all-zero may overwrite */
    const uint8_t subset[8] = {0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80};
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, other), WBOTA_E_FLASH_PROG);
    assert_true((s_fm.sr & SR_PROGERR) != 0u);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, subset), WBOTA_E_FLASH_PROG);
    assert_memory_equal(&s_fm.mem[PAGE10 - 0x08000000u], dw, 8);
}

static void test_fm_program_zero_over_programmed_allowed(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    const uint8_t zero[8] = {0};
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, zero), WBOTA_OK);
    assert_true(prv_range_is(PAGE10, 8, 0x00));
    assert_int_equal(s_fm.sr, 0);
}

/* docs/flash-rules.md#all-ones: a double word programmed with all ones can not take a zero
 * overwrite afterwards (PROGERR), and an erase makes it programmable again. */
static void test_fm_zero_over_ones_programmed_progerr(void **state)
{
    (void)state;
    const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    const uint8_t zero[8] = {0};
    const uint8_t dw[8] = TEST_DW;
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, ones), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, zero), WBOTA_E_FLASH_PROG);
    assert_true((s_fm.sr & SR_PROGERR) != 0u);
    assert_true(prv_range_is(PAGE10, 8, 0xFF));
    wbota_fm_clear_errors(&s_fm);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_E_FLASH_PROG);
    /* the neighbour, never programmed, still takes data and then a zero overwrite */
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 8u, dw), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 8u, zero), WBOTA_OK);
    /* after an erase the first double word is ordinary erased flash again */
    wbota_fm_clear_errors(&s_fm);
    assert_int_equal(wbota_fm_erase_page(&s_fm, (PAGE10 - 0x08000000u) / 4096u), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, zero), WBOTA_OK);
    assert_int_equal(s_fm.sr, 0);
}

static void test_fm_program_partially_programmed_progerr(void **state)
{
    (void)state;
    /* a double word with a single cleared bit is not erased */
    const uint8_t dw[8] = TEST_DW;
    s_fm.mem[PAGE10 + 5u - 0x08000000u] = 0xFE;
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_E_FLASH_PROG);
    assert_true((s_fm.sr & SR_PROGERR) != 0u);
}

static void test_fm_erase_page_sets_only_that_page(void **state)
{
    (void)state;
    memset(&s_fm.mem[9u * 4096u], 0x00, 3u * 4096u);
    assert_int_equal(wbota_fm_erase_page(&s_fm, 10u), WBOTA_OK);
    assert_true(prv_range_is(PAGE10, 4096u, 0xFF));
    assert_true(prv_range_is(PAGE10 - 4096u, 4096u, 0x00));
    assert_true(prv_range_is(PAGE10 + 4096u, 4096u, 0x00));
    assert_int_equal(s_fm.op_count, 1);
}

static void test_fm_at_or_above_sfsa_wrperr(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    uint32_t sfsa_addr = 0x08000000u + SFSA * 4096u;
    s_fm.mem[SFSA * 4096u] = 0x12; /* CPU2 area content must survive */
    assert_int_equal(wbota_fm_erase_page(&s_fm, SFSA), WBOTA_E_RANGE);
    assert_true((s_fm.sr & SR_WRPERR) != 0u);
    assert_int_equal(prv_byte(sfsa_addr), 0x12);
    wbota_fm_clear_errors(&s_fm);
    assert_int_equal(wbota_fm_program_dw(&s_fm, sfsa_addr + 8u, dw), WBOTA_E_RANGE);
    assert_true((s_fm.sr & SR_WRPERR) != 0u);
    assert_true(prv_range_is(sfsa_addr + 8u, 8, 0xFF));
    assert_int_equal(wbota_fm_erase_page(&s_fm, 255u), WBOTA_E_RANGE);
    assert_int_equal(wbota_fm_erase_page(&s_fm, 256u), WBOTA_E_RANGE);
    /* the page just below SFSA is still writable */
    assert_int_equal(wbota_fm_program_dw(&s_fm, sfsa_addr - 8u, dw), WBOTA_OK);
    assert_int_equal(s_fm.op_count, 5);
}

static void test_fm_read_outside_flash_range(void **state)
{
    (void)state;
    uint8_t buf[8];
    assert_int_equal(wbota_fm_read(&s_fm, 0x07FFFFFCu, buf, 8), WBOTA_E_RANGE);
    assert_int_equal(wbota_fm_read(&s_fm, 0x080FFFFCu, buf, 8), WBOTA_E_RANGE);
    assert_int_equal(wbota_fm_read(&s_fm, 0x080FFFF8u, buf, 8), WBOTA_OK);
    wbota_mem_t mem = wbota_fm_mem(&s_fm);
    assert_int_equal(mem.read_cb(mem.ctx, 0x08100000u, buf, 1), WBOTA_E_RANGE);
}

static void test_fm_cut_before_op_not_done(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    wbota_fm_arm_cut(&s_fm, 2u, WBOTA_CUT_BEFORE);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_OK);
    assert_false(s_fm.cut_fired);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 8u, dw), WBOTA_E_POWER_CUT);
    assert_true(s_fm.cut_fired);
    assert_false(s_fm.powered);
    assert_true(prv_range_is(PAGE10 + 8u, 8, 0xFF));
    /* everything fails until power-on */
    assert_int_equal(wbota_fm_erase_page(&s_fm, 11u), WBOTA_E_POWER_CUT);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 16u, dw), WBOTA_E_POWER_CUT);
    uint8_t rd[8];
    assert_int_equal(wbota_fm_read(&s_fm, PAGE10, rd, 8), WBOTA_E_POWER_CUT);
    assert_true(prv_range_is(PAGE10 + 16u, 8, 0xFF));
    wbota_fm_power_on(&s_fm);
    assert_true(s_fm.cut_fired);
    assert_int_equal(wbota_fm_read(&s_fm, PAGE10, rd, 8), WBOTA_OK);
    assert_memory_equal(rd, dw, 8);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 8u, dw), WBOTA_OK);
}

static void test_fm_cut_after_op_done(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    memset(&s_fm.mem[11u * 4096u], 0x00, 4096u);
    wbota_fm_arm_cut(&s_fm, 1u, WBOTA_CUT_AFTER);
    assert_int_equal(wbota_fm_erase_page(&s_fm, 11u), WBOTA_E_POWER_CUT);
    assert_true(s_fm.cut_fired);
    assert_true(prv_range_is(PAGE10 + 4096u, 4096u, 0xFF));
    wbota_fm_power_on(&s_fm);
    wbota_fm_arm_cut(&s_fm, 2u, WBOTA_CUT_AFTER);
    assert_false(s_fm.cut_fired);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, dw), WBOTA_E_POWER_CUT);
    assert_true(s_fm.cut_fired);
    assert_memory_equal(&s_fm.mem[PAGE10 - 0x08000000u], dw, 8);
}

static void test_fm_cut_torn_dw_only_clears_bits_toward_target(void **state)
{
    (void)state;
    const uint8_t pat[8] = {0x0F, 0xF0, 0x3C, 0xC3, 0x00, 0xFF, 0x5A, 0xA5};
    int differs = 0;
    for (uint32_t seed = 1; seed <= 16; seed++) {
        wbota_fm_init(&s_fm, SFSA);
        s_fm.torn_seed = seed;
        wbota_fm_arm_cut(&s_fm, 1u, WBOTA_CUT_TORN);
        assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, pat), WBOTA_E_POWER_CUT);
        assert_true(s_fm.cut_fired);
        const uint8_t *cell = &s_fm.mem[PAGE10 - 0x08000000u];
        for (int i = 0; i < 8; i++) {
            /* programming only clears bits: a bit the target keeps at 1 stays 1 */
            assert_int_equal(cell[i] & pat[i], pat[i]);
        }
        if (memcmp(cell, pat, 8) != 0 && !prv_range_is(PAGE10, 8, 0xFF)) {
            differs++;
        }
        assert_true(prv_range_is(PAGE10 + 8u, 4088u, 0xFF));
    }
    assert_true(differs > 8); /* torn really means "neither old nor new" most of the time */
}

static void test_fm_cut_torn_dw_deterministic_from_seed(void **state)
{
    (void)state;
    const uint8_t pat[8] = TEST_DW;
    uint8_t first[8];
    for (int run = 0; run < 2; run++) {
        wbota_fm_init(&s_fm, SFSA);
        s_fm.torn_seed = 77u;
        wbota_fm_arm_cut(&s_fm, 1u, WBOTA_CUT_TORN);
        assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10, pat), WBOTA_E_POWER_CUT);
        if (run == 0) {
            memcpy(first, &s_fm.mem[PAGE10 - 0x08000000u], 8);
        } else {
            assert_memory_equal(first, &s_fm.mem[PAGE10 - 0x08000000u], 8);
        }
    }
}

static void test_fm_cut_torn_erase_leaves_mixed_page(void **state)
{
    (void)state;
    memset(&s_fm.mem[9u * 4096u], 0x00, 3u * 4096u);
    wbota_fm_arm_cut(&s_fm, 1u, WBOTA_CUT_TORN);
    assert_int_equal(wbota_fm_erase_page(&s_fm, 10u), WBOTA_E_POWER_CUT);
    assert_true(s_fm.cut_fired);
    assert_false(s_fm.powered);
    uint32_t erased = 0, kept = 0;
    for (uint32_t off = 0; off < 4096u; off += 8u) {
        if (prv_range_is(PAGE10 + off, 8, 0xFF)) {
            erased++;
        } else if (prv_range_is(PAGE10 + off, 8, 0x00)) {
            kept++;
        }
    }
    assert_true(erased > 0u && erased < 512u);
    assert_true(kept > 0u && kept < 512u);
    /* neighbours untouched */
    assert_true(prv_range_is(PAGE10 - 4096u, 4096u, 0x00));
    assert_true(prv_range_is(PAGE10 + 4096u, 4096u, 0x00));
}

static void test_fm_cut_on_rejected_op_still_fires(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    wbota_fm_arm_cut(&s_fm, 1u, WBOTA_CUT_TORN);
    assert_int_equal(wbota_fm_program_dw(&s_fm, PAGE10 + 4u, dw), WBOTA_E_POWER_CUT);
    /* the controller refused the misaligned op before touching the array: nothing to tear,
     * yet the cut must fire on that op index (a sweep that skips it would test nothing) */
    assert_true(s_fm.cut_fired);
    assert_true((s_fm.sr & SR_PGAERR) != 0u);
    assert_true(prv_range_is(PAGE10, 16, 0xFF));
    wbota_fm_power_on(&s_fm);
    wbota_fm_arm_cut(&s_fm, 2u, WBOTA_CUT_AFTER);
    assert_int_equal(wbota_fm_erase_page(&s_fm, SFSA), WBOTA_E_POWER_CUT);
    assert_true(s_fm.cut_fired);
}

static void test_fm_op_count_counts_every_attempt(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    (void)wbota_fm_program_dw(&s_fm, PAGE10, dw);
    (void)wbota_fm_program_dw(&s_fm, PAGE10, dw);      /* PROGERR */
    (void)wbota_fm_program_dw(&s_fm, PAGE10 + 1u, dw); /* PGAERR */
    (void)wbota_fm_erase_page(&s_fm, 300u);            /* WRPERR */
    (void)wbota_fm_erase_page(&s_fm, 10u);
    assert_int_equal(s_fm.op_count, 5);
}

static void test_fm_ota_port_routes_to_model(void **state)
{
    (void)state;
    const uint8_t dw[8] = TEST_DW;
    uint8_t rd[8];
    wbota_ota_flash_t port = wbota_fm_ota_port(&s_fm);
    assert_ptr_equal(port.ctx, &s_fm);
    assert_int_equal(port.program_dw_cb(port.ctx, PAGE10, dw), WBOTA_OK);
    assert_int_equal(port.read_cb(port.ctx, PAGE10, rd, 8), WBOTA_OK);
    assert_memory_equal(rd, dw, 8);
    assert_int_equal(port.erase_page_cb(port.ctx, 10u), WBOTA_OK);
    assert_true(prv_range_is(PAGE10, 8, 0xFF));
    assert_int_equal(port.erase_page_cb(port.ctx, SFSA), WBOTA_E_RANGE);
    assert_int_equal(s_fm.op_count, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fm_init_all_erased, prv_setup),
        cmocka_unit_test_setup(test_fm_program_erased_dw_stores_and_reads_back, prv_setup),
        cmocka_unit_test_setup(test_fm_program_misaligned_pgaerr_no_change, prv_setup),
        cmocka_unit_test_setup(test_fm_program_narrow_width_sizerr, prv_setup),
        cmocka_unit_test_setup(test_fm_program_over_programmed_progerr_no_change, prv_setup),
        cmocka_unit_test_setup(test_fm_program_zero_over_programmed_allowed, prv_setup),
        cmocka_unit_test_setup(test_fm_program_partially_programmed_progerr, prv_setup),
        cmocka_unit_test_setup(test_fm_erase_page_sets_only_that_page, prv_setup),
        cmocka_unit_test_setup(test_fm_at_or_above_sfsa_wrperr, prv_setup),
        cmocka_unit_test_setup(test_fm_read_outside_flash_range, prv_setup),
        cmocka_unit_test_setup(test_fm_cut_before_op_not_done, prv_setup),
        cmocka_unit_test_setup(test_fm_cut_after_op_done, prv_setup),
        cmocka_unit_test_setup(test_fm_cut_torn_dw_only_clears_bits_toward_target, prv_setup),
        cmocka_unit_test_setup(test_fm_cut_torn_dw_deterministic_from_seed, prv_setup),
        cmocka_unit_test_setup(test_fm_cut_torn_erase_leaves_mixed_page, prv_setup),
        cmocka_unit_test_setup(test_fm_cut_on_rejected_op_still_fires, prv_setup),
        cmocka_unit_test_setup(test_fm_op_count_counts_every_attempt, prv_setup),
        cmocka_unit_test_setup(test_fm_ota_port_routes_to_model, prv_setup),
        cmocka_unit_test_setup(test_fm_zero_over_ones_programmed_progerr, prv_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
