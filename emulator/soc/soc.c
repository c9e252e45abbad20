/* soc.c - the emulated STM32WB55 CPU1 side: Unicorn engine, memory map (RM0434 2.2), MMIO bus
 * dispatcher, simulated time and timers, the run loop (slices, WFI/WFE, exceptions), resets,
 * fault reports, and the emu_soc.h functions other models call. */
#include "soc.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicorn/unicorn.h>

#define UC(soc) ((uc_engine *)(soc)->uc)

#define SRAM1_BASE     0x20000000u
#define SRAM1_SIZE     0x30000u /* 192 KB (RM0434 2.2.2, STM32WB55xG) */
#define SRAM2_BASE     0x20030000u
#define SRAM2_SIZE     0x10000u /* SRAM2a 32 KB + SRAM2b 32 KB */
#define SYSMEM_BASE    0x1FFF0000u
#define SYSMEM_SIZE    0x9000u /* system memory 28 KB, OTP 1 KB at 0x1FFF7000, info, option bytes */
#define OTP_BASE       0x1FFF7000u
#define UID64_ADDR     0x1FFF7580u
#define FLASHSIZE_ADDR 0x1FFF75E0u
#define UNTIL_ADDR     0xFFFFFFFEu /* never executed: every slice ends by our own stop */

/* A slice is at most this much simulated time: interrupts that become pending while the CPU runs
 * are taken at slice boundaries (or at the next block after an MMIO access pends them). */
#define SLICE_MAX_INSN        200000u
#define SLICE_WALL_TIMEOUT_US 2000000u

/* MMIO regions mapped to the bus dispatcher; everything else is unmapped (a fault). */
static const struct {
    uint32_t base, size;
} s_mmio_regions[] = {
    {0x40000000u, 0x00030000u}, /* APB1, APB2, AHB1 */
    {0x48000000u, 0x00002000u}, /* AHB2 GPIO */
    {0x50040000u, 0x00001000u}, /* ADC */
    {0x50060000u, 0x00001000u}, /* AES1 */
    {0x58000000u, 0x00005000u}, /* AHB4: RCC PWR EXTI IPCC RNG HSEM AES2 PKA FLASH */
    {0xE0000000u, 0x00100000u}, /* Cortex-M4 private peripheral bus + DBGMCU */
};

volatile sig_atomic_t emu_soc_signal;

/* ---------------- decode cache: instructions per translated block ---------------- */
#define DCACHE_SIZE 8192u
#define DCACHE_SEV  0x80000000u /* flag in the count: the block contains a SEV instruction */
typedef struct {
    uint32_t addr;
    uint32_t gen;
    uint32_t size;
    uint32_t n;
} prv_dentry_t;
static prv_dentry_t *s_dcache; /* one soc per process in practice; keyed by soc generation */
static uint32_t s_dgen = 1;
static uint32_t prv_count_insns_slow(emu_soc_t *soc, uint64_t addr, uint32_t size);

static uint32_t prv_count_insns(emu_soc_t *soc, uint64_t addr, uint32_t size)
{
    static uint32_t last_addr, last_size, last_gen, last_n; /* tight loops repeat one block */
    if ((uint32_t)addr == last_addr && size == last_size && last_gen == s_dgen) {
        return last_n;
    }
    last_addr = (uint32_t)addr;
    last_size = size;
    last_gen = s_dgen;
    last_n = prv_count_insns_slow(soc, addr, size);
    return last_n;
}

static uint32_t prv_count_insns_slow(emu_soc_t *soc, uint64_t addr, uint32_t size)
{
    uint32_t idx = ((uint32_t)addr >> 1) & (DCACHE_SIZE - 1u);
    prv_dentry_t *e = &s_dcache[idx];
    if (e->gen == s_dgen && e->addr == (uint32_t)addr && e->size == size) {
        return e->n;
    }
    uint8_t buf[2048];
    uint32_t n = 0;
    if (size == 0u) {
        n = 1;
    } else if (size > sizeof(buf) || uc_mem_read(UC(soc), addr, buf, size) != UC_ERR_OK) {
        n = (size + 2u) / 3u; /* mix of 16- and 32-bit Thumb-2 instructions */
    } else {
        bool sev = false;
        for (uint32_t i = 0; i + 1u < size;) {
            uint16_t hw = (uint16_t)(buf[i] | (buf[i + 1u] << 8));
            sev = sev || hw == 0xBF40u;
            i += ((hw >> 11) >= 0x1Du) ? 4u : 2u; /* 0b11101/11110/11111: 32-bit encoding */
            n++;
        }
        if (sev) {
            n |= DCACHE_SEV; /* Unicorn runs SEV as a NOP: the block hook sets the event */
        }
    }
    e->addr = (uint32_t)addr;
    e->gen = s_dgen;
    e->size = size;
    e->n = n;
    return n;
}

/* ---------------- time ---------------- */
uint64_t emu_time_ns(const emu_soc_t *soc)
{
    uint64_t d = soc->insn - soc->insn_base;
    return soc->time_ns + (d * 1000000000ull) / soc->sysclk_hz;
}

void emu_soc_sync_time(emu_soc_t *soc)
{
    soc->time_ns = emu_time_ns(soc);
    soc->insn_base = soc->insn;
}

void emu_soc_set_sysclk(emu_soc_t *soc, uint32_t hz)
{
    emu_soc_sync_time(soc);
    soc->sysclk_hz = hz ? hz : 4000000u;
}

/* Instructions until simulated time t at the current clock (rounded up). */
static uint64_t prv_insns_until(const emu_soc_t *soc, uint64_t t)
{
    uint64_t now = emu_time_ns(soc);
    if (t <= now) {
        return 0;
    }
    return ((t - now) * soc->sysclk_hz + 999999999ull) / 1000000000ull;
}

uint32_t emu_schedule(emu_soc_t *soc, uint64_t at_ns, emu_timer_cb cb, void *arg)
{
    if (soc->ntimers >= EMU_MAX_TIMERS) {
        emu_fail(soc, "EMU_TIMERS", "more than %u timers scheduled", EMU_MAX_TIMERS);
        return 0;
    }
    uint64_t now = emu_time_ns(soc);
    emu_timer_t *t = &soc->timers[soc->ntimers++];
    t->handle = ++soc->next_handle;
    if (t->handle == 0u) {
        t->handle = ++soc->next_handle;
    }
    t->at_ns = at_ns < now ? now : at_ns;
    t->cb = cb;
    t->arg = arg;
    /* a timer earlier than the running slice's end must shorten it */
    uint64_t n = soc->insn + prv_insns_until(soc, t->at_ns);
    if (n < soc->slice_end_insn) {
        soc->slice_end_insn = n;
    }
    return t->handle;
}

void emu_cancel(emu_soc_t *soc, uint32_t handle)
{
    for (unsigned i = 0; i < soc->ntimers; i++) {
        if (soc->timers[i].handle == handle) {
            soc->timers[i] = soc->timers[--soc->ntimers];
            return;
        }
    }
}

static bool prv_next_timer(const emu_soc_t *soc, uint64_t *at)
{
    bool any = false;
    for (unsigned i = 0; i < soc->ntimers; i++) {
        if (!any || soc->timers[i].at_ns < *at) {
            *at = soc->timers[i].at_ns;
            any = true;
        }
    }
    return any;
}

/* Fire every due timer, earliest first (callbacks may schedule more). */
static void prv_fire_timers(emu_soc_t *soc)
{
    for (unsigned guard = 0; guard < 10000u && !soc->stopped; guard++) {
        uint64_t now = emu_time_ns(soc);
        int best = -1;
        for (unsigned i = 0; i < soc->ntimers; i++) {
            if (soc->timers[i].at_ns <= now &&
                (best < 0 || soc->timers[i].at_ns < soc->timers[best].at_ns)) {
                best = (int)i;
            }
        }
        if (best < 0) {
            return;
        }
        emu_timer_t t = soc->timers[best];
        soc->timers[best] = soc->timers[--soc->ntimers];
        t.cb(soc, t.arg);
    }
}

/* ---------------- diagnostics ---------------- */
static void prv_vline(emu_soc_t *soc, FILE *to, const char *prefix, const char *fmt, va_list ap)
{
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(to, "%s%s\n", prefix, line);
    fflush(to);
    if (soc->opt.log != NULL) {
        fprintf(soc->opt.log, "[%12.6f] %s%s\n", (double)emu_time_ns(soc) / 1e9, prefix, line);
        fflush(soc->opt.log);
    }
}

void emu_soc_stop(emu_soc_t *soc, int exit_code, const char *fmt, ...)
{
    if (!soc->stopped) {
        va_list ap;
        va_start(ap, fmt);
        prv_vline(soc, stderr, "", fmt, ap);
        va_end(ap);
        soc->stopped = true;
        soc->exit_code = exit_code;
    }
    if (soc->running) {
        uc_emu_stop(UC(soc));
    }
}

void emu_fail(emu_soc_t *soc, const char *rule, const char *fmt, ...)
{
    char detail[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    emu_soc_stop(soc, WBOTA_EXIT_EMU_RULE, "EMU RULE %s: %s (PC 0x%08" PRIx32 ", t=%" PRIu64 " us)",
                 rule, detail, emu_soc_pc(soc), emu_time_ns(soc) / 1000u);
}

void emu_log(emu_soc_t *soc, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stdout, "EMU LOG %s\n", line);
    fflush(stdout);
    if (soc->opt.log != NULL) {
        fprintf(soc->opt.log, "[%12.6f] EMU LOG %s\n", (double)emu_time_ns(soc) / 1e9, line);
    }
    if (soc->log_sink != NULL) {
        soc->log_sink(soc->log_sink_ctx, line);
    }
}

void emu_soc_set_log_sink(emu_soc_t *soc, void (*sink)(void *ctx, const char *line), void *ctx)
{
    soc->log_sink = sink;
    soc->log_sink_ctx = ctx;
}

bool emu_trace_on(const emu_soc_t *soc, unsigned category)
{
    return (soc->opt.trace & category) != 0u;
}

void emu_trace(emu_soc_t *soc, unsigned category, const char *fmt, ...)
{
    if (!emu_trace_on(soc, category)) {
        return;
    }
    char prefix[48];
    snprintf(prefix, sizeof(prefix), "EMU TRACE %10" PRIu64 " us ", emu_time_ns(soc) / 1000u);
    va_list ap;
    va_start(ap, fmt);
    prv_vline(soc, stdout, prefix, fmt, ap);
    va_end(ap);
}

uint32_t emu_soc_pc(emu_soc_t *soc)
{
    uint32_t pc = 0;
    if (soc->uc != NULL) {
        uc_reg_read(UC(soc), UC_ARM_REG_PC, &pc);
    }
    return pc;
}

void emu_soc_unimplemented(emu_soc_t *soc, const char *periph, uint32_t addr, bool write,
                           uint32_t val)
{
    const char *name = periph ? periph : emu_unimpl_name(addr);
    char value[24] = "";
    if (write) {
        snprintf(value, sizeof(value), " = 0x%08" PRIx32, val);
    }
    if (soc->opt.strict) {
        emu_soc_stop(soc, WBOTA_EXIT_EMU_RULE,
                     "EMU UNIMPL %s %s 0x%08" PRIx32 "%s (PC near 0x%08" PRIx32
                     "): register not modelled (strict)",
                     name ? name : "unknown", write ? "write" : "read", addr, value,
                     emu_soc_pc(soc));
    } else {
        fprintf(stderr, "EMU UNIMPL %s %s 0x%08" PRIx32 " (ignored: --no-strict)\n",
                name ? name : "unknown", write ? "write" : "read", addr);
    }
}

/* ---------------- memory ---------------- */
static uint8_t *prv_ram_ptr(emu_soc_t *soc, uint32_t addr, uint32_t len, bool for_write)
{
    if (addr >= SRAM1_BASE && (uint64_t)addr + len <= SRAM1_BASE + SRAM1_SIZE) {
        return soc->sram1 + (addr - SRAM1_BASE);
    }
    if (addr >= SRAM2_BASE && (uint64_t)addr + len <= SRAM2_BASE + SRAM2_SIZE) {
        return soc->sram2 + (addr - SRAM2_BASE);
    }
    if (for_write) {
        return NULL;
    }
    if (addr >= WBOTA_FLASH_BASE && (uint64_t)addr + len <= WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE) {
        return soc->fm->mem + (addr - WBOTA_FLASH_BASE);
    }
    if ((uint64_t)addr + len <= WBOTA_FLASH_SIZE) { /* boot alias of flash at 0 */
        return soc->fm->mem + addr;
    }
    if (addr >= SYSMEM_BASE && (uint64_t)addr + len <= SYSMEM_BASE + SYSMEM_SIZE) {
        return soc->sysmem + (addr - SYSMEM_BASE);
    }
    return NULL;
}

bool emu_mem_read(emu_soc_t *soc, uint32_t addr, void *buf, uint32_t len)
{
    uint8_t *p = prv_ram_ptr(soc, addr, len, false);
    if (p == NULL) {
        return false;
    }
    memcpy(buf, p, len);
    return true;
}

bool emu_mem_write(emu_soc_t *soc, uint32_t addr, const void *buf, uint32_t len)
{
    uint8_t *p = prv_ram_ptr(soc, addr, len, true);
    if (p == NULL) {
        return false;
    }
    memcpy(p, buf, len);
    return true;
}

void emu_soc_flash_changed(emu_soc_t *soc, uint32_t addr, uint32_t len)
{
    uint32_t off = addr - WBOTA_FLASH_BASE;
    if (off >= WBOTA_FLASH_SIZE) {
        return;
    }
    if (len > WBOTA_FLASH_SIZE - off) {
        len = WBOTA_FLASH_SIZE - off;
    }
    memcpy(soc->flash_view + off, soc->fm->mem + off, len);
    s_dgen++;
    if (soc->running) {
        /* translated blocks cannot be dropped from inside a hook: after the slice */
        if (!soc->inv_pending || off < soc->inv_lo) {
            soc->inv_lo = off;
        }
        if (!soc->inv_pending || off + len > soc->inv_hi) {
            soc->inv_hi = off + len;
        }
        soc->inv_pending = true;
        soc->stop_now = true;
        return;
    }
    uc_ctl_remove_cache(UC(soc), WBOTA_FLASH_BASE + off, WBOTA_FLASH_BASE + off + len);
    uc_ctl_remove_cache(UC(soc), off, off + len);
}

bool emu_soc_flash_load(emu_soc_t *soc, uint32_t addr, const void *data, uint32_t len)
{
    if (addr < WBOTA_FLASH_BASE || (uint64_t)addr + len > WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE) {
        return false;
    }
    memcpy(soc->fm->mem + (addr - WBOTA_FLASH_BASE), data, len);
    emu_soc_flash_changed(soc, addr, len);
    return true;
}

/* ---------------- bus dispatcher ---------------- */
void emu_soc_register_state(emu_soc_t *soc, void *p, size_t size)
{
    if (soc->nstate < sizeof(soc->state) / sizeof(soc->state[0])) {
        soc->state[soc->nstate].p = p;
        soc->state[soc->nstate].size = size;
        soc->nstate++;
    }
}

void emu_soc_register_timer_cb(emu_soc_t *soc, emu_timer_cb cb)
{
    if (soc->nsnap_cbs < sizeof(soc->snap_cbs) / sizeof(soc->snap_cbs[0])) {
        soc->snap_cbs[soc->nsnap_cbs++] = cb;
    }
}

void emu_soc_register_periph(emu_soc_t *soc, const emu_periph_t *p)
{
    if (soc->nperiph >= EMU_MAX_PERIPH) {
        return;
    }
    emu_periph_t w = *p;
    if (w.rb != NULL && w.name == NULL) {
        w.name = w.rb->block;
        w.base = w.rb->base;
    }
    if (w.rb != NULL && w.clk_off == 0u) {
        w.clk_off = w.rb->clk_off;
        w.clk_bit = w.rb->clk_bit;
    }
    w.size = w.size != 0u ? w.size : 0x400u;
    if (w.rb != NULL && w.vals != NULL) {
        emu_regs_reset(w.rb->regs, w.rb->nregs, w.vals);
    }
    soc->periph[soc->nperiph++] = w;
}

/* A window's reset: the generic engine's values back to the table's reset values, then the
 * model's own reset. */
static void prv_window_reset(emu_soc_t *soc, const emu_periph_t *p, bool power_on)
{
    if (p->rb != NULL && p->vals != NULL) {
        emu_regs_reset(p->rb->regs, p->rb->nregs, p->vals);
    }
    if (p->reset != NULL) {
        p->reset(soc, p->st, power_on);
    }
}

void emu_soc_add_model(emu_soc_t *soc, const emu_periph_t *p, size_t state_size, emu_timer_cb cb)
{
    emu_soc_register_periph(soc, p);
    emu_soc_register_state(soc, p->st, state_size);
    if (cb != NULL) {
        emu_soc_register_timer_cb(soc, cb);
    }
    prv_window_reset(soc, p, true);
}

static emu_periph_t *prv_find_periph(emu_soc_t *soc, uint32_t addr)
{
    for (unsigned i = 0; i < soc->nperiph; i++) {
        emu_periph_t *p = &soc->periph[i];
        if (addr - p->base < p->size) {
            return p;
        }
    }
    return NULL;
}

/* The register an access at off hits: NULL with *reserved set when the block has a table and
 * the offset is not in it. */
static const emu_reg_t *prv_reg(const emu_periph_t *p, uint32_t off, int *idx, bool *reserved)
{
    *idx = -1;
    *reserved = false;
    if (p->rb == NULL) {
        return NULL;
    }
    *idx = emu_reg_index(p->rb->regs, p->rb->nregs, off);
    if (*idx < 0) {
        *reserved = true;
        return NULL;
    }
    return &p->rb->regs[*idx];
}

static void prv_reserved(emu_soc_t *soc, const emu_periph_t *p, uint32_t addr, bool write,
                         uint32_t val)
{
    char name[48];
    snprintf(name, sizeof(name), "%s reserved offset 0x%03" PRIx32, p->name, addr - p->base);
    emu_soc_unimplemented(soc, name, addr, write, val);
}

/* RM0434 6.4: a block whose clock enable is 0 is not clocked: writes are lost, reads return 0. */
static bool prv_clocked(emu_soc_t *soc, const emu_periph_t *p, const char *reg, uint32_t addr,
                        bool write)
{
    if (p->clk_off == 0u || emu_rcc_enabled(soc, p->clk_off, p->clk_bit)) {
        return true;
    }
    unsigned bit = 0;
    while (bit < 31u && !((p->clk_bit >> bit) & 1u)) {
        bit++;
    }
    if (soc->opt.strict) {
        emu_fail(soc, "CLOCK_OFF",
                 "%s%s%s %s 0x%08" PRIx32 " with its clock off (RCC+0x%03x bit %u = 0): the chip "
                 "ignores the write / reads 0",
                 p->name, reg ? "." : "", reg ? reg : "", write ? "write" : "read", addr,
                 (unsigned)p->clk_off, bit);
    } else {
        fprintf(stderr, "EMU CLOCK_OFF %s %s 0x%08" PRIx32 " (ignored: --no-strict)\n", p->name,
                write ? "write" : "read", addr);
    }
    return false;
}

uint32_t emu_bus_read(emu_soc_t *soc, uint32_t addr, unsigned size)
{
    emu_periph_t *p = prv_find_periph(soc, addr);
    if (p == NULL) {
        emu_soc_unimplemented(soc, NULL, addr, false, 0);
        return 0;
    }
    uint32_t off = (addr - p->base) & ~3u;
    int idx;
    bool reserved;
    const emu_reg_t *r = prv_reg(p, off, &idx, &reserved);
    if (reserved) {
        prv_reserved(soc, p, addr, false, 0);
        return 0;
    }
    if (!prv_clocked(soc, p, r ? r->name : NULL, addr, false)) {
        return 0;
    }
    uint32_t word;
    if (p->read != NULL) {
        word = p->read(soc, p->st, off);
    } else {
        word = r->rd != NULL ? r->rd(soc, p->st, p->vals[idx]) : p->vals[idx];
    }
    uint32_t v = word >> (8u * (addr & 3u));
    if (size < 4u) {
        v &= (1u << (8u * size)) - 1u;
    }
    if (r != NULL) {
        emu_trace(soc, EMU_TRACE_PERIPH, "%s.%s rd%u 0x%08" PRIx32 " -> 0x%08" PRIx32, p->name,
                  r->name, size * 8u, addr, v);
    } else {
        emu_trace(soc, EMU_TRACE_PERIPH, "%s rd%u 0x%08" PRIx32 " -> 0x%08" PRIx32, p->name,
                  size * 8u, addr, v);
    }
    return v;
}

void emu_bus_write(emu_soc_t *soc, uint32_t addr, uint32_t val, unsigned size)
{
    emu_periph_t *p = prv_find_periph(soc, addr);
    if (p == NULL) {
        emu_soc_unimplemented(soc, NULL, addr, true, val);
        return;
    }
    uint32_t off = (addr - p->base) & ~3u;
    int idx;
    bool reserved;
    const emu_reg_t *r = prv_reg(p, off, &idx, &reserved);
    if (reserved) {
        prv_reserved(soc, p, addr, true, val);
        return;
    }
    unsigned lane = addr & 3u;
    uint32_t mask = size >= 4u ? 0xFFFFFFFFu : ((1u << (8u * size)) - 1u) << (8u * lane);
    if (r != NULL) {
        emu_trace(soc, EMU_TRACE_PERIPH, "%s.%s wr%u 0x%08" PRIx32 " <- 0x%08" PRIx32, p->name,
                  r->name, size * 8u, addr, val);
    } else {
        emu_trace(soc, EMU_TRACE_PERIPH, "%s wr%u 0x%08" PRIx32 " <- 0x%08" PRIx32, p->name,
                  size * 8u, addr, val);
    }
    if (!prv_clocked(soc, p, r ? r->name : NULL, addr, true)) {
        return;
    }
    uint32_t v = size >= 4u ? val : (val << (8u * lane));
    if (p->write != NULL) {
        p->write(soc, p->st, off, v, mask);
        return;
    }
    uint32_t old = p->vals[idx];
    p->vals[idx] = emu_reg_merge(old, v, mask, r->wmask) & ~(v & mask & r->w1c);
    if (r->wr != NULL) {
        r->wr(soc, p->st, old, v, mask);
    }
}

static uint64_t prv_mmio_read_cb(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    uintptr_t *ctx = user; /* [0] = soc, [1] = region base */
    return emu_bus_read((emu_soc_t *)ctx[0], (uint32_t)(ctx[1] + offset), size);
}

static void prv_mmio_write_cb(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value,
                              void *user)
{
    (void)uc;
    uintptr_t *ctx = user;
    emu_bus_write((emu_soc_t *)ctx[0], (uint32_t)(ctx[1] + offset), (uint32_t)value, size);
}

/* ---------------- Unicorn hooks ---------------- */
typedef struct {
    emu_soc_t *soc;
    bool stop_req;    /* we stopped the slice ourselves */
    uint32_t intr_no; /* CPU exception raised inside Unicorn (0 = none) */
    uint32_t intr_pc;
    bool fault;
    uc_hook h_block, h_intr, h_mem;
    uintptr_t mmio_ctx[sizeof(s_mmio_regions) / sizeof(s_mmio_regions[0])][2];
} prv_hooks_t;

static prv_hooks_t s_hooks; /* one soc per process (Unicorn hook contexts live here) */

static void prv_block_cb(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    emu_soc_t *soc = user;
    if (soc->stop_now || soc->insn >= soc->slice_end_insn || emu_soc_signal ||
        (soc->masked_pending && emu_nvic_pending_exc(soc, false) != 0u)) {
        /* stopping here leaves PC at this block, not executed */
        s_hooks.stop_req = true;
        uc_emu_stop(uc);
        return;
    }
    uint32_t n = prv_count_insns(soc, addr, size);
    if (n & DCACHE_SEV) {
        /* the block runs whole: its SEV happens before any WFE that ends a later block */
        soc->nvic.event_reg = true;
    }
    soc->insn += n & ~DCACHE_SEV;
}

static void prv_intr_cb(uc_engine *uc, uint32_t intno, void *user)
{
    (void)user;
    s_hooks.intr_no = intno;
    uc_reg_read(uc, UC_ARM_REG_PC, &s_hooks.intr_pc);
    uc_emu_stop(uc);
}

static const char *prv_access_name(uc_mem_type t)
{
    switch (t) {
    case UC_MEM_READ_UNMAPPED:
        return "read of unmapped address";
    case UC_MEM_WRITE_UNMAPPED:
        return "write to unmapped address";
    case UC_MEM_FETCH_UNMAPPED:
        return "instruction fetch from unmapped address";
    case UC_MEM_WRITE_PROT:
        return "write to read-only memory";
    case UC_MEM_READ_PROT:
        return "read of protected memory";
    case UC_MEM_FETCH_PROT:
        return "instruction fetch from non-executable memory";
    default:
        return "bad access";
    }
}

static bool prv_mem_fault_cb(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                             int64_t value, void *user)
{
    emu_soc_t *soc = user;
    uint32_t a = (uint32_t)address;
    bool in_flash = (a - WBOTA_FLASH_BASE < WBOTA_FLASH_SIZE) || (a < WBOTA_FLASH_SIZE);
    if (type == UC_MEM_WRITE_PROT && in_flash && emu_flash_pg_mode(soc)) {
        /* Unicorn stores into the view after this hook; the model is the truth and the view is
         * restored from it at the end of the slice. */
        uint32_t fa = a < WBOTA_FLASH_SIZE ? a + WBOTA_FLASH_BASE : a;
        if (!soc->flash_view_dirty || fa < soc->dirty_lo) {
            soc->dirty_lo = fa;
        }
        if (!soc->flash_view_dirty || fa + (uint32_t)size > soc->dirty_hi) {
            soc->dirty_hi = fa + (uint32_t)size;
        }
        soc->flash_view_dirty = true;
        emu_flash_cpu_write(soc, fa, (uint32_t)value, (unsigned)size);
        soc->stop_now = true;
        return true;
    }
    uint32_t pc = 0;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    s_hooks.fault = true;
    emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT,
                 "EMU FAULT %s%s: address 0x%08" PRIx32 " size %d%s (PC 0x%08" PRIx32 ")",
                 prv_access_name(type),
                 (type == UC_MEM_WRITE_PROT && in_flash) ? " (flash written outside PG mode)" : "",
                 a, size, "", pc);
    return false;
}

/* ---------------- creation, reset ---------------- */
static void prv_fill_sysmem(emu_soc_t *soc)
{
    memset(soc->sysmem, 0xFF, SYSMEM_SIZE);
    memset(soc->sysmem, 0x00, 0x7000); /* system memory: no bootloader modelled */
    /* OTP record (docs/st-interface.md#rf-wakeup): 8 bytes, byte 6 = HSE tuning, byte 7 = record id
     * 0; the rest of the OTP area stays erased (0xFF) so a reader stops after it. */
    uint8_t *otp = soc->sysmem + (OTP_BASE - SYSMEM_BASE);
    memset(otp, 0x00, 6);
    otp[6] = soc->opt.hse_tune;
    otp[7] = 0x00;
    uint8_t *uid = soc->sysmem + (UID64_ADDR - SYSMEM_BASE);
    for (unsigned i = 0; i < 8; i++) {
        uid[i] = (uint8_t)(soc->opt.uid64 >> (8u * i));
    }
    uint8_t *fsz = soc->sysmem + (FLASHSIZE_ADDR - SYSMEM_BASE);
    fsz[0] = 0x00; /* FLASH_SIZE: 1024 KB */
    fsz[1] = 0x04;
}

emu_soc_t *emu_soc_create(const emu_soc_opts_t *opt)
{
    emu_soc_t *soc = calloc(1, sizeof(*soc));
    if (soc == NULL) {
        return NULL;
    }
    soc->opt = *opt;
    soc->fm = calloc(1, sizeof(*soc->fm));
    soc->flash_view = malloc(WBOTA_FLASH_SIZE);
    soc->sram1 = malloc(SRAM1_SIZE);
    soc->sram2 = malloc(SRAM2_SIZE);
    soc->sysmem = malloc(SYSMEM_SIZE);
    if (s_dcache == NULL) {
        s_dcache = calloc(DCACHE_SIZE, sizeof(*s_dcache));
    }
    if (!soc->fm || !soc->flash_view || !soc->sram1 || !soc->sram2 || !soc->sysmem || !s_dcache) {
        emu_soc_destroy(soc);
        return NULL;
    }
    wbota_fm_init(soc->fm, opt->sfsa);
    if (opt->cut_flash_op != 0u) {
        wbota_fm_arm_cut(soc->fm, opt->cut_flash_op, opt->cut_kind);
    }
    memcpy(soc->flash_view, soc->fm->mem, WBOTA_FLASH_SIZE);
    prv_fill_sysmem(soc);
    soc->sysclk_hz = 4000000u;

    uc_engine *uc = NULL;
    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &uc) != UC_ERR_OK) {
        fprintf(stderr, "EMU: uc_open failed\n");
        emu_soc_destroy(soc);
        return NULL;
    }
    soc->uc = uc;
    uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4);
    bool ok = uc_mem_map_ptr(uc, 0x00000000u, WBOTA_FLASH_SIZE, UC_PROT_READ | UC_PROT_EXEC,
                             soc->flash_view) == UC_ERR_OK;
    ok = ok && uc_mem_map_ptr(uc, WBOTA_FLASH_BASE, WBOTA_FLASH_SIZE, UC_PROT_READ | UC_PROT_EXEC,
                              soc->flash_view) == UC_ERR_OK;
    ok = ok && uc_mem_map_ptr(uc, SRAM1_BASE, SRAM1_SIZE, UC_PROT_ALL, soc->sram1) == UC_ERR_OK;
    ok = ok && uc_mem_map_ptr(uc, SRAM2_BASE, SRAM2_SIZE, UC_PROT_ALL, soc->sram2) == UC_ERR_OK;
    ok = ok && uc_mem_map_ptr(uc, SYSMEM_BASE, SYSMEM_SIZE, UC_PROT_READ, soc->sysmem) == UC_ERR_OK;
    memset(&s_hooks, 0, sizeof(s_hooks));
    s_hooks.soc = soc;
    for (unsigned i = 0; ok && i < sizeof(s_mmio_regions) / sizeof(s_mmio_regions[0]); i++) {
        s_hooks.mmio_ctx[i][0] = (uintptr_t)soc;
        s_hooks.mmio_ctx[i][1] = s_mmio_regions[i].base;
        ok = uc_mmio_map(uc, s_mmio_regions[i].base, s_mmio_regions[i].size, prv_mmio_read_cb,
                         s_hooks.mmio_ctx[i], prv_mmio_write_cb, s_hooks.mmio_ctx[i]) == UC_ERR_OK;
    }
    ok = ok && uc_hook_add(uc, &s_hooks.h_block, UC_HOOK_BLOCK, (void *)prv_block_cb, soc, 1, 0) ==
                   UC_ERR_OK;
    ok = ok && uc_hook_add(uc, &s_hooks.h_intr, UC_HOOK_INTR, (void *)prv_intr_cb, soc, 1, 0) ==
                   UC_ERR_OK;
    ok = ok && uc_hook_add(uc, &s_hooks.h_mem, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT,
                           (void *)prv_mem_fault_cb, soc, 1, 0) == UC_ERR_OK;
    if (!ok) {
        fprintf(stderr, "EMU: memory map / hook setup failed\n");
        emu_soc_destroy(soc);
        return NULL;
    }
    emu_nvic_init(soc);
    emu_systick_init(soc);
    emu_rcc_init(soc);
    emu_pwr_init(soc);
    emu_exti_init(soc);
    emu_ipcc_init(soc);
    emu_hsem_init(soc);
    emu_flash_init(soc);
    emu_rtc_init(soc);
    emu_gpio_init(soc);
    emu_misc_init(soc);
    emu_rng_init(soc);
    emu_pka_init(soc);
    emu_uart_init(soc);
    return soc;
}

void emu_soc_destroy(emu_soc_t *soc)
{
    if (soc == NULL) {
        return;
    }
    if (soc->uc != NULL) {
        uc_close(UC(soc));
    }
    free(soc->fm);
    free(soc->flash_view);
    free(soc->sram1);
    free(soc->sram2);
    free(soc->sysmem);
    free(soc->flash);
    free(soc->rcc);
    free(soc->pwr);
    free(soc->ipcc);
    free(soc->hsem);
    free(soc->exti);
    free(soc->rtc);
    free(soc->gpio);
    free(soc->misc);
    free(soc->rng);
    free(soc->pka);
    free(soc->uart);
    free(soc);
}

bool emu_soc_attach(emu_soc_t *soc, const emu_device_ops_t *ops, void *ctx)
{
    if (soc->ndev >= EMU_MAX_DEVICES || ops == NULL) {
        return false;
    }
    soc->dev[soc->ndev].ops = ops;
    soc->dev[soc->ndev].ctx = ctx;
    soc->ndev++;
    return true;
}

static void prv_cpu_reset(emu_soc_t *soc)
{
    uc_engine *uc = UC(soc);
    uint32_t zero = 0;
    static const int regs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,  UC_ARM_REG_R3,
                               UC_ARM_REG_R4, UC_ARM_REG_R5, UC_ARM_REG_R6,  UC_ARM_REG_R7,
                               UC_ARM_REG_R8, UC_ARM_REG_R9, UC_ARM_REG_R10, UC_ARM_REG_R11,
                               UC_ARM_REG_R12};
    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        uc_reg_write(uc, regs[i], &zero);
    }
    uc_reg_write(uc, UC_ARM_REG_IPSR, &zero);
    uc_reg_write(uc, UC_ARM_REG_CONTROL, &zero);
    uc_reg_write(uc, UC_ARM_REG_PRIMASK, &zero);
    uc_reg_write(uc, UC_ARM_REG_BASEPRI, &zero);
    uc_reg_write(uc, UC_ARM_REG_FAULTMASK, &zero);
    uint32_t lr = 0xFFFFFFFFu;
    uc_reg_write(uc, UC_ARM_REG_LR, &lr);
    uint32_t xpsr = 0x01000000u;
    uc_reg_write(uc, UC_ARM_REG_XPSR, &xpsr);
    /* Boot from flash: the vector table is read through the alias at 0 (RM0434 2.6). */
    uint32_t vec[2];
    memcpy(vec, soc->flash_view, sizeof(vec));
    uint32_t msp = vec[0] & ~3u;
    uc_reg_write(uc, UC_ARM_REG_MSP, &msp);
    uc_reg_write(uc, UC_ARM_REG_SP, &msp);
    uint32_t pc = vec[1] & ~1u;
    uc_reg_write(uc, UC_ARM_REG_PC, &pc);
    if ((vec[1] & 1u) == 0u) {
        emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT,
                     "EMU FAULT reset vector 0x%08" PRIx32 " is not a Thumb address (flash empty?)",
                     vec[1]);
    }
}

static void prv_reset_all(emu_soc_t *soc, bool power_on)
{
    emu_soc_sync_time(soc);
    soc->ntimers = 0;
    soc->stop_now = false;
    soc->reset_request = false;
    soc->por_request = false;
    soc->sleep = 0;
    emu_soc_set_sysclk(soc, 4000000u); /* MSI 4 MHz after any reset (RM0434 6.2.3) */
    emu_nvic_reset(soc);
    for (unsigned i = 0; i < soc->nperiph; i++) {
        prv_window_reset(soc, &soc->periph[i], power_on);
    }
    emu_rcc_note_reset(soc, power_on);
    prv_cpu_reset(soc);
    for (unsigned i = 0; i < soc->ndev; i++) {
        if (soc->dev[i].ops->reset_cb != NULL) {
            soc->dev[i].ops->reset_cb(soc, soc->dev[i].ctx, power_on);
        }
    }
}

void emu_soc_power_on(emu_soc_t *soc)
{
    /* Real SRAM powers up random: a deterministic non-zero pattern makes firmware that relies on
     * zeroed RAM fail here as it would on the chip. */
    uint32_t x = 0x2545F491u;
    for (uint32_t i = 0; i < SRAM1_SIZE; i += 4u) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        memcpy(soc->sram1 + i, &x, 4);
    }
    for (uint32_t i = 0; i < SRAM2_SIZE; i += 4u) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        memcpy(soc->sram2 + i, &x, 4);
    }
    if (!soc->fm->powered) {
        wbota_fm_power_on(soc->fm); /* only after a cut: it also disarms the injected cut */
    }
    emu_soc_flash_changed(soc, WBOTA_FLASH_BASE, WBOTA_FLASH_SIZE);
    soc->resets_por++;
    emu_trace(soc, EMU_TRACE_RESET, "power-on reset");
    prv_reset_all(soc, true);
}

void emu_soc_reset_now(emu_soc_t *soc, bool power_on)
{
    if (power_on) {
        emu_soc_power_on(soc);
    } else {
        soc->resets_sys++;
        prv_reset_all(soc, false);
    }
}

void emu_soc_advance(emu_soc_t *soc, uint64_t ns)
{
    emu_soc_sync_time(soc);
    uint64_t end = soc->time_ns + ns;
    uint64_t at;
    while (prv_next_timer(soc, &at) && at <= end) {
        if (at > soc->time_ns) {
            soc->time_ns = at;
        }
        prv_fire_timers(soc);
    }
    soc->time_ns = end;
}

void emu_soc_request_system_reset(emu_soc_t *soc)
{
    soc->reset_request = true;
    soc->stop_now = true;
}

void emu_request_system_reset(emu_soc_t *soc)
{
    emu_soc_request_system_reset(soc);
    if (soc->running) {
        uc_emu_stop(UC(soc));
    }
}

void emu_request_power_on_reset(emu_soc_t *soc)
{
    soc->por_request = true;
    soc->stop_now = true;
    if (soc->running) {
        uc_emu_stop(UC(soc));
    }
}

/* ---------------- the run loop ---------------- */
static bool prv_sleep_wake(emu_soc_t *soc, int sleep_kind)
{
    if (sleep_kind == 2 && soc->nvic.event_reg) {
        soc->nvic.event_reg = false;
        return true;
    }
    /* WFI wakes on any pending interrupt that would preempt ignoring PRIMASK; WFE only on one
     * that is taken (or with SEVONPEND any pending). */
    if (emu_nvic_pending_exc(soc, sleep_kind == 1) != 0u) {
        return true;
    }
    if (sleep_kind == 2 && (soc->nvic.scr & 0x10u) && emu_nvic_any_pending(soc)) {
        return true;
    }
    return false;
}

static void prv_poll_devices(emu_soc_t *soc)
{
    for (unsigned i = 0; i < soc->ndev && !soc->stopped; i++) {
        if (soc->dev[i].ops->poll_cb != NULL) {
            soc->dev[i].ops->poll_cb(soc, soc->dev[i].ctx);
        }
    }
}

/* Nothing scheduled while sleeping: block on device fds (wall time). Returns false if no
 * device can wake the CPU. */
static bool prv_wait_devices(emu_soc_t *soc)
{
    struct pollfd pfd[EMU_MAX_DEVICES];
    unsigned who[EMU_MAX_DEVICES];
    nfds_t n = 0;
    for (unsigned i = 0; i < soc->ndev; i++) {
        if (soc->dev[i].ops->wait_fd_cb == NULL) {
            continue;
        }
        int fd = soc->dev[i].ops->wait_fd_cb(soc, soc->dev[i].ctx);
        if (fd >= 0) {
            pfd[n].fd = fd;
            pfd[n].events = POLLIN;
            pfd[n].revents = 0;
            who[n] = i;
            n++;
        }
    }
    if (n == 0u) {
        return false;
    }
    int r = poll(pfd, n, 200);
    if (r < 0 && errno != EINTR) {
        emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT, "EMU poll failed: %s", strerror(errno));
        return true;
    }
    for (nfds_t i = 0; r > 0 && i < n; i++) {
        if (pfd[i].revents != 0 && soc->dev[who[i]].ops->fd_ready_cb != NULL) {
            soc->dev[who[i]].ops->fd_ready_cb(soc, soc->dev[who[i]].ctx);
        }
    }
    return true;
}

/* CPU1 sleeps and nothing can ever wake it: every attached model that can tell says it will not
 * act by itself (e.g. FUS idle), SysTick does not interrupt and no peripheral event is pending.
 * Other device timers (the radio's WAIT) only move time on. */
static bool prv_waits_forever(emu_soc_t *soc)
{
    bool asked = false;
    for (unsigned i = 0; i < soc->ndev; i++) {
        if (soc->dev[i].ops->idle_forever_cb == NULL) {
            continue;
        }
        asked = true;
        if (!soc->dev[i].ops->idle_forever_cb(soc, soc->dev[i].ctx)) {
            return false;
        }
    }
    if (!asked || (soc->systick.csr & 3u) == 3u) { /* ENABLE | TICKINT */
        return false;
    }
    for (unsigned t = 0; t < soc->ntimers; t++) {
        for (unsigned k = 0; k < soc->nsnap_cbs; k++) {
            if (soc->timers[t].cb == soc->snap_cbs[k]) {
                return false; /* a peripheral event (flash, RCC, RTC, RNG) is still to come */
            }
        }
    }
    return true;
}

static void prv_power_cut(emu_soc_t *soc, const char *what)
{
    soc->cut_fired = true;
    printf("EMU CUT fired at %s\n", what);
    if (soc->opt.debug_write_len != 0u &&
        emu_soc_flash_load(soc, soc->opt.debug_write_addr, soc->opt.debug_write,
                           soc->opt.debug_write_len)) {
        printf("EMU DEBUG WRITE %" PRIu32 " bytes at 0x%08" PRIx32 " (flash, while off)\n",
               soc->opt.debug_write_len, soc->opt.debug_write_addr);
    }
    for (uint32_t i = 0u; i < soc->opt.debug_erase_count; i++) {
        static const uint8_t erased[WBOTA_PAGE_SIZE] = {[0 ... WBOTA_PAGE_SIZE - 1u] = 0xFFu};
        const uint32_t page = soc->opt.debug_erase_page + i;
        if (page < WBOTA_PAGE_COUNT &&
            emu_soc_flash_load(soc, wbota_page_addr(page), erased, sizeof erased)) {
            /* an erase also ends the all-ones rule for the page's double words */
            memset(&soc->fm->ones_programmed[page * (WBOTA_PAGE_SIZE / WBOTA_DW_SIZE / 8u)], 0,
                   WBOTA_PAGE_SIZE / WBOTA_DW_SIZE / 8u);
            printf("EMU DEBUG ERASE page 0x%02" PRIx32 " (flash, while off)\n", page);
        }
    }
    fflush(stdout);
    emu_soc_power_on(soc);
}

static void prv_restore_flash_view(emu_soc_t *soc)
{
    if (soc->inv_pending) {
        soc->inv_pending = false;
        uc_ctl_remove_cache(UC(soc), WBOTA_FLASH_BASE + soc->inv_lo,
                            WBOTA_FLASH_BASE + soc->inv_hi);
        uc_ctl_remove_cache(UC(soc), soc->inv_lo, soc->inv_hi);
    }
    if (soc->flash_view_dirty) {
        soc->flash_view_dirty = false;
        uint32_t lo = soc->dirty_lo & ~7u;
        emu_soc_flash_changed(soc, lo, ((soc->dirty_hi + 7u) & ~7u) - lo);
    }
}

static uint16_t prv_hw_at(emu_soc_t *soc, uint32_t addr)
{
    uint16_t hw = 0;
    if (uc_mem_read(UC(soc), addr, &hw, 2) != UC_ERR_OK) {
        return 0;
    }
    return hw;
}

/* Limits and injected cuts by time/instructions; returns true if the run must stop. */
static bool prv_check_limits(emu_soc_t *soc)
{
    uint64_t now = emu_time_ns(soc);
    if (soc->opt.cut_time_ns != 0u && !soc->cut_fired && now >= soc->opt.cut_time_ns) {
        char what[64];
        snprintf(what, sizeof(what), "time %" PRIu64 " us (time)", now / 1000u);
        prv_power_cut(soc, what);
    }
    if (soc->opt.cut_insn != 0u && !soc->cut_fired && soc->insn >= soc->opt.cut_insn) {
        char what[64];
        snprintf(what, sizeof(what), "insn %" PRIu64 " (insn)", soc->insn);
        prv_power_cut(soc, what);
    }
    if (soc->opt.max_time_ns != 0u && now >= soc->opt.max_time_ns) {
        emu_soc_stop(soc, WBOTA_EXIT_OK, "EMU stop: --max-time-us reached");
        return true;
    }
    if (soc->opt.max_insn != 0u && soc->insn >= soc->opt.max_insn) {
        emu_soc_stop(soc, WBOTA_EXIT_OK, "EMU stop: --max-insn reached");
        return true;
    }
    return soc->stopped;
}

static uint64_t prv_slice_budget(emu_soc_t *soc)
{
    uint64_t n = SLICE_MAX_INSN;
    uint64_t at;
    if (prv_next_timer(soc, &at)) {
        uint64_t k = prv_insns_until(soc, at);
        n = k < n ? k : n;
    }
    if (soc->opt.max_time_ns != 0u) {
        uint64_t k = prv_insns_until(soc, soc->opt.max_time_ns);
        n = k < n ? k : n;
    }
    if (soc->opt.cut_time_ns != 0u && !soc->cut_fired) {
        uint64_t k = prv_insns_until(soc, soc->opt.cut_time_ns);
        n = k < n ? k : n;
    }
    if (soc->opt.max_insn != 0u) {
        uint64_t k = soc->opt.max_insn > soc->insn ? soc->opt.max_insn - soc->insn : 0u;
        n = k < n ? k : n;
    }
    if (soc->opt.cut_insn != 0u && !soc->cut_fired) {
        uint64_t done = soc->insn;
        uint64_t k = soc->opt.cut_insn > done ? soc->opt.cut_insn - done : 0u;
        n = k < n ? k : n;
    }
    return n == 0u ? 1u : n;
}

static void prv_after_slice(emu_soc_t *soc, uc_err err)
{
    uc_engine *uc = UC(soc);
    uint32_t pc = 0;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    soc->last_pc = pc;
    prv_restore_flash_view(soc);
    if (soc->stopped || s_hooks.fault) {
        return;
    }
    if (s_hooks.intr_no != 0u) {
        uint32_t no = s_hooks.intr_no;
        s_hooks.intr_no = 0;
        if (no == 2u) { /* EXCP_SWI: SVC, PC already past the instruction */
            emu_nvic_set_pending(soc, EMU_EXC_SVCALL);
            /* SVCall is synchronous: taken now regardless of slice bookkeeping */
            if (emu_nvic_pending_exc(soc, false) == EMU_EXC_SVCALL) {
                emu_nvic_enter(soc, EMU_EXC_SVCALL, s_hooks.intr_pc);
            } else {
                emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT,
                             "EMU FAULT SVC at priority that cannot be taken (escalates to "
                             "HardFault) (PC 0x%08" PRIx32 ")",
                             s_hooks.intr_pc);
            }
        } else if (no == 8u) { /* EXCP_EXCEPTION_EXIT: PC holds EXC_RETURN */
            emu_nvic_exc_return(soc, s_hooks.intr_pc | 1u);
        } else if (no == 7u) {
            emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT, "EMU FAULT BKPT at PC 0x%08" PRIx32,
                         s_hooks.intr_pc);
        } else {
            emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT, "EMU FAULT CPU exception %u at PC 0x%08" PRIx32,
                         no, s_hooks.intr_pc);
        }
        return;
    }
    if (err == UC_ERR_INSN_INVALID && prv_hw_at(soc, pc - 2u) == 0xBF20u) {
        /* Unicorn 2.0.1 ends emulation with UC_ERR_INSN_INVALID after a WFE (PC past it) */
        soc->sleep = 2;
        return;
    }
    if (err != UC_ERR_OK) {
        emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT,
                     "EMU FAULT %s at PC 0x%08" PRIx32 " (instruction 0x%04x %04x)",
                     uc_strerror(err), pc, prv_hw_at(soc, pc), prv_hw_at(soc, pc + 2u));
        return;
    }
    if (!s_hooks.stop_req && prv_hw_at(soc, pc - 2u) == 0xBF30u) {
        /* Unicorn 2.0.1 halts and returns after a WFI (PC past it) */
        soc->sleep = 1;
    }
}

static void prv_run_slice(emu_soc_t *soc, uint64_t budget)
{
    uc_engine *uc = UC(soc);
    uint32_t pc = 0;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    s_hooks.stop_req = false;
    s_hooks.intr_no = 0;
    s_hooks.fault = false;
    soc->slice_end_insn = soc->insn + budget;
    /* an interrupt waiting for PRIMASK/BASEPRI is checked at every block (CPSIE, MSR) */
    soc->masked_pending = emu_nvic_any_pending(soc);
    soc->running = true;
    /* The slice is bounded by our block hook's instruction budget, checked on every translated
     * block (a `b .` self-loop included). Unicorn 2.0.1's own bounds do not fit: its instruction
     * count is not reliable across repeated uc_emu_start calls, and its timeout starts a thread
     * per call, which cost more wall time than the firmware itself at thousands of slices per
     * simulated second. SLICE_WALL_TIMEOUT_US is used only with WBOTA_EMU_WALL_TIMEOUT. */
#ifdef WBOTA_EMU_WALL_TIMEOUT
    uc_err err = uc_emu_start(uc, pc | 1u, UNTIL_ADDR, SLICE_WALL_TIMEOUT_US, 0);
#else
    uc_err err = uc_emu_start(uc, pc | 1u, UNTIL_ADDR, 0, 0);
#endif
    soc->running = false;
    soc->stop_now = false;
    prv_after_slice(soc, err);
}

int emu_soc_run(emu_soc_t *soc)
{
    while (!soc->stopped) {
        if (emu_soc_signal) {
            emu_soc_stop(soc, WBOTA_EXIT_OK, "EMU stop: signal %d", (int)emu_soc_signal);
            break;
        }
        if (soc->por_request) {
            if (soc->fm->cut_fired && !soc->cut_fired) {
                soc->cut_fired = true;
            }
            emu_soc_power_on(soc);
            soc->sleep = 0;
        } else if (soc->reset_request) {
            soc->resets_sys++;
            emu_trace(soc, EMU_TRACE_RESET,
                      "system reset (SYSRESETREQ, CPU1 or CPU2): RCC_CSR SFTRSTF|PINRSTF");
            prv_reset_all(soc, false);
            soc->sleep = 0;
        }
        if (soc->stopped || prv_check_limits(soc)) {
            break;
        }
        prv_fire_timers(soc);
        prv_poll_devices(soc);
        if (soc->stopped) {
            break;
        }
        if (soc->por_request || soc->reset_request) {
            continue;
        }
        if (soc->sleep != 0) {
            if (prv_sleep_wake(soc, soc->sleep)) {
                soc->sleep = 0;
            } else if (prv_waits_forever(soc)) {
                if (soc->opt.exit_on_idle) {
                    emu_soc_stop(soc, WBOTA_EXIT_OK,
                                 "EMU idle: CPU1 sleeps, CPU2 waits for a command "
                                 "(--exit-on-idle)");
                } else {
                    emu_soc_stop(soc, WBOTA_EXIT_EMU_HANG,
                                 "EMU HANG: CPU1 sleeps waiting for an event or reset that "
                                 "will not come: CPU2 (FUS) is idle, waiting for a command "
                                 "(%s at PC 0x%08" PRIx32 ", t=%" PRIu64 " us)",
                                 soc->sleep == 1 ? "WFI" : "WFE", soc->last_pc,
                                 emu_time_ns(soc) / 1000u);
                }
                break;
            } else {
                uint64_t at;
                if (prv_next_timer(soc, &at)) {
                    /* skip ahead: nothing happens in between */
                    if (soc->opt.max_time_ns != 0u && at > soc->opt.max_time_ns) {
                        at = soc->opt.max_time_ns;
                    }
                    if (soc->opt.cut_time_ns != 0u && !soc->cut_fired &&
                        at > soc->opt.cut_time_ns) {
                        at = soc->opt.cut_time_ns;
                    }
                    emu_soc_sync_time(soc);
                    if (at > soc->time_ns) {
                        soc->time_ns = at;
                    }
                    continue;
                }
                if (prv_wait_devices(soc)) {
                    continue;
                }
                if (soc->opt.exit_on_idle) {
                    emu_soc_stop(soc, WBOTA_EXIT_OK,
                                 "EMU idle: CPU1 sleeps with nothing scheduled "
                                 "(--exit-on-idle)");
                } else {
                    emu_soc_stop(
                        soc, WBOTA_EXIT_EMU_HANG,
                        "EMU HANG: CPU1 sleeps with nothing to wake it (%s at PC 0x%08" PRIx32
                        ", t=%" PRIu64 " us)",
                        soc->sleep == 1 ? "WFI" : "WFE", soc->last_pc, emu_time_ns(soc) / 1000u);
                }
                break;
            }
        }
        unsigned exc = emu_nvic_pending_exc(soc, false);
        if (exc != 0u) {
            if (!emu_nvic_enter(soc, exc, emu_soc_pc(soc))) {
                break;
            }
        }
        prv_run_slice(soc, prv_slice_budget(soc));
        emu_soc_sync_time(soc);
        if (soc->fm->cut_fired && !soc->cut_fired) {
            soc->cut_fired = true; /* the flash model cut; the FLASH model requested the POR */
        }
    }
    return soc->exit_code;
}

static double prv_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double s_wall_start;

void emu_soc_report(emu_soc_t *soc)
{
    double wall = prv_wall_now() - s_wall_start;
    uint64_t insns = soc->insn;
    double sim = (double)emu_time_ns(soc) / 1e9;
    fprintf(stderr,
            "EMU REPORT simulated %.6f s, wall %.3f s, instructions %" PRIu64
            ", %.1f M instructions/s, resets: system %u power-on %u, flash ops %" PRIu32 "\n",
            sim, wall, insns, wall > 0 ? (double)insns / wall / 1e6 : 0.0, soc->resets_sys,
            soc->resets_por, soc->fm->op_count);
}

__attribute__((constructor)) static void prv_wall_init(void)
{
    s_wall_start = prv_wall_now();
}

/* ---------------- snapshot ---------------- */
/* File layout (host byte order, same binary only): header, flash model, SRAM1, SRAM2, NVIC,
 * SysTick, each registered peripheral blob (size-checked), restorable timers. Timers of attached
 * devices (CPU2 model, radio) and their state are not saved. */
#define SNAP_MAGIC   0x57424D55u /* "UMBW" */
#define SNAP_VERSION 2u

static const int s_snap_regs[] = {
    UC_ARM_REG_R0,      UC_ARM_REG_R1,        UC_ARM_REG_R2,      UC_ARM_REG_R3,
    UC_ARM_REG_R4,      UC_ARM_REG_R5,        UC_ARM_REG_R6,      UC_ARM_REG_R7,
    UC_ARM_REG_R8,      UC_ARM_REG_R9,        UC_ARM_REG_R10,     UC_ARM_REG_R11,
    UC_ARM_REG_R12,     UC_ARM_REG_LR,        UC_ARM_REG_XPSR,    UC_ARM_REG_PRIMASK,
    UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK, UC_ARM_REG_CONTROL, UC_ARM_REG_IPSR,
    UC_ARM_REG_MSP,     UC_ARM_REG_PSP,       UC_ARM_REG_PC};
#define SNAP_NREGS (sizeof(s_snap_regs) / sizeof(s_snap_regs[0]))

typedef struct {
    uint32_t magic, version;
    uint64_t insn, insn_base, time_ns;
    uint32_t sysclk_hz, next_handle;
    int32_t sleep;
    uint32_t nstate, ntimers;
    uint32_t regs[SNAP_NREGS];
} prv_snap_hdr_t;

typedef struct {
    uint32_t cb_index, handle;
    uint64_t at_ns, arg;
} prv_snap_timer_t;

static int prv_snap_cb_index(const emu_soc_t *soc, emu_timer_cb cb)
{
    for (unsigned i = 0; i < soc->nsnap_cbs; i++) {
        if (soc->snap_cbs[i] == cb) {
            return (int)i;
        }
    }
    return -1;
}

bool emu_soc_state_save(emu_soc_t *soc, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return false;
    }
    emu_soc_sync_time(soc);
    prv_snap_hdr_t h;
    memset(&h, 0, sizeof(h));
    h.magic = SNAP_MAGIC;
    h.version = SNAP_VERSION;
    h.insn = soc->insn;
    h.insn_base = soc->insn_base;
    h.time_ns = soc->time_ns;
    h.sysclk_hz = soc->sysclk_hz;
    h.next_handle = soc->next_handle;
    h.sleep = soc->sleep;
    h.nstate = soc->nstate;
    for (unsigned i = 0; i < soc->ntimers; i++) {
        if (prv_snap_cb_index(soc, soc->timers[i].cb) >= 0) {
            h.ntimers++;
        }
    }
    for (unsigned i = 0; i < SNAP_NREGS; i++) {
        uc_reg_read(UC(soc), s_snap_regs[i], &h.regs[i]);
    }
    bool ok = fwrite(&h, sizeof(h), 1, f) == 1;
    ok = ok && fwrite(soc->fm, sizeof(*soc->fm), 1, f) == 1;
    ok = ok && fwrite(soc->sram1, SRAM1_SIZE, 1, f) == 1;
    ok = ok && fwrite(soc->sram2, SRAM2_SIZE, 1, f) == 1;
    ok = ok && fwrite(&soc->nvic, sizeof(soc->nvic), 1, f) == 1;
    ok = ok && fwrite(&soc->systick, sizeof(soc->systick), 1, f) == 1;
    for (unsigned i = 0; ok && i < soc->nstate; i++) {
        uint64_t sz = soc->state[i].size;
        ok = fwrite(&sz, sizeof(sz), 1, f) == 1 &&
             fwrite(soc->state[i].p, soc->state[i].size, 1, f) == 1;
    }
    for (unsigned i = 0; ok && i < soc->ntimers; i++) {
        int idx = prv_snap_cb_index(soc, soc->timers[i].cb);
        if (idx < 0) {
            continue;
        }
        prv_snap_timer_t t = {(uint32_t)idx, soc->timers[i].handle, soc->timers[i].at_ns,
                              (uint64_t)(uintptr_t)soc->timers[i].arg};
        ok = fwrite(&t, sizeof(t), 1, f) == 1;
    }
    ok = fclose(f) == 0 && ok;
    return ok;
}

bool emu_soc_state_load(emu_soc_t *soc, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    prv_snap_hdr_t h;
    bool ok = fread(&h, sizeof(h), 1, f) == 1 && h.magic == SNAP_MAGIC &&
              h.version == SNAP_VERSION && h.nstate == soc->nstate && h.ntimers <= EMU_MAX_TIMERS;
    ok = ok && fread(soc->fm, sizeof(*soc->fm), 1, f) == 1;
    ok = ok && fread(soc->sram1, SRAM1_SIZE, 1, f) == 1;
    ok = ok && fread(soc->sram2, SRAM2_SIZE, 1, f) == 1;
    ok = ok && fread(&soc->nvic, sizeof(soc->nvic), 1, f) == 1;
    ok = ok && fread(&soc->systick, sizeof(soc->systick), 1, f) == 1;
    for (unsigned i = 0; ok && i < soc->nstate; i++) {
        uint64_t sz = 0;
        ok = fread(&sz, sizeof(sz), 1, f) == 1 && sz == soc->state[i].size &&
             fread(soc->state[i].p, soc->state[i].size, 1, f) == 1;
    }
    soc->ntimers = 0;
    for (unsigned i = 0; ok && i < h.ntimers; i++) {
        prv_snap_timer_t t;
        ok = fread(&t, sizeof(t), 1, f) == 1 && t.cb_index < soc->nsnap_cbs;
        if (ok) {
            emu_timer_t *dst = &soc->timers[soc->ntimers++];
            dst->cb = soc->snap_cbs[t.cb_index];
            dst->handle = t.handle;
            dst->at_ns = t.at_ns;
            dst->arg = (void *)(uintptr_t)t.arg;
        }
    }
    fclose(f);
    if (!ok) {
        return false;
    }
    soc->insn = h.insn;
    soc->insn_base = h.insn_base;
    soc->time_ns = h.time_ns;
    soc->sysclk_hz = h.sysclk_hz;
    soc->next_handle = h.next_handle;
    soc->sleep = h.sleep;
    /* CONTROL and IPSR before the stack pointers (Unicorn swaps SP on SPSEL changes) */
    for (unsigned i = 0; i < SNAP_NREGS; i++) {
        uc_reg_write(UC(soc), s_snap_regs[i], &h.regs[i]);
    }
    emu_soc_flash_changed(soc, WBOTA_FLASH_BASE, WBOTA_FLASH_SIZE);
    return true;
}
