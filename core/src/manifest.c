/* manifest.c - the wbota manifest byte format: parse and encode (wbota/image.h,
 * docs/image-format.md). The parser is the fuzzed attack surface: every length it reads
 * comes from flash or from the radio, so each one is checked against what is left of the
 * buffer before it is used, and nothing is ever read outside [buf, buf + len). */
#include <string.h>

#include "wbota/bytes.h"
#include "wbota/image.h"

/* Header (offset: field): 0 u32 "WBOM", 4 u8 format, 5 u8 reserved 0, 6 u16 L,
 * 8 u32 load address, 12 u32 image size. Trailer (from L - 8): u16 TLV bytes, u16 L, u32 "WBOT".
 * TLV: u8 type, u8 length, value. ON FLASH: never change an offset. */
#define MF_OFF_MAGIC    0u
#define MF_OFF_FORMAT   4u
#define MF_OFF_RESERVED 5u
#define MF_OFF_LEN      6u
#define MF_OFF_LOAD     8u
#define MF_OFF_SIZE     12u
#define MF_TLV_HDR      2u
#define MF_PAD_BYTE     0xFFu
#define MF_MIN_LEN      (WBOTA_MANIFEST_HDR_LEN + WBOTA_MANIFEST_TRAILER_LEN)
#define MF_LEN_VERSION  8u
#define MF_LEN_SEC      4u
#define MF_LEN_KEY_ID   4u
#define MF_LEN_KIND     1u

_Static_assert(WBOTA_MANIFEST_MAX_LEN <= 0xFFFFu, "L must fit the u16 header field");
_Static_assert(WBOTA_P256_SIG_LEN <= 0xFFu && WBOTA_SHA256_LEN <= 0xFFu, "u8 TLV lengths");

static wbota_err_t prv_tlv(wbota_manifest_t *out, uint8_t type, const uint8_t *v, uint32_t len,
                           uint32_t tlv_off)
{
    switch (type) {
    case WBOTA_TLV_VERSION:
        if (len != MF_LEN_VERSION || out->has_version) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        out->version.major = v[0];
        out->version.minor = v[1];
        out->version.patch = wbota_get_le16(v + 2);
        out->version.build = wbota_get_le32(v + 4);
        out->has_version = true;
        return WBOTA_OK;
    case WBOTA_TLV_SHA256:
        if (len != WBOTA_SHA256_LEN || out->has_sha256) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        memcpy(out->sha256, v, WBOTA_SHA256_LEN);
        out->has_sha256 = true;
        return WBOTA_OK;
    case WBOTA_TLV_SEC_COUNTER:
        if (len != MF_LEN_SEC || out->has_sec_counter) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        out->sec_counter = wbota_get_le32(v);
        out->has_sec_counter = true;
        return WBOTA_OK;
    case WBOTA_TLV_KEY_ID:
        if (len != MF_LEN_KEY_ID || out->has_key_id) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        out->key_id = wbota_get_le32(v);
        out->has_key_id = true;
        return WBOTA_OK;
    case WBOTA_TLV_KIND:
        /* an unknown kind is nothing this code may act on */
        if (len != MF_LEN_KIND || out->has_kind ||
            (v[0] != WBOTA_KIND_APP && v[0] != WBOTA_KIND_WIRELESS)) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        out->kind = v[0];
        out->has_kind = true;
        return WBOTA_OK;
    case WBOTA_TLV_SIGNATURE:
        if (len != WBOTA_P256_SIG_LEN) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        memcpy(out->signature, v, WBOTA_P256_SIG_LEN);
        out->has_signature = true;
        out->signed_len = tlv_off; /* everything before the signature TLV */
        return WBOTA_OK;
    default:
        /* Unknown: a newer writer's optional field may be skipped, a critical one may not. */
        return ((type & WBOTA_TLV_CRITICAL) != 0u) ? WBOTA_E_MANIFEST_FORMAT : WBOTA_OK;
    }
}

wbota_err_t wbota_manifest_parse(const uint8_t *buf, size_t len, wbota_manifest_t *out)
{
    uint32_t l;
    uint32_t tlv_len;
    uint32_t off;
    uint32_t end;
    uint32_t i;
    wbota_err_t err;

    if (out == NULL) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    memset(out, 0, sizeof(*out));
    if (buf == NULL || len < MF_MIN_LEN || len > WBOTA_MANIFEST_MAX_LEN || (len % 8u) != 0u) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    l = (uint32_t)len;
    if (wbota_get_le32(buf + MF_OFF_MAGIC) != WBOTA_MANIFEST_MAGIC ||
        buf[MF_OFF_FORMAT] != WBOTA_MANIFEST_FORMAT || buf[MF_OFF_RESERVED] != 0u ||
        wbota_get_le16(buf + MF_OFF_LEN) != l ||
        wbota_get_le32(buf + l - 4u) != WBOTA_MANIFEST_TRAILER ||
        wbota_get_le16(buf + l - 6u) != l) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    tlv_len = wbota_get_le16(buf + l - 8u);
    if (tlv_len > l - MF_MIN_LEN) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    /* Padding to the next multiple of 8 only, all 0xFF: every byte of L is accounted for, so
     * the unsigned tail (signature, padding, trailer) leaves no room for smuggled data. */
    end = WBOTA_MANIFEST_HDR_LEN + tlv_len;
    if (l - WBOTA_MANIFEST_TRAILER_LEN - end >= 8u) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    for (i = end; i < l - WBOTA_MANIFEST_TRAILER_LEN; i++) {
        if (buf[i] != MF_PAD_BYTE) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
    }

    off = WBOTA_MANIFEST_HDR_LEN;
    while (off < end) {
        uint32_t vlen;
        if (out->has_signature || end - off < MF_TLV_HDR) {
            return WBOTA_E_MANIFEST_FORMAT; /* SIGNATURE must be last; no half TLV header */
        }
        vlen = buf[off + 1u];
        if (vlen > end - off - MF_TLV_HDR) {
            return WBOTA_E_MANIFEST_FORMAT;
        }
        err = prv_tlv(out, buf[off], buf + off + MF_TLV_HDR, vlen, off);
        if (err != WBOTA_OK) {
            return err;
        }
        off += MF_TLV_HDR + vlen;
    }
    /* A manifest that does not pin the image contents is worthless; a signature must name
     * its key so the loader can pick it without trying every key. */
    if (!out->has_sha256 || (out->has_signature && !out->has_key_id)) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    out->load_addr = wbota_get_le32(buf + MF_OFF_LOAD);
    out->image_size = wbota_get_le32(buf + MF_OFF_SIZE);
    out->manifest_len = l;
    return WBOTA_OK;
}

static uint32_t prv_put_tlv(uint8_t *out, uint32_t off, uint8_t type, uint32_t len)
{
    out[off] = type;
    out[off + 1u] = (uint8_t)len;
    return off + MF_TLV_HDR;
}

wbota_err_t wbota_manifest_encode(const wbota_manifest_params_t *p, uint8_t *out, size_t cap,
                                  size_t *out_len, size_t *sig_offset, size_t *signed_len)
{
    uint32_t tlv_len;
    uint32_t l;
    uint32_t off;

    if (p == NULL || out == NULL || out_len == NULL ||
        (p->with_signature && (sig_offset == NULL || signed_len == NULL))) {
        return wbota_err_arg();
    }
    tlv_len =
        (MF_TLV_HDR + MF_LEN_VERSION) + (MF_TLV_HDR + WBOTA_SHA256_LEN) + (MF_TLV_HDR + MF_LEN_SEC);
    if (p->kind != WBOTA_KIND_APP) {
        tlv_len += MF_TLV_HDR + MF_LEN_KIND;
    }
    if (p->with_signature) {
        tlv_len += (MF_TLV_HDR + MF_LEN_KEY_ID) + (MF_TLV_HDR + WBOTA_P256_SIG_LEN);
    }
    l = (MF_MIN_LEN + tlv_len + 7u) & ~7u;
    if (cap < l) {
        return wbota_err_arg();
    }
    memset(out, MF_PAD_BYTE, l);
    wbota_put_le32(out + MF_OFF_MAGIC, WBOTA_MANIFEST_MAGIC);
    out[MF_OFF_FORMAT] = WBOTA_MANIFEST_FORMAT;
    out[MF_OFF_RESERVED] = 0u;
    wbota_put_le16(out + MF_OFF_LEN, (uint16_t)l);
    wbota_put_le32(out + MF_OFF_LOAD, p->load_addr);
    wbota_put_le32(out + MF_OFF_SIZE, p->image_size);

    off = prv_put_tlv(out, WBOTA_MANIFEST_HDR_LEN, WBOTA_TLV_VERSION, MF_LEN_VERSION);
    out[off] = p->version.major;
    out[off + 1u] = p->version.minor;
    wbota_put_le16(out + off + 2u, p->version.patch);
    wbota_put_le32(out + off + 4u, p->version.build);
    off += MF_LEN_VERSION;
    off = prv_put_tlv(out, off, WBOTA_TLV_SHA256, WBOTA_SHA256_LEN);
    memcpy(out + off, p->sha256, WBOTA_SHA256_LEN);
    off += WBOTA_SHA256_LEN;
    off = prv_put_tlv(out, off, WBOTA_TLV_SEC_COUNTER, MF_LEN_SEC);
    wbota_put_le32(out + off, p->sec_counter);
    off += MF_LEN_SEC;
    if (p->kind != WBOTA_KIND_APP) {
        off = prv_put_tlv(out, off, WBOTA_TLV_KIND, MF_LEN_KIND);
        out[off] = p->kind;
        off += MF_LEN_KIND;
    }
    if (p->with_signature) {
        off = prv_put_tlv(out, off, WBOTA_TLV_KEY_ID, MF_LEN_KEY_ID);
        wbota_put_le32(out + off, p->key_id);
        off += MF_LEN_KEY_ID;
        *signed_len = off;
        off = prv_put_tlv(out, off, WBOTA_TLV_SIGNATURE, WBOTA_P256_SIG_LEN);
        *sig_offset = off; /* left 0xFF until the signer fills it */
    }
    wbota_put_le16(out + l - 8u, (uint16_t)tlv_len);
    wbota_put_le16(out + l - 6u, (uint16_t)l);
    wbota_put_le32(out + l - 4u, WBOTA_MANIFEST_TRAILER);
    *out_len = l;
    return WBOTA_OK;
}
