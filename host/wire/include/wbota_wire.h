/* wbota_wire.h - the host side of the emulator's virtual radio, shared by its three users: the
 * emulator's radio server (emulator/radio), the tool's emulator transport
 * (tools/wbota/transport_emu.c) and the test central (emulator/client).
 * Owns: the one parser of a socket address ("HOST:PORT", ":PORT" or a Unix socket PATH), opening
 * such an address (connect or listen), the frame codec of emu_radio_wire.h with a wall-clock
 * bound on every blocking read, and the one parser of BLE advertising data (AD structures).
 * Host only (POSIX sockets). Byte order helpers: wbota/bytes.h. */
#ifndef WBOTA_WIRE_H
#define WBOTA_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_radio_wire.h"
#include "wbota/err.h"

/* ---- socket address ---- */

#define WBOTA_WIRE_HOST_MAX 256u
#define WBOTA_WIRE_PATH_MAX 108u /* sizeof(sockaddr_un.sun_path) on Linux */

typedef struct {
    bool is_unix;
    char host[WBOTA_WIRE_HOST_MAX]; /* TCP: name or numeric address; "127.0.0.1" for ":PORT" */
    uint16_t port;                  /* TCP: 0 means "any free port" (listen only) */
    char path[WBOTA_WIRE_PATH_MAX]; /* Unix socket path */
} wbota_wire_addr_t;

/* Parses spec. A spec with a '/' or without a ':' is a Unix socket path; otherwise the text
 * after the last ':' is a decimal port 0..65535 and the text before it a host name or address
 * ("[v6]" brackets allowed; empty = 127.0.0.1). WBOTA_E_PARSE with a message in msg on anything
 * else (empty spec, bad port, path too long). */
wbota_err_t wbota_wire_addr_parse(const char *spec, wbota_wire_addr_t *out, char *msg, size_t cap);
/* Connects to addr: a stream socket fd (TCP_NODELAY on TCP), or -1 with a message. */
int wbota_wire_connect(const wbota_wire_addr_t *addr, char *msg, size_t cap);
/* Listens on addr (backlog 1; a stale Unix socket file is replaced). Writes the address really
 * bound ("host:port" with the port chosen, or the path) to bound. fd or -1 with a message. */
int wbota_wire_listen(const wbota_wire_addr_t *addr, char *bound, size_t bound_cap, char *msg,
                      size_t cap);

/* ---- frames: [u16 len LE = bytes after this field][u8 type][payload] ---- */

#define WBOTA_WIRE_HDR 3u /* length field + type */

/* Writes one frame to out; its total size, or 0 when it does not fit (cap or the frame limit). */
size_t wbota_wire_frame_encode(uint8_t *out, size_t cap, uint8_t type, const uint8_t *payload,
                               size_t n);
/* Looks at the first have bytes of a stream: the size of the complete frame at its start
 * (2 + length field), 0 while incomplete, -1 when the length field is 0 or above the limit. */
long wbota_wire_frame_check(const uint8_t *buf, size_t have);
/* Sends one frame on a blocking socket. WBOTA_E_LINK_LOST when the peer is gone, WBOTA_E_ARG
 * when the payload is too large for a frame. */
wbota_err_t wbota_wire_send(int fd, uint8_t type, const uint8_t *payload, size_t n);
/* Reads one frame (type byte + payload, without the length field) into frame[cap >=
 * EMU_WIRE_MAX_FRAME]. Bounded: WBOTA_E_TIMEOUT when the whole frame has not arrived within
 * timeout_ms of wall time, WBOTA_E_LINK_LOST when the peer closed, WBOTA_E_PARSE on a bad
 * length field. */
wbota_err_t wbota_wire_recv(int fd, uint8_t *frame, size_t cap, size_t *len, uint32_t timeout_ms);

/* ---- advertising data (Core spec Vol 3 Part C 11: [len][type][len-1 bytes]...) ---- */

#define WBOTA_AD_SHORT_NAME    0x08u
#define WBOTA_AD_COMPLETE_NAME 0x09u
#define WBOTA_AD_MANUFACTURER  0xFFu

/* True when the AD structures tile the buffer exactly (no zero length, none past the end). */
bool wbota_ad_valid(const uint8_t *ad, size_t len);
/* The first AD structure of this type: its data (after the type byte) and its length. NULL when
 * there is none or the walk reaches a malformed structure first. */
const uint8_t *wbota_ad_find(const uint8_t *ad, size_t len, uint8_t type, size_t *n);
/* The complete (else shortened) local name, NUL-terminated and cut to cap - 1 bytes. */
bool wbota_ad_name(const uint8_t *ad, size_t len, char *name, size_t cap);

#endif
