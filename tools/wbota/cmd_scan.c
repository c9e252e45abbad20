/* cmd_scan.c - `wbota scan` (see cmd_scan.h). */
#include "cmd_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport.h"
#include "ui.h"
#include "upload.h"
#include "wbota/st_ota.h"
#include "wbota_wire.h"

#define SCAN_MAX_DEV 64u

typedef struct {
    uint8_t addr[6];
    int8_t rssi;
    char name[32];
    wbtool_kind_t kind;
    uint8_t dev_id;
    bool have_info; /* kept once seen: a passive report (no scan response) does not erase it */
    wbota_ladv_t info;
} prv_seen_t;

typedef struct {
    prv_seen_t dev[SCAN_MAX_DEV];
    size_t n;
} prv_scan_t;

/* ST's manufacturer data (docs/st-interface.md#advertising): version, device id, features. */
static const uint8_t *prv_st_manuf(const uint8_t *ad, size_t len)
{
    size_t n = 0u;
    const uint8_t *m = wbota_ad_find(ad, len, WBOTA_AD_MANUFACTURER, &n);
    return (m != NULL && n > WBOTA_ST_MANUF_FEATURE_INDEX && m[0] == WBOTA_ST_MANUF_VERSION) ? m
                                                                                             : NULL;
}

bool wbtool_adv_loader_info(const uint8_t *ad, size_t len, wbota_ladv_t *li)
{
    size_t off = 0u;
    while (off < len) {
        size_t n = 0u;
        const uint8_t *m = wbota_ad_find(ad + off, len - off, WBOTA_AD_MANUFACTURER, &n);
        if (m == NULL) {
            return false;
        }
        if (wbota_ladv_decode(m, n, li) == WBOTA_OK) {
            return true;
        }
        off = (size_t)(m - ad) + n; /* the structure after this one */
    }
    return false;
}

void wbtool_fmt_loader_info(char *out, size_t cap, const wbota_ladv_t *li)
{
    int n = snprintf(out, cap, "v%u.%u.%u %s/%s, %s", li->ver_major, li->ver_minor, li->ver_patch,
                     wbota_ladv_mode_name(li->mode), li->policy == 1u ? "signed" : "st",
                     wbota_ladv_state_name(li->state));
    if (li->last_reason != WBOTA_OK && n >= 0 && (size_t)n < cap) {
        n += snprintf(out + n, cap - (size_t)n, ", last %s", wbota_err_name(li->last_reason));
    }
    if (li->stay_reason != WBOTA_OK && n >= 0 && (size_t)n < cap) {
        n += snprintf(out + n, cap - (size_t)n, ", stayed %s", wbota_err_name(li->stay_reason));
    }
    if (li->active_counter != WBOTA_LADV_UNKNOWN && n >= 0 && (size_t)n < cap) {
        n += snprintf(out + n, cap - (size_t)n, ", app counter %u", (unsigned)li->active_counter);
    }
    if (li->reverted_from != 0u && n >= 0 && (size_t)n < cap) {
        (void)snprintf(out + n, cap - (size_t)n, ", reverted from %u", (unsigned)li->reverted_from);
    }
}

wbtool_kind_t wbtool_adv_kind(const uint8_t *ad, size_t len)
{
    char name[32] = "";
    (void)wbtool_adv_name(ad, len, name, sizeof(name));
    if (strcmp(name, WBOTA_ST_LOADER_NAME) == 0 && wbtool_adv_is_st_loader(ad, len)) {
        wbota_ladv_t li;
        return wbtool_adv_loader_info(ad, len, &li) ? WBTOOL_KIND_WBOTA_LOADER : WBTOOL_KIND_LOADER;
    }
    const uint8_t *st = prv_st_manuf(ad, len);
    if (st != NULL && (st[WBOTA_ST_MANUF_FEATURE_INDEX] & WBOTA_ST_FEAT_OTA_REBOOT) != 0u) {
        return WBTOOL_KIND_APP_OTA;
    }
    return WBTOOL_KIND_OTHER;
}

const char *wbtool_kind_name(wbtool_kind_t k)
{
    switch (k) {
    case WBTOOL_KIND_LOADER:
        return "loader";
    case WBTOOL_KIND_WBOTA_LOADER:
        return "wbota-loader";
    case WBTOOL_KIND_APP_OTA:
        return "app-ota";
    default:
        return "other";
    }
}

static bool prv_on_adv(const wbtool_adv_t *adv, void *user)
{
    prv_scan_t *s = user;
    prv_seen_t *d = NULL;
    for (size_t i = 0u; i < s->n; i++) {
        if (memcmp(s->dev[i].addr, adv->addr, 6u) == 0) {
            d = &s->dev[i];
        }
    }
    if (d == NULL) {
        if (s->n >= SCAN_MAX_DEV) {
            return false;
        }
        d = &s->dev[s->n++];
        memset(d, 0, sizeof(*d));
        memcpy(d->addr, adv->addr, 6u);
    }
    d->rssi = adv->rssi;
    (void)wbtool_adv_name(adv->data, adv->len, d->name, sizeof(d->name));
    wbtool_kind_t kind = wbtool_adv_kind(adv->data, adv->len);
    if (kind == WBTOOL_KIND_WBOTA_LOADER) {
        d->have_info = wbtool_adv_loader_info(adv->data, adv->len, &d->info);
    } else if (kind != WBTOOL_KIND_LOADER) {
        d->have_info = false; /* a report without the scan response keeps what was seen */
    }
    d->kind = d->have_info ? WBTOOL_KIND_WBOTA_LOADER : kind;
    const uint8_t *st = prv_st_manuf(adv->data, adv->len);
    d->dev_id = st != NULL ? st[WBOTA_ST_MANUF_DEV_ID_INDEX] : 0u;
    return false; /* listen for the whole duration */
}

/* ,"loader":{...}: the loader information, fields as docs/wbota.md#scan lists them */
static void prv_json_loader(const wbota_ladv_t *li)
{
    printf(",\"loader\":{\"format\":%u,\"mode\":\"%s\",\"policy\":\"%s\",\"version\":\"%u.%u.%u\","
           "\"state\":\"%s\",\"last_reason\":%d,\"last_reason_name\":",
           li->format, wbota_ladv_mode_name(li->mode), li->policy == 1u ? "signed" : "st",
           li->ver_major, li->ver_minor, li->ver_patch, wbota_ladv_state_name(li->state),
           (int)li->last_reason);
    wbtool_json_str(stdout, li->last_reason != WBOTA_OK ? wbota_err_name(li->last_reason) : "");
    printf(",\"stay_reason\":%d,\"app_counter\":", (int)li->stay_reason);
    if (li->active_counter == WBOTA_LADV_UNKNOWN) {
        printf("null");
    } else {
        printf("%u", (unsigned)li->active_counter);
    }
    printf(",\"reverted_from\":%u}", (unsigned)li->reverted_from);
}

int wbtool_cmd_scan(const wbtool_scan_opts_t *o)
{
    wbtool_transport_t t;
    wbtool_catch_sigint();
    wbota_err_t err =
        o->ble ? wbtool_transport_bluez_open(&t, o->adapter)
               : wbtool_transport_emu_open(&t, o->emu, o->duration_ms + 30000u, NULL, NULL);
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota scan: %s\n", t.msg);
        int x = wbtool_exit_for_transport(err);
        return x != 0 ? x : WBTOOL_EXIT_CONNECT;
    }
    prv_scan_t *s = calloc(1u, sizeof(*s));
    if (s == NULL) {
        t.close(t.ctx);
        return WBTOOL_EXIT_INTERNAL;
    }
    err = t.scan(t.ctx, o->duration_ms, prv_on_adv, s);
    char msg[sizeof(t.msg)];
    memcpy(msg, t.msg, sizeof(msg));
    t.close(t.ctx);
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota scan: %s\n", msg[0] ? msg : wbota_err_text(err));
        free(s);
        int x = wbtool_exit_for_transport(err);
        return x != 0 ? x : WBTOOL_EXIT_CONNECT;
    }
    if (o->json) {
        printf("{\"duration_ms\":%u,\"count\":%zu,\"devices\":[", (unsigned)o->duration_ms, s->n);
    } else if (!o->quiet) {
        printf("%-17s  %4s  %-12s  %s\n", "address", "rssi", "kind", "name");
    }
    for (size_t i = 0u; i < s->n; i++) {
        const prv_seen_t *d = &s->dev[i];
        char as[24];
        wbtool_fmt_bdaddr(as, sizeof(as), d->addr);
        char info[160] = "";
        if (d->have_info) {
            wbtool_fmt_loader_info(info, sizeof(info), &d->info);
        }
        if (o->json) {
            printf("%s{\"addr\":\"%s\",\"rssi\":%d,\"kind\":\"%s\",\"st_device_id\":%u,\"name\":",
                   i ? "," : "", as, d->rssi, wbtool_kind_name(d->kind), d->dev_id);
            wbtool_json_str(stdout, d->name);
            if (d->have_info) {
                prv_json_loader(&d->info);
            }
            printf("}");
        } else {
            printf("%-17s  %4d  %-12s  %s%s%s\n", as, d->rssi, wbtool_kind_name(d->kind), d->name,
                   info[0] ? "  " : "", info);
        }
    }
    if (o->json) {
        printf("]}\n");
    }
    free(s);
    return WBTOOL_EXIT_OK;
}
