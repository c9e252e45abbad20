/* Resume of an interrupted download in staged mode (docs/staged.md#resume, docs/protocol.md#resume)
 * on the host: flash model + record log + staged boot + OTA engine. A tagged upload (FE22
 * `0B tag`) records its progress per completed staging page; after a disconnect at 10 %, 50 %
 * and 99 %, or a power cut anywhere in the download (before / after / torn, each cut proven
 * fired), FE22 `0A tag` continues at the recorded page (FE23 0x04 + k), the result is verified
 * exactly as a continuous upload (the flash is hashed at `07`: a staged byte changed between the
 * sessions is caught), the old app runs until the install, a different image's resume is
 * refused (E_RESUME_OTHER) and an ST client's plain start voids the recorded progress. */
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
#define IMG_CAP   (128u * 1024u)
#define SFSA      0x43u /* app pages 7..66: active and staging 29 pages each (records at top) */
#define TAG_V2    0x5EC0A002u
#define TAG_V3    0x5EC0A003u

typedef staged_dev_t device_t;

static device_t s_dev;
static wbota_records_t s_rec;
static wbota_ota_t s_ota;
static uint8_t s_v1[IMG_CAP], s_v2[IMG_CAP], s_v3[IMG_CAP];
static size_t s_v1_len, s_v2_len, s_v3_len;
static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static wbota_trust_t s_trust;
static const size_t s_chunk = 244u;

static void prv_images(void)
{
    s_v1_len = staged_dev_image(s_v1, IMG_CAP, 6000u, 11u, 1u, 1u, true);
    s_v2_len = staged_dev_image(s_v2, IMG_CAP, 100000u, 22u, 2u, 2u, true); /* 25 staging pages */
    s_v3_len = staged_dev_image(s_v3, IMG_CAP, 90000u, 33u, 3u, 3u, true);
    staged_dev_trust(&s_trust, s_pub);
}

static wbota_err_t prv_boot(device_t *d, wbota_boot_decision_t *dec)
{
    return staged_dev_boot(d, &s_rec, WBOTA_POLICY_SIGNED, &s_trust, false, dec);
}

static void prv_sw_reset(device_t *d, uint8_t mode, uint8_t first, uint8_t count)
{
    staged_dev_sw_reset(d, mode, first, count);
}

static bool prv_active_holds(const device_t *d, const uint8_t *img, size_t len)
{
    return staged_dev_active_holds(d, img, len);
}

static uint8_t *prv_staging(device_t *d)
{
    return &d->fm.mem[wbota_page_addr(d->slots.staging_page) - WBOTA_FLASH_BASE];
}

static void prv_factory(device_t *d)
{
    wbota_boot_decision_t dec;
    staged_dev_factory(d, SFSA, s_v1, s_v1_len);
    assert_true(d->slots.active_pages >= 26u);
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
}

static void prv_ota_init(device_t *d)
{
    staged_dev_ota_init(d, &s_ota, &s_rec, WBOTA_POLICY_SIGNED, &s_trust);
}

/* The app asks for the loader with ST's `01 07 FF`; the loader stays and runs its erase plan
 * (WBOTA_E_POWER_CUT when the power goes during it). */
static wbota_err_t prv_to_loader(device_t *d)
{
    wbota_boot_decision_t dec;
    prv_sw_reset(d, WBOTA_MODE_LOADER, 7u, 0xFFu);
    (void)prv_boot(d, &dec);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    for (uint32_t i = 0; i < dec.erase.page_count; i++) {
        uint32_t page = dec.erase.first_page + i;
        /* the pages of a recorded download survive the reboot request's erase */
        assert_true(page >= d->slots.staging_page + s_rec.dl_pages);
        if (wbota_fm_erase_page(&d->fm, page) == WBOTA_E_POWER_CUT) {
            return WBOTA_E_POWER_CUT;
        }
    }
    prv_ota_init(d);
    return WBOTA_OK;
}

/* The images, the factory device with v1, and the app's request for the loader. */
static void prv_start_in_loader(void)
{
    prv_images();
    prv_factory(&s_dev);
    assert_int_equal(prv_to_loader(&s_dev), WBOTA_OK);
}

static void prv_fe22_tag(uint8_t cmd, uint32_t tag, wbota_ota_out_t *out)
{
    uint8_t v[5] = {cmd, 0, 0, 0, 0};
    wbota_put_be32(&v[1], tag);
    wbota_ota_on_base_write(&s_ota, v, sizeof v, out);
}

/* Streams img[from, to) in s_chunk writes; WBOTA_E_POWER_CUT when the power went. */
static wbota_err_t prv_stream(device_t *d, const uint8_t *img, size_t from, size_t to)
{
    return staged_dev_stream(d, &s_ota, img, from, to, s_chunk);
}

/* `07`: the verdict on FE23, then the reset into the app. */
static wbota_err_t prv_finish(device_t *d)
{
    wbota_ota_out_t out;
    const uint8_t fin[1] = {0x07};
    wbota_ota_on_base_write(&s_ota, fin, sizeof fin, &out);
    if (!d->fm.powered) {
        return WBOTA_E_POWER_CUT;
    }
    if (out.status == WBOTA_OK) {
        assert_int_equal(out.fe23, 0x01);
        prv_sw_reset(d, WBOTA_MODE_APP, 7u, 0u);
    }
    return out.status;
}

/* FE22 `0A tag`: returns the page to continue at, or the refusal (as a negative code). */
static int prv_resume(uint32_t tag)
{
    wbota_ota_out_t out;
    prv_fe22_tag(WBOTA_OTA_CMD_RESUME, tag, &out);
    assert_true((out.actions & WBOTA_OTA_OUT_INDICATE) != 0u);
    if (out.status != WBOTA_OK) {
        assert_int_equal(out.fe23, 0x80u | (unsigned)-out.status);
        return out.status;
    }
    /* docs/protocol.md#resume: 0x04 + k, below the failure range */
    assert_true(out.fe23 >= 0x04u && out.fe23 < 0x80u);
    return (int)out.fe23 - 0x04;
}

/* Boots after a successful `07`: install, the new image in test, active = img. */
static void prv_boot_new(device_t *d, const uint8_t *img, size_t len)
{
    wbota_boot_decision_t dec;
    assert_int_equal(prv_boot(d, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    assert_int_equal(s_rec.state, WBOTA_UPD_INSTALLED);
    assert_true(prv_active_holds(d, img, len));
}

/* Disconnect after 10 %, 50 %, 99 % of v2: the resume continues at the last complete page. */
static void test_resume_after_disconnect(void **state)
{
    (void)state;
    static const unsigned pct[] = {10u, 50u, 99u};
    prv_images();
    for (size_t i = 0; i < 3u; i++) {
        wbota_ota_out_t out;
        prv_factory(&s_dev);
        assert_int_equal(prv_to_loader(&s_dev), WBOTA_OK);
        prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
        assert_int_equal(out.status, WBOTA_OK);
        assert_int_equal(out.actions, 0u); /* a start is silent, as ST's `02` */
        /* a multiple of the chunk, as a client's writes arrive */
        size_t sent = (s_v2_len * pct[i] / 100u) / s_chunk * s_chunk;
        assert_int_equal(prv_stream(&s_dev, s_v2, 0u, sent), WBOTA_OK);
        wbota_ota_on_disconnect(&s_ota, &out);
        assert_int_equal(out.status, WBOTA_E_LINK_LOST);

        /* the loader keeps running: a new connection, a new session */
        prv_ota_init(&s_dev);
        int k = prv_resume(TAG_V2);
        /* a page counts once its last double word is programmed: floor(sent / 4096) */
        assert_int_equal(k, (int)(sent / WBOTA_PAGE_SIZE));
        assert_true(k >= 1);
        assert_int_equal(prv_stream(&s_dev, s_v2, (size_t)k * WBOTA_PAGE_SIZE, s_v2_len), WBOTA_OK);
        assert_int_equal(prv_finish(&s_dev), WBOTA_OK);
        assert_memory_equal(prv_staging(&s_dev), s_v2, s_v2_len);
        assert_true(prv_active_holds(&s_dev, s_v1, s_v1_len)); /* v1 until the install */
        prv_boot_new(&s_dev, s_v2, s_v2_len);
        assert_int_equal(s_rec.dl_tag, 0u); /* completed: nothing to resume */
    }
}

/* The resumed image is verified as a continuous one: a staged byte below the resume point that
 * changed between the sessions fails `07` with E_HASH (the flash is hashed, not a saved state). */
static void test_resume_rehashes_staged_bytes(void **state)
{
    (void)state;
    wbota_ota_out_t out;
    prv_start_in_loader();
    prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
    assert_int_equal(prv_stream(&s_dev, s_v2, 0u, s_v2_len / 2u), WBOTA_OK);
    wbota_ota_on_disconnect(&s_ota, &out);
    size_t at = 0x1000u + 17u;
    while (s_v2[at] == 0u) {
        at++;
    }
    /* one bit cleared in page 1 (what flash can do without an erase) */
    prv_staging(&s_dev)[at] = (uint8_t)(s_v2[at] & (s_v2[at] - 1u));
    assert_int_not_equal(prv_staging(&s_dev)[at], s_v2[at]);
    prv_ota_init(&s_dev);
    int k = prv_resume(TAG_V2);
    assert_true(k > 1);
    assert_int_equal(prv_stream(&s_dev, s_v2, (size_t)k * WBOTA_PAGE_SIZE, s_v2_len), WBOTA_OK);
    assert_int_equal(prv_finish(&s_dev), WBOTA_E_HASH);
    assert_int_not_equal(s_rec.state, WBOTA_UPD_VERIFIED);
}

/* Another image's resume is refused with its own code; nothing recorded: E_RESUME_NONE; the
 * client then starts v3 from zero and it installs. An ST client's `02` voids the progress. */
static void test_resume_other_image_refused(void **state)
{
    (void)state;
    wbota_ota_out_t out;
    prv_start_in_loader();
    assert_int_equal(prv_resume(TAG_V2), WBOTA_E_RESUME_NONE); /* nothing recorded yet */
    assert_int_equal(s_ota.state, WBOTA_OTA_ERROR);
    prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
    assert_int_equal(prv_stream(&s_dev, s_v2, 0u, s_v2_len / 2u), WBOTA_OK);
    wbota_ota_on_disconnect(&s_ota, &out);

    prv_ota_init(&s_dev);
    assert_int_equal(prv_resume(TAG_V3), WBOTA_E_RESUME_OTHER);
    assert_int_equal(prv_resume(0u), WBOTA_E_RESUME_NONE); /* 0 names no image */
    prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V3, &out);
    assert_int_equal(out.status, WBOTA_OK);
    assert_int_equal(prv_stream(&s_dev, s_v3, 0u, s_v3_len), WBOTA_OK);
    assert_int_equal(prv_finish(&s_dev), WBOTA_OK);
    prv_boot_new(&s_dev, s_v3, s_v3_len);

    /* a tagged partial download, then an ST client's plain `02 00 70 00`: no resume after it */
    assert_int_equal(prv_to_loader(&s_dev), WBOTA_OK);
    prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
    assert_int_equal(prv_stream(&s_dev, s_v2, 0u, s_v2_len / 2u), WBOTA_OK);
    assert_true(s_rec.dl_pages > 0u);
    const uint8_t st_start[4] = {0x02, 0x00, 0x70, 0x00};
    wbota_ota_on_base_write(&s_ota, st_start, sizeof st_start, &out);
    assert_int_equal(out.status, WBOTA_OK);
    assert_int_equal(prv_resume(TAG_V2), WBOTA_E_RESUME_NONE);
}

/* Power cut at sampled flash operations of a tagged download (before / after / torn): each cut
 * fired; after power-on v1 runs (never without an app); the app's reboot request keeps the
 * recorded pages; the resume (or a restart when nothing was recorded) completes and v2
 * installs; the resume point is never past what was written before the cut. */
static void test_resume_after_power_cut(void **state)
{
    (void)state;
    static const wbota_cut_kind_t kinds[] = {WBOTA_CUT_BEFORE, WBOTA_CUT_AFTER, WBOTA_CUT_TORN};
    prv_images();
    /* count the operations of an uncut download from the reboot request on */
    prv_factory(&s_dev);
    uint32_t op0 = s_dev.fm.op_count;
    wbota_ota_out_t out;
    assert_int_equal(prv_to_loader(&s_dev), WBOTA_OK);
    prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
    assert_int_equal(prv_stream(&s_dev, s_v2, 0u, s_v2_len), WBOTA_OK);
    const uint32_t total = s_dev.fm.op_count - op0;
    assert_true(total > 12000u); /* ~12,500 double words + erases + records */

    unsigned cuts = 0u, resumed = 0u, without_app = 0u;
    for (uint32_t op = 1u; op <= total; op += 211u) {
        for (size_t k = 0; k < 3u; k++) {
            wbota_boot_decision_t dec;
            prv_factory(&s_dev);
            wbota_fm_arm_cut(&s_dev.fm, s_dev.fm.op_count + op, kinds[k]);
            wbota_err_t err = prv_to_loader(&s_dev);
            size_t sent = 0u;
            if (err == WBOTA_OK) {
                prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
                err = s_dev.fm.powered ? out.status : WBOTA_E_POWER_CUT;
                for (sent = 0u; err == WBOTA_OK && sent < s_v2_len; sent += s_chunk) {
                    size_t n = (s_v2_len - sent < s_chunk) ? s_v2_len - sent : s_chunk;
                    err = prv_stream(&s_dev, s_v2, sent, sent + n);
                }
            }
            assert_int_equal(err, WBOTA_E_POWER_CUT);
            assert_true(s_dev.fm.cut_fired);
            cuts++;
            wbota_fm_power_on(&s_dev.fm);
            s_dev.reset_flags = WBOTA_RESET_POWER;
            memset(s_dev.mailbox, 0xA5, sizeof s_dev.mailbox);
            if (prv_boot(&s_dev, &dec) != WBOTA_OK || dec.action != WBOTA_BOOT_JUMP ||
                !prv_active_holds(&s_dev, s_v1, s_v1_len)) {
                without_app++;
                continue;
            }
            assert_int_equal(prv_to_loader(&s_dev), WBOTA_OK);
            int page = prv_resume(TAG_V2);
            if (page == WBOTA_E_RESUME_NONE) {
                prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
                assert_int_equal(out.status, WBOTA_OK);
                page = 0;
            } else {
                assert_true(page >= 1);
                assert_true((size_t)page * WBOTA_PAGE_SIZE <= sent);
                resumed++;
            }
            assert_int_equal(prv_stream(&s_dev, s_v2, (size_t)page * WBOTA_PAGE_SIZE, s_v2_len),
                             WBOTA_OK);
            assert_int_equal(prv_finish(&s_dev), WBOTA_OK);
            prv_boot_new(&s_dev, s_v2, s_v2_len);
        }
    }
    printf("resume power-cut sample: %u cuts fired, %u resumed, %u devices without an app\n", cuts,
           resumed, without_app);
    assert_int_equal(without_app, 0u);
    assert_true(resumed > cuts / 2u);
}

/* The progress survives compaction of the record log: many interrupted tagged downloads on one
 * device (each adds its page records) push the log into the other page several times; the
 * last download still resumes at its last complete page. */
static void test_resume_survives_compaction(void **state)
{
    (void)state;
    wbota_ota_out_t out;
    prv_start_in_loader();
    const uint32_t gen0 = s_rec.gen;
    size_t sent = 0u;
    for (unsigned round = 0; round < 40u; round++) {
        prv_ota_init(&s_dev);
        prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, (round % 2u) ? TAG_V3 : TAG_V2, &out);
        assert_int_equal(out.status, WBOTA_OK);
        sent = (s_v2_len * 3u / 4u) / s_chunk * s_chunk;
        assert_int_equal(prv_stream(&s_dev, s_v2, 0u, sent), WBOTA_OK);
        wbota_ota_on_disconnect(&s_ota, &out);
    }
    printf("record log generation %u -> %u\n", (unsigned)gen0, (unsigned)s_rec.gen);
    assert_true(s_rec.gen >= gen0 + 2u); /* compacted at least twice (each page of 512 dws) */
    /* after a reset too: the state comes from flash */
    assert_int_equal(prv_to_loader(&s_dev), WBOTA_OK);
    assert_int_equal(s_rec.dl_tag, TAG_V3); /* round 39 was tagged v3 */
    assert_int_equal(prv_resume(TAG_V2), WBOTA_E_RESUME_OTHER);
    int k = prv_resume(TAG_V3);
    assert_int_equal(k, (int)(sent / WBOTA_PAGE_SIZE));
}

/* An `st`-mode engine (no records) refuses the extension with E_OTA_CMD: the client falls back
 * to the plain start (docs/protocol.md#resume). */
static void test_resume_st_mode_refuses(void **state)
{
    (void)state;
    wbota_ota_config_t cfg;
    wbota_ota_out_t out;
    prv_images();
    prv_factory(&s_dev);
    memset(&cfg, 0, sizeof cfg);
    cfg.layout = s_dev.layout;
    cfg.policy = WBOTA_POLICY_SIGNED;
    cfg.trust = &s_trust;
    cfg.flash = wbota_fm_ota_port(&s_dev.fm);
    wbota_ota_init(&s_ota, &cfg);
    prv_fe22_tag(WBOTA_OTA_CMD_RESUME, TAG_V2, &out);
    assert_int_equal(out.status, WBOTA_E_OTA_CMD);
    assert_int_equal(out.fe23, 0x95);
    prv_fe22_tag(WBOTA_OTA_CMD_START_TAGGED, TAG_V2, &out);
    assert_int_equal(out.status, WBOTA_E_OTA_CMD);
    /* staged, wrong length: E_OTA_LEN */
    prv_ota_init(&s_dev);
    const uint8_t short_resume[4] = {WBOTA_OTA_CMD_RESUME, 0x5E, 0xC0, 0xA0};
    wbota_ota_on_base_write(&s_ota, short_resume, sizeof short_resume, &out);
    assert_int_equal(out.status, WBOTA_E_OTA_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resume_after_disconnect),
        cmocka_unit_test(test_resume_rehashes_staged_bytes),
        cmocka_unit_test(test_resume_other_image_refused),
        cmocka_unit_test(test_resume_after_power_cut),
        cmocka_unit_test(test_resume_survives_compaction),
        cmocka_unit_test(test_resume_st_mode_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
