/* wbota/crypto.h - the one thin wrapper over mbedTLS used by host and firmware alike.
 * Owns: SHA-256 (incremental) and ECDSA P-256 signature verification (and, host only,
 * signing / key handling lives in tools/, not here). Backed by Debian's libmbedtls-dev on the
 * host and by the pinned Debian mbedTLS sources in the firmware build. No allocation here;
 * the firmware build configures mbedTLS with a static memory buffer. */
#ifndef WBOTA_CRYPTO_H
#define WBOTA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "wbota/err.h"

#define WBOTA_SHA256_LEN   32u
#define WBOTA_P256_PUB_LEN 65u /* uncompressed: 0x04 || X || Y */
#define WBOTA_P256_SIG_LEN 64u /* raw r || s, big-endian each */

/* Opaque, big enough for mbedtls_sha256_context on every build (checked in crypto.c). */
typedef struct {
    uint64_t opaque[16];
} wbota_sha256_t;

void wbota_sha256_start(wbota_sha256_t *ctx);
void wbota_sha256_feed(wbota_sha256_t *ctx, const uint8_t *data, size_t len);
void wbota_sha256_finish(wbota_sha256_t *ctx, uint8_t out[WBOTA_SHA256_LEN]);
void wbota_sha256(const uint8_t *data, size_t len, uint8_t out[WBOTA_SHA256_LEN]);

/* WBOTA_OK if sig (raw r||s) is a valid ECDSA P-256 signature of digest under pub
 * (uncompressed point), WBOTA_E_SIG otherwise (including a malformed key). */
wbota_err_t wbota_p256_verify(const uint8_t pub[WBOTA_P256_PUB_LEN],
                              const uint8_t digest[WBOTA_SHA256_LEN],
                              const uint8_t sig[WBOTA_P256_SIG_LEN]);

/* Key id = first 4 bytes of SHA-256(pub), little-endian u32. */
uint32_t wbota_key_id(const uint8_t pub[WBOTA_P256_PUB_LEN]);

/* Fixed-size first-fit allocator over caller memory. The firmware build routes mbedTLS's
 * calloc/free to one such pool (WBOTA_MBEDTLS_STATIC_HEAP bytes), re-initialised before every
 * verification; exposed so the host tests can exercise the code the loader runs.
 * calloc: zeroed, 8-byte aligned, NULL when it does not fit or n*size overflows.
 * free: NULL and pointers the pool did not hand out are ignored. */
typedef struct {
    uint64_t *units;
    size_t n_units;
} wbota_pool_t;
void wbota_pool_init(wbota_pool_t *pool, uint64_t *units, size_t n_units);
void *wbota_pool_calloc(wbota_pool_t *pool, size_t n, size_t size);
void wbota_pool_free(wbota_pool_t *pool, void *ptr);

#endif
