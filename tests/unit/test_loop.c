/* The host loop: flash model + boot decision + mailbox erase plan + OTA engine perform a whole
 * ST-style update (app reboot request {01,07,FF} -> loader erases -> ST client uploads v2 in
 * MTU-247 chunks -> `07` -> indication confirmed -> mailbox {00} -> reset -> jump to v2), and a
 * power-cut sweep over every flash operation of that update, for each cut kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image.h"
#include "wbota/boot.h"
#include "wbota/flash_model.h"
#include "wbota/mailbox.h"
#include "wbota/ota.h"

#define APP_START  0x08007000u
#define CHUNK      244u /* ATT MTU 247 - 3: what ST clients send */
#define IMG_CAP    (16u * 1024u)
#define SWEEP_SFSA 0x20u /* small app region: same rules, fewer erases per cut */

typedef enum { OUT_JUMP_V1, OUT_JUMP_V2, OUT_STAY } outcome_t;

/* One emulated device: flash, the SRAM1 mailbox bytes, the RCC_CSR reset flags. */
typedef struct {
    wbota_flash_model_t fm;
    uint8_t mailbox[WBOTA_MAILBOX_LEN];
    uint32_t reset_flags;
    wbota_layout_t layout;
} device_t;

static device_t s_dev;
static device_t s_baseline;
static uint8_t s_v1[IMG_CAP], s_v2[IMG_CAP];
static size_t s_v1_len, s_v2_len;
static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static wbota_trust_t s_trust;
static wbota_ota_t s_ota;
static wbota_policy_t s_policy;

/* signed: SIGNED policy and signed images; otherwise ST policy, manifest with hash only (the
 * sweep uses that: thousands of boots, and the signature adds nothing to power-cut safety) */
static void prv_build_images(bool sign)
{
    test_image_params_t p = test_image_defaults();
    p.body_len = 3000u;
    p.seed = 11u;
    p.version.major = 1u;
    p.sign = sign;
    s_policy = sign ? WBOTA_POLICY_SIGNED : WBOTA_POLICY_ST;
    s_v1_len = test_image_build(&p, s_v1, sizeof s_v1, NULL, NULL);
    p.body_len = 4500u; /* crosses into page 8 */
    p.seed = 22u;
    p.version.major = 2u;
    p.sec_counter = 2u;
    s_v2_len = test_image_build(&p, s_v2, sizeof s_v2, NULL, NULL);
    assert_true(s_v1_len > 0u && s_v2_len > 0u);
    test_image_pubkey(s_pub);
    s_trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])s_pub;
    s_trust.n_keys = 1;
    s_trust.min_sec_counter = 0;
}

/* Factory state: v1 programmed (as by a production programmer), power-on reset. */
static void prv_factory(device_t *d, uint32_t sfsa)
{
    wbota_fm_init(&d->fm, sfsa);
    memcpy(&d->fm.mem[APP_START - WBOTA_FLASH_BASE], s_v1, s_v1_len);
    memset(d->mailbox, 0, sizeof d->mailbox);
    d->reset_flags = WBOTA_RESET_POWER;
    d->layout = wbota_layout_default(sfsa);
}

/* The loader's first act: verify the app and decide. */
static void prv_boot(device_t *d, wbota_boot_decision_t *dec, wbota_image_info_t *info)
{
    wbota_boot_input_t in;
    wbota_mem_t mem = wbota_fm_mem(&d->fm);
    memset(&in, 0, sizeof in);
    in.reset_flags = d->reset_flags;
    memcpy(in.mailbox, d->mailbox, sizeof in.mailbox);
    in.app_status = wbota_image_verify(&mem, &d->layout, s_policy, &s_trust, NULL, info);
    in.app_start = wbota_app_start(&d->layout);
    in.layout = d->layout;
    wbota_boot_decide(&in, dec);
    memcpy(d->mailbox, dec->mailbox_out, sizeof d->mailbox);
}

static void prv_software_reset(device_t *d)
{
    d->reset_flags |= WBOTA_RESET_SOFTWARE; /* flags accumulate until power-on, as on the chip */
}

static void prv_power_cycle(device_t *d)
{
    wbota_fm_power_on(&d->fm);
    d->reset_flags = WBOTA_RESET_POWER;
    memset(d->mailbox, 0xA5, sizeof d->mailbox); /* SRAM content after power-up is undefined */
}

/* Loader side of an update once the boot decision said STAY: erase plan, then the ST client
 * sequence. Returns false as soon as power is lost. */
static bool prv_loader_session(device_t *d, const wbota_boot_decision_t *dec)
{
    wbota_ota_config_t cfg;
    wbota_ota_out_t out;
    static const uint8_t start[4] = {0x02, 0x00, 0x70, 0x00};
    static const uint8_t fin[1] = {0x07};

    for (uint32_t i = 0; i < dec->erase.page_count; i++) {
        wbota_err_t err = wbota_fm_erase_page(&d->fm, dec->erase.first_page + i);
        if (err == WBOTA_E_POWER_CUT) {
            return false;
        }
        assert_int_equal(err, WBOTA_OK);
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.layout = d->layout;
    cfg.policy = s_policy;
    cfg.trust = &s_trust;
    cfg.flash = wbota_fm_ota_port(&d->fm);
    wbota_ota_init(&s_ota, &cfg);
    wbota_ota_on_base_write(&s_ota, start, sizeof start, &out);
    assert_int_equal(out.status, WBOTA_OK);
    for (size_t off = 0; off < s_v2_len; off += CHUNK) {
        size_t n = (s_v2_len - off < CHUNK) ? s_v2_len - off : CHUNK;
        wbota_ota_on_raw_write(&s_ota, &s_v2[off], n, &out);
        if (!d->fm.powered) {
            return false;
        }
        assert_int_equal(out.status, WBOTA_OK);
    }
    wbota_ota_on_base_write(&s_ota, fin, sizeof fin, &out);
    if (!d->fm.powered) {
        return false;
    }
    assert_int_equal(out.status, WBOTA_OK);
    assert_int_equal(out.fe23, 0x01);
    wbota_ota_on_indication_confirmed(&s_ota, &out);
    assert_int_equal(out.actions, WBOTA_OTA_OUT_REBOOT_APP);
    /* REBOOT_APP: the loader writes mailbox {00, ..} and resets */
    d->mailbox[0] = WBOTA_MODE_APP;
    prv_software_reset(d);
    return true;
}

/* From a running app: the FE11 reboot request `01 07 FF`, then the loader session. */
static bool prv_update_from_app(device_t *d)
{
    wbota_boot_decision_t dec;
    static const uint8_t req[3] = {0x01, 0x07, 0xFF};
    memcpy(d->mailbox, req, sizeof req);
    prv_software_reset(d);
    prv_boot(d, &dec, NULL);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    assert_int_equal(dec.reason, WBOTA_E_STAY_REQUESTED);
    assert_int_equal(dec.erase.first_page, 7u);
    assert_int_equal(dec.erase.page_count, d->layout.sfsa - 7u); /* 0xFF clipped at SFSA */
    return prv_loader_session(d, &dec);
}

static bool prv_flash_holds(const device_t *d, const uint8_t *img, size_t len)
{
    return memcmp(&d->fm.mem[APP_START - WBOTA_FLASH_BASE], img, len) == 0;
}

/* Boots and classifies. A jump is accepted only into a byte-exact v1 or v2. */
static outcome_t prv_boot_outcome(device_t *d, wbota_boot_decision_t *dec)
{
    wbota_image_info_t info;
    prv_boot(d, dec, &info);
    if (dec->action != WBOTA_BOOT_JUMP) {
        assert_int_equal(dec->action, WBOTA_BOOT_STAY);
        assert_true(dec->reason != WBOTA_OK);
        return OUT_STAY;
    }
    assert_int_equal(dec->app_start, APP_START);
    assert_true(info.has_manifest && info.hash_ok);
    assert_true(info.sig_ok || s_policy == WBOTA_POLICY_ST);
    if (info.manifest.version.major == 1u && prv_flash_holds(d, s_v1, s_v1_len)) {
        return OUT_JUMP_V1;
    }
    assert_int_equal(info.manifest.version.major, 2u);
    assert_true(prv_flash_holds(d, s_v2, s_v2_len));
    return OUT_JUMP_V2;
}

static void test_loop_st_update_boots_v2(void **state)
{
    (void)state;
    wbota_boot_decision_t dec;
    wbota_image_info_t info;

    prv_build_images(true);
    prv_factory(&s_dev, WBOTA_CFG_DEFAULT_SFSA);
    prv_boot(&s_dev, &dec, &info);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(dec.app_start, APP_START);
    assert_int_equal(info.manifest.version.major, 1u);

    uint32_t ops0 = s_dev.fm.op_count;
    assert_true(prv_update_from_app(&s_dev));
    assert_int_equal(s_dev.mailbox[0], 0x00);
    /* erase plan (pages 7..SFSA-1) + one program per double word of v2; no other operation */
    uint32_t dws = (uint32_t)((s_v2_len + 7u) / 8u);
    assert_int_equal(s_dev.fm.op_count - ops0, (WBOTA_CFG_DEFAULT_SFSA - 7u) + dws);

    prv_boot(&s_dev, &dec, &info);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(dec.reason, WBOTA_OK);
    assert_true(info.has_manifest);
    assert_int_equal(info.manifest.version.major, 2u);
    assert_true(info.sig_ok);
    assert_true(prv_flash_holds(&s_dev, s_v2, s_v2_len));
    /* the loader page content never changed */
    for (uint32_t i = 0; i < 7u * WBOTA_PAGE_SIZE; i++) {
        assert_int_equal(s_dev.fm.mem[i], 0xFF);
    }
}

static void test_loop_power_cut_sweep_every_op_recovers(void **state)
{
    (void)state;
    static const wbota_cut_kind_t kinds[] = {WBOTA_CUT_BEFORE, WBOTA_CUT_AFTER, WBOTA_CUT_TORN};
    static const char *const names[] = {"before", "after", "torn"};
    wbota_boot_decision_t dec;
    uint32_t tried = 0, fired = 0;
    uint32_t outcomes[3][3];

    memset(outcomes, 0, sizeof outcomes);
    prv_build_images(false);
    prv_factory(&s_baseline, SWEEP_SFSA);

    /* the clean run fixes N, the number of flash operations of one update */
    s_dev = s_baseline;
    assert_true(prv_update_from_app(&s_dev));
    uint32_t n_ops = s_dev.fm.op_count;
    assert_true(n_ops > SWEEP_SFSA - 7u);

    for (size_t k = 0; k < 3; k++) {
        for (uint32_t i = 1; i <= n_ops; i++) {
            s_dev = s_baseline;
            s_dev.fm.torn_seed = 0x1000u + i;
            wbota_fm_arm_cut(&s_dev.fm, i, kinds[k]);
            tried++;
            bool done = prv_update_from_app(&s_dev);
            assert_false(done);
            if (s_dev.fm.cut_fired) {
                fired++;
            }
            prv_power_cycle(&s_dev);
            outcome_t o = prv_boot_outcome(&s_dev, &dec);
            outcomes[k][o]++;

            /* whatever happened, a fresh full update must now succeed */
            if (o == OUT_STAY) {
                assert_true(prv_loader_session(&s_dev, &dec));
            } else {
                assert_true(prv_update_from_app(&s_dev));
            }
            assert_int_equal(prv_boot_outcome(&s_dev, &dec), OUT_JUMP_V2);
        }
    }
    printf("loop sweep: %u flash ops per update, %u cuts tried, %u fired\n", n_ops, tried, fired);
    for (size_t k = 0; k < 3; k++) {
        printf("  %-6s: old app %u, new app %u, loader %u\n", names[k], outcomes[k][OUT_JUMP_V1],
               outcomes[k][OUT_JUMP_V2], outcomes[k][OUT_STAY]);
    }
    assert_int_equal(fired, tried);
    assert_int_equal(tried, 3u * n_ops);
    /* the sweep reaches both ends: a cut on the first erase keeps v1, after the last program
     * the new image is complete */
    assert_true(outcomes[0][OUT_JUMP_V1] > 0u);
    assert_true(outcomes[1][OUT_JUMP_V2] > 0u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_st_update_boots_v2),
        cmocka_unit_test(test_loop_power_cut_sweep_every_op_recovers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
