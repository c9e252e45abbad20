/* Unit tests of the OTA protocol engine (core/src/ota.c) against the host flash model, through
 * a seam wrapper that counts operations and injects flash faults. Wire vectors are ST's own
 * (`02 00 70 00`, single-byte `07`, 1..248-byte chunks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image.h"
#include "wbota/flash_model.h"
#include "wbota/ota.h"

#define SFSA      0xCBu
#define APP_START 0x08007000u
#define APP_END   (0x08000000u + SFSA * 4096u)
#define IMG_CAP   (64u * 1024u)
/* docs/reason-codes.md#fe23-byte */
#define WIRE(e) ((uint8_t)((e) == WBOTA_E_SIZE ? 0x03u : (0x80u | (uint8_t)(-(e)))))

/* Seam wrapper: forwards to the model, counts, and injects the faults a test asks for. */
typedef struct {
    wbota_flash_model_t *fm;
    uint32_t erases, programs, reads, read_bytes;
    uint32_t fail_program_at; /* 1-based program index that fails with E_FLASH_PROG; 0 never */
    bool erase_noop;          /* erase reports OK but leaves the page as it was */
    bool program_flips_bit;   /* program stores a different value than asked (read-back test) */
} seam_t;

static wbota_flash_model_t s_fm;
static seam_t s_seam;
static wbota_ota_t s_ota;
static wbota_ota_out_t s_out;
static uint8_t s_img[IMG_CAP];
static size_t s_img_len;
static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static wbota_trust_t s_trust;

static wbota_err_t prv_seam_erase_cb(void *ctx, uint32_t page)
{
    seam_t *s = ctx;
    s->erases++;
    if (s->erase_noop) {
        return WBOTA_OK;
    }
    return wbota_fm_erase_page(s->fm, page);
}

static wbota_err_t prv_seam_program_cb(void *ctx, uint32_t addr, const uint8_t dw[8])
{
    seam_t *s = ctx;
    s->programs++;
    if (s->fail_program_at != 0u && s->programs == s->fail_program_at) {
        return WBOTA_E_FLASH_PROG;
    }
    if (s->program_flips_bit) {
        uint8_t bad[8];
        memcpy(bad, dw, 8);
        bad[3] ^= 0x10; /* the target is erased, so any value programs: a weak cell */
        return wbota_fm_program_dw(s->fm, addr, bad);
    }
    return wbota_fm_program_dw(s->fm, addr, dw);
}

static wbota_err_t prv_seam_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    seam_t *s = ctx;
    s->reads++;
    s->read_bytes += len;
    return wbota_fm_read(s->fm, addr, buf, len);
}

static void prv_init_engine(wbota_policy_t policy)
{
    wbota_ota_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.layout = wbota_layout_default(SFSA);
    cfg.policy = policy;
    cfg.trust = &s_trust;
    cfg.flash.erase_page_cb = prv_seam_erase_cb;
    cfg.flash.program_dw_cb = prv_seam_program_cb;
    cfg.flash.read_cb = prv_seam_read_cb;
    cfg.flash.ctx = &s_seam;
    wbota_ota_init(&s_ota, &cfg);
}

static int prv_setup(void **state)
{
    (void)state;
    wbota_fm_init(&s_fm, SFSA);
    memset(&s_seam, 0, sizeof s_seam);
    s_seam.fm = &s_fm;
    test_image_pubkey(s_pub);
    s_trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])s_pub;
    s_trust.n_keys = 1;
    s_trust.min_sec_counter = 0;
    prv_init_engine(WBOTA_POLICY_ST);
    test_image_params_t p = test_image_defaults();
    s_img_len = test_image_build(&p, s_img, sizeof s_img, NULL, NULL);
    assert_true(s_img_len > 0u);
    return 0;
}

static void prv_base(const uint8_t *v, size_t n)
{
    wbota_ota_on_base_write(&s_ota, v, n, &s_out);
}

static void prv_start_app(uint32_t addr)
{
    uint8_t v[4] = {0x02, (uint8_t)(addr >> 16), (uint8_t)(addr >> 8), (uint8_t)addr};
    prv_base(v, 4);
}

static void prv_raw(const uint8_t *v, size_t n)
{
    wbota_ota_on_raw_write(&s_ota, v, n, &s_out);
}

/* Streams data in chunks; stops at the first rejected chunk (returns its status). */
static wbota_err_t prv_stream(const uint8_t *data, size_t len, size_t chunk)
{
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = (len - off < chunk) ? len - off : chunk;
        prv_raw(&data[off], n);
        if (s_out.status != WBOTA_OK) {
            return s_out.status;
        }
    }
    return WBOTA_OK;
}

static const uint8_t s_fin[1] = {0x07};

static void prv_finish(void)
{
    prv_base(s_fin, 1);
}

/* A whole ST-client upload of s_img: start, chunks, `07`. */
static void prv_upload(size_t chunk)
{
    prv_start_app(APP_START);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(prv_stream(s_img, s_img_len, chunk), WBOTA_OK);
    prv_finish();
}

static void prv_assert_verified(void)
{
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_ota.state, WBOTA_OTA_VERIFIED);
    assert_true((s_out.actions & WBOTA_OTA_OUT_INDICATE) != 0u);
    assert_int_equal(s_out.fe23, 0x01);
}

static void prv_assert_failed(wbota_err_t err)
{
    assert_int_equal(s_out.status, err);
    assert_int_equal(s_ota.state, WBOTA_OTA_ERROR);
    assert_int_equal(s_ota.last_error, err);
    assert_true((s_out.actions & WBOTA_OTA_OUT_INDICATE) != 0u);
    assert_int_equal(s_out.fe23, WIRE(err));
    assert_int_equal(s_out.actions & (WBOTA_OTA_OUT_REBOOT_APP | WBOTA_OTA_OUT_START_FUS), 0u);
}

static const uint8_t *prv_flash(uint32_t addr)
{
    return &s_fm.mem[addr - 0x08000000u];
}

static void test_ota_st_vector_02007000_upload_verified_then_reboot(void **state)
{
    (void)state;
    prv_upload(244);
    prv_assert_verified();
    assert_memory_equal(prv_flash(APP_START), s_img, s_img_len);
    assert_true(s_ota.info.has_manifest);
    assert_true(s_ota.info.hash_checked && s_ota.info.hash_ok);
    wbota_ota_on_indication_confirmed(&s_ota, &s_out);
    assert_int_equal(s_out.actions, WBOTA_OTA_OUT_REBOOT_APP);
    /* the reboot is emitted once */
    wbota_ota_on_disconnect(&s_ota, &s_out);
    assert_int_equal(s_out.actions, 0u);
}

static void test_ota_start_address_is_big_endian(void **state)
{
    (void)state;
    /* 0x012000 big-endian = 0x08012000 (app page 0x12); little-endian would read 0x002001:
     * a misaligned loader address that could never start a session */
    const uint8_t v[4] = {0x02, 0x01, 0x20, 0x00};
    const uint8_t dw[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    prv_base(v, 4);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_ota.state, WBOTA_OTA_RECEIVING);
    assert_int_equal(s_ota.base, 0x08012000u);
    prv_raw(dw, 8);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_memory_equal(prv_flash(0x08012000u), dw, 8);
}

static void test_ota_chunk_sizes_give_same_flash(void **state)
{
    (void)state;
    static const size_t chunks[] = {1, 7, 8, 20, 244, 248};
    static uint8_t first[IMG_CAP + 8];
    size_t span = (s_img_len + 7u) & ~(size_t)7u;
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        wbota_fm_init(&s_fm, SFSA);
        prv_init_engine(WBOTA_POLICY_ST);
        prv_upload(chunks[i]);
        prv_assert_verified();
        if (i == 0) {
            memcpy(first, prv_flash(APP_START), span + 8u);
        } else {
            assert_memory_equal(prv_flash(APP_START), first, span + 8u);
        }
    }
    assert_memory_equal(first, s_img, s_img_len);
}

static void test_ota_tail_padded_with_ff(void **state)
{
    (void)state;
    uint8_t data[13];
    for (int i = 0; i < 13; i++) {
        data[i] = (uint8_t)(0x30 + i);
    }
    s_fm.mem[APP_START + 16u - 0x08000000u] = 0x00; /* the page was not blank: engine erases */
    prv_start_app(APP_START);
    prv_raw(data, 13);
    uint32_t programs = s_seam.programs;
    assert_int_equal(programs, 1u);
    prv_finish();
    assert_int_equal(s_seam.programs, 2u);
    assert_memory_equal(prv_flash(APP_START), data, 13);
    for (uint32_t i = 13; i < 24; i++) {
        assert_int_equal(prv_flash(APP_START)[i], 0xFF);
    }
    /* 13 bytes are no image: the verdict is a rejection, never a reboot */
    assert_int_equal(s_ota.state, WBOTA_OTA_ERROR);
    assert_int_not_equal(s_out.fe23, 0x01);
}

static void test_ota_raw_before_start_no_flash_op(void **state)
{
    (void)state;
    uint32_t ops = s_fm.op_count;
    prv_raw(s_img, 20);
    prv_assert_failed(WBOTA_E_OTA_STATE);
    prv_raw(s_img, 20); /* later stray data: refused without another indication */
    assert_int_equal(s_out.status, WBOTA_E_OTA_STATE);
    assert_int_equal(s_out.actions, 0u);
    assert_int_equal(s_fm.op_count, ops);
    assert_int_equal(s_seam.programs + s_seam.erases, 0u);
}

static void test_ota_raw_oversize_and_empty_rejected(void **state)
{
    (void)state;
    static uint8_t big[249];
    prv_start_app(APP_START);
    prv_raw(big, 249);
    prv_assert_failed(WBOTA_E_OTA_LEN);
    assert_int_equal(s_fm.op_count, 0u);
    prv_start_app(APP_START);
    prv_raw(big, 0);
    prv_assert_failed(WBOTA_E_OTA_LEN);
    prv_start_app(APP_START);
    prv_raw(big, 248);
    assert_int_equal(s_out.status, WBOTA_OK);
}

static void test_ota_start_out_of_range_rejected(void **state)
{
    (void)state;
    static const uint8_t bad[][4] = {
        {0x02, 0x00, 0x00, 0x00}, /* loader page 0 */
        {0x02, 0x00, 0x60, 0x00}, /* page 6: ST accepts it, it is the loader's */
        {0x02, 0x00, 0x6F, 0xF8}, /* last loader double word */
        {0x02, 0x0C, 0xB0, 0x00}, /* at SFSA */
        {0x02, 0x0F, 0xF0, 0x00}, /* above */
        {0x02, 0xFF, 0xFF, 0xF8}, /* 0x08FFFFF8: beyond flash */
        {0x01, 0x00, 0x00, 0x00}, /* wireless into the loader */
        {0x01, 0x0C, 0xB0, 0x00}, /* wireless into CPU2's area */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        prv_base(bad[i], 4);
        prv_assert_failed(WBOTA_E_RANGE);
        prv_raw(s_img, 8);
        assert_int_equal(s_out.status, WBOTA_E_OTA_STATE);
    }
    assert_int_equal(s_fm.op_count, 0u);
    /* the last double word below SFSA is a valid start */
    const uint8_t last[4] = {0x02, 0x0C, 0xAF, 0xF8};
    prv_base(last, 4);
    assert_int_equal(s_out.status, WBOTA_OK);
}

static void test_ota_start_misaligned_rejected(void **state)
{
    (void)state;
    const uint8_t v[4] = {0x02, 0x00, 0x70, 0x04};
    prv_base(v, 4);
    prv_assert_failed(WBOTA_E_ALIGN);
    const uint8_t w[4] = {0x01, 0x01, 0x00, 0x01};
    prv_base(w, 4);
    prv_assert_failed(WBOTA_E_ALIGN);
}

static void test_ota_base_lengths_and_commands(void **state)
{
    (void)state;
    const uint8_t five[5] = {0x02, 0x00, 0x70, 0x00, 0x7F}; /* newer clients: page count */
    prv_base(five, 5);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_ota.base, APP_START);
    const uint8_t three[3] = {0x02, 0x00, 0x70};
    prv_base(three, 3);
    prv_assert_failed(WBOTA_E_OTA_LEN);
    const uint8_t six[6] = {0x02, 0x00, 0x70, 0x00, 0, 0};
    prv_base(six, 6);
    prv_assert_failed(WBOTA_E_OTA_LEN);
    prv_base(six, 0);
    prv_assert_failed(WBOTA_E_OTA_LEN);
    const uint8_t unk[4] = {0x03, 0x00, 0x70, 0x00};
    prv_base(unk, 4);
    prv_assert_failed(WBOTA_E_OTA_CMD);
    prv_base(unk, 1);
    prv_assert_failed(WBOTA_E_OTA_CMD);
    /* `07` may come with up to 4 more bytes */
    const uint8_t fin5[5] = {0x07, 0, 0, 0, 0};
    prv_base(five, 4);
    prv_raw(s_img, 8);
    prv_base(fin5, 5);
    assert_int_not_equal(s_out.status, WBOTA_E_OTA_LEN);
}

static void test_ota_stop_and_cancel_end_session_without_reboot(void **state)
{
    (void)state;
    static const uint8_t cmds[2] = {0x00, 0x08};
    for (int i = 0; i < 2; i++) {
        prv_start_app(APP_START);
        prv_raw(s_img, 20);
        uint32_t ops = s_fm.op_count;
        prv_base(&cmds[i], 1);
        assert_int_equal(s_out.status, WBOTA_OK);
        assert_int_equal(s_out.actions, 0u);
        assert_int_equal(s_ota.state, WBOTA_OTA_IDLE);
        assert_int_equal(s_fm.op_count, ops); /* no flush of the 4 pending bytes */
        prv_raw(s_img, 8);
        assert_int_equal(s_out.status, WBOTA_E_OTA_STATE);
    }
}

static void test_ota_restart_lower_overlapping_reerases_and_succeeds(void **state)
{
    (void)state;
    /* a client that restarts below where it was: ST's loader then loops forever on its own
     * earlier data; wbota re-examines each page in the new session and erases it once */
    prv_start_app(APP_START + 0x800u);
    assert_int_equal(prv_stream(s_img + 100, 1500, 244), WBOTA_OK);
    uint32_t erases = s_seam.erases;
    prv_upload(248);
    prv_assert_verified();
    assert_int_equal(s_seam.erases, erases + 1u); /* page 7 only, once */
    assert_memory_equal(prv_flash(APP_START), s_img, s_img_len);
}

static void test_ota_not_erased_target_fails_without_retry(void **state)
{
    (void)state;
    /* an erase the flash claims done but that left data: the double-word check catches it */
    memset(&s_fm.mem[APP_START - 0x08000000u], 0x00, 64);
    s_seam.erase_noop = true;
    prv_start_app(APP_START);
    prv_raw(s_img, 244);
    prv_assert_failed(WBOTA_E_FLASH_NOT_ERASED);
    assert_int_equal(s_seam.erases, 1u);
    assert_int_equal(s_seam.programs, 0u);
    uint32_t ops = s_seam.erases + s_seam.programs;
    assert_int_equal(prv_stream(s_img + 244, 1000, 244), WBOTA_E_OTA_STATE);
    prv_finish();
    assert_int_equal(s_seam.erases + s_seam.programs, ops);       /* no retry, ever */
    assert_int_equal(s_out.fe23, WIRE(WBOTA_E_FLASH_NOT_ERASED)); /* `07` repeats the reason */
}

static void test_ota_program_failure_enters_error(void **state)
{
    (void)state;
    s_seam.fail_program_at = 3;
    prv_start_app(APP_START);
    assert_int_equal(prv_stream(s_img, 244, 244), WBOTA_E_FLASH_PROG);
    prv_assert_failed(WBOTA_E_FLASH_PROG);
    assert_int_equal(s_seam.programs, 3u);
    assert_int_equal(s_ota.next, APP_START + 16u);
    assert_int_equal(prv_stream(s_img + 244, 244, 244), WBOTA_E_OTA_STATE);
    assert_int_equal(s_seam.programs, 3u);
    wbota_ota_on_indication_confirmed(&s_ota, &s_out);
    assert_int_equal(s_out.actions, 0u);
    wbota_ota_on_disconnect(&s_ota, &s_out);
    assert_int_equal(s_out.actions, 0u);
}

static void test_ota_readback_mismatch_verify_error(void **state)
{
    (void)state;
    const uint8_t dw[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    s_seam.program_flips_bit = true;
    prv_start_app(APP_START);
    prv_raw(dw, 8);
    prv_assert_failed(WBOTA_E_FLASH_VERIFY);
}

static void test_ota_write_past_sfsa_range_error(void **state)
{
    (void)state;
    const uint8_t v[4] = {0x02, 0x0C, 0xAF, 0xF0};
    prv_base(v, 4);
    assert_int_equal(s_out.status, WBOTA_OK);
    prv_raw(s_img, 16);
    assert_int_equal(s_out.status, WBOTA_OK);
    prv_raw(s_img, 8);
    prv_assert_failed(WBOTA_E_RANGE);
    assert_int_equal(s_seam.programs, 2u);
    assert_true(s_fm.mem[SFSA * 4096u] == 0xFF);
    /* a tail that would land at SFSA is refused at "finished" as well */
    prv_base(v, 4);
    prv_raw(s_img, 17);
    prv_finish();
    prv_assert_failed(WBOTA_E_RANGE);
    assert_int_equal(s_fm.sr, 0u); /* the model never saw a WRPERR: the engine stopped first */
}

static void test_ota_finished_nothing_written_empty(void **state)
{
    (void)state;
    prv_start_app(APP_START);
    prv_finish();
    prv_assert_failed(WBOTA_E_OTA_EMPTY);
    assert_int_equal(s_fm.op_count, 0u);
}

static void test_ota_finished_without_session_state_error(void **state)
{
    (void)state;
    prv_finish();
    prv_assert_failed(WBOTA_E_OTA_STATE);
}

static void test_ota_truncated_image_rejected(void **state)
{
    (void)state;
    prv_start_app(APP_START);
    assert_int_equal(prv_stream(s_img, s_img_len - 8u, 244), WBOTA_OK);
    prv_finish();
    /* the last 8 bytes (end of the manifest trailer and the magic) never arrived */
    prv_assert_failed(WBOTA_E_MAGIC);
    wbota_ota_on_disconnect(&s_ota, &s_out);
    assert_int_equal(s_out.actions, 0u);
}

static void test_ota_corrupted_byte_hash_error(void **state)
{
    (void)state;
    s_img[0x400] ^= 0x01;
    prv_upload(244);
    prv_assert_failed(WBOTA_E_HASH);
}

static void test_ota_plain_st_image_policy_st_ok_signed_missing(void **state)
{
    (void)state;
    test_image_params_t p = test_image_defaults();
    p.with_manifest = false;
    s_img_len = test_image_build(&p, s_img, sizeof s_img, NULL, NULL);
    prv_upload(244);
    prv_assert_verified();
    assert_false(s_ota.info.has_manifest);
    wbota_fm_init(&s_fm, SFSA);
    prv_init_engine(WBOTA_POLICY_SIGNED);
    prv_upload(244);
    prv_assert_failed(WBOTA_E_MANIFEST_MISSING);
}

static void test_ota_unsigned_under_signed_policy_sig_missing(void **state)
{
    (void)state;
    prv_init_engine(WBOTA_POLICY_SIGNED);
    prv_upload(244);
    prv_assert_failed(WBOTA_E_SIG_MISSING);
}

static void test_ota_signed_right_key_ok_other_key_rejected(void **state)
{
    (void)state;
    test_image_params_t p = test_image_defaults();
    p.sign = true;
    s_img_len = test_image_build(&p, s_img, sizeof s_img, NULL, NULL);
    assert_true(s_img_len > 0u);
    prv_init_engine(WBOTA_POLICY_SIGNED);
    prv_upload(248);
    prv_assert_verified();
    assert_true(s_ota.info.sig_checked && s_ota.info.sig_ok);

    /* the loader holds only another key */
    test_image_other_pubkey(s_pub);
    wbota_fm_init(&s_fm, SFSA);
    prv_init_engine(WBOTA_POLICY_SIGNED);
    prv_upload(248);
    prv_assert_failed(WBOTA_E_KEY_ID);
}

static void test_ota_downgrade_rejected(void **state)
{
    (void)state;
    s_trust.min_sec_counter = 5;
    prv_upload(244);
    prv_assert_failed(WBOTA_E_DOWNGRADE);
}

static void test_ota_precomputed_and_flash_hash_agree(void **state)
{
    (void)state;
    /* path 1: one session from the app start: the engine's own digest */
    prv_upload(244);
    prv_assert_verified();
    assert_true(s_ota.info.hash_checked && s_ota.info.hash_ok);

    /* path 2: the same image in two sessions (the second not at the app start): the digest
     * comes from flash. Both accept; both reject the same corruption. */
    wbota_fm_init(&s_fm, SFSA);
    memset(&s_seam, 0, sizeof s_seam);
    s_seam.fm = &s_fm;
    prv_init_engine(WBOTA_POLICY_ST);
    prv_start_app(APP_START);
    assert_int_equal(prv_stream(s_img, 1024, 244), WBOTA_OK);
    const uint8_t stop = 0x00;
    prv_base(&stop, 1);
    prv_start_app(APP_START + 1024u);
    assert_int_equal(prv_stream(s_img + 1024, s_img_len - 1024u, 244), WBOTA_OK);
    uint32_t reads_before_finish = s_seam.read_bytes;
    prv_finish();
    prv_assert_verified();
    assert_true(s_ota.info.hash_checked && s_ota.info.hash_ok);
    uint32_t finish_reads_flash = s_seam.read_bytes - reads_before_finish;
    assert_true(finish_reads_flash >= 2048u); /* it hashed the flash */
}

static void test_ota_precomputed_path_reads_little_at_finish(void **state)
{
    (void)state;
    prv_start_app(APP_START);
    assert_int_equal(prv_stream(s_img, s_img_len, 244), WBOTA_OK);
    uint32_t before = s_seam.read_bytes;
    prv_finish();
    prv_assert_verified();
    assert_true(s_ota.info.hash_ok);
    /* manifest located twice + a few tags: far less than the hashed 2 KB + 4 KB of ST image */
    assert_true(s_seam.read_bytes - before < 2048u);
}

static void test_ota_corruption_rejected_on_both_hash_paths(void **state)
{
    (void)state;
    s_img[0x300] ^= 0x80;
    prv_upload(248);
    prv_assert_failed(WBOTA_E_HASH);
    wbota_fm_init(&s_fm, SFSA);
    prv_init_engine(WBOTA_POLICY_ST);
    prv_start_app(APP_START);
    assert_int_equal(prv_stream(s_img, 8, 8), WBOTA_OK);
    const uint8_t stop = 0x08;
    prv_base(&stop, 1);
    prv_start_app(APP_START + 8u);
    assert_int_equal(prv_stream(s_img + 8, s_img_len - 8u, 248), WBOTA_OK);
    prv_finish();
    prv_assert_failed(WBOTA_E_HASH);
}

static void test_ota_disconnect_mid_upload_idle_then_fresh_session_ok(void **state)
{
    (void)state;
    prv_start_app(APP_START);
    assert_int_equal(prv_stream(s_img, 1000, 244), WBOTA_OK);
    wbota_ota_on_disconnect(&s_ota, &s_out);
    assert_int_equal(s_ota.state, WBOTA_OTA_IDLE);
    assert_int_equal(s_out.actions, 0u);
    assert_int_equal(s_out.status, WBOTA_E_LINK_LOST);
    prv_raw(s_img, 8);
    assert_int_equal(s_out.status, WBOTA_E_OTA_STATE);
    prv_upload(244);
    prv_assert_verified();
    assert_memory_equal(prv_flash(APP_START), s_img, s_img_len);
}

static void test_ota_disconnect_after_verify_reboots(void **state)
{
    (void)state;
    prv_upload(244);
    prv_assert_verified();
    prv_raw(s_img, 8); /* stray data after the verdict: ignored, no write, no indication */
    assert_int_equal(s_out.status, WBOTA_E_OTA_STATE);
    assert_int_equal(s_out.actions, 0u);
    assert_int_equal(s_ota.state, WBOTA_OTA_VERIFIED);
    prv_finish(); /* a repeated `07` gets the same answer */
    prv_assert_verified();
    wbota_ota_on_disconnect(&s_ota, &s_out);
    assert_int_equal(s_out.actions, WBOTA_OTA_OUT_REBOOT_APP);
    assert_int_equal(s_ota.state, WBOTA_OTA_IDLE);
}

static void test_ota_wireless_session_starts_fus(void **state)
{
    (void)state;
    const uint8_t v[4] = {0x01, 0x00, 0xF0, 0x00}; /* ST clients: page 0x0F */
    prv_base(v, 4);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(prv_stream(s_img, 1001, 244), WBOTA_OK);
    prv_finish();
    prv_assert_verified();
    assert_memory_equal(prv_flash(0x0800F000u), s_img, 1001);
    wbota_ota_on_indication_confirmed(&s_ota, &s_out);
    assert_int_equal(s_out.actions, WBOTA_OTA_OUT_START_FUS);
}

static void test_ota_new_start_after_error_recovers(void **state)
{
    (void)state;
    s_seam.fail_program_at = 1;
    prv_start_app(APP_START);
    prv_raw(s_img, 8);
    prv_assert_failed(WBOTA_E_FLASH_PROG);
    s_seam.fail_program_at = 0;
    prv_upload(20);
    prv_assert_verified();
}

static void test_ota_new_start_after_verified_drops_pending_reboot(void **state)
{
    (void)state;
    prv_upload(244);
    prv_assert_verified();
    prv_start_app(APP_START);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_ota.state, WBOTA_OTA_RECEIVING);
    wbota_ota_on_indication_confirmed(&s_ota, &s_out);
    assert_int_equal(s_out.actions, 0u);
    wbota_ota_on_disconnect(&s_ota, &s_out);
    assert_int_equal(s_out.actions, 0u);
    assert_int_equal(s_ota.state, WBOTA_OTA_IDLE);
}

static void test_ota_mid_page_start_keeps_lower_bytes_when_rest_blank(void **state)
{
    (void)state;
    const uint8_t keep[8] = {0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8};
    memcpy(&s_fm.mem[APP_START - 0x08000000u], keep, 8);
    prv_start_app(APP_START + 0x400u);
    prv_raw(s_img, 16);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_seam.erases, 0u);
    assert_memory_equal(prv_flash(APP_START), keep, 8);
    assert_memory_equal(prv_flash(APP_START + 0x400u), s_img, 16);
}

static void test_ota_mid_page_start_erases_page_when_rest_dirty(void **state)
{
    (void)state;
    s_fm.mem[APP_START + 0xFF8u - 0x08000000u] = 0x00; /* old data above the start */
    s_fm.mem[APP_START - 0x08000000u] = 0x00;          /* and below it */
    prv_start_app(APP_START + 0x400u);
    prv_raw(s_img, 16);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_seam.erases, 1u);
    assert_int_equal(prv_flash(APP_START)[0], 0xFF);
    assert_int_equal(prv_flash(APP_START + 0xFF8u)[0], 0xFF);
    assert_memory_equal(prv_flash(APP_START + 0x400u), s_img, 16);
}

static void test_ota_ops_per_write_bounded(void **state)
{
    (void)state;
    static uint8_t chunk[248];
    memset(chunk, 0x5A, sizeof chunk);
    memset(&s_fm.mem[(APP_START - 0x08000000u)], 0, 2u * 4096u); /* two dirty pages */
    const uint8_t v[4] = {0x02, 0x00, 0x7F, 0x80};               /* 128 bytes below page 8 */
    prv_base(v, 4);
    uint32_t ops = s_fm.op_count;
    prv_raw(chunk, 248);
    assert_int_equal(s_out.status, WBOTA_OK);
    assert_int_equal(s_fm.op_count - ops, 31u + 2u);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, prv_setup)
    const struct CMUnitTest tests[] = {
        T(test_ota_st_vector_02007000_upload_verified_then_reboot),
        T(test_ota_start_address_is_big_endian),
        T(test_ota_chunk_sizes_give_same_flash),
        T(test_ota_tail_padded_with_ff),
        T(test_ota_raw_before_start_no_flash_op),
        T(test_ota_raw_oversize_and_empty_rejected),
        T(test_ota_start_out_of_range_rejected),
        T(test_ota_start_misaligned_rejected),
        T(test_ota_base_lengths_and_commands),
        T(test_ota_stop_and_cancel_end_session_without_reboot),
        T(test_ota_restart_lower_overlapping_reerases_and_succeeds),
        T(test_ota_not_erased_target_fails_without_retry),
        T(test_ota_program_failure_enters_error),
        T(test_ota_readback_mismatch_verify_error),
        T(test_ota_write_past_sfsa_range_error),
        T(test_ota_finished_nothing_written_empty),
        T(test_ota_finished_without_session_state_error),
        T(test_ota_truncated_image_rejected),
        T(test_ota_corrupted_byte_hash_error),
        T(test_ota_plain_st_image_policy_st_ok_signed_missing),
        T(test_ota_unsigned_under_signed_policy_sig_missing),
        T(test_ota_signed_right_key_ok_other_key_rejected),
        T(test_ota_downgrade_rejected),
        T(test_ota_precomputed_and_flash_hash_agree),
        T(test_ota_precomputed_path_reads_little_at_finish),
        T(test_ota_corruption_rejected_on_both_hash_paths),
        T(test_ota_disconnect_mid_upload_idle_then_fresh_session_ok),
        T(test_ota_disconnect_after_verify_reboots),
        T(test_ota_wireless_session_starts_fus),
        T(test_ota_new_start_after_error_recovers),
        T(test_ota_new_start_after_verified_drops_pending_reboot),
        T(test_ota_mid_page_start_keeps_lower_bytes_when_rest_blank),
        T(test_ota_mid_page_start_erases_page_when_rest_dirty),
        T(test_ota_ops_per_write_bounded),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
