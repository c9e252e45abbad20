/* nvic.c - NVIC and SCB of the Cortex-M4 (ARMv7-M ARM B3.2, B3.4; PM0214) and exception
 * entry/return, which Unicorn does not model: pending/active/enable bits, 4 priority bits
 * (STM32WB55 __NVIC_PRIO_BITS = 4), PRIGROUP, PRIMASK/BASEPRI/FAULTMASK, VTOR, the 8-word
 * basic frame (no FPU frame: firmware is soft-float, CONTROL.FPCA stays 0), EXC_RETURN
 * 0xFFFFFFF1/F9/FD. The SCS window (0xE000E000, 4 KB) also routes SysTick registers. */
#include "soc.h"

#include <inttypes.h>
#include <string.h>

#include <unicorn/unicorn.h>

#define UC(soc) ((uc_engine *)(soc)->uc)

#define SCS_BASE 0xE000E000u

#define CPUID_CM4_R0P1 0x410FC241u /* Cortex-M4 r0p1 (STM32WB55 CPU1) */

static bool prv_bit(const uint32_t *bm, unsigned n)
{
    return (bm[n >> 5] >> (n & 31u)) & 1u;
}
static void prv_set(uint32_t *bm, unsigned n)
{
    bm[n >> 5] |= 1u << (n & 31u);
}
static void prv_clr(uint32_t *bm, unsigned n)
{
    bm[n >> 5] &= ~(1u << (n & 31u));
}

static int prv_prio(const emu_soc_t *soc, unsigned exc)
{
    switch (exc) {
    case 1:
        return -3; /* Reset */
    case EMU_EXC_NMI:
        return -2;
    case EMU_EXC_HARDFAULT:
        return -1;
    default:
        return soc->nvic.prio[exc];
    }
}

/* Group (preemption) priority under PRIGROUP. */
static int prv_group(const emu_soc_t *soc, int prio)
{
    if (prio < 0) {
        return prio;
    }
    unsigned sub_bits = soc->nvic.prigroup + 1u; /* PRIGROUP n: bits [n:0] are subpriority */
    return (int)(((unsigned)prio >> sub_bits) << sub_bits);
}

static uint32_t prv_reg(emu_soc_t *soc, int reg)
{
    uint32_t v = 0;
    uc_reg_read(UC(soc), reg, &v);
    return v;
}

static int prv_exec_prio(emu_soc_t *soc)
{
    int p = 256;
    for (unsigned e = 1; e < EMU_NUM_EXC; e++) {
        if (prv_bit(soc->nvic.act, e)) {
            int g = prv_group(soc, prv_prio(soc, e));
            p = g < p ? g : p;
        }
    }
    uint32_t basepri = prv_reg(soc, UC_ARM_REG_BASEPRI) & 0xF0u;
    if (basepri != 0u && prv_group(soc, (int)basepri) < p) {
        p = prv_group(soc, (int)basepri);
    }
    if (prv_reg(soc, UC_ARM_REG_PRIMASK) & 1u) {
        p = p < 0 ? p : 0;
    }
    if (prv_reg(soc, UC_ARM_REG_FAULTMASK) & 1u) {
        p = p < -1 ? p : -1;
    }
    return p;
}

static bool prv_can_pend_enabled(const emu_soc_t *soc, unsigned e)
{
    if (e >= EMU_EXC_IRQ0) {
        return prv_bit(soc->nvic.en, e);
    }
    return true;
}

/* Best pending enabled exception (lowest priority value, then lowest number). */
static unsigned prv_best_pending(emu_soc_t *soc, int *prio_out)
{
    unsigned best = 0;
    int bp = 0x7FFF;
    for (unsigned w = 0; w < 3u; w++) {
        uint32_t m = soc->nvic.pend[w];
        while (m != 0u) {
            unsigned b = (unsigned)__builtin_ctz(m);
            m &= m - 1u;
            unsigned e = w * 32u + b;
            if (e >= EMU_NUM_EXC || !prv_can_pend_enabled(soc, e) || prv_bit(soc->nvic.act, e)) {
                continue;
            }
            int p = prv_prio(soc, e);
            if (p < bp) {
                bp = p;
                best = e;
            }
        }
    }
    *prio_out = bp;
    return best;
}

unsigned emu_nvic_pending_exc(emu_soc_t *soc, bool ignore_primask)
{
    int p;
    unsigned e = prv_best_pending(soc, &p);
    if (e == 0u) {
        return 0;
    }
    int cur;
    if (ignore_primask) {
        /* WFI wake-up: PRIMASK does not prevent waking (ARMv7-M B1.5.19) */
        cur = 256;
        for (unsigned a = 1; a < EMU_NUM_EXC; a++) {
            if (prv_bit(soc->nvic.act, a)) {
                int g = prv_group(soc, prv_prio(soc, a));
                cur = g < cur ? g : cur;
            }
        }
    } else {
        cur = prv_exec_prio(soc);
    }
    return prv_group(soc, p) < cur ? e : 0u;
}

bool emu_nvic_any_pending(emu_soc_t *soc)
{
    int p;
    return prv_best_pending(soc, &p) != 0u;
}

void emu_nvic_set_pending(emu_soc_t *soc, unsigned exc)
{
    if (exc == 0u || exc >= EMU_NUM_EXC) {
        return;
    }
    if (!prv_bit(soc->nvic.pend, exc)) {
        prv_set(soc->nvic.pend, exc);
        if (soc->nvic.scr & 0x10u) { /* SEVONPEND: a new pending interrupt is a WFE event */
            soc->nvic.event_reg = true;
        }
    }
    soc->stop_now = true; /* take it at the next block boundary if it preempts */
}

void emu_nvic_clear_pending(emu_soc_t *soc, unsigned exc)
{
    if (exc < EMU_NUM_EXC) {
        prv_clr(soc->nvic.pend, exc);
    }
}

void emu_irq_set(emu_soc_t *soc, unsigned irq, bool level)
{
    unsigned e = EMU_EXC_IRQ0 + irq;
    if (irq >= EMU_NUM_IRQ) {
        return;
    }
    bool was = prv_bit(soc->nvic.line, e);
    if (level) {
        prv_set(soc->nvic.line, e);
        if (!was) {
            emu_nvic_set_pending(soc, e);
        }
    } else {
        prv_clr(soc->nvic.line, e);
    }
}

/* ---------------- exception entry / return ---------------- */
static bool prv_fault(emu_soc_t *soc, const char *what, uint32_t addr)
{
    emu_soc_stop(soc, WBOTA_EXIT_EMU_FAULT,
                 "EMU FAULT %s: address 0x%08" PRIx32 " (PC 0x%08" PRIx32 ")", what, addr,
                 emu_soc_pc(soc));
    return false;
}

bool emu_nvic_enter(emu_soc_t *soc, unsigned exc, uint32_t return_pc)
{
    uc_engine *uc = UC(soc);
    uint32_t control = prv_reg(soc, UC_ARM_REG_CONTROL);
    uint32_t ipsr = prv_reg(soc, UC_ARM_REG_IPSR) & 0x1FFu;
    bool handler = ipsr != 0u;
    bool on_psp = !handler && (control & 2u);
    uint32_t sp = on_psp ? prv_reg(soc, UC_ARM_REG_PSP) : prv_reg(soc, UC_ARM_REG_MSP);
    uint32_t xpsr = prv_reg(soc, UC_ARM_REG_XPSR);
    uint32_t frame[8];
    frame[0] = prv_reg(soc, UC_ARM_REG_R0);
    frame[1] = prv_reg(soc, UC_ARM_REG_R1);
    frame[2] = prv_reg(soc, UC_ARM_REG_R2);
    frame[3] = prv_reg(soc, UC_ARM_REG_R3);
    frame[4] = prv_reg(soc, UC_ARM_REG_R12);
    frame[5] = prv_reg(soc, UC_ARM_REG_LR);
    frame[6] = return_pc & ~1u;
    /* CCR.STKALIGN is 1 on the M4: the frame is 8-byte aligned, xPSR bit 9 records padding */
    uint32_t pad = (sp & 4u) ? 4u : 0u;
    frame[7] = (xpsr & ~(1u << 9)) | (pad ? (1u << 9) : 0u);
    uint32_t nsp = (sp - pad) - 32u;
    if (!emu_mem_write(soc, nsp, frame, sizeof(frame))) {
        return prv_fault(soc, "exception stacking outside RAM (stack overflow?)", nsp);
    }
    uint32_t vec = 0;
    if (!emu_mem_read(soc, soc->nvic.vtor + 4u * exc, &vec, 4)) {
        return prv_fault(soc, "vector table read outside memory (VTOR?)",
                         soc->nvic.vtor + 4u * exc);
    }
    if ((vec & 1u) == 0u) {
        char what[96];
        snprintf(what, sizeof(what), "vector %u is not a Thumb address (0x%08" PRIx32 ")", exc,
                 vec);
        return prv_fault(soc, what, soc->nvic.vtor + 4u * exc);
    }
    if (on_psp) {
        uc_reg_write(uc, UC_ARM_REG_PSP, &nsp);
        uint32_t c = control & ~2u; /* handler mode always runs on MSP */
        uc_reg_write(uc, UC_ARM_REG_CONTROL, &c);
    } else {
        uc_reg_write(uc, UC_ARM_REG_MSP, &nsp);
        uc_reg_write(uc, UC_ARM_REG_SP, &nsp);
    }
    uint32_t exc_return = handler ? 0xFFFFFFF1u : (on_psp ? 0xFFFFFFFDu : 0xFFFFFFF9u);
    uc_reg_write(uc, UC_ARM_REG_LR, &exc_return);
    uint32_t nx = 0x01000000u | exc; /* Thumb, IT cleared, IPSR = exception number */
    uc_reg_write(uc, UC_ARM_REG_XPSR, &nx);
    uint32_t ip = exc;
    uc_reg_write(uc, UC_ARM_REG_IPSR, &ip);
    uint32_t pc = vec & ~1u;
    uc_reg_write(uc, UC_ARM_REG_PC, &pc);
    prv_clr(soc->nvic.pend, exc);
    prv_set(soc->nvic.act, exc);
    soc->nvic.event_reg = true; /* exception entry is a WFE event */
    emu_trace(soc, EMU_TRACE_PERIPH, "exception %u entry (return to 0x%08" PRIx32 ")", exc,
              return_pc);
    return true;
}

bool emu_nvic_exc_return(emu_soc_t *soc, uint32_t exc_return)
{
    uc_engine *uc = UC(soc);
    uint32_t ipsr = prv_reg(soc, UC_ARM_REG_IPSR) & 0x1FFu;
    if (ipsr == 0u || !prv_bit(soc->nvic.act, ipsr)) {
        return prv_fault(soc, "EXC_RETURN value branched to in thread mode / no active exception",
                         exc_return);
    }
    bool to_thread, to_psp;
    switch (exc_return) {
    case 0xFFFFFFF1u:
        to_thread = false;
        to_psp = false;
        break;
    case 0xFFFFFFF9u:
        to_thread = true;
        to_psp = false;
        break;
    case 0xFFFFFFFDu:
        to_thread = true;
        to_psp = true;
        break;
    default:
        return prv_fault(soc, "bad EXC_RETURN (FPU frame or reserved value)", exc_return);
    }
    prv_clr(soc->nvic.act, ipsr);
    /* a level line still asserted re-pends its interrupt */
    if (ipsr >= EMU_EXC_IRQ0 && prv_bit(soc->nvic.line, ipsr)) {
        prv_set(soc->nvic.pend, ipsr);
    }
    bool others_active = false;
    for (unsigned w = 0; w < 3u; w++) {
        others_active = others_active || soc->nvic.act[w] != 0u;
    }
    if (to_thread && others_active) {
        return prv_fault(soc, "EXC_RETURN to thread mode with other exceptions active (INVPC)",
                         exc_return);
    }
    uint32_t sp = to_psp ? prv_reg(soc, UC_ARM_REG_PSP) : prv_reg(soc, UC_ARM_REG_MSP);
    uint32_t frame[8];
    if (!emu_mem_read(soc, sp, frame, sizeof(frame))) {
        return prv_fault(soc, "exception unstacking outside RAM", sp);
    }
    uint32_t nsp = sp + 32u + ((frame[7] & (1u << 9)) ? 4u : 0u);
    uint32_t ret_ipsr = frame[7] & 0x1FFu;
    if (to_thread != (ret_ipsr == 0u)) {
        return prv_fault(soc, "stacked IPSR does not match EXC_RETURN mode (INVPC)", frame[7]);
    }
    uc_reg_write(uc, UC_ARM_REG_R0, &frame[0]);
    uc_reg_write(uc, UC_ARM_REG_R1, &frame[1]);
    uc_reg_write(uc, UC_ARM_REG_R2, &frame[2]);
    uc_reg_write(uc, UC_ARM_REG_R3, &frame[3]);
    uc_reg_write(uc, UC_ARM_REG_R12, &frame[4]);
    uc_reg_write(uc, UC_ARM_REG_LR, &frame[5]);
    uint32_t xpsr = frame[7] & ~(1u << 9);
    uc_reg_write(uc, UC_ARM_REG_XPSR, &xpsr);
    uc_reg_write(uc, UC_ARM_REG_IPSR, &ret_ipsr);
    if (to_psp) {
        uc_reg_write(uc, UC_ARM_REG_PSP, &nsp);
        uint32_t c = prv_reg(soc, UC_ARM_REG_CONTROL) | 2u;
        uc_reg_write(uc, UC_ARM_REG_CONTROL, &c);
    } else {
        uc_reg_write(uc, UC_ARM_REG_MSP, &nsp);
        uc_reg_write(uc, UC_ARM_REG_SP, &nsp);
    }
    uint32_t pc = frame[6] & ~1u;
    uc_reg_write(uc, UC_ARM_REG_PC, &pc);
    soc->nvic.event_reg = true; /* exception return is a WFE event */
    emu_trace(soc, EMU_TRACE_PERIPH, "exception %" PRIu32 " return to 0x%08" PRIx32, ipsr, pc);
    return true;
}

/* ---------------- SCS registers ---------------- */
static uint32_t prv_icsr(emu_soc_t *soc)
{
    emu_systick_catch_up(soc); /* PENDSTSET of a wrap that is already due */
    uint32_t ipsr = prv_reg(soc, UC_ARM_REG_IPSR) & 0x1FFu;
    int p;
    unsigned pend = prv_best_pending(soc, &p);
    uint32_t v = ipsr | ((uint32_t)pend << 12);
    unsigned nact = 0;
    for (unsigned w = 0; w < 3u; w++) {
        nact += (unsigned)__builtin_popcount(soc->nvic.act[w]);
    }
    if (nact <= 1u) {
        v |= 1u << 11; /* RETTOBASE */
    }
    for (unsigned w = 0; w < 3u; w++) {
        uint32_t m = soc->nvic.pend[w] & (w == 0u ? 0xFFFF0000u : 0xFFFFFFFFu);
        if (m != 0u) {
            v |= 1u << 22; /* ISRPENDING: an external interrupt is pending */
        }
    }
    if (prv_bit(soc->nvic.pend, EMU_EXC_SYSTICK)) {
        v |= 1u << 26;
    }
    if (prv_bit(soc->nvic.pend, EMU_EXC_PENDSV)) {
        v |= 1u << 28;
    }
    if (prv_bit(soc->nvic.pend, EMU_EXC_NMI)) {
        v |= 1u << 31;
    }
    return v;
}

static uint32_t prv_bytes4(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void prv_write_prio4(emu_soc_t *soc, unsigned first_exc, uint32_t val, uint32_t mask)
{
    for (unsigned i = 0; i < 4u; i++) {
        if ((mask >> (8u * i)) & 0xFFu) {
            unsigned e = first_exc + i;
            if (e < EMU_NUM_EXC) {
                soc->nvic.prio[e] = (uint8_t)((val >> (8u * i)) & 0xF0u); /* 4 bits implemented */
            }
        }
    }
}

static uint32_t prv_scs_read(emu_soc_t *soc, void *st, uint32_t off)
{
    (void)st;
    emu_nvic_t *n = &soc->nvic;
    if (off >= 0x010u && off < 0x020u) {
        return emu_systick_read(soc, off);
    }
    if (off >= 0x100u && off < 0x108u) {
        return n->en[(off - 0x100u) / 4u] >> 16 | (n->en[(off - 0x100u) / 4u + 1u] << 16);
    }
    if (off >= 0x180u && off < 0x188u) {
        return n->en[(off - 0x180u) / 4u] >> 16 | (n->en[(off - 0x180u) / 4u + 1u] << 16);
    }
    if (off >= 0x200u && off < 0x208u) {
        return n->pend[(off - 0x200u) / 4u] >> 16 | (n->pend[(off - 0x200u) / 4u + 1u] << 16);
    }
    if (off >= 0x280u && off < 0x288u) {
        return n->pend[(off - 0x280u) / 4u] >> 16 | (n->pend[(off - 0x280u) / 4u + 1u] << 16);
    }
    if (off >= 0x300u && off < 0x308u) {
        return n->act[(off - 0x300u) / 4u] >> 16 | (n->act[(off - 0x300u) / 4u + 1u] << 16);
    }
    if ((off >= 0x108u && off < 0x120u) || (off >= 0x188u && off < 0x1A0u) ||
        (off >= 0x208u && off < 0x220u) || (off >= 0x288u && off < 0x2A0u) ||
        (off >= 0x308u && off < 0x320u)) {
        return 0; /* interrupt lines beyond 63 do not exist */
    }
    if (off >= 0x400u && off < 0x440u) {
        return prv_bytes4(&n->prio[EMU_EXC_IRQ0 + (off - 0x400u)]);
    }
    if (off >= 0x440u && off < 0x4F0u) {
        return 0;
    }
    switch (off) {
    case 0x004: /* ICTR: INTLINESNUM = 1 -> 64 lines */
        return 1u;
    case 0x008:
        return n->actlr;
    case 0xD00:
        return CPUID_CM4_R0P1;
    case 0xD04:
        return prv_icsr(soc);
    case 0xD08:
        return n->vtor;
    case 0xD0C:
        return 0xFA050000u | (n->prigroup << 8);
    case 0xD10:
        return n->scr;
    case 0xD14:
        return n->ccr;
    case 0xD18:
        return prv_bytes4(&n->prio[4]);
    case 0xD1C:
        return prv_bytes4(&n->prio[8]);
    case 0xD20:
        return prv_bytes4(&n->prio[12]);
    case 0xD24:
        return n->shcsr;
    case 0xD28: /* CFSR, HFSR, DFSR, MMFAR, BFAR, AFSR: faults stop the run, so always 0 */
    case 0xD2C:
    case 0xD30:
    case 0xD34:
    case 0xD38:
    case 0xD3C:
        return 0;
    case 0xD88:
        return n->cpacr;
    case 0xDF0: /* CoreDebug DHCSR: no debugger attached */
    case 0xDFC: /* DEMCR */
        return 0;
    case 0xF34:
        return n->fpccr;
    case 0xF38:
    case 0xF3C:
        return 0;
    default:
        emu_soc_unimplemented(soc, "SCB/NVIC", SCS_BASE + off, false, 0);
        return 0;
    }
}

static void prv_scs_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    (void)st;
    emu_nvic_t *n = &soc->nvic;
    if (off >= 0x010u && off < 0x020u) {
        emu_systick_write(soc, off,
                          emu_reg_merge(emu_systick_read(soc, off), val, mask, 0xFFFFFFFFu));
        return;
    }
    if (off >= 0x100u && off < 0x320u && (off & 0x7Fu) < 8u) {
        unsigned irq0 = ((off & 0x7Fu) / 4u) * 32u;
        uint32_t bits = val & mask;
        for (unsigned b = 0; bits != 0u && b < 32u; b++) {
            if (!((bits >> b) & 1u)) {
                continue;
            }
            unsigned e = EMU_EXC_IRQ0 + irq0 + b;
            switch (off & ~0x7Fu) {
            case 0x100: /* ISER: set-only */
                prv_set(n->en, e);
                soc->stop_now = true;
                break;
            case 0x180: /* ICER: clear-only */
                prv_clr(n->en, e);
                break;
            case 0x200: /* ISPR: set-only */
                emu_nvic_set_pending(soc, e);
                break;
            case 0x280: /* ICPR: clear-only */
                prv_clr(n->pend, e);
                break;
            default: /* IABR is read-only */
                break;
            }
        }
        return;
    }
    if (off >= 0x100u && off < 0x320u) {
        return; /* lines beyond 63: write ignored */
    }
    if (off >= 0x400u && off < 0x440u) {
        prv_write_prio4(soc, EMU_EXC_IRQ0 + (off - 0x400u), val, mask);
        return;
    }
    if (off >= 0x440u && off < 0x4F0u) {
        return;
    }
    switch (off) {
    case 0x008:
        n->actlr = emu_reg_merge(n->actlr, val, mask, 0x307u);
        return;
    case 0xD04: /* ICSR: set/clear pulses */
        if (val & (1u << 31)) {
            emu_nvic_set_pending(soc, EMU_EXC_NMI);
        }
        if (val & (1u << 28)) {
            emu_nvic_set_pending(soc, EMU_EXC_PENDSV);
        }
        if (val & (1u << 27)) {
            emu_nvic_clear_pending(soc, EMU_EXC_PENDSV);
        }
        if (val & (1u << 26)) {
            emu_nvic_set_pending(soc, EMU_EXC_SYSTICK);
        }
        if (val & (1u << 25)) {
            emu_nvic_clear_pending(soc, EMU_EXC_SYSTICK);
        }
        return;
    case 0xD08:
        n->vtor = emu_reg_merge(n->vtor, val, mask, 0xFFFFFF80u);
        return;
    case 0xD0C: /* AIRCR: writes ignored without VECTKEY 0x05FA */
        if (mask != 0xFFFFFFFFu || (val >> 16) != 0x05FAu) {
            emu_trace(soc, EMU_TRACE_RESET, "AIRCR write without VECTKEY ignored (0x%08" PRIx32 ")",
                      val);
            return;
        }
        n->prigroup = (val >> 8) & 7u;
        if (val & (1u << 2)) {
            emu_trace(soc, EMU_TRACE_RESET, "AIRCR.SYSRESETREQ");
            emu_soc_request_system_reset(soc);
        }
        return;
    case 0xD10:
        n->scr = emu_reg_merge(n->scr, val, mask, 0x16u);
        return;
    case 0xD14:
        n->ccr = emu_reg_merge(n->ccr, val, mask, 0x31Bu);
        return;
    case 0xD18:
        prv_write_prio4(soc, 4, val, mask & 0x00FFFFFFu);
        return;
    case 0xD1C:
        prv_write_prio4(soc, 8, val, mask & 0xFF000000u);
        return;
    case 0xD20:
        prv_write_prio4(soc, 12, val, mask & 0xFFFF0000u);
        return;
    case 0xD24:
        n->shcsr = emu_reg_merge(n->shcsr, val, mask, 0x00070000u);
        return;
    case 0xD28:
    case 0xD2C:
    case 0xD30:
    case 0xD3C: /* write-1-to-clear fault status: nothing is ever set */
        return;
    case 0xD88:
        n->cpacr = emu_reg_merge(n->cpacr, val, mask, 0x00F00000u);
        return;
    case 0xDFC: /* DEMCR (TRCENA for DWT): accepted, no debug model */
        return;
    case 0xF00:                                                   /* STIR */
        emu_nvic_set_pending(soc, EMU_EXC_IRQ0 + (val & 0x1FFu)); /* INTID[8:0] */
        return;
    case 0xF34:
        n->fpccr = emu_reg_merge(n->fpccr, val, mask, 0xC0000000u);
        return;
    default:
        emu_soc_unimplemented(soc, "SCB/NVIC", SCS_BASE + off, true, val);
        return;
    }
}

void emu_nvic_reset(emu_soc_t *soc)
{
    memset(&soc->nvic, 0, sizeof(soc->nvic));
    soc->nvic.ccr = 0x00000200u;   /* STKALIGN = 1 */
    soc->nvic.fpccr = 0xC0000000u; /* ASPEN | LSPEN */
    emu_systick_reset(soc);
}

void emu_nvic_init(emu_soc_t *soc)
{
    emu_periph_t p = {.name = "SCS",
                      .base = SCS_BASE,
                      .size = 0x1000u,
                      .read = prv_scs_read,
                      .write = prv_scs_write,
                      .reset = NULL,
                      .st = NULL};
    emu_soc_register_periph(soc, &p);
    emu_nvic_reset(soc);
}
