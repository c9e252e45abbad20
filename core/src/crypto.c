/* crypto.c - SHA-256 (mbedTLS 3.6) and the key id, see wbota/crypto.h. The ECDSA P-256
 * verification (p256-m from the same mbedTLS tree) is in crypto_p256.c. Firmware and host
 * compile these files and the mbedTLS sources alike (cmake/mbedtls.cmake): the host verifies
 * with exactly the loader's code. */
#include "wbota/crypto.h"

#include "mbedtls/sha256.h"

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

uint32_t wbota_key_id(const uint8_t pub[WBOTA_P256_PUB_LEN])
{
    uint8_t h[WBOTA_SHA256_LEN];
    wbota_sha256(pub, WBOTA_P256_PUB_LEN, h);
    return (uint32_t)h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
}
