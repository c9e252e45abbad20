/* The swap install strategy on the host (docs/staged.md#swap): slots with a scratch page, the
 * SWAP/REVERT records against the flash model, a whole update through the staged boot with
 * swap slots (old app kept in staging, confirm raises the counter), the revert of an image
 * that never confirms (the app's report: why and which version), the upload refused while an
 * image is in test, and power-cut sweeps over every flash operation (before / after / torn)
 * of download + swap + first boot + confirm, and of a revert: each cut proven fired, 0 devices
 * without an app, never a jump into a half-swapped image. Sampled (every WBOTA_SWAP_STRIDE-th
 * operation, default 7, plus the last 64 of each run); WBOTA_SWEEP_STRIDE=1 makes them full
 * (`make sweep`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "staged_device.h"
#include "test_image.h"
#include "wbota/boot.h"
#include "wbota/flash_model.h"
#include "wbota/mailbox.h"
#include "wbota/ota.h"
#include "wbota/records.h"
#include "wbota/staged.h"

#define APP_START STAGED_DEV_APP_START
#define IMG_CAP   (64u * 1024u)
/* app pages 7..27 = 21; records at the top (26-27): scratch 25, active 9 + staging 9 pages */
#define SFSA 0x1Cu

static staged_dev_t s_dev, s_base;
static wbota_records_t s_rec;
static wbota_ota_t s_ota;
static uint8_t s_v1[IMG_CAP], s_v2[IMG_CAP];
static size_t s_v1_len, s_v2_len;
static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static wbota_trust_t s_trust;
static wbota_policy_t s_policy;
static size_t s_chunk = 244u;

/* v1: one page (counter 1); v2: two pages (counter 2, version 2.0.0), so the swap exchanges 2
 * pages and the revert must bring v1's page back over v2's. */
static void prv_images(bool sign)
{
    s_policy = staged_dev_images(s_v1, &s_v1_len, s_v2, &s_v2_len, IMG_CAP, sign, &s_trust, s_pub);
}

static void prv_factory(staged_dev_t *d)
{
    wbota_fm_init(&d->fm, SFSA);
    memcpy(&d->fm.mem[APP_START - WBOTA_FLASH_BASE], s_v1, s_v1_len);
    memset(d->mailbox, 0, sizeof d->mailbox);
    d->reset_flags = WBOTA_RESET_POWER;
    d->layout = wbota_layout_default(SFSA);
    assert_int_equal(wbota_slots_compute_for(&d->layout, true, &d->slots), WBOTA_OK);
}

static wbota_err_t prv_boot(staged_dev_t *d, wbota_boot_decision_t *dec)
{
    return staged_dev_boot(d, &s_rec, s_policy, &s_trust, false, dec);
}

/* The loader's boot and OTA context of this file's device. */
static staged_dev_session_t prv_ses(void)
{
    return staged_dev_ses(&s_ota, &s_rec, s_policy, &s_trust, s_chunk, false);
}

static wbota_err_t prv_session(staged_dev_t *d, const wbota_boot_decision_t *dec,
                               const uint8_t *img, size_t len)
{
    staged_dev_session_t ses = prv_ses();
    return staged_dev_session(d, &ses, dec, img, len, APP_START);
}

static const uint8_t *prv_staging(const staged_dev_t *d)
{
    return &d->fm.mem[wbota_page_addr(d->slots.staging_page) - WBOTA_FLASH_BASE];
}

static void prv_factory_boot(staged_dev_t *d)
{
    wbota_boot_decision_t dec;
    prv_factory(d);
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(s_rec.verdict_valid);
}

/* Request, upload v2, the boot that swaps it in (first test boot). */
static void prv_install_v2(staged_dev_t *d)
{
    wbota_boot_decision_t dec;
    staged_dev_sw_reset(d, WBOTA_MODE_LOADER, 7u, 0xFFu);
    (void)prv_boot(d, &dec);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    assert_int_equal(prv_session(d, &dec, s_v2, s_v2_len), WBOTA_OK);
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(staged_dev_active_holds(d, s_v2, s_v2_len));
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLED);
}

static void test_swap_slots_keep_a_scratch_page(void **state)
{
    (void)state;
    wbota_slots_t s, o;
    wbota_layout_t lay = wbota_layout_default(0xCBu);
    assert_int_equal(wbota_slots_compute_for(&lay, true, &s), WBOTA_OK);
    assert_int_equal(wbota_slots_compute_for(&lay, false, &o), WBOTA_OK);
    /* {active pages, staging page, staging pages, scratch page, record page} */
#if WBOTA_CFG_RECORDS_AT_TOP
    /* 196 app pages, records 201-202, scratch 200 directly below them, 193 pages split: active
     * 7..102 (96), staging 103..199 (97) */
    static const uint32_t want[5] = {96u, 103u, 97u, 200u, 201u};
#else
    /* records in the loader; 196 app pages, scratch 202, 195 split: 97 + 98 */
    static const uint32_t want[5] = {97u, 104u, 98u, 202u, 5u};
#endif
    assert_int_equal(s.active_pages, want[0]);
    assert_int_equal(s.staging_page, want[1]);
    assert_int_equal(s.staging_pages, want[2]);
    assert_int_equal(s.scratch_page, want[3]);
    assert_int_equal(s.record_page, want[4]);
    assert_int_equal(o.scratch_page, 0u); /* overwrite: no scratch page */
    assert_int_equal(s.record_page, o.record_page);
    assert_int_equal(s.active_page, 7u);
    lay = wbota_layout_default(9u); /* two app pages: no room for two slots and a scratch */
    assert_int_equal(wbota_slots_compute_for(&lay, true, &s), WBOTA_E_RANGE);
}

/* The new records written and read back against the flash model: a swap's 3 progress double
 * words per page, INSTALLED carrying the swapped pages, REVERT / REVERTED with why and the
 * version left, all surviving a reopen and a compaction. */
static void test_swap_records_round_trip(void **state)
{
    (void)state;
    wbota_records_t r, back;
    wbota_rec_image_t img;
    wbota_flash_model_t *fm = &s_dev.fm;
    wbota_fm_init(fm, SFSA);
    const wbota_ota_flash_t port = wbota_fm_ota_port(fm);
    memset(&img, 0x5A, sizeof img);
    img.sec_counter = 7u;

    assert_int_equal(wbota_rec_open(&r, &port, 26u), WBOTA_OK);
    assert_int_equal(wbota_rec_verified(&r, &img), WBOTA_OK);
    assert_int_equal(wbota_rec_swap_begin(&r, &img, 4u, 17u, 7u, 27u), WBOTA_OK);
    assert_true(r.install_swap);
    assert_int_equal(r.install_steps, 12u);
    for (uint32_t j = 0; j < 5u; j++) {
        assert_int_equal(wbota_rec_install_mark(&r, j), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_open(&back, &port, 26u), WBOTA_OK);
    assert_int_equal(back.state, WBOTA_UPD_INSTALLING);
    assert_true(back.install_swap);
    assert_int_equal(back.install_scratch, 27u);
    assert_true(wbota_rec_install_page_done(&back, 4u));
    assert_false(wbota_rec_install_page_done(&back, 5u));
    assert_false(wbota_rec_install_page_done(&back, 11u));
    /* a compaction in the middle of the swap keeps the strategy, the scratch page, the marks */
    uint32_t gen = r.gen;
    while (r.gen == gen) {
        assert_int_equal(wbota_rec_boot(&r), WBOTA_OK); /* no state change while installing */
    }
    assert_int_equal(wbota_rec_open(&back, &port, 26u), WBOTA_OK);
    assert_int_equal(back.state, WBOTA_UPD_INSTALLING);
    assert_true(back.install_swap);
    assert_int_equal(back.install_steps, 12u);
    assert_int_equal(back.install_scratch, 27u);
    assert_true(wbota_rec_install_page_done(&back, 4u));
    assert_false(wbota_rec_install_page_done(&back, 5u));
    /* the revert needs INSTALLED from a swap first */
    assert_int_equal(wbota_rec_revert_begin(&r, WBOTA_E_NOT_CONFIRMED, 0x02000000u, 17u, 7u, 27u),
                     WBOTA_E_ARG);
    for (uint32_t j = 5u; j < 12u; j++) {
        assert_int_equal(wbota_rec_install_mark(&r, j), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_installed(&r), WBOTA_OK);
    assert_int_equal(wbota_rec_open(&back, &port, 26u), WBOTA_OK);
    assert_int_equal(back.state, WBOTA_UPD_INSTALLED);
    assert_int_equal(back.swap_pages, 4u);
    assert_int_equal(wbota_rec_revert_begin(&r, WBOTA_E_NOT_CONFIRMED,
                                            wbota_rec_version_pack(2u, 1u, 3u), 17u, 7u, 27u),
                     WBOTA_OK);
    assert_int_equal(r.state, WBOTA_UPD_REVERTING);
    assert_false(r.verdict_valid); /* the active slot is being rewritten */
    assert_int_equal(wbota_rec_install_mark(&r, 0u), WBOTA_OK);
    gen = r.gen;
    while (r.gen == gen) {
        assert_int_equal(wbota_rec_boot(&r), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_open(&back, &port, 26u), WBOTA_OK);
    assert_int_equal(back.state, WBOTA_UPD_REVERTING);
    assert_int_equal(back.install_pages, 4u);
    assert_int_equal(back.install_src, 17u);
    assert_int_equal(back.install_scratch, 27u);
    assert_int_equal(back.revert_reason, WBOTA_E_NOT_CONFIRMED);
    assert_true(wbota_rec_install_page_done(&back, 0u));
    assert_false(wbota_rec_install_page_done(&back, 1u));
    for (uint32_t j = 0; j < 12u; j++) {
        assert_int_equal(wbota_rec_install_mark(&r, j), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_reverted(&r), WBOTA_OK);
    assert_int_equal(wbota_rec_open(&back, &port, 26u), WBOTA_OK);
    assert_int_equal(back.state, WBOTA_UPD_REVERTED);
    assert_int_equal(back.revert_reason, WBOTA_E_NOT_CONFIRMED);
    assert_int_equal(back.revert_from_counter, 7u);
    assert_int_equal(back.revert_from_version, 0x02010003u);
    assert_int_equal(back.swap_pages, 0u);
    /* a download after the revert keeps the report through compactions */
    assert_int_equal(wbota_rec_download(&r), WBOTA_OK);
    gen = r.gen;
    while (r.gen == gen) {
        assert_int_equal(wbota_rec_boot(&r), WBOTA_OK);
    }
    assert_int_equal(wbota_rec_open(&back, &port, 26u), WBOTA_OK);
    assert_int_equal(back.state, WBOTA_UPD_DOWNLOAD);
    assert_int_equal(back.revert_reason, WBOTA_E_NOT_CONFIRMED);
    assert_int_equal(back.revert_from_version, 0x02010003u);
    /* the next install starts a new history */
    assert_int_equal(wbota_rec_verified(&r, &img), WBOTA_OK);
    assert_int_equal(wbota_rec_swap_begin(&r, &img, 1u, 17u, 7u, 27u), WBOTA_OK);
    assert_int_equal(r.revert_reason, WBOTA_OK);
    /* a torn progress double word: not done, the zero overwrite marks it (flash rules) */
    uint32_t addr = wbota_page_addr(26u + r.cur) + r.progress_dw * WBOTA_DW_SIZE;
    const uint8_t torn[8] = {0x12, 0x34, 0, 0, 0, 0, 0, 0};
    assert_int_equal(wbota_fm_program_dw(fm, addr, torn), WBOTA_OK);
    assert_false(wbota_rec_install_page_done(&r, 0u));
    assert_int_equal(wbota_rec_install_mark(&r, 0u), WBOTA_OK);
    assert_true(wbota_rec_install_page_done(&r, 0u));
    assert_int_equal(fm->sr, 0u);
    /* an INSTALL of the overwrite strategy has no scratch and one progress word per page */
    assert_int_equal(wbota_rec_swap_begin(&r, &img, 1u, 17u, 7u, 0u), WBOTA_E_ARG);
}

/* Swap, test boot, confirm with ST client writes of chunk bytes: v2 runs, v1 sits in staging
 * until the confirm, the counter is raised at the confirm only. */
static void prv_update_then_confirm(size_t chunk)
{
    wbota_boot_decision_t dec;
    s_chunk = chunk;
    prv_factory_boot(&s_dev);
    prv_install_v2(&s_dev);
    assert_memory_equal(prv_staging(&s_dev), s_v1, s_v1_len); /* the old app is kept */
    assert_int_equal(s_rec.swap_pages, 2u);
    assert_int_equal(s_rec.counter, 0u);
    staged_dev_sw_reset(&s_dev, WBOTA_MODE_CONFIRM, 0u, 0u);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
    assert_int_equal(s_rec.counter, 2u);
    assert_int_equal(s_rec.swap_pages, 0u);
    for (uint32_t i = 0; i < 5u; i++) { /* confirmed: no revert, whatever happens */
        staged_dev_power_cycle(&s_dev);
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
        assert_true(staged_dev_active_holds(&s_dev, s_v2, s_v2_len));
    }
    s_chunk = 244u;
}

/* The same with ST client chunks of 20 and 248 bytes. */
static void test_swap_update_then_confirm(void **state)
{
    (void)state;
    prv_images(true);
    prv_update_then_confirm(20u);
    prv_update_then_confirm(248u);
}

/* An image that never confirms: 3 test boots, the 4th boot swaps v1 back and boots it; the
 * records say why and from which image; a reboot request in test erases no staging page and
 * an upload in test is refused with E_IN_TEST. */
static void test_swap_unconfirmed_image_is_reverted(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_images(true);
    prv_factory_boot(&s_dev);
    prv_install_v2(&s_dev); /* boot 1 */
    /* the app in test asks for the loader: staging (v1) is not erased, uploads are refused */
    staged_dev_sw_reset(&s_dev, WBOTA_MODE_LOADER, 7u, 0xFFu);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    assert_int_equal(dec.erase.page_count, 0u);
    assert_int_equal(prv_session(&s_dev, &dec, s_v2, s_v2_len), WBOTA_E_IN_TEST);
    assert_memory_equal(prv_staging(&s_dev), s_v1, s_v1_len);
    for (uint32_t i = 1; i < 3u; i++) { /* boots 2 and 3 */
        staged_dev_power_cycle(&s_dev);
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
        assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
        assert_true(staged_dev_active_holds(&s_dev, s_v2, s_v2_len));
    }
    assert_int_equal(s_rec.test_boots, 3u);
    staged_dev_power_cycle(&s_dev); /* the 4th boot without a confirm */
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(staged_dev_active_holds(&s_dev, s_v1, s_v1_len));
    assert_memory_equal(prv_staging(&s_dev), s_v2, s_v2_len);
    assert_int_equal(s_rec.state, WBOTA_UPD_REVERTED);
    assert_int_equal(s_rec.revert_reason, WBOTA_E_NOT_CONFIRMED);
    assert_int_equal(s_rec.revert_from_counter, 2u);
    assert_int_equal(s_rec.revert_from_version, wbota_rec_version_pack(2u, 0u, 0u));
    assert_true(s_rec.verdict_valid); /* v1 fully checked again, then the cheap check */
    assert_int_equal(s_rec.counter, 0u);
    uint32_t ops = s_dev.fm.op_count;
    staged_dev_power_cycle(&s_dev);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_true(staged_dev_active_holds(&s_dev, s_v1, s_v1_len));
    assert_int_equal(s_dev.fm.op_count, ops); /* a normal boot writes nothing */
    /* a new upload after the revert works and keeps going through test/confirm */
    prv_install_v2(&s_dev);
    assert_int_equal(s_rec.revert_reason, WBOTA_OK);
    staged_dev_sw_reset(&s_dev, WBOTA_MODE_CONFIRM, 0u, 0u);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
}

/* The image in test fails the loader's check (verify every boot, a byte changed behind the
 * loader's back): swapped back at once, the reason is the code the loader saw. */
static void test_swap_failed_check_is_reverted_with_its_code(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_images(true);
    prv_factory_boot(&s_dev);
    prv_install_v2(&s_dev);
    s_dev.fm.mem[APP_START - WBOTA_FLASH_BASE + 0x400u] ^= 0x01u;
    staged_dev_power_cycle(&s_dev);
    assert_int_equal(staged_dev_boot(&s_dev, &s_rec, s_policy, &s_trust, true, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(staged_dev_active_holds(&s_dev, s_v1, s_v1_len));
    assert_int_equal(s_rec.state, WBOTA_UPD_REVERTED);
    assert_int_equal(s_rec.revert_reason, WBOTA_E_HASH);
    assert_int_equal(s_rec.revert_from_counter, 2u);
}

/* ---- power-cut sweeps ---- */

static staged_dev_sweep_result_t s_sweep;

/* Update from s_base: request, upload, swap + first test boot, confirm. False when cut. */
static bool prv_update_until_cut(staged_dev_t *d)
{
    staged_dev_session_t ses = prv_ses();
    return staged_dev_update_until_cut(d, &ses, s_v2, s_v2_len);
}

/* The boot that reverts (from s_base: v2 in test after 3 boots), then one more boot. */
static bool prv_revert_until_cut(staged_dev_t *d)
{
    wbota_boot_decision_t dec;
    for (uint32_t i = 0; i < 2u; i++) {
        d->reset_flags = WBOTA_RESET_POWER; /* a reset; the armed cut stays armed */
        memset(d->mailbox, 0xA5, sizeof d->mailbox);
        (void)prv_boot(d, &dec);
        if (!d->fm.powered) {
            return false;
        }
    }
    return true;
}

/* After the cut: power on; the device must jump at once into v1 or v2, byte-exact (the
 * active slot whole: never a half-swapped image). */
static staged_dev_outcome_t prv_after_cut(staged_dev_t *d)
{
    staged_dev_session_t ses = prv_ses();
    return staged_dev_after_cut(d, &ses, s_v1, s_v1_len, s_v2, s_v2_len);
}

/* Cuts operation i of run (from s_base) for every sampled i and kind; finish checks the end. */
static void prv_sweep(const char *title, bool (*run)(staged_dev_t *d),
                      void (*finish)(staged_dev_t *d, staged_dev_outcome_t o), uint32_t stride)
{
    const staged_dev_sweep_t sw = {title, run, prv_after_cut, finish, stride, 0x5000u};
    staged_dev_sweep(&s_dev, &s_base, &sw, &s_sweep);
}

/* After a cut in the update: confirm v2 in test, or update v1 again; the end is v2 confirmed
 * with counter 2 and v1 no longer needed. */
static void prv_finish_update(staged_dev_t *d, staged_dev_outcome_t o)
{
    staged_dev_session_t ses = prv_ses();
    if (o == STAGED_DEV_V1) {
        assert_true(prv_update_until_cut(d));
    }
    staged_dev_confirm_v2(d, &ses, o, s_v2, s_v2_len);
}

/* After a cut in the revert: v1 runs (the revert resumed) with the report, v2 in staging. */
static void prv_finish_revert(staged_dev_t *d, staged_dev_outcome_t o)
{
    wbota_boot_decision_t dec;
    assert_int_equal(o, STAGED_DEV_V1);
    staged_dev_power_cycle(d);
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_rec.state, WBOTA_UPD_REVERTED);
    assert_int_equal(s_rec.revert_reason, WBOTA_E_NOT_CONFIRMED);
    assert_int_equal(s_rec.revert_from_counter, 2u);
    assert_true(staged_dev_active_holds(d, s_v1, s_v1_len));
    assert_memory_equal(prv_staging(d), s_v2, s_v2_len);
}

static void test_swap_power_cut_sweep_update_confirm(void **state)
{
    (void)state;
    prv_images(false);
    prv_factory_boot(&s_base);
    s_base.reset_flags = 0u;
    prv_sweep("swap sweep (download + swap + first boot + confirm)", prv_update_until_cut,
              prv_finish_update, staged_dev_sweep_stride(7u));
    assert_true(s_sweep.outcomes[0][STAGED_DEV_V1] > 0u);
    assert_true(s_sweep.outcomes[1][STAGED_DEV_V2] > 0u);
}

static void test_swap_power_cut_sweep_revert(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_images(false);
    prv_factory_boot(&s_base);
    prv_install_v2(&s_base);
    for (uint32_t i = 1; i < WBOTA_CFG_TEST_BOOTS; i++) {
        staged_dev_power_cycle(&s_base);
        assert_int_equal(prv_boot(&s_base, &dec), WBOTA_OK);
    }
    assert_int_equal(s_rec.test_boots, WBOTA_CFG_TEST_BOOTS);
    prv_sweep("swap sweep (revert)", prv_revert_until_cut, prv_finish_revert,
              staged_dev_sweep_stride(7u));
    assert_true(s_sweep.outcomes[2][STAGED_DEV_V1] > 0u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swap_slots_keep_a_scratch_page),
        cmocka_unit_test(test_swap_records_round_trip),
        cmocka_unit_test(test_swap_update_then_confirm),
        cmocka_unit_test(test_swap_unconfirmed_image_is_reverted),
        cmocka_unit_test(test_swap_failed_check_is_reverted_with_its_code),
        cmocka_unit_test(test_swap_power_cut_sweep_update_confirm),
        cmocka_unit_test(test_swap_power_cut_sweep_revert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
