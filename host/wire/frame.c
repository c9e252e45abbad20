/* frame.c - frame codec of the virtual radio (wbota_wire.h, emu_radio_wire.h). */
#include "wbota_wire.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "wbota/bytes.h"

size_t wbota_wire_frame_encode(uint8_t *out, size_t cap, uint8_t type, const uint8_t *payload,
                               size_t n)
{
    if (n + 1u > EMU_WIRE_MAX_FRAME || n + WBOTA_WIRE_HDR > cap) {
        return 0u;
    }
    wbota_put_le16(out, (uint16_t)(n + 1u));
    out[2] = type;
    if (n > 0u) {
        memcpy(out + WBOTA_WIRE_HDR, payload, n);
    }
    return n + WBOTA_WIRE_HDR;
}

long wbota_wire_frame_check(const uint8_t *buf, size_t have)
{
    if (have < 2u) {
        return 0;
    }
    size_t len = wbota_get_le16(buf);
    if (len == 0u || len > EMU_WIRE_MAX_FRAME) {
        return -1;
    }
    return have < 2u + len ? 0 : (long)(2u + len);
}

wbota_err_t wbota_wire_send(int fd, uint8_t type, const uint8_t *payload, size_t n)
{
    uint8_t f[EMU_WIRE_MAX_FRAME + 2u];
    size_t total = wbota_wire_frame_encode(f, sizeof(f), type, payload, n);
    if (total == 0u) {
        return WBOTA_E_ARG;
    }
    size_t off = 0u;
    while (off < total) {
        ssize_t w = send(fd, f + off, total - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) ? WBOTA_E_TIMEOUT
                                                                        : WBOTA_E_LINK_LOST;
        }
        off += (size_t)w;
    }
    return WBOTA_OK;
}

static uint64_t prv_now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reads exactly n bytes before the deadline (ms on the monotonic clock). */
static wbota_err_t prv_read_exact(int fd, uint8_t *buf, size_t n, uint64_t deadline)
{
    size_t off = 0u;
    while (off < n) {
        uint64_t now = prv_now_ms();
        if (now >= deadline) {
            return WBOTA_E_TIMEOUT;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, (int)(deadline - now));
        if (pr < 0 && errno == EINTR) {
            continue;
        }
        if (pr == 0) {
            return WBOTA_E_TIMEOUT;
        }
        ssize_t r = recv(fd, buf + off, n - off, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return WBOTA_E_LINK_LOST;
        }
        off += (size_t)r;
    }
    return WBOTA_OK;
}

wbota_err_t wbota_wire_recv(int fd, uint8_t *frame, size_t cap, size_t *len, uint32_t timeout_ms)
{
    if (cap < EMU_WIRE_MAX_FRAME) {
        return WBOTA_E_ARG;
    }
    uint64_t deadline = prv_now_ms() + timeout_ms;
    uint8_t hdr[2];
    wbota_err_t err = prv_read_exact(fd, hdr, sizeof(hdr), deadline);
    if (err != WBOTA_OK) {
        return err;
    }
    if (wbota_wire_frame_check(hdr, sizeof(hdr)) < 0) {
        return WBOTA_E_PARSE;
    }
    size_t n = wbota_get_le16(hdr);
    err = prv_read_exact(fd, frame, n, deadline);
    if (err == WBOTA_OK) {
        *len = n;
    }
    return err;
}
