/* BLE layer: parameter encoding, AD building, address derivation, event decoding.
 * Pure (host-tested by tests/unit/test_wb_ble.c). */
#include "../include/wb/ble.h"

#include <string.h>

#include "wbota/bytes.h"

void wb_ble_addr_from_uid64(uint32_t w0, uint32_t w1, bool plus1, uint8_t addr[WB_BLE_ADDR_LEN])
{
    if (w0 == 0xFFFFFFFFu) {
        /* erased/absent UID64: a fixed ST-company address so the device still advertises */
        w0 = 0x0000E1A5u;
        w1 = 0x0080E126u;
    }
    uint32_t company = (w1 >> 8) & 0x00FFFFFFu;
    addr[0] = (uint8_t)w0;
    addr[1] = (uint8_t)(w0 >> 8);
    addr[2] = (uint8_t)w1; /* device id */
    addr[3] = (uint8_t)company;
    addr[4] = (uint8_t)(company >> 8);
    addr[5] = (uint8_t)(company >> 16);
    if (plus1) {
        addr[0] = (uint8_t)(addr[0] + 1u); /* no carry, as ST's clients expect */
    }
}

size_t wb_ble_manuf_data(uint8_t dev_id, uint8_t feature, const uint8_t addr[WB_BLE_ADDR_LEN],
                         uint8_t out[14])
{
    out[0] = 0x0Du; /* AD length: type + 12 bytes */
    out[1] = WB_AD_TYPE_MANUF;
    out[2] = 0x01u; /* ST's manufacturer-data format version */
    out[3] = dev_id;
    out[4] = feature;
    out[5] = 0x00u;
    out[6] = 0x00u;
    out[7] = 0x00u;
    for (size_t i = 0u; i < WB_BLE_ADDR_LEN; i++) {
        out[8u + i] = addr[WB_BLE_ADDR_LEN - 1u - i]; /* MSB first on the air */
    }
    return 14u;
}

void wb_ble_evt_parse(const wb_tl_evt_t *evt, wb_ble_evt_t *out)
{
    memset(out, 0, sizeof(*out));
    out->kind = WB_BLE_EVT_OTHER;
    const uint8_t *p = evt->payload;
    size_t n = evt->plen;
    switch (evt->code) {
    case WB_HCI_EVT_DISCONN_COMPLETE:
        if (n >= 4u) {
            out->kind = WB_BLE_EVT_DISCONNECTED;
            out->status = p[0];
            out->conn = wbota_get_le16(&p[1]);
            out->reason = p[3];
        }
        break;
    case WB_HCI_EVT_LE_META:
        if (n >= 4u && (p[0] == WB_HCI_LE_CONN_COMPLETE || p[0] == WB_HCI_LE_ENH_CONN_COMPLETE)) {
            out->kind = WB_BLE_EVT_CONNECTED;
            out->status = p[1];
            out->conn = wbota_get_le16(&p[2]);
            /* subevent, status, handle, role, peer type, peer address (+ two resolvable
             * addresses in the enhanced event), then the interval */
            const size_t at = (p[0] == WB_HCI_LE_ENH_CONN_COMPLETE) ? 24u : 12u;
            out->interval = (n >= at + 2u) ? wbota_get_le16(&p[at]) : 0u;
        } else if (n >= 3u && p[0] == WB_HCI_LE_DATA_LENGTH_CHANGE) {
            out->kind = WB_BLE_EVT_DATA_LENGTH;
            out->conn = wbota_get_le16(&p[1]);
        }
        break;
    case WB_HCI_EVT_VENDOR: {
        if (n < 4u) {
            break;
        }
        uint16_t sub = wbota_get_le16(&p[0]);
        out->conn = wbota_get_le16(&p[2]);
        if (sub == WB_ACI_EVT_ATTR_MODIFIED && n >= 10u) {
            uint16_t len = wbota_get_le16(&p[8]);
            if (len > n - 10u) {
                break; /* claims more data than the event holds */
            }
            out->kind = WB_BLE_EVT_ATTR_MODIFIED;
            out->attr = wbota_get_le16(&p[4]);
            /* offset bits 14..0; bit 15 set = more fragments of the same write follow (a
             * 248-byte write does not fit one event). Fragments arrive in order, so stream
             * consumers (FE24) take each one as a chunk. */
            out->offset = (uint16_t)(wbota_get_le16(&p[6]) & 0x7FFFu);
            out->more = (p[7] & 0x80u) != 0u;
            out->len = len;
            out->data = &p[10];
        } else if (sub == WB_ACI_EVT_SERVER_CONFIRMATION) {
            out->kind = WB_BLE_EVT_SERVER_CONFIRM;
        } else if (sub == WB_ACI_EVT_MTU_EXCHANGE && n >= 6u) {
            out->kind = WB_BLE_EVT_MTU;
            out->mtu = wbota_get_le16(&p[4]);
        } else if (sub == WB_ACI_EVT_WRITE_PERMIT_REQ && n >= 7u) {
            uint8_t len = p[6];
            if ((size_t)len > n - 7u) {
                break;
            }
            out->kind = WB_BLE_EVT_WRITE_PERMIT;
            out->attr = wbota_get_le16(&p[4]);
            out->len = len;
            out->data = &p[7];
        }
        break;
    }
    default:
        break;
    }
}

static size_t prv_uuid_put(const wb_uuid_t *u, uint8_t *out)
{
    size_t n = (u->type == 1u) ? 2u : 16u;
    out[0] = u->type;
    memcpy(&out[1], u->uuid, n);
    return 1u + n;
}

size_t wb_aci_add_service_params(const wb_uuid_t *uuid, uint8_t max_records, uint8_t *out,
                                 size_t cap)
{
    if (cap < 1u + 16u + 2u) {
        return 0u;
    }
    size_t n = prv_uuid_put(uuid, out);
    out[n++] = 0x01u; /* primary */
    out[n++] = max_records;
    return n;
}

size_t wb_aci_add_char_params(const wb_aci_char_t *c, uint8_t *out, size_t cap)
{
    if (cap < 2u + 17u + 7u) {
        return 0u;
    }
    wbota_put_le16(out, c->service);
    size_t n = 2u + prv_uuid_put(&c->uuid, &out[2]);
    wbota_put_le16(&out[n], c->value_len);
    n += 2u;
    out[n++] = c->props;
    out[n++] = c->perms;
    out[n++] = c->evt_mask;
    out[n++] = c->enc_key_size;
    out[n++] = c->is_variable;
    return n;
}

size_t wb_aci_update_char_params(uint16_t service, uint16_t chr, uint8_t offset, const uint8_t *val,
                                 uint8_t len, uint8_t *out, size_t cap)
{
    if (cap < 6u + (size_t)len || (len > 0u && val == NULL)) {
        return 0u;
    }
    wbota_put_le16(&out[0], service);
    wbota_put_le16(&out[2], chr);
    out[4] = offset;
    out[5] = len;
    if (len > 0u) {
        memcpy(&out[6], val, len);
    }
    return 6u + len;
}

size_t wb_aci_set_discoverable_params(uint16_t adv_min, uint16_t adv_max, const char *name,
                                      uint8_t *out, size_t cap)
{
    size_t name_len = name != NULL ? strlen(name) : 0u;
    if (name_len > WB_ADV_DATA_MAX - 5u || cap < 14u + name_len) {
        return 0u;
    }
    size_t n = 0u;
    out[n++] = 0x00u; /* ADV_IND: connectable undirected */
    wbota_put_le16(&out[n], adv_min);
    n += 2u;
    wbota_put_le16(&out[n], adv_max);
    n += 2u;
    out[n++] = 0x00u; /* own address: public */
    out[n++] = 0x00u; /* filter policy: none */
    out[n++] = (uint8_t)(name_len + 1u);
    out[n++] = WB_AD_TYPE_NAME;
    if (name_len > 0u) {
        memcpy(&out[n], name, name_len);
        n += name_len;
    }
    out[n++] = 0x00u;                 /* no service UUID list */
    wbota_put_le16(&out[n], 0x0000u); /* no connection interval preference */
    n += 2u;
    wbota_put_le16(&out[n], 0x0000u);
    n += 2u;
    return n;
}
