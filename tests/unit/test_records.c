/* Unit tests of the loader's record log (core/src/records.c) against the flash model:
 * round trip of every state, the anti-rollback counter, torn/before/after cuts of every
 * flash operation of a record sequence and of a compaction, the all-ones rule (no double word
 * is ever programmed with all ones; a torn progress double word is recovered with a zero
 * overwrite), and corrupt record pages that must not stop a device from working.
 * Expected values come from docs/staged.md#records, not from the module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/bytes.h"
#include "wbota/flash_model.h"
#include "wbota/records.h"

#define SFSA     0x20u
#define REC_PAGE 5u
#define REC_ADDR (0x08000000u + REC_PAGE * 4096u)

static wbota_flash_model_t s_fm;
static wbota_records_t s_rec;
static uint32_t s_ones_programs; /* all-ones programs seen by the checking port */

static wbota_err_t prv_erase(void *ctx, uint32_t page)
{
    (void)ctx;
    assert_true(page == REC_PAGE || page == REC_PAGE + 1u); /* the log stays in its pages */
    return wbota_fm_erase_page(&s_fm, page);
}

static wbota_err_t prv_program(void *ctx, uint32_t addr, const uint8_t dw[8])
{
    static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    (void)ctx;
    assert_true(addr >= REC_ADDR && addr < REC_ADDR + 2u * 4096u);
    if (memcmp(dw, ones, 8) == 0) {
        s_ones_programs++;
    }
    return wbota_fm_program_dw(&s_fm, addr, dw);
}

static wbota_err_t prv_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    return wbota_fm_read(&s_fm, addr, buf, len);
}

static const wbota_ota_flash_t k_port = {prv_erase, prv_program, prv_read, NULL};

static void prv_open(void)
{
    assert_int_equal(wbota_rec_open(&s_rec, &k_port, REC_PAGE), WBOTA_OK);
}

static wbota_rec_image_t prv_img(uint8_t seed, uint32_t counter)
{
    wbota_rec_image_t img;
    for (uint32_t i = 0; i < sizeof img.digest; i++) {
        img.digest[i] = (uint8_t)(seed * 31u + i);
    }
    img.magic_addr = 0x08008000u + seed * 8u;
    img.sec_counter = counter;
    return img;
}

static int prv_setup(void **state)
{
    (void)state;
    wbota_fm_init(&s_fm, SFSA);
    s_ones_programs = 0u;
    prv_open();
    return 0;
}

static void test_rec_empty_flash_is_empty_state(void **state)
{
    (void)state;
    assert_false(s_rec.have_page);
    assert_int_equal(s_rec.state, WBOTA_UPD_NONE);
    assert_int_equal(s_rec.counter, 0u);
    assert_false(s_rec.verdict_valid);
    assert_int_equal(s_fm.op_count, 0u); /* opening writes nothing */
}

static void test_rec_first_append_writes_gen_then_record(void **state)
{
    (void)state;
    assert_int_equal(wbota_rec_download(&s_rec), WBOTA_OK);
    /* page A (the first record page): GEN at double word 0 = {A7, 01, 01, 00, crc} + {1, ~1} */
    const uint8_t *p = &s_fm.mem[REC_ADDR - 0x08000000u];
    assert_int_equal(p[0], 0xA7);
    assert_int_equal(p[1], 0x01);
    assert_int_equal(p[2], 1);
    assert_int_equal(wbota_get_le32(&p[8]), 1u);
    assert_int_equal(wbota_get_le32(&p[12]), 0xFFFFFFFEu);
    /* the DOWNLOAD record right after it: marker, type 0x10, no payload */
    assert_int_equal(p[16], 0xA7);
    assert_int_equal(p[17], 0x10);
    assert_int_equal(p[18], 0);
    uint32_t crc = wbota_crc32(0u, &p[16], 4u);
    assert_int_equal(wbota_get_le32(&p[20]), crc);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_DOWNLOAD);
}

static void test_rec_crc32_known_value(void **state)
{
    (void)state;
    /* the CRC-32 check value of "123456789" (IEEE 802.3) */
    assert_int_equal(wbota_crc32(0u, (const uint8_t *)"123456789", 9u), 0xCBF43926u);
}

static void prv_full_cycle(const wbota_rec_image_t *img, uint32_t pages)
{
    assert_int_equal(wbota_rec_download(&s_rec), WBOTA_OK);
    assert_int_equal(wbota_rec_verified(&s_rec, img), WBOTA_OK);
    assert_int_equal(wbota_rec_install_begin(&s_rec, img, pages, 20u, 7u), WBOTA_OK);
    for (uint32_t i = 0; i < pages; i++) {
        assert_int_equal(wbota_rec_install_mark(&s_rec, i), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_installed(&s_rec), WBOTA_OK);
    assert_int_equal(wbota_rec_boot(&s_rec), WBOTA_OK);
    assert_int_equal(wbota_rec_confirm(&s_rec), WBOTA_OK);
}

static void test_rec_states_round_trip(void **state)
{
    (void)state;
    wbota_rec_image_t img = prv_img(3u, 6u);

    assert_int_equal(wbota_rec_verified(&s_rec, &img), WBOTA_OK);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_VERIFIED);
    assert_true(wbota_rec_image_equal(&s_rec.image, &img));

    assert_int_equal(wbota_rec_install_begin(&s_rec, &img, 3u, 20u, 7u), WBOTA_OK);
    assert_int_equal(wbota_rec_install_mark(&s_rec, 1u), WBOTA_OK);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLING);
    assert_int_equal(s_rec.install_pages, 3u);
    assert_int_equal(s_rec.install_src, 20u);
    assert_int_equal(s_rec.install_dst, 7u);
    assert_false(wbota_rec_install_page_done(&s_rec, 0u));
    assert_true(wbota_rec_install_page_done(&s_rec, 1u));
    assert_false(wbota_rec_install_page_done(&s_rec, 2u));
    assert_false(s_rec.verdict_valid); /* the active slot is being written */

    assert_int_equal(wbota_rec_installed(&s_rec), WBOTA_OK);
    assert_int_equal(wbota_rec_boot(&s_rec), WBOTA_OK);
    assert_int_equal(wbota_rec_boot(&s_rec), WBOTA_OK);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLED);
    assert_int_equal(s_rec.test_boots, 2u);
    assert_true(s_rec.verdict_valid);
    assert_true(wbota_rec_image_equal(&s_rec.verdict, &img));
    assert_int_equal(s_rec.counter, 0u); /* not raised at install or at the first boots */

    assert_int_equal(wbota_rec_confirm(&s_rec), WBOTA_OK);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
    assert_int_equal(s_rec.counter, 6u);
    assert_int_equal(s_ones_programs, 0u);
}

static void test_rec_gave_up_keeps_reason(void **state)
{
    (void)state;
    wbota_rec_image_t img = prv_img(4u, 2u);
    assert_int_equal(wbota_rec_verified(&s_rec, &img), WBOTA_OK);
    assert_int_equal(wbota_rec_install_begin(&s_rec, &img, 1u, 20u, 7u), WBOTA_OK);
    assert_int_equal(wbota_rec_install_mark(&s_rec, 0u), WBOTA_OK);
    assert_int_equal(wbota_rec_installed(&s_rec), WBOTA_OK);
    assert_int_equal(wbota_rec_gave_up(&s_rec, WBOTA_E_NOT_CONFIRMED), WBOTA_OK);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_GAVE_UP);
    assert_int_equal(s_rec.gave_up_reason, WBOTA_E_NOT_CONFIRMED);
}

static void test_rec_counter_only_rises(void **state)
{
    (void)state;
    wbota_rec_image_t hi = prv_img(1u, 9u);
    wbota_rec_image_t lo = prv_img(2u, 4u);
    prv_full_cycle(&hi, 1u);
    prv_full_cycle(&lo, 1u);
    prv_open();
    assert_int_equal(s_rec.counter, 9u);
}

/* Compaction: more records than one page holds. The state survives, the generation rises. */
static void test_rec_compaction_preserves_state(void **state)
{
    (void)state;
    wbota_rec_image_t img = prv_img(5u, 3u);
    prv_full_cycle(&img, 2u);
    uint32_t gen0 = s_rec.gen;
    for (uint32_t i = 0; i < 600u; i++) {
        assert_int_equal(wbota_rec_set_verdict(&s_rec, &img), WBOTA_OK);
    }
    assert_true(s_rec.gen > gen0);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
    assert_int_equal(s_rec.counter, 3u);
    assert_true(s_rec.verdict_valid);
    assert_true(wbota_rec_image_equal(&s_rec.verdict, &img));
    assert_int_equal(s_ones_programs, 0u);
}

/* Compaction while installing copies the progress marks. */
static void test_rec_compaction_keeps_install_progress(void **state)
{
    (void)state;
    wbota_rec_image_t img = prv_img(6u, 1u);
    for (uint32_t i = 0; i < 80u; i++) {
        assert_int_equal(wbota_rec_set_verdict(&s_rec, &img), WBOTA_OK); /* fill the page */
    }
    assert_int_equal(wbota_rec_verified(&s_rec, &img), WBOTA_OK);
    uint32_t gen0 = s_rec.gen;
    assert_int_equal(wbota_rec_install_begin(&s_rec, &img, 200u, 120u, 7u), WBOTA_OK);
    assert_true(s_rec.gen > gen0); /* did not fit: compacted first */
    assert_int_equal(wbota_rec_install_mark(&s_rec, 0u), WBOTA_OK);
    assert_int_equal(wbota_rec_install_mark(&s_rec, 7u), WBOTA_OK);
    for (uint32_t i = 0; i < 400u; i++) {
        assert_int_equal(wbota_rec_boot(&s_rec), WBOTA_OK); /* BOOT outside test: ignored */
    }
    assert_true(s_rec.gen > gen0 + 1u); /* compacted again with the install running */
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLING);
    assert_true(wbota_rec_install_page_done(&s_rec, 0u));
    assert_true(wbota_rec_install_page_done(&s_rec, 7u));
    assert_false(wbota_rec_install_page_done(&s_rec, 1u));
}

/* A torn progress double word: not done; marking it again zero-overwrites it (allowed: it was
 * programmed with a value that is not all ones) and then it counts as done. */
static void test_rec_torn_progress_recovered_by_zero_overwrite(void **state)
{
    (void)state;
    wbota_rec_image_t img = prv_img(7u, 1u);
    assert_int_equal(wbota_rec_install_begin(&s_rec, &img, 4u, 20u, 7u), WBOTA_OK);
    bool torn_seen = false;
    for (uint32_t seed = 1; seed < 64u && !torn_seen; seed++) {
        static wbota_flash_model_t saved;
        saved = s_fm;
        s_fm.torn_seed = seed;
        wbota_fm_arm_cut(&s_fm, s_fm.op_count + 1u, WBOTA_CUT_TORN);
        assert_int_equal(wbota_rec_install_mark(&s_rec, 2u), WBOTA_E_POWER_CUT);
        assert_true(s_fm.cut_fired);
        wbota_fm_power_on(&s_fm);
        prv_open();
        const uint8_t *dw = &s_fm.mem[REC_ADDR - 0x08000000u + s_rec.progress_dw * 8u + 16u];
        bool blank = true;
        for (int i = 0; i < 8; i++) {
            blank = blank && dw[i] == 0xFF;
        }
        if (!blank && !wbota_rec_install_page_done(&s_rec, 2u)) {
            torn_seen = true;
            assert_int_equal(wbota_rec_install_mark(&s_rec, 2u), WBOTA_OK);
            for (int i = 0; i < 8; i++) {
                assert_int_equal(dw[i], 0x00);
            }
            prv_open();
            assert_true(wbota_rec_install_page_done(&s_rec, 2u));
        } else {
            s_fm = saved;
            prv_open();
        }
    }
    assert_true(torn_seen);
}

/* The flash model refuses a second programming of a double word programmed with all ones; the
 * log never needs one: a header that reads blank but takes no programming is skipped. */
static void test_rec_all_ones_programmed_slot_is_skipped(void **state)
{
    (void)state;
    static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    static const uint8_t zero[8] = {0};
    assert_int_equal(wbota_rec_download(&s_rec), WBOTA_OK);
    uint32_t next = REC_ADDR + s_rec.wr * 8u;
    /* someone (a torn write, an old tool) programmed the next free double word with ones */
    assert_int_equal(wbota_fm_program_dw(&s_fm, next, ones), WBOTA_OK);
    assert_int_equal(wbota_fm_program_dw(&s_fm, next, zero), WBOTA_E_FLASH_PROG); /* the rule */
    wbota_fm_clear_errors(&s_fm);
    wbota_rec_image_t img = prv_img(8u, 2u);
    assert_int_equal(wbota_rec_verified(&s_rec, &img), WBOTA_OK);
    prv_open();
    assert_int_equal(s_rec.state, WBOTA_UPD_VERIFIED);
    assert_true(wbota_rec_image_equal(&s_rec.image, &img));
}

/* Every flash operation of a sequence with a compaction in it, cut before/after/torn: the
 * reopened state is one the sequence passed through, the counter never falls below what a
 * completed confirm raised it to, and the log keeps working. */
static void test_rec_power_cut_every_op(void **state)
{
    (void)state;
    static const wbota_cut_kind_t kinds[] = {WBOTA_CUT_BEFORE, WBOTA_CUT_AFTER, WBOTA_CUT_TORN};
    wbota_rec_image_t a = prv_img(10u, 5u);
    wbota_rec_image_t b = prv_img(11u, 7u);
    static wbota_flash_model_t base;
    uint32_t tried = 0u, fired = 0u;

    prv_full_cycle(&a, 3u);
    /* fill the page so that the measured cycle (about 32 double words) must compact */
    while (WBOTA_REC_DWS_PER_PAGE - s_rec.wr > 20u) {
        assert_int_equal(wbota_rec_set_verdict(&s_rec, &a), WBOTA_OK);
    }
    base = s_fm;
    uint32_t ops0 = s_fm.op_count;
    uint32_t gen0 = s_rec.gen;
    prv_full_cycle(&b, 3u);
    assert_true(s_rec.gen > gen0); /* the measured run compacted */
    uint32_t n = s_fm.op_count - ops0;

    for (size_t k = 0; k < 3u; k++) {
        for (uint32_t i = 1; i <= n; i++) {
            s_fm = base;
            s_fm.torn_seed = 0x77u + i;
            prv_open();
            wbota_fm_arm_cut(&s_fm, ops0 + i, kinds[k]);
            tried++;
            /* run the sequence until the cut stops it */
            wbota_err_t err = wbota_rec_download(&s_rec);
            if (err == WBOTA_OK) {
                err = wbota_rec_verified(&s_rec, &b);
            }
            if (err == WBOTA_OK) {
                err = wbota_rec_install_begin(&s_rec, &b, 3u, 20u, 7u);
            }
            for (uint32_t p = 0; p < 3u && err == WBOTA_OK; p++) {
                err = wbota_rec_install_mark(&s_rec, p);
            }
            if (err == WBOTA_OK) {
                err = wbota_rec_installed(&s_rec);
            }
            if (err == WBOTA_OK) {
                err = wbota_rec_boot(&s_rec);
            }
            if (err == WBOTA_OK) {
                err = wbota_rec_confirm(&s_rec);
            }
            assert_int_equal(err, WBOTA_E_POWER_CUT);
            fired += s_fm.cut_fired ? 1u : 0u;
            wbota_fm_power_on(&s_fm);
            prv_open();
            assert_true(s_rec.counter == 5u || s_rec.counter == 7u);
            if (s_rec.state == WBOTA_UPD_CONFIRMED && wbota_rec_image_equal(&s_rec.image, &b)) {
                assert_int_equal(s_rec.counter, 7u); /* CONFIRMED carries the counter */
            }
            if (s_rec.state == WBOTA_UPD_CONFIRMED) {
                assert_true(s_rec.verdict_valid);
            }
            /* and the log keeps working: a complete cycle on top */
            prv_full_cycle(&b, 3u);
            prv_open();
            assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
            assert_int_equal(s_rec.counter, 7u);
        }
    }
    printf("records sweep: %u ops per cycle, %u cuts tried, %u fired, %u all-ones programs\n", n,
           tried, fired, s_ones_programs);
    assert_int_equal(fired, tried);
    assert_int_equal(s_ones_programs, 0u);
}

/* The confirm writes CONFIRMED (header + 5 double words), then COUNTER (header + 1): a torn
 * COUNTER write leaves the counter at the confirmed image's value; a cut before CONFIRMED
 * took leaves the image in test with the old counter (it confirms again at its next boot). */
static void test_rec_torn_counter_write_recovered(void **state)
{
    (void)state;
    static wbota_flash_model_t base;
    wbota_rec_image_t img = prv_img(12u, 9u);
    assert_int_equal(wbota_rec_verified(&s_rec, &img), WBOTA_OK);
    assert_int_equal(wbota_rec_install_begin(&s_rec, &img, 1u, 20u, 7u), WBOTA_OK);
    assert_int_equal(wbota_rec_install_mark(&s_rec, 0u), WBOTA_OK);
    assert_int_equal(wbota_rec_installed(&s_rec), WBOTA_OK);
    base = s_fm;
    const uint32_t ops0 = s_fm.op_count;
    assert_int_equal(wbota_rec_confirm(&s_rec), WBOTA_OK);
    assert_int_equal(s_fm.op_count - ops0, 8u); /* 6 + 2 programs, no compaction */
    for (uint32_t op = 1; op <= 8u; op++) {
        for (int k = 0; k < 2; k++) {
            s_fm = base;
            s_fm.torn_seed = 0x99u + op;
            prv_open();
            wbota_fm_arm_cut(&s_fm, ops0 + op, k ? WBOTA_CUT_TORN : WBOTA_CUT_BEFORE);
            assert_int_equal(wbota_rec_confirm(&s_rec), WBOTA_E_POWER_CUT);
            assert_true(s_fm.cut_fired);
            wbota_fm_power_on(&s_fm);
            prv_open();
            if (op >= 7u) { /* the COUNTER record */
                assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
                assert_int_equal(s_rec.counter, 9u);
            } else {
                assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLED);
                assert_int_equal(s_rec.counter, 0u);
            }
            assert_int_equal(wbota_rec_confirm(&s_rec), WBOTA_OK); /* and it can be redone */
            prv_open();
            assert_int_equal(s_rec.counter, 9u);
        }
    }
}

/* Garbage in both pages (an attacker's write, a torn erase): open works and reads what checks;
 * the log then works (compaction erases a page); nothing here can stop a boot. */
static void test_rec_corrupt_pages_do_not_brick(void **state)
{
    (void)state;
    uint32_t x = 12345u;
    for (uint32_t round = 0; round < 20u; round++) {
        wbota_fm_init(&s_fm, SFSA);
        for (uint32_t i = 0; i < 2u * 4096u; i++) {
            x = x * 1103515245u + 12345u;
            uint8_t v = (uint8_t)(x >> 16);
            /* a mix of markers, plausible lengths and noise */
            if ((x >> 8) % 7u == 0u) {
                v = 0xA7;
            }
            s_fm.mem[REC_ADDR - 0x08000000u + i] = (round % 2u) ? v : (uint8_t)(v | 0xF0u);
        }
        prv_open();
        wbota_rec_image_t img = prv_img((uint8_t)round, 2u + round);
        prv_full_cycle(&img, 2u);
        prv_open();
        assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
        assert_true(s_rec.counter >= 2u + round);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_rec_empty_flash_is_empty_state, prv_setup),
        cmocka_unit_test_setup(test_rec_first_append_writes_gen_then_record, prv_setup),
        cmocka_unit_test_setup(test_rec_crc32_known_value, prv_setup),
        cmocka_unit_test_setup(test_rec_states_round_trip, prv_setup),
        cmocka_unit_test_setup(test_rec_gave_up_keeps_reason, prv_setup),
        cmocka_unit_test_setup(test_rec_counter_only_rises, prv_setup),
        cmocka_unit_test_setup(test_rec_compaction_preserves_state, prv_setup),
        cmocka_unit_test_setup(test_rec_compaction_keeps_install_progress, prv_setup),
        cmocka_unit_test_setup(test_rec_torn_progress_recovered_by_zero_overwrite, prv_setup),
        cmocka_unit_test_setup(test_rec_all_ones_programmed_slot_is_skipped, prv_setup),
        cmocka_unit_test_setup(test_rec_power_cut_every_op, prv_setup),
        cmocka_unit_test_setup(test_rec_corrupt_pages_do_not_brick, prv_setup),
        cmocka_unit_test_setup(test_rec_torn_counter_write_recovered, prv_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
