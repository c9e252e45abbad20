/* fuzz_image.c - libFuzzer harness for the image checks and the manifest parser.
 * The input is the flash content from the app start (0x08007000) onward; it is verified under
 * both policies with a trusted key, and also fed raw to wbota_manifest_parse. The key comes
 * from a fixed DRBG seed so the seed corpus (signed by the same key) reaches the signature path.
 * Built with -DWBOTA_FUZZ_GEN_CORPUS (and without -fsanitize=fuzzer) this file is instead the
 * one-shot generator of tests/fuzz/corpus/image/:
 *   cc -DWBOTA_FUZZ_GEN_CORPUS -Icore/include tests/fuzz/fuzz_image.c \
 *      core/src/{image,manifest,crypto,layout}.c plus build/host/core/libwbota_mbedtls.a and its
 *      include flags (cmake/mbedtls.cmake)
 *   ./a.out tests/fuzz/corpus/image */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"

#include "wbota/bytes.h"
#include "wbota/image.h"

#define FUZZ_APP      0x08007000u
#define FUZZ_SFSA     0xCBu
#define FUZZ_MAX_SIZE (128u * 1024u)

static uint8_t s_pub[WBOTA_P256_PUB_LEN];
static mbedtls_ecp_group s_grp; /* P-256 */
static mbedtls_mpi s_d;         /* private scalar */
static mbedtls_ctr_drbg_context s_drbg;
static int s_ready;

static int prv_fixed_entropy_cb(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    memset(out, 0x5E, len);
    return 0;
}

static void prv_init_key(void)
{
    size_t olen;
    if (s_ready) {
        return;
    }
    mbedtls_ecp_point q;
    mbedtls_ctr_drbg_init(&s_drbg);
    mbedtls_ecp_group_init(&s_grp);
    mbedtls_mpi_init(&s_d);
    mbedtls_ecp_point_init(&q);
    if (mbedtls_ctr_drbg_seed(&s_drbg, prv_fixed_entropy_cb, NULL,
                              (const unsigned char *)"wbota-fuzz", 10) != 0 ||
        mbedtls_ecp_group_load(&s_grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_ecp_gen_keypair(&s_grp, &s_d, &q, mbedtls_ctr_drbg_random, &s_drbg) != 0 ||
        mbedtls_ecp_point_write_binary(&s_grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, s_pub,
                                       sizeof(s_pub)) != 0) {
        abort();
    }
    mbedtls_ecp_point_free(&q);
    s_ready = 1;
}

#if !defined(WBOTA_FUZZ_GEN_CORPUS)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wbota_buf_mem_t holder;
    wbota_mem_t mem;
    wbota_layout_t lay = wbota_layout_default(FUZZ_SFSA);
    wbota_trust_t trust;
    wbota_image_info_t info;
    wbota_manifest_t m;
    wbota_err_t err;

    prv_init_key();
    if (size > FUZZ_MAX_SIZE) {
        return 0;
    }
    trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])s_pub;
    trust.n_keys = 1;
    trust.min_sec_counter = (size > 0) ? data[0] : 0u;

    mem = wbota_mem_from_buffer(&holder, FUZZ_APP, data, (uint32_t)size);
    err = wbota_image_verify(&mem, &lay, WBOTA_POLICY_ST, &trust, NULL, &info);
    /* Properties every accepted image has, whatever the input. */
    if (err == WBOTA_OK) {
        if (info.image_end > FUZZ_APP + size || info.image_end <= FUZZ_APP ||
            (info.has_manifest && !info.hash_ok)) {
            abort();
        }
    }
    err = wbota_image_verify(&mem, &lay, WBOTA_POLICY_SIGNED, &trust, NULL, &info);
    if (err == WBOTA_OK && !(info.has_manifest && info.sig_checked && info.sig_ok)) {
        abort();
    }
    (void)wbota_manifest_parse(data, size, &m);
    return 0;
}

#else /* one-shot corpus generator */

static void prv_write(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(buf, 1, len, f) != len) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

/* Vectors, tag pointer, code-ish body of body_len bytes; returns where the magic goes. */
static void prv_body(uint8_t *img, uint32_t body_len)
{
    memset(img, 0xFF, body_len);
    wbota_put_le32(img, 0x20030000u);
    wbota_put_le32(img + 4, FUZZ_APP + 0x181u);
    for (uint32_t i = 8; i < body_len; i++) {
        if (i < WBOTA_TAG_PTR_OFFSET || i >= WBOTA_TAG_PTR_OFFSET + 4u) {
            img[i] = (uint8_t)(i * 29u + 3u);
        }
    }
}

static size_t prv_wbota(uint8_t *img, uint32_t body_len, int sign)
{
    wbota_manifest_params_t p;
    uint8_t man[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0, sig_off = 0, signed_len = 0;

    prv_body(img, body_len);
    memset(&p, 0, sizeof(p));
    p.load_addr = FUZZ_APP;
    p.image_size = body_len;
    p.version.major = 1;
    p.version.patch = 3;
    p.sec_counter = 1;
    p.with_signature = sign;
    p.key_id = wbota_key_id(s_pub);
    /* L is known before the hash: encode once for the length, set the tag, hash, encode. */
    if (wbota_manifest_encode(&p, man, sizeof(man), &len, &sig_off, &signed_len) != WBOTA_OK) {
        exit(1);
    }
    wbota_put_le32(img + WBOTA_TAG_PTR_OFFSET, FUZZ_APP + body_len + (uint32_t)len);
    wbota_sha256(img, body_len, p.sha256);
    wbota_manifest_encode(&p, man, sizeof(man), &len, &sig_off, &signed_len);
    if (sign) {
        uint8_t digest[WBOTA_SHA256_LEN];
        mbedtls_mpi r, s;
        mbedtls_mpi_init(&r);
        mbedtls_mpi_init(&s);
        wbota_sha256(man, signed_len, digest);
        if (mbedtls_ecdsa_sign(&s_grp, &r, &s, &s_d, digest, sizeof(digest),
                               mbedtls_ctr_drbg_random, &s_drbg) != 0 ||
            mbedtls_mpi_write_binary(&r, man + sig_off, 32) != 0 ||
            mbedtls_mpi_write_binary(&s, man + sig_off + 32, 32) != 0) {
            exit(1);
        }
        mbedtls_mpi_free(&r);
        mbedtls_mpi_free(&s);
    }
    memcpy(img + body_len, man, len);
    wbota_put_le32(img + body_len + len, WBOTA_TAG_MAGIC);
    return body_len + len + 4u;
}

int main(int argc, char **argv)
{
    static uint8_t img[8192];
    wbota_buf_mem_t holder;
    wbota_layout_t lay = wbota_layout_default(FUZZ_SFSA);
    wbota_trust_t trust;
    size_t n;
    const char *dir = (argc > 1) ? argv[1] : ".";

    prv_init_key();
    trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])s_pub;
    trust.n_keys = 1;
    trust.min_sec_counter = 0;

    n = prv_wbota(img, 0x200u, 1);
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, FUZZ_APP, img, (uint32_t)n);
    if (wbota_image_verify(&mem, &lay, WBOTA_POLICY_SIGNED, &trust, NULL, NULL) != WBOTA_OK) {
        fprintf(stderr, "generated signed image does not verify\n");
        return 1;
    }
    prv_write(dir, "signed.bin", img, n);

    n = prv_wbota(img, 0x180u, 0);
    mem = wbota_mem_from_buffer(&holder, FUZZ_APP, img, (uint32_t)n);
    if (wbota_image_verify(&mem, &lay, WBOTA_POLICY_ST, &trust, NULL, NULL) != WBOTA_OK) {
        fprintf(stderr, "generated unsigned image does not verify\n");
        return 1;
    }
    prv_write(dir, "unsigned.bin", img, n);
    /* The manifest alone, for the raw wbota_manifest_parse path. */
    prv_write(dir, "manifest.bin", img + 0x180u, n - 0x180u - 4u);

    prv_body(img, 0x200u);
    wbota_put_le32(img + WBOTA_TAG_PTR_OFFSET, FUZZ_APP + 0x200u);
    wbota_put_le32(img + 0x200u, WBOTA_TAG_MAGIC);
    mem = wbota_mem_from_buffer(&holder, FUZZ_APP, img, 0x204u);
    if (wbota_image_verify(&mem, &lay, WBOTA_POLICY_ST, &trust, NULL, NULL) != WBOTA_OK) {
        fprintf(stderr, "generated plain ST image does not verify\n");
        return 1;
    }
    prv_write(dir, "plain-st.bin", img, 0x204u);
    printf("corpus written to %s\n", dir);
    return 0;
}

#endif
