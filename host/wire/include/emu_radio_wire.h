/* emu_radio_wire.h - the virtual radio: wire format of the emulator's loopback socket.
 * Owns: the byte layout of every frame between a BLE central (the wbota tool, tests) and the
 * emulated device (wbota-emu). Contract shared by emulator/radio (server) and tools (client);
 * documented for users in docs/emulator.md. Header only, constants and byte layouts.
 *
 * Transport: a stream socket (TCP on 127.0.0.1:PORT, or a Unix socket PATH). One central at a
 * time. Every frame: [u16 len LE = bytes after this field][u8 type][payload len-1 bytes].
 * All integers little-endian. BD addresses: 6 bytes, MSB first (as printed "AA:BB:..").
 * Requests (central -> device) have type < 0x80; device frames have type >= 0x80.
 * Every request gets exactly one direct reply frame (listed), except WRITE without response,
 * which is acknowledged by nothing (flow control = the socket: the device reads the next frame
 * only when the simulated link could carry it). Async device frames (INDICATION, NOTIFICATION,
 * DISCONNECTED, LOG) may arrive at any time between replies.
 * Simulated time advances only while the central waits (SCAN, WAIT, or any reply it awaits);
 * the device runs in simulated time and the link timing model decides when frames are delivered. */
#ifndef EMU_RADIO_WIRE_H
#define EMU_RADIO_WIRE_H

#define EMU_WIRE_MAX_FRAME 1024u

/* central -> device */
#define EMU_REQ_HELLO 0x01u /* u32 protocol version (1) -> EMU_RSP_HELLO */
#define EMU_REQ_SCAN                                                                               \
    0x02u /* u32 duration ms (simulated) -> 0..n EMU_EVT_ADV then EMU_RSP_SCAN_DONE */
#define EMU_REQ_CONNECT  0x03u /* addr[6], u32 timeout ms -> EMU_RSP_CONNECT */
#define EMU_REQ_MTU      0x04u /* u16 client rx mtu -> EMU_RSP_MTU */
#define EMU_REQ_DISCOVER 0x05u /* (none) -> EMU_RSP_DISCOVER */
#define EMU_REQ_WRITE                                                                              \
    0x06u /* u16 value handle, u8 with_response, data -> EMU_RSP_WRITE if with_response */
#define EMU_REQ_CONFIRM     0x07u /* (none): confirm the last indication; no reply */
#define EMU_REQ_DISCONNECT  0x08u /* (none) -> EMU_EVT_DISCONNECTED */
#define EMU_REQ_WAIT        0x09u /* u32 ms (simulated) -> EMU_RSP_TIME after that time */
#define EMU_REQ_READ        0x0Au /* u16 value handle -> EMU_RSP_READ */
#define EMU_REQ_STATS       0x0Bu /* (none) -> EMU_RSP_STATS */
#define EMU_REQ_POWER_CYCLE 0x0Cu /* (none): power-on reset of the device -> EMU_RSP_TIME */
/* test/debug requests (extension) */
#define EMU_REQ_DEBUG_WRITE                                                                        \
    0x0Du /* u32 address, data: write SRAM bypassing the CPU (a debugger) -> EMU_RSP_TIME */
#define EMU_REQ_SYSTEM_RESET 0x0Eu /* (none): system reset as by SYSRESETREQ -> EMU_RSP_TIME */

/* device -> central */
#define EMU_RSP_HELLO 0x81u /* u32 protocol version, u64 sim time us */
/* addr[6], i8 rssi, u8 adv_len, adv data (AD structures as on air), then u8 scan response length
 * and the scan response (what an active scan gets; length 0 when there is none) */
#define EMU_EVT_ADV       0x82u
#define EMU_RSP_SCAN_DONE 0x83u /* u64 sim time us */
#define EMU_RSP_CONNECT   0x84u /* u8 status (0 ok, 1 no such advertiser, 2 timeout) */
#define EMU_RSP_MTU       0x85u /* u16 negotiated mtu */
#define EMU_RSP_DISCOVER                                                                           \
    0x86u /* u8 n, n x {u16 decl handle, u16 value handle, u8 props, u8 uuid len (2|16), uuid LE}  \
           */
#define EMU_RSP_WRITE        0x87u /* u8 att status (0 ok, else ATT error code) */
#define EMU_EVT_INDICATION   0x88u /* u16 value handle, data */
#define EMU_EVT_NOTIFICATION 0x89u /* u16 value handle, data */
#define EMU_EVT_DISCONNECTED 0x8Au /* u8 HCI reason */
#define EMU_RSP_TIME         0x8Bu /* u64 sim time us */
#define EMU_RSP_READ         0x8Cu /* u8 att status, data */
#define EMU_RSP_STATS                                                                              \
    0x8Du /* u64 sim us, u64 instructions, u64 wall us, u32 resets, u32 link bytes */
#define EMU_EVT_LOG 0x8Eu /* utf-8 text line (device log: LED, resets, loader reasons) */
#define EMU_RSP_ERROR                                                                              \
    0x8Fu /* u8 request type, utf-8 text: request refused (not connected, ...)                     \
           */

/* GATT characteristic property bits (Core spec) used in EMU_RSP_DISCOVER */
#define EMU_PROP_READ         0x02u
#define EMU_PROP_WRITE_NO_RSP 0x04u
#define EMU_PROP_WRITE        0x08u
#define EMU_PROP_NOTIFY       0x10u
#define EMU_PROP_INDICATE     0x20u

#endif
