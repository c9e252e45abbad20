/* An overwrite-only core (WBOTA_CFG_SWAP_SUPPORT=0, the non-swap staged loaders' build,
 * docs/staged.md#swap-free) meeting the records of a swap loader (a loader replaced by another
 * build with the record pages kept): a swap install or a revert still counts as a half-copied
 * active slot (no jump, no verdict, its progress double words skipped, kept by a compaction);
 * an image installed by a swap is an ordinary image in test (no revert copy: staging is free
 * for the next upload). This executable compiles records.c and staged.c with the switch at 0
 * (tests/CMakeLists.txt); the records are written with the public writers, as a swap loader
 * writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "staged_device.h"
#include "wbota/boot.h"
#include "wbota/records.h"
#include "wbota/staged.h"

#if WBOTA_CFG_SWAP_SUPPORT
#error "test_swap_free must be built with WBOTA_CFG_SWAP_SUPPORT=0 (tests/CMakeLists.txt)"
#endif

#define IMG_CAP (16u * 1024u)
#define SFSA    0x1Bu /* app pages 7..26: active 7..16, staging 17..26, records at the top */
#define SCRATCH 0x1Au /* a swap loader's scratch page number, as written into its records */

static staged_dev_t s_dev;
static wbota_records_t s_rec;
static uint8_t s_v1[IMG_CAP];
static wbota_rec_image_t s_id; /* v1's id, as a swap loader would record it */

static int prv_setup(void **state)
{
    (void)state;
    size_t len = staged_dev_image(s_v1, IMG_CAP, 3000u, 1u, 1u, 1u, false);
    staged_dev_factory(&s_dev, SFSA, s_v1, len);
    wbota_image_info_t info;
    const wbota_mem_t mem = wbota_fm_mem(&s_dev.fm);
    assert_int_equal(wbota_staged_image_id(&mem, &s_dev.layout, &s_id, &info), WBOTA_OK);
    const wbota_ota_flash_t port = wbota_fm_ota_port(&s_dev.fm);
    assert_int_equal(wbota_rec_open(&s_rec, &port, s_dev.slots.record_page), WBOTA_OK);
    assert_int_equal(wbota_rec_verified(&s_rec, &s_id), WBOTA_OK);
    return 0;
}

/* The swap loader's INSTALL (strategy swap, 2 pages = 6 steps) with its first step done. */
static void prv_swap_install_begun(void)
{
    const wbota_slots_t *s = &s_dev.slots;
    assert_int_equal(
        wbota_rec_swap_begin(&s_rec, &s_id, 2u, s->staging_page, s->active_page, SCRATCH),
        WBOTA_OK);
    assert_int_equal(wbota_rec_install_mark(&s_rec, 0u), WBOTA_OK);
}

static wbota_err_t prv_boot(wbota_boot_decision_t *dec)
{
    return staged_dev_boot(&s_dev, &s_rec, WBOTA_POLICY_ST, NULL, false, dec);
}

/* Appends boot records until the log moved to the other page. */
static void prv_compact(void)
{
    const uint32_t gen = s_rec.gen;
    while (s_rec.gen == gen) {
        assert_int_equal(wbota_rec_boot(&s_rec), WBOTA_OK);
    }
}

/* What the loader's boot reads from the log (without running the boot). */
static wbota_records_t prv_reopen(void)
{
    wbota_records_t r;
    const wbota_ota_flash_t port = wbota_fm_ota_port(&s_dev.fm);
    assert_int_equal(wbota_rec_open(&r, &port, s_dev.slots.record_page), WBOTA_OK);
    return r;
}

static void test_swap_install_half_done_never_jumps(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_swap_install_begun();
    wbota_records_t r = prv_reopen();
    assert_int_equal(r.state, WBOTA_UPD_INSTALLING);
    assert_false(r.verdict_valid);
    assert_int_equal(r.install_steps, 6u);
    assert_true(wbota_rec_install_page_done(&r, 0u));
    assert_false(wbota_rec_install_page_done(&r, 1u));
    assert_int_equal(prv_boot(&dec), WBOTA_E_RANGE); /* not this build's strategy */
    assert_int_not_equal(dec.action, WBOTA_BOOT_JUMP);
    /* the stay marks staging void before its erase: that record, after the progress area,
     * counts (the progress double words were skipped, not read as records) */
    r = prv_reopen();
    assert_int_equal(r.state, WBOTA_UPD_DOWNLOAD);
    assert_false(r.verdict_valid);
    assert_int_equal(prv_boot(&dec), WBOTA_OK); /* a full check: v1, untouched here, passes */
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
}

static void test_swap_installed_image_is_an_image_in_test(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_swap_install_begun();
    for (uint32_t j = 1u; j < s_rec.install_steps; j++) {
        assert_int_equal(wbota_rec_install_mark(&s_rec, j), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_installed(&s_rec), WBOTA_OK); /* INSTALLED, aux swap, 2 pages */
    assert_int_equal(prv_boot(&dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLED);
    assert_int_equal(s_rec.swap_pages, 0u); /* no revert copy this build could use */
    assert_int_equal(s_rec.test_boots, 1u);
    /* an upload may overwrite staging (a swap build answers E_IN_TEST here) */
    assert_int_equal(wbota_staged_ota.session_start_cb(&s_rec), WBOTA_OK);
}

static void test_revert_half_done_never_jumps(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    const wbota_slots_t *s = &s_dev.slots;
    prv_swap_install_begun();
    for (uint32_t j = 1u; j < s_rec.install_steps; j++) {
        assert_int_equal(wbota_rec_install_mark(&s_rec, j), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_installed(&s_rec), WBOTA_OK);
    s_rec.swap_pages = 2u; /* what a swap build reads from that INSTALLED record */
    assert_int_equal(wbota_rec_revert_begin(&s_rec, WBOTA_E_NOT_CONFIRMED, 0u, s->staging_page,
                                            s->active_page, SCRATCH),
                     WBOTA_OK);
    assert_int_equal(wbota_rec_install_mark(&s_rec, 0u), WBOTA_OK);
    prv_compact(); /* the summary keeps the revert and its marks */
    wbota_records_t r = prv_reopen();
    assert_int_equal(r.state, WBOTA_UPD_REVERTING);
    assert_false(r.verdict_valid);
    assert_int_equal(r.revert_reason, WBOTA_OK); /* the app's revert report is left out */
    assert_true(wbota_rec_install_page_done(&r, 0u));
    assert_false(wbota_rec_install_page_done(&r, 1u));
    assert_int_equal(prv_boot(&dec), WBOTA_E_INSTALL); /* never a jump into a half copy */
    assert_int_not_equal(dec.action, WBOTA_BOOT_JUMP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_swap_install_half_done_never_jumps, prv_setup),
        cmocka_unit_test_setup(test_swap_installed_image_is_an_image_in_test, prv_setup),
        cmocka_unit_test_setup(test_revert_half_done_never_jumps, prv_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
