/* upload.c - ST OTA client sequence over a wbtool transport (see upload.h). */
#include "upload.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd_scan.h"
#include "wbota/bytes.h"
#include "wbota/crypto.h"
#include "wbota/err.h"
#include "wbota/layout.h"
#include "wbota/ota.h"
#include "wbota/st_ota.h"
#include "wbota_wire.h"

/* 128-bit UUIDs, little-endian as on air (docs/st-interface.md#gatt). */
static const uint8_t s_uuid_fe11[16] = WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE11);
static const uint8_t s_uuid_fe22[16] = WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE22);
static const uint8_t s_uuid_fe23[16] = WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE23);
static const uint8_t s_uuid_fe24[16] = WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE24);

#define WBTOOL_SCAN_ROUNDS 5u

volatile sig_atomic_t wbtool_interrupted = 0;

bool wbtool_adv_name(const uint8_t *ad, size_t len, char *out, size_t cap)
{
    return wbota_ad_name(ad, len, out, cap);
}

bool wbtool_adv_is_st_loader(const uint8_t *ad, size_t len)
{
    /* docs/st-interface.md#advertising: 0D FF <version> <device id> ... */
    size_t n = 0u;
    const uint8_t *m = wbota_ad_find(ad, len, WBOTA_AD_MANUFACTURER, &n);
    return m != NULL && n > WBOTA_ST_MANUF_DEV_ID_INDEX &&
           m[WBOTA_ST_MANUF_DEV_ID_INDEX] == WBOTA_ST_DEV_ID_LOADER;
}

bool wbtool_parse_bdaddr(const char *s, uint8_t out[6])
{
    unsigned v[6];
    char tail;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) !=
        6) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        out[i] = (uint8_t)v[i];
    }
    return strlen(s) == 17u;
}

typedef struct {
    const wbtool_upload_cfg_t *cfg;
    int mode; /* 0: find app, 1: find loader, 2: confirm new image */
    bool have_addr;
    uint8_t addr[6];
    bool found;
    uint8_t found_addr[6];
    bool have_app; /* mode 1: the application's address, to notice it coming back */
    uint8_t app[6];
    bool app_seen;
    /* mode 0: a loader in place of the app (an earlier update stopped in the loader) */
    unsigned loaders; /* distinct loaders seen (1 = unambiguous) */
    uint8_t loader[6];
    bool have_info; /* mode 1: the found loader published its state (docs/protocol.md#loader-adv) */
    wbota_ladv_t info;
    /* mode 2: the app that ran before advertises again under its own name instead of the new
     * one (a swap loader reverted the new image, docs/staged.md#swap) */
    bool old_back;
} prv_scan_t;

/* ST rule: loader address = app address with byte 0 (printed last) + 1, no carry. */
static void prv_loader_addr_of(const uint8_t app[6], uint8_t out[6])
{
    memcpy(out, app, 6u);
    out[5] = (uint8_t)(out[5] + 1u);
}

/* Mode 0: notes a loader that can stand for the app; true when it is certainly the app's
 * (its address is the app's + 1), so the scan can stop. */
static bool prv_note_loader(prv_scan_t *s, const wbtool_adv_t *adv, const char *name)
{
    if (strcmp(name, WBOTA_ST_LOADER_NAME) != 0 || !wbtool_adv_is_st_loader(adv->data, adv->len)) {
        return false;
    }
    if (s->have_addr) {
        uint8_t la[6];
        prv_loader_addr_of(s->addr, la);
        if (memcmp(adv->addr, la, 6u) != 0) {
            return false;
        }
        memcpy(s->loader, la, 6u);
        s->loaders = 1u;
        return true;
    }
    if (s->loaders == 0u) {
        memcpy(s->loader, adv->addr, 6u);
        s->loaders = 1u;
    } else if (memcmp(s->loader, adv->addr, 6u) != 0) {
        s->loaders = 2u; /* more than one: cannot tell which is ours */
    }
    return false;
}

static bool prv_scan_cb(const wbtool_adv_t *adv, void *user)
{
    prv_scan_t *s = user;
    char name[40] = "";
    (void)wbtool_adv_name(adv->data, adv->len, name, sizeof(name));
    bool match = false;
    if (s->mode == 1 && s->have_app && memcmp(adv->addr, s->app, 6u) == 0) {
        s->app_seen = true;
    }
    if (s->mode == 0 && prv_note_loader(s, adv, name)) {
        return true;
    }
    if (s->mode == 2 && s->cfg->name != NULL && s->cfg->expect_name != NULL &&
        strcmp(s->cfg->name, s->cfg->expect_name) != 0 && strcmp(name, s->cfg->name) == 0) {
        s->old_back = true;
    }
    if (s->have_addr) {
        match = memcmp(adv->addr, s->addr, 6u) == 0;
        if (match && s->mode == 2 && s->cfg->expect_name != NULL) {
            match = strcmp(name, s->cfg->expect_name) == 0;
        }
    } else if (s->mode == 0) {
        match = s->cfg->name != NULL && strcmp(name, s->cfg->name) == 0;
    } else if (s->mode == 1) {
        match =
            strcmp(name, WBOTA_ST_LOADER_NAME) == 0 && wbtool_adv_is_st_loader(adv->data, adv->len);
    } else {
        match = s->cfg->expect_name != NULL && strcmp(name, s->cfg->expect_name) == 0;
    }
    if (match && !s->found) {
        s->found = true;
        memcpy(s->found_addr, adv->addr, 6u);
        s->have_info = s->mode == 1 && wbtool_adv_loader_info(adv->data, adv->len, &s->info);
    }
    return s->found;
}

static wbota_err_t prv_scan_for(wbtool_transport_t *t, prv_scan_t *s, uint32_t scan_ms)
{
    uint32_t step = scan_ms / WBTOOL_SCAN_ROUNDS;
    if (step == 0u) {
        step = 1u;
    }
    for (unsigned r = 0u; r < WBTOOL_SCAN_ROUNDS && !s->found; r++) {
        if (wbtool_interrupted) {
            (void)snprintf(t->msg, sizeof(t->msg), "interrupted");
            return WBOTA_E_INTERRUPTED;
        }
        wbota_err_t err = t->scan(t->ctx, step, prv_scan_cb, s);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    return s->found ? WBOTA_OK : WBOTA_E_NOT_FOUND;
}

static const wbtool_char_t *prv_find(const wbtool_char_t *c, size_t n, const uint8_t uuid[16])
{
    for (size_t i = 0u; i < n; i++) {
        if (c[i].uuid_len == 16u && memcmp(c[i].uuid, uuid, 16u) == 0) {
            return &c[i];
        }
    }
    return NULL;
}

void wbtool_fmt_bdaddr(char *out, size_t cap, const uint8_t a[6])
{
    (void)snprintf(out, cap, "%02X:%02X:%02X:%02X:%02X:%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* res says err with a message made from fmt (no transport detail). */
static void prv_failf(wbtool_upload_result_t *res, wbota_err_t err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void prv_failf(wbtool_upload_result_t *res, wbota_err_t err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    res->err = err;
    (void)vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
    va_end(ap);
}

static void prv_fail(wbtool_upload_result_t *res, wbota_err_t err, const char *what,
                     const wbtool_transport_t *t)
{
    res->err = err;
    int n = snprintf(res->msg, sizeof(res->msg), "%s%s%s", what, t->msg[0] ? ": " : "", t->msg);
    /* after the reboot request the device waits in the loader: say how to go on from there */
    if ((err == WBOTA_E_LINK_LOST || err == WBOTA_E_INTERRUPTED) && n > 0 &&
        (size_t)n < sizeof(res->msg) && res->loader_found) {
        char as[24];
        wbtool_fmt_bdaddr(as, sizeof(as), res->loader_addr);
        (void)snprintf(res->msg + n, sizeof(res->msg) - (size_t)n,
                       "; the device waits in the loader: resume with `wbota upload IMAGE "
                       "--loader --addr %s` (same transport)",
                       as);
    }
}

/* Connects to addr, exchanges the MTU when mtu_out is set, and lists the characteristics into
 * chars. On failure fills res with connect_fail (the connection) or link_fail (after it) and
 * returns false. */
static bool prv_link(wbtool_transport_t *t, const wbtool_upload_cfg_t *cfg, const uint8_t addr[6],
                     uint16_t *mtu_out, wbtool_char_t *chars, size_t *nch, const char *connect_fail,
                     const char *link_fail, wbtool_upload_result_t *res)
{
    wbota_err_t err = t->connect(t->ctx, addr, cfg->scan_ms);
    if (err != WBOTA_OK) {
        prv_fail(res, err, connect_fail, t);
        return false;
    }
    if (mtu_out != NULL) {
        err = t->exchange_mtu(t->ctx, cfg->mtu, mtu_out);
    }
    if (err == WBOTA_OK) {
        err = t->discover(t->ctx, chars, WBTOOL_CHAR_MAX, nch);
    }
    if (err != WBOTA_OK) {
        prv_fail(res, err, link_fail, t);
        return false;
    }
    return true;
}

static void prv_stage(const wbtool_upload_cfg_t *cfg, const char *stage)
{
    if (cfg->stage_cb != NULL) {
        cfg->stage_cb(stage, cfg->user);
    }
}

uint32_t wbtool_upload_best_chunk(uint16_t mtu, uint16_t ll_data_len)
{
    uint32_t max = (mtu > 23u) ? (uint32_t)mtu - 3u : 20u;
    if (max > 248u) {
        max = 248u; /* FE24's length */
    }
    if (ll_data_len < 27u) {
        ll_data_len = 27u;
    }
    uint32_t best = 1u;
    uint32_t best_pkts = 1u;
    for (uint32_t n = 1u; n <= max; n++) {
        const uint32_t pkts = (n + 7u + ll_data_len - 1u) / ll_data_len;
        /* n / pkts > best / best_pkts, compared without division */
        if (n * best_pkts > best * pkts) {
            best = n;
            best_pkts = pkts;
        }
    }
    return best;
}

#define PRV_RESUME_ANSWER_MS 3000u /* bound on the FE23 answer to FE22 `0A` */

/* docs/protocol.md#resume: the first 4 bytes of the image's SHA-256 (big-endian), never 0. */
static uint32_t prv_image_tag(const uint8_t *img, uint32_t len)
{
    wbota_sha256_t sha;
    uint8_t d[WBOTA_SHA256_LEN];
    wbota_sha256_start(&sha);
    wbota_sha256_feed(&sha, img, len);
    wbota_sha256_finish(&sha, d);
    uint32_t tag = wbota_get_be32(d);
    return tag != 0u ? tag : 1u;
}

/* The resume extension (staged wbota loaders): FE22 `0A tag`; the answer 0x04 + k continues at
 * page k; a refusal (other image, nothing recorded) starts from 0 with `0B tag`. A loader that
 * does not know it (`st` mode: E_OTA_CMD; ST's: no answer) gets the plain start. Returns the
 * offset to stream from, or UINT32_MAX when the plain start must be sent. */
static uint32_t prv_resume(wbtool_transport_t *t, const wbtool_upload_cfg_t *cfg,
                           wbtool_upload_result_t *res, uint16_t fe22, uint16_t fe23)
{
    uint8_t cmd[5];
    uint8_t ind[8];
    size_t il = 0u;
    char line[160];
    const uint32_t tag = prv_image_tag(cfg->image, cfg->len);

    cmd[0] = WBOTA_OTA_CMD_RESUME;
    wbota_put_be32(&cmd[1], tag);
    if (t->write(t->ctx, fe22, cmd, sizeof cmd, false, NULL) != WBOTA_OK ||
        t->wait_indication(t->ctx, fe23, PRV_RESUME_ANSWER_MS, ind, sizeof ind, &il) != WBOTA_OK ||
        il < 1u) {
        return UINT32_MAX;
    }
    (void)t->confirm(t->ctx);
    res->tag = tag;
    if (ind[0] >= WBOTA_OTA_FE23_RESUME_BASE && ind[0] < WBOTA_FE23_FAIL) {
        uint32_t from = (uint32_t)(ind[0] - WBOTA_OTA_FE23_RESUME_BASE) * WBOTA_PAGE_SIZE;
        if (from > 0u && from < cfg->len) {
            res->resume_from = from;
            (void)snprintf(line, sizeof line,
                           "resuming the interrupted upload at byte %u of %u (%u%% already on "
                           "the device)",
                           (unsigned)from, (unsigned)cfg->len,
                           (unsigned)((uint64_t)from * 100u / cfg->len));
            prv_stage(cfg, line);
            return from;
        }
    }
    int code = wbota_err_from_wire(ind[0]);
    if (code != WBOTA_E_RESUME_OTHER && code != WBOTA_E_RESUME_NONE &&
        !(ind[0] >= WBOTA_OTA_FE23_RESUME_BASE && ind[0] < WBOTA_FE23_FAIL)) {
        res->tag = 0u;
        return UINT32_MAX; /* a loader without the extension: the plain start */
    }
    prv_stage(cfg, code == WBOTA_E_RESUME_OTHER
                       ? "the loader holds part of a different image: uploading from byte 0"
                       : "nothing to resume: uploading from byte 0");
    cmd[0] = WBOTA_OTA_CMD_START_TAGGED;
    return t->write(t->ctx, fe22, cmd, sizeof cmd, false, NULL) == WBOTA_OK ? 0u : UINT32_MAX;
}

void wbtool_upload_run(wbtool_transport_t *t, const wbtool_upload_cfg_t *cfg,
                       wbtool_upload_result_t *res)
{
    memset(res, 0, sizeof(*res));
    wbtool_char_t chars[WBTOOL_CHAR_MAX];
    size_t nch = 0u;
    char as[24];
    uint8_t app_addr[6];
    bool have_app_addr = false;
    wbota_err_t err;
    bool resume = false; /* the app's loader is advertising in its place */
    uint8_t resume_addr[6];
    uint8_t found_app[6];

    if (!cfg->loader_only) {
        prv_stage(cfg, "scanning for the application");
        prv_scan_t s = {.cfg = cfg, .mode = 0, .have_addr = cfg->have_addr};
        memcpy(s.addr, cfg->addr, 6u);
        err = prv_scan_for(t, &s, cfg->scan_ms);
        if (!s.found && s.loaders == 1u && (err == WBOTA_OK || err == WBOTA_E_NOT_FOUND)) {
            /* an earlier update stopped in the loader (refused, interrupted, link lost): the
             * app is gone, its loader waits; the same command continues there */
            resume = true;
            memcpy(resume_addr, s.loader, 6u);
            res->resumed = true;
            if (cfg->have_addr) {
                memcpy(app_addr, cfg->addr, 6u);
                have_app_addr = true;
            }
            prv_stage(cfg, "the application is not advertising but a loader is (an earlier "
                           "update stopped there): continuing in the loader");
        } else if (err == WBOTA_E_NOT_FOUND) {
            char want[64];
            if (cfg->have_addr) {
                wbtool_fmt_bdaddr(want, sizeof(want), cfg->addr);
            } else {
                (void)snprintf(want, sizeof(want), "\"%.40s\"", cfg->name ? cfg->name : "");
            }
            prv_failf(res, err,
                      "application %s not found by the scan within %u ms%s: is it "
                      "advertising and in range? (`wbota scan` lists what is; "
                      "--scan-ms raises the bound)",
                      want, (unsigned)cfg->scan_ms,
                      s.loaders > 1u ? ", and more than one loader advertises (name the "
                                       "device with --addr)"
                                     : "");
            return;
        } else if (err != WBOTA_OK) {
            prv_fail(res, err,
                     err == WBOTA_E_INTERRUPTED ? "scan for the application" : "scan failed", t);
            return;
        }
        memcpy(found_app, s.found_addr, 6u);
    }
    if (!cfg->loader_only && !resume) {
        memcpy(app_addr, found_app, 6u);
        have_app_addr = true;
        wbtool_fmt_bdaddr(as, sizeof(as), app_addr);
        prv_stage(cfg, "connecting to the application");
        if (!prv_link(t, cfg, app_addr, NULL, chars, &nch, "cannot connect to the application",
                      "cannot connect to the application", res)) {
            return;
        }
        const wbtool_char_t *fe11 = prv_find(chars, nch, s_uuid_fe11);
        if (fe11 == NULL) {
            prv_failf(res, WBOTA_E_UNSUPPORTED,
                      "%s has no reboot request characteristic FE11: link the wbota app "
                      "kit, or put the device into the loader and use --loader",
                      as);
            (void)t->disconnect(t->ctx);
            return;
        }
        prv_stage(cfg, "requesting a reboot into the loader");
        uint8_t req[3] = {0x01u, cfg->erase_first_page, cfg->erase_pages};
        err = t->write(t->ctx, fe11->value_handle, req, sizeof(req), false, NULL);
        if (err != WBOTA_OK) {
            prv_fail(res, err, "reboot request failed", t);
            return;
        }
        /* the app resets: its link drops by itself; do not wait forever for it */
        if (t->wait_disconnect(t->ctx, 2000u) != WBOTA_OK) {
            (void)t->disconnect(t->ctx);
        }
    }

    prv_stage(cfg, "scanning for the loader");
    prv_scan_t ls = {.cfg = cfg, .mode = 1};
    if (resume) {
        memcpy(ls.addr, resume_addr, 6u);
        ls.have_addr = true;
    } else if (have_app_addr) {
        prv_loader_addr_of(app_addr, ls.addr);
        ls.have_addr = true;
        memcpy(ls.app, app_addr, 6u);
        ls.have_app = true;
    } else if (cfg->have_addr) {
        memcpy(ls.addr, cfg->addr, 6u);
        ls.have_addr = true;
    }
    if (ls.have_addr && t->forget != NULL) {
        /* a device object left from an earlier session could serve a stale GATT database */
        (void)t->forget(t->ctx, ls.addr);
    }
    err = prv_scan_for(t, &ls, cfg->scan_ms);
    if (err == WBOTA_E_NOT_FOUND && !cfg->loader_only && !resume) {
        err = WBOTA_E_LOADER_ABSENT; /* the device took the reboot request but never came back */
    }
    if (err == WBOTA_E_INTERRUPTED) {
        prv_fail(res, err, "scan for the loader", t);
        return;
    }
    if (err == WBOTA_E_LOADER_ABSENT && ls.app_seen) {
        prv_failf(res, err,
                  "loader not found, and the application (%s) is advertising again: the "
                  "loader gave up and returned to it (its reason is in the loader status "
                  "word at 0x20000004; an RF wake-up clock mismatch, E_RFWKP_TRAP, is the "
                  "usual cause: see docs/wbota.md)",
                  as);
        return;
    }
    if (err != WBOTA_OK) {
        if (ls.have_addr) {
            wbtool_fmt_bdaddr(as, sizeof(as), ls.addr);
        }
        prv_failf(res, err,
                  (err == WBOTA_E_NOT_FOUND || err == WBOTA_E_LOADER_ABSENT)
                      ? "loader not found (%s%s) within the scan bound: did the device "
                        "reboot into the loader? (a hang here after a reboot request is "
                        "often the RF wake-up clock trap, docs/wbota.md)"
                      : "scan for the loader failed (%s%s)",
                  ls.have_addr ? "address " : "\"STM_OTA\", id 0x86", ls.have_addr ? as : "");
        return;
    }
    memcpy(res->loader_addr, ls.found_addr, 6u);
    res->loader_found = true;
    res->loader_keeps_app =
        ls.have_info && ls.info.mode != WBOTA_LADV_MODE_ST && ls.info.state != WBOTA_LADV_GAVE_UP;
    if (ls.have_info) {
        char info[160], line[200];
        wbtool_fmt_loader_info(info, sizeof(info), &ls.info);
        (void)snprintf(line, sizeof(line), "found the loader: wbota loader %s", info);
        prv_stage(cfg, line);
    }
    prv_stage(cfg, "connecting to the loader");
    if (!prv_link(t, cfg, ls.found_addr, &res->mtu, chars, &nch, "cannot connect to the loader",
                  "loader connection failed", res)) {
        return;
    }
    const wbtool_char_t *fe22 = prv_find(chars, nch, s_uuid_fe22);
    const wbtool_char_t *fe23 = prv_find(chars, nch, s_uuid_fe23);
    const wbtool_char_t *fe24 = prv_find(chars, nch, s_uuid_fe24);
    if (fe22 == NULL || fe23 == NULL || fe24 == NULL) {
        prv_failf(res, WBOTA_E_UNSUPPORTED, "device has no OTA service (FE22/FE23/FE24 missing)");
        (void)t->disconnect(t->ctx);
        return;
    }
    /* CCCD of FE23 = value handle + 1; 0x0002 = indications */
    uint8_t cccd[2] = {0x02u, 0x00u};
    uint8_t att = 0u;
    err = t->write(t->ctx, (uint16_t)(fe23->value_handle + 1u), cccd, sizeof(cccd), true, &att);
    if (err != WBOTA_OK) {
        prv_fail(res, err, "cannot enable FE23 indications", t);
        return;
    }
    /* [cmd][address 24 bits big-endian], newer ST clients add [pages to erase] */
    uint8_t start[5];
    start[0] = cfg->wireless ? WBOTA_ST_CMD_WIRELESS : WBOTA_ST_CMD_APP;
    wbota_put_be24(&start[1], cfg->target & 0x00FFFFFFu);
    start[4] = cfg->erase_pages;
    uint32_t from = UINT32_MAX;
    if (!cfg->wireless && !cfg->five_byte_start && !cfg->no_resume && cfg->len > 0u &&
        cfg->target == wbota_page_addr(WBOTA_CFG_APP_START_PAGE)) {
        from = prv_resume(t, cfg, res, fe22->value_handle, fe23->value_handle);
    }
    prv_stage(cfg, "uploading");
    err = WBOTA_OK;
    if (from == UINT32_MAX) {
        from = 0u;
        err = t->write(t->ctx, fe22->value_handle, start, cfg->five_byte_start ? 5u : 4u, false,
                       NULL);
    }
    uint32_t chunk = wbtool_upload_best_chunk(res->mtu, WBTOOL_LL_DATA_LEN);
    res->chunk = chunk;
    char why[96];
    snprintf(why, sizeof why, "uploading in %u-byte chunks (%u per LL packet of %u)",
             (unsigned)chunk,
             (unsigned)((chunk + 7u + WBTOOL_LL_DATA_LEN - 1u) / WBTOOL_LL_DATA_LEN),
             (unsigned)WBTOOL_LL_DATA_LEN);
    prv_stage(cfg, why);
    uint64_t t0 = t->now_us(t->ctx);
    for (uint32_t off = from; err == WBOTA_OK && off < cfg->len; off += chunk) {
        if (wbtool_interrupted) {
            (void)snprintf(t->msg, sizeof(t->msg), "interrupted at byte %u of %u", (unsigned)off,
                           (unsigned)cfg->len);
            err = WBOTA_E_INTERRUPTED;
            break;
        }
        uint32_t n = (cfg->len - off < chunk) ? cfg->len - off : chunk;
        err = t->write(t->ctx, fe24->value_handle, cfg->image + off, n, false, NULL);
        if (err == WBOTA_OK && cfg->progress_cb != NULL) {
            cfg->progress_cb(off + n, cfg->len, t->now_us(t->ctx) - t0, cfg->user);
        }
    }
    if (err != WBOTA_OK) {
        prv_fail(res, err, err == WBOTA_E_INTERRUPTED ? "upload stopped" : "upload interrupted", t);
        return;
    }
    uint8_t fin = WBOTA_ST_CMD_FINISHED;
    err = t->write(t->ctx, fe22->value_handle, &fin, 1u, false, NULL);
    if (err != WBOTA_OK) {
        prv_fail(res, err, "upload interrupted", t);
        return;
    }
    prv_stage(cfg, "waiting for the verdict");
    uint8_t ind[8];
    size_t il = 0u;
    err = t->wait_indication(t->ctx, fe23->value_handle, cfg->result_timeout_ms, ind, sizeof(ind),
                             &il);
    if (err != WBOTA_OK || il < 1u) {
        prv_fail(res, err != WBOTA_OK ? err : WBOTA_E_PARSE, "no verdict from the loader", t);
        return;
    }
    (void)t->confirm(t->ctx);
    res->sim_us = t->now_us(t->ctx) - t0;
    res->fe23 = ind[0];
    if (ind[0] != WBOTA_ST_FE23_SUCCESS) {
        int code = wbota_err_from_wire(ind[0]);
        res->device_code = code < 0 ? code : WBOTA_E_REJECTED; /* a value no wbota loader sends */
        prv_failf(res, WBOTA_E_REJECTED, "device rejected the image: code %d %s: %s",
                  res->device_code, wbota_err_name(res->device_code),
                  wbota_err_text(res->device_code));
        return;
    }
    /* success: the loader reboots into the new image */
    res->accepted = true;
    (void)t->wait_disconnect(t->ctx, 3000u);
    if (cfg->wireless || (!have_app_addr && cfg->expect_name == NULL)) {
        res->err = WBOTA_OK;
        return;
    }
    prv_stage(cfg, "confirming the new image runs");
    prv_scan_t cs = {.cfg = cfg, .mode = 2, .have_addr = have_app_addr};
    memcpy(cs.addr, app_addr, 6u);
    if (have_app_addr && t->forget != NULL) {
        (void)t->forget(t->ctx, app_addr); /* the new image may publish another database */
    }
    err = prv_scan_for(t, &cs, cfg->scan_ms);
    if (err != WBOTA_OK && cs.old_back) {
        prv_failf(res, WBOTA_E_NOT_FOUND,
                  "upload accepted, but the device runs \"%s\" again: the new image did not "
                  "start or was reverted (a swap loader swaps the previous app back when the "
                  "new one does not confirm within %u boots; the app reads why and from "
                  "which version, docs/appkit.md#revert)",
                  cfg->name, (unsigned)WBOTA_CFG_TEST_BOOTS);
        return;
    }
    if (err != WBOTA_OK) {
        prv_failf(res, WBOTA_E_NOT_FOUND,
                  "upload accepted, but the new image was not seen advertising%s%s%s",
                  cfg->expect_name ? " as \"" : "", cfg->expect_name ? cfg->expect_name : "",
                  cfg->expect_name ? "\"" : "");
        return;
    }
    res->confirmed = true;
    res->err = WBOTA_OK;
}
