/* transport_emu.c - the BLE central over the emulator's virtual radio socket (client side of
 * host/wire/include/emu_radio_wire.h). Frames: [u16 len LE][u8 type][payload]. Every wait is
 * bounded twice: in simulated time (the request's own duration) and in wall time (socket
 * receive timeout), so a stuck emulator cannot hang the tool. */
#include "transport.h"
#include "transport_setup.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wbota/bytes.h"
#include "wbota_wire.h"

#define WBTOOL_EMU_PROTO   1u
#define WBTOOL_EMU_WAIT_MS 50u /* simulated-time step while waiting for async events */

typedef struct {
    int fd;
    uint32_t io_timeout_ms;
    uint64_t sim_us;
    bool connected;
    bool disconnected; /* link dropped since connect */
    uint8_t disc_reason;
    bool write_error; /* a write without response was refused (link gone) */
    bool awaiting_write_rsp;
    bool ind_pending;
    uint16_t ind_handle;
    uint8_t ind[EMU_WIRE_MAX_FRAME];
    size_t ind_len;
    void (*log_cb)(const char *line, void *user);
    void *log_user;
    wbtool_transport_t *t;
    uint8_t rx[EMU_WIRE_MAX_FRAME + 2u];
} prv_emu_t;

static void prv_set_msg(prv_emu_t *e, const char *fmt, const char *a)
{
    (void)snprintf(e->t->msg, sizeof(e->t->msg), fmt, a);
}

static wbota_err_t prv_send(prv_emu_t *e, uint8_t type, const uint8_t *p, size_t n)
{
    wbota_err_t err = wbota_wire_send(e->fd, type, p, n);
    if (err == WBOTA_E_TIMEOUT || err == WBOTA_E_LINK_LOST) {
        prv_set_msg(e, "emulator socket write failed: %s", strerror(errno));
    }
    return err;
}

/* Reads one frame; handles async frames itself and returns them too (caller ignores). */
static wbota_err_t prv_recv(prv_emu_t *e, uint8_t *type, const uint8_t **p, size_t *n)
{
    size_t len = 0u;
    wbota_err_t err = wbota_wire_recv(e->fd, e->rx, sizeof(e->rx), &len, e->io_timeout_ms);
    if (err != WBOTA_OK) {
        prv_set_msg(e, "%s",
                    err == WBOTA_E_TIMEOUT ? "emulator did not answer within the wall-clock bound"
                    : err == WBOTA_E_LINK_LOST ? "emulator closed the connection"
                                               : "emulator sent a malformed frame");
        return err;
    }
    *type = e->rx[0];
    *p = e->rx + 1;
    *n = (size_t)len - 1u;
    switch (*type) {
    case EMU_EVT_INDICATION:
        if (*n >= 2u) {
            e->ind_pending = true;
            e->ind_handle = wbota_get_le16(*p);
            e->ind_len = *n - 2u;
            memcpy(e->ind, *p + 2, e->ind_len);
        }
        break;
    case EMU_EVT_DISCONNECTED:
        e->disconnected = true;
        e->connected = false;
        e->disc_reason = (*n >= 1u) ? (*p)[0] : 0u;
        break;
    case EMU_RSP_ERROR:
        /* writes without response get no reply, so their refusal arrives out of band */
        if (*n >= 1u && (*p)[0] == EMU_REQ_WRITE && !e->awaiting_write_rsp) {
            e->write_error = true;
        }
        break;
    case EMU_EVT_LOG:
        if (e->log_cb != NULL) {
            char line[EMU_WIRE_MAX_FRAME];
            size_t k = (*n < sizeof(line) - 1u) ? *n : sizeof(line) - 1u;
            memcpy(line, *p, k);
            line[k] = '\0';
            e->log_cb(line, e->log_user);
        }
        break;
    case EMU_RSP_HELLO:
        if (*n >= 12u) {
            e->sim_us = wbota_get_le64(*p + 4);
        }
        break;
    case EMU_RSP_SCAN_DONE:
    case EMU_RSP_TIME:
        if (*n >= 8u) {
            e->sim_us = wbota_get_le64(*p);
        }
        break;
    default:
        break;
    }
    return WBOTA_OK;
}

static bool prv_is_async(uint8_t type)
{
    return type == EMU_EVT_INDICATION || type == EMU_EVT_NOTIFICATION ||
           type == EMU_EVT_DISCONNECTED || type == EMU_EVT_LOG || type == EMU_EVT_ADV;
}

/* Handles device frames that are already waiting, without blocking: while streaming writes
 * without response nothing else reads the socket, and unread log lines must not fill it. */
static wbota_err_t prv_drain(prv_emu_t *e)
{
    for (unsigned guard = 0u; guard < 1000u; guard++) {
        struct pollfd pfd = {.fd = e->fd, .events = POLLIN};
        if (poll(&pfd, 1, 0) <= 0) {
            return WBOTA_OK;
        }
        uint8_t type;
        const uint8_t *r;
        size_t n;
        wbota_err_t err = prv_recv(e, &type, &r, &n);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    return WBOTA_OK;
}

/* Waits for the direct reply `want` to request `req`. */
static wbota_err_t prv_reply(prv_emu_t *e, uint8_t req, uint8_t want, const uint8_t **p, size_t *n)
{
    for (unsigned guard = 0u; guard < 100000u; guard++) {
        uint8_t type = 0u;
        wbota_err_t err = prv_recv(e, &type, p, n);
        if (err != WBOTA_OK) {
            return err;
        }
        if (type == want) {
            return WBOTA_OK;
        }
        if (type == EMU_RSP_ERROR && *n >= 1u && (*p)[0] != req) {
            continue; /* refusal of an earlier write without response (recorded) */
        }
        if (type == EMU_RSP_ERROR && *n >= 1u && (*p)[0] == req) {
            size_t k = *n - 1u;
            char text[160];
            if (k > sizeof(text) - 1u) {
                k = sizeof(text) - 1u;
            }
            memcpy(text, *p + 1, k);
            text[k] = '\0';
            (void)snprintf(e->t->msg, sizeof(e->t->msg), "emulator refused request 0x%02X: %s", req,
                           text);
            return WBOTA_E_REJECTED;
        }
        if (!prv_is_async(type)) {
            (void)snprintf(e->t->msg, sizeof(e->t->msg),
                           "unexpected frame 0x%02X from the emulator (waiting for 0x%02X)", type,
                           want);
            return WBOTA_E_PARSE;
        }
    }
    return WBOTA_E_TIMEOUT;
}

/* One request and its direct reply (r, n: the reply's payload, valid when WBOTA_OK). */
static wbota_err_t prv_call(prv_emu_t *e, uint8_t req, const uint8_t *p, size_t plen, uint8_t want,
                            const uint8_t **r, size_t *n)
{
    wbota_err_t err = prv_send(e, req, p, plen);
    return (err == WBOTA_OK) ? prv_reply(e, req, want, r, n) : err;
}

static wbota_err_t prv_wait_sim(prv_emu_t *e, uint32_t ms)
{
    uint8_t p[4];
    wbota_put_le32(p, ms);
    const uint8_t *r;
    size_t n;
    return prv_call(e, EMU_REQ_WAIT, p, sizeof(p), EMU_RSP_TIME, &r, &n);
}

static wbota_err_t prv_scan(void *ctx, uint32_t duration_ms, wbtool_adv_cb cb, void *user)
{
    prv_emu_t *e = ctx;
    uint8_t p[4];
    wbota_put_le32(p, duration_ms);
    wbota_err_t err = prv_send(e, EMU_REQ_SCAN, p, sizeof(p));
    bool stop = false;
    for (unsigned guard = 0u; err == WBOTA_OK && guard < 100000u; guard++) {
        uint8_t type = 0u;
        const uint8_t *r;
        size_t n;
        err = prv_recv(e, &type, &r, &n);
        if (err != WBOTA_OK) {
            break;
        }
        if (type == EMU_RSP_SCAN_DONE) {
            return WBOTA_OK;
        }
        if (type == EMU_RSP_ERROR && n >= 1u && r[0] == EMU_REQ_SCAN) {
            (void)snprintf(e->t->msg, sizeof(e->t->msg), "emulator refused the scan");
            return WBOTA_E_REJECTED;
        }
        if (type == EMU_EVT_ADV && n >= 8u && !stop && cb != NULL) {
            wbtool_adv_t adv;
            memset(&adv, 0, sizeof(adv));
            memcpy(adv.addr, r, 6u);
            adv.rssi = (int8_t)r[6];
            size_t al = r[7];
            if (al > n - 8u) {
                al = n - 8u;
            }
            if (al > sizeof(adv.data)) {
                al = sizeof(adv.data);
            }
            memcpy(adv.data, r + 8, al);
            /* the scan response after the advertising data, as BlueZ joins them */
            size_t rl = (n > 8u + al) ? r[8u + al] : 0u;
            if (rl > n - 9u - al || rl > sizeof(adv.data) - al) {
                rl = 0u;
            }
            memcpy(adv.data + al, r + 9u + al, rl);
            adv.len = (uint8_t)(al + rl);
            stop = cb(&adv, user); /* keep draining until SCAN_DONE */
        }
    }
    return err;
}

static wbota_err_t prv_connect(void *ctx, const uint8_t addr[6], uint32_t timeout_ms)
{
    prv_emu_t *e = ctx;
    uint8_t p[10];
    memcpy(p, addr, 6u);
    wbota_put_le32(p + 6, timeout_ms);
    const uint8_t *r;
    size_t n;
    wbota_err_t err = prv_call(e, EMU_REQ_CONNECT, p, sizeof(p), EMU_RSP_CONNECT, &r, &n);
    if (err != WBOTA_OK) {
        return err;
    }
    if (n < 1u || r[0] != 0u) {
        (void)snprintf(e->t->msg, sizeof(e->t->msg), "connect failed: %s",
                       (n >= 1u && r[0] == 2u) ? "timeout" : "no such advertiser");
        return (n >= 1u && r[0] == 2u) ? WBOTA_E_TIMEOUT : WBOTA_E_NOT_FOUND;
    }
    e->connected = true;
    e->disconnected = false;
    e->write_error = false;
    e->ind_pending = false;
    return WBOTA_OK;
}

static wbota_err_t prv_mtu(void *ctx, uint16_t want, uint16_t *got)
{
    prv_emu_t *e = ctx;
    uint8_t p[2];
    wbota_put_le16(p, want);
    const uint8_t *r;
    size_t n;
    wbota_err_t err = prv_call(e, EMU_REQ_MTU, p, sizeof(p), EMU_RSP_MTU, &r, &n);
    if (err == WBOTA_OK) {
        *got = (n >= 2u) ? wbota_get_le16(r) : 23u;
    }
    return err;
}

static wbota_err_t prv_discover(void *ctx, wbtool_char_t *chars, size_t max, size_t *count)
{
    prv_emu_t *e = ctx;
    *count = 0u;
    const uint8_t *r;
    size_t n;
    wbota_err_t err = prv_call(e, EMU_REQ_DISCOVER, NULL, 0u, EMU_RSP_DISCOVER, &r, &n);
    if (err != WBOTA_OK) {
        return err;
    }
    if (n < 1u) {
        return WBOTA_E_PARSE;
    }
    size_t k = r[0];
    size_t off = 1u;
    for (size_t i = 0u; i < k; i++) {
        if (off + 6u > n) {
            return WBOTA_E_PARSE;
        }
        uint8_t ul = r[off + 5u];
        if ((ul != 2u && ul != 16u) || off + 6u + ul > n) {
            return WBOTA_E_PARSE;
        }
        if (*count < max) {
            wbtool_char_t *c = &chars[(*count)++];
            c->decl_handle = wbota_get_le16(r + off);
            c->value_handle = wbota_get_le16(r + off + 2u);
            c->props = r[off + 4u];
            c->uuid_len = ul;
            memset(c->uuid, 0, sizeof(c->uuid));
            memcpy(c->uuid, r + off + 6u, ul);
        }
        off += 6u + ul;
    }
    return WBOTA_OK;
}

static wbota_err_t prv_write(void *ctx, uint16_t handle, const uint8_t *data, size_t len,
                             bool with_rsp, uint8_t *att_status)
{
    prv_emu_t *e = ctx;
    wbota_err_t derr = prv_drain(e);
    if (derr != WBOTA_OK) {
        return derr;
    }
    if (e->disconnected || !e->connected || e->write_error) {
        (void)snprintf(e->t->msg, sizeof(e->t->msg), "link lost (HCI reason 0x%02X)",
                       e->disc_reason);
        return WBOTA_E_LINK_LOST;
    }
    uint8_t p[EMU_WIRE_MAX_FRAME];
    if (len + 3u > sizeof(p) - 1u) {
        return WBOTA_E_ARG;
    }
    wbota_put_le16(p, handle);
    p[2] = with_rsp ? 1u : 0u;
    memcpy(p + 3, data, len);
    wbota_err_t err = prv_send(e, EMU_REQ_WRITE, p, len + 3u);
    if (err != WBOTA_OK || !with_rsp) {
        return err;
    }
    const uint8_t *r;
    size_t n;
    e->awaiting_write_rsp = true;
    err = prv_reply(e, EMU_REQ_WRITE, EMU_RSP_WRITE, &r, &n);
    e->awaiting_write_rsp = false;
    if (err != WBOTA_OK) {
        return err;
    }
    uint8_t st = (n >= 1u) ? r[0] : 0xFFu;
    if (att_status != NULL) {
        *att_status = st;
    }
    if (st != 0u) {
        (void)snprintf(e->t->msg, sizeof(e->t->msg), "write refused with ATT error 0x%02X", st);
        return WBOTA_E_REJECTED;
    }
    return WBOTA_OK;
}

static wbota_err_t prv_wait_ind(void *ctx, uint16_t handle, uint32_t timeout_ms, uint8_t *buf,
                                size_t cap, size_t *len)
{
    prv_emu_t *e = ctx;
    for (uint32_t waited = 0u;; waited += WBTOOL_EMU_WAIT_MS) {
        if (e->ind_pending && e->ind_handle == handle) {
            e->ind_pending = false;
            size_t k = (e->ind_len < cap) ? e->ind_len : cap;
            memcpy(buf, e->ind, k);
            *len = k;
            return WBOTA_OK;
        }
        if (e->disconnected) {
            (void)snprintf(e->t->msg, sizeof(e->t->msg),
                           "link lost while waiting for the result (HCI reason 0x%02X)",
                           e->disc_reason);
            return WBOTA_E_LINK_LOST;
        }
        if (waited >= timeout_ms) {
            (void)snprintf(e->t->msg, sizeof(e->t->msg), "no indication within %u ms (simulated)",
                           (unsigned)timeout_ms);
            return WBOTA_E_TIMEOUT;
        }
        wbota_err_t err = prv_wait_sim(e, WBTOOL_EMU_WAIT_MS);
        if (err != WBOTA_OK) {
            return err;
        }
    }
}

static wbota_err_t prv_confirm(void *ctx)
{
    prv_emu_t *e = ctx;
    return prv_send(e, EMU_REQ_CONFIRM, NULL, 0u);
}

static wbota_err_t prv_wait_disc(void *ctx, uint32_t timeout_ms)
{
    prv_emu_t *e = ctx;
    for (uint32_t waited = 0u; !e->disconnected; waited += WBTOOL_EMU_WAIT_MS) {
        if (waited >= timeout_ms) {
            return WBOTA_E_TIMEOUT;
        }
        wbota_err_t err = prv_wait_sim(e, WBTOOL_EMU_WAIT_MS);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    return WBOTA_OK;
}

static wbota_err_t prv_disconnect(void *ctx)
{
    prv_emu_t *e = ctx;
    if (!e->connected) {
        return WBOTA_OK;
    }
    wbota_err_t err = prv_send(e, EMU_REQ_DISCONNECT, NULL, 0u);
    for (unsigned guard = 0u; err == WBOTA_OK && !e->disconnected && guard < 1000u; guard++) {
        uint8_t type;
        const uint8_t *r;
        size_t n;
        err = prv_recv(e, &type, &r, &n);
    }
    e->connected = false;
    return err;
}

static uint64_t prv_now(void *ctx)
{
    prv_emu_t *e = ctx;
    return e->sim_us;
}

static void prv_close(void *ctx)
{
    prv_emu_t *e = ctx;
    if (e->fd >= 0) {
        close(e->fd);
    }
    free(e);
}

static int prv_open_socket(const char *where, char *msg, size_t cap)
{
    wbota_wire_addr_t a;
    if (wbota_wire_addr_parse(where, &a, msg, cap) != WBOTA_OK) {
        return -1;
    }
    char why[200] = "";
    int fd = wbota_wire_connect(&a, why, sizeof(why));
    static const char k_prefix[] = "cannot connect to ";
    if (fd < 0 && strncmp(why, k_prefix, sizeof(k_prefix) - 1u) == 0) {
        (void)snprintf(msg, cap, "cannot connect to the emulator at %.120s (is wbota-emu running?)",
                       why + sizeof(k_prefix) - 1u);
    } else if (fd < 0) {
        (void)snprintf(msg, cap, "%.120s (is wbota-emu running?)", why);
    }
    return fd;
}

wbota_err_t wbtool_transport_emu_open(wbtool_transport_t *t, const char *where,
                                      uint32_t io_timeout_ms,
                                      void (*log_cb)(const char *line, void *user), void *log_user)
{
    memset(t, 0, sizeof(*t));
    int fd = prv_open_socket(where, t->msg, sizeof(t->msg));
    if (fd < 0) {
        return WBOTA_E_IO;
    }
    prv_emu_t *e = calloc(1u, sizeof(*e));
    if (e == NULL) {
        close(fd);
        return WBOTA_E_IO;
    }
    e->fd = fd;
    e->io_timeout_ms = io_timeout_ms;
    e->log_cb = log_cb;
    e->log_user = log_user;
    e->t = t;
    static const wbtool_transport_t k_ops = WBTOOL_TRANSPORT_OPS(prv, .forget = NULL);
    wbtool_transport_bind(t, &k_ops, e);
    uint8_t p[4];
    wbota_put_le32(p, WBTOOL_EMU_PROTO);
    const uint8_t *r;
    size_t n;
    wbota_err_t err = prv_call(e, EMU_REQ_HELLO, p, sizeof(p), EMU_RSP_HELLO, &r, &n);
    if (err == WBOTA_OK && (n < 4u || wbota_get_le32(r) != WBTOOL_EMU_PROTO)) {
        (void)snprintf(t->msg, sizeof(t->msg), "emulator speaks wire protocol %u, need %u",
                       n >= 4u ? (unsigned)wbota_get_le32(r) : 0u, WBTOOL_EMU_PROTO);
        err = WBOTA_E_UNSUPPORTED;
    }
    if (err != WBOTA_OK) {
        wbtool_transport_abandon(t, prv_close, e);
        if (t->msg[0] == '\0') {
            (void)snprintf(t->msg, sizeof(t->msg), "emulator at %.100s did not answer HELLO",
                           where);
        }
        return err == WBOTA_E_UNSUPPORTED ? err : WBOTA_E_IO;
    }
    return WBOTA_OK;
}
