/* cpu2_ble.c - CPU2 model, BLE side: the minimal GATT-server ACI command set (reference
 * section 6) with its return parameters and handles, the GATT database, advertising state and
 * the air functions of emu_cpu2.h used by the virtual radio. */
#include <stdio.h>
#include <string.h>

#include "cpu2_priv.h"
#include "emu_radio_wire.h"
#include "wbota_wire.h" /* wbota_ad_valid: the one AD parser of the host */

#define C2_STATUS_OK           0x00u
#define C2_STATUS_UNKNOWN_CONN 0x02u
#define C2_STATUS_DISALLOWED   0x0Cu
#define C2_STATUS_INVALID      0x12u
#define C2_STATUS_NO_RESOURCES 0x64u

#define C2_EVT_MASK_ATTR_WRITE 0x01u

#define C2_ATT_OK             0x00u
#define C2_ATT_INVALID_HANDLE 0x01u
#define C2_ATT_READ_NOT_PERM  0x02u
#define C2_ATT_WRITE_NOT_PERM 0x03u
#define C2_ATT_INVALID_LEN    0x0Du
#define C2_ATT_UNLIKELY       0x0Eu

void c2_ble_reset(emu_cpu2_t *c2)
{
    c2->gatt_inited = false;
    c2->gap_inited = false;
    c2->next_handle = 1;
    c2->nsvcs = 0;
    c2->nchars = 0;
    c2->addr_set = false;
    c2->discoverable = false;
    c2->adv_len = 0;
    c2->scan_rsp_len = 0;
    c2->connected = false;
    c2->ind_pending = false;
    c2->mtu = 23;
}

static void prv_cc(emu_cpu2_t *c2, uint16_t op, uint8_t status, const uint8_t *ret, size_t n)
{
    c2_evt_t e = {.is_cmd_rsp = true, .code = 0x0E, .plen = (uint8_t)(4u + n)};
    e.payload[0] = 1;
    c2_put16(e.payload + 1, op);
    e.payload[3] = status;
    if (n > 0) {
        memcpy(e.payload + 4, ret, n);
    }
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 BLE rsp 0x%04X status 0x%02X", op, status);
    c2_post_ble(c2, &e);
}

static void prv_cs(emu_cpu2_t *c2, uint16_t op, uint8_t status)
{
    c2_evt_t e = {.is_cmd_rsp = true, .code = 0x0F, .plen = 4};
    e.payload[0] = status;
    e.payload[1] = 1;
    c2_put16(e.payload + 2, op);
    c2_post_ble(c2, &e);
}

static void prv_malformed(emu_cpu2_t *c2, uint16_t op, uint8_t plen, const char *why)
{
    char d[128];
    snprintf(d, sizeof d, "ACI 0x%04X plen %u: %s", op, plen, why);
    c2_fail(c2, "MALFORMED_PACKET", d);
}

static c2_char_t *prv_char_by_decl(emu_cpu2_t *c2, uint16_t decl)
{
    for (unsigned i = 0; i < c2->nchars; i++) {
        if (c2->chars[i].decl_handle == decl) {
            return &c2->chars[i];
        }
    }
    return NULL;
}

static c2_service_t *prv_svc(emu_cpu2_t *c2, uint16_t h)
{
    for (unsigned i = 0; i < c2->nsvcs; i++) {
        if (c2->svcs[i].handle == h) {
            return &c2->svcs[i];
        }
    }
    return NULL;
}

static bool prv_has_cccd(const c2_char_t *ch)
{
    return (ch->props & (EMU_PROP_NOTIFY | EMU_PROP_INDICATE)) != 0;
}

/* Adds a characteristic without checks (GATT/GAP built-ins and add_char). */
static c2_char_t *prv_new_char(emu_cpu2_t *c2, c2_service_t *svc, const uint8_t *uuid,
                               uint8_t uuid_len, uint8_t props, uint16_t max_len)
{
    if (c2->nchars >= C2_MAX_CHARS || max_len > C2_MAX_VALUE) {
        return NULL;
    }
    unsigned records = 2u + ((props & (EMU_PROP_NOTIFY | EMU_PROP_INDICATE)) ? 1u : 0u);
    if ((unsigned)svc->next + records - 1u > svc->end) {
        return NULL;
    }
    c2_char_t *ch = &c2->chars[c2->nchars++];
    memset(ch, 0, sizeof *ch);
    ch->service = svc->handle;
    ch->decl_handle = svc->next;
    ch->uuid_len = uuid_len;
    memcpy(ch->uuid, uuid, uuid_len);
    ch->props = props;
    ch->max_len = max_len;
    svc->next = (uint16_t)(svc->next + records);
    return ch;
}

static c2_service_t *prv_new_service(emu_cpu2_t *c2, unsigned records)
{
    if (c2->nsvcs >= sizeof c2->svcs / sizeof c2->svcs[0] || records == 0 ||
        c2->next_handle + records > 0xFFFFu) {
        return NULL;
    }
    c2_service_t *s = &c2->svcs[c2->nsvcs++];
    s->handle = c2->next_handle;
    s->end = (uint16_t)(c2->next_handle + records - 1u);
    s->next = (uint16_t)(s->handle + 1u);
    c2->next_handle = (uint16_t)(s->end + 1u);
    return s;
}

static void prv_gatt_init(emu_cpu2_t *c2)
{
    c2_ble_reset(c2);
    static const uint8_t svc_changed[2] = {0x05, 0x2A};
    c2_service_t *s = prv_new_service(c2, 4);
    (void)prv_new_char(c2, s, svc_changed, 2, EMU_PROP_INDICATE, 4);
    c2->gatt_inited = true;
}

static void prv_gap_init(emu_cpu2_t *c2, uint16_t op, const uint8_t *p)
{
    static const uint8_t name_uuid[2] = {0x00, 0x2A};
    static const uint8_t appearance_uuid[2] = {0x01, 0x2A};
    static const uint8_t ppcp_uuid[2] = {0x04, 0x2A};
    if (!c2->gatt_inited) {
        c2_fail(c2, "GATT_INIT_ORDER", "aci_gap_init before aci_gatt_init");
        return;
    }
    if (c2->gap_inited) {
        prv_cc(c2, op, C2_STATUS_DISALLOWED, NULL, 0);
        return;
    }
    c2_service_t *s = prv_new_service(c2, 7);
    c2_char_t *name = prv_new_char(c2, s, name_uuid, 2, EMU_PROP_READ, p[2] > 0 ? p[2] : 1);
    c2_char_t *app = prv_new_char(c2, s, appearance_uuid, 2, EMU_PROP_READ, 2);
    (void)prv_new_char(c2, s, ppcp_uuid, 2, EMU_PROP_READ, 8);
    if (name == NULL || app == NULL) {
        prv_cc(c2, op, C2_STATUS_NO_RESOURCES, NULL, 0);
        return;
    }
    c2->gap_inited = true;
    uint8_t r[6];
    c2_put16(r, s->handle);
    c2_put16(r + 2, name->decl_handle);
    c2_put16(r + 4, app->decl_handle);
    prv_cc(c2, op, C2_STATUS_OK, r, sizeof r);
}

static bool prv_uuid_len(uint8_t type, uint8_t *len)
{
    if (type == 1) {
        *len = 2;
    } else if (type == 2) {
        *len = 16;
    } else {
        return false;
    }
    return true;
}

static void prv_add_service(emu_cpu2_t *c2, uint16_t op, const uint8_t *p, uint8_t plen)
{
    uint8_t ul;
    if (plen < 1 || !prv_uuid_len(p[0], &ul) || plen != 1u + ul + 2u) {
        prv_malformed(c2, op, plen, "uuid type 1|2, uuid, service type, max records");
        return;
    }
    if (!c2->gatt_inited) {
        c2_fail(c2, "GATT_INIT_ORDER", "aci_gatt_add_service before aci_gatt_init");
        return;
    }
    if (p[1 + ul] != 0x01 && p[1 + ul] != 0x02) {
        prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
        return;
    }
    c2_service_t *s = prv_new_service(c2, p[2 + ul]);
    if (s == NULL) {
        prv_cc(c2, op, C2_STATUS_NO_RESOURCES, NULL, 0);
        return;
    }
    uint8_t r[2];
    c2_put16(r, s->handle);
    prv_cc(c2, op, C2_STATUS_OK, r, 2);
}

static void prv_add_char(emu_cpu2_t *c2, uint16_t op, const uint8_t *p, uint8_t plen)
{
    uint8_t ul;
    if (plen < 3 || !prv_uuid_len(p[2], &ul) || plen != 3u + ul + 7u) {
        prv_malformed(c2, op, plen,
                      "service, uuid type, uuid, len u16, props, perms, mask, "
                      "key size, is_variable");
        return;
    }
    c2_service_t *s = prv_svc(c2, c2_get16(p));
    if (s == NULL) {
        prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
        return;
    }
    const uint8_t *q = p + 3 + ul;
    uint16_t max_len = c2_get16(q);
    c2_char_t *ch = prv_new_char(c2, s, p + 3, ul, q[2], max_len);
    if (ch == NULL) {
        prv_cc(c2, op, C2_STATUS_NO_RESOURCES, NULL, 0);
        return;
    }
    ch->evt_mask = q[4];
    ch->is_variable = q[6] != 0;
    ch->len = ch->is_variable ? 0 : max_len;
    uint8_t r[2];
    c2_put16(r, ch->decl_handle);
    prv_cc(c2, op, C2_STATUS_OK, r, 2);
}

static void prv_update_char(emu_cpu2_t *c2, uint16_t op, const uint8_t *p, uint8_t plen)
{
    if (plen < 6 || plen != 6u + p[5]) {
        prv_malformed(c2, op, plen, "service, char, offset u8, len u8, value");
        return;
    }
    c2_char_t *ch = prv_char_by_decl(c2, c2_get16(p + 2));
    if (ch == NULL || ch->service != c2_get16(p)) {
        prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
        return;
    }
    unsigned off = p[4], n = p[5];
    if (off + n > ch->max_len) {
        prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
        return;
    }
    bool indicate = c2->connected && (ch->props & EMU_PROP_INDICATE) && (ch->cccd & 0x2u);
    bool notify = c2->connected && (ch->props & EMU_PROP_NOTIFY) && (ch->cccd & 0x1u);
    if (indicate && c2->ind_pending) {
        prv_cc(c2, op, C2_STATUS_NO_RESOURCES, NULL, 0); /* one indication in flight (ATT) */
        return;
    }
    memcpy(ch->value + off, p + 6, n);
    if (ch->is_variable || off + n > ch->len) {
        ch->len = (uint16_t)(off + n);
    }
    prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
    uint16_t vh = (uint16_t)(ch->decl_handle + 1u);
    if (indicate) {
        c2->ind_pending = true;
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 air: indication handle 0x%04X len %u", vh,
                  ch->len);
        if (c2->sink.indicate_cb) {
            c2->sink.indicate_cb(c2->sink.ctx, vh, ch->value, ch->len);
        }
    } else if (notify && c2->sink.notify_cb) {
        c2->sink.notify_cb(c2->sink.ctx, vh, ch->value, ch->len);
    }
}

static void prv_ad_put(emu_cpu2_t *c2, const uint8_t *ad, size_t n)
{
    /* replace an AD structure of the same type, else append */
    uint8_t out[C2_ADV_MAX * 2];
    size_t o = 0, i = 0;
    while (i < c2->adv_len) {
        size_t l = 1u + c2->adv[i];
        if (c2->adv[i + 1] != ad[1]) {
            memcpy(out + o, c2->adv + i, l);
            o += l;
        }
        i += l;
    }
    memcpy(out + o, ad, n);
    o += n;
    if (o <= C2_ADV_MAX) {
        memcpy(c2->adv, out, o);
        c2->adv_len = o;
    }
}

static void prv_set_discoverable(emu_cpu2_t *c2, uint16_t op, const uint8_t *p, uint8_t plen)
{
    /* type, itv min, itv max, own addr type, filter, name len, name, uuid len, uuids,
     * conn itv min, conn itv max */
    if (plen < 8) {
        prv_malformed(c2, op, plen, "too short");
        return;
    }
    size_t nl = p[7];
    if (plen < 8u + nl + 1u) {
        prv_malformed(c2, op, plen, "local name length");
        return;
    }
    size_t ul = p[8 + nl];
    if (plen != 8u + nl + 1u + ul + 4u) {
        prv_malformed(c2, op, plen, "service uuid list length / conn interval");
        return;
    }
    if (c2->connected) {
        prv_cc(c2, op, C2_STATUS_DISALLOWED, NULL, 0);
        return;
    }
    uint8_t adv[C2_ADV_MAX + 40];
    size_t n = 0;
    adv[n++] = 2;
    adv[n++] = 0x01;
    adv[n++] = 0x06; /* LE general discoverable, BR/EDR not supported */
    if (nl > 0) {
        adv[n++] = (uint8_t)nl; /* name bytes include their AD type (0x08/0x09) */
        memcpy(adv + n, p + 8, nl);
        n += nl;
    }
    if (ul > 0) {
        adv[n++] = (uint8_t)ul;
        memcpy(adv + n, p + 9 + nl, ul);
        n += ul;
    }
    if (n > C2_ADV_MAX) {
        prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
        return;
    }
    memcpy(c2->adv, adv, n);
    c2->adv_len = n;
    c2->discoverable = true;
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2: advertising (%zu AD bytes)", n);
    prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
}

static void prv_update_adv(emu_cpu2_t *c2, uint16_t op, const uint8_t *p, uint8_t plen)
{
    if (plen < 1 || plen != 1u + p[0]) {
        prv_malformed(c2, op, plen, "len u8, AD data");
        return;
    }
    if (!wbota_ad_valid(p + 1, p[0])) {
        prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
        return;
    }
    size_t i = 0;
    while (i < p[0]) {
        size_t l = 1u + p[1 + i];
        prv_ad_put(c2, p + 1 + i, l);
        i += l;
    }
    prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
}

static void prv_disconnect_now(emu_cpu2_t *c2, uint8_t reason_evt)
{
    c2->connected = false;
    c2->ind_pending = false;
    for (unsigned i = 0; i < c2->nchars; i++) {
        c2->chars[i].cccd = 0; /* no bonding: CCCDs do not survive the link */
    }
    c2_evt_t e = {.code = 0x05, .plen = 4};
    e.payload[0] = 0;
    c2_put16(e.payload + 1, C2_CONN_HANDLE);
    e.payload[3] = reason_evt;
    c2_post_ble(c2, &e);
}

typedef struct {
    uint16_t op;
    uint8_t plen; /* exact parameter length, 0xFF = variable (checked by the handler) */
} c2_fixed_t;

static const c2_fixed_t s_fixed[] = {
    {0x0C03, 0}, {0xFC0F, 2},  {0xFD01, 0}, {0xFC8A, 3}, {0xFD25, 2},  {0x0406, 3}, {0x2022, 6},
    {0x2031, 3}, {0x2009, 32}, {0xFC81, 0}, {0xFC85, 1}, {0xFC86, 12}, {0xFC92, 0}, {0xFC18, 2},
};

void c2_ble_command(emu_cpu2_t *c2, uint16_t op, const uint8_t *p, uint8_t plen)
{
    for (size_t i = 0; i < sizeof s_fixed / sizeof s_fixed[0]; i++) {
        if (s_fixed[i].op == op && s_fixed[i].plen != plen) {
            prv_malformed(c2, op, plen, "wrong parameter length");
            return;
        }
    }
    switch (op) {
    case 0x0C03: /* hci_reset: link layer back to standby, GATT database kept */
        c2->discoverable = false;
        c2->scan_rsp_len = 0; /* controller data back to its default (empty) */
        c2->connected = false;
        c2->ind_pending = false;
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFC0C: /* aci_hal_write_config_data */
        if (plen < 2 || plen != 2u + p[1]) {
            prv_malformed(c2, op, plen, "offset, len, value");
            return;
        }
        if (p[0] == 0x00) {
            if (p[1] != 6) {
                prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
                return;
            }
            memcpy(c2->pub_addr_lsb, p + 2, 6); /* ACI: LSB first */
            c2->addr_set = true;
        }
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFC0F: /* aci_hal_set_tx_power_level */
    case 0x2031: /* hci_le_set_default_phy */
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFD01:
        prv_gatt_init(c2);
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFC8A:
        prv_gap_init(c2, op, p);
        return;
    case 0xFD02:
        prv_add_service(c2, op, p, plen);
        return;
    case 0xFD04:
        prv_add_char(c2, op, p, plen);
        return;
    case 0xFD06:
        prv_update_char(c2, op, p, plen);
        return;
    case 0xFC85: /* aci_gap_set_io_capability: 0 display only .. 4 keyboard display */
        prv_cc(c2, op, p[0] <= 4u ? C2_STATUS_OK : C2_STATUS_INVALID, NULL, 0);
        return;
    case 0xFC86: /* aci_gap_set_authentication_requirement: bonding, MITM, SC support, keypress,
                  * min/max encryption key size (7..16), fixed pin flag, pin (4), address type */
        prv_cc(c2, op,
               (p[4] >= 7u && p[5] <= 16u && p[4] <= p[5]) ? C2_STATUS_OK : C2_STATUS_INVALID, NULL,
               0);
        return;
    case 0xFC92: /* aci_gap_configure_whitelist (filter accept list from bonded devices) */
    case 0xFC18: /* aci_hal_set_radio_activity_mask (radio events are not reported) */
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFC81: /* aci_gap_set_non_discoverable */
        c2->discoverable = false;
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFC83:
        prv_set_discoverable(c2, op, p, plen);
        return;
    case 0xFC8E:
        prv_update_adv(c2, op, p, plen);
        return;
    case 0x2009: /* hci_le_set_scan_response_data: u8 len, 31 data bytes (only len used) */
        if (p[0] > C2_ADV_MAX || !wbota_ad_valid(p + 1, p[0])) {
            prv_cc(c2, op, C2_STATUS_INVALID, NULL, 0);
            return;
        }
        memcpy(c2->scan_rsp, p + 1, p[0]);
        c2->scan_rsp_len = p[0];
        prv_cc(c2, op, C2_STATUS_OK, NULL, 0);
        return;
    case 0xFD25: /* aci_gatt_confirm_indication (client role; accepted) */
        prv_cc(c2, op, c2->connected ? C2_STATUS_OK : C2_STATUS_UNKNOWN_CONN, NULL, 0);
        return;
    case 0xFD26: /* aci_gatt_permit_write / write response */
        if (plen < 7 || plen != 7u + p[6]) {
            prv_malformed(c2, op, plen, "conn, attr, status, err, len, value");
            return;
        }
        prv_cc(c2, op, c2->connected ? C2_STATUS_OK : C2_STATUS_UNKNOWN_CONN, NULL, 0);
        return;
    case 0x0406: /* hci_disconnect: command status, then disconnection complete */
        if (!c2->connected || c2_get16(p) != C2_CONN_HANDLE) {
            prv_cs(c2, op, C2_STATUS_UNKNOWN_CONN);
            return;
        }
        prv_cs(c2, op, C2_STATUS_OK);
        if (c2->sink.disconnected_cb) {
            c2->sink.disconnected_cb(c2->sink.ctx, p[2]);
        }
        prv_disconnect_now(c2, 0x16); /* connection terminated by local host */
        return;
    case 0x2022: { /* hci_le_set_data_length */
        uint8_t r[2];
        c2_put16(r, c2_get16(p));
        prv_cc(c2, op, c2->connected ? C2_STATUS_OK : C2_STATUS_UNKNOWN_CONN, r, 2);
        return;
    }
    default: {
        char d[64];
        snprintf(d, sizeof d, "ACI/HCI opcode 0x%04X not supported by the model", op);
        c2_fail(c2, "UNSUPPORTED_OPCODE", d);
        return;
    }
    }
}

/* ---- air side ---- */

bool emu_cpu2_adv(const emu_cpu2_t *c2, uint8_t addr[6], uint8_t *adv, size_t *adv_len)
{
    if (c2->failed || !c2->ready || c2->fus || !c2->ble_inited || !c2->discoverable ||
        c2->connected) {
        return false;
    }
    for (unsigned i = 0; i < 6; i++) {
        addr[i] = c2->pub_addr_lsb[5 - i]; /* MSB first on the wire/in print */
    }
    memcpy(adv, c2->adv, c2->adv_len);
    *adv_len = c2->adv_len;
    return true;
}

size_t emu_cpu2_scan_rsp(const emu_cpu2_t *c2, uint8_t rsp[31])
{
    memcpy(rsp, c2->scan_rsp, c2->scan_rsp_len);
    return c2->scan_rsp_len;
}

bool emu_cpu2_connect(emu_cpu2_t *c2, const uint8_t central_addr[6])
{
    uint8_t a[6], ad[C2_ADV_MAX];
    size_t n;
    if (!emu_cpu2_adv(c2, a, ad, &n)) {
        return false;
    }
    c2->connected = true;
    c2->discoverable = false;
    c2->mtu = 23;
    c2->ind_pending = false;
    c2_evt_t e = {.code = 0x3E, .plen = 19};
    e.payload[0] = 0x01; /* LE connection complete */
    e.payload[1] = 0x00;
    c2_put16(e.payload + 2, C2_CONN_HANDLE);
    e.payload[4] = 0x01; /* role: peripheral */
    e.payload[5] = 0x00; /* public peer address */
    for (unsigned i = 0; i < 6; i++) {
        e.payload[6 + i] = central_addr[5 - i];
    }
    /* the radio's interval (1.25 ms units), 15 ms unless the radio set another */
    c2_put16(e.payload + 12, c2->conn_interval_units != 0 ? c2->conn_interval_units : 12);
    c2_put16(e.payload + 14, 0);   /* latency */
    c2_put16(e.payload + 16, 400); /* supervision timeout 4 s (10 ms units) */
    e.payload[18] = 0;
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 air: connected");
    c2_post_ble(c2, &e);
    return true;
}

void emu_cpu2_set_conn_interval(emu_cpu2_t *c2, uint32_t interval_us)
{
    c2->conn_interval_units = (uint16_t)(interval_us / 1250u);
}

void emu_cpu2_disconnect(emu_cpu2_t *c2, uint8_t reason)
{
    if (!c2->connected) {
        return;
    }
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 air: central disconnected (0x%02X)", reason);
    prv_disconnect_now(c2, reason);
}

bool emu_cpu2_connected(const emu_cpu2_t *c2)
{
    return c2->connected;
}

uint16_t emu_cpu2_mtu_exchange(emu_cpu2_t *c2, uint16_t client_mtu)
{
    uint16_t m = client_mtu < c2->att_mtu_max ? client_mtu : c2->att_mtu_max;
    if (m < 23) {
        m = 23;
    }
    if (!c2->connected) {
        return 23;
    }
    c2->mtu = m;
    uint8_t p[4];
    c2_put16(p, C2_CONN_HANDLE);
    c2_put16(p + 2, m);
    c2_post_vendor(c2, 0x0C03, p, 4);
    return m;
}

size_t emu_cpu2_discover(const emu_cpu2_t *c2, emu_gatt_char_t *out, size_t max)
{
    size_t n = 0;
    for (unsigned i = 0; i < c2->nchars && n < max; i++) {
        const c2_char_t *ch = &c2->chars[i];
        out[n].decl_handle = ch->decl_handle;
        out[n].value_handle = (uint16_t)(ch->decl_handle + 1u);
        out[n].props = ch->props;
        out[n].uuid_len = ch->uuid_len;
        memcpy(out[n].uuid, ch->uuid, ch->uuid_len);
        n++;
    }
    return n;
}

static void prv_attr_modified(emu_cpu2_t *c2, uint16_t handle, const uint8_t *d, size_t len)
{
    size_t off = 0;
    do {
        size_t n = len - off > C2_ATTR_MOD_MAX ? C2_ATTR_MOD_MAX : len - off;
        bool more = off + n < len;
        uint8_t p[8 + C2_ATTR_MOD_MAX];
        c2_put16(p, C2_CONN_HANDLE);
        c2_put16(p + 2, handle);
        c2_put16(p + 4, (uint16_t)(off | (more ? 0x8000u : 0u))); /* bit 15: more follows */
        c2_put16(p + 6, (uint16_t)n);
        memcpy(p + 8, d + off, n);
        c2_queue_vendor(c2, 0x0C01, p, 8 + n);
        off += n;
    } while (off < len);
    c2_flush(c2); /* one IPCC signal for the whole write */
}

unsigned emu_cpu2_write_cost(size_t len)
{
    return len <= C2_ATTR_MOD_MAX ? 1u : (unsigned)((len + C2_ATTR_MOD_MAX - 1u) / C2_ATTR_MOD_MAX);
}

uint8_t emu_cpu2_att_write(emu_cpu2_t *c2, uint16_t handle, const uint8_t *data, size_t len,
                           bool with_response)
{
    if (!c2->connected || c2->failed) {
        return C2_ATT_UNLIKELY;
    }
    for (unsigned i = 0; i < c2->nchars; i++) {
        c2_char_t *ch = &c2->chars[i];
        uint16_t vh = (uint16_t)(ch->decl_handle + 1u);
        if (prv_has_cccd(ch) && handle == vh + 1u) {
            if (len != 2) {
                return C2_ATT_INVALID_LEN;
            }
            ch->cccd = c2_get16(data);
            emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 air: CCCD 0x%04X = 0x%04X", handle, ch->cccd);
            prv_attr_modified(c2, handle, data, len);
            return C2_ATT_OK;
        }
        if (handle != vh) {
            continue;
        }
        uint8_t need = with_response ? EMU_PROP_WRITE : EMU_PROP_WRITE_NO_RSP;
        if ((ch->props & need) == 0) {
            return C2_ATT_WRITE_NOT_PERM;
        }
        if (len > ch->max_len) {
            return C2_ATT_INVALID_LEN;
        }
        memcpy(ch->value, data, len);
        if (ch->is_variable || len > ch->len) {
            ch->len = (uint16_t)len;
        }
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 air: write 0x%04X len %zu", handle, len);
        if (ch->evt_mask & C2_EVT_MASK_ATTR_WRITE) {
            prv_attr_modified(c2, handle, data, len);
        }
        return C2_ATT_OK;
    }
    return C2_ATT_INVALID_HANDLE;
}

uint8_t emu_cpu2_att_read(emu_cpu2_t *c2, uint16_t handle, uint8_t *data, size_t *len)
{
    for (unsigned i = 0; i < c2->nchars; i++) {
        c2_char_t *ch = &c2->chars[i];
        uint16_t vh = (uint16_t)(ch->decl_handle + 1u);
        if (prv_has_cccd(ch) && handle == vh + 1u) {
            c2_put16(data, ch->cccd);
            *len = 2;
            return C2_ATT_OK;
        }
        if (handle == vh) {
            if ((ch->props & EMU_PROP_READ) == 0) {
                return C2_ATT_READ_NOT_PERM;
            }
            memcpy(data, ch->value, ch->len);
            *len = ch->len;
            return C2_ATT_OK;
        }
    }
    return C2_ATT_INVALID_HANDLE;
}

void emu_cpu2_indication_confirmed(emu_cpu2_t *c2)
{
    if (!c2->connected || !c2->ind_pending) {
        return; /* a confirmation without an indication is dropped by ATT */
    }
    c2->ind_pending = false;
    uint8_t p[2];
    c2_put16(p, C2_CONN_HANDLE);
    c2_post_vendor(c2, 0x0C17, p, 2);
}

void emu_cpu2_set_air_sink(emu_cpu2_t *c2, const emu_cpu2_air_sink_t *sink)
{
    c2->sink = *sink;
}

unsigned emu_cpu2_rx_credits(const emu_cpu2_t *c2)
{
    if (!c2->connected || c2->failed) {
        return 0;
    }
    unsigned pending = 0;
    for (unsigned i = 0; i < c2->ble_q.count; i++) {
        if (!c2->ble_q.e[(c2->ble_q.head + i) % C2_PENDING_MAX].is_cmd_rsp) {
            pending++;
        }
    }
    unsigned used = c2->blocks_in_use + pending;
    return used >= c2->nblocks ? 0u : c2->nblocks - used;
}
