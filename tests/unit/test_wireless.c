/* Wireless-stack (CPU2) images under the `signed` policy (docs/image-format.md#wireless,
 * docs/staged.md#wireless): the product-signed manifest behind ST's binary, checked by the core
 * (wbota_wireless_verify) and by the OTA engine at `07` of an FE22 `01` session before FUS may
 * start. Expected codes and FE23 bytes come from docs/reason-codes.md: 0x80 | -code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "staged_device.h"
#include "test_image.h"
#include "wbota/bytes.h"
#include "wbota/ota.h"

#define WS_LEN  8192u /* "ST binary" bytes of the test stack image */
#define IMG_CAP (16u * 1024u)
#define SFSA    0x1Bu /* small device: active 9 pages at 7, staging 9 pages at 16 */
#define WS_BASE 0x08080000u

static uint8_t s_ws[IMG_CAP];
static size_t s_ws_len;
static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static wbota_trust_t s_trust;

static void prv_build(test_ws_signer_t signer, uint8_t kind)
{
    s_ws_len = test_wireless_build(WS_LEN, 7u, signer, kind, s_ws, sizeof s_ws);
    assert_true(s_ws_len > WS_LEN);
    staged_dev_trust(&s_trust, s_pub);
}

static wbota_err_t prv_verify(const uint8_t *img, size_t len)
{
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, WS_BASE, img, (uint32_t)len);
    return wbota_wireless_verify(&mem, WS_BASE, WS_BASE + (uint32_t)len, &s_trust, NULL);
}

/* ---- the core check ---- */

static void test_signed_stack_manifest_accepted(void **state)
{
    (void)state;
    wbota_image_info_t info;
    wbota_buf_mem_t holder;
    prv_build(TEST_WS_KEY, WBOTA_KIND_WIRELESS);
    /* the manifest sits after ST's bytes: a signed one is 152 bytes (docs/image-format.md) */
    assert_int_equal(s_ws_len, WS_LEN + 152u);
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, WS_BASE, s_ws, (uint32_t)s_ws_len);
    assert_int_equal(
        wbota_wireless_verify(&mem, WS_BASE, WS_BASE + (uint32_t)s_ws_len, &s_trust, &info),
        WBOTA_OK);
    assert_true(info.has_manifest && info.hash_ok && info.sig_ok);
    assert_int_equal(info.manifest.kind, WBOTA_KIND_WIRELESS);
    assert_int_equal(info.manifest.image_size, WS_LEN);
}

static void test_stack_refusals_core(void **state)
{
    (void)state;
    /* raw ST binary: no manifest */
    prv_build(TEST_WS_KEY, WBOTA_KIND_WIRELESS);
    assert_int_equal(prv_verify(s_ws, WS_LEN), WBOTA_E_WS_MANIFEST_MISSING);
    /* bytes after the manifest: its trailer is no longer at the end */
    s_ws[s_ws_len] = 0x00u;
    assert_int_equal(prv_verify(s_ws, s_ws_len + 8u), WBOTA_E_WS_MANIFEST_MISSING);
    /* one byte of ST's binary changed */
    s_ws[WS_LEN / 2u] ^= 0x01u;
    assert_int_equal(prv_verify(s_ws, s_ws_len), WBOTA_E_HASH);
    /* one signed manifest byte changed (the version's major) */
    prv_build(TEST_WS_KEY, WBOTA_KIND_WIRELESS);
    s_ws[WS_LEN + 18u] ^= 0x01u;
    assert_int_equal(prv_verify(s_ws, s_ws_len), WBOTA_E_SIG);
    /* whole images whose manifest does not vouch for the stack */
    static const struct {
        test_ws_signer_t signer;
        uint8_t kind;
        wbota_err_t want;
    } k_manifests[] = {
        {TEST_WS_UNSIGNED, WBOTA_KIND_WIRELESS, WBOTA_E_SIG_MISSING}, /* no signature */
        {TEST_WS_OTHER_KEY, WBOTA_KIND_WIRELESS, WBOTA_E_KEY_ID},     /* another key */
        {TEST_WS_FORGED, WBOTA_KIND_WIRELESS, WBOTA_E_SIG},           /* a forged signature */
        /* a signed manifest of an application kind proves nothing about CPU2's image */
        {TEST_WS_KEY, WBOTA_KIND_APP, WBOTA_E_MANIFEST_KIND},
    };
    for (size_t i = 0; i < sizeof k_manifests / sizeof k_manifests[0]; i++) {
        prv_build(k_manifests[i].signer, k_manifests[i].kind);
        assert_int_equal(prv_verify(s_ws, s_ws_len), k_manifests[i].want);
    }
    /* the stack starts before the session: the manifest's size no longer matches */
    prv_build(TEST_WS_KEY, WBOTA_KIND_WIRELESS);
    assert_int_equal(prv_verify(s_ws + 8, s_ws_len - 8u), WBOTA_E_WS_LAYOUT);
}

/* The KIND TLV (docs/image-format.md): one byte, 0 or 1, at most once; an app image whose
 * manifest says "wireless" is not an application. */
static void test_kind_tlv_rules(void **state)
{
    (void)state;
    wbota_manifest_t m;
    prv_build(TEST_WS_UNSIGNED, WBOTA_KIND_WIRELESS);
    uint8_t *man = s_ws + WS_LEN;
    const size_t l = s_ws_len - WS_LEN;
    assert_int_equal(wbota_manifest_parse(man, l, &m), WBOTA_OK);
    assert_true(m.has_kind);
    /* KIND follows VERSION (10), SHA256 (34), SEC_COUNTER (6) at 16 + 50 = 66 */
    assert_int_equal(man[66], WBOTA_TLV_KIND);
    assert_int_equal(man[67], 1u);
    man[68] = 0x02u; /* unknown kind */
    assert_int_equal(wbota_manifest_parse(man, l, &m), WBOTA_E_MANIFEST_FORMAT);

    test_image_params_t p = test_image_defaults();
    static uint8_t app[IMG_CAP];
    uint32_t h = 0u;
    size_t n = test_image_build(&p, app, sizeof app, &h, NULL);
    assert_true(n > 0u);
    wbota_layout_t lay = wbota_layout_default(0xCBu);
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, p.base, app, (uint32_t)n);
    assert_int_equal(wbota_image_verify(&mem, &lay, WBOTA_POLICY_ST, NULL, NULL, NULL), WBOTA_OK);
    /* an app manifest never carries KIND: the encoder writes it only for other kinds */
    assert_int_equal(n - (h - p.base) - 4u, 80u);
}

/* ---- the OTA engine of a staged signed loader ---- */

static staged_dev_t s_dev;
static wbota_records_t s_rec;
static wbota_ota_t s_ota;
static uint8_t s_v1[IMG_CAP];
static size_t s_v1_len;

/* A device running a signed v1, in its loader after the app's reboot request. */
static void prv_device(wbota_policy_t policy)
{
    wbota_boot_decision_t dec;
    test_image_params_t p = test_image_defaults();
    p.sign = true;
    s_v1_len = test_image_build(&p, s_v1, sizeof s_v1, NULL, NULL);
    assert_true(s_v1_len > 0u);
    wbota_fm_init(&s_dev.fm, SFSA);
    memcpy(&s_dev.fm.mem[STAGED_DEV_APP_START - WBOTA_FLASH_BASE], s_v1, s_v1_len);
    memset(s_dev.mailbox, 0, sizeof s_dev.mailbox);
    s_dev.reset_flags = WBOTA_RESET_POWER;
    s_dev.layout = wbota_layout_default(SFSA);
    assert_int_equal(wbota_slots_compute(&s_dev.layout, &s_dev.slots), WBOTA_OK);
    staged_dev_trust(&s_trust, s_pub);
    assert_int_equal(staged_dev_boot(&s_dev, &s_rec, policy, &s_trust, false, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    staged_dev_sw_reset(&s_dev, WBOTA_MODE_LOADER, 7u, 0xFFu);
    (void)staged_dev_boot(&s_dev, &s_rec, policy, &s_trust, false, &dec);
    assert_int_equal(dec.action, WBOTA_BOOT_STAY);
    staged_dev_ota_init(&s_dev, &s_ota, &s_rec, policy, &s_trust);
}

/* FE22 `01` at the staging slot's last pages (where `wbota upload --wireless` puts a manifested
 * stack), FE24 in 244-byte writes, FE22 `07`; returns the FE23 byte. */
static uint8_t prv_wireless_session(const uint8_t *img, size_t len, uint32_t *at)
{
    wbota_ota_out_t out;
    const uint32_t end = wbota_page_addr(s_dev.slots.staging_page + s_dev.slots.staging_pages);
    const uint32_t addr = (end - (uint32_t)len) & ~(WBOTA_PAGE_SIZE - 1u);
    uint8_t start[4] = {WBOTA_OTA_CMD_WIRELESS, 0u, 0u, 0u};
    wbota_put_be24(&start[1], addr & 0x00FFFFFFu);
    wbota_ota_on_base_write(&s_ota, start, sizeof start, &out);
    assert_int_equal(out.status, WBOTA_OK);
    for (size_t off = 0; off < len; off += 244u) {
        size_t n = (len - off < 244u) ? len - off : 244u;
        wbota_ota_on_raw_write(&s_ota, img + off, n, &out);
        assert_int_equal(out.status, WBOTA_OK);
    }
    const uint8_t fin = WBOTA_OTA_CMD_FINISHED;
    wbota_ota_on_base_write(&s_ota, &fin, 1u, &out);
    assert_true((out.actions & WBOTA_OTA_OUT_INDICATE) != 0u);
    *at = addr;
    return out.fe23;
}

/* After the verdict: START_FUS on the confirmation iff fus, never on a disconnect after a
 * refusal; the active app untouched and still booting. */
static void prv_after(bool fus, wbota_policy_t policy)
{
    wbota_ota_out_t out;
    wbota_boot_decision_t dec;
    wbota_ota_on_indication_confirmed(&s_ota, &out);
    assert_int_equal(out.actions, fus ? WBOTA_OTA_OUT_START_FUS : 0u);
    wbota_ota_on_disconnect(&s_ota, &out);
    assert_int_equal(out.actions & WBOTA_OTA_OUT_START_FUS, 0u);
    assert_true(staged_dev_active_holds(&s_dev, s_v1, s_v1_len));
    staged_dev_sw_reset(&s_dev, WBOTA_MODE_APP, 7u, 0u);
    assert_int_equal(staged_dev_boot(&s_dev, &s_rec, policy, &s_trust, false, &dec), WBOTA_OK);
    assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
}

/* A device with this policy takes a wireless stack signed by signer (len bytes of it, 0 for the
 * whole manifest-carrying image): `07` answers OK. Returns where the stack was stored. */
static uint32_t prv_accepted(wbota_policy_t policy, test_ws_signer_t signer, size_t len)
{
    uint32_t at = 0u;
    prv_device(policy);
    prv_build(signer, WBOTA_KIND_WIRELESS);
    assert_int_equal(prv_wireless_session(s_ws, len == 0u ? s_ws_len : len, &at), WBOTA_FE23_OK);
    return at;
}

static void test_engine_signed_stack_starts_fus(void **state)
{
    (void)state;
    uint32_t at = prv_accepted(WBOTA_POLICY_SIGNED, TEST_WS_KEY, 0u);
    assert_int_equal(s_ota.state, WBOTA_OTA_VERIFIED);
    /* stored where the client said, byte for byte, inside the staging slot */
    assert_true(at >= wbota_page_addr(s_dev.slots.staging_page));
    assert_memory_equal(&s_dev.fm.mem[at - WBOTA_FLASH_BASE], s_ws, s_ws_len);
    prv_after(true, WBOTA_POLICY_SIGNED);
}

static void prv_refused(const uint8_t *img, size_t len, uint8_t fe23)
{
    uint32_t at = 0u;
    assert_int_equal(prv_wireless_session(img, len, &at), fe23);
    assert_int_equal(s_ota.state, WBOTA_OTA_ERROR);
    prv_after(false, WBOTA_POLICY_SIGNED);
}

static void test_engine_refusals_never_start_fus(void **state)
{
    (void)state;
    /* FE23 bytes from docs/reason-codes.md: 0x80 | 54, 0x80 | 18, 0x80 | 15, 0x80 | 16,
     * 0x80 | 55 */
    static const struct {
        test_ws_signer_t signer;
        uint8_t kind;
        bool raw;    /* send ST's binary alone, without its manifest */
        size_t flip; /* 0, or the stack byte changed (bit 7) */
        uint8_t fe23;
    } k_refused[] = {
        {TEST_WS_KEY, WBOTA_KIND_WIRELESS, true, 0u, 0xB6u},        /* ST's raw binary */
        {TEST_WS_OTHER_KEY, WBOTA_KIND_WIRELESS, false, 0u, 0x92u}, /* a key the loader lacks */
        {TEST_WS_KEY, WBOTA_KIND_WIRELESS, false, 100u, 0x8Fu},     /* a stack byte changed */
        {TEST_WS_UNSIGNED, WBOTA_KIND_WIRELESS, false, 0u, 0x90u},  /* no signature */
        {TEST_WS_KEY, WBOTA_KIND_APP, false, 0u, 0xB7u},            /* an application's manifest */
    };
    for (size_t i = 0; i < sizeof k_refused / sizeof k_refused[0]; i++) {
        prv_device(WBOTA_POLICY_SIGNED);
        prv_build(k_refused[i].signer, k_refused[i].kind);
        if (k_refused[i].flip != 0u) {
            s_ws[k_refused[i].flip] ^= 0x80u;
        }
        prv_refused(s_ws, k_refused[i].raw ? WS_LEN : s_ws_len, k_refused[i].fe23);
    }
    /* a signed application image sent as a wireless stack: no manifest at its end */
    prv_device(WBOTA_POLICY_SIGNED);
    prv_refused(s_v1, (s_v1_len + 7u) & ~7u, 0xB6u);
}

/* `st` policy: nothing changes, ST's raw stack image goes to FUS unchecked. */
static void test_engine_st_policy_raw_stack(void **state)
{
    (void)state;
    (void)prv_accepted(WBOTA_POLICY_ST, TEST_WS_UNSIGNED, WS_LEN);
    prv_after(true, WBOTA_POLICY_ST);
}

/* A signed wireless manifest placed where an app's manifest goes is refused at `07` of an
 * application session: a stack signature never makes CPU1 code runnable. */
static void test_wireless_kind_refused_as_app(void **state)
{
    (void)state;
    static uint8_t img[IMG_CAP];
    test_image_params_t p = test_image_defaults();
    uint32_t h = 0u;
    size_t n = test_image_build(&p, img, sizeof img, &h, NULL);
    assert_true(n > 0u);
    /* replace the app manifest (80 bytes, unsigned) by one of kind WIRELESS, same length */
    wbota_manifest_params_t mp;
    size_t l = 0, so = 0, sl = 0;
    memset(&mp, 0, sizeof mp);
    mp.load_addr = p.base;
    mp.image_size = h - p.base;
    mp.kind = WBOTA_KIND_WIRELESS;
    wbota_sha256(img, h - p.base, mp.sha256);
    assert_int_equal(wbota_manifest_encode(&mp, img + (h - p.base), 80u, &l, &so, &sl), WBOTA_OK);
    assert_int_equal(l, 80u);
    wbota_layout_t lay = wbota_layout_default(0xCBu);
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, p.base, img, (uint32_t)n);
    assert_int_equal(wbota_image_verify(&mem, &lay, WBOTA_POLICY_ST, NULL, NULL, NULL),
                     WBOTA_E_MANIFEST_KIND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_stack_manifest_accepted),
        cmocka_unit_test(test_stack_refusals_core),
        cmocka_unit_test(test_kind_tlv_rules),
        cmocka_unit_test(test_engine_signed_stack_starts_fus),
        cmocka_unit_test(test_engine_refusals_never_start_fus),
        cmocka_unit_test(test_engine_st_policy_raw_stack),
        cmocka_unit_test(test_wireless_kind_refused_as_app),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
