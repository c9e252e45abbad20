/* upload.c - ST OTA client sequence over a wbtool transport (see upload.h). */
#include "upload.h"

#include <stdio.h>
#include <string.h>

#include "wbota/bytes.h"
#include "wbota/err.h"
#include "wbota/layout.h"

/* 128-bit UUIDs, little-endian as on air (reference section 3/4). */
static const uint8_t s_uuid_fe11[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                        0x41, 0x45, 0x22, 0x8e, 0x11, 0xfe, 0x00, 0x00};
static const uint8_t s_uuid_fe22[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                        0x41, 0x45, 0x22, 0x8e, 0x22, 0xfe, 0x00, 0x00};
static const uint8_t s_uuid_fe23[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                        0x41, 0x45, 0x22, 0x8e, 0x23, 0xfe, 0x00, 0x00};
static const uint8_t s_uuid_fe24[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                        0x41, 0x45, 0x22, 0x8e, 0x24, 0xfe, 0x00, 0x00};

volatile sig_atomic_t wbtool_interrupted = 0;

#define WBTOOL_LOADER_NAME   "STM_OTA"
#define WBTOOL_LOADER_DEV_ID 0x86u
#define WBTOOL_SCAN_ROUNDS   5u

bool wbtool_adv_name(const uint8_t *ad, size_t len, char *out, size_t cap)
{
    size_t i = 0u;
    while (i + 1u < len) {
        size_t l = ad[i];
        if (l == 0u || i + 1u + l > len) {
            break;
        }
        uint8_t type = ad[i + 1u];
        if (type == 0x08u || type == 0x09u) {
            size_t k = l - 1u;
            if (k >= cap) {
                k = cap - 1u;
            }
            memcpy(out, &ad[i + 2u], k);
            out[k] = '\0';
            return true;
        }
        i += 1u + l;
    }
    return false;
}

bool wbtool_adv_is_st_loader(const uint8_t *ad, size_t len)
{
    size_t i = 0u;
    while (i + 1u < len) {
        size_t l = ad[i];
        if (l == 0u || i + 1u + l > len) {
            break;
        }
        /* ST: 0D FF 01 86 ...: version byte, then the device id */
        if (ad[i + 1u] == 0xFFu && l >= 3u && ad[i + 3u] == WBTOOL_LOADER_DEV_ID) {
            return true;
        }
        i += 1u + l;
    }
    return false;
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
} prv_scan_t;

static bool prv_scan_cb(const wbtool_adv_t *adv, void *user)
{
    prv_scan_t *s = user;
    char name[40] = "";
    (void)wbtool_adv_name(adv->data, adv->len, name, sizeof(name));
    bool match = false;
    if (s->mode == 1 && s->have_app && memcmp(adv->addr, s->app, 6u) == 0) {
        s->app_seen = true;
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
            strcmp(name, WBTOOL_LOADER_NAME) == 0 && wbtool_adv_is_st_loader(adv->data, adv->len);
    } else {
        match = s->cfg->expect_name != NULL && strcmp(name, s->cfg->expect_name) == 0;
    }
    if (match && !s->found) {
        s->found = true;
        memcpy(s->found_addr, adv->addr, 6u);
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

static void prv_fail(wbtool_upload_result_t *res, wbota_err_t err, const char *what,
                     const wbtool_transport_t *t)
{
    static const uint8_t k_none[6] = {0};
    res->err = err;
    int n = snprintf(res->msg, sizeof(res->msg), "%s%s%s", what, t->msg[0] ? ": " : "", t->msg);
    /* after the reboot request the device waits in the loader: say how to go on from there */
    if ((err == WBOTA_E_LINK_LOST || err == WBOTA_E_INTERRUPTED) && n > 0 &&
        (size_t)n < sizeof(res->msg) && memcmp(res->loader_addr, k_none, 6u) != 0) {
        const uint8_t *a = res->loader_addr;
        (void)snprintf(res->msg + n, sizeof(res->msg) - (size_t)n,
                       "; the device waits in the loader: resume with `wbota upload IMAGE "
                       "--loader --addr %02X:%02X:%02X:%02X:%02X:%02X` (same transport)",
                       a[0], a[1], a[2], a[3], a[4], a[5]);
    }
}

static void prv_stage(const wbtool_upload_cfg_t *cfg, const char *stage)
{
    if (cfg->stage_cb != NULL) {
        cfg->stage_cb(stage, cfg->user);
    }
}

static void prv_fmt_addr(char *out, size_t cap, const uint8_t a[6])
{
    (void)snprintf(out, cap, "%02X:%02X:%02X:%02X:%02X:%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
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

    if (!cfg->loader_only) {
        prv_stage(cfg, "scanning for the application");
        prv_scan_t s = {.cfg = cfg, .mode = 0, .have_addr = cfg->have_addr};
        memcpy(s.addr, cfg->addr, 6u);
        err = prv_scan_for(t, &s, cfg->scan_ms);
        if (err != WBOTA_OK) {
            if (err == WBOTA_E_NOT_FOUND) {
                char want[64];
                if (cfg->have_addr) {
                    prv_fmt_addr(want, sizeof(want), cfg->addr);
                } else {
                    (void)snprintf(want, sizeof(want), "\"%.40s\"", cfg->name ? cfg->name : "");
                }
                res->err = err;
                (void)snprintf(res->msg, sizeof(res->msg),
                               "application %s not found by the scan within %u ms: is it "
                               "advertising and in range? (`wbota scan` lists what is; "
                               "--scan-ms raises the bound)",
                               want, (unsigned)cfg->scan_ms);
                return;
            }
            prv_fail(res, err, "scan failed", t);
            return;
        }
        memcpy(app_addr, s.found_addr, 6u);
        have_app_addr = true;
        prv_fmt_addr(as, sizeof(as), app_addr);
        prv_stage(cfg, "connecting to the application");
        err = t->connect(t->ctx, app_addr, cfg->scan_ms);
        if (err == WBOTA_OK) {
            err = t->discover(t->ctx, chars, WBTOOL_CHAR_MAX, &nch);
        }
        if (err != WBOTA_OK) {
            prv_fail(res, err, "cannot connect to the application", t);
            return;
        }
        const wbtool_char_t *fe11 = prv_find(chars, nch, s_uuid_fe11);
        if (fe11 == NULL) {
            res->err = WBOTA_E_UNSUPPORTED;
            (void)snprintf(res->msg, sizeof(res->msg),
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
    if (have_app_addr) {
        /* ST rule: loader address = app address with byte 0 (printed last) + 1, no carry */
        memcpy(ls.addr, app_addr, 6u);
        ls.addr[5] = (uint8_t)(ls.addr[5] + 1u);
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
    if (err == WBOTA_E_NOT_FOUND && !cfg->loader_only) {
        err = WBOTA_E_LOADER_ABSENT; /* the device took the reboot request but never came back */
    }
    if (err == WBOTA_E_LOADER_ABSENT && ls.app_seen) {
        res->err = err;
        (void)snprintf(res->msg, sizeof(res->msg),
                       "loader not found, and the application (%s) is advertising again: the "
                       "loader gave up and returned to it (its reason is in the loader status "
                       "word at 0x20000004; an RF wake-up clock mismatch, E_RFWKP_TRAP, is the "
                       "usual cause: see docs/wbota.md)",
                       as);
        return;
    }
    if (err != WBOTA_OK) {
        if (ls.have_addr) {
            prv_fmt_addr(as, sizeof(as), ls.addr);
        }
        res->err = err;
        (void)snprintf(res->msg, sizeof(res->msg),
                       (err == WBOTA_E_NOT_FOUND || err == WBOTA_E_LOADER_ABSENT)
                           ? "loader not found (%s%s) within the scan bound: did the device "
                             "reboot into the loader? (a hang here after a reboot request is "
                             "often the RF wake-up clock trap, docs/wbota.md)"
                           : "scan for the loader failed (%s%s)",
                       ls.have_addr ? "address " : "\"STM_OTA\", id 0x86", ls.have_addr ? as : "");
        return;
    }
    memcpy(res->loader_addr, ls.found_addr, 6u);
    prv_stage(cfg, "connecting to the loader");
    err = t->connect(t->ctx, ls.found_addr, cfg->scan_ms);
    if (err != WBOTA_OK) {
        prv_fail(res, err, "cannot connect to the loader", t);
        return;
    }
    err = t->exchange_mtu(t->ctx, cfg->mtu, &res->mtu);
    if (err == WBOTA_OK) {
        err = t->discover(t->ctx, chars, WBTOOL_CHAR_MAX, &nch);
    }
    if (err != WBOTA_OK) {
        prv_fail(res, err, "loader connection failed", t);
        return;
    }
    const wbtool_char_t *fe22 = prv_find(chars, nch, s_uuid_fe22);
    const wbtool_char_t *fe23 = prv_find(chars, nch, s_uuid_fe23);
    const wbtool_char_t *fe24 = prv_find(chars, nch, s_uuid_fe24);
    if (fe22 == NULL || fe23 == NULL || fe24 == NULL) {
        res->err = WBOTA_E_UNSUPPORTED;
        (void)snprintf(res->msg, sizeof(res->msg),
                       "device has no OTA service (FE22/FE23/FE24 missing)");
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
    uint8_t start[4];
    start[0] = cfg->wireless ? 0x01u : 0x02u;
    wbota_put_be24(&start[1], cfg->target & 0x00FFFFFFu);
    prv_stage(cfg, "uploading");
    err = t->write(t->ctx, fe22->value_handle, start, sizeof(start), false, NULL);
    uint32_t chunk = (res->mtu > 3u) ? (uint32_t)res->mtu - 3u : 20u;
    if (chunk > 248u) {
        chunk = 248u;
    }
    res->chunk = chunk;
    uint64_t t0 = t->now_us(t->ctx);
    for (uint32_t off = 0u; err == WBOTA_OK && off < cfg->len; off += chunk) {
        if (wbtool_interrupted) {
            (void)snprintf(t->msg, sizeof(t->msg), "interrupted at byte %u of %u", (unsigned)off,
                           (unsigned)cfg->len);
            err = WBOTA_E_INTERRUPTED;
            break;
        }
        uint32_t n = (cfg->len - off < chunk) ? cfg->len - off : chunk;
        err = t->write(t->ctx, fe24->value_handle, cfg->image + off, n, false, NULL);
        if (err == WBOTA_OK && cfg->progress_cb != NULL) {
            cfg->progress_cb(off + n, cfg->len, cfg->user);
        }
    }
    if (err != WBOTA_OK) {
        prv_fail(res, err, "upload interrupted", t);
        return;
    }
    uint8_t fin = 0x07u;
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
    if (ind[0] != 0x01u) {
        res->device_code = -(int)ind[0];
        res->err = WBOTA_E_REJECTED;
        (void)snprintf(res->msg, sizeof(res->msg), "device rejected the image: code %d %s: %s",
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
    if (err != WBOTA_OK) {
        res->err = WBOTA_E_NOT_FOUND;
        (void)snprintf(res->msg, sizeof(res->msg),
                       "upload accepted, but the new image was not seen advertising%s%s%s",
                       cfg->expect_name ? " as \"" : "", cfg->expect_name ? cfg->expect_name : "",
                       cfg->expect_name ? "\"" : "");
        return;
    }
    res->confirmed = true;
    res->err = WBOTA_OK;
}
