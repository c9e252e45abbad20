/* wbota/image.h - what an application image is: ST's tags, vector-table sanity and the wbota
 * manifest (byte table in docs/image-format.md).
 * Owns: the ONE implementation of image validity and of the manifest format (parse, encode,
 * verify) used by the loader, the host tool, the emulator tests and the fuzzers.
 * Image = [app bytes ... word at +0x140 = M] [manifest, L bytes, at H = M - L] [0x94448A29 at M].
 * The manifest sits before the magic so the magic stays the last word: a partial upload never
 * has it. Every byte read through wbota_mem_t is attacker-controlled; every length is checked
 * against the region before use. Freestanding; no allocation. */
#ifndef WBOTA_IMAGE_H
#define WBOTA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/crypto.h"
#include "wbota/layout.h"

/* Reader over absolute addresses (flash on target, a buffer on the host). Must return
 * WBOTA_E_RANGE for anything it does not hold. */
typedef struct {
    wbota_err_t (*read_cb)(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len);
    void *ctx;
} wbota_mem_t;

/* Host helper: a reader over a byte buffer that represents [base, base+len). */
typedef struct {
    uint32_t base;
    const uint8_t *data;
    uint32_t len;
} wbota_buf_mem_t;
wbota_mem_t wbota_mem_from_buffer(wbota_buf_mem_t *holder, uint32_t base, const uint8_t *data,
                                  uint32_t len);

/* ---- manifest wire format (little-endian; ON FLASH: never change a value) ---- */
#define WBOTA_MANIFEST_MAGIC       0x4D4F4257u /* "WBOM" at manifest offset 0 */
#define WBOTA_MANIFEST_TRAILER     0x544F4257u /* "WBOT" in the last 4 bytes */
#define WBOTA_MANIFEST_FORMAT      1u
#define WBOTA_MANIFEST_HDR_LEN     16u
#define WBOTA_MANIFEST_TRAILER_LEN 8u
#define WBOTA_MANIFEST_MAX_LEN     512u  /* L never exceeds this; L is a multiple of 8 */
#define WBOTA_TLV_VERSION          0x01u /* 8: major u8, minor u8, patch u16, build u32 */
#define WBOTA_TLV_SHA256           0x02u /* 32: SHA-256 of [app start, H) */
#define WBOTA_TLV_SEC_COUNTER      0x03u /* 4: security counter u32 */
#define WBOTA_TLV_KEY_ID           0x04u /* 4: wbota_key_id() of the signing key */
/* 1: what the manifest describes (WBOTA_KIND_*); written only for a non-application image.
 * Critical, so a loader that does not know it refuses such a manifest instead of taking a
 * wireless-stack manifest for an application's. Absent = WBOTA_KIND_APP. */
#define WBOTA_TLV_KIND      0x85u
#define WBOTA_KIND_APP      0x00u /* CPU1 application image (the image layout above) */
#define WBOTA_KIND_WIRELESS 0x01u /* CPU2 wireless-stack / FUS image: ST's binary + manifest */
/* 64: ECDSA P-256 r||s over SHA-256(manifest[0, tlv start)); always the last TLV */
#define WBOTA_TLV_SIGNATURE 0x20u
/* unknown TLV types with this bit set are rejected, others are skipped */
#define WBOTA_TLV_CRITICAL 0x80u

typedef struct {
    uint8_t major, minor;
    uint16_t patch;
    uint32_t build;
} wbota_version_t;

typedef struct {
    uint32_t load_addr;    /* = app start */
    uint32_t image_size;   /* bytes hashed: [load_addr, load_addr + image_size) = [app, H) */
    uint32_t manifest_len; /* L */
    wbota_version_t version;
    bool has_version;
    uint8_t sha256[WBOTA_SHA256_LEN];
    bool has_sha256;
    uint32_t sec_counter;
    bool has_sec_counter;
    uint32_t key_id;
    bool has_key_id;
    uint8_t signature[WBOTA_P256_SIG_LEN];
    bool has_signature;
    uint32_t signed_len; /* bytes of the manifest covered by the signature */
    uint8_t kind;        /* WBOTA_KIND_* (APP when the KIND TLV is absent) */
    bool has_kind;
} wbota_manifest_t;

/* Parse a manifest held in buf (exactly L bytes, from header to trailer). Never reads outside
 * buf. WBOTA_OK or WBOTA_E_MANIFEST_FORMAT. */
wbota_err_t wbota_manifest_parse(const uint8_t *buf, size_t len, wbota_manifest_t *out);

/* Encoder (host tool): writes header + VERSION + SHA256 + SEC_COUNTER [+ KEY_ID + room for a
 * SIGNATURE] + trailer into out (cap bytes). *out_len = L. If with_signature, the signature TLV
 * is filled with 0xFF and *sig_offset is where the 64 signature bytes go; the digest to sign is
 * SHA-256(out[0, *signed_len)). */
typedef struct {
    uint32_t load_addr;
    uint32_t image_size;
    wbota_version_t version;
    uint8_t sha256[WBOTA_SHA256_LEN];
    uint32_t sec_counter;
    bool with_signature;
    uint32_t key_id;
    uint8_t kind; /* WBOTA_KIND_*: a KIND TLV is written (before KEY_ID) unless APP */
} wbota_manifest_params_t;
wbota_err_t wbota_manifest_encode(const wbota_manifest_params_t *p, uint8_t *out, size_t cap,
                                  size_t *out_len, size_t *sig_offset, size_t *signed_len);

/* ---- verification ---- */
typedef enum {
    WBOTA_POLICY_ST =
        0, /* plain ST-tagged images accepted; a manifest, when present, must verify */
    WBOTA_POLICY_SIGNED = 1, /* manifest + valid signature by a built-in key required */
} wbota_policy_t;

typedef struct {
    const uint8_t (*keys)[WBOTA_P256_PUB_LEN]; /* trusted public keys (may be NULL if n_keys 0) */
    size_t n_keys;
    uint32_t min_sec_counter; /* images with a lower counter -> WBOTA_E_DOWNGRADE */
} wbota_trust_t;

typedef struct {
    uint32_t app_start;
    uint32_t magic_addr; /* M */
    uint32_t image_end;  /* M + 4 */
    uint32_t initial_sp;
    uint32_t reset_vector;
    bool has_manifest;
    wbota_manifest_t manifest;
    bool hash_checked, hash_ok;
    bool sig_checked, sig_ok;
} wbota_image_info_t;

/* ST's rule only (pointer at +0x140 inside [flash base, SFSA end - 4], magic there). Fills
 * app_start/magic_addr/image_end. WBOTA_E_NO_APP (erased), E_TAG_PTR or E_MAGIC. */
wbota_err_t wbota_image_check_st(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                 wbota_image_info_t *info);
/* Vector table: initial SP 8-aligned, within (0x20000008, 0x20030000]; reset vector odd and in
 * [app start, image end). Needs info from check_st. E_VT_SP / E_VT_RESET. */
wbota_err_t wbota_image_check_vectors(const wbota_mem_t *mem, wbota_image_info_t *info);
/* Locate and parse the manifest ending at M (trailer at M-8). WBOTA_OK with has_manifest set,
 * WBOTA_OK with has_manifest clear when no trailer magic is there, or E_MANIFEST_FORMAT. */
wbota_err_t wbota_image_find_manifest(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                      wbota_image_info_t *info);

/* Optional digest of [app start, H) already computed by the caller (the OTA engine hashes
 * incrementally while data arrives); used only when `end` equals the manifest's H. */
typedef struct {
    uint32_t end;
    uint8_t sha256[WBOTA_SHA256_LEN];
} wbota_precomputed_hash_t;

/* Everything, in order: ST tags, vectors, manifest, size, hash, counter, signature per policy.
 * A manifest of another kind (a wireless-stack one) is E_MANIFEST_KIND.
 * Returns the first failure's code. info may be NULL. */
wbota_err_t wbota_image_verify(const wbota_mem_t *mem, const wbota_layout_t *lay,
                               wbota_policy_t policy, const wbota_trust_t *trust,
                               const wbota_precomputed_hash_t *pre, wbota_image_info_t *info);

/* ---- wireless-stack (CPU2) images (docs/image-format.md#wireless) ----
 * [ST's encrypted binary, padded with 0xFF to 8 bytes: [start, H)][manifest, L bytes, kind
 * WIRELESS, load address 0, image size H - start, SHA-256 of [start, H)] ending at `end`.
 * ST's bytes are untouched: FUS checks ST's own signature as always. */

/* Locate and parse the manifest whose trailer ends at `end`. WBOTA_OK with has_manifest clear
 * when there is no trailer magic; E_MANIFEST_FORMAT when it does not parse. Fills
 * info->app_start = start, magic_addr = image_end = end. */
wbota_err_t wbota_wireless_find_manifest(const wbota_mem_t *mem, uint32_t start, uint32_t end,
                                         wbota_image_info_t *info);
/* The product's check of a stack image in [start, end) before FUS is started (the `signed`
 * policy): a manifest (E_WS_MANIFEST_MISSING), of kind WIRELESS (E_MANIFEST_KIND), describing
 * exactly the bytes in front of it (E_WS_LAYOUT), their hash (E_HASH) and a signature by a key
 * of trust (E_SIG_MISSING / E_KEY_ID / E_SIG): the same hash and signature code as an app
 * image. The security counter is not enforced (it is the application's). info may be NULL. */
wbota_err_t wbota_wireless_verify(const wbota_mem_t *mem, uint32_t start, uint32_t end,
                                  const wbota_trust_t *trust, wbota_image_info_t *info);

#endif
