/* keys.c - ECDSA P-256 keys over mbedTLS 3.6 (see keys.h): only its public API (3.x made the
 * key structures private), built from the pinned sources by cmake/mbedtls.cmake. */
#include "keys.h"

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#define WBTOOL_KEY_FILE_MAX 16384u

typedef struct {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
} prv_rng_t;

static int prv_rng_init(prv_rng_t *r)
{
    static const char pers[] = "wbota-tool";
    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    return mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
                                 (const unsigned char *)pers, sizeof(pers) - 1u);
}

static void prv_rng_free(prv_rng_t *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
}

/* Fills k from an EC keypair (public point, optional private scalar). */
static wbota_err_t prv_from_ec(const mbedtls_ecp_keypair *ec, int with_priv, wbtool_key_t *k)
{
    if (mbedtls_ecp_keypair_get_group_id(ec) != MBEDTLS_ECP_DP_SECP256R1) {
        return WBOTA_E_PARSE;
    }
    size_t olen = 0u;
    if (mbedtls_ecp_write_public_key(ec, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, k->pub,
                                     sizeof(k->pub)) != 0 ||
        olen != WBOTA_P256_PUB_LEN) {
        return WBOTA_E_PARSE;
    }
    memset(k->priv, 0, sizeof(k->priv));
    k->has_priv = 0;
    if (with_priv) {
        if (mbedtls_ecp_write_key_ext(ec, &olen, k->priv, sizeof(k->priv)) != 0 ||
            olen != sizeof(k->priv)) {
            return WBOTA_E_PARSE;
        }
        k->has_priv = 1;
    }
    return WBOTA_OK;
}

/* Builds an mbedTLS pk context holding k (for PEM output). */
static int prv_to_pk(const wbtool_key_t *k, mbedtls_pk_context *pk)
{
    int rc = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc != 0) {
        return rc;
    }
    mbedtls_ecp_keypair *ec = mbedtls_pk_ec(*pk);
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
    if (rc == 0) {
        rc = mbedtls_ecp_point_read_binary(&grp, &q, k->pub, sizeof(k->pub));
    }
    if (rc == 0 && k->has_priv) {
        rc = mbedtls_ecp_read_key(MBEDTLS_ECP_DP_SECP256R1, ec, k->priv, sizeof(k->priv));
    }
    if (rc == 0) {
        rc = mbedtls_ecp_set_public_key(MBEDTLS_ECP_DP_SECP256R1, ec, &q);
    }
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

wbota_err_t wbtool_key_generate(wbtool_key_t *k)
{
    prv_rng_t rng;
    wbota_err_t err = WBOTA_E_IO;
    mbedtls_ecp_keypair ec;
    mbedtls_ecp_keypair_init(&ec);
    if (prv_rng_init(&rng) == 0 && mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, &ec,
                                                       mbedtls_ctr_drbg_random, &rng.drbg) == 0) {
        err = prv_from_ec(&ec, 1, k);
    }
    mbedtls_ecp_keypair_free(&ec);
    prv_rng_free(&rng);
    return err;
}

/* Writes k as PEM through writer (mbedTLS's private or public key writer). */
static wbota_err_t prv_pem(const wbtool_key_t *k,
                           int (*writer)(const mbedtls_pk_context *, unsigned char *, size_t),
                           char *out, size_t cap)
{
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int rc = prv_to_pk(k, &pk);
    if (rc == 0) {
        rc = writer(&pk, (unsigned char *)out, cap);
    }
    mbedtls_pk_free(&pk);
    return rc == 0 ? WBOTA_OK : WBOTA_E_ARG;
}

wbota_err_t wbtool_key_private_pem(const wbtool_key_t *k, char *out, size_t cap)
{
    if (!k->has_priv) {
        return WBOTA_E_ARG;
    }
    return prv_pem(k, mbedtls_pk_write_key_pem, out, cap);
}

wbota_err_t wbtool_key_public_pem(const wbtool_key_t *k, char *out, size_t cap)
{
    return prv_pem(k, mbedtls_pk_write_pubkey_pem, out, cap);
}

wbota_err_t wbtool_key_parse(const uint8_t *buf, size_t len, wbtool_key_t *k, char *msg,
                             size_t msg_cap)
{
    /* mbedTLS wants PEM NUL-terminated and the length to include the NUL */
    uint8_t *copy = malloc(len + 1u);
    if (copy == NULL) {
        return WBOTA_E_IO;
    }
    memcpy(copy, buf, len);
    copy[len] = 0u;
    size_t plen = (len > 0u && memchr(buf, '-', len) != NULL) ? len + 1u : len;
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    wbota_err_t err = WBOTA_E_PARSE;
    int with_priv = 0;
    /* 3.x: the RNG blinds the public-key computation when a private key file omits it. */
    prv_rng_t rng;
    int rc = prv_rng_init(&rng);
    if (rc == 0) {
        rc = mbedtls_pk_parse_key(&pk, copy, plen, NULL, 0u, mbedtls_ctr_drbg_random, &rng.drbg);
    }
    prv_rng_free(&rng);
    if (rc == 0) {
        with_priv = 1;
    } else {
        mbedtls_pk_free(&pk);
        mbedtls_pk_init(&pk);
        rc = mbedtls_pk_parse_public_key(&pk, copy, plen);
    }
    if (rc != 0) {
        (void)snprintf(msg, msg_cap, "not a PEM/DER EC key (mbedTLS -0x%04X)", (unsigned)-rc);
    } else if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY) {
        (void)snprintf(msg, msg_cap, "not an EC key (need ECDSA P-256)");
    } else {
        err = prv_from_ec(mbedtls_pk_ec(pk), with_priv, k);
        if (err != WBOTA_OK) {
            (void)snprintf(msg, msg_cap, "EC key is not on curve P-256 (prime256v1)");
        }
    }
    mbedtls_pk_free(&pk);
    free(copy);
    return err;
}

wbota_err_t wbtool_key_load(const char *path, wbtool_key_t *k, char *msg, size_t msg_cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        (void)snprintf(msg, msg_cap, "cannot open key file %s: %s", path, strerror(errno));
        return WBOTA_E_IO;
    }
    uint8_t *buf = malloc(WBTOOL_KEY_FILE_MAX);
    if (buf == NULL) {
        fclose(f);
        return WBOTA_E_IO;
    }
    size_t n = fread(buf, 1u, WBTOOL_KEY_FILE_MAX, f);
    int too_big = !feof(f);
    fclose(f);
    wbota_err_t err;
    if (too_big) {
        (void)snprintf(msg, msg_cap, "key file %s larger than %u bytes", path, WBTOOL_KEY_FILE_MAX);
        err = WBOTA_E_PARSE;
    } else {
        err = wbtool_key_parse(buf, n, k, msg, msg_cap);
    }
    free(buf);
    return err;
}

wbota_err_t wbtool_key_sign(const wbtool_key_t *k, const uint8_t digest[WBOTA_SHA256_LEN],
                            uint8_t sig[WBOTA_P256_SIG_LEN])
{
    if (!k->has_priv) {
        return WBOTA_E_ARG;
    }
    mbedtls_ecp_group grp;
    mbedtls_mpi d, r, s;
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    prv_rng_t rng;
    int rc = prv_rng_init(&rng);
    if (rc == 0) {
        rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
    }
    if (rc == 0) {
        rc = mbedtls_mpi_read_binary(&d, k->priv, sizeof(k->priv));
    }
    if (rc == 0) {
        /* RFC 6979: the same key and digest always give the same signature, so a signed
         * image is reproducible; the RNG only blinds the computation. */
        rc = mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, digest, WBOTA_SHA256_LEN,
                                        MBEDTLS_MD_SHA256, mbedtls_ctr_drbg_random, &rng.drbg);
    }
    if (rc == 0) {
        rc = mbedtls_mpi_write_binary(&r, sig, 32u);
    }
    if (rc == 0) {
        rc = mbedtls_mpi_write_binary(&s, sig + 32u, 32u);
    }
    prv_rng_free(&rng);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    return rc == 0 ? WBOTA_OK : WBOTA_E_SIG;
}

wbota_err_t wbtool_key_write_header(FILE *f, const wbtool_key_t *k, const char *symbol,
                                    const char *comment)
{
    uint32_t id = wbota_key_id(k->pub);
    char guard[96];
    size_t g = 0u;
    for (const char *p = symbol; *p != '\0' && g + 3u < sizeof(guard); p++) {
        char c = *p;
        guard[g++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    guard[g] = '\0';
    int rc = fprintf(f,
                     "/* Generated by `wbota key export`: ECDSA P-256 public key, uncompressed\n"
                     " * (0x04 || X || Y), key id 0x%08X (first 4 bytes of SHA-256, LE).\n"
                     "%s%s%s"
                     " * Public data: safe to commit. */\n"
                     "#ifndef %s_H\n#define %s_H\n\n"
                     "#include <stdint.h>\n\n"
                     "static const uint8_t %s[65] = {\n",
                     (unsigned)id, comment ? " * " : "", comment ? comment : "",
                     comment ? "\n" : "", guard, guard, symbol);
    for (size_t i = 0u; rc >= 0 && i < WBOTA_P256_PUB_LEN; i++) {
        rc = fprintf(f, "%s0x%02X,%s", (i % 12u) == 0u ? "    " : " ", k->pub[i],
                     ((i % 12u) == 11u || i + 1u == WBOTA_P256_PUB_LEN) ? "\n" : "");
    }
    if (rc >= 0) {
        rc = fprintf(f, "};\n\n#endif\n");
    }
    return (rc >= 0 && fflush(f) == 0) ? WBOTA_OK : WBOTA_E_IO;
}
