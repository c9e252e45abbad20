/* wbota_mbedtls_host_config.h - mbedTLS 3.6 configuration of the host build (tool, emulator,
 * tests, fuzzers). Owns: the loader's configuration (firmware/mbedtls/wbota_mbedtls_config.h,
 * so the host verifies with the very same SHA-256 and p256-m code) plus what the host tool needs
 * for keys: key generation, PEM/DER parsing and writing, deterministic ECDSA signing
 * (RFC 6979), a DRBG seeded from the OS. Used by cmake/mbedtls.cmake for the host targets. */
#ifndef WBOTA_MBEDTLS_HOST_CONFIG_H
#define WBOTA_MBEDTLS_HOST_CONFIG_H

#include "wbota_mbedtls_config.h"

/* The firmware has no entropy source; the host takes it from the OS (getrandom). */
#undef MBEDTLS_NO_PLATFORM_ENTROPY

/* The host hashes whole images: the unrolled SHA-256 rounds (fast, size does not matter). */
#undef MBEDTLS_SHA256_SMALLER

#define MBEDTLS_HAVE_ASM
#define MBEDTLS_FS_IO

/* Keys: P-256 generation, signing (deterministic, RFC 6979, blinded by the DRBG) */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_MD_C

/* Key files: PEM / DER, SEC1 and PKCS#8 (unencrypted), SubjectPublicKeyInfo */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C

/* Randomness for key generation and blinding */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_AES_C

#endif
