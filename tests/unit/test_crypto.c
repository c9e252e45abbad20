/* test_crypto.c - SHA-256 known answers and ECDSA P-256 verification: a signature made here
 * with mbedTLS (fixed DRBG seed) verifies, and one flipped bit in digest, r, s or key fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"

#include "wbota/crypto.h"

/* FIPS 180-2 appendix B.1 and B.2. */
static const uint8_t s_abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                  0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                  0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
static const uint8_t s_two_blocks[32] = {
    0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
    0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1};
static const char s_msg2[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static uint8_t s_digest[WBOTA_SHA256_LEN];
static uint8_t s_sig[WBOTA_P256_SIG_LEN];

static int prv_fixed_entropy_cb(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    memset(out, 0x42, len);
    return 0;
}

static int prv_setup(void **state)
{
    (void)state;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ecdsa_context key;
    mbedtls_mpi r, s;
    size_t olen = 0;
    int rc;

    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_ecdsa_init(&key);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    wbota_sha256((const uint8_t *)"firmware", 8, s_digest);
    rc = mbedtls_ctr_drbg_seed(&drbg, prv_fixed_entropy_cb, NULL, NULL, 0);
    rc = rc ? rc
            : mbedtls_ecdsa_genkey(&key, MBEDTLS_ECP_DP_SECP256R1, mbedtls_ctr_drbg_random, &drbg);
    rc = rc ? rc
            : mbedtls_ecp_point_write_binary(&key.grp, &key.Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                             s_pub, sizeof(s_pub));
    rc = rc ? rc
            : mbedtls_ecdsa_sign(&key.grp, &r, &s, &key.d, s_digest, sizeof(s_digest),
                                 mbedtls_ctr_drbg_random, &drbg);
    rc = rc ? rc : mbedtls_mpi_write_binary(&r, s_sig, 32);
    rc = rc ? rc : mbedtls_mpi_write_binary(&s, s_sig + 32, 32);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_ecdsa_free(&key);
    mbedtls_ctr_drbg_free(&drbg);
    return (rc == 0 && olen == WBOTA_P256_PUB_LEN) ? 0 : -1;
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

static void test_p256_verify_valid_signature_ok(void **state)
{
    (void)state;
    assert_int_equal(wbota_p256_verify(s_pub, s_digest, s_sig), WBOTA_OK);
}

static void test_p256_verify_flipped_digest_bit_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < 32; i += 5) {
        uint8_t d[32];
        memcpy(d, s_digest, 32);
        d[i] ^= (uint8_t)(1u << (i % 8u));
        assert_int_equal(wbota_p256_verify(s_pub, d, s_sig), WBOTA_E_SIG);
    }
}

static void test_p256_verify_flipped_r_or_s_bit_rejected(void **state)
{
    (void)state;
    const size_t pos[] = {0, 17, 31, 32, 45, 63};
    for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
        uint8_t sig[64];
        memcpy(sig, s_sig, 64);
        sig[pos[i]] ^= 0x01u;
        assert_int_equal(wbota_p256_verify(s_pub, s_digest, sig), WBOTA_E_SIG);
    }
}

static void test_p256_verify_flipped_key_bit_rejected(void **state)
{
    (void)state;
    const size_t pos[] = {0, 1, 20, 33, 64};
    for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
        uint8_t pub[65];
        memcpy(pub, s_pub, 65);
        pub[pos[i]] ^= 0x01u;
        assert_int_equal(wbota_p256_verify(pub, s_digest, s_sig), WBOTA_E_SIG);
    }
}

static void test_p256_verify_zero_or_order_scalars_rejected(void **state)
{
    (void)state;
    uint8_t sig[64];
    memset(sig, 0, sizeof(sig));
    assert_int_equal(wbota_p256_verify(s_pub, s_digest, sig), WBOTA_E_SIG);
    memset(sig, 0xFF, sizeof(sig)); /* r, s >= n */
    assert_int_equal(wbota_p256_verify(s_pub, s_digest, sig), WBOTA_E_SIG);
    assert_int_equal(wbota_p256_verify(NULL, s_digest, s_sig), WBOTA_E_SIG);
}

static void test_key_id_first_four_hash_bytes_le(void **state)
{
    (void)state;
    uint8_t h[32];
    wbota_sha256(s_pub, sizeof(s_pub), h);
    uint32_t want =
        (uint32_t)h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
    assert_int_equal(wbota_key_id(s_pub), want);
}

/* ---- the fixed pool the firmware build gives mbedTLS ---- */

static void test_pool_calloc_zeroed_aligned_inside(void **state)
{
    (void)state;
    uint64_t mem[32];
    wbota_pool_t pool;
    memset(mem, 0xA5, sizeof(mem));
    wbota_pool_init(&pool, mem, 32);
    uint8_t *a = wbota_pool_calloc(&pool, 3, 7);
    uint8_t *b = wbota_pool_calloc(&pool, 1, 1);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(((uintptr_t)a % 8u) == 0u && ((uintptr_t)b % 8u) == 0u);
    assert_true(a > (uint8_t *)mem && b + 1 <= (uint8_t *)(mem + 32));
    assert_true(b >= a + 21); /* no overlap */
    for (int i = 0; i < 21; i++) {
        assert_int_equal(a[i], 0);
    }
    assert_int_equal(b[0], 0);
}

static void test_pool_exhausted_null_then_reused_after_free(void **state)
{
    (void)state;
    uint64_t mem[16];
    wbota_pool_t pool;
    wbota_pool_init(&pool, mem, 16);
    /* 16 units = three blocks of 5 (header + 32 bytes) + 1 spare unit. */
    void *a = wbota_pool_calloc(&pool, 32, 1);
    void *b = wbota_pool_calloc(&pool, 32, 1);
    void *c = wbota_pool_calloc(&pool, 32, 1);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_null(wbota_pool_calloc(&pool, 32, 1));
    /* Freeing two neighbours gives one 10-unit hole: a 72-byte block (10 units) fits only if
     * the pool merges them. */
    wbota_pool_free(&pool, b);
    wbota_pool_free(&pool, c);
    memset(b, 0x77, 32); /* stale contents must not leak into the next calloc */
    uint8_t *d = wbota_pool_calloc(&pool, 72, 1);
    assert_ptr_equal(d, b);
    for (int i = 0; i < 72; i++) {
        assert_int_equal(d[i], 0);
    }
    assert_null(wbota_pool_calloc(&pool, 16, 1));
}

static void test_pool_bad_requests_null(void **state)
{
    (void)state;
    uint64_t mem[8];
    wbota_pool_t pool;
    wbota_pool_init(&pool, mem, 8);
    assert_null(wbota_pool_calloc(&pool, 0, 8));
    assert_null(wbota_pool_calloc(&pool, 8, 0));
    assert_null(wbota_pool_calloc(&pool, SIZE_MAX / 2u + 1u, 2)); /* n*size overflows */
    assert_null(wbota_pool_calloc(&pool, 57, 1));                 /* needs 9 units of 8 */
    assert_non_null(wbota_pool_calloc(&pool, 56, 1));             /* exactly fills the pool */
}

static void test_pool_foreign_free_ignored(void **state)
{
    (void)state;
    uint64_t mem[8];
    uint64_t other[4] = {0};
    wbota_pool_t pool;
    wbota_pool_init(&pool, mem, 8);
    uint64_t *a = wbota_pool_calloc(&pool, 56, 1);
    assert_non_null(a);
    wbota_pool_free(&pool, NULL);
    wbota_pool_free(&pool, &other[1]);
    wbota_pool_free(&pool, &mem[0]);             /* the header itself, not a block */
    wbota_pool_free(&pool, a + 1);               /* inside a block: its "header" is user data (0) */
    assert_null(wbota_pool_calloc(&pool, 1, 1)); /* still full: nothing was released */
    wbota_pool_free(&pool, a);
    assert_ptr_equal(wbota_pool_calloc(&pool, 1, 1), a);
}

static void test_pool_random_workload_no_overlap(void **state)
{
    (void)state;
    static uint64_t mem[512];
    wbota_pool_t pool;
    uint8_t *ptr[24] = {0};
    size_t len[24] = {0};
    uint32_t rng = 12345u;
    size_t fails = 0;
    wbota_pool_init(&pool, mem, 512);
    for (int step = 0; step < 20000; step++) {
        rng = rng * 1103515245u + 12345u;
        size_t k = (rng >> 8) % 24u;
        if (ptr[k] != NULL) {
            for (size_t i = 0; i < len[k]; i++) {
                assert_int_equal(ptr[k][i], (uint8_t)k); /* nobody else wrote into it */
            }
            wbota_pool_free(&pool, ptr[k]);
            ptr[k] = NULL;
        } else {
            len[k] = 1u + (rng >> 16) % 300u;
            ptr[k] = wbota_pool_calloc(&pool, len[k], 1);
            if (ptr[k] == NULL) {
                fails++;
                continue;
            }
            for (size_t i = 0; i < len[k]; i++) {
                assert_int_equal(ptr[k][i], 0);
            }
            memset(ptr[k], (int)k, len[k]);
        }
    }
    /* 24 live blocks of at most 304 bytes need at most 24 * 39 = 936 units: with 512 units
     * some requests fail, but not most of them (merging works). */
    assert_true(fails < 20000u / 4u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_abc_known_answer),
        cmocka_unit_test(test_sha256_incremental_matches_one_shot),
        cmocka_unit_test(test_p256_verify_valid_signature_ok),
        cmocka_unit_test(test_p256_verify_flipped_digest_bit_rejected),
        cmocka_unit_test(test_p256_verify_flipped_r_or_s_bit_rejected),
        cmocka_unit_test(test_p256_verify_flipped_key_bit_rejected),
        cmocka_unit_test(test_p256_verify_zero_or_order_scalars_rejected),
        cmocka_unit_test(test_key_id_first_four_hash_bytes_le),
        cmocka_unit_test(test_pool_calloc_zeroed_aligned_inside),
        cmocka_unit_test(test_pool_exhausted_null_then_reused_after_free),
        cmocka_unit_test(test_pool_bad_requests_null),
        cmocka_unit_test(test_pool_foreign_free_ignored),
        cmocka_unit_test(test_pool_random_workload_no_overlap),
    };
    return cmocka_run_group_tests(tests, prv_setup, NULL);
}
