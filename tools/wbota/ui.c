/* ui.c - output helpers (see ui.h). */
#include "ui.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"

int wbtool_exit_for_transport(wbota_err_t err)
{
    switch (err) {
    case WBOTA_E_LOADER_ABSENT:
        return WBTOOL_EXIT_NO_LOADER;
    case WBOTA_E_BT_NO_ADAPTER:
        return WBTOOL_EXIT_NO_ADAPTER;
    case WBOTA_E_BT_ADAPTER_OFF:
        return WBTOOL_EXIT_ADAPTER_OFF;
    case WBOTA_E_BT_NO_BLUEZ:
        return WBTOOL_EXIT_NO_BLUEZ;
    case WBOTA_E_BT_DENIED:
        return WBTOOL_EXIT_DENIED;
    case WBOTA_E_BT_UNRESOLVED:
        return WBTOOL_EXIT_UNRESOLVED;
    case WBOTA_E_BT_BUSY:
        return WBTOOL_EXIT_BUSY;
    case WBOTA_E_INTERRUPTED:
        return WBTOOL_EXIT_INTERRUPTED;
    default:
        return 0;
    }
}

static void prv_on_sigint(int sig)
{
    (void)sig;
    if (wbtool_interrupted) {
        _exit(WBTOOL_EXIT_INTERRUPTED); /* second Ctrl-C: stop at once */
    }
    wbtool_interrupted = 1;
}

void wbtool_catch_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = prv_on_sigint;
    (void)sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
}

void wbtool_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < 0x20u) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

void wbtool_json_hex(FILE *f, const uint8_t *d, size_t n)
{
    fputc('"', f);
    for (size_t i = 0u; i < n; i++) {
        fprintf(f, "%02x", d[i]);
    }
    fputc('"', f);
}

uint64_t wbtool_wall_us(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void wbtool_progress_start(wbtool_progress_t *p, bool enabled)
{
    p->enabled = enabled;
    p->t0_us = wbtool_wall_us();
    p->last_us = 0u;
    p->drawn = false;
}

void wbtool_progress_update(wbtool_progress_t *p, uint32_t done, uint32_t total)
{
    if (!p->enabled || total == 0u) {
        return;
    }
    uint64_t now = wbtool_wall_us();
    if (done < total && now - p->last_us < 100000u) {
        return; /* redraw at most 10 times a second */
    }
    p->last_us = now;
    double secs = (double)(now - p->t0_us) / 1e6;
    double rate = secs > 0.0 ? (double)done / secs : 0.0;
    double eta = rate > 0.0 ? (double)(total - done) / rate : 0.0;
    unsigned width = 30u;
    unsigned fill = (unsigned)((uint64_t)done * width / total);
    char bar[32];
    for (unsigned i = 0u; i < width; i++) {
        bar[i] = (i < fill) ? '#' : '.';
    }
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %u/%u B  %.1f kB/s  ETA %.0f s ", bar, (unsigned)done, (unsigned)total,
            rate / 1000.0, eta);
    fflush(stderr);
    p->drawn = true;
}

void wbtool_progress_end(wbtool_progress_t *p)
{
    if (p->enabled && p->drawn) {
        fputc('\n', stderr);
        p->drawn = false;
    }
}
