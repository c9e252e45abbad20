/* crypto.c - SHA-256 (mbedTLS 3.6) and ECDSA P-256 verification (p256-m from the same mbedTLS
 * tree), see wbota/crypto.h. Firmware and host compile this file and those sources alike
 * (cmake/mbedtls.cmake): the host verifies with exactly the loader's code. p256-m works on the
 * stack only (no heap, no bignum): docs/dependencies.md#mbedtls. */
#include "wbota/crypto.h"

#include "mbedtls/sha256.h"
#include "p256-m.h"

/* p256-m's own key generation would call psa_generate_random; wbota never generates keys with
 * p256-m (the tool uses mbedTLS's ECP for that), so cmake/mbedtls.cmake routes that one call
 * here: no PSA core is linked, and a stray call fails closed instead of returning weak bytes. */
int32_t wbota_p256m_no_random(uint8_t *output, size_t output_size);
int32_t wbota_p256m_no_random(uint8_t *output, size_t output_size)
{
    (void)output;
    (void)output_size;
    return -134; /* PSA_ERROR_NOT_SUPPORTED */
}

_Static_assert(sizeof(mbedtls_sha256_context) <= sizeof(wbota_sha256_t),
               "wbota_sha256_t too small for mbedtls_sha256_context");
_Static_assert(_Alignof(mbedtls_sha256_context) <= _Alignof(wbota_sha256_t),
               "wbota_sha256_t under-aligned for mbedtls_sha256_context");

static mbedtls_sha256_context *prv_ctx(wbota_sha256_t *ctx)
{
    return (mbedtls_sha256_context *)(void *)ctx;
}

/* These only fail on hardware-accelerated ports (or for SHA-224, not built); the software
 * build cannot, so the result is deliberately ignored (a failure would surface as a hash
 * mismatch). */
void wbota_sha256_start(wbota_sha256_t *ctx)
{
    mbedtls_sha256_init(prv_ctx(ctx));
    (void)mbedtls_sha256_starts(prv_ctx(ctx), 0);
}

void wbota_sha256_feed(wbota_sha256_t *ctx, const uint8_t *data, size_t len)
{
    if (len == 0u) {
        return;
    }
    (void)mbedtls_sha256_update(prv_ctx(ctx), data, len);
}

void wbota_sha256_finish(wbota_sha256_t *ctx, uint8_t out[WBOTA_SHA256_LEN])
{
    (void)mbedtls_sha256_finish(prv_ctx(ctx), out);
    mbedtls_sha256_free(prv_ctx(ctx));
}

void wbota_sha256(const uint8_t *data, size_t len, uint8_t out[WBOTA_SHA256_LEN])
{
    wbota_sha256_t ctx;
    wbota_sha256_start(&ctx);
    wbota_sha256_feed(&ctx, data, len);
    wbota_sha256_finish(&ctx, out);
}

wbota_err_t wbota_p256_verify(const uint8_t pub[WBOTA_P256_PUB_LEN],
                              const uint8_t digest[WBOTA_SHA256_LEN],
                              const uint8_t sig[WBOTA_P256_SIG_LEN])
{
    if (pub == NULL || digest == NULL || sig == NULL || pub[0] != 0x04u) {
        return WBOTA_E_SIG; /* only the uncompressed form 0x04 || X || Y is a key here */
    }
    /* The public key may be built into the loader but the signature comes from the radio:
     * p256-m rejects r, s outside [1, n-1] and a key that is not a point on the curve
     * (SEC1 4.1.4 steps 1 and 3.2). */
    return (p256_ecdsa_verify(sig, pub + 1, digest, WBOTA_SHA256_LEN) == P256_SUCCESS)
               ? WBOTA_OK
               : WBOTA_E_SIG;
}

uint32_t wbota_key_id(const uint8_t pub[WBOTA_P256_PUB_LEN])
{
    uint8_t h[WBOTA_SHA256_LEN];
    wbota_sha256(pub, WBOTA_P256_PUB_LEN, h);
    return (uint32_t)h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
}
