/* transport.h - the BLE central seam of `wbota upload`.
 * Owns: the few GATT-central operations the ST client sequence needs (scan, connect, MTU,
 * discover, write, indication wait/confirm, disconnect), each bounded. Implemented by
 * transport_emu.c (the emulator's virtual radio, host/wire: emu_radio_wire.h, wbota_wire.h) and
 * transport_bluez.c (BlueZ over D-Bus), which fill the struct through transport_setup.h. Called
 * by upload.c and cmd_scan.c. Host only. */
#ifndef WBTOOL_TRANSPORT_H
#define WBTOOL_TRANSPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/err.h"

#define WBTOOL_ADV_MAX  64u
#define WBTOOL_CHAR_MAX 32u

typedef struct {
    uint8_t addr[6]; /* MSB first, as printed */
    int8_t rssi;
    uint8_t len;
    uint8_t data[WBTOOL_ADV_MAX];
} wbtool_adv_t;

typedef struct {
    uint16_t decl_handle;
    uint16_t value_handle;
    uint8_t props;
    uint8_t uuid_len; /* 2 or 16 */
    uint8_t uuid[16]; /* little-endian, as on air */
} wbtool_char_t;

/* Called for every advertisement seen; return true to stop the scan early. */
typedef bool (*wbtool_adv_cb)(const wbtool_adv_t *adv, void *user);

typedef struct wbtool_transport {
    void *ctx;
    /* Scans for duration_ms (simulated or real). */
    wbota_err_t (*scan)(void *ctx, uint32_t duration_ms, wbtool_adv_cb cb, void *user);
    /* WBOTA_E_NOT_FOUND (no such advertiser) or WBOTA_E_TIMEOUT. */
    wbota_err_t (*connect)(void *ctx, const uint8_t addr[6], uint32_t timeout_ms);
    wbota_err_t (*exchange_mtu)(void *ctx, uint16_t want, uint16_t *got);
    wbota_err_t (*discover)(void *ctx, wbtool_char_t *chars, size_t max, size_t *n);
    /* with_rsp: waits for the ATT response (WBOTA_E_REJECTED + *att_status on an ATT error).
     * WBOTA_E_LINK_LOST when the link dropped. */
    wbota_err_t (*write)(void *ctx, uint16_t handle, const uint8_t *data, size_t len, bool with_rsp,
                         uint8_t *att_status);
    /* Waits up to timeout_ms for an indication on handle; copies its value. */
    wbota_err_t (*wait_indication)(void *ctx, uint16_t handle, uint32_t timeout_ms, uint8_t *buf,
                                   size_t cap, size_t *len);
    wbota_err_t (*confirm)(void *ctx);
    /* Waits up to timeout_ms for the link to drop (the device resets); OK if it dropped. */
    wbota_err_t (*wait_disconnect)(void *ctx, uint32_t timeout_ms);
    wbota_err_t (*disconnect)(void *ctx);
    /* Time of the transport's clock in us (simulated time for the emulator). */
    uint64_t (*now_us)(void *ctx);
    void (*close)(void *ctx);
    /* Optional (NULL: nothing cached): drop what the host stack remembers about addr (BlueZ:
     * RemoveDevice of an unpaired, unconnected device object and its cached GATT database), so
     * that the next connect resolves the device's services afresh. */
    wbota_err_t (*forget)(void *ctx, const uint8_t addr[6]);
    char msg[320]; /* last error detail */
} wbtool_transport_t;

/* Opens the emulator transport at "HOST:PORT" or a Unix socket PATH (wbota_wire_addr_parse).
 * WBOTA_E_IO with a clear msg when the connection is refused or the emulator does not answer HELLO.
 * log_cb (may be NULL) receives the device's log lines. */
wbota_err_t wbtool_transport_emu_open(wbtool_transport_t *t, const char *where,
                                      uint32_t io_timeout_ms,
                                      void (*log_cb)(const char *line, void *user), void *log_user);
/* Opens the BlueZ transport (bluetoothd over the system D-Bus; DBUS_SYSTEM_BUS_ADDRESS is
 * honoured, which is how the tests point it at a private bus). adapter: "hci0" or NULL for
 * the first powered adapter. Errors: WBOTA_E_BT_NO_BLUEZ, WBOTA_E_BT_NO_ADAPTER,
 * WBOTA_E_BT_ADAPTER_OFF, WBOTA_E_BT_DENIED, WBOTA_E_IO (no system bus), with t->msg saying
 * what to do. Every D-Bus call and wait is bounded; see docs/linux-upload.md. */
wbota_err_t wbtool_transport_bluez_open(wbtool_transport_t *t, const char *adapter);

/* Set by the tool's SIGINT handler: transports and the upload sequence stop at the next
 * bounded wait or chunk with WBOTA_E_INTERRUPTED (defined in upload.c). */
extern volatile sig_atomic_t wbtool_interrupted;

#endif
