/* Staged mode on the host: flash model + record log + staged boot + OTA engine in staged mode
 * perform whole updates as a device would (app reboot request -> loader -> ST client uploads
 * into staging -> `07` verify -> reset -> install -> test boot -> wbota_confirm -> confirmed),
 * the attacks of docs/staged.md against the active app, downgrade, the unconfirmed crashing
 * image, verify once, and a power-cut sweep over every flash operation of download, install,
 * confirm and counter (before / after / torn), each cut proven fired, 0 devices without an app.
 * The st-policy sweep cuts every operation; the signed one every 16th plus the last 64
 * (WBOTA_SWEEP_STRIDE=1 makes both full, as `make sweep` does). */
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
#include "wbota/bytes.h"
#include "wbota/flash_model.h"
#include "wbota/mailbox.h"
#include "wbota/ota.h"
#include "wbota/records.h"
#include "wbota/staged.h"

#define APP_START 0x08007000u
#define IMG_CAP   (64u * 1024u)
#define SFSA      0x1Bu /* app pages 7..26: active 10 pages (7..16), staging 10 (17..26) */

typedef staged_dev_t device_t;

static device_t s_dev, s_base;
static wbota_records_t s_rec;
static wbota_ota_t s_ota;
static uint8_t s_v1[IMG_CAP], s_v2[IMG_CAP], s_img[IMG_CAP];
static size_t s_v1_len, s_v2_len;
static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static wbota_trust_t s_trust;
static wbota_policy_t s_policy;
static bool s_every_boot;
static size_t s_chunk = 244u;

static void prv_images(bool sign)
{
    s_policy = staged_dev_images(s_v1, &s_v1_len, s_v2, &s_v2_len, IMG_CAP, sign, &s_trust, s_pub);
}

static void prv_factory(device_t *d, const uint8_t *img, size_t len)
{
    staged_dev_factory(d, SFSA, img, len);
}

static wbota_err_t prv_boot(device_t *d, wbota_boot_decision_t *dec)
{
    return staged_dev_boot(d, &s_rec, s_policy, &s_trust, s_every_boot, dec);
}

static void prv_sw_reset(device_t *d, uint8_t mode, uint8_t first, uint8_t count)
{
    staged_dev_sw_reset(d, mode, first, count);
}

static void prv_power_cycle(device_t *d)
{
    staged_dev_power_cycle(d);
}

static bool prv_active_holds(const device_t *d, const uint8_t *img, size_t len)
{
    return staged_dev_active_holds(d, img, len);
}

static void prv_ota_init(device_t *d)
{
    staged_dev_ota_init(d, &s_ota, &s_rec, s_policy, &s_trust);
}

/* The loader's boot and OTA context of this file's device. */
static staged_dev_session_t prv_ses(void)
{
    return staged_dev_ses(&s_ota, &s_rec, s_policy, &s_trust, s_chunk, s_every_boot);
}

static wbota_err_t prv_session(device_t *d, const wbota_boot_decision_t *dec, const uint8_t *img,
                               size_t len, uint32_t start)
{
    staged_dev_session_t ses = prv_ses();
    return staged_dev_session(d, &ses, dec, img, len, start);
}

/* The app asks for the loader (FE11 `01 07 FF`), the loader stays. */
static void prv_request_loader(device_t *d, wbota_boot_decision_t *dec)
{
    prv_sw_reset(d, WBOTA_MODE_LOADER, 7u, 0xFFu);
    (void)prv_boot(d, dec);
}

/* Whole update without cuts: request, upload, install, test boot, confirm. */
static void prv_update(device_t *d, const uint8_t *img, size_t len)
{
    wbota_boot_decision_t dec;
    prv_request_loader(d, &dec);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    assert_int_equal(dec.reason, WBOTA_E_STAY_REQUESTED);
    assert_int_equal(prv_session(d, &dec, img, len, APP_START), WBOTA_OK);
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(prv_active_holds(d, img, len));
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLED);
    prv_sw_reset(d, WBOTA_MODE_CONFIRM, 0u, 0u); /* wbota_confirm() */
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
}

static void prv_factory_boot(device_t *d)
{
    wbota_boot_decision_t dec;
    prv_factory(d, s_v1, s_v1_len);
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(s_rec.verdict_valid); /* the first full check is recorded */
}

/* Images signed or not, and the device booted from the factory into v1. */
static void prv_start(bool sign)
{
    prv_images(sign);
    prv_factory_boot(&s_dev);
}

/* The loader's idle return (mailbox `00 07 00`) boots straight into img, the active app. */
static void prv_idle_return_runs(const uint8_t *img, size_t len)
{
    wbota_boot_decision_t dec;
    prv_sw_reset(&s_dev, WBOTA_MODE_APP, 7u, 0u);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_true(prv_active_holds(&s_dev, img, len));
}

static void test_staged_slots_from_sfsa(void **state)
{
    (void)state;
    wbota_slots_t s;
    wbota_layout_t lay = wbota_layout_default(0xCBu);
    assert_int_equal(wbota_slots_compute(&lay, &s), WBOTA_OK);
    /* {active pages, staging address, staging pages, record page}; active from page 7 */
#if WBOTA_CFG_RECORDS_AT_TOP
    /* 196 app pages, records in 201-202, half of the other 194 each: active 7..103
     * (0x08007000), staging 104..200 (0x08068000) */
    static const uint32_t want[4] = {97u, 0x08068000u, 97u, 0xC9u};
#else
    /* records in loader pages 5-6; 196 app pages, half each: active 7..104 (0x08007000),
     * staging 105..202 (0x08069000) */
    static const uint32_t want[4] = {98u, 0x08069000u, 98u, 5u};
#endif
    assert_int_equal(s.active_page, 7u);
    assert_int_equal(s.active_pages, want[0]);
    assert_int_equal(wbota_page_addr(s.staging_page), want[1]);
    assert_int_equal(s.staging_pages, want[2]);
    assert_int_equal(s.record_page, want[3]);
    lay = wbota_layout_default(8u); /* one app page: no room for two slots */
    assert_int_equal(wbota_slots_compute(&lay, &s), WBOTA_E_RANGE);
}

/* An ST client's `02 00 70 00` with 20- and 248-byte chunks lands in staging; v1 runs until
 * the switch; after install and confirm the counter is v2's. */
static void test_staged_update_st_client_redirected(void **state)
{
    (void)state;
    static const size_t chunks[] = {20u, 248u};
    wbota_boot_decision_t dec;
    prv_images(true);
    for (size_t c = 0; c < 2u; c++) {
        s_chunk = chunks[c];
        prv_factory_boot(&s_dev);
        prv_request_loader(&s_dev, &dec);
        assert_int_equal(prv_session(&s_dev, &dec, s_v2, s_v2_len, APP_START), WBOTA_OK);
        /* before the switch: v1 intact, v2 byte-exact in staging */
        assert_true(prv_active_holds(&s_dev, s_v1, s_v1_len));
        assert_memory_equal(
            &s_dev.fm.mem[wbota_page_addr(s_dev.slots.staging_page) - WBOTA_FLASH_BASE], s_v2,
            s_v2_len);
        assert_int_equal(s_rec.state, WBOTA_UPD_VERIFIED);
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
        assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
        assert_true(prv_active_holds(&s_dev, s_v2, s_v2_len));
        assert_int_equal(s_rec.counter, 0u); /* not raised at install or first boot */
        prv_sw_reset(&s_dev, WBOTA_MODE_CONFIRM, 0u, 0u);
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
        assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
        assert_int_equal(s_rec.counter, 2u);
        /* the loader pages other than the records are untouched */
        for (uint32_t i = 0; i < s_dev.slots.active_page * WBOTA_PAGE_SIZE; i++) {
            if (i / WBOTA_PAGE_SIZE == s_dev.slots.record_page ||
                i / WBOTA_PAGE_SIZE == s_dev.slots.record_page + 1u) {
                continue;
            }
            assert_int_equal(s_dev.fm.mem[i], 0xFF);
        }
    }
    s_chunk = 244u;
}

/* `01 07 FF` from a stranger, then nothing: the active app survives and boots. */
static void test_staged_reboot_request_erases_nothing_active(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_start(true);
    prv_request_loader(&s_dev, &dec);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    assert_int_equal(dec.erase.first_page, s_dev.slots.staging_page);
    assert_int_equal(dec.erase.page_count, s_dev.slots.staging_pages);
    assert_int_equal(prv_session(&s_dev, &dec, s_v2, 0u, APP_START), WBOTA_E_OTA_EMPTY);
    prv_idle_return_runs(s_v1, s_v1_len);
}

/* `01 0C 01` then an FE22 session at 0x0800C000 with 4 KB of anything: lands in staging, is
 * refused at `07`, the active app (and its page 12) is untouched. `01 CA 01` erases nothing. */
static void test_staged_attacks_do_not_touch_active(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    static uint8_t junk[4096];
    prv_images(true);
    memset(junk, 0x3C, sizeof junk);
    prv_factory_boot(&s_dev);
    uint8_t before[10u * WBOTA_PAGE_SIZE];
    memcpy(before, &s_dev.fm.mem[APP_START - WBOTA_FLASH_BASE], sizeof before);

    prv_sw_reset(&s_dev, WBOTA_MODE_LOADER, 0x0Cu, 0x01u);
    (void)prv_boot(&s_dev, &dec);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    assert_int_equal(dec.erase.first_page, s_dev.slots.staging_page + 5u);
    assert_int_equal(dec.erase.page_count, 1u);
    assert_int_equal(prv_session(&s_dev, &dec, junk, sizeof junk, 0x0800C000u), WBOTA_E_RANGE);
    assert_memory_equal(&s_dev.fm.mem[APP_START - WBOTA_FLASH_BASE], before, sizeof before);

    /* a wireless session aimed at the active slot is refused at FE22 */
    wbota_ota_out_t out;
    const uint8_t wl[4] = {0x01, 0x00, 0x80, 0x00};
    prv_ota_init(&s_dev);
    wbota_ota_on_base_write(&s_ota, wl, sizeof wl, &out);
    assert_int_equal(out.status, WBOTA_E_RANGE);

    prv_sw_reset(&s_dev, WBOTA_MODE_LOADER, 0x1Au, 0x01u); /* the last app page */
    (void)prv_boot(&s_dev, &dec);
    assert_true(dec.erase.page_count == 0u || dec.erase.first_page >= s_dev.slots.staging_page);
    prv_sw_reset(&s_dev, WBOTA_MODE_APP, 7u, 0u);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_memory_equal(&s_dev.fm.mem[APP_START - WBOTA_FLASH_BASE], before, sizeof before);
}

/* An older image signed with the right key: E_DOWNGRADE at `07`, v2 keeps running. */
static void test_staged_downgrade_refused(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_start(true);
    prv_update(&s_dev, s_v2, s_v2_len);
    assert_int_equal(s_rec.counter, 2u);
    prv_request_loader(&s_dev, &dec);
    assert_int_equal(prv_session(&s_dev, &dec, s_v1, s_v1_len, APP_START), WBOTA_E_DOWNGRADE);
    assert_int_equal(wbota_err_to_wire(WBOTA_E_DOWNGRADE),
                     0xA4); /* docs/reason-codes.md: 0x80 | 36 */
    prv_idle_return_runs(s_v2, s_v2_len);
}

/* An installed image that never confirms: WBOTA_CFG_TEST_BOOTS (3) boots, then the loader
 * stays with E_NOT_CONFIRMED at every further reset (no boot loop), reason recorded. */
static void test_staged_unconfirmed_image_leaves_loader_reachable(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_start(true);
    prv_request_loader(&s_dev, &dec);
    assert_int_equal(prv_session(&s_dev, &dec, s_v2, s_v2_len, APP_START), WBOTA_OK);
    for (uint32_t i = 0; i < 3u; i++) {
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
        assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
        prv_power_cycle(&s_dev); /* the app crashes / the watchdog resets it */
    }
    for (uint32_t i = 0; i < 3u; i++) {
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_E_NOT_CONFIRMED);
        assert_int_equal(dec.action, WBOTA_BOOT_STAY);
        assert_int_equal(dec.reason, WBOTA_E_NOT_CONFIRMED);
        assert_true(dec.erase.page_count == 0u || dec.erase.first_page >= s_dev.slots.staging_page);
        prv_power_cycle(&s_dev);
    }
    assert_int_equal(s_rec.gave_up_reason, WBOTA_E_NOT_CONFIRMED);
    assert_int_equal(s_rec.counter, 0u);
    /* a fixed image can still be uploaded */
    prv_request_loader(&s_dev, &dec);
    assert_int_equal(prv_session(&s_dev, &dec, s_v2, s_v2_len, APP_START), WBOTA_OK);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
}

/* Every used vector must point into the hashed image (a handler past it ran unsigned code). */
static void test_staged_vector_outside_image_refused(void **state)
{
    (void)state;
    wbota_slots_t slots;
    wbota_layout_t lay = wbota_layout_default(SFSA);
    wbota_rec_image_t id;
    wbota_buf_mem_t holder;
    test_image_params_t p = test_image_defaults();
    assert_int_equal(wbota_slots_compute(&lay, &slots), WBOTA_OK);
    p.with_manifest = false;
    p.body_len = 2048u;
    size_t n = test_image_build(&p, s_img, IMG_CAP, NULL, NULL);
    assert_true(n > 0u);
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, APP_START, s_img, (uint32_t)n);
    assert_int_equal(wbota_staged_verify(&mem, &lay, &slots, WBOTA_POLICY_ST, NULL, 0u, NULL, &id),
                     WBOTA_OK);
    wbota_put_le32(&s_img[15u * 4u], (APP_START + (uint32_t)n + 0x100u) | 1u); /* SysTick */
    assert_int_equal(wbota_staged_verify(&mem, &lay, &slots, WBOTA_POLICY_ST, NULL, 0u, NULL, &id),
                     WBOTA_E_VT_VECTOR);
    wbota_put_le32(&s_img[15u * 4u], APP_START + 0x200u); /* inside but not Thumb */
    assert_int_equal(wbota_staged_verify(&mem, &lay, &slots, WBOTA_POLICY_ST, NULL, 0u, NULL, &id),
                     WBOTA_E_VT_VECTOR);
    wbota_put_le32(&s_img[15u * 4u], 0u); /* unused */
    assert_int_equal(wbota_staged_verify(&mem, &lay, &slots, WBOTA_POLICY_ST, NULL, 0u, NULL, &id),
                     WBOTA_OK);
    /* larger than the active slot: refused even though the app region holds it */
    p.body_len = (slots.active_pages + 1u) * WBOTA_PAGE_SIZE;
    n = test_image_build(&p, s_img, IMG_CAP, NULL, NULL);
    assert_true(n > 0u);
    mem = wbota_mem_from_buffer(&holder, APP_START, s_img, (uint32_t)n);
    assert_int_equal(wbota_staged_verify(&mem, &lay, &slots, WBOTA_POLICY_ST, NULL, 0u, NULL, &id),
                     WBOTA_E_SIZE);
}

/* Verify once: a normal boot checks the binding only, so a byte changed behind the loader's
 * back (a debugger, code running on CPU1: outside the threat model) is not seen; with
 * verify-every-boot it is. A loader write into the active slot voids the verdict. */
static void test_staged_verify_once_and_every_boot(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    prv_start(true);
    prv_update(&s_dev, s_v2, s_v2_len);
    uint32_t ops = s_dev.fm.op_count;
    s_dev.fm.mem[APP_START - WBOTA_FLASH_BASE + 0x400u] ^= 0x01u;
    prv_power_cycle(&s_dev);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_dev.fm.op_count, ops); /* a normal boot writes nothing */
    s_every_boot = true;
    prv_power_cycle(&s_dev);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_E_HASH);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    s_every_boot = false;
    /* an install voids the verdict until INSTALLED */
    s_dev.fm.mem[APP_START - WBOTA_FLASH_BASE + 0x400u] ^= 0x01u;
    prv_request_loader(&s_dev, &dec);
    uint8_t v3[IMG_CAP];
    size_t v3_len = staged_dev_image(v3, IMG_CAP, 5000u, 33u, 3u, 3u, true);
    assert_int_equal(prv_session(&s_dev, &dec, v3, v3_len, APP_START), WBOTA_OK);
    wbota_rec_image_t old = s_rec.verdict;
    assert_int_equal(wbota_rec_install_begin(&s_rec, &s_rec.image, 2u, s_dev.slots.staging_page,
                                             s_dev.slots.active_page),
                     WBOTA_OK);
    assert_false(s_rec.verdict_valid);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK); /* resumes the install */
    assert_true(s_rec.verdict_valid);
    assert_false(wbota_rec_image_equal(&old, &s_rec.verdict));
    assert_true(prv_active_holds(&s_dev, v3, v3_len));
}

/* Plain ST image, st policy: boots as before and the boot writes no record. */
static void test_staged_plain_st_image_unchanged(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    test_image_params_t p = test_image_defaults();
    p.with_manifest = false;
    size_t n = test_image_build(&p, s_img, IMG_CAP, NULL, NULL);
    s_policy = WBOTA_POLICY_ST;
    prv_factory(&s_dev, s_img, n);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_dev.fm.op_count, 0u);
}

/* A plain ST image (no manifest, st policy) through the staged loader: installed and taken as
 * confirmed at once (it cannot call wbota_confirm), so it never hits the test-boot limit. */
static void test_staged_plain_st_image_update_needs_no_confirm(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    test_image_params_t p = test_image_defaults();
    static uint8_t plain2[IMG_CAP];
    p.with_manifest = false;
    size_t n1 = test_image_build(&p, s_img, IMG_CAP, NULL, NULL);
    p.seed = 77u;
    p.body_len = 5000u;
    size_t n2 = test_image_build(&p, plain2, IMG_CAP, NULL, NULL);
    s_policy = WBOTA_POLICY_ST;
    prv_factory(&s_dev, s_img, n1);
    assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
    prv_request_loader(&s_dev, &dec);
    assert_int_equal(prv_session(&s_dev, &dec, plain2, n2, APP_START), WBOTA_OK);
    for (uint32_t i = 0; i < 6u; i++) {
        assert_int_equal(prv_boot(&s_dev, &dec), WBOTA_OK);
        assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
        prv_power_cycle(&s_dev);
    }
    assert_int_equal(s_rec.state, WBOTA_UPD_CONFIRMED);
    assert_true(prv_active_holds(&s_dev, plain2, n2));
}

/* ---- the power-cut sweep ---- */

/* One full update from s_base; returns false when the armed cut fired. */
static bool prv_update_until_cut(device_t *d)
{
    staged_dev_session_t ses = prv_ses();
    return staged_dev_update_until_cut(d, &ses, s_v2, s_v2_len);
}

/* After the cut: power on; the device must run v1 or v2 (byte-exact) at once, never stay. */
static staged_dev_outcome_t prv_after_cut(device_t *d)
{
    staged_dev_session_t ses = prv_ses();
    return staged_dev_after_cut(d, &ses, s_v1, s_v1_len, s_v2, s_v2_len);
}

/* After a cut in the update: confirm v2 in test, or update v1 again; the end is v2 with
 * counter 2. */
static void prv_finish(device_t *d, staged_dev_outcome_t o)
{
    staged_dev_session_t ses = prv_ses();
    if (o == STAGED_DEV_V1) {
        prv_update(d, s_v2, s_v2_len);
    }
    staged_dev_confirm_v2(d, &ses, o, s_v2, s_v2_len);
}

static void prv_sweep(bool sign, uint32_t stride)
{
    staged_dev_sweep_result_t res;
    const staged_dev_sweep_t sw = {sign ? "staged sweep (signed)" : "staged sweep (st)",
                                   prv_update_until_cut,
                                   prv_after_cut,
                                   prv_finish,
                                   stride,
                                   0x4000u};
    prv_images(sign);
    prv_factory_boot(&s_base);
    s_base.reset_flags = 0u;
    s_dev = s_base;
    assert_true(prv_update_until_cut(&s_dev));
    assert_int_equal(s_rec.counter, 2u);
    staged_dev_sweep(&s_dev, &s_base, &sw, &res);
    assert_true(res.outcomes[0][STAGED_DEV_V1] > 0u);
    assert_true(res.outcomes[1][STAGED_DEV_V2] > 0u);
}

static void test_staged_power_cut_sweep(void **state)
{
    (void)state;
    prv_sweep(false, staged_dev_sweep_stride(1u));
}

/* The same with signed images (ECDSA at every full check): sampled unless a stride is set. */
static void test_staged_power_cut_sweep_signed(void **state)
{
    (void)state;
    prv_sweep(true, staged_dev_sweep_stride(16u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_staged_slots_from_sfsa),
        cmocka_unit_test(test_staged_update_st_client_redirected),
        cmocka_unit_test(test_staged_reboot_request_erases_nothing_active),
        cmocka_unit_test(test_staged_attacks_do_not_touch_active),
        cmocka_unit_test(test_staged_downgrade_refused),
        cmocka_unit_test(test_staged_unconfirmed_image_leaves_loader_reachable),
        cmocka_unit_test(test_staged_vector_outside_image_refused),
        cmocka_unit_test(test_staged_verify_once_and_every_boot),
        cmocka_unit_test(test_staged_plain_st_image_unchanged),
        cmocka_unit_test(test_staged_plain_st_image_update_needs_no_confirm),
        cmocka_unit_test(test_staged_power_cut_sweep),
        cmocka_unit_test(test_staged_power_cut_sweep_signed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
