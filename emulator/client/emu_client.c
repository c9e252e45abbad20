/* emu_client.c - central side of the virtual radio wire format (see emu_client.h). */
#define _POSIX_C_SOURCE 200809L

#include "emu_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "emu_radio_wire.h"

#define IND_MAX 8

typedef struct {
    uint8_t type;
    uint16_t handle;
    uint8_t data[512];
    size_t len;
} ind_t;

struct emu_client {
    int fd;
    char err[256];
    uint64_t sim_us;
    bool connected;
    ind_t ind[IND_MAX];
    unsigned nind;
    void (*log_cb)(void *, const char *);
    void *log_ctx;
    uint8_t f[EMU_WIRE_MAX_FRAME + 1];
    size_t flen;
};

static void prv_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void prv_put32(uint8_t *p, uint32_t v)
{
    prv_put16(p, (uint16_t)v);
    prv_put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t prv_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint64_t prv_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static int prv_io(emu_client_t *c, bool rd, void *buf, size_t n)
{
    uint8_t *b = buf;
    size_t off = 0;
    while (off < n) {
        ssize_t r =
            rd ? recv(c->fd, b + off, n - off, 0) : send(c->fd, b + off, n - off, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            snprintf(c->err, sizeof c->err, "socket %s failed", rd ? "read" : "write");
            return EMU_CLIENT_E_IO;
        }
        off += (size_t)r;
    }
    return 0;
}

static int prv_send(emu_client_t *c, uint8_t type, const void *p, size_t n)
{
    uint8_t f[3 + EMU_WIRE_MAX_FRAME];
    if (n + 1 > EMU_WIRE_MAX_FRAME) {
        return EMU_CLIENT_E_PROTO;
    }
    prv_put16(f, (uint16_t)(n + 1));
    f[2] = type;
    if (n > 0) {
        memcpy(f + 3, p, n);
    }
    return prv_io(c, false, f, n + 3);
}

/* Reads one frame into c->f (type at f[0]); handles async frames itself and returns the
 * type of the frame read. */
static int prv_recv(emu_client_t *c)
{
    uint8_t h[2];
    int rc = prv_io(c, true, h, 2);
    if (rc < 0) {
        return rc;
    }
    size_t len = prv_get16(h);
    if (len == 0 || len > EMU_WIRE_MAX_FRAME) {
        snprintf(c->err, sizeof c->err, "bad frame length %zu", len);
        return EMU_CLIENT_E_PROTO;
    }
    rc = prv_io(c, true, c->f, len);
    if (rc < 0) {
        return rc;
    }
    c->flen = len;
    uint8_t t = c->f[0];
    if ((t == EMU_EVT_INDICATION || t == EMU_EVT_NOTIFICATION) && len >= 3) {
        if (c->nind < IND_MAX) {
            ind_t *i = &c->ind[c->nind++];
            i->type = t;
            i->handle = prv_get16(c->f + 1);
            i->len = len - 3 > sizeof i->data ? sizeof i->data : len - 3;
            memcpy(i->data, c->f + 3, i->len);
        }
    } else if (t == EMU_EVT_DISCONNECTED) {
        c->connected = false;
    } else if (t == EMU_EVT_LOG) {
        c->f[len] = 0;
        if (c->log_cb) {
            c->log_cb(c->log_ctx, (const char *)c->f + 1);
        }
    } else if (t == EMU_RSP_ERROR) {
        c->f[len] = 0;
        snprintf(c->err, sizeof c->err, "device refused request 0x%02X: %s", c->f[1],
                 len > 2 ? (const char *)c->f + 2 : "");
    }
    return t;
}

/* Waits for the reply of type want (or EMU_RSP_ERROR). */
static int prv_reply(emu_client_t *c, uint8_t want)
{
    for (;;) {
        int t = prv_recv(c);
        if (t < 0) {
            return t;
        }
        if (t == want) {
            return 0;
        }
        if (t == EMU_RSP_ERROR) {
            return EMU_CLIENT_E_REFUSED;
        }
    }
}

static int prv_connect_sock(const char *addr)
{
    const char *colon = strrchr(addr, ':');
    if (addr[0] == '/' || colon == NULL) {
        struct sockaddr_un sa;
        memset(&sa, 0, sizeof sa);
        sa.sun_family = AF_UNIX;
        if (strlen(addr) >= sizeof sa.sun_path) {
            return -1;
        }
        strcpy(sa.sun_path, addr);
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            close(fd);
            fd = -1;
        }
        return fd;
    }
    char host[64] = "127.0.0.1";
    size_t hl = (size_t)(colon - addr);
    if (hl > 0 && hl < sizeof host) {
        memcpy(host, addr, hl);
        host[hl] = 0;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0) {
        int one = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

emu_client_t *emu_client_open(const char *addr, unsigned connect_wait_ms)
{
    emu_client_t *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    c->fd = -1;
    for (unsigned waited = 0;; waited += 50) {
        c->fd = prv_connect_sock(addr);
        if (c->fd >= 0 || waited >= connect_wait_ms) {
            break;
        }
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    if (c->fd < 0) {
        free(c);
        return NULL;
    }
    uint8_t v[4];
    prv_put32(v, 1);
    if (prv_send(c, EMU_REQ_HELLO, v, 4) < 0 || prv_reply(c, EMU_RSP_HELLO) < 0 || c->flen < 13) {
        emu_client_close(c);
        return NULL;
    }
    c->sim_us = prv_get64(c->f + 5);
    return c;
}

void emu_client_close(emu_client_t *c)
{
    if (c == NULL) {
        return;
    }
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c);
}

const char *emu_client_last_error(const emu_client_t *c)
{
    return c->err;
}

void emu_client_on_log(emu_client_t *c, void (*cb)(void *ctx, const char *line), void *ctx)
{
    c->log_cb = cb;
    c->log_ctx = ctx;
}

uint64_t emu_client_sim_us(const emu_client_t *c)
{
    return c->sim_us;
}

int emu_client_scan(emu_client_t *c, uint32_t ms, emu_client_adv_t *out, size_t max, size_t *n)
{
    uint8_t p[4];
    prv_put32(p, ms);
    *n = 0;
    int rc = prv_send(c, EMU_REQ_SCAN, p, 4);
    if (rc < 0) {
        return rc;
    }
    for (;;) {
        int t = prv_recv(c);
        if (t < 0) {
            return t;
        }
        if (t == EMU_RSP_ERROR) {
            return EMU_CLIENT_E_REFUSED;
        }
        if (t == EMU_RSP_SCAN_DONE) {
            c->sim_us = prv_get64(c->f + 1);
            return 0;
        }
        if (t == EMU_EVT_ADV && c->flen >= 9) {
            size_t al = c->f[8];
            if (al > 31 || 9 + al > c->flen) {
                return EMU_CLIENT_E_PROTO;
            }
            /* keep the newest report per address */
            size_t i;
            for (i = 0; i < *n; i++) {
                if (memcmp(out[i].addr, c->f + 1, 6) == 0) {
                    break;
                }
            }
            if (i == *n) {
                if (*n >= max) {
                    continue;
                }
                (*n)++;
            }
            memcpy(out[i].addr, c->f + 1, 6);
            out[i].rssi = (int8_t)c->f[7];
            out[i].adv_len = al;
            memcpy(out[i].adv, c->f + 9, al);
        }
    }
}

int emu_client_connect(emu_client_t *c, const uint8_t addr[6], uint32_t timeout_ms)
{
    uint8_t p[10];
    memcpy(p, addr, 6);
    prv_put32(p + 6, timeout_ms);
    c->nind = 0;
    int rc = prv_send(c, EMU_REQ_CONNECT, p, 10);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_CONNECT);
    }
    if (rc < 0) {
        return rc;
    }
    c->connected = c->f[1] == 0;
    return c->f[1];
}

int emu_client_mtu(emu_client_t *c, uint16_t mtu, uint16_t *negotiated)
{
    uint8_t p[2];
    prv_put16(p, mtu);
    int rc = prv_send(c, EMU_REQ_MTU, p, 2);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_MTU);
    }
    if (rc == 0 && negotiated != NULL) {
        *negotiated = prv_get16(c->f + 1);
    }
    return rc;
}

int emu_client_discover(emu_client_t *c, emu_client_char_t *out, size_t max, size_t *n)
{
    int rc = prv_send(c, EMU_REQ_DISCOVER, NULL, 0);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_DISCOVER);
    }
    if (rc < 0) {
        return rc;
    }
    size_t k = c->f[1], o = 2;
    *n = 0;
    for (size_t i = 0; i < k && *n < max; i++) {
        if (o + 6 > c->flen) {
            return EMU_CLIENT_E_PROTO;
        }
        emu_client_char_t *ch = &out[(*n)++];
        ch->decl_handle = prv_get16(c->f + o);
        ch->value_handle = prv_get16(c->f + o + 2);
        ch->props = c->f[o + 4];
        ch->uuid_len = c->f[o + 5];
        if ((ch->uuid_len != 2 && ch->uuid_len != 16) || o + 6 + ch->uuid_len > c->flen) {
            return EMU_CLIENT_E_PROTO;
        }
        memcpy(ch->uuid, c->f + o + 6, ch->uuid_len);
        o += 6u + ch->uuid_len;
    }
    return 0;
}

int emu_client_write(emu_client_t *c, uint16_t handle, const void *data, size_t len, bool with_rsp)
{
    uint8_t p[EMU_WIRE_MAX_FRAME];
    if (len + 3 > sizeof p - 1) {
        return EMU_CLIENT_E_PROTO;
    }
    prv_put16(p, handle);
    p[2] = with_rsp ? 1 : 0;
    memcpy(p + 3, data, len);
    int rc = prv_send(c, EMU_REQ_WRITE, p, len + 3);
    if (rc < 0 || !with_rsp) {
        return rc;
    }
    rc = prv_reply(c, EMU_RSP_WRITE);
    return rc < 0 ? rc : c->f[1];
}

int emu_client_read(emu_client_t *c, uint16_t handle, uint8_t *data, size_t max, size_t *len)
{
    uint8_t p[2];
    prv_put16(p, handle);
    int rc = prv_send(c, EMU_REQ_READ, p, 2);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_READ);
    }
    if (rc < 0) {
        return rc;
    }
    *len = c->flen - 2 > max ? max : c->flen - 2;
    memcpy(data, c->f + 2, *len);
    return c->f[1];
}

int emu_client_wait(emu_client_t *c, uint32_t ms)
{
    uint8_t p[4];
    prv_put32(p, ms);
    int rc = prv_send(c, EMU_REQ_WAIT, p, 4);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_TIME);
    }
    if (rc == 0) {
        c->sim_us = prv_get64(c->f + 1);
    }
    return rc;
}

int emu_client_wait_indication(emu_client_t *c, uint32_t max_ms, uint16_t *handle, uint8_t *data,
                               size_t max, size_t *len)
{
    uint32_t waited = 0;
    for (;;) {
        if (c->nind > 0) {
            ind_t *i = &c->ind[0];
            *handle = i->handle;
            *len = i->len > max ? max : i->len;
            memcpy(data, i->data, *len);
            memmove(&c->ind[0], &c->ind[1], (c->nind - 1) * sizeof c->ind[0]);
            c->nind--;
            return 0;
        }
        if (!c->connected) {
            return EMU_CLIENT_E_LINKLOST;
        }
        if (waited >= max_ms) {
            snprintf(c->err, sizeof c->err, "no indication within %u ms (simulated)", max_ms);
            return EMU_CLIENT_E_TIMEOUT;
        }
        int rc = emu_client_wait(c, 5);
        if (rc < 0) {
            return rc;
        }
        waited += 5;
    }
}

int emu_client_confirm(emu_client_t *c)
{
    return prv_send(c, EMU_REQ_CONFIRM, NULL, 0);
}

int emu_client_disconnect(emu_client_t *c)
{
    if (!c->connected) {
        return 0;
    }
    int rc = prv_send(c, EMU_REQ_DISCONNECT, NULL, 0);
    while (rc == 0 && c->connected) {
        int t = prv_recv(c);
        if (t < 0) {
            return t;
        }
        if (t == EMU_RSP_ERROR) {
            c->connected = false;
            return EMU_CLIENT_E_REFUSED;
        }
    }
    return rc;
}

bool emu_client_is_connected(const emu_client_t *c)
{
    return c->connected;
}

int emu_client_stats(emu_client_t *c, emu_client_stats_t *s)
{
    int rc = prv_send(c, EMU_REQ_STATS, NULL, 0);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_STATS);
    }
    if (rc < 0 || c->flen < 33) {
        return rc < 0 ? rc : EMU_CLIENT_E_PROTO;
    }
    s->sim_us = prv_get64(c->f + 1);
    s->instructions = prv_get64(c->f + 9);
    s->wall_us = prv_get64(c->f + 17);
    s->resets = (uint32_t)prv_get64(c->f + 25) & 0xFFFFFFFFu;
    s->link_bytes = (uint32_t)(prv_get64(c->f + 25) >> 32);
    c->sim_us = s->sim_us;
    return 0;
}

int emu_client_power_cycle(emu_client_t *c)
{
    int rc = prv_send(c, EMU_REQ_POWER_CYCLE, NULL, 0);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_TIME);
    }
    c->connected = false;
    return rc;
}

int emu_client_debug_write(emu_client_t *c, uint32_t addr, const void *data, size_t len)
{
    uint8_t p[EMU_WIRE_MAX_FRAME];
    if (len + 4 > sizeof p - 1) {
        return EMU_CLIENT_E_PROTO;
    }
    prv_put32(p, addr);
    memcpy(p + 4, data, len);
    int rc = prv_send(c, EMU_REQ_DEBUG_WRITE, p, len + 4);
    return rc == 0 ? prv_reply(c, EMU_RSP_TIME) : rc;
}

int emu_client_system_reset(emu_client_t *c)
{
    int rc = prv_send(c, EMU_REQ_SYSTEM_RESET, NULL, 0);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_TIME);
    }
    if (rc == 0) {
        c->connected = false;
    }
    return rc;
}

static const uint8_t *prv_ad_find(const uint8_t *adv, size_t len, uint8_t type, size_t *n)
{
    size_t i = 0;
    while (i + 1 < len) {
        size_t l = adv[i];
        if (l == 0 || i + 1 + l > len) {
            return NULL;
        }
        if (adv[i + 1] == type) {
            *n = l - 1;
            return adv + i + 2;
        }
        i += 1 + l;
    }
    return NULL;
}

bool emu_adv_name(const uint8_t *adv, size_t len, char *name, size_t max)
{
    size_t n = 0;
    const uint8_t *p = prv_ad_find(adv, len, 0x09, &n);
    if (p == NULL) {
        p = prv_ad_find(adv, len, 0x08, &n);
    }
    if (p == NULL || max == 0) {
        return false;
    }
    if (n > max - 1) {
        n = max - 1;
    }
    memcpy(name, p, n);
    name[n] = 0;
    return true;
}

bool emu_adv_manufacturer(const uint8_t *adv, size_t len, const uint8_t **data, size_t *n)
{
    *data = prv_ad_find(adv, len, 0xFF, n);
    return *data != NULL;
}

const emu_client_char_t *emu_client_find_char(const emu_client_char_t *chars, size_t n,
                                              const uint8_t *uuid, uint8_t uuid_len)
{
    for (size_t i = 0; i < n; i++) {
        if (chars[i].uuid_len == uuid_len && memcmp(chars[i].uuid, uuid, uuid_len) == 0) {
            return &chars[i];
        }
    }
    return NULL;
}
