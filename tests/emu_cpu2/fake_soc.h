/* fake_soc.h - a host-only implementation of emu_soc.h for testing the CPU2 model and the
 * radio without Unicorn: flat SRAM, a timer list in simulated time, IPCC flags, HSEM, RCC facts,
 * and a record of emu_fail calls (the tests assert the rule). Plus a fake CPU1 (fake_cpu1.c)
 * that lays out the mailbox tables and talks to CPU2 the way the firmware must. */
#ifndef FAKE_SOC_H
#define FAKE_SOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_cpu2.h"
#include "emu_soc.h"

emu_soc_t *fake_soc_create(void);
void fake_soc_destroy(emu_soc_t *soc);
/* Runs due timers and poll hooks until now + ns (simulated). */
void fake_soc_advance(emu_soc_t *soc, uint64_t ns);
/* Runs the next timer (advancing time to it); false if none is scheduled. */
bool fake_soc_step(emu_soc_t *soc);
const char *fake_soc_failed_rule(const emu_soc_t *soc); /* NULL if no emu_fail yet */
bool fake_soc_log_has(const emu_soc_t *soc, const char *needle);
void fake_soc_set_rfwkpsel(emu_soc_t *soc, uint32_t v);
void fake_soc_reset(emu_soc_t *soc, bool power_on);
/* Timers fire ns after they are due, as the real SoC's do at the end of a CPU slice. */
void fake_soc_set_timer_lateness(emu_soc_t *soc, uint64_t ns);
/* CPU1 side of IPCC/HSEM/PWR */
void fake_c1_c2boot(emu_soc_t *soc);
void fake_c1_set(emu_soc_t *soc, unsigned ch);        /* C1SCR CHnS */
bool fake_c1_tx_busy(emu_soc_t *soc, unsigned ch);    /* C1TOC2SR CHnF */
bool fake_c1_rx_pending(emu_soc_t *soc, unsigned ch); /* C2TOC1SR CHnF */
void fake_c1_clear(emu_soc_t *soc, unsigned ch);      /* C1SCR CHnC */
bool fake_c1_hsem_lock(emu_soc_t *soc, unsigned sem);
void fake_c1_hsem_unlock(emu_soc_t *soc, unsigned sem);

/* ---- fake CPU1 ---- */
#define FC1_MAX_EVTS 64
typedef struct {
    uint8_t type, code, plen;
    uint8_t payload[255];
    uint32_t addr;
} fc1_evt_t;

typedef struct {
    emu_soc_t *soc;
    emu_cpu2_t *c2;
    unsigned pool_blocks;
    bool auto_release;
    fc1_evt_t evts[FC1_MAX_EVTS]; /* async BLE + system events, in arrival order */
    unsigned nevts;
    fc1_evt_t rsp; /* last BLE command complete/status */
    bool have_rsp;
    uint32_t held[FC1_MAX_EVTS]; /* buffers not yet released (auto_release off) */
    unsigned nheld;
} fc1_t;

#define FC1_POOL_ADDR 0x20030A00u
#define FC1_CS_BUF    0x20030600u

void fc1_init(fc1_t *f, unsigned pool_blocks, const emu_cpu2_opts_t *opts);
void fc1_free(fc1_t *f);
void fc1_write_tables(fc1_t *f);
/* Drains pending event queues (BLE ch1, system ch2) as CPU1's IPCC RX interrupt would. */
void fc1_poll(fc1_t *f);
/* Runs simulated time in small steps, polling, until pred or max_ns. */
bool fc1_run_until(fc1_t *f, bool (*pred)(fc1_t *), uint64_t max_ns);
/* Boots CPU2 and waits for the ready event; returns its payload[0] or -1. */
int fc1_boot(fc1_t *f);
/* System command; returns the status byte or -1 on timeout. ret gets the return params. */
int fc1_sys_cmd(fc1_t *f, uint16_t op, const uint8_t *p, uint8_t plen, uint8_t *ret,
                size_t *ret_len);
int fc1_ble_cmd(fc1_t *f, uint16_t op, const uint8_t *p, uint8_t plen, uint8_t *ret,
                size_t *ret_len);
/* BLE_INIT with the given LsSource and ATT MTU, returns status or -1. */
int fc1_ble_init(fc1_t *f, uint8_t ls_source, uint16_t att_mtu);
void fc1_release_held(fc1_t *f);
/* Finds the first async event with this code (and vendor subevent if code 0xFF). */
const fc1_evt_t *fc1_find(const fc1_t *f, uint8_t code, uint16_t subevt);
unsigned fc1_count(const fc1_t *f, uint8_t code, uint16_t subevt);

#endif
