/* image.c - ST image tags, vector-table sanity and whole-image verification (wbota/image.h).
 * The manifest byte format lives in manifest.c. Everything read through wbota_mem_t comes
 * from flash an attacker may have written: every address is range-checked against the app
 * region before it is read, and no length taken from the image is trusted before the check. */
#include "wbota/image.h"

#include <string.h>

#include "wbota/bytes.h"

/* Streaming chunk for hashing: small on purpose, the loader runs with little stack. */
#define IMAGE_HASH_CHUNK 256u
/* The vector table ends where the tag pointer sits; the magic and manifest come after it. */
#define IMAGE_MIN_END (WBOTA_TAG_PTR_OFFSET + 4u)
#define ERASED_WORD   0xFFFFFFFFu

static wbota_err_t prv_buf_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    const wbota_buf_mem_t *m = (const wbota_buf_mem_t *)ctx;
    uint32_t off;

    if (m == NULL || buf == NULL) {
        return wbota_err_arg();
    }
    if (len == 0u) {
        return WBOTA_OK;
    }
    if (addr < m->base) {
        return WBOTA_E_RANGE;
    }
    off = addr - m->base;
    if (off > m->len || len > m->len - off) {
        return WBOTA_E_RANGE;
    }
    memcpy(buf, m->data + off, len);
    return WBOTA_OK;
}

wbota_mem_t wbota_mem_from_buffer(wbota_buf_mem_t *holder, uint32_t base, const uint8_t *data,
                                  uint32_t len)
{
    wbota_mem_t mem;
    holder->base = base;
    holder->data = data;
    holder->len = (data == NULL) ? 0u : len;
    mem.read_cb = prv_buf_read_cb;
    mem.ctx = holder;
    return mem;
}

static wbota_err_t prv_read(const wbota_mem_t *mem, uint32_t addr, uint8_t *buf, uint32_t len)
{
    if (mem == NULL || mem->read_cb == NULL) {
        return wbota_err_arg();
    }
    return mem->read_cb(mem->ctx, addr, buf, len);
}

static wbota_err_t prv_read_word(const wbota_mem_t *mem, uint32_t addr, uint32_t *out)
{
    uint8_t b[4];
    wbota_err_t err = prv_read(mem, addr, b, sizeof(b));
    if (err == WBOTA_OK) {
        *out = wbota_get_le32(b);
    }
    return err;
}

wbota_err_t wbota_image_check_st(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                 wbota_image_info_t *info)
{
    uint32_t app;
    uint32_t end;
    uint32_t sp;
    uint32_t tag;
    uint32_t magic;
    wbota_err_t err;

    if (info == NULL) {
        return wbota_err_arg();
    }
    err = wbota_layout_check(lay);
    if (err != WBOTA_OK) {
        return err;
    }
    app = wbota_app_start(lay);
    end = wbota_app_end(lay);
    info->app_start = app;

    if (prv_read_word(mem, app, &sp) != WBOTA_OK) {
        return WBOTA_E_NO_APP;
    }
    if (prv_read_word(mem, app + WBOTA_TAG_PTR_OFFSET, &tag) != WBOTA_OK) {
        /* Something at the app start but not even a whole vector table: a partial image. */
        return WBOTA_E_TRUNCATED;
    }
    if (sp == ERASED_WORD && tag == ERASED_WORD) {
        return WBOTA_E_NO_APP;
    }
    /* Stricter than ST (any address in [flash base, SFSA end - 4]): the magic must lie inside
     * this image, after the tag pointer, word aligned, so the image is [app, M + 4). */
    if (tag < app + IMAGE_MIN_END || tag > end - 4u || (tag & 3u) != 0u) {
        return WBOTA_E_TAG_PTR;
    }
    /* An unreadable magic is a missing magic: the host buffer simply ends earlier. */
    if (prv_read_word(mem, tag, &magic) != WBOTA_OK || magic != WBOTA_TAG_MAGIC) {
        return WBOTA_E_MAGIC;
    }
    info->magic_addr = tag;
    info->image_end = tag + 4u;
    return WBOTA_OK;
}

wbota_err_t wbota_image_check_vectors(const wbota_mem_t *mem, wbota_image_info_t *info)
{
    uint8_t vt[8];
    uint32_t sp;
    uint32_t rv;
    uint32_t entry;

    if (info == NULL || info->image_end <= info->app_start) {
        return wbota_err_arg();
    }
    if (prv_read(mem, info->app_start, vt, sizeof(vt)) != WBOTA_OK) {
        return WBOTA_E_NO_APP;
    }
    sp = wbota_get_le32(vt);
    rv = wbota_get_le32(vt + 4);
    info->initial_sp = sp;
    info->reset_vector = rv;

    /* Full-descending stack: SP may equal the top of SRAM1 but must leave the mailbox and the
     * loader status word (0x20000000-7) alone; AAPCS wants 8-byte alignment. */
    if ((sp & 7u) != 0u || sp <= WBOTA_RAM_RESERVED_END ||
        sp > WBOTA_SRAM1_BASE + WBOTA_SRAM1_SIZE) {
        return WBOTA_E_VT_SP;
    }
    entry = rv & ~1u;
    if ((rv & 1u) == 0u || entry < info->app_start || entry >= info->image_end) {
        return WBOTA_E_VT_RESET;
    }
    return WBOTA_OK;
}

/* The manifest whose trailer ends at `end`, at most `room` bytes long (the only bytes it may
 * occupy). has_manifest clear when no trailer magic is there. */
static wbota_err_t prv_manifest_ending_at(const wbota_mem_t *mem, uint32_t end, uint32_t room,
                                          wbota_image_info_t *info)
{
    uint8_t trailer[WBOTA_MANIFEST_TRAILER_LEN];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    uint32_t len;
    wbota_err_t err;

    info->has_manifest = false;
    memset(&info->manifest, 0, sizeof(info->manifest));
    if (room < WBOTA_MANIFEST_HDR_LEN + WBOTA_MANIFEST_TRAILER_LEN) {
        return WBOTA_OK;
    }
    if (prv_read(mem, end - WBOTA_MANIFEST_TRAILER_LEN, trailer, sizeof(trailer)) != WBOTA_OK) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    if (wbota_get_le32(trailer + 4) != WBOTA_MANIFEST_TRAILER) {
        return WBOTA_OK; /* plain ST image */
    }
    /* L comes straight from flash: bound it before it sizes any read. */
    len = wbota_get_le16(trailer + 2);
    if (len < WBOTA_MANIFEST_HDR_LEN + WBOTA_MANIFEST_TRAILER_LEN || len > sizeof(buf) ||
        (len % 8u) != 0u || len > room) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    if (prv_read(mem, end - len, buf, len) != WBOTA_OK) {
        return WBOTA_E_MANIFEST_FORMAT;
    }
    err = wbota_manifest_parse(buf, len, &info->manifest);
    if (err != WBOTA_OK) {
        return err;
    }
    info->has_manifest = true;
    return WBOTA_OK;
}

wbota_err_t wbota_image_find_manifest(const wbota_mem_t *mem, const wbota_layout_t *lay,
                                      wbota_image_info_t *info)
{
    (void)lay; /* bounds already enforced by check_st through magic_addr */
    if (info == NULL || info->magic_addr < info->app_start + IMAGE_MIN_END) {
        return wbota_err_arg();
    }
    /* Bytes between the tag pointer and the magic: the only place a manifest may live. */
    return prv_manifest_ending_at(mem, info->magic_addr,
                                  info->magic_addr - (info->app_start + IMAGE_MIN_END), info);
}

/* SHA-256 of [addr, addr + len) read in small chunks through the reader. */
static wbota_err_t prv_hash_range(const wbota_mem_t *mem, uint32_t addr, uint32_t len,
                                  uint8_t out[WBOTA_SHA256_LEN])
{
    uint8_t chunk[IMAGE_HASH_CHUNK];
    wbota_sha256_t ctx;

    wbota_sha256_start(&ctx);
    while (len > 0u) {
        uint32_t n = (len < IMAGE_HASH_CHUNK) ? len : IMAGE_HASH_CHUNK;
        if (prv_read(mem, addr, chunk, n) != WBOTA_OK) {
            wbota_sha256_finish(&ctx, out);
            return WBOTA_E_TRUNCATED;
        }
        wbota_sha256_feed(&ctx, chunk, n);
        addr += n;
        len -= n;
    }
    wbota_sha256_finish(&ctx, out);
    return WBOTA_OK;
}

static const uint8_t *prv_find_key(const wbota_trust_t *trust, uint32_t key_id)
{
    size_t i;
    if (trust == NULL || trust->keys == NULL) {
        return NULL;
    }
    for (i = 0; i < trust->n_keys; i++) {
        if (wbota_key_id(trust->keys[i]) == key_id) {
            return trust->keys[i];
        }
    }
    return NULL;
}

static wbota_err_t prv_check_hash(const wbota_mem_t *mem, const wbota_precomputed_hash_t *pre,
                                  wbota_image_info_t *info, uint32_t h)
{
    uint8_t digest[WBOTA_SHA256_LEN];
    wbota_err_t err;

    if (pre != NULL && pre->end == h) {
        memcpy(digest, pre->sha256, sizeof(digest));
    } else {
        err = prv_hash_range(mem, info->app_start, h - info->app_start, digest);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    info->hash_checked = true;
    info->hash_ok = (memcmp(digest, info->manifest.sha256, sizeof(digest)) == 0);
    return info->hash_ok ? WBOTA_OK : WBOTA_E_HASH;
}

static wbota_err_t prv_check_signature(const wbota_mem_t *mem, wbota_policy_t policy,
                                       const wbota_trust_t *trust, wbota_image_info_t *info,
                                       uint32_t h)
{
    const wbota_manifest_t *m = &info->manifest;
    const uint8_t *key = NULL;
    uint8_t digest[WBOTA_SHA256_LEN];
    wbota_err_t err;

    if (m->has_key_id) {
        key = prv_find_key(trust, m->key_id);
    }
    if (policy == WBOTA_POLICY_SIGNED) {
        if (!m->has_signature) {
            return WBOTA_E_SIG_MISSING;
        }
        if (key == NULL) {
            return WBOTA_E_KEY_ID;
        }
    }
    if (!m->has_signature || key == NULL) {
        /* ST policy: an unknown signer still gets the hash check, recorded as unsigned. */
        return WBOTA_OK;
    }
    err = prv_hash_range(mem, h, m->signed_len, digest);
    if (err != WBOTA_OK) {
        return err;
    }
    info->sig_checked = true;
    info->sig_ok = (wbota_p256_verify(key, digest, m->signature) == WBOTA_OK);
    return info->sig_ok ? WBOTA_OK : WBOTA_E_SIG;
}

wbota_err_t wbota_image_verify(const wbota_mem_t *mem, const wbota_layout_t *lay,
                               wbota_policy_t policy, const wbota_trust_t *trust,
                               const wbota_precomputed_hash_t *pre, wbota_image_info_t *info)
{
    wbota_image_info_t local;
    const wbota_manifest_t *m;
    uint32_t h;
    uint32_t counter;
    wbota_err_t err;

    if (policy != WBOTA_POLICY_ST && policy != WBOTA_POLICY_SIGNED) {
        return wbota_err_arg();
    }
    if (info == NULL) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));

    err = wbota_image_check_st(mem, lay, info);
    if (err == WBOTA_OK) {
        err = wbota_image_check_vectors(mem, info);
    }
    if (err == WBOTA_OK) {
        err = wbota_image_find_manifest(mem, lay, info);
    }
    if (err != WBOTA_OK) {
        return err;
    }
    if (!info->has_manifest) {
        return (policy == WBOTA_POLICY_SIGNED) ? WBOTA_E_MANIFEST_MISSING : WBOTA_OK;
    }

    m = &info->manifest;
    if (m->kind != WBOTA_KIND_APP) {
        return WBOTA_E_MANIFEST_KIND; /* signed for CPU2's installer, not for CPU1 to run */
    }
    h = info->magic_addr - m->manifest_len;
    /* The manifest describes exactly the bytes in front of it, loaded at this app start. */
    if (m->load_addr != info->app_start || m->image_size != h - info->app_start) {
        return WBOTA_E_SIZE;
    }
    err = prv_check_hash(mem, pre, info, h);
    if (err == WBOTA_OK) {
        err = prv_check_signature(mem, policy, trust, info, h);
    }
    if (err != WBOTA_OK) {
        return err;
    }
    counter = m->has_sec_counter ? m->sec_counter : 0u;
    if (trust != NULL && counter < trust->min_sec_counter) {
        return WBOTA_E_DOWNGRADE;
    }
    return WBOTA_OK;
}

wbota_err_t wbota_wireless_find_manifest(const wbota_mem_t *mem, uint32_t start, uint32_t end,
                                         wbota_image_info_t *info)
{
    if (info == NULL || end < start) {
        return wbota_err_arg();
    }
    memset(info, 0, sizeof(*info));
    info->app_start = start;
    info->magic_addr = end;
    info->image_end = end;
    return prv_manifest_ending_at(mem, end, end - start, info);
}

wbota_err_t wbota_wireless_verify(const wbota_mem_t *mem, uint32_t start, uint32_t end,
                                  const wbota_trust_t *trust, wbota_image_info_t *info)
{
    wbota_image_info_t local;
    if (info == NULL) {
        info = &local;
    }
    wbota_err_t err = wbota_wireless_find_manifest(mem, start, end, info);
    if (err != WBOTA_OK) {
        return err;
    }
    if (!info->has_manifest) {
        return WBOTA_E_WS_MANIFEST_MISSING;
    }
    const wbota_manifest_t *m = &info->manifest;
    if (m->kind != WBOTA_KIND_WIRELESS) {
        return WBOTA_E_MANIFEST_KIND; /* an application's manifest proves nothing about CPU2 */
    }
    const uint32_t h = end - m->manifest_len;
    /* load address 0: FUS finds the binary wherever it lies, so the signer cannot know it */
    if (m->load_addr != 0u || m->image_size != h - start || h == start) {
        return WBOTA_E_WS_LAYOUT;
    }
    err = prv_check_hash(mem, NULL, info, h);
    if (err == WBOTA_OK) {
        err = prv_check_signature(mem, WBOTA_POLICY_SIGNED, trust, info, h);
    }
    return err;
}
