/* emu_radio.h - the virtual radio: a loopback socket server speaking emu_radio_wire.h on one
 * side and emu_cpu2.h's air functions on the other, with the link timing model.
 * Implemented in emulator/radio; created by the wbota-emu main. */
#ifndef EMU_RADIO_H
#define EMU_RADIO_H

#include <stdbool.h>
#include <stdint.h>

#include "emu_cpu2.h"

typedef struct {
    const char *listen;         /* "127.0.0.1:PORT", ":PORT" or a Unix socket path */
    unsigned phy_mbps;          /* 1 or 2 (default 2) */
    unsigned conn_interval_us;  /* default 15000 (12 x 1.25 ms) */
    unsigned data_length;       /* LL payload octets, 27..251 (default 251 = DLE on) */
    unsigned packets_per_event; /* default 6 */
} emu_radio_opts_t;

typedef struct emu_radio emu_radio_t;
emu_radio_t *emu_radio_create(emu_soc_t *soc, emu_cpu2_t *c2, const emu_radio_opts_t *opts);
void emu_radio_destroy(emu_radio_t *r);
/* The actual address/port bound (useful with port 0). */
const char *emu_radio_address(const emu_radio_t *r);

/* ---- extensions ---- */
/* Sends a device log line to the attached central as EMU_EVT_LOG (call from emu_log). NULL ok. */
void emu_radio_send_log(emu_radio_t *r, const char *line);
/* Stops blocking on the socket (lockstep ends; used on shutdown from another thread). */
void emu_radio_stop(emu_radio_t *r);
uint64_t emu_radio_link_bytes(const emu_radio_t *r); /* ATT bytes carried so far */
/* Link limit in ATT payload bytes/s for back-to-back writes of att_payload bytes. */
double emu_radio_theoretical_bps(const emu_radio_t *r, unsigned att_payload);

#endif
