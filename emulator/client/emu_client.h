/* emu_client.h - the test-only BLE central of the emulator's virtual radio (emu_radio_wire.h,
 * on the host wire library wbota_wire.h): scan, connect, MTU, discover, raw writes, waits for
 * indications in bounded simulated time, debugger writes and resets. For what the wbota tool
 * must never do (raw attack writes, malformed sequences, a reset mid-FUS); update scenarios use
 * `wbota upload --emu`. Every read is bounded in wall time too (EMU_CLIENT_IO_TIMEOUT_MS).
 * Blocking, single-threaded, no globals. */
#ifndef EMU_CLIENT_H
#define EMU_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Return codes: >= 0 success (or an ATT/HCI status where documented), negative = failure. */
#define EMU_CLIENT_E_IO       (-1) /* socket closed or failed */
#define EMU_CLIENT_E_PROTO    (-2) /* unexpected frame */
#define EMU_CLIENT_E_REFUSED  (-3) /* EMU_RSP_ERROR from the device (text in last_error) */
#define EMU_CLIENT_E_TIMEOUT  (-4) /* simulated-time bound reached */
#define EMU_CLIENT_E_LINKLOST (-5) /* disconnected while waiting */

/* Default wall-clock bound of every blocking read (a stuck emulator cannot hang a test). */
#define EMU_CLIENT_IO_TIMEOUT_MS 60000u

typedef struct emu_client emu_client_t;

typedef struct {
    uint8_t addr[6]; /* MSB first */
    int8_t rssi;
    uint8_t adv[31];
    size_t adv_len;
} emu_client_adv_t;

typedef struct {
    uint16_t decl_handle, value_handle;
    uint8_t props;
    uint8_t uuid_len;
    uint8_t uuid[16]; /* little-endian */
} emu_client_char_t;

typedef struct {
    uint64_t sim_us, instructions, wall_us;
    uint32_t resets, link_bytes;
} emu_client_stats_t;

/* addr: "HOST:PORT", ":PORT" or a Unix socket path. Retries the connection for up to
 * connect_wait_ms of wall time (the emulator may still be starting). Sends HELLO. */
emu_client_t *emu_client_open(const char *addr, unsigned connect_wait_ms);
void emu_client_close(emu_client_t *c);
const char *emu_client_last_error(const emu_client_t *c);
/* Device log lines (EMU_EVT_LOG) go to this callback (default: none). */
void emu_client_on_log(emu_client_t *c, void (*cb)(void *ctx, const char *line), void *ctx);
uint64_t emu_client_sim_us(const emu_client_t *c); /* last simulated time reported */

int emu_client_scan(emu_client_t *c, uint32_t ms, emu_client_adv_t *out, size_t max, size_t *n);
/* 0 connected; 1 no such advertiser; 2 timeout; negative on failure */
int emu_client_connect(emu_client_t *c, const uint8_t addr[6], uint32_t timeout_ms);
int emu_client_mtu(emu_client_t *c, uint16_t mtu, uint16_t *negotiated);
int emu_client_discover(emu_client_t *c, emu_client_char_t *out, size_t max, size_t *n);
/* with_rsp: returns the ATT status (0 ok); without: 0 once queued (no reply exists). */
int emu_client_write(emu_client_t *c, uint16_t handle, const void *data, size_t len, bool with_rsp);
int emu_client_read(emu_client_t *c, uint16_t handle, uint8_t *data, size_t max, size_t *len);
/* Waits up to max_ms of simulated time for an indication (or notification); 0 when one came. */
int emu_client_wait_indication(emu_client_t *c, uint32_t max_ms, uint16_t *handle, uint8_t *data,
                               size_t max, size_t *len);
int emu_client_confirm(emu_client_t *c);
int emu_client_disconnect(emu_client_t *c);
bool emu_client_is_connected(const emu_client_t *c);
int emu_client_wait(emu_client_t *c, uint32_t ms);
int emu_client_stats(emu_client_t *c, emu_client_stats_t *s);
int emu_client_power_cycle(emu_client_t *c);
/* Test/debug: write device SRAM as a debugger would; system reset (SYSRESETREQ). */
int emu_client_debug_write(emu_client_t *c, uint32_t addr, const void *data, size_t len);
int emu_client_system_reset(emu_client_t *c);

/* AD helpers: the complete/short local name (NUL-terminated) and the manufacturer data. */
bool emu_adv_name(const uint8_t *adv, size_t len, char *name, size_t max);
bool emu_adv_manufacturer(const uint8_t *adv, size_t len, const uint8_t **data, size_t *n);
/* Finds a characteristic by 128-bit UUID (little-endian) or 16-bit UUID (uuid_len 2). */
const emu_client_char_t *emu_client_find_char(const emu_client_char_t *chars, size_t n,
                                              const uint8_t *uuid, uint8_t uuid_len);

/* ST's OTA characteristic 0000fe<id>-8e22-... (wbota/st_ota.h: WBOTA_ST_FE22, ...). */
const emu_client_char_t *emu_client_find_st_char(const emu_client_char_t *chars, size_t n,
                                                 uint8_t id);
/* Changes the wall-clock bound of every read (EMU_CLIENT_E_TIMEOUT when it expires). */
void emu_client_set_io_timeout(emu_client_t *c, unsigned wall_ms);

#endif
