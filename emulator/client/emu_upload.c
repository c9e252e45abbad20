/* emu_upload.c - the test-only raw central of the e2e tests (tests/e2e/lib.sh: e2e_raw). Updates
 * are `wbota upload --emu`; this program does what the tool must never do: a reboot request
 * with any mode byte (--reboot MODE --reboot-only), an FE22 session at any address (--base),
 * FE24 data without a start (--no-start), a disconnect mid-upload (--disconnect-after), images
 * the loader must refuse, debugger writes + resets (--force-loader), power cycles, bare scans.
 * Speaks ST's sequence (docs/st-interface.md) over emu_client. Exit: 0 ok, 1 usage, 2 device
 * not found, 3 protocol error or refusal, 4 the device did not come back with the expected
 * name, 5 disconnected on purpose, 6 reset refused. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emu_client.h"
#include "wbota/st_ota.h"

typedef struct {
    const char *emu, *image, *app_name, *expect_name;
    uint32_t base;
    uint16_t mtu;
    unsigned chunk;
    int reboot_mode; /* -1: connect straight to the loader */
    bool quiet;
    bool reboot_only;      /* send the reboot request, then check who advertises */
    uint32_t scan_ms;      /* --scan: only list advertisers */
    bool stats;            /* --stats: only print the emulator's counters */
    bool no_start;         /* bad input: stream FE24 data without the FE22 start command */
    bool force_loader;     /* test: mailbox {01,07,FF} + system reset behind the app's back */
    bool power_cycle;      /* only a power-on reset of the device */
    long disconnect_after; /* bad input: drop the link after this many bytes (-1 = never) */
    int erase_pages;       /* reboot request byte 2: -1 = pages the image spans, 0xFF = all */
    uint32_t tag;          /* != 0: tagged start FE22 `0B tag` (docs/protocol.md#resume) */
} opts_t;

static double prv_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void prv_log_cb(void *ctx, const char *line)
{
    const opts_t *o = ctx;
    if (!o->quiet) {
        fprintf(stderr, "  [device] %s\n", line);
    }
}

static const emu_client_char_t *prv_find(const emu_client_char_t *c, size_t n, uint8_t id)
{
    return emu_client_find_st_char(c, n, id);
}

static void prv_addr_str(const uint8_t a[6], char *s)
{
    sprintf(s, "%02X:%02X:%02X:%02X:%02X:%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Scans in 50 ms windows (the resolution of the times printed) for up to max_ms; match by
 * name and/or address. */
static bool prv_scan_for(emu_client_t *c, const char *name, const uint8_t *addr, uint8_t dev_id,
                         uint32_t max_ms, uint8_t out[6])
{
    for (uint32_t t = 0; t < max_ms; t += 50) {
        emu_client_adv_t adv[8];
        size_t n = 0;
        if (emu_client_scan(c, 50, adv, 8, &n) < 0) {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            char nm[32] = "";
            emu_adv_name(adv[i].adv, adv[i].adv_len, nm, sizeof nm);
            if (name != NULL && strcmp(nm, name) != 0) {
                continue;
            }
            if (addr != NULL && memcmp(addr, adv[i].addr, 6) != 0) {
                continue;
            }
            if (dev_id != 0) { /* manufacturer data: [0] ST version 0x01, [1] device id */
                const uint8_t *m;
                size_t ml;
                if (!emu_adv_manufacturer(adv[i].adv, adv[i].adv_len, &m, &ml) || ml < 2 ||
                    m[1] != dev_id) {
                    continue;
                }
            }
            memcpy(out, adv[i].addr, 6);
            return true;
        }
    }
    return false;
}

/* The status characteristic of hello-ota (7c3f0002-7d2a-4b7e-9a0e-5742f0a1e110), LE. */
static const uint8_t HELLO_STATUS_UUID[16] = {0x10, 0xe1, 0xa1, 0xf0, 0x42, 0x57, 0x0e, 0x9a,
                                              0x7e, 0x4b, 0x2a, 0x7d, 0x02, 0x00, 0x3f, 0x7c};

/* Forces the loader as a debugger would (mailbox {01,07,FF} + system reset), then watches who
 * advertises: exit 0 iff the app (--expect-name) comes back and no loader advertised; prints
 * the app's status bytes (hello-ota: refusal, loader marker, loader reason, flags). */
static int prv_force_loader(emu_client_t *c, const opts_t *o)
{
    static const uint8_t mb[3] = {0x01, 0x07, 0xFF};
    if (emu_client_debug_write(c, 0x20000000u, mb, 3) < 0) {
        fprintf(stderr, "emu_upload: mailbox write refused: %s\n", emu_client_last_error(c));
        return 3;
    }
    if (emu_client_system_reset(c) < 0) {
        fprintf(stderr, "emu_upload: %s\n", emu_client_last_error(c));
        return 6;
    }
    printf("forced: mailbox 01 07 FF + system reset\n");
    bool loader = false, app = false;
    uint8_t app_addr[6];
    for (uint32_t t = 0; t < 20000 && !app; t += 250) {
        emu_client_adv_t adv[8];
        size_t n = 0;
        if (emu_client_scan(c, 250, adv, 8, &n) < 0) {
            return 3;
        }
        for (size_t i = 0; i < n; i++) {
            char nm[32] = "";
            emu_adv_name(adv[i].adv, adv[i].adv_len, nm, sizeof nm);
            if (strcmp(nm, WBOTA_ST_LOADER_NAME) == 0) {
                loader = true;
            }
            if (o->expect_name != NULL && strcmp(nm, o->expect_name) == 0) {
                app = true;
                memcpy(app_addr, adv[i].addr, 6);
            }
        }
    }
    printf("after the forced reboot: loader %s, %s %s (t=%.3f s)\n",
           loader ? "advertised" : "never advertised", o->expect_name ? o->expect_name : "app",
           app ? "back" : "not back", (double)emu_client_sim_us(c) / 1e6);
    if (app) {
        emu_client_char_t ch[48];
        size_t nch = 0;
        if (emu_client_connect(c, app_addr, 2000) == 0 &&
            emu_client_discover(c, ch, 48, &nch) == 0) {
            const emu_client_char_t *st = emu_client_find_char(ch, nch, HELLO_STATUS_UUID, 16);
            uint8_t v[8];
            size_t vl = 0;
            if (st != NULL && emu_client_read(c, st->value_handle, v, sizeof v, &vl) == 0 &&
                vl >= 4) {
                printf("STATUS %02X %02X %02X %02X\n", v[0], v[1], v[2], v[3]);
            }
            emu_client_disconnect(c);
        }
    }
    return (app && !loader) ? 0 : 4;
}

static int prv_usage(void)
{
    fprintf(
        stderr,
        "usage: emu_upload --emu HOST:PORT|PATH --image APP.bin [--base 0x007000]\n"
        "       [--app-name HELLO-v1.0] [--reboot 01|none] [--expect-name HELLO-v2.0]\n"
        "       [--mtu 251] [--chunk N] [--quiet] [--reboot-only]\n"
        "       [--erase-pages N|all]   (reboot request byte 2; default: pages the image spans)\n"
        "       [--no-start] [--disconnect-after BYTES]   (bad-input tests; exit 5)\n"
        "       [--tag HEX]   (tagged start FE22 0B: a staged loader records it for a resume)\n"
        "   or: emu_upload --emu ADDR --scan MS | --stats\n"
        "   or: emu_upload --emu ADDR --force-loader --expect-name APP   (exit 6: no reset)\n"
        "   or: emu_upload --emu ADDR --power-cycle\n"
        "--reboot-only: send the FE11 request, then exit 0 iff the app (--expect-name)\n"
        "advertises again and no loader does (plain reboot / refused reboot)\n");
    return 1;
}

/* Everything after the connection; the caller closes the client on every path. */
static int prv_session(emu_client_t *c, const opts_t *op, const uint8_t *img, size_t size,
                       double w0)
{
    opts_t o = *op;
    uint64_t t_req = 0; /* simulated time the reboot request was sent */
    if (o.force_loader) {
        return prv_force_loader(c, &o);
    }
    if (o.power_cycle) {
        int rc = emu_client_power_cycle(c);
        printf("power cycle %s\n", rc == 0 ? "done" : "refused");
        return rc == 0 ? 0 : 3;
    }
    if (o.stats) {
        emu_client_stats_t st;
        if (emu_client_stats(c, &st) < 0) {
            return 3;
        }
        printf("STATS sim_s=%.6f wall_s=%.3f link_bytes=%u\n", (double)st.sim_us / 1e6,
               (double)st.wall_us / 1e6, (unsigned)st.link_bytes);
        return 0;
    }
    if (o.scan_ms > 0) {
        emu_client_adv_t adv[8];
        size_t n = 0;
        if (emu_client_scan(c, o.scan_ms, adv, 8, &n) < 0) {
            return 3;
        }
        for (size_t i = 0; i < n; i++) {
            char nm[32] = "", as[32];
            emu_adv_name(adv[i].adv, adv[i].adv_len, nm, sizeof nm);
            prv_addr_str(adv[i].addr, as);
            printf("ADV %s %s\n", as, nm);
        }
        return 0;
    }
    uint8_t app[6] = {0}, ldr[6];
    bool have_app = false;
    char s[32];
    emu_client_char_t ch[48];
    size_t nch = 0;

    if (o.reboot_mode >= 0) {
        if (!prv_scan_for(c, o.app_name, NULL, 0, 10000, app)) {
            fprintf(stderr, "emu_upload: no device advertising %s\n", o.app_name);
            return 2;
        }
        have_app = true;
        prv_addr_str(app, s);
        printf("found app %s at %s\n", o.app_name, s);
        if (emu_client_connect(c, app, 2000) != 0 || emu_client_discover(c, ch, 48, &nch) < 0) {
            fprintf(stderr, "emu_upload: connect to the app failed: %s\n",
                    emu_client_last_error(c));
            return 2;
        }
        const emu_client_char_t *rb = prv_find(ch, nch, WBOTA_ST_FE11);
        if (rb == NULL) {
            fprintf(stderr, "emu_upload: the app has no reboot characteristic (FE11)\n");
            return 3;
        }
        /* ST's iOS client asks for only the pages the image spans: with 0xFF the loader erases
         * the whole application area first (about 200 page erases on the chip) */
        int pages = o.erase_pages;
        if (pages < 0) {
            pages = size == 0 ? 0xFF : (int)((size + 4095u) / 4096u);
            pages = pages > 0xFF ? 0xFF : pages;
        }
        uint8_t req[3] = {(uint8_t)o.reboot_mode, 0x07, (uint8_t)pages};
        emu_client_write(c, rb->value_handle, req, 3, false);
        printf("reboot request %02X 07 %02X sent\n", req[0], req[2]);
        t_req = emu_client_sim_us(c);
        for (int i = 0; i < 400 && emu_client_is_connected(c); i++) {
            if (emu_client_wait(c, 5) < 0) {
                break;
            }
        }
        if (emu_client_is_connected(c)) {
            emu_client_disconnect(c);
        }
    }
    if (o.reboot_only) {
        /* who advertises 3 s after the request: the app again, or the loader? */
        uint8_t a[6];
        bool loader = prv_scan_for(c, WBOTA_ST_LOADER_NAME, NULL, WBOTA_ST_DEV_ID_LOADER, 3000, a);
        bool app_back = o.expect_name != NULL && prv_scan_for(c, o.expect_name, NULL, 0, 3000, a);
        printf("after reboot request: loader %s, %s %s\n", loader ? "advertising" : "not seen",
               o.expect_name ? o.expect_name : "(no name given)",
               app_back ? "advertising" : "not seen");
        return (!loader && app_back) ? 0 : 4;
    }
    uint8_t want[6] = {0};
    if (have_app) {
        memcpy(want, app, 6);
        want[5] = (uint8_t)(want[5] + 1u); /* loader = app address with byte 0 + 1, no carry */
    }
    if (!prv_scan_for(c, WBOTA_ST_LOADER_NAME, have_app ? want : NULL, WBOTA_ST_DEV_ID_LOADER,
                      30000, ldr)) {
        fprintf(stderr, "emu_upload: no OTA loader (STM_OTA, id 0x86) advertising\n");
        return 2;
    }
    prv_addr_str(ldr, s);
    printf("found loader STM_OTA at %s\n", s);
    uint16_t mtu = 23;
    if (emu_client_connect(c, ldr, 2000) != 0 || emu_client_mtu(c, o.mtu, &mtu) < 0 ||
        emu_client_discover(c, ch, 48, &nch) < 0) {
        fprintf(stderr, "emu_upload: loader connection failed: %s\n", emu_client_last_error(c));
        return 2;
    }
    const emu_client_char_t *base = prv_find(ch, nch, WBOTA_ST_FE22),
                            *conf = prv_find(ch, nch, WBOTA_ST_FE23),
                            *raw = prv_find(ch, nch, WBOTA_ST_FE24);
    if (base == NULL || conf == NULL || raw == NULL) {
        fprintf(stderr, "emu_upload: OTA service incomplete (FE22/FE23/FE24)\n");
        return 3;
    }
    static const uint8_t en[2] = {0x02, 0x00};
    if (emu_client_write(c, (uint16_t)(conf->value_handle + 1u), en, 2, true) != 0) {
        fprintf(stderr, "emu_upload: enabling FE23 indications failed\n");
        return 3;
    }
    unsigned chunk = o.chunk ? o.chunk : (unsigned)(mtu - 3u);
    if (chunk > (unsigned)(mtu - 3u)) {
        chunk = mtu - 3u;
    }
    printf("MTU %u, chunk %u bytes, %zu bytes to 0x%08X\n", mtu, chunk, size,
           (unsigned)(0x08000000u | o.base));
    uint8_t start[4] = {WBOTA_ST_CMD_APP, (uint8_t)(o.base >> 16), (uint8_t)(o.base >> 8),
                        (uint8_t)o.base};
    const uint8_t tagged[5] = {0x0Bu, (uint8_t)(o.tag >> 24), (uint8_t)(o.tag >> 16),
                               (uint8_t)(o.tag >> 8), (uint8_t)o.tag};
    if (!o.no_start && o.tag != 0u) {
        emu_client_write(c, base->value_handle, tagged, 5, false);
    } else if (!o.no_start) {
        emu_client_write(c, base->value_handle, start, 4, false);
    }
    emu_client_wait(c, 0);
    uint64_t t0 = emu_client_sim_us(c);
    int last = -1;
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (o.disconnect_after >= 0 && off >= (size_t)o.disconnect_after) {
            emu_client_disconnect(c);
            printf("disconnected on purpose after %zu bytes\n", off);
            return 5;
        }
        if (emu_client_write(c, raw->value_handle, img + off, n, false) < 0 ||
            !emu_client_is_connected(c)) {
            fprintf(stderr, "\nemu_upload: link lost at offset %zu: %s\n", off,
                    emu_client_last_error(c));
            return 3;
        }
        int pct = (int)((off + n) * 100 / size);
        if (!o.quiet && pct / 2 != last / 2) {
            last = pct;
            fprintf(stderr, "\r  [%-50.*s] %3d%%", pct / 2,
                    "##################################################", pct);
        }
    }
    if (!o.quiet) {
        fprintf(stderr, "\n");
    }
    static const uint8_t fin = WBOTA_ST_CMD_FINISHED;
    emu_client_write(c, base->value_handle, &fin, 1, false);
    uint16_t h = 0;
    uint8_t v[8];
    size_t vl = 0;
    int rc = emu_client_wait_indication(c, 20000, &h, v, sizeof v, &vl);
    uint64_t t1 = emu_client_sim_us(c);
    if (rc < 0 || h != conf->value_handle || vl < 1 || v[0] != WBOTA_ST_FE23_SUCCESS) {
        if (rc == 0 && h == conf->value_handle && vl >= 1) {
            emu_client_confirm(c);
            fprintf(stderr, "emu_upload: the loader refused the image: FE23 verdict 0x%02X\n",
                    v[0]);
        } else {
            fprintf(stderr, "emu_upload: no FE23 indication after upload finished (%d: %s)\n", rc,
                    emu_client_last_error(c));
        }
        return 3;
    }
    emu_client_confirm(c);
    printf("upload finished: FE23 indication 0x01 received and confirmed\n");
    for (int i = 0; i < 400 && emu_client_is_connected(c); i++) {
        if (emu_client_wait(c, 5) < 0) {
            break;
        }
    }
    int status = 0;
    if (o.expect_name != NULL) {
        uint8_t a[6];
        if (prv_scan_for(c, o.expect_name, NULL, 0, 20000, a)) {
            prv_addr_str(a, s);
            printf("device now advertises %s at %s\n", o.expect_name, s);
            if (t_req != 0) {
                /* the new app was seen within the last 50 ms scan window */
                printf("TOTAL reboot_request_to_app_s=%.3f first_data_after_s=%.3f\n",
                       (double)(emu_client_sim_us(c) - t_req) / 1e6, (double)(t0 - t_req) / 1e6);
            }
        } else {
            fprintf(stderr, "emu_upload: %s not seen after the update\n", o.expect_name);
            status = 4;
        }
    }
    double secs = (double)(t1 - t0) / 1e6;
    printf("SUMMARY bytes=%zu sim_transfer_s=%.3f throughput_kBps=%.1f wall_s=%.2f\n", size, secs,
           secs > 0 ? (double)size / 1000.0 / secs : 0.0, prv_wall() - w0);
    return status;
}

int main(int argc, char **argv)
{
    opts_t o = {.app_name = "HELLO-v1.0",
                .base = 0x007000,
                .mtu = 251,
                .reboot_mode = 1,
                .disconnect_after = -1,
                .erase_pages = -1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        /* flags without a value */
        const struct {
            const char *name;
            bool *flag;
        } flags[] = {{"--quiet", &o.quiet},
                     {"--power-cycle", &o.power_cycle},
                     {"--force-loader", &o.force_loader},
                     {"--no-start", &o.no_start},
                     {"--stats", &o.stats},
                     {"--reboot-only", &o.reboot_only}};
        bool is_flag = false;
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
            if (strcmp(a, flags[k].name) == 0) {
                *flags[k].flag = true;
                is_flag = true;
            }
        }
        if (is_flag) {
            continue;
        }
        if (v == NULL) {
            return prv_usage();
        }
        i++;
        if (strcmp(a, "--emu") == 0) {
            o.emu = v;
        } else if (strcmp(a, "--image") == 0) {
            o.image = v;
        } else if (strcmp(a, "--app-name") == 0) {
            o.app_name = v;
        } else if (strcmp(a, "--expect-name") == 0) {
            o.expect_name = v;
        } else if (strcmp(a, "--base") == 0) {
            o.base = (uint32_t)strtoul(v, NULL, 0);
        } else if (strcmp(a, "--mtu") == 0) {
            o.mtu = (uint16_t)strtoul(v, NULL, 0);
        } else if (strcmp(a, "--chunk") == 0) {
            o.chunk = (unsigned)strtoul(v, NULL, 0);
        } else if (strcmp(a, "--tag") == 0) {
            o.tag = (uint32_t)strtoul(v, NULL, 16);
        } else if (strcmp(a, "--disconnect-after") == 0) {
            o.disconnect_after = strtol(v, NULL, 0);
        } else if (strcmp(a, "--scan") == 0) {
            o.scan_ms = (uint32_t)strtoul(v, NULL, 0);
        } else if (strcmp(a, "--erase-pages") == 0) {
            o.erase_pages = strcmp(v, "all") == 0 ? 0xFF : (int)strtoul(v, NULL, 0);
            if (o.erase_pages < 1 || o.erase_pages > 0xFF) {
                return prv_usage();
            }
        } else if (strcmp(a, "--reboot") == 0) {
            o.reboot_mode = strcmp(v, "none") == 0 ? -1 : (int)strtoul(v, NULL, 16);
        } else {
            return prv_usage();
        }
    }
    if (o.emu == NULL ||
        (o.image == NULL && !o.reboot_only && o.scan_ms == 0 && !o.stats && !o.force_loader &&
         !o.power_cycle) ||
        o.base > 0xFFFFFFu) {
        return prv_usage();
    }
    static uint8_t img[1024 * 1024];
    size_t size = 0;
    if (o.image != NULL) {
        FILE *fp = fopen(o.image, "rb");
        if (fp == NULL) {
            perror(o.image);
            return 1;
        }
        size = fread(img, 1, sizeof img, fp);
        fclose(fp);
    }
    double w0 = prv_wall();
    emu_client_t *c = emu_client_open(o.emu, 20000);
    if (c == NULL) {
        fprintf(stderr, "emu_upload: cannot reach the emulator at %s\n", o.emu);
        return 2;
    }
    emu_client_on_log(c, prv_log_cb, &o);
    int rc = prv_session(c, &o, img, size, w0);
    emu_client_close(c);
    return rc;
}
