# Firmware mbedTLS: the pinned Debian sources (scripts/fetch-mbedtls.sh puts them in
# $WBOTA_CACHE or ~/.cache/wbota), built as the static library `wbota_mbedtls` with only what
# SHA-256 and ECDSA P-256 verification need, configured by
# firmware/mbedtls/wbota_mbedtls_config.h. Included by core/CMakeLists.txt for the firmware
# target only; the host links Debian's libmbedcrypto instead.
set(WBOTA_MBEDTLS_VERSION 2.28.3)
if(DEFINED ENV{WBOTA_CACHE} AND NOT "$ENV{WBOTA_CACHE}" STREQUAL "")
  set(WBOTA_MBEDTLS_CACHE "$ENV{WBOTA_CACHE}")
else()
  set(WBOTA_MBEDTLS_CACHE "$ENV{HOME}/.cache/wbota")
endif()
set(WBOTA_MBEDTLS_DIR "${WBOTA_MBEDTLS_CACHE}/mbedtls-${WBOTA_MBEDTLS_VERSION}"
    CACHE PATH "Extracted mbedTLS ${WBOTA_MBEDTLS_VERSION} sources for the firmware build")

if(NOT EXISTS "${WBOTA_MBEDTLS_DIR}/.wbota-ok" OR NOT EXISTS "${WBOTA_MBEDTLS_DIR}/library/ecdsa.c")
  message(FATAL_ERROR
    "firmware mbedTLS ${WBOTA_MBEDTLS_VERSION} sources not found in ${WBOTA_MBEDTLS_DIR}.\n"
    "Run scripts/fetch-mbedtls.sh (or `make deps`) to download and check the pinned Debian "
    "source package, or set WBOTA_CACHE / -DWBOTA_MBEDTLS_DIR=<extracted tree>.")
endif()

# Only these are compiled; --gc-sections drops what verification does not reach (ASN.1, signing).
set(WBOTA_MBEDTLS_SOURCES
  sha256.c
  bignum.c
  ecp.c
  ecp_curves.c
  ecdsa.c
  asn1parse.c
  asn1write.c
  constant_time.c
  platform.c
  platform_util.c
)
list(TRANSFORM WBOTA_MBEDTLS_SOURCES PREPEND "${WBOTA_MBEDTLS_DIR}/library/")

add_library(wbota_mbedtls STATIC ${WBOTA_MBEDTLS_SOURCES})
target_include_directories(wbota_mbedtls SYSTEM PUBLIC
  "${PROJECT_SOURCE_DIR}/firmware/mbedtls"
  "${WBOTA_MBEDTLS_DIR}/include")
target_compile_definitions(wbota_mbedtls PUBLIC
  MBEDTLS_CONFIG_FILE="wbota_mbedtls_config.h")
# Third-party code: our strict warning set stays on for our sources, not for mbedTLS's.
target_compile_options(wbota_mbedtls PRIVATE -w -Wno-error)
