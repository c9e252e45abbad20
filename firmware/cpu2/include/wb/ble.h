/* wb/ble.h - the project's small BLE layer (ACI/HCI over the CPU2 transport, reference
 * section 6): the minimal GATT-server command set, advertising data, the public address from
 * UID64, and decoding of the events a GATT server needs.
 * ONE implementation shared by the loader (OTA service) and apps (examples/hello-ota).
 * The encode/decode half (ble_pack.c) is pure and host-tested; ble.c sends through wb/cpu2.h.
 * All event fields come from CPU2 buffers whose content reflects what a peer sent: every
 * length is checked against the event's own length before use. */
#ifndef WB_BLE_H
#define WB_BLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl.h" /* sibling include: host tests compile this without extra paths */
#include "wbota/err.h"
#include "wbota/st_ota.h"

/* opcodes = (OGF << 10) | OCF */
#define WB_HCI_DISCONNECT              0x0406u
#define WB_HCI_RESET                   0x0C03u
#define WB_HCI_LE_SET_SCAN_RSP_DATA    0x2009u
#define WB_HCI_LE_SET_DATA_LENGTH      0x2022u
#define WB_ACI_HAL_WRITE_CONFIG_DATA   0xFC0Cu
#define WB_ACI_HAL_SET_TX_POWER_LEVEL  0xFC0Fu
#define WB_ACI_GAP_SET_DISCOVERABLE    0xFC83u
#define WB_ACI_GAP_INIT                0xFC8Au
#define WB_ACI_GAP_UPDATE_ADV_DATA     0xFC8Eu
#define WB_ACI_GATT_INIT               0xFD01u
#define WB_ACI_GATT_ADD_SERVICE        0xFD02u
#define WB_ACI_GATT_ADD_CHAR           0xFD04u
#define WB_ACI_GATT_UPDATE_CHAR_VALUE  0xFD06u
#define WB_ACI_GATT_CONFIRM_INDICATION 0xFD25u
#define WB_ACI_GATT_PERMIT_WRITE       0xFD26u

/* events */
#define WB_HCI_EVT_DISCONN_COMPLETE    0x05u
#define WB_HCI_EVT_LE_META             0x3Eu
#define WB_HCI_LE_CONN_COMPLETE        0x01u
#define WB_HCI_LE_DATA_LENGTH_CHANGE   0x07u
#define WB_HCI_LE_ENH_CONN_COMPLETE    0x0Au
#define WB_ACI_EVT_ATTR_MODIFIED       0x0C01u
#define WB_ACI_EVT_MTU_EXCHANGE        0x0C03u
#define WB_ACI_EVT_WRITE_PERMIT_REQ    0x0C13u
#define WB_ACI_EVT_SERVER_CONFIRMATION 0x0C17u

/* characteristic properties, permissions, event mask */
#define WB_CHAR_PROP_READ         0x02u
#define WB_CHAR_PROP_WRITE_NO_RSP 0x04u
#define WB_CHAR_PROP_WRITE        0x08u
#define WB_CHAR_PROP_NOTIFY       0x10u
#define WB_CHAR_PROP_INDICATE     0x20u
#define WB_ATTR_PERM_NONE         0x00u
#define WB_GATT_NOTIFY_ATTR_WRITE 0x01u

#define WB_BLE_ADDR_LEN     6u
#define WB_BLE_UID64_ADDR   0x1FFF7580u /* UID64 (RM0434 3.3.1), source of the public address */
#define WB_ADV_DATA_MAX     31u
#define WB_AD_TYPE_NAME     0x09u /* complete local name */
#define WB_AD_TYPE_MANUF    0xFFu
#define WB_MANUF_AD_LEN     14u                    /* ST's manufacturer element: 0D FF + 12 bytes */
#define WB_MANUF_DEV_LOADER WBOTA_ST_DEV_ID_LOADER /* wbota/st_ota.h */
#define WB_MANUF_FEAT_OTA   WBOTA_ST_FEAT_OTA_REBOOT /* wbota/st_ota.h */

typedef struct {
    uint8_t type;     /* 1 = 16-bit, 2 = 128-bit */
    uint8_t uuid[16]; /* little-endian (reversed from the string form) */
} wb_uuid_t;

/* Compile-time UUIDs (no text parsing in the firmware: docs/benchmarks.md#loader-size-3).
 * WB_UUID128(0xaaaaaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeeeeeeeeeee) is the wb_uuid_t of the text
 * form "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", its bytes reversed into the ACI order;
 * WB_UUID128_LE({16 bytes}) wraps bytes already in that order (wbota/st_ota.h's). */
#define WB_UUID_BYTE_(v, n) ((uint8_t)((v) >> (8u * (n))))
#define WB_UUID128(a, b, c, d, e)                                                                  \
    {                                                                                              \
        .type = 2u, .uuid = {                                                                      \
            WB_UUID_BYTE_(e, 0),                                                                   \
            WB_UUID_BYTE_(e, 1),                                                                   \
            WB_UUID_BYTE_(e, 2),                                                                   \
            WB_UUID_BYTE_(e, 3),                                                                   \
            WB_UUID_BYTE_(e, 4),                                                                   \
            WB_UUID_BYTE_(e, 5),                                                                   \
            WB_UUID_BYTE_(d, 0),                                                                   \
            WB_UUID_BYTE_(d, 1),                                                                   \
            WB_UUID_BYTE_(c, 0),                                                                   \
            WB_UUID_BYTE_(c, 1),                                                                   \
            WB_UUID_BYTE_(b, 0),                                                                   \
            WB_UUID_BYTE_(b, 1),                                                                   \
            WB_UUID_BYTE_(a, 0),                                                                   \
            WB_UUID_BYTE_(a, 1),                                                                   \
            WB_UUID_BYTE_(a, 2),                                                                   \
            WB_UUID_BYTE_(a, 3)                                                                    \
        }                                                                                          \
    }
#define WB_UUID128_LE(...)                                                                         \
    {                                                                                              \
        .type = 2u, .uuid = __VA_ARGS__                                                            \
    }

/* Public address as ST derives it from UID64 (w0 = word at 0x1FFF7580, w1 = next word),
 * LSB first (the ACI order): [udn 7..0][udn 15..8][device id][company id 7..0, 15..8, 23..16].
 * An erased UID64 (w0 == 0xFFFFFFFF) yields a fixed fallback address. plus1 adds 1 to byte 0
 * without carry (the loader's address = app address + 1). */
void wb_ble_addr_from_uid64(uint32_t w0, uint32_t w1, bool plus1, uint8_t addr[WB_BLE_ADDR_LEN]);

/* Manufacturer AD element of 14 bytes: 0D FF 01 <dev id> <feat> 00 00 00 <address MSB first>.
 * Returns 14. */
size_t wb_ble_manuf_data(uint8_t dev_id, uint8_t feature, const uint8_t addr[WB_BLE_ADDR_LEN],
                         uint8_t out[14]);

/* Decoded event kinds a GATT server acts on. */
typedef enum {
    WB_BLE_EVT_OTHER = 0,
    WB_BLE_EVT_CONNECTED,      /* conn, status */
    WB_BLE_EVT_DISCONNECTED,   /* conn, reason, status */
    WB_BLE_EVT_ATTR_MODIFIED,  /* conn, attr, offset, len, data */
    WB_BLE_EVT_SERVER_CONFIRM, /* conn: the client confirmed our indication */
    WB_BLE_EVT_MTU,            /* conn, mtu */
    WB_BLE_EVT_DATA_LENGTH,    /* conn */
    WB_BLE_EVT_WRITE_PERMIT,   /* conn, attr, len, data */
} wb_ble_evt_kind_t;

typedef struct {
    wb_ble_evt_kind_t kind;
    uint8_t status;
    uint8_t reason;
    uint16_t conn;
    uint16_t attr;
    uint16_t offset; /* ATTR_MODIFIED: offset of this fragment in the write */
    bool more;       /* ATTR_MODIFIED: more fragments of the same write follow */
    uint16_t mtu;
    uint16_t interval;   /* CONNECTED: connection interval in 1.25 ms units */
    uint16_t len;        /* bytes at data (bounded by the event) */
    const uint8_t *data; /* points into the event buffer */
} wb_ble_evt_t;

/* Decode an async BLE event. Malformed (short) events decode as WB_BLE_EVT_OTHER. */
void wb_ble_evt_parse(const wb_tl_evt_t *evt, wb_ble_evt_t *out);

/* ---- ACI parameter encoders (pure). Each returns the parameter length, 0 if it does not fit
 * cap. ---- */
size_t wb_aci_add_service_params(const wb_uuid_t *uuid, uint8_t max_records, uint8_t *out,
                                 size_t cap);
typedef struct {
    uint16_t service;
    wb_uuid_t uuid;
    uint16_t value_len;
    uint8_t props;
    uint8_t perms;
    uint8_t evt_mask;
    uint8_t enc_key_size;
    uint8_t is_variable;
} wb_aci_char_t;
size_t wb_aci_add_char_params(const wb_aci_char_t *c, uint8_t *out, size_t cap);
size_t wb_aci_update_char_params(uint16_t service, uint16_t chr, uint8_t offset, const uint8_t *val,
                                 uint8_t len, uint8_t *out, size_t cap);
/* ADV_IND, interval [min,max] in 0.625 ms units, public address, local name as an AD element
 * (0x09 + name), no service UUID list, no peripheral connection interval preference. */
size_t wb_aci_set_discoverable_params(uint16_t adv_min, uint16_t adv_max, const char *name,
                                      uint8_t *out, size_t cap);

/* ---- commands (bounded by WBOTA_CFG_CPU2_CMD_MS; nonzero status -> WBOTA_E_CPU2_CMD) ---- */
wbota_err_t wb_ble_hci_reset(void);
wbota_err_t wb_ble_set_public_address(const uint8_t addr[WB_BLE_ADDR_LEN]);
wbota_err_t wb_ble_set_tx_power(uint8_t en_high_power, uint8_t level);
wbota_err_t wb_ble_gatt_init(void);
/* GAP peripheral with the device name (also written into the GAP device-name char). */
wbota_err_t wb_ble_gap_init(const char *name);
wbota_err_t wb_ble_add_service(const wb_uuid_t *uuid, uint8_t max_records, uint16_t *handle);
wbota_err_t wb_ble_add_char(const wb_aci_char_t *c, uint16_t *handle);
/* Update a value; for an indicate/notify char with the CCCD enabled CPU2 sends it. */
wbota_err_t wb_ble_update_char(uint16_t service, uint16_t chr, const uint8_t *val, uint8_t len);
wbota_err_t wb_ble_set_discoverable(uint16_t adv_min, uint16_t adv_max, const char *name);
wbota_err_t wb_ble_update_adv_data(const uint8_t *ad, uint8_t len);
wbota_err_t wb_ble_confirm_indication(uint16_t conn);
wbota_err_t wb_ble_permit_write(uint16_t conn, uint16_t attr, uint8_t status, uint8_t err,
                                const uint8_t *val, uint8_t len);
wbota_err_t wb_ble_set_data_length(uint16_t conn, uint16_t tx_octets, uint16_t tx_time);
wbota_err_t wb_ble_disconnect(uint16_t conn, uint8_t reason);

/* ---- GATT-server bring-up shared by the loader and apps (one sequence, one place) ---- */
typedef struct {
    wb_uuid_t uuid; /* WB_UUID128(...) or WB_UUID128_LE(...) */
    uint16_t value_len;
    uint8_t props; /* WB_CHAR_PROP_* */
    uint8_t is_variable;
} wb_ble_char_def_t;

typedef struct {
    const char *name;       /* GAP device name */
    wb_uuid_t service_uuid; /* the one primary service: WB_UUID128(...) */
    uint8_t max_records;    /* attribute records of that service */
    uint8_t char_count;
    const wb_ble_char_def_t *chars;
} wb_ble_server_def_t;

/* After SHCI BLE_INIT: HCI reset, public address, GATT init, GAP init with the device name,
 * the service, then its characteristics in order (no security permissions, the server told of
 * each write, 16-byte key). handles[i] receives the declaration handle of chars[i] (value
 * = +1). First error wins. */
wbota_err_t wb_ble_server_up(const wb_ble_server_def_t *def, const uint8_t addr[WB_BLE_ADDR_LEN],
                             uint16_t *service, uint16_t *handles);
/* Start advertising: discoverable with the local name, then ST's manufacturer element
 * (wb_ble_manuf_data) as the advertising data. */
wbota_err_t wb_ble_advertise(uint16_t adv_min, uint16_t adv_max, const char *name, uint8_t dev_id,
                             uint8_t feature, const uint8_t addr[WB_BLE_ADDR_LEN]);
/* The same, then (info_len > 0) the scan response: the manufacturer element again with info
 * appended (docs/protocol.md#loader-adv), sent with HCI LE Set Scan Response Data (Core spec
 * Vol 4 Part E 7.8.8: a fixed 32-byte parameter, allowed while advertising). The scan
 * response's own status is ignored: a stack that refuses it still advertises like ST's loader.
 * info_len <= 31 - 14, else WBOTA_E_ARG. */
wbota_err_t wb_ble_advertise_info(uint16_t adv_min, uint16_t adv_max, const char *name,
                                  uint8_t dev_id, uint8_t feature,
                                  const uint8_t addr[WB_BLE_ADDR_LEN], const uint8_t *info,
                                  uint8_t info_len);

/* Next async event (decoded), or false. Call wb_ble_evt_done after handling each one. */
bool wb_ble_evt_next(wb_ble_evt_t *evt);
void wb_ble_evt_done(void);

#endif
