/* emu_client.c - central side of the virtual radio wire format (see emu_client.h). */
#define _POSIX_C_SOURCE 200809L

#include "emu_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wbota/bytes.h"
#include "wbota/st_ota.h"
#include "wbota_wire.h"

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
    unsigned io_timeout_ms; /* wall-clock bound of every read */
    uint8_t f[EMU_WIRE_MAX_FRAME + 1];
    size_t flen;
};

static int prv_send(emu_client_t *c, uint8_t type, const void *p, size_t n)
{
    wbota_err_t err = wbota_wire_send(c->fd, type, p, n);
    if (err == WBOTA_E_ARG) {
        return EMU_CLIENT_E_PROTO;
    }
    if (err != WBOTA_OK) {
        snprintf(c->err, sizeof c->err, "socket write failed");
        return EMU_CLIENT_E_IO;
    }
    return 0;
}

/* Reads one frame into c->f (type at f[0]); handles async frames itself and returns the
 * type of the frame read. */
static int prv_recv(emu_client_t *c)
{
    size_t len = 0;
    wbota_err_t err = wbota_wire_recv(c->fd, c->f, sizeof c->f - 1u, &len, c->io_timeout_ms);
    if (err == WBOTA_E_PARSE) {
        snprintf(c->err, sizeof c->err, "bad frame length from the device");
        return EMU_CLIENT_E_PROTO;
    }
    if (err == WBOTA_E_TIMEOUT) {
        snprintf(c->err, sizeof c->err, "no frame within %u ms of wall time", c->io_timeout_ms);
        return EMU_CLIENT_E_TIMEOUT;
    }
    if (err != WBOTA_OK) {
        snprintf(c->err, sizeof c->err, "socket read failed");
        return EMU_CLIENT_E_IO;
    }
    c->flen = len;
    uint8_t t = c->f[0];
    if ((t == EMU_EVT_INDICATION || t == EMU_EVT_NOTIFICATION) && len >= 3) {
        if (c->nind < IND_MAX) {
            ind_t *i = &c->ind[c->nind++];
            i->type = t;
            i->handle = wbota_get_le16(c->f + 1);
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
    wbota_wire_addr_t a;
    char msg[200];
    if (wbota_wire_addr_parse(addr, &a, msg, sizeof msg) != WBOTA_OK) {
        return -1;
    }
    return wbota_wire_connect(&a, msg, sizeof msg);
}

emu_client_t *emu_client_open(const char *addr, unsigned connect_wait_ms)
{
    emu_client_t *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    c->fd = -1;
    c->io_timeout_ms = EMU_CLIENT_IO_TIMEOUT_MS;
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
    wbota_put_le32(v, 1);
    if (prv_send(c, EMU_REQ_HELLO, v, 4) < 0 || prv_reply(c, EMU_RSP_HELLO) < 0 || c->flen < 13) {
        emu_client_close(c);
        return NULL;
    }
    c->sim_us = wbota_get_le64(c->f + 5);
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
    wbota_put_le32(p, ms);
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
            c->sim_us = wbota_get_le64(c->f + 1);
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
    wbota_put_le32(p + 6, timeout_ms);
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
    wbota_put_le16(p, mtu);
    int rc = prv_send(c, EMU_REQ_MTU, p, 2);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_MTU);
    }
    if (rc == 0 && negotiated != NULL) {
        *negotiated = wbota_get_le16(c->f + 1);
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
        ch->decl_handle = wbota_get_le16(c->f + o);
        ch->value_handle = wbota_get_le16(c->f + o + 2);
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
    wbota_put_le16(p, handle);
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
    wbota_put_le16(p, handle);
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
    wbota_put_le32(p, ms);
    int rc = prv_send(c, EMU_REQ_WAIT, p, 4);
    if (rc == 0) {
        rc = prv_reply(c, EMU_RSP_TIME);
    }
    if (rc == 0) {
        c->sim_us = wbota_get_le64(c->f + 1);
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
    s->sim_us = wbota_get_le64(c->f + 1);
    s->instructions = wbota_get_le64(c->f + 9);
    s->wall_us = wbota_get_le64(c->f + 17);
    s->resets = wbota_get_le32(c->f + 25);
    s->link_bytes = wbota_get_le32(c->f + 29);
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
    wbota_put_le32(p, addr);
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

bool emu_adv_name(const uint8_t *adv, size_t len, char *name, size_t max)
{
    return wbota_ad_name(adv, len, name, max);
}

bool emu_adv_manufacturer(const uint8_t *adv, size_t len, const uint8_t **data, size_t *n)
{
    *data = wbota_ad_find(adv, len, WBOTA_AD_MANUFACTURER, n);
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

const emu_client_char_t *emu_client_find_st_char(const emu_client_char_t *chars, size_t n,
                                                 uint8_t id)
{
    uint8_t u[16] = WBOTA_ST_CHAR_UUID_LE(0u);
    u[12] = id;
    return emu_client_find_char(chars, n, u, 16u);
}

void emu_client_set_io_timeout(emu_client_t *c, unsigned wall_ms)
{
    c->io_timeout_ms = wall_ms;
}
