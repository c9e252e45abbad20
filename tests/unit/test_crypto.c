/* test_crypto.c - the crypto wrapper against published vectors only (no value computed by the
 * code under test): SHA-256 from FIPS 180-2 appendix B, ECDSA P-256 / SHA-256 from RFC 6979
 * appendix A.2.5 (key and the deterministic signatures of "sample" and "test"). The host
 * compiles the loader's very SHA-256 and p256-m sources (cmake/mbedtls.cmake), so these are
 * the host/firmware agreement vectors; the e2e `signed` scenario runs the same on the
 * emulated loader. Then: one flipped bit in digest, r, s or key fails, and so do r or s of 0
 * or >= n and a key that is not an uncompressed point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/crypto.h"

/* FIPS 180-2 appendix B.1 ("abc"), B.2 (two blocks), B.3 (one million 'a'). */
static const uint8_t s_abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                  0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                  0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
static const uint8_t s_two_blocks[32] = {
    0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
    0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1};
static const char s_msg2[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const uint8_t s_million_a[32] = {
    0xcd, 0xc7, 0x6e, 0x5c, 0x99, 0x14, 0xfb, 0x92, 0x81, 0xa1, 0xc7, 0xe2, 0x84, 0xd7, 0x3e, 0x67,
    0xf1, 0x80, 0x9a, 0x48, 0xa4, 0x97, 0x20, 0x0e, 0x04, 0x6d, 0x39, 0xcc, 0xc7, 0x11, 0x2c, 0xd0};

/* RFC 6979 A.2.5: public key U = (Ux, Uy) of x = C9AFA9D8...120F6721, uncompressed. */
static const uint8_t s_rfc_pub[WBOTA_P256_PUB_LEN] = {
    0x04, 0x60, 0xFE, 0xD4, 0xBA, 0x25, 0x5A, 0x9D, 0x31, 0xC9, 0x61, 0xEB, 0x74,
    0xC6, 0x35, 0x6D, 0x68, 0xC0, 0x49, 0xB8, 0x92, 0x3B, 0x61, 0xFA, 0x6C, 0xE6,
    0x69, 0x62, 0x2E, 0x60, 0xF2, 0x9F, 0xB6, 0x79, 0x03, 0xFE, 0x10, 0x08, 0xB8,
    0xBC, 0x99, 0xA4, 0x1A, 0xE9, 0xE9, 0x56, 0x28, 0xBC, 0x64, 0xF2, 0xF1, 0xB2,
    0x0C, 0x2D, 0x7E, 0x9F, 0x51, 0x77, 0xA3, 0xC2, 0x94, 0xD4, 0x46, 0x22, 0x99};
/* With SHA-256, message "sample": r || s. */
static const uint8_t s_rfc_sig_sample[WBOTA_P256_SIG_LEN] = {
    0xEF, 0xD4, 0x8B, 0x2A, 0xAC, 0xB6, 0xA8, 0xFD, 0x11, 0x40, 0xDD, 0x9C, 0xD4, 0x5E, 0x81, 0xD6,
    0x9D, 0x2C, 0x87, 0x7B, 0x56, 0xAA, 0xF9, 0x91, 0xC3, 0x4D, 0x0E, 0xA8, 0x4E, 0xAF, 0x37, 0x16,
    0xF7, 0xCB, 0x1C, 0x94, 0x2D, 0x65, 0x7C, 0x41, 0xD4, 0x36, 0xC7, 0xA1, 0xB6, 0xE2, 0x9F, 0x65,
    0xF3, 0xE9, 0x00, 0xDB, 0xB9, 0xAF, 0xF4, 0x06, 0x4D, 0xC4, 0xAB, 0x2F, 0x84, 0x3A, 0xCD, 0xA8};
/* With SHA-256, message "test": r || s (s has a leading 0x01 byte: short-looking scalar). */
static const uint8_t s_rfc_sig_test[WBOTA_P256_SIG_LEN] = {
    0xF1, 0xAB, 0xB0, 0x23, 0x51, 0x83, 0x51, 0xCD, 0x71, 0xD8, 0x81, 0x56, 0x7B, 0x1E, 0xA6, 0x63,
    0xED, 0x3E, 0xFC, 0xF6, 0xC5, 0x13, 0x2B, 0x35, 0x4F, 0x28, 0xD3, 0xB0, 0xB7, 0xD3, 0x83, 0x67,
    0x01, 0x9F, 0x41, 0x13, 0x74, 0x2A, 0x2B, 0x14, 0xBD, 0x25, 0x92, 0x6B, 0x49, 0xC6, 0x49, 0x15,
    0x5F, 0x26, 0x7E, 0x60, 0xD3, 0x81, 0x4B, 0x4C, 0x0C, 0xC8, 0x42, 0x50, 0xE4, 0x6F, 0x00, 0x83};
/* P-256 group order n (FIPS 186-4 D.1.2.3). */
static const uint8_t s_order_n[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

static void prv_digest(const char *msg, uint8_t out[WBOTA_SHA256_LEN])
{
    wbota_sha256((const uint8_t *)msg, strlen(msg), out);
}

static void test_sha256_abc_known_answer(void **state)
{
    (void)state;
    uint8_t out[32];
    wbota_sha256((const uint8_t *)"abc", 3, out);
    assert_memory_equal(out, s_abc, 32);
}

static void test_sha256_incremental_matches_one_shot(void **state)
{
    (void)state;
    uint8_t out[32];
    wbota_sha256_t ctx;
    size_t len = strlen(s_msg2);
    /* Odd chunk sizes and an empty feed; 56 bytes force the padding into a second block. */
    wbota_sha256_start(&ctx);
    wbota_sha256_feed(&ctx, (const uint8_t *)s_msg2, 0);
    wbota_sha256_feed(&ctx, (const uint8_t *)s_msg2, 7);
    wbota_sha256_feed(&ctx, (const uint8_t *)s_msg2 + 7, 40);
    wbota_sha256_feed(&ctx, (const uint8_t *)s_msg2 + 47, len - 47);
    wbota_sha256_finish(&ctx, out);
    assert_memory_equal(out, s_two_blocks, 32);
    wbota_sha256((const uint8_t *)s_msg2, len, out);
    assert_memory_equal(out, s_two_blocks, 32);
}

static void test_sha256_million_a_in_odd_chunks(void **state)
{
    (void)state;
    uint8_t chunk[997];
    uint8_t out[32];
    wbota_sha256_t ctx;
    memset(chunk, 'a', sizeof(chunk));
    wbota_sha256_start(&ctx);
    size_t left = 1000000u;
    while (left > 0u) {
        size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
        wbota_sha256_feed(&ctx, chunk, n);
        left -= n;
    }
    wbota_sha256_finish(&ctx, out);
    assert_memory_equal(out, s_million_a, 32);
}

static void test_p256_verify_rfc6979_vectors_ok(void **state)
{
    (void)state;
    uint8_t d[32];
    prv_digest("sample", d);
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, s_rfc_sig_sample), WBOTA_OK);
    prv_digest("test", d);
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, s_rfc_sig_test), WBOTA_OK);
    /* each signature belongs to its own message only */
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, s_rfc_sig_sample), WBOTA_E_SIG);
}

static void test_p256_verify_flipped_digest_bit_rejected(void **state)
{
    (void)state;
    uint8_t good[32];
    prv_digest("sample", good);
    for (size_t i = 0; i < 32; i += 5) {
        uint8_t d[32];
        memcpy(d, good, 32);
        d[i] ^= (uint8_t)(1u << (i % 8u));
        assert_int_equal(wbota_p256_verify(s_rfc_pub, d, s_rfc_sig_sample), WBOTA_E_SIG);
    }
}

/* The RFC 6979 sample with bit 0 of one byte flipped (bytes 0-64 the key, 65-128 the signature)
 * does not verify. */
static void prv_verify_flipped(const uint8_t d[32], size_t at)
{
    uint8_t key_sig[65 + 64];
    memcpy(key_sig, s_rfc_pub, 65);
    memcpy(key_sig + 65, s_rfc_sig_sample, 64);
    key_sig[at] ^= 0x01u;
    assert_int_equal(wbota_p256_verify(key_sig, d, key_sig + 65), WBOTA_E_SIG);
}

static void test_p256_verify_flipped_r_or_s_bit_rejected(void **state)
{
    (void)state;
    uint8_t d[32];
    prv_digest("sample", d);
    const size_t pos[] = {0, 17, 31, 32, 45, 63};
    for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
        prv_verify_flipped(d, 65u + pos[i]);
    }
}

static void test_p256_verify_flipped_key_bit_rejected(void **state)
{
    (void)state;
    uint8_t d[32];
    prv_digest("sample", d);
    /* byte 0: 0x05 is not the uncompressed prefix; the others move the point off the curve */
    const size_t pos[] = {0, 1, 20, 33, 64};
    for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
        prv_verify_flipped(d, pos[i]);
    }
}

static void test_p256_verify_zero_or_order_scalars_rejected(void **state)
{
    (void)state;
    uint8_t d[32];
    uint8_t sig[64];
    prv_digest("sample", d);
    memset(sig, 0, sizeof(sig));
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, sig), WBOTA_E_SIG);
    memset(sig, 0xFF, sizeof(sig)); /* r, s >= n */
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, sig), WBOTA_E_SIG);
    /* s replaced by n: equal to the order, outside [1, n-1] */
    memcpy(sig, s_rfc_sig_sample, 32);
    memcpy(sig + 32, s_order_n, 32);
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, sig), WBOTA_E_SIG);
    assert_int_equal(wbota_p256_verify(NULL, d, s_rfc_sig_sample), WBOTA_E_SIG);
    assert_int_equal(wbota_p256_verify(s_rfc_pub, NULL, s_rfc_sig_sample), WBOTA_E_SIG);
    assert_int_equal(wbota_p256_verify(s_rfc_pub, d, NULL), WBOTA_E_SIG);
}

static void test_key_id_first_four_hash_bytes_le(void **state)
{
    (void)state;
    uint8_t h[32];
    wbota_sha256(s_rfc_pub, sizeof(s_rfc_pub), h);
    uint32_t want =
        (uint32_t)h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
    assert_int_equal(wbota_key_id(s_rfc_pub), want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_abc_known_answer),
        cmocka_unit_test(test_sha256_incremental_matches_one_shot),
        cmocka_unit_test(test_sha256_million_a_in_odd_chunks),
        cmocka_unit_test(test_p256_verify_rfc6979_vectors_ok),
        cmocka_unit_test(test_p256_verify_flipped_digest_bit_rejected),
        cmocka_unit_test(test_p256_verify_flipped_r_or_s_bit_rejected),
        cmocka_unit_test(test_p256_verify_flipped_key_bit_rejected),
        cmocka_unit_test(test_p256_verify_zero_or_order_scalars_rejected),
        cmocka_unit_test(test_key_id_first_four_hash_bytes_le),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
