/* wbota_mbedtls_config.h - mbedTLS 2.28 configuration for the wbota loader (MBEDTLS_CONFIG_FILE).
 * Owns: which mbedTLS features the firmware links: SHA-256 and ECDSA P-256 verification only,
 * sized for the 28 KB loader. Used by cmake/firmware-mbedtls.cmake (target wbota_mbedtls) and
 * seen by core/src/crypto.c. No entropy, no file I/O, no time: the loader only verifies.
 * bignum's calloc/free come from a static pool in crypto.c (WBOTA_MBEDTLS_STATIC_HEAP bytes),
 * reset before every verification. */
#ifndef WBOTA_MBEDTLS_CONFIG_H
#define WBOTA_MBEDTLS_CONFIG_H

/* Static pool for one P-256 verify (allocator in core/src/crypto.c). Measured on Cortex-M4
 * code under Unicorn with this config: a 2000 B pool verifies, 1600 B does not; on a 64-bit
 * host with 32-bit limbs 2500 B is needed. 3 KB keeps a 50 % margin on the target. An
 * exhausted pool makes the verification fail (E_SIG): it can never accept. */
#ifndef WBOTA_MBEDTLS_STATIC_HEAP
#define WBOTA_MBEDTLS_STATIC_HEAP 3072
#endif

/* System support: Cortex-M4 has umull/umaal, bn_mul.h uses them for bignum inner loops. */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_NO_PLATFORM_ENTROPY
/* bignum's 64/32 division would pull libgcc's __udivmoddi4: its own loop is ~580 B smaller. */
#define MBEDTLS_NO_UDBL_DIVISION

/* calloc/free from the static pool in core/src/crypto.c (mbedtls_platform_set_calloc_free),
 * no libc heap. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS

/* Hashing: rolled-up rounds (slower, ~1 KB smaller than the unrolled ones). */
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA256_SMALLER

/* ECDSA P-256 verify. ASN.1 is a build prerequisite of ECDSA_C; the loader passes raw r||s, so
 * the linker drops the ASN.1 code with --gc-sections. */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
/* Small-memory ECP: window 2, no precomputed fixed-point table, bignum limbs capped for P-256.
 * MBEDTLS_ECP_NIST_OPTIM (fast P-256 reduction) is on: measured on Cortex-M4 code under
 * Unicorn, one verify takes 33 M instructions with it and 159 M without (~0.5 s vs ~2.5 s at
 * 64 MHz, on every boot under the signed policy) for +808 B of flash. Window 3 would save
 * another 10 % for +688 B: not worth it. */
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_WINDOW_SIZE       2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECP_MAX_BITS          256
#define MBEDTLS_MPI_MAX_SIZE          32
#define MBEDTLS_MPI_WINDOW_SIZE       2
/* Verification multiplies public scalars only: no blinding RNG needed (there is no entropy). */
#define MBEDTLS_ECP_NO_INTERNAL_RNG

#include "mbedtls/check_config.h"

#endif
