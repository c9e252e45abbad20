/* wsimg.h - wireless-stack (CPU2) image files with a wbota manifest for the wbota tool
 * (docs/image-format.md#wireless). Owns: appending (or replacing) the product-signed manifest
 * behind ST's encrypted stack binary (`wbota image create --wireless`) and the tool's check of
 * such a file before `wbota upload --wireless`. The format and the verification are the core's
 * (wbota_manifest_encode, wbota_wireless_verify); ST's bytes are never changed. Host only. */
#ifndef WBTOOL_WSIMG_H
#define WBTOOL_WSIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "wbota/image.h"

typedef struct {
    uint8_t *data; /* the finished file: stack bytes, 0xFF pad, manifest (caller frees) */
    uint32_t len;
    uint32_t stack_len;    /* ST's bytes (before the 0xFF padding to 8) */
    uint32_t manifest_len; /* L */
    bool replaced;         /* the input already carried a wireless manifest: replaced */
    bool signed_;
    uint32_t key_id;
    uint8_t sha256[WBOTA_SHA256_LEN]; /* of the padded stack bytes */
} wbtool_ws_created_t;

/* Builds the manifested stack image from in[0, len) (ST's binary, or an earlier output of this
 * function, whose manifest is replaced). key NULL: unsigned manifest. The result passes the
 * core's wbota_wireless_verify with key (or, unsigned, everything but the signature).
 * WBOTA_OK, WBOTA_E_SIZE (empty or too large), or the core's code. */
wbota_err_t wbtool_ws_create(const uint8_t *in, size_t len, const wbota_version_t *version,
                             uint32_t sec_counter, const wbtool_key_t *key,
                             wbtool_ws_created_t *out);

/* What a stack image file carries: *info->has_manifest false for ST's raw binary (WBOTA_OK).
 * With a manifest: its kind, layout and hash are checked (the core's codes); the signature
 * only when pub is given (the loader's keys are not known here). */
wbota_err_t wbtool_ws_check(const uint8_t *img, size_t len, const wbtool_key_t *pub,
                            wbota_image_info_t *info);

#endif
