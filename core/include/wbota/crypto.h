/* wbota/crypto.h - the one thin wrapper over mbedTLS used by host and firmware alike.
 * Owns: SHA-256 (incremental) and ECDSA P-256 signature verification (signing and key handling,
 * host only, live in tools/, not here). Backed by the pinned Debian mbedTLS 3.6 sources on both
 * sides: SHA-256 from mbedTLS, verification from p256-m (3rdparty of the same tree). No
 * allocation: everything is on the caller's stack. */
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

#endif
