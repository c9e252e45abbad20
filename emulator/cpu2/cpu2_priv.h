/* cpu2_priv.h - internal state of the CPU2 model shared by cpu2.c (transport, system commands,
 * pool, flash semaphores) and cpu2_ble.c (ACI commands, GATT database, air side).
 * Not a public header: only the emulator/cpu2 sources include it. */
#ifndef EMU_CPU2_PRIV_H
#define EMU_CPU2_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_cpu2.h"
#include "wbota/bytes.h"

/* Shared-RAM geometry (RM0434 2.2: SRAM2A 32 KB at 0x20030000, SRAM2B 32 KB after it). */
#define C2_SRAM2A_BASE 0x20030000u
#define C2_SRAM2A_END  0x20038000u
#define C2_SRAM2_END   0x20040000u

/* One pool block: 8-byte list header + type/code/plen + 255 payload, rounded up. UNVERIFIED
 * (ST derives it from its own config); kept in this one place. */
#define C2_BLOCK_SIZE     272u
#define C2_MAX_BLOCKS     128u
#define C2_MIN_BLOCKS     4u
#define C2_EVT_MAX_PLEN   255u
#define C2_ATTR_MOD_MAX   245u /* data bytes in one attribute modified event */
#define C2_PENDING_MAX    64u
#define C2_MAX_CHARS      32u
#define C2_MAX_VALUE      512u
#define C2_ADV_MAX        31u
#define C2_CONN_HANDLE    0x0001u
#define C2_ERASE_IDLE_NS  25000000ull /* radio idle before an erase may pass (ref section 5) */
#define C2_STALL_LIMIT_NS 10000000000ull

typedef struct {
    bool is_cmd_rsp; /* goes into the command-status buffer, not the pool */
    uint8_t code;
    uint8_t plen;
    uint8_t payload[C2_EVT_MAX_PLEN];
} c2_evt_t;

typedef struct {
    c2_evt_t e[C2_PENDING_MAX];
    unsigned head, count;
} c2_fifo_t;

typedef struct {
    uint16_t service;
    uint16_t decl_handle; /* value = +1, CCCD = +2 */
    uint8_t uuid_len;
    uint8_t uuid[16];
    uint8_t props;
    uint8_t evt_mask;
    bool is_variable;
    uint16_t max_len;
    uint16_t len;
    uint16_t cccd;
    uint8_t value[C2_MAX_VALUE];
} c2_char_t;

typedef struct {
    uint16_t handle;
    uint16_t end; /* last handle reserved for it */
    uint16_t next;
} c2_service_t;

struct emu_cpu2 {
    emu_soc_t *soc;
    emu_cpu2_opts_t opts;
    bool failed;

    /* life cycle */
    bool booted;   /* C2BOOT seen */
    bool ready;    /* ready event posted */
    bool fus;      /* FUS (not the stack) is running */
    bool boot_fus; /* next CPU2 boot goes to FUS (survives system reset) */
    bool dead;     /* RF wake-up trap: BLE_INIT/hci_reset never complete */
    uint32_t ready_timer, cmd_timer, ble_timer, sem7_timer, stall_timer;
    unsigned fus_get_state_run; /* consecutive FUS_GET_STATE while the stack runs */
    uint64_t fus_upg_end_ns;    /* FUS upgrade/delete in progress until then (survives resets) */
    uint32_t fus_timer;         /* device reset requested by FUS */

    /* tables (addresses in SRAM2) */
    uint32_t dev_info, ble_tab, sys_tab, mm_tab;
    uint32_t sys_cmd_buf, sys_evt_q;
    uint32_t ble_cmd_buf, ble_cs_buf, ble_evt_q;
    uint32_t spare_ble, spare_sys, pool, pool_size, free_q;
    unsigned nblocks;
    bool block_used[C2_MAX_BLOCKS];
    bool spare_sys_used;
    unsigned blocks_in_use;
    uint64_t releases;
    uint64_t stall_releases;

    c2_fifo_t ble_q, sys_q;
    bool sys_cmd_busy, ble_cmd_busy;

    /* BLE stack */
    bool ble_inited, gatt_inited, gap_inited;
    uint16_t att_mtu_max;
    uint8_t ls_source;
    uint16_t next_handle;
    c2_service_t svcs[16];
    unsigned nsvcs;
    c2_char_t chars[C2_MAX_CHARS];
    unsigned nchars;
    uint8_t pub_addr_lsb[6];
    bool addr_set;
    bool discoverable;
    uint8_t adv[C2_ADV_MAX];
    size_t adv_len;
    uint8_t scan_rsp[C2_ADV_MAX]; /* HCI LE Set Scan Response Data */
    size_t scan_rsp_len;
    bool connected;
    uint16_t mtu;
    uint16_t conn_interval_units; /* reported in LE connection complete; 0 = 12 (15 ms) */
    bool ind_pending;
    emu_cpu2_air_sink_t sink;

    /* flash semaphores */
    bool flash_ctrl_sem7;
    bool erase_activity;
    bool sem7_held;
    uint64_t radio_busy_until_ns;
    uint64_t last_radio_ns;
    bool radio_ever;
};

/* cpu2.c */
void c2_post_ble(emu_cpu2_t *c2, const c2_evt_t *e);
void c2_queue_ble(emu_cpu2_t *c2, const c2_evt_t *e); /* no flush */
void c2_queue_vendor(emu_cpu2_t *c2, uint16_t subevt, const uint8_t *p, size_t n);
void c2_post_vendor(emu_cpu2_t *c2, uint16_t subevt, const uint8_t *p, size_t n);
void c2_flush(emu_cpu2_t *c2);
bool c2_rd(emu_cpu2_t *c2, uint32_t addr, void *buf, uint32_t len);
bool c2_wr(emu_cpu2_t *c2, uint32_t addr, const void *buf, uint32_t len);
void c2_fail(emu_cpu2_t *c2, const char *rule, const char *detail);
void c2_sem7_update(emu_cpu2_t *c2);

/* cpu2_ble.c: executes one ACI command (params already read); fills the event to return. */
void c2_ble_command(emu_cpu2_t *c2, uint16_t opcode, const uint8_t *p, uint8_t plen);
void c2_ble_reset(emu_cpu2_t *c2);

/* byte order: the core's helpers (wbota/bytes.h) under the short names of this model */
#define c2_put16 wbota_put_le16
#define c2_get16 wbota_get_le16
#define c2_get32 wbota_get_le32
#define c2_put32 wbota_put_le32

#endif
