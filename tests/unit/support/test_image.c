/* test_image.c - synthetic application images for host tests (see test_image.h). */
#include "test_image.h"

#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>

#include "wbota/bytes.h"

#define PRV_SP_TOP       0x20030000u
#define PRV_RESET_OFF    0x150u
#define PRV_MIN_BODY     (PRV_RESET_OFF + 8u)
#define PRV_VECTOR_WORDS 79u

/* Fixed private scalars: test keys only, never used for anything real. */
static const uint8_t s_priv_a[32] = {
    0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5, 0xc4, 0xd3, 0xe2, 0xf1, 0x00,
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};
static const uint8_t s_priv_b[32] = {
    0x42, 0x42, 0x42, 0x42, 0x13, 0x37, 0x13, 0x37, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18};

static uint32_t s_rng_state = 0x12345678u;

/* Deterministic "RNG" for blinding and the ECDSA nonce: fine for tests, never for products. */
static int prv_rng_cb(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        s_rng_state ^= s_rng_state << 13;
        s_rng_state ^= s_rng_state >> 17;
        s_rng_state ^= s_rng_state << 5;
        out[i] = (unsigned char)s_rng_state;
    }
    return 0;
}

static void prv_pub_of(const uint8_t priv[32], uint8_t pub[WBOTA_P256_PUB_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi d;
    size_t olen = 0;

    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&d);
    memset(pub, 0, WBOTA_P256_PUB_LEN);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
        mbedtls_mpi_read_binary(&d, priv, 32) == 0 &&
        mbedtls_ecp_mul(&grp, &q, &d, &grp.G, prv_rng_cb, NULL) == 0) {
        (void)mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub,
                                             WBOTA_P256_PUB_LEN);
    }
    mbedtls_mpi_free(&d);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
}

static bool prv_sign(const uint8_t priv[32], const uint8_t digest[WBOTA_SHA256_LEN],
                     uint8_t sig[WBOTA_P256_SIG_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_mpi d, r, s;
    bool ok = false;

    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
        mbedtls_mpi_read_binary(&d, priv, 32) == 0 &&
        mbedtls_ecdsa_sign(&grp, &r, &s, &d, digest, WBOTA_SHA256_LEN, prv_rng_cb, NULL) == 0 &&
        mbedtls_mpi_write_binary(&r, sig, 32) == 0 &&
        mbedtls_mpi_write_binary(&s, sig + 32, 32) == 0) {
        ok = true;
    }
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    return ok;
}

void test_image_pubkey(uint8_t pub[WBOTA_P256_PUB_LEN])
{
    prv_pub_of(s_priv_a, pub);
}

void test_image_other_pubkey(uint8_t pub[WBOTA_P256_PUB_LEN])
{
    prv_pub_of(s_priv_b, pub);
}

test_image_params_t test_image_defaults(void)
{
    test_image_params_t p;
    memset(&p, 0, sizeof p);
    p.base = WBOTA_FLASH_BASE + WBOTA_CFG_APP_START_PAGE * WBOTA_PAGE_SIZE;
    p.body_len = 2048u;
    p.version.major = 1u;
    p.version.build = 1u;
    p.sec_counter = 1u;
    p.with_manifest = true;
    p.seed = 1u;
    return p;
}

size_t test_image_build(const test_image_params_t *p, uint8_t *out, size_t cap, uint32_t *h_out,
                        uint32_t *m_out)
{
    uint32_t body = p->body_len < PRV_MIN_BODY ? PRV_MIN_BODY : p->body_len;
    uint32_t seed = p->seed ? p->seed : 1u;
    size_t man_len = 0;

    body = (body + 7u) & ~7u;
    if (cap < body + 4u) {
        return 0;
    }
    /* body: pseudo-random payload, then the vector table and the tag pointer over it */
    for (uint32_t i = 0; i < body; i++) {
        seed = seed * 1103515245u + 12345u;
        out[i] = (uint8_t)(seed >> 16);
    }
    wbota_put_le32(&out[0], PRV_SP_TOP);
    wbota_put_le32(&out[4], (p->base + PRV_RESET_OFF) | 1u);
    for (uint32_t v = 2; v < PRV_VECTOR_WORDS; v++) {
        wbota_put_le32(&out[v * 4u], (p->base + PRV_RESET_OFF + 4u) | 1u);
    }
    if (p->with_manifest) {
        wbota_manifest_params_t mp;
        size_t sig_off = 0, signed_len = 0;
        uint8_t pub[WBOTA_P256_PUB_LEN];

        memset(&mp, 0, sizeof mp);
        mp.load_addr = p->base;
        mp.image_size = body;
        mp.version = p->version;
        mp.sec_counter = p->sec_counter;
        mp.with_signature = p->sign;
        if (p->sign) {
            test_image_pubkey(pub);
            mp.key_id = wbota_key_id(pub);
        }
        /* the tag pointer is part of the hashed bytes: fix M before hashing */
        if (wbota_manifest_encode(&mp, out + body, cap - body - 4u, &man_len, &sig_off,
                                  &signed_len) != WBOTA_OK) {
            return 0;
        }
        wbota_put_le32(&out[WBOTA_TAG_PTR_OFFSET], p->base + body + (uint32_t)man_len);
        wbota_sha256(out, body, mp.sha256);
        if (wbota_manifest_encode(&mp, out + body, cap - body - 4u, &man_len, &sig_off,
                                  &signed_len) != WBOTA_OK) {
            return 0;
        }
        if (p->sign) {
            uint8_t digest[WBOTA_SHA256_LEN];
            wbota_sha256(out + body, signed_len, digest);
            if (!prv_sign(s_priv_a, digest, out + body + sig_off)) {
                return 0;
            }
        }
    } else {
        wbota_put_le32(&out[WBOTA_TAG_PTR_OFFSET], p->base + body);
    }
    uint32_t m = p->base + body + (uint32_t)man_len;
    wbota_put_le32(&out[m - p->base], WBOTA_TAG_MAGIC);
    if (h_out != NULL) {
        *h_out = p->base + body;
    }
    if (m_out != NULL) {
        *m_out = m;
    }
    return (size_t)(m - p->base) + 4u;
}

size_t test_wireless_build(uint32_t n, uint32_t seed, test_ws_signer_t signer, uint8_t kind,
                           uint8_t *out, size_t cap)
{
    wbota_manifest_params_t mp;
    uint8_t pub[WBOTA_P256_PUB_LEN];
    size_t man_len = 0, sig_off = 0, signed_len = 0;

    if ((n % 8u) != 0u || cap < n) {
        return 0;
    }
    seed = seed ? seed : 1u;
    for (uint32_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        out[i] = (uint8_t)(seed >> 16);
    }
    memset(&mp, 0, sizeof mp);
    mp.image_size = n;
    mp.kind = kind;
    mp.version.major = 1u;
    wbota_sha256(out, n, mp.sha256);
    mp.with_signature = signer != TEST_WS_UNSIGNED;
    if (signer == TEST_WS_OTHER_KEY) {
        test_image_other_pubkey(pub);
    } else {
        test_image_pubkey(pub);
    }
    mp.key_id = wbota_key_id(pub);
    if (wbota_manifest_encode(&mp, out + n, cap - n, &man_len, &sig_off, &signed_len) != WBOTA_OK) {
        return 0;
    }
    if (signer != TEST_WS_UNSIGNED) {
        uint8_t digest[WBOTA_SHA256_LEN];
        wbota_sha256(out + n, signed_len, digest);
        if (!prv_sign(signer == TEST_WS_KEY ? s_priv_a : s_priv_b, digest, out + n + sig_off)) {
            return 0;
        }
    }
    return n + man_len;
}
