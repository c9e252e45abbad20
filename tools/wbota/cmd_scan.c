/* cmd_scan.c - `wbota scan` (see cmd_scan.h). */
#include "cmd_scan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport.h"
#include "ui.h"
#include "upload.h"

#define SCAN_MAX_DEV 64u
/* ST manufacturer data, feature byte: "can reboot into the OTA loader" */
#define ST_FEAT_OTA 0x20u

static const char s_help_scan[] =
    "usage: wbota scan --emu HOST:PORT|PATH | --ble [--adapter hciN] [options]\n"
    "\n"
    "Lists the devices advertising within the duration, one line each: address, RSSI,\n"
    "kind, name. Kinds: loader (ST's OTA loader protocol: \"STM_OTA\", device id 0x86; a\n"
    "wbota loader advertises like ST's), app-ota (ST manufacturer data with the OTA reboot\n"
    "feature bit 0x20: `wbota upload --name` can update it), other.\n"
    "\n"
    "  --emu HOST:PORT|PATH      the emulator's virtual radio (TCP or Unix socket)\n"
    "  --ble                     BlueZ (bluetoothd, D-Bus)\n"
    "  --adapter hciN            BlueZ adapter (default: the first powered one)\n"
    "  --duration-ms N           how long to listen (default 5000, 1..600000)\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               no header line\n"
    "\n"
    "exit: 0 ok (also when nothing advertised), 2 usage, 10 cannot reach the transport,\n"
    "      18 no adapter, 19 adapter off, 20 bluetoothd not running, 21 permission denied,\n"
    "      130 interrupted\n";

typedef struct {
    uint8_t addr[6];
    int8_t rssi;
    char name[32];
    wbtool_kind_t kind;
    uint8_t dev_id;
} prv_seen_t;

typedef struct {
    prv_seen_t dev[SCAN_MAX_DEV];
    size_t n;
} prv_scan_t;

/* The ST manufacturer element: AD type 0xFF, format byte 0x01, device id, feature byte. */
static const uint8_t *prv_st_manuf(const uint8_t *ad, size_t len)
{
    size_t i = 0u;
    while (i + 1u < len) {
        size_t l = ad[i];
        if (l == 0u || i + 1u + l > len) {
            break;
        }
        if (ad[i + 1u] == 0xFFu && l >= 4u && ad[i + 2u] == 0x01u) {
            return &ad[i + 2u];
        }
        i += 1u + l;
    }
    return NULL;
}

wbtool_kind_t wbtool_adv_kind(const uint8_t *ad, size_t len)
{
    char name[32] = "";
    (void)wbtool_adv_name(ad, len, name, sizeof(name));
    if (strcmp(name, "STM_OTA") == 0 && wbtool_adv_is_st_loader(ad, len)) {
        return WBTOOL_KIND_LOADER;
    }
    const uint8_t *st = prv_st_manuf(ad, len);
    if (st != NULL && (st[2] & ST_FEAT_OTA) != 0u) {
        return WBTOOL_KIND_APP_OTA;
    }
    return WBTOOL_KIND_OTHER;
}

const char *wbtool_kind_name(wbtool_kind_t k)
{
    switch (k) {
    case WBTOOL_KIND_LOADER:
        return "loader";
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
    d->kind = wbtool_adv_kind(adv->data, adv->len);
    const uint8_t *st = prv_st_manuf(adv->data, adv->len);
    d->dev_id = st != NULL ? st[1] : 0u;
    return false; /* listen for the whole duration */
}

static int prv_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "wbota scan: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run `wbota scan --help`)\n");
    return WBTOOL_EXIT_USAGE;
}

int wbtool_cmd_scan(int argc, char **argv)
{
    static const struct option k_opts[] = {
        {"emu", required_argument, NULL, 'e'},     {"ble", no_argument, NULL, 'b'},
        {"adapter", required_argument, NULL, 'a'}, {"duration-ms", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},          {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *emu = NULL;
    const char *adapter = NULL;
    bool ble = false, json = false, quiet = false;
    unsigned long duration = 5000u;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":qh", k_opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'e':
            emu = optarg;
            break;
        case 'b':
            ble = true;
            break;
        case 'a':
            adapter = optarg;
            break;
        case 'd':
            duration = strtoul(optarg, &end, 0);
            if (*optarg == '-' || *end != '\0' || duration == 0u || duration > 600000u) {
                return prv_usage("bad --duration-ms '%s' (1..600000)", optarg);
            }
            break;
        case 'j':
            json = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(s_help_scan, stdout);
            return WBTOOL_EXIT_OK;
        case ':':
            return prv_usage("option %s needs a value", argv[optind - 1]);
        default:
            return prv_usage("unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return prv_usage("unexpected argument %s", argv[optind]);
    }
    if ((emu == NULL) == !ble) {
        return prv_usage("need one transport: --emu HOST:PORT|PATH or --ble%s", "");
    }
    if (adapter != NULL && !ble) {
        return prv_usage("--adapter goes with --ble%s", "");
    }
    wbtool_transport_t t;
    wbtool_catch_sigint();
    wbota_err_t err =
        ble ? wbtool_transport_bluez_open(&t, adapter)
            : wbtool_transport_emu_open(&t, emu, (uint32_t)duration + 30000u, NULL, NULL);
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
    err = t.scan(t.ctx, (uint32_t)duration, prv_on_adv, s);
    char msg[sizeof(t.msg)];
    memcpy(msg, t.msg, sizeof(msg));
    t.close(t.ctx);
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota scan: %s\n", msg[0] ? msg : wbota_err_text(err));
        free(s);
        int x = wbtool_exit_for_transport(err);
        return x != 0 ? x : WBTOOL_EXIT_CONNECT;
    }
    if (json) {
        printf("{\"duration_ms\":%lu,\"count\":%zu,\"devices\":[", duration, s->n);
    } else if (!quiet) {
        printf("%-17s  %4s  %-7s  %s\n", "address", "rssi", "kind", "name");
    }
    for (size_t i = 0u; i < s->n; i++) {
        const prv_seen_t *d = &s->dev[i];
        char as[24];
        (void)snprintf(as, sizeof(as), "%02X:%02X:%02X:%02X:%02X:%02X", d->addr[0], d->addr[1],
                       d->addr[2], d->addr[3], d->addr[4], d->addr[5]);
        if (json) {
            printf("%s{\"addr\":\"%s\",\"rssi\":%d,\"kind\":\"%s\",\"st_device_id\":%u,\"name\":",
                   i ? "," : "", as, d->rssi, wbtool_kind_name(d->kind), d->dev_id);
            wbtool_json_str(stdout, d->name);
            printf("}");
        } else {
            printf("%-17s  %4d  %-7s  %s\n", as, d->rssi, wbtool_kind_name(d->kind), d->name);
        }
    }
    if (json) {
        printf("]}\n");
    }
    free(s);
    return WBTOOL_EXIT_OK;
}
