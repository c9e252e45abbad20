/* test_image.c - image validity: ST tags, vector table, manifest placement, hash, signature and
 * counter per policy. Images are built here byte by byte in a buffer that stands for flash from
 * the app start; keys and signatures come from mbedTLS with a fixed DRBG seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"

#include "wbota/bytes.h"
#include "wbota/image.h"

#define APP      0x08007000u
#define SFSA     0xCBu
#define REGION   ((SFSA - 7u) * 4096u)
#define BODY_LEN 0x400u /* bytes of code before the manifest */

typedef struct {
    uint8_t flash[REGION]; /* [APP, SFSA end) */
    uint32_t magic_addr;
    uint32_t h; /* manifest start */
    size_t mlen;
} img_t;

static img_t s_img;
static uint8_t s_pub[2][WBOTA_P256_PUB_LEN];
static mbedtls_ecp_group s_grp; /* P-256 */
static mbedtls_mpi s_d[2];      /* private scalars of the two keys */
static mbedtls_ctr_drbg_context s_drbg;
static wbota_layout_t s_lay;

static int prv_fixed_entropy_cb(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        out[i] = (unsigned char)(i * 31u + 7u);
    }
    return 0;
}

static int prv_setup(void **state)
{
    (void)state;
    size_t olen;
    s_lay = wbota_layout_default(SFSA);
    mbedtls_ctr_drbg_init(&s_drbg);
    if (mbedtls_ctr_drbg_seed(&s_drbg, prv_fixed_entropy_cb, NULL,
                              (const unsigned char *)"wbota-test", 10) != 0) {
        return -1;
    }
    mbedtls_ecp_group_init(&s_grp);
    if (mbedtls_ecp_group_load(&s_grp, MBEDTLS_ECP_DP_SECP256R1) != 0) {
        return -1;
    }
    for (int k = 0; k < 2; k++) {
        mbedtls_ecp_point q;
        mbedtls_ecp_point_init(&q);
        mbedtls_mpi_init(&s_d[k]);
        int rc = mbedtls_ecp_gen_keypair(&s_grp, &s_d[k], &q, mbedtls_ctr_drbg_random, &s_drbg);
        rc = rc ? rc
                : mbedtls_ecp_point_write_binary(&s_grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                                 s_pub[k], WBOTA_P256_PUB_LEN);
        mbedtls_ecp_point_free(&q);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static int prv_teardown(void **state)
{
    (void)state;
    mbedtls_mpi_free(&s_d[0]);
    mbedtls_mpi_free(&s_d[1]);
    mbedtls_ecp_group_free(&s_grp);
    mbedtls_ctr_drbg_free(&s_drbg);
    return 0;
}

static void prv_sign(int k, const uint8_t *msg, size_t len, uint8_t sig[64])
{
    uint8_t digest[32];
    mbedtls_mpi r, s;
    wbota_sha256(msg, len, digest);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    assert_int_equal(
        mbedtls_ecdsa_sign(&s_grp, &r, &s, &s_d[k], digest, 32, mbedtls_ctr_drbg_random, &s_drbg),
        0);
    assert_int_equal(mbedtls_mpi_write_binary(&r, sig, 32), 0);
    assert_int_equal(mbedtls_mpi_write_binary(&s, sig + 32, 32), 0);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
}

/* Plain ST image: vectors, tag pointer, body, magic last. The rest of the region is erased. */
static void prv_build_plain(uint32_t body_len)
{
    memset(s_img.flash, 0xFF, sizeof(s_img.flash));
    wbota_put_le32(s_img.flash + 0, 0x20030000u);  /* initial SP */
    wbota_put_le32(s_img.flash + 4, APP + 0x181u); /* reset vector, Thumb */
    for (uint32_t i = 8; i < body_len; i++) {
        s_img.flash[i] = (uint8_t)(i * 13u);
    }
    s_img.magic_addr = APP + body_len;
    s_img.h = s_img.magic_addr;
    s_img.mlen = 0;
    wbota_put_le32(s_img.flash + WBOTA_TAG_PTR_OFFSET, s_img.magic_addr);
    wbota_put_le32(s_img.flash + body_len, WBOTA_TAG_MAGIC);
}

/* wbota image: body, manifest at H, magic at M = H + L. key < 0: unsigned. */
static void prv_build_wbota(int key, uint32_t sec_counter)
{
    wbota_manifest_params_t p;
    uint8_t m[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0, sig_off = 0, signed_len = 0;

    prv_build_plain(BODY_LEN);
    memset(&p, 0, sizeof(p));
    p.load_addr = APP;
    p.image_size = BODY_LEN;
    p.version.major = 2;
    p.sec_counter = sec_counter;
    p.with_signature = (key >= 0);
    p.key_id = (key >= 0) ? wbota_key_id(s_pub[key]) : 0u;
    /* The tag pointer is part of the hashed bytes: set it before hashing. */
    assert_int_equal(wbota_manifest_encode(&p, m, sizeof(m), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    s_img.h = APP + BODY_LEN;
    s_img.mlen = len;
    s_img.magic_addr = s_img.h + (uint32_t)len;
    wbota_put_le32(s_img.flash + WBOTA_TAG_PTR_OFFSET, s_img.magic_addr);
    wbota_sha256(s_img.flash, BODY_LEN, p.sha256);
    assert_int_equal(wbota_manifest_encode(&p, m, sizeof(m), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    if (key >= 0) {
        prv_sign(key, m, signed_len, m + sig_off);
    }
    memcpy(s_img.flash + BODY_LEN, m, len);
    wbota_put_le32(s_img.flash + BODY_LEN + len, WBOTA_TAG_MAGIC);
}

static wbota_err_t prv_verify_n(uint32_t held, wbota_policy_t pol, const wbota_trust_t *trust,
                                const wbota_precomputed_hash_t *pre, wbota_image_info_t *info)
{
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, APP, s_img.flash, held);
    return wbota_image_verify(&mem, &s_lay, pol, trust, pre, info);
}

static wbota_err_t prv_verify(wbota_policy_t pol, const wbota_trust_t *trust,
                              wbota_image_info_t *info)
{
    return prv_verify_n(REGION, pol, trust, NULL, info);
}

static const wbota_trust_t *prv_trust(int key, uint32_t min)
{
    static wbota_trust_t t;
    t.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])s_pub[key];
    t.n_keys = 1;
    t.min_sec_counter = min;
    return &t;
}

/* ---- buffer reader ---- */

static void test_image_buffer_reader_bounds_enforced(void **state)
{
    (void)state;
    const uint8_t data[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    uint8_t out[16];
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, 0x1000u, data, sizeof(data));

    assert_int_equal(mem.read_cb(mem.ctx, 0x1000u, out, 16), WBOTA_OK);
    assert_memory_equal(out, data, 16);
    assert_int_equal(mem.read_cb(mem.ctx, 0x100Cu, out, 4), WBOTA_OK);
    assert_int_equal(out[0], 13);
    assert_int_equal(mem.read_cb(mem.ctx, 0x0FFFu, out, 2), WBOTA_E_RANGE);
    assert_int_equal(mem.read_cb(mem.ctx, 0x100Du, out, 4), WBOTA_E_RANGE);
    assert_int_equal(mem.read_cb(mem.ctx, 0xFFFFFFFFu, out, 2), WBOTA_E_RANGE);
    assert_int_equal(mem.read_cb(mem.ctx, 0x1001u, out, 0xFFFFFFFFu), WBOTA_E_RANGE);
}

/* ---- ST rule ---- */

static void test_image_plain_st_policy_st_ok(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_plain(BODY_LEN);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, &info), WBOTA_OK);
    assert_int_equal(info.app_start, APP);
    assert_int_equal(info.magic_addr, APP + BODY_LEN);
    assert_int_equal(info.image_end, APP + BODY_LEN + 4u);
    assert_int_equal(info.initial_sp, 0x20030000u);
    assert_int_equal(info.reset_vector, APP + 0x181u);
    assert_false(info.has_manifest);
    assert_false(info.hash_checked);
}

static void test_image_plain_st_policy_signed_manifest_missing(void **state)
{
    (void)state;
    prv_build_plain(BODY_LEN);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), NULL),
                     WBOTA_E_MANIFEST_MISSING);
}

static void test_image_erased_region_no_app(void **state)
{
    (void)state;
    memset(s_img.flash, 0xFF, sizeof(s_img.flash));
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_NO_APP);
    /* Nothing readable at the app start at all. */
    assert_int_equal(prv_verify_n(0, WBOTA_POLICY_ST, NULL, NULL, NULL), WBOTA_E_NO_APP);
}

static void test_image_tag_ptr_bad_values_rejected(void **state)
{
    (void)state;
    const uint32_t bad[] = {
        0x08000000u,                     /* ST accepts anything from the flash base: we do not */
        APP + 0x100u,                    /* inside the vector table */
        APP + 0x140u,                    /* the tag pointer itself */
        APP + BODY_LEN + 2u,             /* unaligned */
        SFSA * 4096u + 0x08000000u - 2u, /* magic would cross SFSA */
        SFSA * 4096u + 0x08000000u,      /* CPU2 area */
        0x20000000u,
        0x00000000u,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        prv_build_plain(BODY_LEN);
        wbota_put_le32(s_img.flash + WBOTA_TAG_PTR_OFFSET, bad[i]);
        assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_TAG_PTR);
    }
}

static void test_image_magic_at_region_end_ok(void **state)
{
    (void)state;
    /* Largest image: the magic is the last word before SFSA. */
    prv_build_plain(REGION - 4u);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_OK);
}

static void test_image_magic_missing_partial_upload_rejected(void **state)
{
    (void)state;
    /* A partial upload: everything up to (not including) the magic arrived. */
    prv_build_plain(BODY_LEN);
    memset(s_img.flash + BODY_LEN, 0xFF, 4);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_MAGIC);
    /* The same image held in a buffer that simply ends before the magic (host tool). */
    prv_build_plain(BODY_LEN);
    assert_int_equal(prv_verify_n(BODY_LEN, WBOTA_POLICY_ST, NULL, NULL, NULL), WBOTA_E_MAGIC);
    assert_int_equal(prv_verify_n(BODY_LEN + 4u, WBOTA_POLICY_ST, NULL, NULL, NULL), WBOTA_OK);
}

static void test_image_partial_wbota_upload_rejected(void **state)
{
    (void)state;
    /* Every prefix of a signed image that stops before the magic fails (sampled by 8 bytes). */
    prv_build_wbota(0, 1);
    for (uint32_t n = 0; n < BODY_LEN + (uint32_t)s_img.mlen + 4u; n += 8u) {
        wbota_err_t err = prv_verify_n(n, WBOTA_POLICY_ST, NULL, NULL, NULL);
        assert_true(err != WBOTA_OK);
    }
    assert_int_equal(prv_verify_n(BODY_LEN + (uint32_t)s_img.mlen + 4u, WBOTA_POLICY_SIGNED,
                                  prv_trust(0, 0), NULL, NULL),
                     WBOTA_OK);
}

static void test_image_short_vector_table_truncated(void **state)
{
    (void)state;
    prv_build_plain(BODY_LEN);
    assert_int_equal(prv_verify_n(0x100u, WBOTA_POLICY_ST, NULL, NULL, NULL), WBOTA_E_TRUNCATED);
}

static void test_image_bad_layout_rejected(void **state)
{
    (void)state;
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, APP, s_img.flash, REGION);
    wbota_layout_t lay = wbota_layout_default(5); /* SFSA below the app start */
    prv_build_plain(BODY_LEN);
    assert_int_equal(wbota_image_verify(&mem, &lay, WBOTA_POLICY_ST, NULL, NULL, NULL),
                     WBOTA_E_RANGE);
    assert_int_equal(wbota_image_verify(&mem, &s_lay, (wbota_policy_t)7, NULL, NULL, NULL),
                     WBOTA_E_ARG);
}

/* ---- vector table ---- */

static void test_image_bad_initial_sp_rejected(void **state)
{
    (void)state;
    const uint32_t bad[] = {0x2002FFFCu, 0x20000008u, 0x20000000u, 0x20030008u,
                            0x10000000u, 0xFFFFFFF8u, 0x00000000u};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        prv_build_plain(BODY_LEN);
        wbota_put_le32(s_img.flash, bad[i]);
        assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_VT_SP);
    }
    prv_build_plain(BODY_LEN);
    wbota_put_le32(s_img.flash, 0x20000010u); /* lowest legal */
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_OK);
}

static void test_image_bad_reset_vector_rejected(void **state)
{
    (void)state;
    const uint32_t bad[] = {APP + 0x180u,             /* ARM, not Thumb */
                            APP - 0x1000u + 1u,       /* in the loader */
                            APP + BODY_LEN + 4u + 1u, /* past the image end */
                            0x1FFF0001u};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        prv_build_plain(BODY_LEN);
        wbota_put_le32(s_img.flash + 4, bad[i]);
        assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_VT_RESET);
    }
}

/* ---- manifest and policy ---- */

static void test_image_unsigned_manifest_policy_st_hash_checked(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_wbota(-1, 3);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, &info), WBOTA_OK);
    assert_true(info.has_manifest);
    assert_true(info.hash_checked);
    assert_true(info.hash_ok);
    assert_false(info.sig_checked);
    assert_int_equal(info.manifest.version.major, 2);
    assert_int_equal(info.manifest.image_size, BODY_LEN);
}

static void test_image_corrupt_body_hash_rejected(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_wbota(-1, 0);
    s_img.flash[0x300] ^= 0x01u;
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, &info), WBOTA_E_HASH);
    assert_true(info.hash_checked);
    assert_false(info.hash_ok);
}

static void test_image_unsigned_manifest_policy_signed_sig_missing(void **state)
{
    (void)state;
    prv_build_wbota(-1, 0);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), NULL), WBOTA_E_SIG_MISSING);
}

static void test_image_signed_trusted_key_ok(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_wbota(0, 5);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 5), &info), WBOTA_OK);
    assert_true(info.sig_checked);
    assert_true(info.sig_ok);
    assert_true(info.hash_ok);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, prv_trust(0, 0), &info), WBOTA_OK);
    assert_true(info.sig_checked);
}

static void test_image_signed_unknown_key_policy_signed_key_id(void **state)
{
    (void)state;
    prv_build_wbota(1, 0);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), NULL), WBOTA_E_KEY_ID);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, NULL, NULL), WBOTA_E_KEY_ID);
}

static void test_image_signed_unknown_key_policy_st_hash_only(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_wbota(1, 0);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, prv_trust(0, 0), &info), WBOTA_OK);
    assert_true(info.hash_ok);
    assert_false(info.sig_checked);
}

static void test_image_tampered_signature_rejected(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_wbota(0, 0);
    size_t sig_off;
    /* Locate the signature through the parser. */
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), &info), WBOTA_OK);
    sig_off = BODY_LEN + info.manifest.signed_len + 2u;
    s_img.flash[sig_off + 5] ^= 0x10u;
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), &info), WBOTA_E_SIG);
    assert_true(info.sig_checked);
    assert_false(info.sig_ok);
    /* Under ST a signature by a key we hold must still verify. */
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, prv_trust(0, 0), NULL), WBOTA_E_SIG);
}

static void test_image_tampered_signed_field_rejected(void **state)
{
    (void)state;
    wbota_image_info_t info;
    prv_build_wbota(0, 7);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), &info), WBOTA_OK);
    /* Raise the security counter (a signed field) without re-signing. */
    uint8_t *m = s_img.flash + BODY_LEN;
    size_t off = 16;
    while (m[off] != WBOTA_TLV_SEC_COUNTER) {
        off += 2u + m[off + 1];
    }
    m[off + 2] = 9;
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 0), NULL), WBOTA_E_SIG);
}

static void test_image_lower_sec_counter_downgrade(void **state)
{
    (void)state;
    prv_build_wbota(0, 4);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 5), NULL), WBOTA_E_DOWNGRADE);
    assert_int_equal(prv_verify(WBOTA_POLICY_SIGNED, prv_trust(0, 4), NULL), WBOTA_OK);
    prv_build_wbota(-1, 4);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, prv_trust(0, 5), NULL), WBOTA_E_DOWNGRADE);
}

static void test_image_manifest_size_fields_inconsistent(void **state)
{
    (void)state;
    wbota_manifest_params_t p;
    uint8_t m[WBOTA_MANIFEST_MAX_LEN];
    size_t len;
    const uint32_t loads[] = {APP, APP + 8u};
    const uint32_t sizes[] = {BODY_LEN - 8u, BODY_LEN};
    for (int i = 0; i < 2; i++) {
        prv_build_wbota(-1, 0);
        memset(&p, 0, sizeof(p));
        p.load_addr = loads[i];
        p.image_size = sizes[i];
        wbota_sha256(s_img.flash, BODY_LEN, p.sha256);
        assert_int_equal(wbota_manifest_encode(&p, m, sizeof(m), &len, NULL, NULL), WBOTA_OK);
        assert_int_equal(len, s_img.mlen);
        memcpy(s_img.flash + BODY_LEN, m, len);
        assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_SIZE);
    }
}

static void test_image_manifest_claims_past_room_rejected(void **state)
{
    (void)state;
    prv_build_wbota(-1, 0);
    /* Trailer L says 504: more than the bytes between the tag pointer and the magic. */
    uint8_t *tr = s_img.flash + BODY_LEN + s_img.mlen - 8u;
    wbota_put_le16(tr + 2, 504);
    uint8_t saved[8];
    memcpy(saved, tr, sizeof(saved));
    uint32_t m_addr = APP + 0x1C0u; /* move the magic close to the vector table */
    prv_build_plain(0x1C0u);
    memcpy(s_img.flash + 0x1C0u - 8u, saved, sizeof(saved));
    assert_int_equal(m_addr, s_img.magic_addr);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_MANIFEST_FORMAT);
    /* L over the format maximum. */
    prv_build_wbota(-1, 0);
    tr = s_img.flash + BODY_LEN + s_img.mlen - 8u;
    wbota_put_le16(tr + 2, 520);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_MANIFEST_FORMAT);
    /* L not a multiple of 8. */
    wbota_put_le16(tr + 2, (uint16_t)(s_img.mlen - 4u));
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_MANIFEST_FORMAT);
}

static void test_image_precomputed_hash_used_when_end_matches(void **state)
{
    (void)state;
    wbota_precomputed_hash_t pre;
    wbota_image_info_t info;
    prv_build_wbota(-1, 0);
    pre.end = s_img.h;
    wbota_sha256(s_img.flash, BODY_LEN, pre.sha256);
    assert_int_equal(prv_verify_n(REGION, WBOTA_POLICY_ST, NULL, &pre, &info), WBOTA_OK);
    /* A wrong digest for the right end is believed (and fails): proves it was used. */
    pre.sha256[0] ^= 1u;
    assert_int_equal(prv_verify_n(REGION, WBOTA_POLICY_ST, NULL, &pre, &info), WBOTA_E_HASH);
    /* For another end it is ignored and the image is hashed from flash. */
    pre.end = s_img.h - 8u;
    assert_int_equal(prv_verify_n(REGION, WBOTA_POLICY_ST, NULL, &pre, &info), WBOTA_OK);
}

static void test_image_st_trailer_lookalike_rejected(void **state)
{
    (void)state;
    /* A plain ST image whose last bytes before the magic spell "WBOT" is read as a manifest. */
    prv_build_plain(BODY_LEN);
    wbota_put_le32(s_img.flash + BODY_LEN - 4u, WBOTA_MANIFEST_TRAILER);
    assert_int_equal(prv_verify(WBOTA_POLICY_ST, NULL, NULL), WBOTA_E_MANIFEST_FORMAT);
}

/* Reader over s_img.flash that fails inside one hole, like an unreadable flash range. */
typedef struct {
    uint32_t hole_lo, hole_hi;
} hole_t;

static wbota_err_t prv_holey_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    const hole_t *h = (const hole_t *)ctx;
    if (addr < APP || addr - APP > REGION || len > REGION - (addr - APP)) {
        return WBOTA_E_RANGE;
    }
    if (addr < h->hole_hi && addr + len > h->hole_lo) {
        return WBOTA_E_FLASH_VERIFY;
    }
    memcpy(buf, s_img.flash + (addr - APP), len);
    return WBOTA_OK;
}

static void test_image_read_error_while_hashing_truncated(void **state)
{
    (void)state;
    hole_t hole = {APP + 0x200u, APP + 0x208u}; /* inside the hashed body */
    wbota_mem_t mem = {prv_holey_read_cb, &hole};
    prv_build_wbota(0, 0);
    assert_int_equal(wbota_image_verify(&mem, &s_lay, WBOTA_POLICY_ST, NULL, NULL, NULL),
                     WBOTA_E_TRUNCATED);
    /* A hole inside the manifest: it is read (and fails) before any digest is taken. */
    hole.hole_lo = s_img.h + 20u;
    hole.hole_hi = s_img.h + 21u;
    assert_int_equal(
        wbota_image_verify(&mem, &s_lay, WBOTA_POLICY_SIGNED, prv_trust(0, 0), NULL, NULL),
        WBOTA_E_MANIFEST_FORMAT); /* the manifest itself cannot be read first */
    /* With the hole gone the same image verifies: the failures above came from the hole. */
    hole.hole_lo = hole.hole_hi = 0u;
    assert_int_equal(
        wbota_image_verify(&mem, &s_lay, WBOTA_POLICY_SIGNED, prv_trust(0, 0), NULL, NULL),
        WBOTA_OK);
}

static void test_image_step_functions_misuse_arg(void **state)
{
    (void)state;
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, APP, s_img.flash, REGION);
    wbota_image_info_t info;
    prv_build_plain(BODY_LEN);
    memset(&info, 0, sizeof(info));
    assert_int_equal(wbota_image_check_st(&mem, &s_lay, NULL), WBOTA_E_ARG);
    /* vectors and manifest need the image bounds from check_st first */
    assert_int_equal(wbota_image_check_vectors(&mem, &info), WBOTA_E_ARG);
    assert_int_equal(wbota_image_find_manifest(&mem, &s_lay, &info), WBOTA_E_ARG);
    assert_int_equal(wbota_image_check_st(&mem, &s_lay, &info), WBOTA_OK);
    assert_int_equal(wbota_image_check_vectors(&mem, &info), WBOTA_OK);
    assert_int_equal(wbota_image_find_manifest(&mem, &s_lay, &info), WBOTA_OK);
    assert_false(info.has_manifest);
    /* A reader without a callback reads nothing. */
    wbota_mem_t none = {NULL, NULL};
    assert_int_equal(wbota_image_verify(&none, &s_lay, WBOTA_POLICY_ST, NULL, NULL, NULL),
                     WBOTA_E_NO_APP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_buffer_reader_bounds_enforced),
        cmocka_unit_test(test_image_plain_st_policy_st_ok),
        cmocka_unit_test(test_image_plain_st_policy_signed_manifest_missing),
        cmocka_unit_test(test_image_erased_region_no_app),
        cmocka_unit_test(test_image_tag_ptr_bad_values_rejected),
        cmocka_unit_test(test_image_magic_at_region_end_ok),
        cmocka_unit_test(test_image_magic_missing_partial_upload_rejected),
        cmocka_unit_test(test_image_partial_wbota_upload_rejected),
        cmocka_unit_test(test_image_short_vector_table_truncated),
        cmocka_unit_test(test_image_bad_layout_rejected),
        cmocka_unit_test(test_image_bad_initial_sp_rejected),
        cmocka_unit_test(test_image_bad_reset_vector_rejected),
        cmocka_unit_test(test_image_unsigned_manifest_policy_st_hash_checked),
        cmocka_unit_test(test_image_corrupt_body_hash_rejected),
        cmocka_unit_test(test_image_unsigned_manifest_policy_signed_sig_missing),
        cmocka_unit_test(test_image_signed_trusted_key_ok),
        cmocka_unit_test(test_image_signed_unknown_key_policy_signed_key_id),
        cmocka_unit_test(test_image_signed_unknown_key_policy_st_hash_only),
        cmocka_unit_test(test_image_tampered_signature_rejected),
        cmocka_unit_test(test_image_tampered_signed_field_rejected),
        cmocka_unit_test(test_image_lower_sec_counter_downgrade),
        cmocka_unit_test(test_image_manifest_size_fields_inconsistent),
        cmocka_unit_test(test_image_manifest_claims_past_room_rejected),
        cmocka_unit_test(test_image_precomputed_hash_used_when_end_matches),
        cmocka_unit_test(test_image_st_trailer_lookalike_rejected),
        cmocka_unit_test(test_image_read_error_while_hashing_truncated),
        cmocka_unit_test(test_image_step_functions_misuse_arg),
    };
    return cmocka_run_group_tests(tests, prv_setup, prv_teardown);
}
