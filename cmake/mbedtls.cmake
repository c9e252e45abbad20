# mbedTLS 3.6 LTS for the firmware AND the host: the pinned Debian sources
# (scripts/fetch-mbedtls.sh puts them in $WBOTA_CACHE or ~/.cache/wbota), built as the static
# library `wbota_mbedtls` from only the files each side needs. Both sides compile the same
# SHA-256 (library/sha256.c) and the same P-256 verification (3rdparty/p256-m, called directly
# by core/src/crypto.c); the host adds key handling and signing for the tool and the tests.
# Configs: firmware/mbedtls/wbota_mbedtls_config.h (loader) and wbota_mbedtls_host_config.h
# (host = loader config + tool features). Included by core/CMakeLists.txt.
set(WBOTA_MBEDTLS_VERSION 3.6.6)
if(DEFINED ENV{WBOTA_CACHE} AND NOT "$ENV{WBOTA_CACHE}" STREQUAL "")
  set(WBOTA_MBEDTLS_CACHE "$ENV{WBOTA_CACHE}")
else()
  set(WBOTA_MBEDTLS_CACHE "$ENV{HOME}/.cache/wbota")
endif()
set(WBOTA_MBEDTLS_DIR "${WBOTA_MBEDTLS_CACHE}/mbedtls-${WBOTA_MBEDTLS_VERSION}"
    CACHE PATH "Extracted mbedTLS ${WBOTA_MBEDTLS_VERSION} sources (firmware and host builds)")
# A build tree configured for an older pinned version keeps that default in its cache: follow
# the pin unless the user pointed WBOTA_MBEDTLS_DIR somewhere else.
if(WBOTA_MBEDTLS_DIR MATCHES "/mbedtls-[0-9.]+$" AND
   NOT WBOTA_MBEDTLS_DIR MATCHES "/mbedtls-${WBOTA_MBEDTLS_VERSION}$")
  set(WBOTA_MBEDTLS_DIR "${WBOTA_MBEDTLS_CACHE}/mbedtls-${WBOTA_MBEDTLS_VERSION}" CACHE PATH
      "Extracted mbedTLS ${WBOTA_MBEDTLS_VERSION} sources (firmware and host builds)" FORCE)
endif()
set(WBOTA_P256M_C "${WBOTA_MBEDTLS_DIR}/3rdparty/p256-m/p256-m/p256-m.c")

if(NOT EXISTS "${WBOTA_MBEDTLS_DIR}/.wbota-ok" OR NOT EXISTS "${WBOTA_P256M_C}")
  message(FATAL_ERROR
    "mbedTLS ${WBOTA_MBEDTLS_VERSION} sources not found in ${WBOTA_MBEDTLS_DIR}.\n"
    "Run scripts/fetch-mbedtls.sh (or `make deps`) to download and check the pinned Debian "
    "source package, or set WBOTA_CACHE / -DWBOTA_MBEDTLS_DIR=<extracted tree>.")
endif()

# Loader: SHA-256 and p256-m (+ the zeroize p256-m calls). --gc-sections drops the rest.
set(WBOTA_MBEDTLS_SOURCES sha256.c platform_util.c)
if(NOT WBOTA_TARGET STREQUAL "firmware")
  # Host: key generation, PEM/DER keys, deterministic ECDSA signing, OS entropy.
  list(APPEND WBOTA_MBEDTLS_SOURCES
    aes.c asn1parse.c asn1write.c base64.c bignum.c bignum_core.c constant_time.c ctr_drbg.c
    ecdsa.c ecp.c ecp_curves.c entropy.c entropy_poll.c hmac_drbg.c md.c oid.c pem.c pk.c
    pk_ecc.c pk_wrap.c pkparse.c pkwrite.c platform.c)
endif()
list(TRANSFORM WBOTA_MBEDTLS_SOURCES PREPEND "${WBOTA_MBEDTLS_DIR}/library/")

add_library(wbota_mbedtls STATIC ${WBOTA_MBEDTLS_SOURCES} ${WBOTA_P256M_C})
target_include_directories(wbota_mbedtls SYSTEM PUBLIC
  "${PROJECT_SOURCE_DIR}/firmware/mbedtls"
  "${WBOTA_MBEDTLS_DIR}/include"
  "${WBOTA_MBEDTLS_DIR}/3rdparty/p256-m/p256-m")
target_include_directories(wbota_mbedtls PRIVATE "${WBOTA_MBEDTLS_DIR}/library")
if(WBOTA_TARGET STREQUAL "firmware")
  target_compile_definitions(wbota_mbedtls PUBLIC MBEDTLS_CONFIG_FILE="wbota_mbedtls_config.h")
else()
  target_compile_definitions(wbota_mbedtls PUBLIC
    MBEDTLS_CONFIG_FILE="wbota_mbedtls_host_config.h")
endif()
# p256-m.c is compiled only under the PSA driver switch; wbota calls its functions directly
# (no PSA core). Its key generation would draw from psa_generate_random, which wbota never
# uses: that one call is routed to a stub in core/src/crypto.c that always fails.
set(WBOTA_P256M_DEFS MBEDTLS_PSA_P256M_DRIVER_ENABLED psa_generate_random=wbota_p256m_no_random)
if(NOT WBOTA_TARGET STREQUAL "firmware")
  # Cortex-M uses p256-m's UMAAL assembly; on the host its portable fallback splits every
  # 32x32 multiply in four to stay constant-time on CPUs where it is not. x86-64 and AArch64
  # multiply in constant time: the plain 64-bit product is 3x faster (55 M -> ~18 M
  # instructions per verify, docs/benchmarks.md).
  list(APPEND WBOTA_P256M_DEFS MUL64_IS_CONSTANT_TIME)
endif()
set_source_files_properties("${WBOTA_P256M_C}" PROPERTIES COMPILE_DEFINITIONS
  "${WBOTA_P256M_DEFS}")
# Third-party code: our strict warning set stays on for our sources, not for mbedTLS's.
target_compile_options(wbota_mbedtls PRIVATE -w -Wno-error)
