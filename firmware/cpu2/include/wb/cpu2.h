/* wb/cpu2.h - CPU2 start-up and the IPCC transport (docs/st-interface.md#transport).
 * Owns: the shared tables in SRAM2A (.cpu2_shared at 0x20030000), C2BOOT, the ready event,
 * system commands on channel 2 (response read from the system command buffer when the channel
 * frees), BLE commands on channel 1 (command complete/status taken from the BLE event queue and
 * NOT returned to the pool), async event buffers returned through the free-buffer queue and
 * channel 4. Polling design: all work happens in wb_cpu2_poll from the main loop; waits poll
 * the IPCC flags (each bounded) and idle with WFI between polls. The IPCC RX interrupt (IRQ 44,
 * handler here) only wakes WFI and masks itself; SysTick wakes it every ms anyway.
 * Called by shci.c, ble.c, the loader's ota_service.c and apps (hello-ota). */
#ifndef WB_CPU2_H
#define WB_CPU2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl.h"           /* sibling include: host tests compile users of this header */
#include "wbota/config.h" /* WBOTA_CFG_CPU2_CMD_MS, WBOTA_CFG_CPU2_FREEBUF_MS */
#include "wbota/err.h"

typedef enum {
    WB_CPU2_OFF = 0, /* C2BOOT not yet set by us */
    WB_CPU2_BOOTING, /* C2BOOT set, no ready event yet */
    WB_CPU2_RUN_WS,  /* ready event: wireless stack running */
    WB_CPU2_RUN_FUS, /* ready event: FUS running */
} wb_cpu2_state_t;

/* Lays out the shared tables, enables the IPCC clock, arms EXTI line 41 for CPU2, boots CPU2
 * and waits up to ready_ms for the ready event. WBOTA_OK (state WS or FUS) or
 * WBOTA_E_CPU2_NOT_READY. */
wbota_err_t wb_cpu2_start(uint32_t ready_ms);
wb_cpu2_state_t wb_cpu2_state(void);
/* Call BEFORE the command that makes CPU2 restart (the 2nd FUS_GET_STATE, FUS_START_WS): from
 * here on only a new ready event satisfies wb_cpu2_wait_ready, even one that arrives while
 * that command is still being answered. */
void wb_cpu2_expect_restart(void);
/* Waits up to ms for a ready event not yet waited for (the first one after wb_cpu2_start, or
 * the next one after wb_cpu2_expect_restart). WBOTA_OK or WBOTA_E_CPU2_NOT_READY. */
wbota_err_t wb_cpu2_wait_ready(uint32_t ms);
/* Device info table as CPU2 filled it (versions). */
const wb_tl_device_info_t *wb_cpu2_device_info(void);

/* System command (OGF 0x3F). On WBOTA_OK, rsp holds [status, return params...] (*rsp_len
 * bytes, at most cap); the caller interprets the status (FUS_GET_STATE puts the state there).
 * WBOTA_E_CPU2_NOT_READY before the ready event, WBOTA_E_CPU2_NO_RESPONSE after ms. */
wbota_err_t wb_cpu2_sys_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *rsp,
                            size_t cap, size_t *rsp_len, uint32_t ms);

/* BLE command. Same contract as wb_cpu2_sys_cmd; for commands answered by command status
 * (hci_disconnect) rsp holds [status]. Async events that arrive meanwhile are kept for
 * wb_cpu2_ble_evt_get. */
wbota_err_t wb_cpu2_ble_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *rsp,
                            size_t cap, size_t *rsp_len, uint32_t ms);

/* Pulls events from the IPCC into the pending list and flushes deferred buffer releases.
 * Non-blocking; call from the main loop. */
void wb_cpu2_poll(void);
/* Oldest pending async BLE event, or false. The event stays valid (and its buffer held) until
 * wb_cpu2_ble_evt_done, which must be called exactly once per event returned. */
bool wb_cpu2_ble_evt_get(wb_tl_evt_t *evt);
void wb_cpu2_ble_evt_done(void);
/* Sleep until the next interrupt (SysTick at worst) unless events are pending. */
void wb_cpu2_idle(void);

/* Diagnostics: buffers released, events dropped because the pending list was full. */
typedef struct {
    uint32_t released;
    uint32_t dropped;
    uint32_t deferred;
} wb_cpu2_stats_t;
wb_cpu2_stats_t wb_cpu2_stats(void);

#endif
