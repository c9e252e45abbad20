/* Unit tests of the anti-rollback counter page (core/src/rollback.c) with the staged records
 * (core/src/records.c) on the flash model: the page format, raising, a page that is not a
 * counter page, a full page, the two copies repairing each other (a wireless-stack install that
 * erased the records, a cut between the two writes), and before/after/torn cuts of every flash
 * operation of a raise. Expected values come from docs/staged.md#counter-page: header
 * "WBRC" || complement at double word 0, then value || ~value per raise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/bytes.h"
#include "wbota/flash_model.h"
#include "wbota/records.h"
#include "wbota/rollback.h"

#define SFSA         0x40u
#define COUNTER_PAGE 6u
#define REC_PAGE     0x3Eu /* the two record pages below SFSA */
#define COUNTER_ADDR (0x08000000u + COUNTER_PAGE * 4096u)

static wbota_flash_model_t s_fm;
static wbota_records_t s_rec;
static wbota_rollback_t s_rb;

static bool prv_allowed(uint32_t page)
{
    return page == COUNTER_PAGE || page == REC_PAGE || page == REC_PAGE + 1u;
}

static wbota_err_t prv_erase(void *ctx, uint32_t page)
{
    (void)ctx;
    assert_true(prv_allowed(page)); /* the counter and the records stay in their pages */
    return wbota_fm_erase_page(&s_fm, page);
}

static wbota_err_t prv_program(void *ctx, uint32_t addr, const uint8_t dw[8])
{
    static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    (void)ctx;
    assert_true(prv_allowed((addr - 0x08000000u) / 4096u));
    assert_memory_not_equal(dw, ones, 8); /* the all-ones rule: never programmed */
    return wbota_fm_program_dw(&s_fm, addr, dw);
}

static wbota_err_t prv_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    return wbota_fm_read(&s_fm, addr, buf, len);
}

static const wbota_ota_flash_t k_port = {prv_erase, prv_program, prv_read, NULL};

/* A boot: open both copies (as the loader does after a reset) and sync them. */
static wbota_err_t prv_boot(void)
{
    wbota_fm_power_on(&s_fm);
    assert_int_equal(wbota_rec_open(&s_rec, &k_port, REC_PAGE), WBOTA_OK);
    assert_int_equal(wbota_rollback_open(&s_rb, &k_port, COUNTER_PAGE), WBOTA_OK);
    return wbota_rollback_sync(&s_rb, &s_rec);
}

static uint32_t prv_page_value(void)
{
    wbota_rollback_t rb;
    assert_int_equal(wbota_rollback_open(&rb, &k_port, COUNTER_PAGE), WBOTA_OK);
    return rb.value;
}

static void prv_dw(uint32_t index, uint32_t *lo, uint32_t *hi)
{
    uint8_t b[8];
    assert_int_equal(wbota_fm_read(&s_fm, COUNTER_ADDR + index * 8u, b, 8u), WBOTA_OK);
    *lo = wbota_get_le32(&b[0]);
    *hi = wbota_get_le32(&b[4]);
}

static int prv_setup(void **state)
{
    (void)state;
    wbota_fm_init(&s_fm, SFSA);
    return 0;
}

static void test_rollback_erased_page_reads_zero_and_first_raise_formats_it(void **state)
{
    uint32_t lo, hi;
    (void)state;
    assert_int_equal(wbota_rollback_open(&s_rb, &k_port, COUNTER_PAGE), WBOTA_OK);
    assert_int_equal(s_rb.value, 0u);
    assert_int_equal(wbota_rollback_raise(&s_rb, 3u), WBOTA_OK);
    prv_dw(0u, &lo, &hi);
    assert_int_equal(lo, 0x43524257u); /* "WBRC" */
    assert_int_equal(hi, 0xBCADBDA8u);
    prv_dw(1u, &lo, &hi);
    assert_int_equal(lo, 3u);
    assert_int_equal(hi, 0xFFFFFFFCu);
    prv_dw(2u, &lo, &hi);
    assert_int_equal(lo & hi, 0xFFFFFFFFu); /* nothing else written */
    assert_int_equal(prv_page_value(), 3u);
}

static void test_rollback_raise_only_rises(void **state)
{
    (void)state;
    assert_int_equal(wbota_rollback_open(&s_rb, &k_port, COUNTER_PAGE), WBOTA_OK);
    assert_int_equal(wbota_rollback_raise(&s_rb, 4u), WBOTA_OK);
    const uint32_t ops = s_fm.op_count;
    assert_int_equal(wbota_rollback_raise(&s_rb, 4u), WBOTA_OK);
    assert_int_equal(wbota_rollback_raise(&s_rb, 2u), WBOTA_OK);
    assert_int_equal(s_fm.op_count, ops); /* no flash operation for a lower or equal value */
    assert_int_equal(wbota_rollback_raise(&s_rb, 9u), WBOTA_OK);
    assert_int_equal(prv_page_value(), 9u);
}

/* Every raise count from 1 to a full page reopens to the last value (the binary search for
 * the end of the entries), and the 512th raise (header + 511 entries used) erases and starts
 * over with the header and one entry. */
static void test_rollback_full_page_starts_over(void **state)
{
    uint32_t lo, hi;
    (void)state;
    assert_int_equal(wbota_rollback_open(&s_rb, &k_port, COUNTER_PAGE), WBOTA_OK);
    for (uint32_t v = 1u; v <= 511u; v++) {
        assert_int_equal(wbota_rollback_raise(&s_rb, v * 2u), WBOTA_OK);
        wbota_rollback_t again;
        assert_int_equal(wbota_rollback_open(&again, &k_port, COUNTER_PAGE), WBOTA_OK);
        assert_int_equal(again.value, v * 2u);
        assert_int_equal(again.next, v + 1u);
    }
    assert_int_equal(wbota_rollback_raise(&s_rb, 5000u), WBOTA_OK);
    prv_dw(0u, &lo, &hi);
    assert_int_equal(lo, 0x43524257u);
    prv_dw(1u, &lo, &hi);
    assert_int_equal(lo, 5000u);
    prv_dw(2u, &lo, &hi);
    assert_int_equal(lo & hi, 0xFFFFFFFFu);
    assert_int_equal(prv_page_value(), 5000u);
}

/* An st loader's verify-once verdict page ("WBVD" entries, docs/image-format.md#st-verdict)
 * or any other content is not a counter page: it reads 0 and is erased before the first raise. */
static void test_rollback_foreign_page_reads_zero_then_is_erased(void **state)
{
    uint8_t dw[8];
    (void)state;
    wbota_put_le32(&dw[0], 0x44564257u); /* "WBVD" */
    wbota_put_le32(&dw[4], ~0x44564257u);
    assert_int_equal(wbota_fm_program_dw(&s_fm, COUNTER_ADDR, dw), WBOTA_OK);
    memset(dw, 0x5A, sizeof dw);
    assert_int_equal(wbota_fm_program_dw(&s_fm, COUNTER_ADDR + 8u, dw), WBOTA_OK);
    assert_int_equal(wbota_rollback_open(&s_rb, &k_port, COUNTER_PAGE), WBOTA_OK);
    assert_int_equal(s_rb.value, 0u);
    assert_int_equal(wbota_rollback_raise(&s_rb, 1u), WBOTA_OK);
    assert_int_equal(prv_page_value(), 1u);
}

/* The records below SFSA are gone (a wireless-stack install moved SFSA over them): the page
 * keeps the counter, and the sync writes it back into the records. */
static void test_rollback_page_restores_lost_records(void **state)
{
    (void)state;
    assert_int_equal(prv_boot(), WBOTA_OK);
    assert_int_equal(wbota_rec_raise_counter(&s_rec, 6u), WBOTA_OK);
    assert_int_equal(wbota_rollback_sync(&s_rb, &s_rec), WBOTA_OK);
    assert_int_equal(prv_page_value(), 6u);
    assert_int_equal(wbota_fm_erase_page(&s_fm, REC_PAGE), WBOTA_OK);
    assert_int_equal(wbota_fm_erase_page(&s_fm, REC_PAGE + 1u), WBOTA_OK);
    assert_int_equal(wbota_rec_open(&s_rec, &k_port, REC_PAGE), WBOTA_OK);
    assert_int_equal(s_rec.counter, 0u); /* the records alone would have forgotten it */
    assert_int_equal(prv_boot(), WBOTA_OK);
    assert_int_equal(s_rec.counter, 6u);
    assert_int_equal(wbota_rec_open(&s_rec, &k_port, REC_PAGE), WBOTA_OK);
    assert_int_equal(s_rec.counter, 6u); /* persisted, not only in RAM */
}

/* A confirm raised the records (CONFIRMED + COUNTER) and the cut came before the page write:
 * the next boot copies the value into the page. */
static void test_rollback_records_restore_the_page(void **state)
{
    (void)state;
    assert_int_equal(prv_boot(), WBOTA_OK);
    assert_int_equal(wbota_rec_raise_counter(&s_rec, 8u), WBOTA_OK);
    assert_int_equal(prv_page_value(), 0u);
    assert_int_equal(prv_boot(), WBOTA_OK);
    assert_int_equal(s_rec.counter, 8u);
    assert_int_equal(prv_page_value(), 8u);
}

/* Both copies at counter 4; with full, the page's 511 entries are used (1, then 2 x 509,
 * then 4), so the next raise must erase it. */
static void prv_prepare_at_4(bool full)
{
    wbota_fm_init(&s_fm, SFSA);
    assert_int_equal(prv_boot(), WBOTA_OK);
    if (full) {
        uint8_t dw[8];
        assert_int_equal(wbota_rollback_raise(&s_rb, 1u), WBOTA_OK);
        wbota_put_le32(&dw[0], 2u);
        wbota_put_le32(&dw[4], ~2u);
        for (uint32_t i = 2u; i < WBOTA_ROLLBACK_DWS - 1u; i++) {
            assert_int_equal(wbota_fm_program_dw(&s_fm, COUNTER_ADDR + i * 8u, dw), WBOTA_OK);
        }
        assert_int_equal(prv_boot(), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_raise_counter(&s_rec, 4u), WBOTA_OK);
    assert_int_equal(wbota_rollback_sync(&s_rb, &s_rec), WBOTA_OK);
    assert_int_equal(prv_page_value(), 4u);
    assert_int_equal(s_rb.next, full ? WBOTA_ROLLBACK_DWS : 2u);
}

/* Before, after and torn cuts of every flash operation of a sync that raises the counter from
 * 4 to 7 (records COUNTER, then the page's entry; in the second round the page is full, so the
 * raise erases it and writes header + entry). After each cut, whatever the next boot finds,
 * the counter in force is 4 or 7, never less; after a later boot both copies say 7 once the
 * sync completes, and each cut is proven fired. */
static void test_rollback_cut_at_every_operation(void **state)
{
    (void)state;
    for (uint32_t full = 0u; full < 2u; full++) {
        for (uint32_t k = 1u;; k++) {
            bool fired_any = false;
            for (wbota_cut_kind_t kind = WBOTA_CUT_BEFORE; kind <= WBOTA_CUT_TORN; kind++) {
                prv_prepare_at_4(full != 0u);
                /* the confirm of an image with counter 7 raises the records, then the boot
                 * that follows syncs the page */
                wbota_fm_arm_cut(&s_fm, s_fm.op_count + k, kind);
                wbota_err_t err = wbota_rec_raise_counter(&s_rec, 7u);
                if (err == WBOTA_OK) {
                    err = wbota_rollback_sync(&s_rb, &s_rec);
                }
                if (!s_fm.cut_fired) {
                    assert_int_equal(err, WBOTA_OK);
                    continue;
                }
                fired_any = true;
                (void)prv_boot();
                assert_true(s_rec.counter == 4u || s_rec.counter == 7u);
                /* the repair completes at the next boot without a cut */
                (void)prv_boot();
                assert_int_equal(wbota_rec_raise_counter(&s_rec, 7u), WBOTA_OK);
                assert_int_equal(wbota_rollback_sync(&s_rb, &s_rec), WBOTA_OK);
                assert_int_equal(prv_boot(), WBOTA_OK);
                assert_int_equal(s_rec.counter, 7u);
                assert_int_equal(prv_page_value(), 7u);
            }
            if (!fired_any) {
                /* cut points: the COUNTER record (header + payload), then the page (entry; or
                 * erase, header, entry when full) */
                assert_true(k > (full != 0u ? 5u : 3u));
                break;
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_rollback_erased_page_reads_zero_and_first_raise_formats_it,
                               prv_setup),
        cmocka_unit_test_setup(test_rollback_raise_only_rises, prv_setup),
        cmocka_unit_test_setup(test_rollback_full_page_starts_over, prv_setup),
        cmocka_unit_test_setup(test_rollback_foreign_page_reads_zero_then_is_erased, prv_setup),
        cmocka_unit_test_setup(test_rollback_page_restores_lost_records, prv_setup),
        cmocka_unit_test_setup(test_rollback_records_restore_the_page, prv_setup),
        cmocka_unit_test_setup(test_rollback_cut_at_every_operation, prv_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
