/* wbota_mbedtls_config.h - mbedTLS 3.6 configuration of the wbota loader (MBEDTLS_CONFIG_FILE).
 * Owns: which mbedTLS features the firmware links: SHA-256 only, plus the platform zeroize that
 * p256-m (3rdparty/p256-m of the same tree, ECDSA P-256 verification) calls. No bignum, no ECP,
 * no heap, no entropy, no file I/O, no time: the loader only verifies, on the stack. Used by
 * cmake/mbedtls.cmake (target wbota_mbedtls); the host build adds its tool features on top in
 * firmware/mbedtls/wbota_mbedtls_host_config.h. Choices and measurements:
 * docs/dependencies.md#mbedtls. */
#ifndef WBOTA_MBEDTLS_CONFIG_H
#define WBOTA_MBEDTLS_CONFIG_H

#define MBEDTLS_NO_PLATFORM_ENTROPY

/* SHA-256 with the rolled-up round loop (MBEDTLS_SHA256_SMALLER): 66 instructions per byte for
 * 1.1 KB, against 47 per byte for 1,408 B more unrolled (Cortex-M4, measured on wbota-emu:
 * docs/benchmarks.md, section "Crypto: mbedTLS 3.6 LTS with p256-m"). WBOTA_SHA256_UNROLLED is
 * only for that measurement. */
#define MBEDTLS_SHA256_C
#ifndef WBOTA_SHA256_UNROLLED
#define MBEDTLS_SHA256_SMALLER
#endif

#endif
