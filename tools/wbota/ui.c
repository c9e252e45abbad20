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

/* The note a second Ctrl-C writes before it exits (async-signal-safe: a prepared buffer and
 * write()); kept up to date by the command between its stages. */
static char s_int_note[512];
static volatile sig_atomic_t s_int_len;
static struct timespec s_int_first; /* when the first signal came */

/* A signal within this time of the first is the same stop: `timeout` and process-group kills
 * deliver one interrupt more than once. */
#define WBTOOL_INT_REPEAT_MS 500

static void prv_on_sigint(int sig)
{
    (void)sig;
    struct timespec now;
    (void)clock_gettime(CLOCK_MONOTONIC, &now); /* async-signal-safe (POSIX) */
    if (!wbtool_interrupted) {
        s_int_first = now;
        wbtool_interrupted = 1;
        return;
    }
    long long ms = (long long)(now.tv_sec - s_int_first.tv_sec) * 1000 +
                   (now.tv_nsec - s_int_first.tv_nsec) / 1000000;
    if (ms >= WBTOOL_INT_REPEAT_MS) {
        /* second Ctrl-C: stop at once, saying where the device is */
        if (s_int_len > 0) {
            ssize_t w = write(STDERR_FILENO, "\n", 1u);
            if (w >= 0) {
                w = write(STDERR_FILENO, s_int_note, (size_t)s_int_len);
            }
            (void)w;
        }
        _exit(WBTOOL_EXIT_INTERRUPTED);
    }
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

void wbtool_set_interrupt_note(const char *note)
{
    s_int_len = 0;
    int n = snprintf(s_int_note, sizeof(s_int_note), "%s", note);
    s_int_len = (n > 0 && (size_t)n < sizeof(s_int_note)) ? n : 0;
}

const char *wbtool_interrupt_note(void)
{
    return s_int_len > 0 ? s_int_note : "";
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

size_t wbtool_progress_line(char *out, size_t cap, uint32_t done, uint32_t total,
                            uint64_t elapsed_us)
{
    enum { WIDTH = 20 };
    if (cap == 0u) {
        return 0u;
    }
    if (total == 0u) {
        total = 1u;
    }
    if (done > total) {
        done = total;
    }
    char bar[WIDTH + 1];
    unsigned fill = (unsigned)((uint64_t)done * WIDTH / total);
    for (unsigned i = 0u; i < WIDTH; i++) {
        bar[i] = (i < fill) ? '#' : '.';
    }
    bar[WIDTH] = '\0';
    unsigned pct = (unsigned)((uint64_t)done * 100u / total);
    int n;
    /* a rate only once a tenth of a second of transfer has been measured: before that, a
     * rate (and an ETA from it) would be noise */
    if (elapsed_us >= 100000u && done > 0u) {
        double rate = (double)done / ((double)elapsed_us / 1e6);
        double eta = (double)(total - done) / rate;
        if (eta > 359999.0) {
            eta = 359999.0;
        }
        n = snprintf(out, cap, "[%s] %3u%% %u/%u B %.1f kB/s device, ETA %.0f s", bar, pct,
                     (unsigned)done, (unsigned)total, rate / 1000.0, eta);
    } else {
        n = snprintf(out, cap, "[%s] %3u%% %u/%u B, measuring the rate", bar, pct, (unsigned)done,
                     (unsigned)total);
    }
    if (n < 0) {
        out[0] = '\0';
        return 0u;
    }
    /* absurd inputs (4 GB, nanoseconds) get cut, never wrapped onto a second line */
    size_t len = (size_t)n < cap ? (size_t)n : cap - 1u;
    if (len > WBTOOL_PROGRESS_COLS) {
        len = WBTOOL_PROGRESS_COLS;
    }
    out[len] = '\0';
    return len;
}

void wbtool_progress_update(wbtool_progress_t *p, uint32_t done, uint32_t total,
                            uint64_t elapsed_us)
{
    if (!p->enabled || total == 0u) {
        return;
    }
    uint64_t now = wbtool_wall_us();
    if (done < total && p->drawn && now - p->last_us < 150000u) {
        return; /* about 6 redraws a second while data flows */
    }
    p->last_us = now;
    char line[WBTOOL_PROGRESS_COLS + 1];
    size_t n = wbtool_progress_line(line, sizeof(line), done, total, elapsed_us);
    /* pad to the full width so a shorter line wipes the previous one */
    fprintf(stderr, "\r%s%*s", line, (int)(WBTOOL_PROGRESS_COLS - n), "");
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
