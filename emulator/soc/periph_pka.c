/* periph_pka.c - PKA (RM0434 chapter "Public key accelerator") at 0x58002000: CR/SR/CLRFR and
 * the 894-word PKA RAM at +0x400, with the ECDSA verification (MODE 0x26) modelled: START reads
 * the operands where RM0434 puts them (wb/regs/pka.h, docs/pka.md), checks the curve is NIST
 * P-256 (other curves: result "invalid"), verifies with the host's p256-m through the core's
 * wbota_p256_verify, and keeps SR.BUSY for EMU_PKA_VERIFY_CYCLES of the CPU clock before
 * PROCENDF and the result word (0 valid). While BUSY a RAM access is ignored (reads 0) and sets
 * RAMERRF; a sub-word RAM write is ignored (the chip answers a bus error) and reported; EN = 0
 * aborts; --pka-stuck keeps BUSY forever (fault injection). Other modes are reported as
 * unimplemented. Every start is logged ("PKA: ...") so tests can prove the PKA path ran. IRQ 29
 * while PROCENDIE/RAMERRIE/ADDRERRIE and their flag. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "wbota/bytes.h"
#include "wbota/crypto.h"

/* RM0434 facts (docs/pka.md), kept apart from the firmware's wb/regs/pka.h on purpose: the
 * emulator's register tests compare the two. */
#define WB_PKA_BASE                  0x58002000u
#define WB_PKA_RAM_OFFSET            0x400u
#define WB_PKA_RAM_WORDS             894u
#define WB_RCC_AHB3ENR_PKAEN_MSK_EMU (1u << 16)
#define WB_PKA_CR_EN_Msk             (1u << 0)
#define WB_PKA_CR_START_Msk          (1u << 1)
#define WB_PKA_CR_MODE_Pos           8u
#define WB_PKA_CR_MODE_Msk           (0x3Fu << 8)
#define WB_PKA_CR_PROCENDIE_Msk      (1u << 17)
#define WB_PKA_CR_RAMERRIE_Msk       (1u << 19)
#define WB_PKA_CR_ADDRERRIE_Msk      (1u << 20)
#define WB_PKA_SR_BUSY_Msk           (1u << 16)
#define WB_PKA_SR_PROCENDF_Msk       (1u << 17)
#define WB_PKA_SR_RAMERRF_Msk        (1u << 19)
#define WB_PKA_SR_ADDRERRF_Msk       (1u << 20)
#define WB_PKA_SR_FLAGS_Msk                                                                        \
    (WB_PKA_SR_PROCENDF_Msk | WB_PKA_SR_RAMERRF_Msk | WB_PKA_SR_ADDRERRF_Msk)
#define WB_PKA_MODE_ECDSA_VERIFY 0x26u
/* ECDSA verification operands: RAM word index = (byte offset in the block - 0x400) / 4 */
#define W(off)              (((off)-WB_PKA_RAM_OFFSET) / 4u)
#define WB_PKA_VERIF_N_BITS W(0x404u)
#define WB_PKA_VERIF_P_BITS W(0x4B4u)
#define WB_PKA_VERIF_A_SIGN W(0x45Cu)
#define WB_PKA_VERIF_A_ABS  W(0x460u)
#define WB_PKA_VERIF_P      W(0x4B8u)
#define WB_PKA_VERIF_GX     W(0x5E8u)
#define WB_PKA_VERIF_GY     W(0x63Cu)
#define WB_PKA_VERIF_QX     W(0xF40u)
#define WB_PKA_VERIF_QY     W(0xF94u)
#define WB_PKA_VERIF_R      W(0x1098u)
#define WB_PKA_VERIF_S      W(0xA44u)
#define WB_PKA_VERIF_Z      W(0xFE8u)
#define WB_PKA_VERIF_N      W(0xD5Cu)
#define WB_PKA_VERIF_RESULT W(0x5B0u)
#define WB_PKA_VERIF_VALID  0u
#define EMU_IRQ_PKA         29u
/* RM0434's figure for a 256-bit ECDSA verification is still to confirm (docs/pka.md#timing):
 * this conservative estimate keeps the model's BUSY time on the long side. */
#define EMU_PKA_VERIFY_CYCLES 6000000ull

#define CR_WMASK                                                                                   \
    (WB_PKA_CR_EN_Msk | WB_PKA_CR_MODE_Msk | WB_PKA_CR_PROCENDIE_Msk | WB_PKA_CR_RAMERRIE_Msk |    \
     WB_PKA_CR_ADDRERRIE_Msk)
#define SR_DEFINED (WB_PKA_SR_BUSY_Msk | WB_PKA_SR_FLAGS_Msk)

static void prv_cr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);
static void prv_clrfr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask);

static const emu_reg_t s_regs[] = {
    {0x00, "CR", 0, CR_WMASK, 0, WB_PKA_CR_START_Msk, NULL, prv_cr_wr},
    {0x04, "SR", 0, 0, 0, SR_DEFINED, NULL, NULL},
    {0x08, "CLRFR", 0, 0, 0, WB_PKA_SR_FLAGS_Msk, NULL, prv_clrfr_wr}, /* write-only, reads 0 */
};
/* clock gate: PKAEN */
const emu_regblock_t emu_rb_pka =
    EMU_REGBLOCK("PKA", WB_PKA_BASE, s_regs, EMU_RCC_AHB3ENR, WB_RCC_AHB3ENR_PKAEN_MSK_EMU);

struct emu_pka {
    uint32_t v[3]; /* CR SR CLRFR */
    uint32_t ram[WB_PKA_RAM_WORDS];
    uint32_t timer;
    uint32_t result; /* result word written at the end of the operation */
    uint32_t starts; /* ECDSA verifications started (log and tests) */
};

static void prv_irq(emu_soc_t *soc, struct emu_pka *k)
{
    uint32_t cr = k->v[0], sr = k->v[1];
    bool on = ((cr & WB_PKA_CR_PROCENDIE_Msk) && (sr & WB_PKA_SR_PROCENDF_Msk)) ||
              ((cr & WB_PKA_CR_RAMERRIE_Msk) && (sr & WB_PKA_SR_RAMERRF_Msk)) ||
              ((cr & WB_PKA_CR_ADDRERRIE_Msk) && (sr & WB_PKA_SR_ADDRERRF_Msk));
    emu_irq_set(soc, EMU_IRQ_PKA, on);
}

/* 8 RAM words (least significant first) -> 32 big-endian bytes; false if the zero word the
 * operand must end with (docs/pka.md#operands) is not zero. */
static bool prv_operand(const struct emu_pka *k, unsigned idx, uint8_t out[32])
{
    for (unsigned i = 0; i < 8u; i++) {
        wbota_put_be32(out + 4u * (7u - i), k->ram[idx + i]);
    }
    return k->ram[idx + 8u] == 0u;
}

/* NIST P-256 domain parameters (FIPS 186-4 D.1.2.3), big-endian. */
static const uint8_t s_p256_p[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static const uint8_t s_p256_n[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
static const uint8_t s_p256_gx[32] = {
    0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40, 0xF2,
    0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96};
static const uint8_t s_p256_gy[32] = {
    0x4F, 0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E, 0x16,
    0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5};
static const uint8_t s_three[32] = {[31] = 3};

static bool prv_is(const struct emu_pka *k, unsigned idx, const uint8_t want[32])
{
    uint8_t got[32];
    return prv_operand(k, idx, got) && memcmp(got, want, 32) == 0;
}

/* The verification on the operands in RAM: 0 valid, 1 invalid (any operand not as P-256 needs). */
static uint32_t prv_verify(const struct emu_pka *k)
{
    if (k->ram[WB_PKA_VERIF_N_BITS] != 256u || k->ram[WB_PKA_VERIF_P_BITS] != 256u ||
        k->ram[WB_PKA_VERIF_A_SIGN] != 1u || !prv_is(k, WB_PKA_VERIF_A_ABS, s_three) ||
        !prv_is(k, WB_PKA_VERIF_P, s_p256_p) || !prv_is(k, WB_PKA_VERIF_N, s_p256_n) ||
        !prv_is(k, WB_PKA_VERIF_GX, s_p256_gx) || !prv_is(k, WB_PKA_VERIF_GY, s_p256_gy)) {
        return 1u;
    }
    uint8_t pub[WBOTA_P256_PUB_LEN], sig[WBOTA_P256_SIG_LEN], z[WBOTA_SHA256_LEN];
    pub[0] = 0x04;
    bool ok = prv_operand(k, WB_PKA_VERIF_QX, pub + 1) &&
              prv_operand(k, WB_PKA_VERIF_QY, pub + 33) && prv_operand(k, WB_PKA_VERIF_R, sig) &&
              prv_operand(k, WB_PKA_VERIF_S, sig + 32) && prv_operand(k, WB_PKA_VERIF_Z, z);
    return ok && wbota_p256_verify(pub, z, sig) == WBOTA_OK ? 0u : 1u;
}

static void prv_done_cb(emu_soc_t *soc, void *arg)
{
    (void)arg;
    struct emu_pka *k = soc->pka;
    k->timer = 0;
    k->v[1] = (k->v[1] & ~WB_PKA_SR_BUSY_Msk) | WB_PKA_SR_PROCENDF_Msk;
    k->ram[WB_PKA_VERIF_RESULT] = k->result;
    emu_log(soc, "PKA: ECDSA verification %" PRIu32 " done: %s", k->starts,
            k->result == WB_PKA_VERIF_VALID ? "valid" : "invalid");
    prv_irq(soc, k);
}

static void prv_start(emu_soc_t *soc, struct emu_pka *k)
{
    uint32_t mode = (k->v[0] & WB_PKA_CR_MODE_Msk) >> WB_PKA_CR_MODE_Pos;
    if (mode != WB_PKA_MODE_ECDSA_VERIFY) {
        emu_soc_unimplemented(soc, "PKA operation (only ECDSA verification 0x26 is modelled)",
                              WB_PKA_BASE, true, mode);
        return;
    }
    k->starts++;
    k->result = prv_verify(k);
    uint32_t hz = soc->sysclk_hz != 0u ? soc->sysclk_hz : 4000000u;
    uint64_t ns = EMU_PKA_VERIFY_CYCLES * 1000000000ull / hz;
    k->v[1] |= WB_PKA_SR_BUSY_Msk;
    emu_log(soc, "PKA: ECDSA verification %" PRIu32 " started (%" PRIu64 " us at %" PRIu32 " Hz)",
            k->starts, ns / 1000u, hz);
    if (soc->opt.pka_stuck) {
        emu_log(soc, "PKA: --pka-stuck: operation %" PRIu32 " never ends", k->starts);
        return; /* BUSY stays set until EN = 0 */
    }
    k->timer = emu_schedule(soc, emu_time_ns(soc) + ns, prv_done_cb, NULL);
}

static void prv_cr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    struct emu_pka *k = st;
    if (!(k->v[0] & WB_PKA_CR_EN_Msk)) { /* held in reset: an operation is aborted */
        if (k->timer != 0u) {
            emu_cancel(soc, k->timer);
            k->timer = 0;
        }
        k->v[1] = 0;
    } else if ((val & mask & WB_PKA_CR_START_Msk) && !(k->v[1] & WB_PKA_SR_BUSY_Msk)) {
        prv_start(soc, k);
    }
    prv_irq(soc, k);
}

static void prv_clrfr_wr(emu_soc_t *soc, void *st, uint32_t old, uint32_t val, uint32_t mask)
{
    (void)old;
    struct emu_pka *k = st;
    k->v[1] &= ~(val & mask & WB_PKA_SR_FLAGS_Msk);
    k->v[2] = 0;
    prv_irq(soc, k);
}

/* The RAM window: 32-bit words, blocked while BUSY. */
static bool prv_ram_ok(emu_soc_t *soc, struct emu_pka *k, uint32_t off)
{
    if (k->v[1] & WB_PKA_SR_BUSY_Msk) {
        k->v[1] |= WB_PKA_SR_RAMERRF_Msk;
        emu_trace(soc, EMU_TRACE_PERIPH, "PKA: RAM access at +0x%03" PRIx32 " while BUSY (RAMERRF)",
                  off);
        prv_irq(soc, k);
        return false;
    }
    return off / 4u < WB_PKA_RAM_WORDS;
}

static uint32_t prv_ram_rd(emu_soc_t *soc, void *st, uint32_t off)
{
    struct emu_pka *k = st;
    return prv_ram_ok(soc, k, off) ? k->ram[off / 4u] : 0u;
}

static void prv_ram_wr(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    struct emu_pka *k = st;
    if (mask != 0xFFFFFFFFu) {
        emu_soc_unimplemented(soc, "PKA RAM sub-word write (bus error on the chip)",
                              WB_PKA_BASE + WB_PKA_RAM_OFFSET + off, true, val);
        return;
    }
    if (prv_ram_ok(soc, k, off)) {
        k->ram[off / 4u] = val;
    }
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)soc;
    struct emu_pka *k = st; /* registers: reset by the engine from the table */
    k->timer = 0;
    if (power_on) {
        memset(k->ram, 0, sizeof(k->ram));
    }
}

uint32_t emu_pka_verifications(const emu_soc_t *soc)
{
    return soc->pka != NULL ? soc->pka->starts : 0u;
}

void emu_pka_init(emu_soc_t *soc)
{
    struct emu_pka *k = soc->pka = calloc(1, sizeof(*k));
    emu_periph_t regs = {.reset = prv_reset, .st = k, .rb = &emu_rb_pka, .vals = k->v};
    emu_soc_add_model(soc, &regs, sizeof(*k), prv_done_cb);
    emu_periph_t ram = {.name = "PKA RAM",
                        .base = WB_PKA_BASE + WB_PKA_RAM_OFFSET,
                        .size = WB_PKA_RAM_WORDS * 4u,
                        .read = prv_ram_rd,
                        .write = prv_ram_wr,
                        .st = k,
                        .clk_off = EMU_RCC_AHB3ENR,
                        .clk_bit = WB_RCC_AHB3ENR_PKAEN_MSK_EMU};
    emu_soc_register_periph(soc, &ram);
}
