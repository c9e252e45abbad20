/* keys.h - ECDSA P-256 key handling of the wbota tool (mbedTLS pk/ecdsa on the host).
 * Owns: key generation (PEM, SEC1 "EC PRIVATE KEY" as openssl ecparam writes it), loading
 * private keys (SEC1 or PKCS#8 PEM/DER) and public keys (PEM/DER, or a private key), signing a
 * SHA-256 digest (deterministic, RFC 6979) and the C header export for the loader build.
 * Verification itself is the core's (wbota_p256_verify). Host only. */
#ifndef WBTOOL_KEYS_H
#define WBTOOL_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wbota/crypto.h"

typedef struct {
    uint8_t pub[WBOTA_P256_PUB_LEN];
    uint8_t priv[32]; /* big-endian scalar; all zero for a public-only key */
    int has_priv;
} wbtool_key_t;

/* New random key pair. WBOTA_OK or WBOTA_E_IO (entropy). */
wbota_err_t wbtool_key_generate(wbtool_key_t *k);
/* PEM text of the private key (SEC1) into out (cap >= 512). */
wbota_err_t wbtool_key_private_pem(const wbtool_key_t *k, char *out, size_t cap);
/* PEM text of the public key (SubjectPublicKeyInfo) into out (cap >= 256). */
wbota_err_t wbtool_key_public_pem(const wbtool_key_t *k, char *out, size_t cap);
/* Loads a key file: private (has_priv = 1) or public. WBOTA_E_IO (cannot read), WBOTA_E_PARSE
 * (not a P-256 key; msg says why). */
wbota_err_t wbtool_key_load(const char *path, wbtool_key_t *k, char *msg, size_t msg_cap);
/* Same from a buffer (used by tests). */
wbota_err_t wbtool_key_parse(const uint8_t *buf, size_t len, wbtool_key_t *k, char *msg,
                             size_t msg_cap);
/* Raw r||s signature of digest. WBOTA_E_ARG without a private key. */
wbota_err_t wbtool_key_sign(const wbtool_key_t *k, const uint8_t digest[WBOTA_SHA256_LEN],
                            uint8_t sig[WBOTA_P256_SIG_LEN]);
/* C header with `static const uint8_t <symbol>[65]`, the key id and an optional extra comment
 * line (comment may be NULL; must not contain a comment terminator). */
wbota_err_t wbtool_key_write_header(FILE *f, const wbtool_key_t *k, const char *symbol,
                                    const char *comment);

#endif
