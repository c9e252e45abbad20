/* crypto.c - SHA-256 and ECDSA P-256 verification over mbedTLS 2.28 (see wbota/crypto.h).
 * Host: Debian's libmbedcrypto. Firmware: the pinned sources built by
 * cmake/firmware-mbedtls.cmake with firmware/mbedtls/wbota_mbedtls_config.h, where bignum's
 * calloc/free come from a static pool (WBOTA_MBEDTLS_STATIC_HEAP) that is reset before every
 * verification, so a leak or fragmentation can never accumulate across calls. */
#include "wbota/crypto.h"

#include <string.h>

#include "mbedtls/bignum.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/sha256.h"

/* First-fit pool (wbota/crypto.h). Unit = 8 bytes (alignment for any mbedTLS type); each block
 * is one header unit (bit 31: used, bits 0-30: block length in units, header included) followed
 * by its data. Adjacent free blocks are merged lazily while searching. ~150 B of code, where
 * mbedTLS's own buffer allocator costs 750 B. */
#define POOL_USED 0x80000000u

void wbota_pool_init(wbota_pool_t *pool, uint64_t *units, size_t n_units)
{
    pool->units = units;
    pool->n_units = (n_units < POOL_USED) ? n_units : (size_t)POOL_USED - 1u;
    if (pool->n_units > 0u) {
        units[0] = pool->n_units; /* one free block spanning everything */
    }
}

void *wbota_pool_calloc(wbota_pool_t *pool, size_t n, size_t size)
{
    uint64_t *u = pool->units;
    size_t units;
    size_t i = 0u;

    if (n == 0u || size == 0u || n > pool->n_units * 8u / size) {
        return NULL;
    }
    units = (n * size + 7u) / 8u + 1u;
    while (i < pool->n_units) {
        uint64_t len = u[i] & ~(uint64_t)POOL_USED;
        if ((u[i] & POOL_USED) == 0u) {
            while (i + len < pool->n_units && (u[i + len] & POOL_USED) == 0u) {
                len += u[i + len];
            }
            if (len >= units) {
                if (len > units) {
                    u[i + units] = len - units; /* remainder stays free */
                } else {
                    units = (size_t)len;
                }
                u[i] = (uint64_t)units | POOL_USED;
                memset(&u[i + 1u], 0, (units - 1u) * 8u);
                return &u[i + 1u];
            }
            u[i] = len;
        }
        i += (size_t)len;
    }
    return NULL; /* mbedTLS turns this into an error: the verification fails closed */
}

void wbota_pool_free(wbota_pool_t *pool, void *ptr)
{
    uint64_t *p = (uint64_t *)ptr;
    /* Only pointers this pool handed out are released; anything else is ignored. */
    if (p != NULL && p > pool->units && p < pool->units + pool->n_units &&
        (p[-1] & POOL_USED) != 0u) {
        p[-1] &= ~(uint64_t)POOL_USED;
    }
}

#if defined(WBOTA_MBEDTLS_STATIC_HEAP)
#include "mbedtls/platform.h"

#define POOL_UNITS ((WBOTA_MBEDTLS_STATIC_HEAP) / 8u)
_Static_assert(POOL_UNITS >= 2u, "WBOTA_MBEDTLS_STATIC_HEAP too small");
static uint64_t s_units[POOL_UNITS];
static wbota_pool_t s_pool;

/* mbedTLS's hooks carry no context: these bind them to the one static pool. */
static void *prv_calloc_cb(size_t n, size_t size)
{
    return wbota_pool_calloc(&s_pool, n, size);
}

static void prv_free_cb(void *ptr)
{
    wbota_pool_free(&s_pool, ptr);
}
#endif

_Static_assert(sizeof(mbedtls_sha256_context) <= sizeof(wbota_sha256_t),
               "wbota_sha256_t too small for mbedtls_sha256_context");
_Static_assert(_Alignof(mbedtls_sha256_context) <= _Alignof(wbota_sha256_t),
               "wbota_sha256_t under-aligned for mbedtls_sha256_context");

static mbedtls_sha256_context *prv_ctx(wbota_sha256_t *ctx)
{
    return (mbedtls_sha256_context *)(void *)ctx;
}

/* The _ret variants only fail on hardware-accelerated ports; the software build cannot, so the
 * result is deliberately ignored (a failure would surface as a hash mismatch). */
void wbota_sha256_start(wbota_sha256_t *ctx)
{
    mbedtls_sha256_init(prv_ctx(ctx));
    (void)mbedtls_sha256_starts_ret(prv_ctx(ctx), 0);
}

void wbota_sha256_feed(wbota_sha256_t *ctx, const uint8_t *data, size_t len)
{
    if (len == 0u) {
        return;
    }
    (void)mbedtls_sha256_update_ret(prv_ctx(ctx), data, len);
}

void wbota_sha256_finish(wbota_sha256_t *ctx, uint8_t out[WBOTA_SHA256_LEN])
{
    (void)mbedtls_sha256_finish_ret(prv_ctx(ctx), out);
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
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi r;
    mbedtls_mpi s;
    wbota_err_t res = WBOTA_E_SIG;

    if (pub == NULL || digest == NULL || sig == NULL) {
        return WBOTA_E_SIG;
    }
#if defined(WBOTA_MBEDTLS_STATIC_HEAP)
    wbota_pool_init(&s_pool, s_units, POOL_UNITS);
    (void)mbedtls_platform_set_calloc_free(prv_calloc_cb, prv_free_cb);
#endif
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);

    /* The public key may be built into the loader but the signature comes from the radio:
     * check_pubkey rejects points off the curve, and ecdsa_verify rejects r, s outside [1, n-1]. */
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
        mbedtls_ecp_point_read_binary(&grp, &q, pub, WBOTA_P256_PUB_LEN) == 0 &&
        mbedtls_ecp_check_pubkey(&grp, &q) == 0 &&
        mbedtls_mpi_read_binary(&r, sig, WBOTA_P256_SIG_LEN / 2u) == 0 &&
        mbedtls_mpi_read_binary(&s, sig + WBOTA_P256_SIG_LEN / 2u, WBOTA_P256_SIG_LEN / 2u) == 0 &&
        mbedtls_ecdsa_verify(&grp, digest, WBOTA_SHA256_LEN, &q, &r, &s) == 0) {
        res = WBOTA_OK;
    }

    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return res;
}

uint32_t wbota_key_id(const uint8_t pub[WBOTA_P256_PUB_LEN])
{
    uint8_t h[WBOTA_SHA256_LEN];
    wbota_sha256(pub, WBOTA_P256_PUB_LEN, h);
    return (uint32_t)h[0] | ((uint32_t)h[1] << 8) | ((uint32_t)h[2] << 16) | ((uint32_t)h[3] << 24);
}
