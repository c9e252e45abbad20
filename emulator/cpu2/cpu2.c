/* cpu2.c - CPU2 model: life cycle (C2BOOT, ready event, FUS/stack restarts), the mailbox
 * transport (reference table, queues, event pool, free-buffer queue), system (SHCI) commands,
 * the RF wake-up trap and Sem 7 from CPU2's side. ACI commands live in cpu2_ble.c.
 * Facts: docs/st-interface.md#flash-cpu2, #transport, #rf-wakeup, #wireless. Every rule CPU1 can
 * break ends in emu_fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu2_priv.h"

#define C2_PKT_SYS_CMD 0x10u
#define C2_PKT_SYS_RSP 0x11u
#define C2_PKT_SYS_EVT 0x12u
#define C2_PKT_BLE_CMD 0x01u
#define C2_PKT_BLE_EVT 0x04u

#define C2_OP_FUS_GET_STATE        0xFC52u
#define C2_OP_FUS_FW_UPGRADE       0xFC54u
#define C2_OP_FUS_FW_DELETE        0xFC55u
#define C2_OP_FUS_START_WS         0xFC5Au
#define C2_OP_BLE_INIT             0xFC66u
#define C2_OP_DEBUG_INIT           0xFC68u
#define C2_OP_FLASH_ERASE_ACTIVITY 0xFC69u
#define C2_OP_SET_FLASH_CTRL       0xFC73u
#define C2_OP_CONFIG               0xFC75u

/* Versions written into the device info table: [31:24] major [23:16] minor [15:8] sub. */
#define C2_VER_SAFEBOOT 0x01010000u
#define C2_VER_FUS      0x01020000u
#define C2_VER_STACK    0x01180000u /* BLE full stack 1.24.0 */

#define C2_HSEM_FLASH_CPU2 7u
#define C2_COREID_CPU1     4u

static void prv_flush_cb(emu_soc_t *soc, void *arg);

void c2_fail(emu_cpu2_t *c2, const char *rule, const char *detail)
{
    if (c2->failed) {
        return;
    }
    c2->failed = true;
    emu_fail(c2->soc, rule, "CPU2: %s", detail);
}

static bool prv_in_sram2(uint32_t addr, uint32_t len)
{
    return addr >= C2_SRAM2A_BASE && addr < C2_SRAM2_END && len <= C2_SRAM2_END - addr;
}

bool c2_rd(emu_cpu2_t *c2, uint32_t addr, void *buf, uint32_t len)
{
    if (c2->failed) {
        return false;
    }
    if (!emu_mem_read(c2->soc, addr, buf, len)) {
        char d[96];
        snprintf(d, sizeof d, "cannot read %u bytes at 0x%08X", (unsigned)len, (unsigned)addr);
        c2_fail(c2, "BAD_POINTER", d);
        return false;
    }
    return true;
}

bool c2_wr(emu_cpu2_t *c2, uint32_t addr, const void *buf, uint32_t len)
{
    if (c2->failed) {
        return false;
    }
    if (!emu_mem_write(c2->soc, addr, buf, len)) {
        char d[96];
        snprintf(d, sizeof d, "cannot write %u bytes at 0x%08X", (unsigned)len, (unsigned)addr);
        c2_fail(c2, "BAD_POINTER", d);
        return false;
    }
    return true;
}

static uint32_t prv_rd32(emu_cpu2_t *c2, uint32_t addr)
{
    uint8_t b[4] = {0};
    (void)c2_rd(c2, addr, b, 4);
    return c2_get32(b);
}

static void prv_wr32(emu_cpu2_t *c2, uint32_t addr, uint32_t v)
{
    uint8_t b[4];
    c2_put32(b, v);
    (void)c2_wr(c2, addr, b, 4);
}

/* ---- circular doubly linked lists in shared RAM: node = {next, prev} ---- */

static bool prv_list_check_head(emu_cpu2_t *c2, uint32_t head, const char *what)
{
    uint32_t next = prv_rd32(c2, head);
    uint32_t prev = prv_rd32(c2, head + 4);
    if (!prv_in_sram2(next, 8) || !prv_in_sram2(prev, 8)) {
        char d[128];
        snprintf(d, sizeof d, "%s queue head 0x%08X not initialised (next 0x%08X prev 0x%08X)",
                 what, (unsigned)head, (unsigned)next, (unsigned)prev);
        c2_fail(c2, "QUEUE_NOT_INIT", d);
        return false;
    }
    return true;
}

static void prv_list_insert_tail(emu_cpu2_t *c2, uint32_t head, uint32_t node)
{
    uint32_t last = prv_rd32(c2, head + 4);
    prv_wr32(c2, node, head);
    prv_wr32(c2, node + 4, last);
    prv_wr32(c2, last, node);
    prv_wr32(c2, head + 4, node);
}

/* Returns 0 when empty. */
static uint32_t prv_list_remove_head(emu_cpu2_t *c2, uint32_t head)
{
    uint32_t node = prv_rd32(c2, head);
    if (node == head || c2->failed) {
        return 0;
    }
    uint32_t next = prv_rd32(c2, node);
    prv_wr32(c2, head, next);
    prv_wr32(c2, next + 4, head);
    return node;
}

/* ---- event pool ---- */

static int prv_block_alloc(emu_cpu2_t *c2)
{
    for (unsigned i = 0; i < c2->nblocks; i++) {
        if (!c2->block_used[i]) {
            c2->block_used[i] = true;
            c2->blocks_in_use++;
            return (int)i;
        }
    }
    return -1;
}

static void prv_write_evt(emu_cpu2_t *c2, uint32_t at, uint8_t type, const c2_evt_t *e)
{
    uint8_t pkt[8 + 3 + C2_EVT_MAX_PLEN];
    memset(pkt, 0, 8);
    pkt[8] = type;
    pkt[9] = e->code;
    pkt[10] = e->plen;
    memcpy(pkt + 11, e->payload, e->plen);
    (void)c2_wr(c2, at, pkt, 11u + e->plen);
}

static void prv_stall_cb(emu_soc_t *soc, void *arg)
{
    emu_cpu2_t *c2 = arg;
    (void)soc;
    c2->stall_timer = 0;
    if (c2->ble_q.count == 0 && c2->sys_q.count == 0) {
        return;
    }
    if (c2->releases == c2->stall_releases && c2->blocks_in_use >= c2->nblocks) {
        char d[160];
        snprintf(d, sizeof d,
                 "event pool exhausted (%u of %u buffers held by CPU1) for %llu ms with %u events "
                 "waiting: CPU1 never released them (free queue + IPCC channel 4)",
                 c2->blocks_in_use, c2->nblocks,
                 (unsigned long long)(C2_STALL_LIMIT_NS / 1000000ull),
                 c2->ble_q.count + c2->sys_q.count);
        c2_fail(c2, "BUFFER_NOT_RELEASED", d);
        return;
    }
    c2_flush(c2);
}

static void prv_note_stall(emu_cpu2_t *c2)
{
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2: event pool exhausted, %u events wait",
              c2->ble_q.count + c2->sys_q.count);
    if (c2->stall_timer == 0) {
        c2->stall_releases = c2->releases;
        c2->stall_timer =
            emu_schedule(c2->soc, emu_time_ns(c2->soc) + C2_STALL_LIMIT_NS, prv_stall_cb, c2);
    }
}

static void prv_fifo_push(emu_cpu2_t *c2, c2_fifo_t *q, const c2_evt_t *e)
{
    if (q->count >= C2_PENDING_MAX) {
        c2_fail(c2, "EVENT_BACKLOG",
                "more than 64 events pending delivery (CPU1 does not drain its queues)");
        return;
    }
    q->e[(q->head + q->count) % C2_PENDING_MAX] = *e;
    q->count++;
}

static void prv_flush_sys(emu_cpu2_t *c2)
{
    if (c2->sys_q.count == 0 || c2->sys_evt_q == 0 || emu_ipcc_c2_to_c1_pending(c2->soc, 2)) {
        return;
    }
    if (!prv_list_check_head(c2, c2->sys_evt_q, "system event")) {
        return;
    }
    bool posted = false;
    while (c2->sys_q.count > 0 && !c2->failed) {
        const c2_evt_t *e = &c2->sys_q.e[c2->sys_q.head];
        uint32_t at;
        int b = prv_block_alloc(c2);
        if (b >= 0) {
            at = c2->pool + (uint32_t)b * C2_BLOCK_SIZE;
        } else if (c2->spare_sys != 0 && !c2->spare_sys_used) {
            c2->spare_sys_used = true;
            at = c2->spare_sys;
        } else {
            prv_note_stall(c2);
            break;
        }
        prv_write_evt(c2, at, C2_PKT_SYS_EVT, e);
        prv_list_insert_tail(c2, c2->sys_evt_q, at);
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 -> sys event 0x%02X sub 0x%04X at 0x%08X", e->code,
                  e->plen >= 2 ? c2_get16(e->payload) : 0, (unsigned)at);
        c2->sys_q.head = (c2->sys_q.head + 1) % C2_PENDING_MAX;
        c2->sys_q.count--;
        posted = true;
    }
    if (posted && !c2->failed) {
        emu_ipcc_c2_to_c1_set(c2->soc, 2);
    }
}

static void prv_flush_ble(emu_cpu2_t *c2)
{
    if (c2->ble_q.count == 0 || c2->ble_evt_q == 0 || emu_ipcc_c2_to_c1_pending(c2->soc, 1)) {
        return;
    }
    if (!prv_list_check_head(c2, c2->ble_evt_q, "BLE event")) {
        return;
    }
    bool posted = false, cs_used = false;
    while (c2->ble_q.count > 0 && !c2->failed) {
        const c2_evt_t *e = &c2->ble_q.e[c2->ble_q.head];
        uint32_t at;
        if (e->is_cmd_rsp) {
            if (cs_used) {
                break; /* one command-status buffer: wait until CPU1 drained the queue */
            }
            cs_used = true;
            at = c2->ble_cs_buf;
        } else {
            int b = prv_block_alloc(c2);
            if (b < 0) {
                prv_note_stall(c2);
                break;
            }
            at = c2->pool + (uint32_t)b * C2_BLOCK_SIZE;
        }
        prv_write_evt(c2, at, C2_PKT_BLE_EVT, e);
        prv_list_insert_tail(c2, c2->ble_evt_q, at);
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 -> BLE event 0x%02X plen %u at 0x%08X", e->code,
                  e->plen, (unsigned)at);
        c2->ble_q.head = (c2->ble_q.head + 1) % C2_PENDING_MAX;
        c2->ble_q.count--;
        posted = true;
    }
    if (posted && !c2->failed) {
        emu_ipcc_c2_to_c1_set(c2->soc, 1);
    }
}

void c2_flush(emu_cpu2_t *c2)
{
    if (c2->failed) {
        return;
    }
    prv_flush_sys(c2);
    prv_flush_ble(c2);
}

static void prv_flush_cb(emu_soc_t *soc, void *arg)
{
    (void)soc;
    c2_flush(arg);
}

void c2_queue_ble(emu_cpu2_t *c2, const c2_evt_t *e)
{
    prv_fifo_push(c2, &c2->ble_q, e);
}

void c2_post_ble(emu_cpu2_t *c2, const c2_evt_t *e)
{
    prv_fifo_push(c2, &c2->ble_q, e);
    c2_flush(c2);
}

void c2_queue_vendor(emu_cpu2_t *c2, uint16_t subevt, const uint8_t *p, size_t n)
{
    c2_evt_t e = {.code = 0xFF, .plen = (uint8_t)(2u + n)};
    c2_put16(e.payload, subevt);
    memcpy(e.payload + 2, p, n);
    prv_fifo_push(c2, &c2->ble_q, &e);
}

void c2_post_vendor(emu_cpu2_t *c2, uint16_t subevt, const uint8_t *p, size_t n)
{
    c2_queue_vendor(c2, subevt, p, n);
    c2_flush(c2);
}

static void prv_post_sys(emu_cpu2_t *c2, const c2_evt_t *e)
{
    prv_fifo_push(c2, &c2->sys_q, e);
    c2_flush(c2);
}

/* ---- ready event ---- */

static bool prv_check_ptr(emu_cpu2_t *c2, const char *rule, const char *what, uint32_t p,
                          uint32_t len, bool sram2a_only)
{
    bool ok = p != 0 &&
              (sram2a_only ? (p >= C2_SRAM2A_BASE && p < C2_SRAM2A_END && len <= C2_SRAM2A_END - p)
                           : prv_in_sram2(p, len));
    if (!ok) {
        char d[128];
        snprintf(d, sizeof d, "%s pointer 0x%08X is 0 or outside %s", what, (unsigned)p,
                 sram2a_only ? "SRAM2A" : "SRAM2");
        c2_fail(c2, rule, d);
    }
    return ok;
}

static void prv_ready_cb(emu_soc_t *soc, void *arg)
{
    emu_cpu2_t *c2 = arg;
    (void)soc;
    c2->ready_timer = 0;
    uint8_t ref[40];
    if (!c2_rd(c2, C2_SRAM2A_BASE, ref, sizeof ref)) {
        return;
    }
    c2->dev_info = c2_get32(ref + 0);
    c2->ble_tab = c2_get32(ref + 4);
    c2->sys_tab = c2_get32(ref + 12);
    c2->mm_tab = c2_get32(ref + 16);
    if (!prv_check_ptr(c2, "REF_TABLE", "device info table", c2->dev_info, 28, true) ||
        !prv_check_ptr(c2, "REF_TABLE", "BLE table", c2->ble_tab, 16, true) ||
        !prv_check_ptr(c2, "REF_TABLE", "system table", c2->sys_tab, 8, true) ||
        !prv_check_ptr(c2, "REF_TABLE", "memory manager table", c2->mm_tab, 28, true)) {
        return;
    }
    uint8_t sys[8], mm[28];
    if (!c2_rd(c2, c2->sys_tab, sys, sizeof sys) || !c2_rd(c2, c2->mm_tab, mm, sizeof mm)) {
        return;
    }
    c2->sys_cmd_buf = c2_get32(sys);
    c2->sys_evt_q = c2_get32(sys + 4);
    c2->spare_ble = c2_get32(mm);
    c2->spare_sys = c2_get32(mm + 4);
    c2->pool = c2_get32(mm + 8);
    c2->pool_size = c2_get32(mm + 12);
    c2->free_q = c2_get32(mm + 16);
    if (!prv_check_ptr(c2, "SYS_TABLE", "system command buffer", c2->sys_cmd_buf, 12, false) ||
        !prv_check_ptr(c2, "SYS_TABLE", "system event queue", c2->sys_evt_q, 8, false) ||
        !prv_check_ptr(c2, "MM_TABLE", "event pool", c2->pool, C2_BLOCK_SIZE, false) ||
        !prv_check_ptr(c2, "MM_TABLE", "free buffer queue", c2->free_q, 8, false)) {
        return;
    }
    if (c2->spare_sys != 0 && !prv_check_ptr(c2, "MM_TABLE", "spare system buffer", c2->spare_sys,
                                             C2_BLOCK_SIZE, false)) {
        return;
    }
    if (!prv_in_sram2(c2->pool, c2->pool_size) || c2->pool_size / C2_BLOCK_SIZE < C2_MIN_BLOCKS) {
        char d[128];
        snprintf(d, sizeof d, "pool 0x%08X size %u: need >= %u blocks of %u bytes in SRAM2",
                 (unsigned)c2->pool, (unsigned)c2->pool_size, C2_MIN_BLOCKS, C2_BLOCK_SIZE);
        c2_fail(c2, "POOL_TOO_SMALL", d);
        return;
    }
    unsigned nblocks = c2->pool_size / C2_BLOCK_SIZE;
    if (nblocks > C2_MAX_BLOCKS) {
        nblocks = C2_MAX_BLOCKS;
    }
    if (nblocks != c2->nblocks) {
        /* first boot since reset; a FUS/stack restart keeps CPU1's buffers accounted */
        c2->nblocks = nblocks;
        memset(c2->block_used, 0, sizeof c2->block_used);
        c2->blocks_in_use = 0;
        c2->spare_sys_used = false;
    }

    uint8_t info[28];
    c2_put32(info + 0, C2_VER_SAFEBOOT);
    c2_put32(info + 4, C2_VER_FUS);
    c2_put32(info + 8, 0);  /* FUS memory size */
    c2_put32(info + 12, 0); /* FUS info */
    c2_put32(info + 16, c2->opts.fus_only ? 0u : C2_VER_STACK);
    c2_put32(info + 20, c2->opts.fus_only ? 0u : 0x00001000u);
    c2_put32(info + 24, c2->opts.fus_only ? 0u : 0x01u); /* stack type: BLE full */
    (void)c2_wr(c2, c2->dev_info, info, sizeof info);

    c2_evt_t e = {.code = 0xFF, .plen = 3};
    c2_put16(e.payload, 0x9200u);
    e.payload[2] = c2->fus ? 0x01 : 0x00;
    c2->ready = true;
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 ready (%s), pool %u blocks", c2->fus ? "FUS" : "stack",
              c2->nblocks);
    prv_post_sys(c2, &e);
}

/* FUS resets the whole device (docs/emulator.md#cpu2-model): when switching between the stack
 * and FUS, and several times during an upgrade, which ends by itself after C2_FUS_UPGRADE_NS. */
#define C2_FUS_SWITCH_RESET_NS 1000000ull    /* 1 ms after the switching command */
#define C2_FUS_UPGRADE_NS      1000000000ull /* whole upgrade/delete */
#define C2_FUS_UPGRADE_STEP_NS 400000000ull  /* a device reset at least this often meanwhile */

static void prv_device_reset_cb(emu_soc_t *soc, void *arg)
{
    emu_cpu2_t *c2 = arg;
    c2->fus_timer = 0;
    emu_log(soc, "CPU2: FUS resets the device (next CPU2 boot: %s)",
            c2->boot_fus ? "FUS" : "wireless stack");
    emu_request_system_reset(soc);
}

static void prv_device_reset_in(emu_cpu2_t *c2, uint64_t ns)
{
    if (c2->fus_timer == 0u) {
        c2->fus_timer = emu_schedule(c2->soc, emu_time_ns(c2->soc) + ns, prv_device_reset_cb, c2);
    }
}

/* FUS booted: continue an upgrade that a reset interrupted, or finish it. */
static void prv_fus_resume_upgrade(emu_cpu2_t *c2)
{
    if (c2->fus_upg_end_ns == 0u) {
        return;
    }
    uint64_t now = emu_time_ns(c2->soc);
    if (now >= c2->fus_upg_end_ns) {
        c2->fus_upg_end_ns = 0; /* done: FUS idle, the next FUS_GET_STATE says so */
        emu_log(c2->soc, "CPU2: FUS upgrade finished");
        return;
    }
    uint64_t left = c2->fus_upg_end_ns - now;
    prv_device_reset_in(c2, left < C2_FUS_UPGRADE_STEP_NS ? left : C2_FUS_UPGRADE_STEP_NS);
}

static void prv_restart(emu_cpu2_t *c2, bool into_fus)
{
    /* CPU2 reboots: its own state goes, the tables stay in CPU1's RAM. Buffers CPU1 still
     * holds are forgotten with the old CPU2 run. */
    c2->ready = false;
    c2->fus = into_fus;
    c2->boot_fus = into_fus;
    c2->fus_get_state_run = 0;
    c2->ble_inited = false;
    c2_ble_reset(c2);
    if (c2->opts.never_ready) {
        return;
    }
    if (into_fus) {
        prv_fus_resume_upgrade(c2);
    }
    uint32_t us = c2->opts.ready_delay_us ? c2->opts.ready_delay_us : 20000u;
    c2->ready_timer =
        emu_schedule(c2->soc, emu_time_ns(c2->soc) + (uint64_t)us * 1000u, prv_ready_cb, c2);
}

/* ---- system commands ---- */

static void prv_sys_respond(emu_cpu2_t *c2, uint16_t opcode, uint8_t status, const uint8_t *ret,
                            size_t n)
{
    uint8_t r[8 + 32];
    r[0] = C2_PKT_SYS_RSP;
    r[1] = 0x0E;
    r[2] = (uint8_t)(4u + n);
    r[3] = 1;
    c2_put16(r + 4, opcode);
    r[6] = status;
    if (n > 0) {
        memcpy(r + 7, ret, n);
    }
    /* Written at offset 0 of the command buffer, without the list header (ref section 6). */
    if (!c2_wr(c2, c2->sys_cmd_buf, r, (uint32_t)(7u + n))) {
        return;
    }
    c2->sys_cmd_busy = false;
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 sys rsp 0x%04X status 0x%02X", opcode, status);
    emu_ipcc_c2_ack(c2->soc, 2);
}

static bool prv_rf_trap(emu_cpu2_t *c2, bool ls_hse)
{
    uint32_t sel = emu_rcc_rfwkpsel(c2->soc);
    /* ES0394 2.3.1: the RF wake-up clock must match what BLE_INIT announces. */
    if (sel == 3u && !ls_hse) {
        emu_log(c2->soc, "CPU2: BLE_INIT hangs: RFWKPSEL=11 (HSE/1024, sticky until power-on) "
                         "but LsSource=LSE; no answer will come (ES0394 2.3.1)");
        return true;
    }
    if ((sel == 1u || sel == 0u) && ls_hse) {
        emu_log(c2->soc,
                "CPU2: BLE_INIT hangs: RFWKPSEL=%s but LsSource=HSE/1024; no answer will come",
                sel == 1u ? "01 (LSE)" : "00 (none)");
        return true;
    }
    return false;
}

static void prv_ble_init(emu_cpu2_t *c2, const uint8_t *p, uint8_t plen)
{
    if (plen < 33 || plen > 55) {
        char d[64];
        snprintf(d, sizeof d, "BLE_INIT plen %u (expected 33..55)", plen);
        c2_fail(c2, "MALFORMED_PACKET", d);
        return;
    }
    if (c2->fus) {
        prv_sys_respond(c2, C2_OP_BLE_INIT, 0x01, NULL, 0); /* FUS has no BLE stack */
        return;
    }
    uint8_t t[16];
    if (!c2_rd(c2, c2->ble_tab, t, sizeof t)) {
        return;
    }
    c2->ble_cmd_buf = c2_get32(t);
    c2->ble_cs_buf = c2_get32(t + 4);
    c2->ble_evt_q = c2_get32(t + 8);
    if (!prv_check_ptr(c2, "BLE_TABLE", "BLE command buffer", c2->ble_cmd_buf, 12 + 255, false) ||
        !prv_check_ptr(c2, "BLE_TABLE", "BLE command-status buffer", c2->ble_cs_buf, 11 + 255,
                       false) ||
        !prv_check_ptr(c2, "BLE_TABLE", "BLE event queue", c2->ble_evt_q, 8, false)) {
        return;
    }
    c2->ls_source = p[23];
    if (prv_rf_trap(c2, (p[23] & 0x04u) != 0)) {
        c2->dead = true;
        return; /* never answered, channel 2 stays occupied: what users see */
    }
    uint16_t mtu = c2_get16(p + 18);
    c2->att_mtu_max = mtu < 23 ? 23 : (mtu > 512 ? 512 : mtu);
    c2->ble_inited = true;
    prv_sys_respond(c2, C2_OP_BLE_INIT, 0x00, NULL, 0);
}

static void prv_sys_cmd_cb(emu_soc_t *soc, void *arg)
{
    emu_cpu2_t *c2 = arg;
    (void)soc;
    c2->cmd_timer = 0;
    if (c2->failed) {
        return;
    }
    uint8_t pkt[12 + 255];
    if (!c2_rd(c2, c2->sys_cmd_buf, pkt, 12)) {
        return;
    }
    uint8_t type = pkt[8];
    uint16_t op = c2_get16(pkt + 9);
    uint8_t plen = pkt[11];
    if (type != C2_PKT_SYS_CMD) {
        char d[80];
        snprintf(d, sizeof d, "system command type byte 0x%02X (expected 0x10)", type);
        c2_fail(c2, "SYS_CMD_TYPE", d);
        return;
    }
    if (plen > 0 && !c2_rd(c2, c2->sys_cmd_buf + 12, pkt + 12, plen)) {
        return;
    }
    const uint8_t *p = pkt + 12;
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 <- sys cmd 0x%04X plen %u", op, plen);
    if (c2->dead) {
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 dead (RF wake-up trap): sys cmd ignored");
        return;
    }
    if (op != C2_OP_FUS_GET_STATE) {
        c2->fus_get_state_run = 0;
    }
    switch (op) {
    case C2_OP_BLE_INIT:
        prv_ble_init(c2, p, plen);
        return;
    case C2_OP_FUS_GET_STATE: {
        uint8_t err = 0;
        if (!c2->fus) {
            if (++c2->fus_get_state_run >= 2) {
                /* the second one is not answered: CPU2 switches to FUS through a device reset */
                emu_log(c2->soc, "CPU2: two FUS_GET_STATE while the stack runs: the device resets "
                                 "into FUS");
                c2->boot_fus = true;
                prv_device_reset_in(c2, C2_FUS_SWITCH_RESET_NS);
                return;
            }
            prv_sys_respond(c2, op, 0xFF, &err, 1); /* the stack answers "not FUS" */
            return;
        }
        /* 0x10 = wireless stack upgrade ongoing, 0x00 = idle */
        uint8_t state = c2->fus_upg_end_ns != 0u ? 0x10 : 0x00;
        prv_sys_respond(c2, op, state, &err, 1);
        return;
    }
    case C2_OP_FUS_FW_UPGRADE:
    case C2_OP_FUS_FW_DELETE:
        if (!c2->fus) {
            prv_sys_respond(c2, op, 0x01, NULL, 0);
            return;
        }
        prv_sys_respond(c2, op, 0x00, NULL, 0);
        c2->fus_upg_end_ns = emu_time_ns(c2->soc) + C2_FUS_UPGRADE_NS;
        emu_log(c2->soc, "CPU2: FUS %s started (device resets until it ends)",
                op == C2_OP_FUS_FW_UPGRADE ? "upgrade" : "delete");
        prv_device_reset_in(c2, C2_FUS_UPGRADE_STEP_NS);
        return;
    case C2_OP_FUS_START_WS:
        if (!c2->fus || c2->opts.fus_only) {
            prv_sys_respond(c2, op, 0x01, NULL, 0); /* no stack to start / already running */
            return;
        }
        if (c2->fus_upg_end_ns != 0u) {
            prv_sys_respond(c2, op, 0x01, NULL, 0); /* busy upgrading */
            return;
        }
        prv_sys_respond(c2, op, 0x00, NULL, 0);
        emu_log(c2->soc, "CPU2: FUS_START_WS: the device resets into the wireless stack");
        c2->boot_fus = false;
        prv_device_reset_in(c2, C2_FUS_SWITCH_RESET_NS);
        return;
    case C2_OP_FLASH_ERASE_ACTIVITY:
        if (plen != 1) {
            c2_fail(c2, "MALFORMED_PACKET", "FLASH_ERASE_ACTIVITY needs 1 parameter byte");
            return;
        }
        c2->erase_activity = p[0] != 0;
        prv_sys_respond(c2, op, 0x00, NULL, 0);
        c2_sem7_update(c2);
        return;
    case C2_OP_SET_FLASH_CTRL:
        if (plen != 1) {
            c2_fail(c2, "MALFORMED_PACKET", "SET_FLASH_ACTIVITY_CONTROL needs 1 parameter byte");
            return;
        }
        if (p[0] > 1) {
            prv_sys_respond(c2, op, 0x12, NULL, 0);
            return;
        }
        c2->flash_ctrl_sem7 = p[0] == 1;
        prv_sys_respond(c2, op, 0x00, NULL, 0);
        c2_sem7_update(c2);
        return;
    case C2_OP_CONFIG:
        prv_sys_respond(c2, op, 0x00, NULL, 0);
        return;
    case C2_OP_DEBUG_INIT:
        /* SHCI_C2_DEBUG_Init (docs/emulator.md#cpu2-model): three 32-bit pointers (GPIO, traces,
         * general config) and their three sizes = 15 bytes; traces are not modelled */
        if (plen != 15) {
            c2_fail(c2, "MALFORMED_PACKET", "C2_DEBUG_Init needs 15 parameter bytes");
            return;
        }
        prv_sys_respond(c2, op, 0x00, NULL, 0);
        return;
    default: {
        char d[64];
        snprintf(d, sizeof d, "system command opcode 0x%04X not supported", op);
        c2_fail(c2, "UNSUPPORTED_OPCODE", d);
        return;
    }
    }
}

static void prv_ble_cmd_cb(emu_soc_t *soc, void *arg)
{
    emu_cpu2_t *c2 = arg;
    (void)soc;
    c2->ble_timer = 0;
    if (c2->failed) {
        return;
    }
    if (c2->fus) {
        c2_fail(c2, "BLE_CMD_WHILE_FUS", "BLE command sent while FUS (not the stack) runs");
        return;
    }
    if (c2->dead) {
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 dead (RF wake-up trap): BLE cmd ignored");
        return;
    }
    if (!c2->ble_inited) {
        c2_fail(c2, "BLE_CMD_BEFORE_BLE_INIT", "BLE command before BLE_INIT completed");
        return;
    }
    uint8_t pkt[12 + 255];
    if (!c2_rd(c2, c2->ble_cmd_buf, pkt, 12)) {
        return;
    }
    if (pkt[8] != C2_PKT_BLE_CMD) {
        char d[80];
        snprintf(d, sizeof d, "BLE command type byte 0x%02X (expected 0x01)", pkt[8]);
        c2_fail(c2, "BLE_CMD_TYPE", d);
        return;
    }
    uint16_t op = c2_get16(pkt + 9);
    uint8_t plen = pkt[11];
    if (plen > 0 && !c2_rd(c2, c2->ble_cmd_buf + 12, pkt + 12, plen)) {
        return;
    }
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 <- BLE cmd 0x%04X plen %u", op, plen);
    c2->ble_cmd_busy = false;
    emu_ipcc_c2_ack(c2->soc, 1);
    c2_ble_command(c2, op, pkt + 12, plen);
}

static void prv_release(emu_cpu2_t *c2)
{
    if (c2->free_q == 0) {
        c2_fail(c2, "CMD_BEFORE_READY", "buffer release (channel 4) before the ready event");
        return;
    }
    if (!prv_list_check_head(c2, c2->free_q, "free buffer")) {
        return;
    }
    unsigned n = 0;
    uint32_t node;
    while ((node = prv_list_remove_head(c2, c2->free_q)) != 0) {
        if (++n > C2_MAX_BLOCKS + 4) {
            c2_fail(c2, "FREE_QUEUE_CORRUPT", "free buffer queue does not end");
            return;
        }
        char d[128];
        if (node >= c2->pool && node < c2->pool + c2->nblocks * C2_BLOCK_SIZE &&
            (node - c2->pool) % C2_BLOCK_SIZE == 0) {
            unsigned i = (node - c2->pool) / C2_BLOCK_SIZE;
            if (!c2->block_used[i]) {
                snprintf(d, sizeof d, "pool buffer 0x%08X released twice", (unsigned)node);
                c2_fail(c2, "DOUBLE_RELEASE", d);
                return;
            }
            c2->block_used[i] = false;
            c2->blocks_in_use--;
        } else if (node == c2->spare_sys && c2->spare_sys_used) {
            c2->spare_sys_used = false;
        } else if (node == c2->ble_cs_buf) {
            c2_fail(c2, "FREE_NOT_POOL",
                    "the BLE command-status buffer was put on the free queue (command "
                    "complete/status events are not returned to the pool)");
            return;
        } else {
            snprintf(d, sizeof d, "0x%08X put on the free queue is not a pool buffer",
                     (unsigned)node);
            c2_fail(c2, "FREE_NOT_POOL", d);
            return;
        }
        c2->releases++;
    }
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2: %u buffers released, %u in use", n,
              c2->blocks_in_use);
    emu_ipcc_c2_ack(c2->soc, 4);
    c2_flush(c2);
}

/* ---- Sem 7 (CPU2 forbids CPU1 flash operations while its radio is busy) ---- */

static void prv_sem7_cb(emu_soc_t *soc, void *arg)
{
    emu_cpu2_t *c2 = arg;
    (void)soc;
    c2->sem7_timer = 0;
    c2_sem7_update(c2);
}

void c2_sem7_update(emu_cpu2_t *c2)
{
    if (c2->failed) {
        return;
    }
    uint64_t now = emu_time_ns(c2->soc);
    uint64_t until = c2->radio_busy_until_ns;
    if (c2->erase_activity && c2->radio_ever && c2->last_radio_ns + C2_ERASE_IDLE_NS > until) {
        until = c2->last_radio_ns + C2_ERASE_IDLE_NS;
    }
    bool busy = c2->flash_ctrl_sem7 && c2->ready && now < until;
    if (busy && !c2->sem7_held) {
        c2->sem7_held = emu_hsem_cpu2_lock(c2->soc, C2_HSEM_FLASH_CPU2);
        if (c2->sem7_held) {
            emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 takes Sem 7 (radio busy)");
        }
    } else if (!busy && c2->sem7_held) {
        emu_hsem_cpu2_unlock(c2->soc, C2_HSEM_FLASH_CPU2);
        c2->sem7_held = false;
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 releases Sem 7");
    }
    if (c2->sem7_timer != 0) {
        emu_cancel(c2->soc, c2->sem7_timer);
        c2->sem7_timer = 0;
    }
    if (busy) {
        /* not held yet (CPU1 has it): retry soon; else re-evaluate when the window ends */
        uint64_t at = c2->sem7_held ? until : now + 100000u;
        c2->sem7_timer = emu_schedule(c2->soc, at, prv_sem7_cb, c2);
    }
}

bool emu_cpu2_radio_event(emu_cpu2_t *c2, uint64_t duration_ns)
{
    if (c2->failed) {
        return false;
    }
    if (c2->flash_ctrl_sem7 && !c2->sem7_held &&
        emu_hsem_owner(c2->soc, C2_HSEM_FLASH_CPU2) == C2_COREID_CPU1) {
        /* CPU1 is in a flash operation: CPU2 stalls on flash, this connection event is lost */
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2: connection event missed (CPU1 holds Sem 7)");
        return false;
    }
    uint64_t now = emu_time_ns(c2->soc);
    c2->radio_ever = true;
    c2->last_radio_ns = now + duration_ns;
    if (now + duration_ns > c2->radio_busy_until_ns) {
        c2->radio_busy_until_ns = now + duration_ns;
    }
    c2_sem7_update(c2);
    return true;
}

/* ---- SoC hooks ---- */

static void prv_c2boot_cb(emu_soc_t *soc, void *ctx)
{
    emu_cpu2_t *c2 = ctx;
    (void)soc;
    if (c2->booted || c2->failed) {
        return;
    }
    c2->booted = true;
    emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 boot (C2BOOT), %s",
              c2->boot_fus || c2->opts.fus_only ? "FUS" : "wireless stack");
    if (c2->opts.never_ready) {
        emu_log(c2->soc, "CPU2: fault injected: never ready");
    }
    prv_restart(c2, c2->boot_fus || c2->opts.fus_only);
}

static void prv_ipcc_set_cb(emu_soc_t *soc, void *ctx, unsigned ch)
{
    emu_cpu2_t *c2 = ctx;
    if (c2->failed) {
        return;
    }
    if (ch == 4) {
        prv_release(c2);
        return;
    }
    if (ch != 1 && ch != 2) {
        return; /* channels 3, 5, 6 (Thread, traces, ACL) are not used by a BLE GATT server */
    }
    if (!c2->ready) {
        char d[80];
        snprintf(d, sizeof d, "%s command (IPCC channel %u) before the CPU2 ready event",
                 ch == 2 ? "system" : "BLE", ch);
        c2_fail(c2, "CMD_BEFORE_READY", d);
        return;
    }
    if (c2->opts.mute_after_ready) {
        emu_trace(c2->soc, EMU_TRACE_CPU2, "CPU2 mute (fault injection): ch%u ignored", ch);
        return;
    }
    uint64_t now = emu_time_ns(soc);
    if (ch == 2) {
        uint8_t h[3] = {0};
        (void)c2_rd(c2, c2->sys_cmd_buf + 9, h, 2);
        uint64_t delay = c2_get16(h) == C2_OP_BLE_INIT ? 2000000u : 50000u;
        c2->sys_cmd_busy = true;
        c2->cmd_timer = emu_schedule(soc, now + delay, prv_sys_cmd_cb, c2);
    } else {
        if (c2->ble_cmd_buf == 0) {
            c2_fail(c2, "BLE_CMD_BEFORE_BLE_INIT", "BLE command before BLE_INIT");
            return;
        }
        c2->ble_cmd_busy = true;
        c2->ble_timer = emu_schedule(soc, now + 20000u, prv_ble_cmd_cb, c2);
    }
}

static void prv_ipcc_cleared_cb(emu_soc_t *soc, void *ctx, unsigned ch)
{
    emu_cpu2_t *c2 = ctx;
    (void)ch;
    /* CPU1 drained a queue: deliver what waits, a little later as CPU2 would */
    emu_schedule(soc, emu_time_ns(soc) + 5000u, prv_flush_cb, c2);
}

static void prv_reset_cb(emu_soc_t *soc, void *ctx, bool power_on)
{
    emu_cpu2_t *c2 = ctx;
    (void)soc;
    bool was_connected = c2->connected;
    emu_cpu2_air_sink_t sink = c2->sink;
    /* FUS keeps its upgrade state in flash: an interrupted upgrade resumes after any reset */
    uint64_t upg_end = c2->fus_upg_end_ns;
    bool boot_fus = (power_on && upg_end == 0u) ? false : c2->boot_fus;
    emu_cpu2_opts_t opts = c2->opts;
    bool failed = c2->failed;
    memset(c2, 0, sizeof *c2);
    c2->soc = soc;
    c2->opts = opts;
    c2->sink = sink;
    c2->boot_fus = boot_fus;
    c2->fus_upg_end_ns = upg_end;
    c2->failed = failed;
    c2->next_handle = 1;
    /* Timers died with the reset; Sem 7 is reset by the HSEM model. */
    if (was_connected && sink.disconnected_cb) {
        sink.disconnected_cb(sink.ctx, 0x08); /* supervision timeout as seen by the central */
    }
}

/* FUS idle with nothing requested: CPU2 will not post anything until CPU1 sends a command. */
static bool prv_idle_forever_cb(emu_soc_t *soc, void *ctx)
{
    (void)soc;
    const emu_cpu2_t *c2 = ctx;
    return c2->booted && c2->ready && c2->fus && !c2->failed && !c2->sys_cmd_busy &&
           c2->fus_timer == 0u && c2->cmd_timer == 0u;
}

static const emu_device_ops_t s_ops = {
    .name = "cpu2",
    .c2boot_cb = prv_c2boot_cb,
    .ipcc_c1_set_cb = prv_ipcc_set_cb,
    .ipcc_c1_cleared_cb = prv_ipcc_cleared_cb,
    .reset_cb = prv_reset_cb,
    .idle_forever_cb = prv_idle_forever_cb,
};

emu_cpu2_t *emu_cpu2_create(emu_soc_t *soc, const emu_cpu2_opts_t *opts)
{
    emu_cpu2_t *c2 = calloc(1, sizeof *c2);
    if (c2 == NULL) {
        return NULL;
    }
    c2->soc = soc;
    if (opts != NULL) {
        c2->opts = *opts;
    }
    c2->next_handle = 1;
    if (!emu_soc_attach(soc, &s_ops, c2)) {
        free(c2);
        return NULL;
    }
    return c2;
}

void emu_cpu2_destroy(emu_cpu2_t *c2)
{
    free(c2);
}

bool emu_cpu2_is_ready(const emu_cpu2_t *c2)
{
    return c2->ready;
}

bool emu_cpu2_is_dead(const emu_cpu2_t *c2)
{
    return c2->dead;
}

unsigned emu_cpu2_buffers_in_use(const emu_cpu2_t *c2)
{
    return c2->blocks_in_use;
}
