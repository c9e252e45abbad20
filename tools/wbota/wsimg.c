/* wsimg.c - wireless-stack image files with a wbota manifest (wsimg.h). */
#include "wsimg.h"

#include <stdlib.h>
#include <string.h>

/* FUS images are hundreds of KB; nothing larger fits the flash below the secure area. */
#define PRV_MAX_STACK (WBOTA_FLASH_SIZE - WBOTA_MANIFEST_MAX_LEN)

static wbota_mem_t prv_mem(wbota_buf_mem_t *holder, const uint8_t *img, size_t len)
{
    /* the format is position-free (load address 0): read it at offset 0 */
    return wbota_mem_from_buffer(holder, 0u, img, (uint32_t)len);
}

wbota_err_t wbtool_ws_check(const uint8_t *img, size_t len, const wbtool_key_t *pub,
                            wbota_image_info_t *info)
{
    wbota_buf_mem_t holder;
    if (img == NULL || info == NULL || len > PRV_MAX_STACK + WBOTA_MANIFEST_MAX_LEN) {
        return WBOTA_E_SIZE;
    }
    wbota_mem_t mem = prv_mem(&holder, img, len);
    wbota_err_t err = wbota_wireless_find_manifest(&mem, 0u, (uint32_t)len, info);
    if (err != WBOTA_OK || !info->has_manifest) {
        return err;
    }
    wbota_trust_t trust;
    memset(&trust, 0, sizeof trust);
    if (pub != NULL) {
        trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])pub->pub;
        trust.n_keys = 1u;
    }
    err = wbota_wireless_verify(&mem, 0u, (uint32_t)len, &trust, info);
    /* without a key to check against, a good hash is all this side can know */
    if (pub == NULL && info->hash_ok && (err == WBOTA_E_KEY_ID || err == WBOTA_E_SIG_MISSING)) {
        err = WBOTA_OK;
    }
    return err;
}

wbota_err_t wbtool_ws_create(const uint8_t *in, size_t len, const wbota_version_t *version,
                             uint32_t sec_counter, const wbtool_key_t *key,
                             wbtool_ws_created_t *out)
{
    memset(out, 0, sizeof *out);
    if (in == NULL || len == 0u || len > PRV_MAX_STACK + WBOTA_MANIFEST_MAX_LEN) {
        return WBOTA_E_SIZE;
    }
    /* an earlier output: sign (or re-sign) the same stack bytes */
    wbota_image_info_t info;
    if (wbtool_ws_check(in, len, NULL, &info) == WBOTA_OK && info.has_manifest) {
        len = info.manifest.image_size;
        out->replaced = true;
    }
    if (len > PRV_MAX_STACK) {
        return WBOTA_E_SIZE;
    }
    const uint32_t padded = ((uint32_t)len + 7u) & ~7u;
    wbota_manifest_params_t mp;
    memset(&mp, 0, sizeof mp);
    mp.load_addr = 0u;
    mp.image_size = padded;
    mp.version = *version;
    mp.sec_counter = sec_counter;
    mp.kind = WBOTA_KIND_WIRELESS;
    mp.with_signature = key != NULL;
    mp.key_id = key != NULL ? wbota_key_id(key->pub) : 0u;

    uint8_t *img = malloc(padded + WBOTA_MANIFEST_MAX_LEN);
    if (img == NULL) {
        return WBOTA_E_IO;
    }
    memset(img, 0xFF, padded);
    memcpy(img, in, len);
    wbota_sha256(img, padded, mp.sha256);
    size_t man_len = 0u, sig_off = 0u, signed_len = 0u;
    wbota_err_t err = wbota_manifest_encode(&mp, img + padded, WBOTA_MANIFEST_MAX_LEN, &man_len,
                                            &sig_off, &signed_len);
    if (err == WBOTA_OK && key != NULL) {
        uint8_t digest[WBOTA_SHA256_LEN];
        wbota_sha256(img + padded, signed_len, digest);
        err = wbtool_key_sign(key, digest, img + padded + sig_off);
    }
    /* the core is the judge of what was written */
    if (err == WBOTA_OK) {
        err = wbtool_ws_check(img, padded + man_len, key, &info);
    }
    if (err != WBOTA_OK) {
        free(img);
        return err;
    }
    out->data = img;
    out->len = padded + (uint32_t)man_len;
    out->stack_len = (uint32_t)len;
    out->manifest_len = (uint32_t)man_len;
    out->signed_ = key != NULL;
    out->key_id = mp.key_id;
    memcpy(out->sha256, mp.sha256, sizeof out->sha256);
    return WBOTA_OK;
}
