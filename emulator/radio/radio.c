/* radio.c - the virtual radio: a loopback socket server speaking emu_radio_wire.h, driving the
 * air side of the CPU2 model (emu_cpu2.h) with a link-layer timing model in simulated time.
 *
 * Lockstep: the device only runs while the central has a request outstanding. poll_cb blocks
 * on the socket otherwise, so simulated time never runs ahead of the central.
 * Timing model (docs/emulator.md "Virtual radio"): an ATT PDU of n bytes travels as L2CAP
 * (4 + n bytes) split into LL data PDUs of <= data_length payload bytes. Each LL PDU costs one
 * exchange: T(pdu) + IFS + T(empty ack) + IFS, IFS = 150 us, T(x) = (preamble + 4 access address
 * + 2 header + x + 3 CRC) * 8 / PHY-rate (preamble 1 byte at 1M, 2 at 2M; no MIC: no encryption).
 * At most packets_per_event exchanges per connection event and all within the interval; events
 * start every conn_interval_us from the connection's first anchor. A PDU that finds CPU2 without
 * event buffers (rx credits) or in a lost event (CPU1 holds Sem 7) is retried at the next event. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "emu_radio.h"
#include "wbota/bytes.h"
#include "wbota_wire.h"

#define R_IFS_NS          150000ull
#define R_SCAN_STEP_NS    10000000ull
#define R_CONNECT_STEP_NS 10000000ull
#define R_MAX_SEEN        8
#define R_MAX_OUT         16

typedef struct {
    uint8_t addr[6];
    uint8_t adv[63]; /* advertising data, u8 scan response length, scan response */
    size_t len;
} r_seen_t;

typedef struct {
    uint8_t type;
    uint16_t handle;
    uint8_t data[520];
    size_t len;
} r_out_t;

struct emu_radio {
    emu_soc_t *soc;
    emu_cpu2_t *c2;
    emu_radio_opts_t o;
    int lfd, cfd;
    bool is_unix;
    char addr[160];
    uint8_t rbuf[4 * EMU_WIRE_MAX_FRAME];
    size_t rlen;
    bool failed_io;
    volatile bool stopping;

    /* the request in progress */
    bool busy;
    uint8_t rq[EMU_WIRE_MAX_FRAME];
    size_t rq_len;
    uint32_t timer;
    uint64_t timer_at; /* when the request's timer was due (model time, not the late firing) */
    emu_timer_cb timer_cb;
    bool in_timer;
    uint64_t done_ns; /* model time the last request ended: when the central issued the next */
    uint64_t deadline;
    r_seen_t seen[R_MAX_SEEN];
    unsigned nseen;
    bool target_seen;
    uint8_t phase;

    /* link */
    bool linked;
    uint64_t t0, anchor, cursor;
    unsigned pkts;
    uint16_t mtu;
    uint64_t link_bytes;

    /* device -> central PDUs waiting for a connection event */
    r_out_t out[R_MAX_OUT];
    unsigned nout;
    uint32_t out_timer;

    uint64_t wall0_ns;
};

static uint64_t prv_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- socket ---- */

static void prv_send(emu_radio_t *r, uint8_t type, const uint8_t *p, size_t n)
{
    if (r->cfd < 0 || n + 1 > EMU_WIRE_MAX_FRAME) {
        return;
    }
    uint8_t f[2 + EMU_WIRE_MAX_FRAME];
    size_t off = 0, len = wbota_wire_frame_encode(f, sizeof f, type, p, n);
    while (off < len) {
        ssize_t w = send(r->cfd, f + off, len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            r->failed_io = true;
            return;
        }
        off += (size_t)w;
    }
    if (emu_trace_on(r->soc, EMU_TRACE_RADIO)) {
        emu_trace(r->soc, EMU_TRACE_RADIO, "radio -> central 0x%02X len %zu", type, n);
    }
}

static void prv_send_time(emu_radio_t *r, uint8_t type)
{
    uint8_t p[8];
    wbota_put_le64(p, emu_time_ns(r->soc) / 1000u);
    prv_send(r, type, p, 8);
}

static void prv_error(emu_radio_t *r, const char *text)
{
    uint8_t p[200];
    size_t n = strlen(text);
    if (n > sizeof p - 1) {
        n = sizeof p - 1;
    }
    p[0] = r->rq[0];
    memcpy(p + 1, text, n);
    prv_send(r, EMU_RSP_ERROR, p, n + 1);
}

void emu_radio_send_log(emu_radio_t *r, const char *line)
{
    if (r != NULL) {
        prv_send(r, EMU_EVT_LOG, (const uint8_t *)line, strlen(line));
    }
}

/* ---- link timing ---- */

static uint64_t prv_pdu_ns(const emu_radio_t *r, unsigned payload)
{
    unsigned pre = r->o.phy_mbps == 1 ? 1u : 2u;
    uint64_t bytes = pre + 4u + 2u + payload + 3u;
    return bytes * 8000ull / r->o.phy_mbps;
}

static uint64_t prv_exchange_ns(const emu_radio_t *r, unsigned payload)
{
    return prv_pdu_ns(r, payload) + R_IFS_NS + prv_pdu_ns(r, 0) + R_IFS_NS;
}

static uint64_t prv_next_anchor(const emu_radio_t *r, uint64_t t)
{
    uint64_t itv = (uint64_t)r->o.conn_interval_us * 1000u;
    if (t <= r->t0) {
        return r->t0;
    }
    uint64_t k = (t - r->t0 + itv - 1u) / itv;
    return r->t0 + k * itv;
}

/* Places an ATT PDU of att_len bytes on the link; returns the time its last fragment has been
 * received (the earliest time CPU2 can see it). Advances the link cursor. */
static uint64_t prv_link_place_at(emu_radio_t *r, size_t att_len, uint64_t *busy_ns, uint64_t now)
{
    uint64_t itv = (uint64_t)r->o.conn_interval_us * 1000u;
    size_t l2cap = att_len + 4u;
    unsigned frags = (unsigned)((l2cap + r->o.data_length - 1u) / r->o.data_length);
    uint64_t t = r->cursor;
    if (now > r->cursor) {
        /* nothing was queued when the last event closed: wait for the next anchor */
        r->anchor = prv_next_anchor(r, now);
        r->pkts = 0;
        t = r->anchor;
    }
    uint64_t start = t;
    for (unsigned i = 0; i < frags; i++) {
        size_t n = l2cap > r->o.data_length ? r->o.data_length : l2cap;
        l2cap -= n;
        uint64_t ex = prv_exchange_ns(r, (unsigned)n);
        if (r->pkts >= r->o.packets_per_event || t + ex > r->anchor + itv) {
            r->anchor = prv_next_anchor(r, r->anchor + 1u);
            r->pkts = 0;
            t = r->anchor;
        }
        r->pkts++;
        t += ex;
    }
    r->cursor = t;
    *busy_ns = t - start;
    return t;
}

/* Model time: inside a radio timer callback the time it was due (see prv_done). */
static uint64_t prv_model_now(const emu_radio_t *r)
{
    return r->in_timer ? r->timer_at : emu_time_ns(r->soc);
}

static uint64_t prv_link_place(emu_radio_t *r, size_t att_len, uint64_t *busy_ns)
{
    return prv_link_place_at(r, att_len, busy_ns, prv_model_now(r));
}

/* Retransmission: the PDU was not acknowledged; it goes again in the next event. */
static uint64_t prv_link_retry(emu_radio_t *r, size_t att_len, uint64_t *busy_ns)
{
    uint64_t now = prv_model_now(r);
    r->anchor = prv_next_anchor(r, now + 1u);
    r->pkts = 0;
    r->cursor = r->anchor;
    return prv_link_place(r, att_len, busy_ns);
}

/* ---- request handling ---- */

/* The request ends. A timer fires at a CPU slice boundary, a little after it was due; the time
 * the central sees (and issues its next request at) is when the timer was due, so a write the
 * central had queued continues the connection event whatever the slice boundaries. */
static void prv_done(emu_radio_t *r)
{
    r->busy = false;
    r->done_ns = r->in_timer ? r->timer_at : emu_time_ns(r->soc);
    if (r->timer != 0) {
        emu_cancel(r->soc, r->timer);
        r->timer = 0;
    }
}

static void prv_timer_fire(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    r->timer = 0;
    r->in_timer = true;
    r->timer_cb(soc, r);
    r->in_timer = false;
}

static void prv_at(emu_radio_t *r, uint64_t at, emu_timer_cb cb)
{
    if (r->timer != 0) {
        emu_cancel(r->soc, r->timer);
    }
    r->timer_at = at;
    r->timer_cb = cb;
    r->timer = emu_schedule(r->soc, at, prv_timer_fire, r);
}

static void prv_link_down(emu_radio_t *r, uint8_t reason, bool tell)
{
    if (!r->linked) {
        return;
    }
    r->linked = false;
    r->nout = 0;
    if (tell) {
        prv_send(r, EMU_EVT_DISCONNECTED, &reason, 1);
    }
    if (r->busy) {
        uint8_t t = r->rq[0];
        if (t == EMU_REQ_WRITE || t == EMU_REQ_MTU || t == EMU_REQ_READ || t == EMU_REQ_CONFIRM ||
            t == EMU_REQ_DISCOVER) {
            if (!(t == EMU_REQ_WRITE && r->rq[3] == 0) && t != EMU_REQ_CONFIRM) {
                prv_error(r, "link lost");
            }
            prv_done(r);
        } else if (t == EMU_REQ_DISCONNECT) {
            prv_done(r); /* EVT_DISCONNECTED above was the reply */
        }
    }
}

static void prv_scan_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    r->timer = 0;
    uint8_t a[6], ad[63];
    size_t n = 0;
    if (emu_cpu2_adv(r->c2, a, ad, &n)) {
        /* an active scan: the scan response comes with the advertising data (a real central
         * gets it in a second report; the kernel hands both to bluetoothd together) */
        size_t rn = emu_cpu2_scan_rsp(r->c2, ad + n + 1);
        ad[n] = (uint8_t)rn;
        const size_t an = n;
        n += 1 + rn;
        unsigned i;
        for (i = 0; i < r->nseen; i++) {
            if (memcmp(r->seen[i].addr, a, 6) == 0) {
                break;
            }
        }
        if (i == r->nseen || r->seen[i].len != n || memcmp(r->seen[i].adv, ad, n) != 0) {
            if (i == r->nseen && r->nseen < R_MAX_SEEN) {
                r->nseen++;
            }
            if (i < R_MAX_SEEN) {
                memcpy(r->seen[i].addr, a, 6);
                memcpy(r->seen[i].adv, ad, n);
                r->seen[i].len = n;
            }
            uint8_t f[6 + 2 + sizeof(ad)];
            memcpy(f, a, 6);
            f[6] = (uint8_t)(int8_t)-50;
            f[7] = (uint8_t)an;
            memcpy(f + 8, ad, n); /* adv data, u8 scan response length, scan response */
            prv_send(r, EMU_EVT_ADV, f, 8 + n);
        }
    }
    uint64_t now = emu_time_ns(soc);
    if (now >= r->deadline) {
        prv_done(r);
        prv_send_time(r, EMU_RSP_SCAN_DONE);
        return;
    }
    uint64_t next = now + R_SCAN_STEP_NS;
    prv_at(r, next < r->deadline ? next : r->deadline, prv_scan_cb);
}

static void prv_connect_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    r->timer = 0;
    uint64_t now = emu_time_ns(soc);
    if (r->phase == 1) {
        /* first connection event reached */
        prv_done(r);
        uint8_t st = 0;
        prv_send(r, EMU_RSP_CONNECT, &st, 1);
        return;
    }
    uint8_t a[6], ad[31];
    size_t n = 0;
    if (emu_cpu2_adv(r->c2, a, ad, &n) && memcmp(a, r->rq + 1, 6) == 0) {
        static const uint8_t central[6] = {0xC0, 0xFF, 0xEE, 0x00, 0x00, 0x01};
        r->target_seen = true;
        if (emu_cpu2_connect(r->c2, central)) {
            r->linked = true;
            r->mtu = 23;
            r->t0 = now + 2500000u; /* CONNECT_IND + transmit window offset */
            r->anchor = r->t0;
            r->cursor = r->t0;
            r->pkts = 0;
            r->phase = 1;
            prv_at(r, r->t0 + prv_exchange_ns(r, 0), prv_connect_cb);
            return;
        }
    }
    if (now >= r->deadline) {
        prv_done(r);
        uint8_t st = r->target_seen ? 2 : 1;
        prv_send(r, EMU_RSP_CONNECT, &st, 1);
        return;
    }
    uint64_t next = now + R_CONNECT_STEP_NS;
    prv_at(r, next < r->deadline ? next : r->deadline, prv_connect_cb);
}

static void prv_time_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    (void)soc;
    r->timer = 0;
    prv_done(r);
    prv_send_time(r, EMU_RSP_TIME);
}

/* A central PDU (write/confirm/mtu/read) reached the device. */
static void prv_deliver_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    (void)soc;
    r->timer = 0;
    if (!r->busy || !r->linked) {
        return;
    }
    uint8_t t = r->rq[0];
    size_t att_len = 1;
    unsigned cost = 1;
    if (t == EMU_REQ_WRITE) {
        att_len = 3u + (r->rq_len - 4u);
        cost = emu_cpu2_write_cost(r->rq_len - 4u);
    } else if (t == EMU_REQ_MTU) {
        att_len = 3;
    } else if (t == EMU_REQ_READ) {
        att_len = 3;
        cost = 0;
    }
    uint64_t busy = 0;
    /* CPU2's radio stays busy for as long as a whole PDU takes on air (all its fragments): the
     * next PDU of the event ends that much later */
    uint64_t dur = 0;
    for (size_t left = att_len + 4u; left > 0;) {
        size_t n = left > r->o.data_length ? r->o.data_length : left;
        dur += prv_exchange_ns(r, (unsigned)n);
        left -= n;
    }
    if (r->phase == 0) {
        if (emu_cpu2_rx_credits(r->c2) < cost || !emu_cpu2_radio_event(r->c2, dur)) {
            /* NAK: CPU2 has no buffer (or missed the event); retransmit next event */
            uint64_t at = prv_link_retry(r, att_len, &busy);
            prv_at(r, at, prv_deliver_cb);
            return;
        }
        r->link_bytes += att_len;
        switch (t) {
        case EMU_REQ_WRITE: {
            uint8_t st = emu_cpu2_att_write(r->c2, wbota_get_le16(r->rq + 1), r->rq + 4,
                                            r->rq_len - 4u, r->rq[3] != 0);
            if (r->rq[3] == 0) {
                prv_done(r);
                return;
            }
            r->rq[1] = st; /* keep the status for the response */
            break;
        }
        case EMU_REQ_CONFIRM:
            emu_cpu2_indication_confirmed(r->c2);
            prv_done(r);
            return;
        case EMU_REQ_MTU: {
            uint16_t m = emu_cpu2_mtu_exchange(r->c2, wbota_get_le16(r->rq + 1));
            r->mtu = m;
            wbota_put_le16(r->rq + 1, m);
            break;
        }
        default:
            break;
        }
        /* the response comes from the device in the next connection event */
        r->phase = 1;
        uint64_t at = prv_next_anchor(r, prv_model_now(r) + 1u) + prv_pdu_ns(r, 9);
        r->cursor = at;
        r->anchor = prv_next_anchor(r, prv_model_now(r) + 1u);
        r->pkts = 1;
        prv_at(r, at, prv_deliver_cb);
        return;
    }
    /* phase 1: response on air */
    prv_done(r);
    switch (t) {
    case EMU_REQ_WRITE:
        prv_send(r, EMU_RSP_WRITE, &r->rq[1], 1);
        break;
    case EMU_REQ_MTU:
        prv_send(r, EMU_RSP_MTU, r->rq + 1, 2);
        break;
    case EMU_REQ_READ: {
        uint8_t f[1 + 520];
        size_t n = 0;
        f[0] = emu_cpu2_att_read(r->c2, wbota_get_le16(r->rq + 1), f + 1, &n);
        if (n > (size_t)r->mtu - 1u) {
            n = (size_t)r->mtu - 1u;
        }
        prv_send(r, EMU_RSP_READ, f, 1 + (f[0] == 0 ? n : 0));
        break;
    }
    default:
        break;
    }
}

static void prv_discover_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    (void)soc;
    r->timer = 0;
    prv_done(r);
    emu_gatt_char_t c[48];
    size_t n = emu_cpu2_discover(r->c2, c, 48);
    uint8_t f[EMU_WIRE_MAX_FRAME];
    size_t o = 1;
    uint8_t k = 0;
    for (size_t i = 0; i < n && o + 22 < sizeof f - 4; i++) {
        wbota_put_le16(f + o, c[i].decl_handle);
        wbota_put_le16(f + o + 2, c[i].value_handle);
        f[o + 4] = c[i].props;
        f[o + 5] = c[i].uuid_len;
        memcpy(f + o + 6, c[i].uuid, c[i].uuid_len);
        o += 6u + c[i].uuid_len;
        k++;
    }
    f[0] = k;
    prv_send(r, EMU_RSP_DISCOVER, f, o);
}

static void prv_disconnect_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    (void)soc;
    r->timer = 0;
    prv_done(r);
    if (r->linked) {
        r->linked = false;
        r->nout = 0;
        emu_cpu2_disconnect(r->c2, 0x13);
    }
    uint8_t reason = 0x16; /* as seen by the central: terminated by local host */
    prv_send(r, EMU_EVT_DISCONNECTED, &reason, 1);
}

static void prv_start(emu_radio_t *r)
{
    uint8_t t = r->rq[0];
    const uint8_t *p = r->rq + 1;
    size_t n = r->rq_len - 1u;
    /* lockstep: no simulated time passes while no request is outstanding, so the central
     * issued this request when the previous one ended (not at the late slice boundary) */
    uint64_t now = emu_time_ns(r->soc);
    uint64_t issued = r->done_ns < now ? r->done_ns : now;
    r->busy = true;
    r->phase = 0;
    if (emu_trace_on(r->soc, EMU_TRACE_RADIO)) {
        emu_trace(r->soc, EMU_TRACE_RADIO, "radio <- central 0x%02X len %zu", t, n);
    }
    bool need_link = t == EMU_REQ_MTU || t == EMU_REQ_DISCOVER || t == EMU_REQ_WRITE ||
                     t == EMU_REQ_CONFIRM || t == EMU_REQ_READ || t == EMU_REQ_DISCONNECT;
    if (need_link && !r->linked) {
        prv_error(r, "not connected");
        prv_done(r);
        return;
    }
    switch (t) {
    case EMU_REQ_HELLO: {
        uint8_t f[12];
        wbota_put_le32(f, 1);
        wbota_put_le64(f + 4, now / 1000u);
        prv_done(r);
        prv_send(r, EMU_RSP_HELLO, f, 12);
        return;
    }
    case EMU_REQ_SCAN:
        if (n != 4) {
            break;
        }
        r->nseen = 0;
        r->deadline = now + (uint64_t)wbota_get_le32(p) * 1000000u;
        prv_at(r, now, prv_scan_cb);
        return;
    case EMU_REQ_CONNECT:
        if (n != 10) {
            break;
        }
        if (r->linked) {
            prv_error(r, "already connected");
            prv_done(r);
            return;
        }
        r->target_seen = false;
        r->deadline = now + (uint64_t)wbota_get_le32(p + 6) * 1000000u;
        prv_at(r, now, prv_connect_cb);
        return;
    case EMU_REQ_MTU:
    case EMU_REQ_READ:
    case EMU_REQ_CONFIRM:
        if ((t != EMU_REQ_CONFIRM && n != 2) || (t == EMU_REQ_CONFIRM && n != 0)) {
            break;
        }
        {
            uint64_t busy = 0;
            prv_at(r, prv_link_place_at(r, t == EMU_REQ_CONFIRM ? 1u : 3u, &busy, issued),
                   prv_deliver_cb);
        }
        return;
    case EMU_REQ_WRITE: {
        if (n < 3) {
            break;
        }
        size_t len = n - 3u;
        if (len > (size_t)r->mtu - 3u) {
            prv_error(r, "write longer than ATT MTU - 3");
            prv_done(r);
            return;
        }
        uint64_t busy = 0;
        prv_at(r, prv_link_place_at(r, 3u + len, &busy, issued), prv_deliver_cb);
        return;
    }
    case EMU_REQ_DISCOVER: {
        /* primary services, characteristics, descriptors: about 6 request/response rounds */
        uint64_t at = prv_next_anchor(r, now + 1u) + 5u * (uint64_t)r->o.conn_interval_us * 1000u;
        prv_at(r, at, prv_discover_cb);
        return;
    }
    case EMU_REQ_DISCONNECT:
        prv_at(r, prv_next_anchor(r, now + 1u), prv_disconnect_cb);
        return;
    case EMU_REQ_WAIT:
        if (n != 4) {
            break;
        }
        r->deadline = issued + (uint64_t)wbota_get_le32(p) * 1000000u;
        prv_at(r, r->deadline, prv_time_cb);
        return;
    case EMU_REQ_STATS: {
        uint8_t f[32];
        wbota_put_le64(f, now / 1000u);
        wbota_put_le64(f + 8, 0); /* instructions: not visible through emu_soc.h */
        wbota_put_le64(f + 16, (prv_wall_ns() - r->wall0_ns) / 1000u);
        wbota_put_le32(f + 24, 0);
        wbota_put_le32(f + 28, (uint32_t)r->link_bytes);
        prv_done(r);
        prv_send(r, EMU_RSP_STATS, f, 32);
        return;
    }
    case EMU_REQ_DEBUG_WRITE:
        if (n < 5) {
            break;
        }
        prv_done(r);
        if (!emu_mem_write(r->soc, wbota_get_le32(p), p + 4, (uint32_t)(n - 4u))) {
            prv_error(r, "address not writable");
            return;
        }
        prv_send_time(r, EMU_RSP_TIME);
        return;
    case EMU_REQ_SYSTEM_RESET:
        prv_done(r);
        emu_request_system_reset(r->soc);
        prv_send_time(r, EMU_RSP_TIME);
        return;
    case EMU_REQ_POWER_CYCLE:
        prv_done(r);
        prv_link_down(r, 0x08, true);
        emu_request_power_on_reset(r->soc);
        prv_send_time(r, EMU_RSP_TIME);
        return;
    default:
        break;
    }
    prv_error(r, "malformed or unknown request");
    prv_done(r);
}

/* ---- device -> central PDUs ---- */

static void prv_out_cb(emu_soc_t *soc, void *arg)
{
    emu_radio_t *r = arg;
    (void)soc;
    r->out_timer = 0;
    if (r->nout == 0 || !r->linked) {
        return;
    }
    r_out_t *o = &r->out[0];
    uint8_t f[2 + 520];
    wbota_put_le16(f, o->handle);
    memcpy(f + 2, o->data, o->len);
    r->link_bytes += 3u + o->len;
    prv_send(r, o->type, f, 2 + o->len);
    memmove(&r->out[0], &r->out[1], (r->nout - 1u) * sizeof r->out[0]);
    r->nout--;
    if (r->nout > 0) {
        uint64_t busy = 0;
        r->out_timer =
            emu_schedule(r->soc, prv_link_place(r, 3u + r->out[0].len, &busy), prv_out_cb, r);
    }
}

static void prv_queue_out(emu_radio_t *r, uint8_t type, uint16_t h, const uint8_t *d, size_t n)
{
    if (!r->linked || r->nout >= R_MAX_OUT) {
        return;
    }
    if (n > (size_t)r->mtu - 3u) {
        n = (size_t)r->mtu - 3u; /* ATT truncates a value longer than MTU - 3 */
    }
    r_out_t *o = &r->out[r->nout++];
    o->type = type;
    o->handle = h;
    memcpy(o->data, d, n);
    o->len = n;
    if (r->out_timer == 0) {
        uint64_t busy = 0;
        r->out_timer = emu_schedule(r->soc, prv_link_place(r, 3u + n, &busy), prv_out_cb, r);
    }
}

static void prv_indicate_cb(void *ctx, uint16_t h, const uint8_t *d, size_t n)
{
    prv_queue_out(ctx, EMU_EVT_INDICATION, h, d, n);
}

static void prv_notify_cb(void *ctx, uint16_t h, const uint8_t *d, size_t n)
{
    prv_queue_out(ctx, EMU_EVT_NOTIFICATION, h, d, n);
}

static void prv_disconnected_cb(void *ctx, uint8_t reason)
{
    prv_link_down(ctx, reason, true);
}

/* ---- lockstep loop ---- */

static bool prv_take_frame(emu_radio_t *r)
{
    long total = wbota_wire_frame_check(r->rbuf, r->rlen);
    if (total < 0) {
        emu_log(r->soc, "radio: bad frame length %u from the central: dropping it",
                (unsigned)wbota_get_le16(r->rbuf));
        close(r->cfd);
        r->cfd = -1;
        r->rlen = 0;
        return false;
    }
    if (total == 0) {
        return false;
    }
    size_t len = (size_t)total - 2u;
    memcpy(r->rq, r->rbuf + 2, len);
    r->rq_len = len;
    memmove(r->rbuf, r->rbuf + total, r->rlen - (size_t)total);
    r->rlen -= (size_t)total;
    return true;
}

static void prv_central_gone(emu_radio_t *r)
{
    if (r->cfd >= 0) {
        close(r->cfd);
    }
    r->cfd = -1;
    r->rlen = 0;
    r->failed_io = false;
    if (r->busy) {
        prv_done(r);
    }
    if (r->linked) {
        r->linked = false;
        r->nout = 0;
        emu_cpu2_disconnect(r->c2, 0x08); /* supervision timeout */
    }
}

/* Blocks until a request is in progress (lockstep). */
static void prv_pump(emu_radio_t *r)
{
    while (!r->busy && !r->stopping) {
        if (r->failed_io) {
            prv_central_gone(r);
        }
        if (r->cfd >= 0 && prv_take_frame(r)) {
            prv_start(r);
            continue;
        }
        if (r->cfd < 0) {
            int fd = accept(r->lfd, NULL, NULL);
            if (fd < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return;
            }
            int one = 1;
            if (!r->is_unix) {
                (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            }
            r->cfd = fd;
            emu_trace(r->soc, EMU_TRACE_RADIO, "radio: central attached");
            continue;
        }
        ssize_t got = recv(r->cfd, r->rbuf + r->rlen, sizeof r->rbuf - r->rlen, 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            emu_trace(r->soc, EMU_TRACE_RADIO, "radio: central left");
            prv_central_gone(r);
            continue;
        }
        r->rlen += (size_t)got;
    }
}

static void prv_poll_cb(emu_soc_t *soc, void *ctx)
{
    (void)soc;
    prv_pump(ctx);
}

static int prv_wait_fd_cb(emu_soc_t *soc, void *ctx)
{
    emu_radio_t *r = ctx;
    (void)soc;
    return r->busy ? -1 : (r->cfd >= 0 ? r->cfd : r->lfd);
}

static void prv_fd_ready_cb(emu_soc_t *soc, void *ctx)
{
    (void)soc;
    prv_pump(ctx);
}

static void prv_reset_cb(emu_soc_t *soc, void *ctx, bool power_on)
{
    emu_radio_t *r = ctx;
    (void)soc;
    (void)power_on;
    /* our timers are gone: finish what was waiting on them */
    r->timer = 0;
    r->out_timer = 0;
    prv_link_down(r, 0x08, true);
    if (r->busy) {
        uint8_t t = r->rq[0];
        if (t == EMU_REQ_WAIT) {
            /* a WAIT lasts its duration across a reset, like any other WAIT */
            uint64_t now = emu_time_ns(r->soc);
            prv_at(r, r->deadline > now ? r->deadline : now, prv_time_cb);
        } else if (t == EMU_REQ_SCAN) {
            uint64_t now = emu_time_ns(r->soc);
            r->nseen = 0;
            prv_at(r, now, prv_scan_cb); /* keep scanning across the reset */
        } else if (t == EMU_REQ_CONNECT) {
            prv_at(r, emu_time_ns(r->soc), prv_connect_cb);
        } else {
            prv_error(r, "device reset");
            prv_done(r);
        }
    }
}

static const emu_device_ops_t s_ops = {
    .name = "radio",
    .reset_cb = prv_reset_cb,
    .poll_cb = prv_poll_cb,
    .wait_fd_cb = prv_wait_fd_cb,
    .fd_ready_cb = prv_fd_ready_cb,
};

static int prv_listen(emu_radio_t *r, const char *spec, char *msg, size_t cap)
{
    wbota_wire_addr_t a;
    if (wbota_wire_addr_parse(spec, &a, msg, cap) != WBOTA_OK) {
        return -1;
    }
    r->is_unix = a.is_unix;
    return wbota_wire_listen(&a, r->addr, sizeof r->addr, msg, cap);
}

emu_radio_t *emu_radio_create(emu_soc_t *soc, emu_cpu2_t *c2, const emu_radio_opts_t *opts)
{
    emu_radio_t *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    r->soc = soc;
    r->c2 = c2;
    r->cfd = -1;
    r->mtu = 23;
    r->wall0_ns = prv_wall_ns();
    if (opts != NULL) {
        r->o = *opts;
    }
    if (r->o.phy_mbps != 1 && r->o.phy_mbps != 2) {
        r->o.phy_mbps = 2;
    }
    if (r->o.conn_interval_us < 7500) {
        r->o.conn_interval_us = 15000;
    }
    if (r->o.data_length < 27 || r->o.data_length > 251) {
        r->o.data_length = 251;
    }
    if (r->o.packets_per_event == 0) {
        r->o.packets_per_event = 6;
    }
    char why[300] = "";
    r->lfd = prv_listen(r, r->o.listen != NULL ? r->o.listen : "127.0.0.1:0", why, sizeof why);
    if (r->lfd < 0) {
        fprintf(stderr, "EMU RADIO %s\n", why);
        free(r);
        return NULL;
    }
    emu_cpu2_air_sink_t sink = {.indicate_cb = prv_indicate_cb,
                                .notify_cb = prv_notify_cb,
                                .disconnected_cb = prv_disconnected_cb,
                                .ctx = r};
    emu_cpu2_set_air_sink(c2, &sink);
    emu_cpu2_set_conn_interval(c2, r->o.conn_interval_us);
    if (!emu_soc_attach(soc, &s_ops, r)) {
        close(r->lfd);
        free(r);
        return NULL;
    }
    fprintf(stderr, "EMU RADIO listening on %s (PHY %uM, interval %u us, DL %u, %u pkt/event)\n",
            r->addr, r->o.phy_mbps, r->o.conn_interval_us, r->o.data_length,
            r->o.packets_per_event);
    fflush(stderr);
    return r;
}

void emu_radio_destroy(emu_radio_t *r)
{
    if (r == NULL) {
        return;
    }
    if (r->cfd >= 0) {
        close(r->cfd);
    }
    if (r->lfd >= 0) {
        close(r->lfd);
    }
    if (r->is_unix) {
        unlink(r->addr);
    }
    free(r);
}

void emu_radio_stop(emu_radio_t *r)
{
    r->stopping = true;
    (void)shutdown(r->lfd, SHUT_RDWR);
    if (r->cfd >= 0) {
        (void)shutdown(r->cfd, SHUT_RDWR);
    }
}

const char *emu_radio_address(const emu_radio_t *r)
{
    return r->addr;
}

uint64_t emu_radio_link_bytes(const emu_radio_t *r)
{
    return r->link_bytes;
}

/* Upper bound of the ATT payload rate (bytes/s) of the configured link for back-to-back
 * writes without response of att_payload bytes: the same packing rules with a link that is
 * never short of data, CPU2 buffers or events (1 s of simulated link time on a scratch copy). */
double emu_radio_theoretical_bps(const emu_radio_t *r, unsigned att_payload)
{
    emu_radio_t *x = malloc(sizeof *x);
    if (x == NULL) {
        return 0.0;
    }
    memcpy(x, r, sizeof *x);
    x->t0 = x->anchor = x->cursor = 0;
    x->pkts = 0;
    uint64_t bytes = 0, busy = 0, t = 0;
    while ((t = prv_link_place_at(x, 3u + att_payload, &busy, x->cursor)) < 1000000000ull) {
        bytes += att_payload;
    }
    free(x);
    return (double)bytes;
}
