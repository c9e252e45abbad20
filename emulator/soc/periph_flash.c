/* periph_flash.c - FLASH interface (RM0434 3.3, registers 3.10) at 0x58004000, CPU1 side.
 * The array itself is the host flash model (wbota/flash_model.h: NOR rules, error flags, op
 * counter, power-cut injection); this file is the controller: KEYR/OPTKEYR key sequences, LOCK,
 * CR PG/PER/PNB/STRT, double-word programming as two 32-bit CPU writes, BSY/CFGBSY for the
 * operation's duration in simulated time, EOP/error flags (write-1-to-clear), SFSA in SFR, and the
 * FLASH interrupt (IRQ 4). Timings: datasheet DS11929 typicals, 64-bit program 81.7 us, page
 * erase 22.02 ms. Simplification: the array changes when the operation starts; BSY then lasts the
 * typical time (a CPU write arriving while BSY stalls the bus on the chip: here it advances time
 * to the end of the busy period). */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>

#include "wbota/flash_model.h"

#define FLASH_BASE_ADDR 0x58004000u

#define T_PROG_DW_NS  81700u
#define T_ERASE_PG_NS 22020000u

/* SR bits (RM0434 3.10.4) */
#define SR_EOP     (1u << 0)
#define SR_OPERR   (1u << 1)
#define SR_PROGERR (1u << 3)
#define SR_WRPERR  (1u << 4)
#define SR_PGAERR  (1u << 5)
#define SR_SIZERR  (1u << 6)
#define SR_PGSERR  (1u << 7)
#define SR_MISERR  (1u << 8)
#define SR_FASTERR (1u << 9)
#define SR_RDERR   (1u << 14)
#define SR_OPTVERR (1u << 15)
#define SR_BSY     (1u << 16)
#define SR_CFGBSY  (1u << 18)
#define SR_PESD    (1u << 19)
#define SR_PROG_ERRORS                                                                             \
    (SR_PROGERR | SR_WRPERR | SR_PGAERR | SR_SIZERR | SR_PGSERR | SR_MISERR | SR_FASTERR)

/* CR bits (RM0434 3.10.5) */
#define CR_PG      (1u << 0)
#define CR_PER     (1u << 1)
#define CR_MER     (1u << 2)
#define CR_PNB_POS 3
#define CR_PNB_MSK (0xFFu << CR_PNB_POS)
#define CR_STRT    (1u << 16)
#define CR_OPTSTRT (1u << 17)
#define CR_FSTPG   (1u << 18)
#define CR_EOPIE   (1u << 24)
#define CR_ERRIE   (1u << 25)
#define CR_RDERRIE (1u << 26)
#define CR_OBL     (1u << 27)
#define CR_OPTLOCK (1u << 30)
#define CR_LOCK    (1u << 31)
#define CR_WMASK   0x070707FFu /* PG PER MER PNB STRT OPTSTRT FSTPG EOPIE ERRIE RDERRIE */

#define ACR_RESET 0x00000600u
#define ACR_WMASK 0x00019F07u
#define ACR_PES   (1u << 15)

/* RM0434 3.10 register map. Offsets 0x04, 0x1C, 0x40-0x58, 0x68-0x7C are reserved. */
static const emu_reg_t s_regs[] = {
    {0x00, "ACR", ACR_RESET, ACR_WMASK, 0, 0, NULL, NULL},
    {0x08, "KEYR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x0C, "OPTKEYR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    /* EOP OPERR PROGERR WRPERR PGAERR SIZERR PGSERR MISERR FASTERR RDERR OPTVERR rc_w1;
     * OPTNV BSY CFGBSY PESD read-only */
    {0x10, "SR", 0, 0, 0x0000C3FBu, 0x000D2000u, NULL, NULL},
    /* PG PER MER PNB[10:3] STRT OPTSTRT FSTPG EOPIE ERRIE RDERRIE OBL_LAUNCH OPTLOCK LOCK */
    {0x14, "CR", 0xC0000000u, 0xCF0707FFu, 0, 0, NULL, NULL},
    /* ADDR_ECC[16:0] SYSF_ECC CPUID[28:26] ro, ECCCIE rw, ECCC ECCD rc_w1 */
    {0x18, "ECCR", 0, 0x01000000u, 0xC0000000u, 0x1C11FFFFu, NULL, NULL},
    /* RDP ESE BOR_LEV nRST_STOP/STDBY/SHDW, IWDG_SW/STOP/STDBY WWDG_SW, nBOOT1 SRAM2_PE
     * SRAM2_RST nSWBOOT0 nBOOT0, AGC_TRIM[31:29]; bits 15, 20-22, 28 reserved */
    {0x20, "OPTR", 0x2F8F71AAu, 0xEF8F7FFFu, 0, 0, NULL, NULL},
    {0x24, "PCROP1ASR", 0, 0x000001FFu, 0, 0, NULL, NULL},
    {0x28, "PCROP1AER", 0, 0x800001FFu, 0, 0, NULL, NULL},
    {0x2C, "WRP1AR", 0x000000FFu, 0x00FF00FFu, 0, 0, NULL, NULL},
    {0x30, "WRP1BR", 0x000000FFu, 0x00FF00FFu, 0, 0, NULL, NULL},
    {0x34, "PCROP1BSR", 0, 0x000001FFu, 0, 0, NULL, NULL},
    {0x38, "PCROP1BER", 0, 0x000001FFu, 0, 0, NULL, NULL},
    {0x3C, "IPCCBR", 0, 0x00003FFFu, 0, 0, NULL, NULL},
    {0x5C, "C2ACR", 0, ACR_PES, 0, 0x00000B00u, NULL, NULL},
    {0x60, "C2SR", 0, 0, 0, 0x000DC3FBu, NULL, NULL},
    {0x64, "C2CR", 0, 0, 0, 0x070407FFu, NULL, NULL},
    /* SFSA[7:0] FSD DDS: written by FUS only */
    {0x80, "SFR", 0, 0, 0, 0x000011FFu, NULL, NULL},
    {0x84, "SRRVR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
};
/* clock gate: FLASHEN */
const emu_regblock_t emu_rb_flash =
    EMU_REGBLOCK("FLASH", FLASH_BASE_ADDR, s_regs, EMU_RCC_AHB3ENR, 1u << 25);
#define REG_SR 3

struct emu_flash {
    uint32_t acr, sr, cr, optr;
    emu_keylock_t key, optkey;
    uint32_t c2acr;
    /* double word being assembled from two CPU writes */
    bool have_w0;
    uint32_t dw_addr;
    uint32_t w0;
    uint64_t busy_until_ns;
    uint32_t busy_timer;
};

static void prv_update_irq(emu_soc_t *soc)
{
    struct emu_flash *f = soc->flash;
    bool lvl = ((f->cr & CR_EOPIE) && (f->sr & SR_EOP)) ||
               ((f->cr & CR_ERRIE) && (f->sr & (SR_PROG_ERRORS | SR_OPERR)));
    emu_irq_set(soc, EMU_IRQ_FLASH, lvl);
}

static void prv_busy_end_cb(emu_soc_t *soc, void *arg)
{
    (void)arg;
    struct emu_flash *f = soc->flash;
    f->busy_timer = 0;
    f->sr &= ~(SR_BSY | SR_CFGBSY);
    f->cr &= ~CR_STRT;
    if (f->cr & CR_EOPIE) {
        f->sr |= SR_EOP; /* EOP is only set when EOPIE = 1 (RM0434 3.10.4) */
    }
    prv_update_irq(soc);
}

static void prv_stall_if_busy(emu_soc_t *soc)
{
    struct emu_flash *f = soc->flash;
    if (f->sr & SR_BSY) {
        /* the chip stalls the bus until the current operation ends */
        emu_soc_sync_time(soc);
        if (f->busy_until_ns > soc->time_ns) {
            soc->time_ns = f->busy_until_ns;
        }
        if (f->busy_timer != 0u) {
            emu_cancel(soc, f->busy_timer);
        }
        prv_busy_end_cb(soc, NULL);
    }
}

static void prv_start_busy(emu_soc_t *soc, uint64_t dur_ns)
{
    struct emu_flash *f = soc->flash;
    f->sr |= SR_BSY | SR_CFGBSY;
    f->busy_until_ns = emu_time_ns(soc) + dur_ns;
    f->busy_timer = emu_schedule(soc, f->busy_until_ns, prv_busy_end_cb, NULL);
}

static const char *prv_kind_name(wbota_cut_kind_t k)
{
    switch (k) {
    case WBOTA_CUT_BEFORE:
        return "before";
    case WBOTA_CUT_AFTER:
        return "after";
    case WBOTA_CUT_TORN:
        return "torn";
    default:
        return "none";
    }
}

/* CPU2 refuses CPU1 flash operations while it holds Sem 7 (docs/st-interface.md#flash-cpu2): a
 * driver that follows the protocol takes Sem 7 itself first, so this only fires on a broken driver.
 */
static bool prv_sem7_ok(emu_soc_t *soc, const char *what, uint32_t addr)
{
    if (emu_hsem_owner(soc, 7) == 8u) {
        emu_fail(soc, "FLASH_WHILE_CPU2_SEM7",
                 "%s at 0x%08" PRIx32 " started while CPU2 holds Sem 7", what, addr);
        return false;
    }
    return true;
}

/* Collect the model's error flags after an operation; a power cut fires the POR. */
static bool prv_after_op(emu_soc_t *soc, wbota_err_t rc, uint32_t addr, const char *what)
{
    struct emu_flash *f = soc->flash;
    f->sr |= soc->fm->sr & SR_PROG_ERRORS;
    wbota_fm_clear_errors(soc->fm);
    if (rc == WBOTA_E_POWER_CUT) {
        printf("EMU CUT fired at op %" PRIu32 " (%s) %s 0x%08" PRIx32 "\n", soc->fm->op_count,
               prv_kind_name(soc->fm->cut_kind), what, addr);
        fflush(stdout);
        soc->cut_fired = true;
        emu_request_power_on_reset(soc);
        return false;
    }
    emu_trace(soc, EMU_TRACE_FLASH, "%s 0x%08" PRIx32 " -> %d (SR 0x%08" PRIx32 ", op %" PRIu32 ")",
              what, addr, (int)rc, f->sr, soc->fm->op_count);
    return rc == WBOTA_OK;
}

bool emu_flash_pg_mode(const emu_soc_t *soc)
{
    const struct emu_flash *f = soc->flash;
    return (f->cr & CR_PG) && !(f->cr & CR_LOCK);
}

void emu_flash_cpu_write(emu_soc_t *soc, uint32_t addr, uint32_t val, unsigned size)
{
    struct emu_flash *f = soc->flash;
    if (f->sr & SR_PROG_ERRORS) {
        f->sr |= SR_PGSERR; /* programming with an error flag still set */
        f->have_w0 = false;
        prv_update_irq(soc);
        return;
    }
    if (size != 4u) {
        /* byte/half-word writes: the model reports SIZERR */
        uint8_t b[4] = {(uint8_t)val, (uint8_t)(val >> 8), (uint8_t)(val >> 16),
                        (uint8_t)(val >> 24)};
        wbota_err_t rc = wbota_fm_program_width(soc->fm, addr, b, size);
        f->have_w0 = false;
        if (prv_after_op(soc, rc, addr, "program (bad width)")) {
            emu_soc_flash_changed(soc, addr & ~7u, 8);
        }
        f->sr |= SR_SIZERR;
        prv_update_irq(soc);
        return;
    }
    if (!f->have_w0) {
        if (addr & 7u) {
            f->sr |= SR_PGAERR; /* first word must start a double word */
            prv_update_irq(soc);
            return;
        }
        prv_stall_if_busy(soc);
        f->have_w0 = true;
        f->dw_addr = addr;
        f->w0 = val;
        f->sr |= SR_CFGBSY; /* set when the first word is sent */
        return;
    }
    f->have_w0 = false;
    if (addr != f->dw_addr + 4u) {
        f->sr |= SR_PGAERR; /* second word not in the same double word */
        f->sr &= ~SR_CFGBSY;
        prv_update_irq(soc);
        return;
    }
    if (!prv_sem7_ok(soc, "double-word program", f->dw_addr)) {
        return;
    }
    uint8_t dw[8];
    for (unsigned i = 0; i < 4u; i++) {
        dw[i] = (uint8_t)(f->w0 >> (8u * i));
        dw[4u + i] = (uint8_t)(val >> (8u * i));
    }
    wbota_err_t rc = wbota_fm_program_dw(soc->fm, f->dw_addr, dw);
    bool ok = prv_after_op(soc, rc, f->dw_addr, "program");
    if (rc == WBOTA_E_POWER_CUT) {
        return;
    }
    emu_soc_flash_changed(soc, f->dw_addr, 8);
    if (ok) {
        prv_start_busy(soc, T_PROG_DW_NS);
    } else {
        f->sr &= ~SR_CFGBSY;
    }
    prv_update_irq(soc);
}

static void prv_start(emu_soc_t *soc)
{
    struct emu_flash *f = soc->flash;
    if (f->sr & SR_PROG_ERRORS) {
        f->sr |= SR_PGSERR;
        f->cr &= ~CR_STRT;
        prv_update_irq(soc);
        return;
    }
    if (f->cr & CR_MER) {
        /* mass erase from CPU1 is refused on the STM32WB (docs/st-interface.md#layout) */
        f->sr |= SR_WRPERR;
        f->cr &= ~CR_STRT;
        prv_update_irq(soc);
        return;
    }
    if (!(f->cr & CR_PER) || (f->cr & CR_PG)) {
        f->sr |= SR_PGSERR;
        f->cr &= ~CR_STRT;
        prv_update_irq(soc);
        return;
    }
    prv_stall_if_busy(soc);
    uint32_t page = (f->cr & CR_PNB_MSK) >> CR_PNB_POS;
    if (!prv_sem7_ok(soc, "page erase", wbota_page_addr(page))) {
        return;
    }
    wbota_err_t rc = wbota_fm_erase_page(soc->fm, page);
    bool ok = prv_after_op(soc, rc, wbota_page_addr(page), "erase page");
    if (rc == WBOTA_E_POWER_CUT) {
        return;
    }
    emu_soc_flash_changed(soc, wbota_page_addr(page), WBOTA_PAGE_SIZE);
    if (ok) {
        prv_start_busy(soc, T_ERASE_PG_NS);
    } else {
        f->cr &= ~CR_STRT;
    }
    prv_update_irq(soc);
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_flash *f = st;
    switch (off) {
    case 0x00:
        return f->acr;
    case 0x08: /* KEYR, OPTKEYR: write-only */
    case 0x0C:
        return 0;
    case 0x10: {
        uint32_t pesd = ((f->acr & ACR_PES) || (f->c2acr & ACR_PES)) ? SR_PESD : 0u;
        return f->sr | pesd;
    }
    case 0x14:
        return f->cr;
    case 0x18: /* ECCR: no ECC errors modelled */
        return 0;
    case 0x20:
        return f->optr;
    case 0x24: /* PCROP1ASR .. WRP/PCROP registers: no protection configured */
    case 0x28:
    case 0x34:
    case 0x38:
        return 0;
    case 0x2C: /* WRP1AR: start > end = no write protection */
    case 0x30:
        return 0x000000FFu;
    case 0x3C: /* IPCCBR: IPCCDBA = 0 -> reference table at 0x20030000 */
        return 0;
    case 0x5C:
        return f->c2acr;
    case 0x60: /* C2SR: CPU2's view, no operation in progress */
        return 0;
    case 0x80: /* SFR: SFSA[7:0], FSD = 0, DDS = 1 (CPU2 debug disabled) */
        return (soc->opt.sfsa & 0xFFu) | (1u << 12);
    case 0x84: /* SRRVR: secure SRAM2 start addresses; SRAM2 fully non-secure here */
        return 0x00000000u;
    default:
        emu_soc_unimplemented(soc, "FLASH", FLASH_BASE_ADDR + off, false, 0);
        return 0;
    }
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_flash *f = st;
    switch (off) {
    case 0x00:
        f->acr = emu_reg_merge(f->acr, val, mask, ACR_WMASK) & ~(3u << 11); /* ICRST/DCRST */
        return;
    case 0x08:
        if (emu_keylock_feed(&f->key, val)) {
            f->cr &= ~CR_LOCK;
        } else if (f->key.blocked) {
            emu_trace(soc, EMU_TRACE_FLASH,
                      "wrong FLASH key 0x%08" PRIx32 ": CR locked until reset", val);
            f->cr |= CR_LOCK;
        }
        return;
    case 0x0C:
        if (!(f->cr & CR_LOCK) && emu_keylock_feed(&f->optkey, val)) {
            f->cr &= ~CR_OPTLOCK;
        }
        return;
    case 0x10:
        f->sr &= ~(val & mask & s_regs[REG_SR].w1c);
        prv_update_irq(soc);
        return;
    case 0x14: {
        if (f->cr & CR_LOCK) {
            return; /* CR is write-protected while locked */
        }
        uint32_t nv = emu_reg_merge(f->cr, val, mask, CR_WMASK | CR_OBL);
        if (mask & 0xFF000000u) {
            if (val & CR_LOCK) {
                nv |= CR_LOCK;
                f->key.pos = 0; /* relocking restarts the sequence; a blocked key stays blocked */
            }
            if (val & CR_OPTLOCK) {
                nv |= CR_OPTLOCK;
                emu_keylock_reset(&f->optkey);
            }
        }
        bool strt = (nv & CR_STRT) && !(f->cr & CR_STRT);
        if (nv & CR_OBL) {
            nv &= ~CR_OBL;
            emu_soc_unimplemented(soc, "FLASH CR.OBL_LAUNCH", FLASH_BASE_ADDR + off, true, val);
        }
        if (nv & CR_OPTSTRT) {
            nv &= ~CR_OPTSTRT;
            emu_soc_unimplemented(soc, "FLASH CR.OPTSTRT (option byte programming)",
                                  FLASH_BASE_ADDR + off, true, val);
        }
        if (nv & CR_FSTPG) {
            emu_soc_unimplemented(soc, "FLASH CR.FSTPG (fast programming)", FLASH_BASE_ADDR + off,
                                  true, val);
        }
        if (!(nv & CR_PG)) {
            f->have_w0 = false;
        }
        f->cr = nv;
        if (strt) {
            prv_start(soc);
        }
        prv_update_irq(soc);
        return;
    }
    case 0x18:
        return; /* ECCR: W1C flags never set */
    case 0x5C:
        f->c2acr = emu_reg_merge(f->c2acr, val, mask, ACR_PES);
        return;
    default:
        emu_soc_unimplemented(soc, "FLASH", FLASH_BASE_ADDR + off, true, val);
        return;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    (void)power_on;
    struct emu_flash *f = st;
    f->acr = ACR_RESET;
    /* OPTVERR comes up set after option byte loading (docs/st-interface.md#flash-cpu2): firmware
     * clears it */
    f->sr = SR_OPTVERR;
    f->cr = CR_LOCK | CR_OPTLOCK;
    f->optr = s_regs[6].reset; /* RDP level 0 (0xAA), ESE = 1, user options erased */
    f->c2acr = 0;
    f->have_w0 = false;
    f->busy_timer = 0;
    f->busy_until_ns = 0;
    emu_keylock_reset(&f->key);
    emu_keylock_reset(&f->optkey);
}

void emu_flash_init(emu_soc_t *soc)
{
    struct emu_flash *f = soc->flash = calloc(1, sizeof(*f));
    f->key.keys[0] = 0x45670123u; /* KEY1, KEY2 (RM0434 3.3.5) */
    f->key.keys[1] = 0xCDEF89ABu;
    f->key.nkeys = 2;
    f->optkey.keys[0] = 0x08192A3Bu; /* OPTKEY1, OPTKEY2 */
    f->optkey.keys[1] = 0x4C5D6E7Fu;
    f->optkey.nkeys = 2;
    emu_periph_t p = {
        .read = prv_read, .write = prv_write, .reset = prv_reset, .st = f, .rb = &emu_rb_flash};
    emu_soc_add_model(soc, &p, sizeof(*f), prv_busy_end_cb);
}

uint32_t emu_option_sfsa(const emu_soc_t *soc)
{
    return soc->opt.sfsa;
}
