/* fake_cpu1.c - a CPU1 written in host C against fake_soc: lays out the mailbox tables in
 * SRAM2A and follows the transport rules of docs/st-interface.md#transport, so tests can drive the
 * CPU2 model exactly as the firmware does (and break single rules on purpose). */
#include <string.h>

#include "fake_soc.h"

#define REF_TABLE 0x20030000u
#define DEV_INFO  0x20030100u
#define BLE_TABLE 0x20030140u
#define SYS_TABLE 0x20030160u
#define MM_TABLE  0x20030180u
#define SYS_EVTQ  0x200301C0u
#define BLE_EVTQ  0x200301C8u
#define FREE_Q    0x200301D0u
#define SYS_CMD   0x20030200u
#define BLE_CMD   0x20030400u
#define SPARE_SYS 0x20030800u
#define BLOCK     272u

static void wr32(emu_soc_t *s, uint32_t a, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    emu_mem_write(s, a, b, 4);
}

static uint32_t rd32(emu_soc_t *s, uint32_t a)
{
    uint8_t b[4] = {0};
    emu_mem_read(s, a, b, 4);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

static void list_init(emu_soc_t *s, uint32_t head)
{
    wr32(s, head, head);
    wr32(s, head + 4, head);
}

static void list_insert_tail(emu_soc_t *s, uint32_t head, uint32_t node)
{
    uint32_t last = rd32(s, head + 4);
    wr32(s, node, head);
    wr32(s, node + 4, last);
    wr32(s, last, node);
    wr32(s, head + 4, node);
}

static uint32_t list_remove_head(emu_soc_t *s, uint32_t head)
{
    uint32_t node = rd32(s, head);
    if (node == head) {
        return 0;
    }
    uint32_t next = rd32(s, node);
    wr32(s, head, next);
    wr32(s, next + 4, head);
    return node;
}

void fc1_write_tables(fc1_t *f)
{
    emu_soc_t *s = f->soc;
    uint8_t zero[0x2000] = {0};
    emu_mem_write(s, REF_TABLE, zero, sizeof zero);
    wr32(s, REF_TABLE + 0, DEV_INFO);
    wr32(s, REF_TABLE + 4, BLE_TABLE);
    wr32(s, REF_TABLE + 12, SYS_TABLE);
    wr32(s, REF_TABLE + 16, MM_TABLE);
    wr32(s, BLE_TABLE + 0, BLE_CMD);
    wr32(s, BLE_TABLE + 4, FC1_CS_BUF);
    wr32(s, BLE_TABLE + 8, BLE_EVTQ);
    wr32(s, SYS_TABLE + 0, SYS_CMD);
    wr32(s, SYS_TABLE + 4, SYS_EVTQ);
    wr32(s, MM_TABLE + 0, 0);
    wr32(s, MM_TABLE + 4, SPARE_SYS);
    wr32(s, MM_TABLE + 8, FC1_POOL_ADDR);
    wr32(s, MM_TABLE + 12, f->pool_blocks * BLOCK);
    wr32(s, MM_TABLE + 16, FREE_Q);
    list_init(s, SYS_EVTQ);
    list_init(s, BLE_EVTQ);
    list_init(s, FREE_Q);
}

void fc1_init(fc1_t *f, unsigned pool_blocks, const emu_cpu2_opts_t *opts)
{
    memset(f, 0, sizeof *f);
    f->soc = fake_soc_create();
    f->pool_blocks = pool_blocks;
    f->auto_release = true;
    emu_cpu2_opts_t o = {0};
    if (opts != NULL) {
        o = *opts;
    }
    f->c2 = emu_cpu2_create(f->soc, &o);
    fc1_write_tables(f);
}

void fc1_free(fc1_t *f)
{
    emu_cpu2_destroy(f->c2);
    fake_soc_destroy(f->soc);
}

static void release(fc1_t *f, uint32_t node)
{
    /* channel 4 must be free before we touch the free queue again */
    for (int i = 0; i < 1000 && fake_c1_tx_busy(f->soc, 4); i++) {
        fake_soc_advance(f->soc, 1000);
    }
    list_insert_tail(f->soc, FREE_Q, node);
    fake_c1_set(f->soc, 4);
}

void fc1_release_held(fc1_t *f)
{
    for (unsigned i = 0; i < f->nheld; i++) {
        release(f, f->held[i]);
    }
    f->nheld = 0;
}

static void drain(fc1_t *f, unsigned ch, uint32_t head)
{
    if (!fake_c1_rx_pending(f->soc, ch)) {
        return;
    }
    uint32_t node;
    while ((node = list_remove_head(f->soc, head)) != 0) {
        fc1_evt_t e;
        uint8_t h[3];
        emu_mem_read(f->soc, node + 8, h, 3);
        e.type = h[0];
        e.code = h[1];
        e.plen = h[2];
        e.addr = node;
        emu_mem_read(f->soc, node + 11, e.payload, e.plen);
        if (ch == 1 && (e.code == 0x0E || e.code == 0x0F)) {
            f->rsp = e;
            f->have_rsp = true;
            continue; /* command complete/status: never returned to the pool */
        }
        if (f->nevts < FC1_MAX_EVTS) {
            f->evts[f->nevts++] = e;
        }
        if (f->auto_release) {
            release(f, node);
        } else if (f->nheld < FC1_MAX_EVTS) {
            f->held[f->nheld++] = node;
        }
    }
    fake_c1_clear(f->soc, ch);
}

void fc1_poll(fc1_t *f)
{
    drain(f, 2, SYS_EVTQ);
    drain(f, 1, BLE_EVTQ);
}

bool fc1_run_until(fc1_t *f, bool (*pred)(fc1_t *), uint64_t max_ns)
{
    uint64_t t0 = emu_time_ns(f->soc);
    while (emu_time_ns(f->soc) - t0 <= max_ns) {
        fc1_poll(f);
        if (pred(f) || fake_soc_failed_rule(f->soc) != NULL) {
            return pred(f);
        }
        fake_soc_advance(f->soc, 10000); /* 10 us: CPU1 interrupt latency, roughly */
    }
    return false;
}

static bool have_ready(fc1_t *f)
{
    return fc1_find(f, 0xFF, 0x9200) != NULL;
}

int fc1_boot(fc1_t *f)
{
    fake_c1_c2boot(f->soc);
    if (!fc1_run_until(f, have_ready, 200000000ull)) {
        return -1;
    }
    return fc1_find(f, 0xFF, 0x9200)->payload[2];
}

/* A command packet (packet type, opcode, parameters) written into the command buffer at addr. */
static void prv_put_cmd(fc1_t *f, uint32_t addr, uint8_t type, uint16_t op, const uint8_t *p,
                        uint8_t plen)
{
    uint8_t pkt[12 + 255] = {0};
    pkt[8] = type;
    pkt[9] = (uint8_t)op;
    pkt[10] = (uint8_t)(op >> 8);
    pkt[11] = plen;
    if (plen > 0) {
        memcpy(pkt + 12, p, plen);
    }
    emu_mem_write(f->soc, addr, pkt, 12u + plen);
}

static bool sys_done(fc1_t *f)
{
    return !fake_c1_tx_busy(f->soc, 2);
}

int fc1_sys_cmd(fc1_t *f, uint16_t op, const uint8_t *p, uint8_t plen, uint8_t *ret,
                size_t *ret_len)
{
    prv_put_cmd(f, SYS_CMD, 0x10, op, p, plen);
    fake_c1_set(f->soc, 2);
    if (!fc1_run_until(f, sys_done, 100000000ull)) {
        return -1;
    }
    uint8_t r[16];
    emu_mem_read(f->soc, SYS_CMD, r, sizeof r);
    if (r[0] != 0x11 || r[1] != 0x0E || r[4] != (uint8_t)op || r[5] != (uint8_t)(op >> 8)) {
        return -2;
    }
    if (ret != NULL) {
        *ret_len = r[2] - 4u;
        memcpy(ret, r + 7, *ret_len);
    }
    return r[6];
}

static bool ble_done(fc1_t *f)
{
    return f->have_rsp;
}

int fc1_ble_cmd(fc1_t *f, uint16_t op, const uint8_t *p, uint8_t plen, uint8_t *ret,
                size_t *ret_len)
{
    prv_put_cmd(f, BLE_CMD, 0x01, op, p, plen);
    f->have_rsp = false;
    fake_c1_set(f->soc, 1);
    if (!fc1_run_until(f, ble_done, 100000000ull)) {
        return -1;
    }
    if (f->rsp.code == 0x0F) {
        return f->rsp.payload[0];
    }
    if (ret != NULL) {
        *ret_len = f->rsp.plen - 4u;
        memcpy(ret, f->rsp.payload + 4, *ret_len);
    }
    return f->rsp.payload[3];
}

int fc1_ble_init(fc1_t *f, uint8_t ls_source, uint16_t att_mtu)
{
    uint8_t p[55] = {0};
    p[8] = 68; /* NumAttrRecord */
    p[10] = 8; /* NumAttrServ */
    p[14] = 1; /* NumOfLinks */
    p[15] = 1; /* data length extension */
    p[18] = (uint8_t)att_mtu;
    p[19] = (uint8_t)(att_mtu >> 8);
    p[23] = ls_source;
    return fc1_sys_cmd(f, 0xFC66, p, sizeof p, NULL, NULL);
}

const fc1_evt_t *fc1_find(const fc1_t *f, uint8_t code, uint16_t subevt)
{
    for (unsigned i = 0; i < f->nevts; i++) {
        const fc1_evt_t *e = &f->evts[i];
        if (e->code == code && (code != 0xFF || (e->payload[0] | (e->payload[1] << 8)) == subevt)) {
            return e;
        }
    }
    return NULL;
}

unsigned fc1_count(const fc1_t *f, uint8_t code, uint16_t subevt)
{
    unsigned n = 0;
    for (unsigned i = 0; i < f->nevts; i++) {
        const fc1_evt_t *e = &f->evts[i];
        if (e->code == code && (code != 0xFF || (e->payload[0] | (e->payload[1] << 8)) == subevt)) {
            n++;
        }
    }
    return n;
}
