/* ui.c - output helpers (see ui.h). */
#include "ui.h"

#include <time.h>

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
