/* wb/tl.h - the CPU1<->CPU2 transport layer data: packet layouts, the circular doubly linked
 * queues CPU2 shares with CPU1, and the shared tables in SRAM2A (docs/st-interface.md#transport).
 * Owns: byte offsets of command/event packets, queue operations, the shared-memory struct
 * placed in the NOLOAD section `.cpu2_shared` at 0x20030000 (reference table first).
 * Pure: no register access, so tests/unit/test_wb_tl.c compiles it on the host. Used by
 * cpu2.c (IPCC side), shci.c and ble.c. Packets are little-endian byte buffers, never cast. */
#ifndef WB_TL_H
#define WB_TL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- packets (little-endian) ----
 * command: [next 4][prev 4][type 1][opcode 2][plen 1][payload <= 255]
 * event:   [next 4][prev 4][type 1][code 1][plen 1][payload]
 * Offsets below are counted from the start of the "serial" part (after the 8-byte header). */
#define WB_TL_HDR_LEN      8u
#define WB_TL_TYPE_BLE_CMD 0x01u
#define WB_TL_TYPE_ACL     0x02u
#define WB_TL_TYPE_BLE_EVT 0x04u
#define WB_TL_TYPE_SYS_CMD 0x10u
#define WB_TL_TYPE_SYS_RSP 0x11u
#define WB_TL_TYPE_SYS_EVT 0x12u
#define WB_TL_CMD_HDR_LEN  4u /* type, opcode 2, plen */
#define WB_TL_EVT_HDR_LEN  3u /* type, code, plen */
#define WB_TL_PAYLOAD_MAX  255u
#define WB_TL_PACKET_MAX   (WB_TL_HDR_LEN + WB_TL_CMD_HDR_LEN + WB_TL_PAYLOAD_MAX) /* 267 */
#define WB_TL_BUF_LEN      272u /* packet buffer, rounded to a multiple of 8 */

#define WB_HCI_EVT_CMD_COMPLETE 0x0Eu /* {ncmd, opcode 2, status, return params} */
#define WB_HCI_EVT_CMD_STATUS   0x0Fu /* {status, ncmd, opcode 2} */
#define WB_HCI_EVT_VENDOR       0xFFu /* {subevent 2, ...} */

#define WB_SYS_EVT_READY 0x9200u /* payload[0] after the subevent: 0 stack, 1 FUS */
#define WB_SYS_EVT_ERROR 0x9201u
#define WB_SYS_READY_WS  0x00u
#define WB_SYS_READY_FUS 0x01u

/* Write a command packet's serial part (from the type byte on) into buf (cap bytes).
 * Returns the serial length or 0 if it does not fit / plen > 255. */
size_t wb_tl_cmd_encode(uint8_t *serial, size_t cap, uint8_t type, uint16_t opcode,
                        const uint8_t *params, size_t plen);

/* A decoded event/response (points into the buffer it was decoded from). */
typedef struct {
    uint8_t type;           /* 0x04, 0x11, 0x12 */
    uint8_t code;           /* event code */
    uint8_t plen;           /* payload length (bounded by the buffer) */
    const uint8_t *payload; /* plen bytes */
} wb_tl_evt_t;

/* Parse an event serial part of at most cap bytes. false if truncated (plen beyond cap). */
bool wb_tl_evt_decode(const uint8_t *serial, size_t cap, wb_tl_evt_t *evt);

/* Command complete / status fields for opcode matching. For CC, ret points at the status byte
 * followed by the return parameters (ret_len bytes including status). */
typedef struct {
    uint16_t opcode;
    uint8_t status;
    const uint8_t *ret;
    uint8_t ret_len;
} wb_tl_cc_t;
/* true if evt is a well-formed command complete (0x0E) or command status (0x0F). */
bool wb_tl_cc_decode(const wb_tl_evt_t *evt, wb_tl_cc_t *cc);
/* Vendor subevent code (0xFF events, payload[0..1] LE); false if not vendor or too short. */
bool wb_tl_vendor_subevent(const wb_tl_evt_t *evt, uint16_t *subevent);

/* ---- queues: circular doubly linked lists, node = {next, prev} (8 bytes on the target);
 * an empty head points to itself. CPU2 reads and writes these too: only touch a queue while
 * the IPCC channel that guards it says CPU1 owns it. ---- */
typedef struct wb_tl_node {
    struct wb_tl_node *volatile next;
    struct wb_tl_node *volatile prev;
} wb_tl_node_t;

void wb_tl_queue_init(wb_tl_node_t *head);
bool wb_tl_queue_is_empty(const wb_tl_node_t *head);
void wb_tl_queue_insert_tail(wb_tl_node_t *head, wb_tl_node_t *node);
/* Removes and returns the first node, or NULL if empty. */
wb_tl_node_t *wb_tl_queue_remove_head(wb_tl_node_t *head);
/* Number of nodes, counting at most max (a corrupted list never loops forever). */
size_t wb_tl_queue_count(const wb_tl_node_t *head, size_t max);

/* ---- shared tables (target only: pointers are 32-bit there) ---- */
#define WB_TL_POOL_BUFS   12u /* BLE/system async event buffers CPU2 may hold at once */
#define WB_TL_REF_ENTRIES 10u

typedef struct {
    uint32_t safe_boot_version;
    uint32_t fus_version;
    uint32_t fus_memory_size;
    uint32_t fus_info;
    uint32_t ws_version; /* [31:24] major, [23:16] minor, [15:8] sub */
    uint32_t ws_memory_size;
    uint32_t ws_info;
    uint32_t reserved;
} wb_tl_device_info_t;

typedef struct {
    uint8_t *cmd_buffer;
    uint8_t *cs_buffer;
    wb_tl_node_t *evt_queue;
    uint8_t *acl_buffer;
} wb_tl_ble_table_t;

typedef struct {
    uint8_t *cmd_buffer;
    wb_tl_node_t *evt_queue;
} wb_tl_sys_table_t;

typedef struct {
    uint8_t *spare_ble_buffer;
    uint8_t *spare_sys_buffer;
    uint8_t *ble_pool;
    uint32_t ble_pool_size;
    wb_tl_node_t *free_buffer_queue;
    uint8_t *traces_pool;
    uint32_t traces_pool_size;
} wb_tl_mm_table_t;

typedef struct {
    wb_tl_node_t *traces_queue;
} wb_tl_traces_table_t;

/* Everything CPU1 shares with CPU2, as ONE object so the reference table is at offset 0 of
 * `.cpu2_shared` (= 0x20030000, where CPU2 looks when IPCCDBA is 0). Aligned buffers first
 * after the tables; sizes as ST's defaults for one BLE link plus room for the pool. */
typedef struct {
    void *ref[WB_TL_REF_ENTRIES]; /* device info, BLE, Thread, system, MM, traces, MAC, Zigbee,
                                     LLD tests, BLE LLD */
    wb_tl_device_info_t device_info;
    wb_tl_ble_table_t ble;
    wb_tl_sys_table_t sys;
    wb_tl_mm_table_t mm;
    wb_tl_traces_table_t traces;
    uint32_t unused_tables[4][4]; /* Thread, MAC, Zigbee, LLD: zeroed, never used */
    wb_tl_node_t ble_evt_queue;
    wb_tl_node_t sys_evt_queue;
    wb_tl_node_t free_queue;
    wb_tl_node_t traces_queue;
    uint8_t ble_cmd[WB_TL_BUF_LEN] __attribute__((aligned(8)));
    /* command complete/status land here (CPU2 writes whole events: room for return params) */
    uint8_t ble_cs[WB_TL_BUF_LEN] __attribute__((aligned(8)));
    uint8_t sys_cmd[WB_TL_BUF_LEN] __attribute__((aligned(8)));
    uint8_t acl[WB_TL_BUF_LEN] __attribute__((aligned(8)));
    uint8_t spare_ble[WB_TL_BUF_LEN] __attribute__((aligned(8)));
    uint8_t spare_sys[WB_TL_BUF_LEN] __attribute__((aligned(8)));
    uint8_t pool[WB_TL_POOL_BUFS * WB_TL_BUF_LEN] __attribute__((aligned(8)));
} wb_tl_shared_t;

/* Fill the tables and queues of sh (which must be zero or garbage: NOLOAD memory). */
void wb_tl_shared_init(wb_tl_shared_t *sh);

#if defined(__arm__)
_Static_assert(sizeof(void *) == 4, "CPU2 tables hold 32-bit pointers");
_Static_assert(sizeof(wb_tl_node_t) == 8, "queue node = {next, prev}");
_Static_assert(offsetof(wb_tl_shared_t, ref) == 0, "reference table first");
_Static_assert(sizeof(wb_tl_ble_table_t) == 16, "BLE table: 4 pointers");
_Static_assert(sizeof(wb_tl_sys_table_t) == 8, "system table: 2 pointers");
_Static_assert(sizeof(wb_tl_mm_table_t) == 28, "memory manager table: 7 words");
_Static_assert(sizeof(wb_tl_device_info_t) == 32, "device info table: 8 words");
_Static_assert(sizeof(wb_tl_shared_t) <= 10240u, "fits ST's 10 KB shared SRAM2A window");
#endif

#endif
