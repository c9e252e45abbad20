/* soc.h - internals of the emulated STM32WB55 CPU1 side, shared by the soc/ files only.
 * Owns: the emu_soc struct (Unicorn engine, memories, time, timers, NVIC state, peripheral
 * windows, attached devices), the peripheral window table and the calls peripheral models use
 * (IRQ lines, flash change notification, bus access for tests).
 * Included by the emulator/soc sources and the emulator's own tests; cpu2/ and radio/ use
 * emu_soc.h. */
#ifndef EMU_SOC_INTERNAL_H
#define EMU_SOC_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "emu_soc.h"
#include "regtable.h"

#include "wbota/exit_codes.h"
#include "wbota/flash_model.h"

/* ---- run outcome: the wbota-emu exit status, from the table both host programs share
 * (wbota/exit_codes.h, docs/wbota.md#exit-codes): WBOTA_EXIT_OK when a limit is reached or with
 * --exit-on-idle, WBOTA_EXIT_EMU_FAULT / _RULE / _HANG otherwise ---- */
typedef struct {
    uint64_t uid64;        /* value at 0x1FFF7580 (word 0 low, word 1 high) */
    uint32_t sfsa;         /* FLASH_SFR[7:0] */
    uint8_t hse_tune;      /* OTP record id 0, byte 6 */
    bool strict;           /* unmodelled register access stops the run (EMU_RULE) */
    bool exit_on_idle;     /* sleeping with nothing scheduled = success, not hang */
    unsigned trace;        /* EMU_TRACE_* mask */
    FILE *log;             /* copy of every line (may be NULL) */
    uint64_t max_time_ns;  /* 0 = unlimited */
    uint64_t max_insn;     /* 0 = unlimited */
    uint32_t cut_flash_op; /* power cut at this flash operation (1-based), 0 = off */
    wbota_cut_kind_t cut_kind;
    uint64_t cut_time_ns; /* power cut at simulated time (0 = off) */
    uint64_t cut_insn;    /* power cut at instruction count (0 = off) */
    bool quiet;           /* no end-of-run report */
    bool hse_dead;        /* the 32 MHz crystal never starts: HSERDY stays 0 */
    bool pka_stuck;       /* a started PKA operation never ends (BUSY stays 1) */
    /* --debug-write: bytes put into flash while the power is off at a time or instruction cut
     * (a debugger or programmer on SWD, no flash controller, no loader involved); len 0 = off */
    uint32_t debug_write_addr;
    uint32_t debug_write_len;
    uint8_t debug_write[64];
    /* --debug-erase: pages erased the same way at that cut (a programmer's page erase) */
    uint32_t debug_erase_page;
    uint32_t debug_erase_count; /* 0 = off */
} emu_soc_opts_t;

/* ---- peripheral windows (1 KB granules routed by one bus dispatcher) ---- */
/* Writes carry the byte lanes written in mask (0xFF for byte 0 ... 0xFFFFFFFF for a word) and the
 * value already shifted into its lane; off is word-aligned. */
typedef struct emu_periph {
    const char *name;    /* NULL: rb's block name and base */
    uint32_t base, size; /* size 0: 1 KB */
    uint32_t (*read)(emu_soc_t *soc, void *st, uint32_t off);
    void (*write)(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask);
    void (*reset)(emu_soc_t *soc, void *st, bool power_on);
    void *st;
    /* Register table (NULL: the model decodes offsets itself, no names). With a table, offsets
     * outside it are reserved; read/write NULL = generic engine on vals (one word per entry),
     * which every reset sets to the table's reset values before calling reset. */
    const emu_regblock_t *rb;
    uint32_t *vals;
    /* Clock gate: RCC enable register offset and bit (clk_off 0 = rb's gate, or always clocked
     * without rb). With the clock off the block ignores writes and reads 0 (rule CLOCK_OFF in
     * strict mode). */
    uint16_t clk_off;
    uint32_t clk_bit;
} emu_periph_t;

#define EMU_MAX_PERIPH  32
#define EMU_MAX_TIMERS  64
#define EMU_MAX_DEVICES 8
#define EMU_NUM_IRQ     64 /* external interrupts 0..63 (WB55 uses 0..62) */
#define EMU_NUM_EXC     (16 + EMU_NUM_IRQ)

/* exception numbers (ARMv7-M) */
#define EMU_EXC_NMI       2
#define EMU_EXC_HARDFAULT 3
#define EMU_EXC_SVCALL    11
#define EMU_EXC_PENDSV    14
#define EMU_EXC_SYSTICK   15
#define EMU_EXC_IRQ0      16

/* WB55 IRQ numbers used by the models (RM0434 table 51) */
#define EMU_IRQ_RTC_WKUP 3
#define EMU_IRQ_FLASH    4
#define EMU_IRQ_RCC      5
#define EMU_IRQ_IPCC_RX  44
#define EMU_IRQ_IPCC_TX  45
#define EMU_IRQ_HSEM     46

typedef struct {
    uint32_t handle;
    uint64_t at_ns;
    emu_timer_cb cb;
    void *arg;
} emu_timer_t;

/* Bitmaps are indexed by exception number (IRQn = exception - 16). */
typedef struct {
    uint32_t en[3], pend[3], act[3], line[3];
    uint8_t prio[EMU_NUM_EXC]; /* priority byte per exception number (top 4 bits used) */
    uint32_t vtor, prigroup, scr, ccr, shcsr, cpacr, actlr, fpccr;
    bool event_reg; /* WFE event register */
} emu_nvic_t;

typedef struct {
    uint32_t csr, rvr;
    uint64_t start_ns; /* simulated time of the last (re)load */
    uint32_t load_val; /* counter value at start_ns */
    uint32_t timer;    /* scheduled wrap */
    uint64_t wrap_ns;  /* when that wrap is due */
    bool countflag;
} emu_systick_t;

struct emu_soc {
    void *uc; /* uc_engine*, kept opaque so peripheral files need no Unicorn include */
    emu_soc_opts_t opt;

    /* memories */
    wbota_flash_model_t *fm; /* the truth for flash content */
    uint8_t *flash_view;     /* what the CPU sees (mapped at 0 and 0x08000000) */
    uint8_t *sram1, *sram2;  /* SRAM1 192 KB, SRAM2a+2b 64 KB */
    uint8_t *sysmem;         /* 0x1FFF0000 .. 0x1FFF8FFF: system memory, OTP, engineering */

    /* time */
    uint64_t insn;           /* instructions executed since the emulator started */
    uint64_t time_ns;        /* simulated ns at insn_base */
    uint64_t insn_base;      /* instruction count at which time_ns was valid */
    uint32_t sysclk_hz;      /* CPU clock (RCC model) */
    uint64_t slice_end_insn; /* block hook stops the slice here */
    bool stop_now;           /* block hook stops at the next block (irq became pending) */
    bool masked_pending;     /* an interrupt is pending but masked: re-check at each block */

    /* snapshot: peripheral state blobs and the timer callbacks that can be restored */
    struct {
        void *p;
        size_t size;
    } state[16];
    unsigned nstate;
    emu_timer_cb snap_cbs[8];
    unsigned nsnap_cbs;
    int sleep; /* 0 running, 1 WFI, 2 WFE */

    emu_timer_t timers[EMU_MAX_TIMERS];
    unsigned ntimers;
    uint32_t next_handle;

    emu_nvic_t nvic;
    emu_systick_t systick;

    emu_periph_t periph[EMU_MAX_PERIPH];
    unsigned nperiph;
    struct {
        const emu_device_ops_t *ops;
        void *ctx;
    } dev[EMU_MAX_DEVICES];
    unsigned ndev;

    /* peripheral state (owned by periph_*.c, allocated by soc.c) */
    struct emu_flash *flash;
    struct emu_rcc *rcc;
    struct emu_pwr *pwr;
    struct emu_ipcc *ipcc;
    struct emu_hsem *hsem;
    struct emu_exti *exti;
    struct emu_rtc *rtc;
    struct emu_gpio *gpio;
    struct emu_misc *misc;
    struct emu_rng *rng;
    struct emu_pka *pka;
    struct emu_uart *uart;

    /* emu_log lines are also handed to this sink (the radio forwards them to its client) */
    void (*log_sink)(void *ctx, const char *line);
    void *log_sink_ctx;

    /* run control */
    bool running;
    bool stopped;
    int exit_code;
    bool reset_request; /* system reset at the next slice boundary */
    bool por_request;   /* power-on reset at the next slice boundary */
    bool cut_fired;
    unsigned resets_sys, resets_por;
    uint32_t last_pc;
    /* CPU write to flash in PG mode: restored from the model at the slice end */
    bool flash_view_dirty;
    bool inv_pending; /* translated code in [inv_lo, inv_hi) (flash offsets) to drop */
    uint32_t inv_lo, inv_hi;
    uint32_t dirty_lo, dirty_hi;
};

/* Set from a signal handler (SIGTERM/SIGINT): the run stops at the next block with a report. */
extern volatile sig_atomic_t emu_soc_signal;

/* ---- soc.c ---- */
emu_soc_t *emu_soc_create(const emu_soc_opts_t *opt);
void emu_soc_destroy(emu_soc_t *soc);
/* Power-on reset: memories filled, flash kept (it lives in the model), CPU from the vector
 * table at 0. */
void emu_soc_power_on(emu_soc_t *soc);
/* Run until a stop condition; returns the exit status (WBOTA_EXIT_*). */
int emu_soc_run(emu_soc_t *soc);
void emu_soc_report(emu_soc_t *soc);
/* Load bytes into flash as a programmer would (bypasses the controller, not an operation). */
bool emu_soc_flash_load(emu_soc_t *soc, uint32_t addr, const void *data, uint32_t len);
bool emu_soc_state_save(emu_soc_t *soc, const char *path);
bool emu_soc_state_load(emu_soc_t *soc, const char *path);
/* Bus access as the CPU would do it (MMIO side effects included). Tests use these. */
uint32_t emu_bus_read(emu_soc_t *soc, uint32_t addr, unsigned size);
void emu_bus_write(emu_soc_t *soc, uint32_t addr, uint32_t val, unsigned size);
/* Stop the run with a status and a message (exit code). */
void emu_soc_stop(emu_soc_t *soc, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void emu_soc_request_system_reset(emu_soc_t *soc);
/* Tests: reset at once (system or power-on), and let simulated time pass with the CPU idle. */
void emu_soc_reset_now(emu_soc_t *soc, bool power_on);
void emu_soc_advance(emu_soc_t *soc, uint64_t ns);
void emu_soc_set_log_sink(emu_soc_t *soc, void (*sink)(void *ctx, const char *line), void *ctx);
void emu_soc_register_periph(emu_soc_t *soc, const emu_periph_t *p);
/* A model's bus window p plus its plain-data state p->st (state_size bytes, kept in snapshots),
 * its timer callback (NULL: none) for snapshots, then its power-on reset. */
void emu_soc_add_model(emu_soc_t *soc, const emu_periph_t *p, size_t state_size, emu_timer_cb cb);
/* Snapshot support: a peripheral's plain-data state (no pointers), and a timer callback whose
 * pending timers (with a non-pointer arg) are saved and restored. */
void emu_soc_register_state(emu_soc_t *soc, void *p, size_t size);
void emu_soc_register_timer_cb(emu_soc_t *soc, emu_timer_cb cb);
/* A register access the model does not implement: logged; strict mode stops the run (EMU_RULE). */
void emu_soc_unimplemented(emu_soc_t *soc, const char *periph, uint32_t addr, bool write,
                           uint32_t val);
/* Flash array content changed (erase/program): refresh the CPU view of [addr, addr+len). */
void emu_soc_flash_changed(emu_soc_t *soc, uint32_t addr, uint32_t len);
/* Current SYSCLK changed (RCC switch). */
void emu_soc_set_sysclk(emu_soc_t *soc, uint32_t hz);
void emu_soc_sync_time(emu_soc_t *soc);
uint32_t emu_soc_pc(emu_soc_t *soc);

/* ---- nvic.c (NVIC, SCB, exception entry/return) ---- */
void emu_nvic_init(emu_soc_t *soc);
void emu_nvic_reset(emu_soc_t *soc);
void emu_nvic_set_pending(emu_soc_t *soc, unsigned exc);
void emu_nvic_clear_pending(emu_soc_t *soc, unsigned exc);
/* Level-style IRQ line from a peripheral: true = pending (re-evaluated on each call). */
void emu_irq_set(emu_soc_t *soc, unsigned irq, bool level);
/* Highest-priority pending exception that could preempt now (0 if none). ignore_primask for
 * WFI wake-up. */
unsigned emu_nvic_pending_exc(emu_soc_t *soc, bool ignore_primask);
bool emu_nvic_any_pending(emu_soc_t *soc);
/* Exception entry/return; false on a fault (run stopped). */
bool emu_nvic_enter(emu_soc_t *soc, unsigned exc, uint32_t return_pc);
bool emu_nvic_exc_return(emu_soc_t *soc, uint32_t exc_return);

/* ---- systick (periph_systick.c), registers routed from the SCS window ---- */
void emu_systick_init(emu_soc_t *soc);
void emu_systick_reset(emu_soc_t *soc);
uint32_t emu_systick_read(emu_soc_t *soc, uint32_t off);
void emu_systick_catch_up(emu_soc_t *soc); /* run a wrap that is already due */
void emu_systick_write(emu_soc_t *soc, uint32_t off, uint32_t val);

/* ---- peripheral model constructors (periph_*.c) ---- */
void emu_flash_init(emu_soc_t *soc);
void emu_flash_cpu_write(emu_soc_t *soc, uint32_t addr, uint32_t val, unsigned size);
bool emu_flash_pg_mode(const emu_soc_t *soc);
void emu_rcc_init(emu_soc_t *soc);
void emu_rcc_note_reset(emu_soc_t *soc, bool power_on);
/* RCC enable register at off has bit set (clock gates of the other blocks). */
bool emu_rcc_enabled(const emu_soc_t *soc, uint32_t off, uint32_t bit);
/* RNG kernel clock frequency from RCC_CCIPR.RNGSEL/CLK48SEL, 0 if the source does not run. */
uint32_t emu_rcc_rng_clock_hz(const emu_soc_t *soc);
/* RCC enable register offsets (RM0434 6.4) used as clock gates */
#define EMU_RCC_AHB1ENR  0x48u
#define EMU_RCC_AHB2ENR  0x4Cu
#define EMU_RCC_AHB3ENR  0x50u
#define EMU_RCC_APB1ENR1 0x58u
#define EMU_RCC_APB2ENR  0x60u
void emu_pwr_init(emu_soc_t *soc);
void emu_ipcc_init(emu_soc_t *soc);
void emu_hsem_init(emu_soc_t *soc);
void emu_exti_init(emu_soc_t *soc);
void emu_rtc_init(emu_soc_t *soc);
void emu_gpio_init(emu_soc_t *soc);
void emu_misc_init(emu_soc_t *soc); /* DBGMCU, SYSCFG and friends */
void emu_rng_init(emu_soc_t *soc);
void emu_pka_init(emu_soc_t *soc);
/* ECDSA verifications the PKA model started since power-on (tests). */
uint32_t emu_pka_verifications(const emu_soc_t *soc);
void emu_uart_init(emu_soc_t *soc); /* USART1, DMA2, DMAMUX1 */
/* Name of the RM0434 peripheral block at addr, or NULL. */
const char *emu_unimpl_name(uint32_t addr);

/* ---- key sequence helper (shared by FLASH KEYR/OPTKEYR, RCC HSECR, HSEM CR) ---- */
typedef struct {
    uint32_t keys[2]; /* expected sequence (by value: the struct is saved in snapshots) */
    unsigned nkeys;
    unsigned pos;  /* keys matched so far */
    bool blocked;  /* wrong key: locked until reset */
    bool unlocked; /* full sequence seen */
} emu_keylock_t;
void emu_keylock_reset(emu_keylock_t *k);
/* Feed one written value; returns true if this write completed the sequence. */
bool emu_keylock_feed(emu_keylock_t *k, uint32_t val);

/* Masked register update for peripheral writes. */
static inline uint32_t emu_reg_merge(uint32_t old, uint32_t val, uint32_t mask, uint32_t wmask)
{
    uint32_t m = mask & wmask;
    return (old & ~m) | (val & m);
}

#endif
