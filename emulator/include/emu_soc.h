/* emu_soc.h - the seam between the emulated STM32WB55 CPU1 side (SoC: Unicorn CPU, NVIC,
 * memory map, peripheral models; emulator/soc) and the models that sit outside CPU1 (CPU2 model,
 * virtual radio; emulator/cpu2, emulator/radio).
 * Owns: how those models read/write device memory, drive IPCC/HSEM from CPU2's side, read RCC
 * facts, schedule work in simulated time, log/trace, and fail loudly. Implemented by soc/;
 * called by cpu2/ and radio/. No Unicorn types leak through this header. */
#ifndef EMU_SOC_H
#define EMU_SOC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct emu_soc emu_soc_t;

/* ---- memory, bypassing the CPU (no MMIO side effects; RAM/flash/OTP only) ---- */
bool emu_mem_read(emu_soc_t *soc, uint32_t addr, void *buf, uint32_t len);
bool emu_mem_write(emu_soc_t *soc, uint32_t addr, const void *buf, uint32_t len);

/* ---- simulated time (nanoseconds since the last power-on of the emulator) ---- */
uint64_t emu_time_ns(const emu_soc_t *soc);
typedef void (*emu_timer_cb)(emu_soc_t *soc, void *arg);
/* Run cb at simulated time at_ns (>= now). Returns a handle > 0 for emu_cancel. Timers are
 * dropped on any reset (models re-arm in their reset_cb). */
uint32_t emu_schedule(emu_soc_t *soc, uint64_t at_ns, emu_timer_cb cb, void *arg);
void emu_cancel(emu_soc_t *soc, uint32_t handle);

/* ---- diagnostics ---- */
/* A rule of the hardware/CPU2 interface was broken: prints "EMU RULE <rule>: <detail>" with PC
 * and time, stops the run; wbota-emu exits with status 3. */
void emu_fail(emu_soc_t *soc, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Device log line (always shown, also sent to the radio client as EMU_EVT_LOG). */
void emu_log(emu_soc_t *soc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define EMU_TRACE_PERIPH 0x1u
#define EMU_TRACE_CPU2   0x2u
#define EMU_TRACE_RADIO  0x4u
#define EMU_TRACE_RESET  0x8u
#define EMU_TRACE_FLASH  0x10u
bool emu_trace_on(const emu_soc_t *soc, unsigned category);
void emu_trace(emu_soc_t *soc, unsigned category, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- IPCC as seen from CPU2 (channels 1..6) ---- */
bool emu_ipcc_c1_to_c2_pending(emu_soc_t *soc, unsigned ch); /* C1TOC2SR.CHnF */
void emu_ipcc_c2_ack(emu_soc_t *soc, unsigned ch); /* CPU2 clears CHnF (frees CPU1's channel) */
void emu_ipcc_c2_to_c1_set(emu_soc_t *soc, unsigned ch);     /* CPU2 sets C2TOC1SR.CHnF */
bool emu_ipcc_c2_to_c1_pending(emu_soc_t *soc, unsigned ch); /* still set (CPU1 not yet cleared) */

/* ---- HSEM as CPU2 (COREID 8) ---- */
bool emu_hsem_cpu2_lock(emu_soc_t *soc, unsigned sem); /* 1-step lock; false if taken */
void emu_hsem_cpu2_unlock(emu_soc_t *soc, unsigned sem);
/* 0 = free, else the COREID of the owner (4 = CPU1, 8 = CPU2). */
unsigned emu_hsem_owner(const emu_soc_t *soc, unsigned sem);

/* ---- RCC / option bytes facts CPU2 depends on ---- */
uint32_t emu_rcc_rfwkpsel(const emu_soc_t *soc); /* RCC_CSR[15:14] */
bool emu_rcc_hse_ready(const emu_soc_t *soc);
bool emu_rcc_lse_ready(const emu_soc_t *soc);
uint32_t emu_option_sfsa(const emu_soc_t *soc);

/* ---- models outside CPU1 plug in here ---- */
typedef struct {
    const char *name;
    /* PWR_CR4.C2BOOT went 0 -> 1 */
    void (*c2boot_cb)(emu_soc_t *soc, void *ctx);
    /* CPU1 set C1TOC2SR.CHnF (via C1SCR CHnS) */
    void (*ipcc_c1_set_cb)(emu_soc_t *soc, void *ctx, unsigned ch);
    /* CPU1 cleared C2TOC1SR.CHnF (via C1SCR CHnC): the channel is free again */
    void (*ipcc_c1_cleared_cb)(emu_soc_t *soc, void *ctx, unsigned ch);
    /* system reset (power_on false) or power-on reset (true); CPU2 restarts/stops accordingly */
    void (*reset_cb)(emu_soc_t *soc, void *ctx, bool power_on);
    /* called between CPU slices; cheap */
    void (*poll_cb)(emu_soc_t *soc, void *ctx);
    /* when CPU1 sleeps (WFI/WFE) with no timer scheduled: fd to block on (wall time) or -1 */
    int (*wait_fd_cb)(emu_soc_t *soc, void *ctx);
    /* after wait_fd became readable */
    void (*fd_ready_cb)(emu_soc_t *soc, void *ctx);
    /* optional: true when the model will never again act towards CPU1 by itself (e.g. FUS idle,
     * waiting for a command). A CPU1 asleep with nothing else to wake it is then a hang even
     * while the radio keeps time running. */
    bool (*idle_forever_cb)(emu_soc_t *soc, void *ctx);
} emu_device_ops_t;
/* Attach a model; up to 8. ops must outlive the soc. */
bool emu_soc_attach(emu_soc_t *soc, const emu_device_ops_t *ops, void *ctx);

/* ---- asking for a reset from outside CPU1 (radio POWER_CYCLE request, fault injection) ---- */
void emu_request_power_on_reset(emu_soc_t *soc);
/* A system reset as if CPU1 had set AIRCR.SYSRESETREQ (RAM kept, SFTRSTF set): lets a test
 * force a reboot into the loader that the app kit would have refused. */
#define EMU_HAVE_SYSTEM_RESET_REQUEST 1
void emu_request_system_reset(emu_soc_t *soc);

#endif
