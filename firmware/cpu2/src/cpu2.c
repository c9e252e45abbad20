/* CPU2 start-up and IPCC transport (polling). Register access is confined to this file. */
#include "wb/cpu2.h"

#include <string.h>

#include "wb/regs/exti.h"
#include "wb/isr.h"
#include "wb/regs/ipcc.h"
#include "wb/regs/nvic.h"
#include "wb/regs/pwr.h"
#include "wb/regs/rcc.h"
#include "wb/time.h"

/* IPCC channels (docs/st-interface.md#transport) */
#define CH_BLE      1u                      /* BLE command / BLE event */
#define CH_SYS      2u                      /* system command / system event */
#define CH_MM       4u                      /* memory-manager buffer release */
#define CH_BIT(ch)  (1u << ((ch)-1u))       /* C1TOC2SR/C2TOC1SR flag, C1SCR clear bit */
#define CH_SET(ch)  (1u << (16u + (ch)-1u)) /* C1SCR "occupied" set bit */
#define EXTI_LINE41 (1u << (41u - 32u))     /* line 41 in the *2 registers */

/* more than CPU2 can hold at once (pool + spare buffers), so a command complete is never stuck
 * behind a full pending list */
#define RX_CHANNELS (CH_BIT(CH_BLE) | CH_BIT(CH_SYS))
#define PENDING_MAX (WB_TL_POOL_BUFS + 4u)

/* The shared tables: ONE object so the reference table lands at 0x20030000. */
__attribute__((section(".cpu2_shared"))) static wb_tl_shared_t s_sh;

static volatile wb_cpu2_state_t s_state;
static bool s_ready_seen;      /* at least one ready event: commands allowed */
static uint32_t s_ready_count; /* ready events since wb_cpu2_start */
static uint32_t s_ready_mark;  /* wb_cpu2_wait_ready waits for s_ready_count to pass this */

/* pending async BLE events (buffer pointers, header included), oldest at s_pend_head */
static uint8_t *s_pend[PENDING_MAX];
static uint8_t s_pend_head;
static uint8_t s_pend_len;

/* the BLE command currently awaiting its complete/status event */
static struct {
    bool active;
    bool done;
    uint16_t opcode;
    uint8_t *rsp;
    size_t cap;
    size_t len;
} s_wait;

static wb_tl_node_t s_local_free; /* buffers released while channel 4 was busy */
static wb_cpu2_stats_t s_stats;

static inline void prv_barrier(void)
{
    __asm volatile("dsb" ::: "memory");
}

static bool prv_tx_busy(uint32_t ch)
{
    return (WB_IPCC->C1TOC2SR & CH_BIT(ch)) != 0u;
}

static bool prv_rx_pending(uint32_t ch)
{
    return (WB_IPCC->C2TOC1SR & CH_BIT(ch)) != 0u;
}

static bool prv_elapsed(uint32_t start, uint32_t ms)
{
    return (uint32_t)(wb_time_ms() - start) >= ms;
}

/* Hand buffers on the local list to CPU2: only while channel 4 is free (CPU2 owns the shared
 * free-buffer queue while the channel is occupied). */
static bool prv_flush_free(uint32_t wait_ms)
{
    if (wb_tl_queue_is_empty(&s_local_free)) {
        return true;
    }
    uint32_t start = wb_time_ms();
    while (prv_tx_busy(CH_MM)) {
        if (prv_elapsed(start, wait_ms)) {
            return false;
        }
    }
    wb_tl_node_t *n;
    while ((n = wb_tl_queue_remove_head(&s_local_free)) != NULL) {
        wb_tl_queue_insert_tail(&s_sh.free_queue, n);
        s_stats.released++;
    }
    prv_barrier();
    WB_IPCC->C1SCR = CH_SET(CH_MM);
    return true;
}

static void prv_release(uint8_t *buf)
{
    wb_tl_queue_insert_tail(&s_local_free, (wb_tl_node_t *)(void *)buf);
    if (!prv_flush_free(WBOTA_CFG_CPU2_FREEBUF_MS)) {
        s_stats.deferred++; /* retried from wb_cpu2_poll */
    }
}

static void prv_on_ble_event(uint8_t *buf)
{
    wb_tl_evt_t evt;
    wb_tl_cc_t cc;
    const size_t cap = WB_TL_BUF_LEN - WB_TL_HDR_LEN;
    if (!wb_tl_evt_decode(&buf[WB_TL_HDR_LEN], cap, &evt)) {
        prv_release(buf);
        return;
    }
    if (wb_tl_cc_decode(&evt, &cc)) {
        /* command complete/status live in CPU2's command path, not the pool: never released */
        if (s_wait.active && !s_wait.done && cc.opcode == s_wait.opcode) {
            size_t n = cc.ret_len < s_wait.cap ? cc.ret_len : s_wait.cap;
            if (n > 0u) {
                memcpy(s_wait.rsp, cc.ret, n);
            }
            s_wait.len = n;
            s_wait.done = true;
        }
        return;
    }
    if (s_pend_len >= PENDING_MAX) {
        s_stats.dropped++; /* cannot happen: prv_drain stops while the list is full */
        prv_release(buf);
        return;
    }
    s_pend[(s_pend_head + s_pend_len) % PENDING_MAX] = buf;
    s_pend_len++;
}

static void prv_on_sys_event(uint8_t *buf)
{
    wb_tl_evt_t evt;
    uint16_t sub;
    if (wb_tl_evt_decode(&buf[WB_TL_HDR_LEN], WB_TL_BUF_LEN - WB_TL_HDR_LEN, &evt) &&
        evt.type == WB_TL_TYPE_SYS_EVT && wb_tl_vendor_subevent(&evt, &sub) &&
        sub == WB_SYS_EVT_READY) {
        uint8_t what = evt.plen >= 3u ? evt.payload[2] : WB_SYS_READY_WS;
        s_state = (what == WB_SYS_READY_FUS) ? WB_CPU2_RUN_FUS : WB_CPU2_RUN_WS;
        s_ready_seen = true;
        s_ready_count++;
    }
    /* system events are asynchronous: returned to CPU2 like ST's transport does */
    prv_release(buf);
}

/* Drain a queue, then clear the channel flag: CPU2 only appends while the flag is clear. With
 * the pending list full the rest stays queued and the flag set (back-pressure, not loss). */
static void prv_drain(uint32_t ch, wb_tl_node_t *queue, void (*handle_cb)(uint8_t *buf))
{
    if (!prv_rx_pending(ch)) {
        return;
    }
    prv_barrier();
    unsigned guard = 0u;
    while (!wb_tl_queue_is_empty(queue)) {
        if ((ch == CH_BLE && s_pend_len >= PENDING_MAX) || guard++ >= 2u * PENDING_MAX) {
            return; /* flag stays set: the next poll continues */
        }
        wb_tl_node_t *n = wb_tl_queue_remove_head(queue);
        if (n == NULL) {
            break; /* a NULL link from a corrupted list: treat as empty */
        }
        handle_cb((uint8_t *)(void *)n);
    }
    prv_barrier();
    WB_IPCC->C1SCR = CH_BIT(ch);
}

/* The RX interrupt only wakes the main loop out of WFI: it masks itself (the occupied flags are
 * levels) and wb_cpu2_poll, which does all the work, unmasks after draining. */
void wb_isr_ipcc_c1_rx(void)
{
    WB_IPCC->C1MR |= RX_CHANNELS;
}

void wb_cpu2_poll(void)
{
    if (s_state == WB_CPU2_OFF) {
        return;
    }
    prv_drain(CH_SYS, &s_sh.sys_evt_queue, prv_on_sys_event);
    prv_drain(CH_BLE, &s_sh.ble_evt_queue, prv_on_ble_event);
    WB_IPCC->C1MR &= ~RX_CHANNELS;
    (void)prv_flush_free(0u); /* deferred releases, if channel 4 has freed meanwhile */
}

void wb_cpu2_idle(void)
{
    if (s_pend_len == 0u && !prv_rx_pending(CH_BLE) && !prv_rx_pending(CH_SYS)) {
        wb_idle();
    }
}

wbota_err_t wb_cpu2_start(uint32_t ready_ms)
{
    wb_tl_shared_init(&s_sh);
    wb_tl_queue_init(&s_local_free);
    s_pend_head = 0u;
    s_pend_len = 0u;
    memset(&s_wait, 0, sizeof(s_wait));
    s_ready_seen = false;
    s_ready_count = 0u;
    s_ready_mark = 0u;
    prv_barrier();

    WB_RCC->AHB3ENR |= WB_RCC_AHB3ENR_IPCCEN_Msk;
    (void)WB_RCC->AHB3ENR; /* read back: clock on before the first IPCC access */
    /* RX-occupied interrupt of channels 1 and 2 only wakes WFI (see wb_isr_ipcc_c1_rx); all
     * other channel interrupts stay masked */
    WB_IPCC->C1MR = 0x003F003Fu & ~RX_CHANNELS;
    WB_IPCC->C1CR = WB_IPCC_CR_RXOIE_Msk;
    wb_nvic_enable(WB_IRQ_IPCC_C1_RX);
    /* CPU2 wakes on a rising event of EXTI line 41 */
    WB_EXTI->RTSR2 |= EXTI_LINE41;
    WB_EXTI->C2EMR2 |= EXTI_LINE41;
    /* SEV then WFE clears our own event register so a later WFE is not skipped */
    __asm volatile("sev\n\twfe" ::: "memory");
    s_state = WB_CPU2_BOOTING;
    WB_PWR->CR4 |= WB_PWR_CR4_C2BOOT_Msk;
    return wb_cpu2_wait_ready(ready_ms);
}

wb_cpu2_state_t wb_cpu2_state(void)
{
    return s_state;
}

void wb_cpu2_expect_restart(void)
{
    /* only a ready event after this point counts; the current run stays usable so the
     * command that triggers the restart can still be sent */
    s_ready_mark = s_ready_count;
}

wbota_err_t wb_cpu2_wait_ready(uint32_t ms)
{
    uint32_t start = wb_time_ms();
    for (;;) {
        wb_cpu2_poll();
        if (s_ready_count != s_ready_mark) {
            s_ready_mark = s_ready_count;
            return WBOTA_OK;
        }
        if (prv_elapsed(start, ms)) {
            return WBOTA_E_CPU2_NOT_READY;
        }
        wb_cpu2_idle();
    }
}

const wb_tl_device_info_t *wb_cpu2_device_info(void)
{
    return &s_sh.device_info;
}

static bool prv_wait_tx_free(uint32_t ch, uint32_t start, uint32_t ms)
{
    while (prv_tx_busy(ch)) {
        wb_cpu2_poll();
        if (prv_elapsed(start, ms)) {
            return false;
        }
    }
    return true;
}

wbota_err_t wb_cpu2_sys_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *rsp,
                            size_t cap, size_t *rsp_len, uint32_t ms)
{
    if (!s_ready_seen) {
        return WBOTA_E_CPU2_NOT_READY; /* CPU2 rule: no command before the ready event */
    }
    uint32_t start = wb_time_ms();
    if (!prv_wait_tx_free(CH_SYS, start, ms)) {
        return WBOTA_E_CPU2_NO_RESPONSE;
    }
    /* the header bytes double as the marker of where the response lands (see below) */
    memset(s_sh.sys_cmd, 0, WB_TL_HDR_LEN);
    if (wb_tl_cmd_encode(&s_sh.sys_cmd[WB_TL_HDR_LEN], WB_TL_BUF_LEN - WB_TL_HDR_LEN,
                         WB_TL_TYPE_SYS_CMD, opcode, params, plen) == 0u) {
        return wbota_err_arg();
    }
    prv_barrier();
    WB_IPCC->C1SCR = CH_SET(CH_SYS);
    /* the response is signalled by the channel becoming free */
    if (!prv_wait_tx_free(CH_SYS, start, ms)) {
        return WBOTA_E_CPU2_NO_RESPONSE;
    }
    prv_barrier();
    /* Reference: the response is written at offset 0, without the list header. Accept it at
     * offset 8 (in place of the command) too: one place to change if a stack differs. */
    const uint8_t *serial = NULL;
    size_t serial_cap = 0u;
    if (s_sh.sys_cmd[0] == WB_TL_TYPE_SYS_RSP) {
        serial = &s_sh.sys_cmd[0];
        serial_cap = WB_TL_BUF_LEN;
    } else if (s_sh.sys_cmd[WB_TL_HDR_LEN] == WB_TL_TYPE_SYS_RSP) {
        serial = &s_sh.sys_cmd[WB_TL_HDR_LEN];
        serial_cap = WB_TL_BUF_LEN - WB_TL_HDR_LEN;
    }
    wb_tl_evt_t evt;
    wb_tl_cc_t cc;
    if (serial == NULL || !wb_tl_evt_decode(serial, serial_cap, &evt) ||
        !wb_tl_cc_decode(&evt, &cc) || cc.opcode != opcode) {
        return WBOTA_E_CPU2_NO_RESPONSE;
    }
    size_t n = cc.ret_len < cap ? cc.ret_len : cap;
    if (n > 0u && rsp != NULL) {
        memcpy(rsp, cc.ret, n);
    }
    if (rsp_len != NULL) {
        *rsp_len = rsp != NULL ? n : 0u;
    }
    return WBOTA_OK;
}

wbota_err_t wb_cpu2_ble_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *rsp,
                            size_t cap, size_t *rsp_len, uint32_t ms)
{
    if (s_state != WB_CPU2_RUN_WS) {
        return WBOTA_E_CPU2_NOT_READY;
    }
    uint8_t dummy;
    uint32_t start = wb_time_ms();
    if (!prv_wait_tx_free(CH_BLE, start, ms)) {
        return WBOTA_E_CPU2_NO_RESPONSE;
    }
    if (wb_tl_cmd_encode(&s_sh.ble_cmd[WB_TL_HDR_LEN], WB_TL_BUF_LEN - WB_TL_HDR_LEN,
                         WB_TL_TYPE_BLE_CMD, opcode, params, plen) == 0u) {
        return wbota_err_arg();
    }
    s_wait.active = true;
    s_wait.done = false;
    s_wait.opcode = opcode;
    s_wait.rsp = rsp != NULL ? rsp : &dummy;
    s_wait.cap = rsp != NULL ? cap : 1u;
    s_wait.len = 0u;
    prv_barrier();
    WB_IPCC->C1SCR = CH_SET(CH_BLE);
    wbota_err_t err = WBOTA_OK;
    for (;;) {
        wb_cpu2_poll();
        if (s_wait.done) {
            break;
        }
        if (prv_elapsed(start, ms)) {
            err = WBOTA_E_CPU2_NO_RESPONSE;
            break;
        }
    }
    s_wait.active = false;
    if (rsp_len != NULL) {
        *rsp_len = (err == WBOTA_OK && rsp != NULL) ? s_wait.len : 0u;
    }
    return err;
}

bool wb_cpu2_ble_evt_get(wb_tl_evt_t *evt)
{
    while (s_pend_len > 0u) {
        uint8_t *buf = s_pend[s_pend_head];
        if (wb_tl_evt_decode(&buf[WB_TL_HDR_LEN], WB_TL_BUF_LEN - WB_TL_HDR_LEN, evt)) {
            return true;
        }
        wb_cpu2_ble_evt_done(); /* cannot happen: checked on arrival */
    }
    return false;
}

void wb_cpu2_ble_evt_done(void)
{
    if (s_pend_len == 0u) {
        return;
    }
    uint8_t *buf = s_pend[s_pend_head];
    s_pend_head = (uint8_t)((s_pend_head + 1u) % PENDING_MAX);
    s_pend_len--;
    prv_release(buf);
}

wb_cpu2_stats_t wb_cpu2_stats(void)
{
    return s_stats;
}
