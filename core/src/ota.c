/* ota.c - the ST-compatible OTA GATT protocol engine (wbota/ota.h, docs/protocol.md).
 * Every FE22/FE24 byte comes from an unauthenticated radio peer: nothing here trusts a length,
 * an address or an ordering. Work per event is bounded: one FE24 write programs at most
 * 248 / 8 + 1 = 32 double words and touches at most 2 pages (each first touch may read the
 * rest of the page and erase it once); "finished" programs one padded tail and verifies. */
#include "wbota/ota.h"

#include <string.h>

#include "wbota/bytes.h"

#define PRV_LAG_CAP   (WBOTA_MANIFEST_MAX_LEN + 8u)
#define PRV_SCAN_SIZE 64u /* blank-check chunk: small on purpose, the loader stack is small */

_Static_assert(sizeof(((wbota_ota_t *)0)->lag) == PRV_LAG_CAP, "lag ring size");
/* H = M - L must still be in the ring at the end: L <= 512 leaves 8 bytes for the magic */
_Static_assert(PRV_LAG_CAP >= WBOTA_MANIFEST_MAX_LEN + 4u, "lag shorter than manifest+magic");

static void prv_out_clear(wbota_ota_out_t *out)
{
    out->actions = 0u;
    out->fe23 = 0u;
    out->status = WBOTA_OK;
}

static void prv_indicate(wbota_ota_out_t *out, wbota_err_t code)
{
    out->actions |= WBOTA_OTA_OUT_INDICATE;
    out->fe23 = wbota_err_to_wire(code);
}

/* The session is over: every later FE24 is refused until a new start. The client learns why
 * at once through FE23 (ST's loader retried forever instead). */
static void prv_fail(wbota_ota_t *ota, wbota_err_t err, wbota_ota_out_t *out)
{
    ota->state = WBOTA_OTA_ERROR;
    ota->last_error = err;
    ota->acc_len = 0u;
    out->status = err;
    prv_indicate(out, err);
}

static bool prv_page_marked(const wbota_ota_t *ota, uint32_t page)
{
    return (ota->erased[page / 8u] & (uint8_t)(1u << (page % 8u))) != 0u;
}

static void prv_page_mark(wbota_ota_t *ota, uint32_t page)
{
    ota->erased[page / 8u] |= (uint8_t)(1u << (page % 8u));
}

static bool prv_is_blank(const uint8_t *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (p[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

static wbota_err_t prv_read(const wbota_ota_t *ota, uint32_t addr, uint8_t *buf, uint32_t len)
{
    const wbota_ota_flash_t *f = &ota->cfg.flash;
    if (!wbota_is_in_flash(addr, len)) {
        return WBOTA_E_RANGE;
    }
    return f->read_cb(f->ctx, addr, buf, len);
}

static bool prv_staged(const wbota_ota_t *ota)
{
    return ota->cfg.staged != NULL && ota->cfg.records != NULL;
}

static uint32_t prv_staging_start(const wbota_ota_t *ota)
{
    return wbota_page_addr(ota->cfg.staging_page);
}

static uint32_t prv_active_size(const wbota_ota_t *ota)
{
    return ota->cfg.active_pages * WBOTA_PAGE_SIZE;
}

/* The one write rule of a session: the app region in `st` mode, the staging slot in staged
 * mode (whatever address the client named). */
static bool prv_writable(const wbota_ota_t *ota, uint32_t addr)
{
    if (!wbota_is_in_app(&ota->cfg.layout, addr, WBOTA_DW_SIZE)) {
        return false;
    }
    if (!prv_staged(ota)) {
        return true;
    }
    return addr >= prv_staging_start(ota) &&
           addr - prv_staging_start(ota) < ota->cfg.staging_pages * WBOTA_PAGE_SIZE;
}

/* First touch of a page in this session: the part of the page from addr on must be blank,
 * otherwise the page is erased (once). Leaves the bytes below addr alone when they can stay. */
static wbota_err_t prv_prepare_page(wbota_ota_t *ota, uint32_t addr)
{
    uint32_t page = wbota_addr_page(addr);
    uint32_t end = wbota_page_addr(page) + WBOTA_PAGE_SIZE;
    uint8_t chunk[PRV_SCAN_SIZE];
    bool blank = true;

    if (prv_page_marked(ota, page)) {
        return WBOTA_OK;
    }
    for (uint32_t a = addr; a < end && blank; a += PRV_SCAN_SIZE) {
        uint32_t n = (end - a < PRV_SCAN_SIZE) ? (end - a) : PRV_SCAN_SIZE;
        wbota_err_t err = prv_read(ota, a, chunk, n);
        if (err != WBOTA_OK) {
            return err;
        }
        blank = prv_is_blank(chunk, n);
    }
    if (!blank) {
        /* a page erase inside an FE24 event: tens of ms on the chip, at most two per write */
        wbota_err_t err = ota->cfg.flash.erase_page_cb(ota->cfg.flash.ctx, page);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    prv_page_mark(ota, page);
    return WBOTA_OK;
}

/* One double word at ota->next: range, page preparation, erased check, program, read-back.
 * No retry: a failure ends the session. */
static wbota_err_t prv_program_dw(wbota_ota_t *ota, const uint8_t dw[WBOTA_DW_SIZE])
{
    uint32_t addr = ota->next;
    uint8_t rd[WBOTA_DW_SIZE];
    wbota_err_t err;

    /* both session kinds write only [app start, SFSA end): never a loader page, never CPU2's;
     * in staged mode only the staging slot */
    if (!wbota_is_dw_aligned(addr) || !prv_writable(ota, addr)) {
        return WBOTA_E_RANGE;
    }
    err = prv_prepare_page(ota, addr);
    if (err != WBOTA_OK) {
        return err;
    }
    err = prv_read(ota, addr, rd, WBOTA_DW_SIZE);
    if (err != WBOTA_OK) {
        return err;
    }
    if (!prv_is_blank(rd, WBOTA_DW_SIZE)) {
        return WBOTA_E_FLASH_NOT_ERASED;
    }
    err = ota->cfg.flash.program_dw_cb(ota->cfg.flash.ctx, addr, dw);
    if (err != WBOTA_OK) {
        return err;
    }
    err = prv_read(ota, addr, rd, WBOTA_DW_SIZE);
    if (err != WBOTA_OK) {
        return err;
    }
    if (memcmp(rd, dw, WBOTA_DW_SIZE) != 0) {
        return WBOTA_E_FLASH_VERIFY;
    }
    ota->next = addr + WBOTA_DW_SIZE;
    if (ota->tag != 0u && prv_staged(ota) &&
        ((ota->next - prv_staging_start(ota)) % WBOTA_PAGE_SIZE) == 0u) {
        /* a staging page is complete (programmed and read back): a resume may start after it */
        return ota->cfg.staged->progress_cb(ota->cfg.records, ota->tag,
                                            (ota->next - prv_staging_start(ota)) / WBOTA_PAGE_SIZE);
    }
    return WBOTA_OK;
}

/* Only an application session that starts at the app start can describe [app start, H). */
static bool prv_hashing(const wbota_ota_t *ota)
{
    return ota->kind == WBOTA_OTA_CMD_APP && ota->base == wbota_app_start(&ota->cfg.layout) &&
           !ota->resumed; /* the bytes before the resume point were hashed by another session */
}

/* Feed the n oldest bytes of the lag ring into the hash. The ring's oldest byte sits at
 * hashed % cap because every byte enters at (hashed + lag_len) % cap. */
static void prv_lag_drain(wbota_ota_t *ota, uint32_t n)
{
    while (n > 0u) {
        uint32_t head = ota->hashed % PRV_LAG_CAP;
        uint32_t run = PRV_LAG_CAP - head;
        if (run > n) {
            run = n;
        }
        wbota_sha256_feed(&ota->sha, &ota->lag[head], run);
        ota->hashed += run;
        ota->lag_len -= run;
        n -= run;
    }
}

/* The manifest's position is known only at the end, so the last WBOTA_MANIFEST_MAX_LEN + 8
 * bytes stay out of the hash until then. */
static void prv_lag_push(wbota_ota_t *ota, const uint8_t *p, uint32_t len)
{
    /* make room for the whole write with one hash call (not one per byte: the loader must
     * keep up with the link) */
    if (len > PRV_LAG_CAP) {
        prv_lag_drain(ota, ota->lag_len);
        wbota_sha256_feed(&ota->sha, p, len - PRV_LAG_CAP);
        ota->hashed += len - PRV_LAG_CAP;
        p += len - PRV_LAG_CAP;
        len = PRV_LAG_CAP;
    } else if (ota->lag_len + len > PRV_LAG_CAP) {
        prv_lag_drain(ota, ota->lag_len + len - PRV_LAG_CAP);
    }
    for (uint32_t i = 0; i < len; i++) {
        ota->lag[(ota->hashed + ota->lag_len) % PRV_LAG_CAP] = p[i];
        ota->lag_len++;
    }
}

static void prv_session_start(wbota_ota_t *ota, uint8_t kind, uint32_t addr)
{
    ota->state = WBOTA_OTA_RECEIVING;
    ota->kind = kind;
    ota->base = addr;
    ota->next = addr;
    ota->acc_len = 0u;
    ota->bytes = 0u;
    /* Pages are trusted again only after the flash confirms them blank in this session: a
     * restart at a lower or the same address re-examines (and if needed erases) every page,
     * instead of tripping over its own earlier data as ST's loader does. */
    memset(ota->erased, 0, sizeof ota->erased);
    ota->last_error = WBOTA_OK;
    wbota_sha256_start(&ota->sha);
    ota->lag_len = 0u;
    ota->hashed = 0u;
    ota->tag = 0u;
    ota->resumed = false;
    memset(&ota->info, 0, sizeof ota->info);
}

static void prv_session_end(wbota_ota_t *ota)
{
    ota->state = WBOTA_OTA_IDLE;
    ota->acc_len = 0u;
}

static wbota_err_t prv_mem_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    const wbota_ota_t *ota = (const wbota_ota_t *)ctx;
    if (prv_staged(ota)) {
        /* the image is linked for the active slot and stored in staging at the same offset */
        uint32_t app = wbota_app_start(&ota->cfg.layout);
        if (addr < app || addr - app > prv_active_size(ota) ||
            len > prv_active_size(ota) - (addr - app)) {
            return WBOTA_E_RANGE;
        }
        addr = prv_staging_start(ota) + (addr - app);
    }
    return prv_read(ota, addr, buf, len);
}

/* Reads of what a wireless session wrote, at the addresses it was written to. */
static wbota_err_t prv_phys_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    return prv_read((const wbota_ota_t *)ctx, addr, buf, len);
}

/* The digest of [app start, H) when the stream covers exactly that and the lag still holds H;
 * otherwise NULL and wbota_image_verify reads the flash itself. The manifest is located with
 * the image module (one parser), over what was just programmed. */
static const wbota_precomputed_hash_t *prv_finish_hash(wbota_ota_t *ota,
                                                       wbota_precomputed_hash_t *pre)
{
    wbota_mem_t mem = {.read_cb = prv_mem_read_cb, .ctx = ota};
    wbota_image_info_t info;
    uint32_t h;
    uint32_t h_off;

    if (!prv_hashing(ota)) {
        return NULL;
    }
    memset(&info, 0, sizeof info);
    if (wbota_image_check_st(&mem, &ota->cfg.layout, &info) != WBOTA_OK ||
        wbota_image_find_manifest(&mem, &ota->cfg.layout, &info) != WBOTA_OK ||
        !info.has_manifest || info.manifest.manifest_len > info.magic_addr) {
        return NULL;
    }
    h = info.magic_addr - info.manifest.manifest_len;
    if (h < ota->base) {
        return NULL;
    }
    h_off = h - ota->base;
    if (h_off < ota->hashed || h_off - ota->hashed > ota->lag_len) {
        return NULL;
    }
    prv_lag_drain(ota, h_off - ota->hashed);
    wbota_sha256_finish(&ota->sha, pre->sha256);
    pre->end = h;
    return pre;
}

static void prv_finish(wbota_ota_t *ota, wbota_ota_out_t *out)
{
    wbota_precomputed_hash_t pre;
    const wbota_precomputed_hash_t *pre_p;
    wbota_err_t err;

    if (ota->bytes == 0u) {
        prv_fail(ota, WBOTA_E_OTA_EMPTY, out);
        return;
    }
    if (ota->acc_len > 0u) {
        memset(&ota->acc[ota->acc_len], 0xFF, WBOTA_DW_SIZE - ota->acc_len);
        err = prv_program_dw(ota, ota->acc);
        if (err != WBOTA_OK) {
            prv_fail(ota, err, out);
            return;
        }
        ota->acc_len = 0u;
    }
    if (ota->kind == WBOTA_OTA_CMD_APP) {
        wbota_mem_t mem = {.read_cb = prv_mem_read_cb, .ctx = ota};
        pre_p = prv_finish_hash(ota, &pre);
        if (prv_staged(ota)) {
            /* only a session from the app start describes a whole image */
            err = (ota->base == wbota_app_start(&ota->cfg.layout))
                      ? ota->cfg.staged->finish_cb(&ota->cfg, &mem, pre_p)
                      : WBOTA_E_RANGE;
            if (err == WBOTA_OK) {
                (void)wbota_image_check_st(&mem, &ota->cfg.layout, &ota->info);
            }
        } else {
            err = wbota_image_verify(&mem, &ota->cfg.layout, ota->cfg.policy, ota->cfg.trust, pre_p,
                                     &ota->info);
        }
        if (err != WBOTA_OK) {
            /* the device must not reboot into it: ERROR never emits REBOOT_APP */
            prv_fail(ota, err, out);
            return;
        }
    }
    if (ota->kind == WBOTA_OTA_CMD_WIRELESS && ota->cfg.policy == WBOTA_POLICY_SIGNED) {
        /* FUS checks ST's signature of the stack; the product's own manifest decides whether
         * FUS is started at all (docs/image-format.md#wireless). The session wrote [base,
         * base + bytes) where it was told (wireless sessions are never redirected). */
        wbota_mem_t mem = {.read_cb = prv_phys_read_cb, .ctx = ota};
        err = wbota_wireless_verify(&mem, ota->base, ota->base + ota->bytes, ota->cfg.trust,
                                    &ota->info);
        if (err != WBOTA_OK) {
            prv_fail(ota, err, out); /* ERROR never emits START_FUS */
            return;
        }
    }
    /* under the `st` policy a wireless image is checked by ST's FUS only */
    ota->state = WBOTA_OTA_VERIFIED;
    ota->last_error = WBOTA_OK;
    prv_indicate(out, WBOTA_OK);
}

/* FE22 `0B tag` (start tagged) / `0A tag` (resume) in staged mode: exactly 5 bytes, tag != 0. */
static void prv_tagged(wbota_ota_t *ota, const uint8_t *val, size_t len, wbota_ota_out_t *out)
{
    const uint32_t app = wbota_app_start(&ota->cfg.layout);
    uint32_t pages = 0u;
    wbota_err_t err = WBOTA_OK;

    if (len != 5u) {
        prv_fail(ota, WBOTA_E_OTA_LEN, out);
        return;
    }
    const uint32_t tag = wbota_get_be32(&val[1]);
    if (tag == 0u) {
        prv_fail(ota, WBOTA_E_RESUME_NONE, out); /* 0 names no image */
        return;
    }
    if (val[0] == WBOTA_OTA_CMD_RESUME) {
        err = ota->cfg.staged->resume_cb(ota->cfg.records, tag, &pages);
        /* an earlier page is always a valid resume point (its pages are written again) */
        if (pages > WBOTA_OTA_RESUME_MAX_PAGES) {
            pages = WBOTA_OTA_RESUME_MAX_PAGES;
        }
        if (ota->cfg.active_pages > 0u && pages >= ota->cfg.active_pages) {
            pages = ota->cfg.active_pages - 1u;
        }
    } else {
        err = ota->cfg.staged->session_start_cb(ota->cfg.records);
        if (err == WBOTA_OK) {
            err = ota->cfg.staged->progress_cb(ota->cfg.records, tag, 0u);
        }
    }
    if (err != WBOTA_OK) {
        prv_fail(ota, err, out);
        return;
    }
    prv_session_start(ota, WBOTA_OTA_CMD_APP, app);
    ota->tag = tag;
    ota->next = prv_staging_start(ota) + pages * WBOTA_PAGE_SIZE;
    ota->bytes = pages * WBOTA_PAGE_SIZE;
    if (val[0] == WBOTA_OTA_CMD_RESUME) {
        ota->resumed = true;
        out->actions |= WBOTA_OTA_OUT_INDICATE;
        out->fe23 = (uint8_t)(WBOTA_OTA_FE23_RESUME_BASE + pages);
    }
}

void wbota_ota_init(wbota_ota_t *ota, const wbota_ota_config_t *cfg)
{
    memset(ota, 0, sizeof *ota);
    ota->cfg = *cfg;
    ota->state = WBOTA_OTA_IDLE;
    ota->last_error = WBOTA_OK;
}

void wbota_ota_on_base_write(wbota_ota_t *ota, const uint8_t *val, size_t len, wbota_ota_out_t *out)
{
    uint8_t cmd;
    uint32_t addr;

    prv_out_clear(out);
    if (val == NULL || len == 0u || len > 5u) {
        prv_fail(ota, WBOTA_E_OTA_LEN, out);
        return;
    }
    cmd = val[0];
    switch (cmd) {
    case WBOTA_OTA_CMD_STOP:
    case WBOTA_OTA_CMD_CANCEL:
        /* end the session without reboot; what was written stays but has no magic */
        prv_session_end(ota);
        return;
    case WBOTA_OTA_CMD_FINISHED:
        if (ota->state == WBOTA_OTA_RECEIVING) {
            prv_finish(ota, out);
        } else if (ota->state == WBOTA_OTA_VERIFIED) {
            prv_indicate(out, WBOTA_OK); /* a repeated "finished" gets the same answer */
        } else if (ota->state == WBOTA_OTA_ERROR) {
            /* a client that only listens after "finished" still learns the real reason */
            out->status = ota->last_error;
            prv_indicate(out, ota->last_error);
        } else {
            prv_fail(ota, WBOTA_E_OTA_STATE, out);
        }
        return;
    case WBOTA_OTA_CMD_APP:
    case WBOTA_OTA_CMD_WIRELESS:
        break;
    case WBOTA_OTA_CMD_RESUME:
    case WBOTA_OTA_CMD_START_TAGGED:
        if (prv_staged(ota)) {
            prv_tagged(ota, val, len, out);
            return;
        }
        prv_fail(ota, WBOTA_E_OTA_CMD, out); /* `st` mode keeps no download records */
        return;
    default:
        prv_fail(ota, WBOTA_E_OTA_CMD, out);
        return;
    }
    if (len < 4u) {
        prv_fail(ota, WBOTA_E_OTA_LEN, out);
        return;
    }
    addr = WBOTA_FLASH_BASE | wbota_get_be24(&val[1]); /* byte 4 (newer clients) ignored */
    if (!wbota_is_dw_aligned(addr)) {
        prv_fail(ota, WBOTA_E_ALIGN, out);
        return;
    }
    /* ST stores a CPU2 image in free non-secure flash: the same region as the application */
    if (!wbota_is_in_app(&ota->cfg.layout, addr, WBOTA_DW_SIZE)) {
        prv_fail(ota, WBOTA_E_RANGE, out);
        return;
    }
    uint32_t phys = addr;
    if (prv_staged(ota) && cmd == WBOTA_OTA_CMD_APP) {
        uint32_t off = addr - wbota_app_start(&ota->cfg.layout);
        if (off >= prv_active_size(ota)) {
            prv_fail(ota, WBOTA_E_RANGE, out);
            return;
        }
        phys = prv_staging_start(ota) + off; /* an ST client's 02 00 70 00 lands in staging */
    }
    if (prv_staged(ota) && !prv_writable(ota, phys)) {
        prv_fail(ota, WBOTA_E_RANGE, out);
        return;
    }
    if (prv_staged(ota)) {
        wbota_err_t err = ota->cfg.staged->session_start_cb(ota->cfg.records);
        if (err == WBOTA_OK) {
            /* an untagged session overwrites staging: no resume of an earlier download */
            err = ota->cfg.staged->progress_cb(ota->cfg.records, 0u, 0u);
        }
        if (err != WBOTA_OK) {
            prv_fail(ota, err, out);
            return;
        }
    }
    prv_session_start(ota, cmd, addr);
    ota->next = phys;
}

void wbota_ota_on_raw_write(wbota_ota_t *ota, const uint8_t *val, size_t len, wbota_ota_out_t *out)
{
    wbota_err_t err;

    prv_out_clear(out);
    if (ota->state == WBOTA_OTA_ERROR || ota->state == WBOTA_OTA_VERIFIED) {
        /* already answered on FE23; stray data must neither write nor flood indications */
        out->status = (val == NULL || len == 0u || len > WBOTA_OTA_RAW_MAX) ? WBOTA_E_OTA_LEN
                                                                            : WBOTA_E_OTA_STATE;
        return;
    }
    if (val == NULL || len == 0u || len > WBOTA_OTA_RAW_MAX) {
        prv_fail(ota, WBOTA_E_OTA_LEN, out);
        return;
    }
    if (ota->state != WBOTA_OTA_RECEIVING) {
        prv_fail(ota, WBOTA_E_OTA_STATE, out);
        return;
    }
    if (prv_hashing(ota)) {
        prv_lag_push(ota, val, (uint32_t)len);
    }
    ota->bytes += (uint32_t)len;
    for (size_t i = 0; i < len; i++) {
        ota->acc[ota->acc_len++] = val[i];
        if (ota->acc_len == WBOTA_DW_SIZE) {
            err = prv_program_dw(ota, ota->acc);
            if (err != WBOTA_OK) {
                prv_fail(ota, err, out);
                return;
            }
            ota->acc_len = 0u;
        }
    }
}

void wbota_ota_on_indication_confirmed(wbota_ota_t *ota, wbota_ota_out_t *out)
{
    prv_out_clear(out);
    if (ota->state != WBOTA_OTA_VERIFIED) {
        return; /* clients confirm error indications too: nothing to do */
    }
    out->actions =
        (ota->kind == WBOTA_OTA_CMD_WIRELESS) ? WBOTA_OTA_OUT_START_FUS : WBOTA_OTA_OUT_REBOOT_APP;
    prv_session_end(ota); /* the action is emitted once */
}

void wbota_ota_on_disconnect(wbota_ota_t *ota, wbota_ota_out_t *out)
{
    prv_out_clear(out);
    switch (ota->state) {
    case WBOTA_OTA_VERIFIED:
        /* better than ST: a client that never confirms still gets its reboot */
        wbota_ota_on_indication_confirmed(ota, out);
        return;
    case WBOTA_OTA_RECEIVING:
        ota->last_error = WBOTA_E_LINK_LOST;
        out->status = WBOTA_E_LINK_LOST;
        break;
    default:
        break;
    }
    prv_session_end(ota);
}
