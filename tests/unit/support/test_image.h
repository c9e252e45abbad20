/* test_image.h - synthetic application images for host tests (any test may
 * use it). Builds [vector table, SP 0x20030000, reset vector inside][tag pointer at +0x140 = M]
 * [pseudo-random body][manifest from wbota_manifest_encode, optionally signed][0x94448A29 at M]
 * exactly as a linker with the wbota app-kit fragment would, plus a fixed deterministic test
 * key pair (P-256) so signed images need no files. Host only; uses mbedTLS directly. */
#ifndef WBOTA_TEST_IMAGE_H
#define WBOTA_TEST_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/image.h"

typedef struct {
    uint32_t base;     /* load address (the app start) */
    uint32_t body_len; /* bytes before the manifest; rounded up to 8, at least 0x150 */
    wbota_version_t version;
    uint32_t sec_counter;
    bool with_manifest; /* false: a plain ST image (tags only) */
    bool sign;          /* sign the manifest with the test key (needs with_manifest) */
    uint32_t seed;      /* body content */
} test_image_params_t;

/* Defaults: base 0x08007000, body 2 KB, version 1.0.0+1, counter 1, manifest, unsigned. */
test_image_params_t test_image_defaults(void);
/* Builds the image into out; returns its length, or 0 if cap is too small or encoding fails.
 * h_out / m_out (may be NULL) receive H (manifest start) and M (magic address). */
size_t test_image_build(const test_image_params_t *p, uint8_t *out, size_t cap, uint32_t *h_out,
                        uint32_t *m_out);
/* The uncompressed public key of the fixed test signing key. */
void test_image_pubkey(uint8_t pub[WBOTA_P256_PUB_LEN]);
/* A second, different key (for "wrong key" tests). */
void test_image_other_pubkey(uint8_t pub[WBOTA_P256_PUB_LEN]);

/* Who signs a wireless-stack manifest (test_wireless_build). */
typedef enum {
    TEST_WS_UNSIGNED = 0, /* manifest without KEY_ID / SIGNATURE */
    TEST_WS_KEY,          /* the fixed test key (test_image_pubkey) */
    TEST_WS_OTHER_KEY,    /* the second key, named by its own key id */
    TEST_WS_FORGED,       /* the second key's signature under the test key's id */
} test_ws_signer_t;

/* A wireless-stack image as docs/image-format.md#wireless lays it out: n pseudo-random "ST
 * binary" bytes (n a multiple of 8), then a manifest of `kind` (load address 0, image size n,
 * SHA-256 of the n bytes). Returns the total length, or 0 on failure. */
size_t test_wireless_build(uint32_t n, uint32_t seed, test_ws_signer_t signer, uint8_t kind,
                           uint8_t *out, size_t cap);

#endif
