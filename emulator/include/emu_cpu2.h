/* emu_cpu2.h - model of CPU2 (wireless stack / FUS) at its interface with CPU1.
 * Owns: reading the reference table at SRAM2A, the ready event, system (SHCI) and BLE (ACI)
 * commands with responses and events, the GATT database and advertising state, flash
 * semaphores from CPU2's side, the RF wake-up trap, and strictness (emu_fail on rule breaks).
 * Implemented in emulator/cpu2; created by the wbota-emu main; the radio talks to it through
 * the functions below (the peripheral/"air" side of the BLE controller). */
#ifndef EMU_CPU2_H
#define EMU_CPU2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_soc.h"

typedef struct emu_cpu2 emu_cpu2_t;

typedef struct {
    bool fus_only;           /* start in FUS (no wireless stack installed) */
    uint32_t ready_delay_us; /* simulated time from C2BOOT to the ready event (default 20000) */
    bool never_ready;        /* fault: CPU2 never posts the ready event */
    bool mute_after_ready;   /* fault: CPU2 never answers commands */
} emu_cpu2_opts_t;

emu_cpu2_t *emu_cpu2_create(emu_soc_t *soc, const emu_cpu2_opts_t *opts);
void emu_cpu2_destroy(emu_cpu2_t *c2);

/* ---- air side, used by the virtual radio ---- */
/* true if advertising; copies the public address (MSB first) and the AD bytes. */
bool emu_cpu2_adv(const emu_cpu2_t *c2, uint8_t addr[6], uint8_t *adv, size_t *adv_len);
/* The scan response data (up to 31 bytes) an active scanner gets with the advertising data;
 * returns its length (0: none). Valid while emu_cpu2_adv says advertising. */
size_t emu_cpu2_scan_rsp(const emu_cpu2_t *c2, uint8_t rsp[31]);
/* A central connects; false if not connectable. Posts the connection complete event. */
bool emu_cpu2_connect(emu_cpu2_t *c2, const uint8_t central_addr[6]);
/* The interval the radio runs connections at, reported in LE connection complete. */
void emu_cpu2_set_conn_interval(emu_cpu2_t *c2, uint32_t interval_us);
void emu_cpu2_disconnect(emu_cpu2_t *c2, uint8_t reason); /* central-initiated */
bool emu_cpu2_connected(const emu_cpu2_t *c2);
uint16_t emu_cpu2_mtu_exchange(emu_cpu2_t *c2, uint16_t client_mtu);
/* Characteristics for discovery: fills up to max entries. */
typedef struct {
    uint16_t decl_handle, value_handle;
    uint8_t props;
    uint8_t uuid_len;
    uint8_t uuid[16]; /* little-endian */
} emu_gatt_char_t;
size_t emu_cpu2_discover(const emu_cpu2_t *c2, emu_gatt_char_t *out, size_t max);
/* ATT write from the central (value or CCCD handle). Returns ATT status (0 ok). */
uint8_t emu_cpu2_att_write(emu_cpu2_t *c2, uint16_t handle, const uint8_t *data, size_t len,
                           bool with_response);
uint8_t emu_cpu2_att_read(emu_cpu2_t *c2, uint16_t handle, uint8_t *data, size_t *len);
void emu_cpu2_indication_confirmed(emu_cpu2_t *c2);
/* Outgoing indications/notifications/disconnects are pushed to the radio through this sink. */
typedef struct {
    void (*indicate_cb)(void *ctx, uint16_t handle, const uint8_t *data, size_t len);
    void (*notify_cb)(void *ctx, uint16_t handle, const uint8_t *data, size_t len);
    void (*disconnected_cb)(void *ctx, uint8_t reason);
    void *ctx;
} emu_cpu2_air_sink_t;
void emu_cpu2_set_air_sink(emu_cpu2_t *c2, const emu_cpu2_air_sink_t *sink);
/* How many more ATT writes CPU2 can accept right now (event buffers free); 0 = back-pressure. */
unsigned emu_cpu2_rx_credits(const emu_cpu2_t *c2);

/* ---- extensions ---- */
/* The radio is about to run a connection event carrying data for duration_ns. false: CPU2
 * cannot (CPU1 holds Sem 7 for a flash operation under SET_FLASH_ACTIVITY_CONTROL(1)), the event
 * is lost and the radio retries at the next one. Marks the radio busy for the Sem 7 rules. */
bool emu_cpu2_radio_event(emu_cpu2_t *c2, uint64_t duration_ns);
/* Event buffers one ATT write of len bytes needs (attribute modified events carry <= 245). */
unsigned emu_cpu2_write_cost(size_t len);
bool emu_cpu2_is_ready(const emu_cpu2_t *c2);
bool emu_cpu2_is_dead(const emu_cpu2_t *c2); /* RF wake-up trap hit: BLE_INIT never answered */
unsigned emu_cpu2_buffers_in_use(const emu_cpu2_t *c2);

#endif
