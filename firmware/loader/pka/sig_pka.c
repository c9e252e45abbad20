/* sig_pka.c - wbota_p256_verify (wbota/crypto.h) on the STM32WB55's public key accelerator,
 * for loaders built with WB_ECDSA_PKA (firmware/CMakeLists.txt) instead of p256-m
 * (core/src/crypto_p256.c). Contract as in wbota/crypto.h: WBOTA_OK only for a valid ECDSA P-256
 * signature (raw r || s) of digest under pub (0x04 || X || Y); WBOTA_E_SIG for anything else,
 * including every hardware failure: semaphore not free in time, a PKA that never ends, a RAM or
 * address error (fail closed). Register and RAM facts: wb/regs/pka.h, docs/pka.md.
 *
 * The PKA is shared with CPU2 (its BLE stack computes keys on it): CPU1 holds hardware semaphore
 * 1 (WB_HSEM_ID_PKA, docs/st-interface.md#flash-cpu2) for the whole operation, and leaves the
 * PKA disabled and unclocked as it found it. The PKA does step 1 of the verification (r, s in
 * [1, n-1]) in software per RM0434 (docs/pka.md#ecdsa-verification): done here before it runs. */
#include <stdbool.h>
#include <stddef.h>

#include "wb/regs/hsem.h"
#include "wb/regs/pka.h"
#include "wb/regs/rcc.h"
#include "wb/time.h"
#include "wbota/bytes.h"
#include "wbota/crypto.h"

#define P256_WORDS 8u
/* Bounds (docs/pka.md#timing): CPU2 holds the PKA for one key computation at most. The run
 * bound is in PKA clock cycles (the PKA runs on the bus clock, here taken as the CPU clock):
 * about 3x the modelled time of a 256-bit verification, so it scales with the clock in use. */
#define PKA_SEM_TIMEOUT_MS 200u
#define PKA_RUN_MAX_CYCLES 20000000u

/* NIST P-256 (FIPS 186-4 D.1.2.3), least significant 32-bit word first; a = -3. */
static const uint32_t s_p[P256_WORDS] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000000u,
                                         0x00000000u, 0x00000000u, 0x00000001u, 0xFFFFFFFFu};
static const uint32_t s_n[P256_WORDS] = {0xFC632551u, 0xF3B9CAC2u, 0xA7179E84u, 0xBCE6FAADu,
                                         0xFFFFFFFFu, 0xFFFFFFFFu, 0x00000000u, 0xFFFFFFFFu};
static const uint32_t s_gx[P256_WORDS] = {0xD898C296u, 0xF4A13945u, 0x2DEB33A0u, 0x77037D81u,
                                          0x63A440F2u, 0xF8BCE6E5u, 0xE12C4247u, 0x6B17D1F2u};
static const uint32_t s_gy[P256_WORDS] = {0x37BF51F5u, 0xCBB64068u, 0x6B315ECEu, 0x2BCE3357u,
                                          0x7C0F9E16u, 0x8EE7EB4Au, 0xFE1A7F9Bu, 0x4FE342E2u};
static const uint32_t s_abs_a[P256_WORDS] = {3u};

/* 32 big-endian bytes -> words, least significant first (the PKA's operand order). */
static void prv_words(const uint8_t *be, uint32_t w[P256_WORDS])
{
    for (unsigned i = 0; i < P256_WORDS; i++) {
        w[i] = wbota_get_be32(be + 4u * (P256_WORDS - 1u - i));
    }
}

/* 1 <= v <= n - 1 (SEC 1 4.1.4 step 1). */
static bool prv_in_order_range(const uint32_t v[P256_WORDS])
{
    uint32_t any = 0;
    for (unsigned i = 0; i < P256_WORDS; i++) {
        any |= v[i];
    }
    for (unsigned i = P256_WORDS; i-- > 0u;) {
        if (v[i] != s_n[i]) {
            return any != 0u && v[i] < s_n[i];
        }
    }
    return false; /* v == n */
}

/* One operand at RAM word idx, then the zero word the PKA expects after it. */
static void prv_put(unsigned idx, const uint32_t w[P256_WORDS])
{
    for (unsigned i = 0; i < P256_WORDS; i++) {
        WB_PKA->RAM[idx + i] = w[i];
    }
    WB_PKA->RAM[idx + P256_WORDS] = 0u;
}

/* Loads the operands, runs the verification, true only on the PKA's "valid" result. */
static bool prv_run(const uint32_t qx[P256_WORDS], const uint32_t qy[P256_WORDS],
                    const uint32_t r[P256_WORDS], const uint32_t s[P256_WORDS],
                    const uint32_t z[P256_WORDS])
{
    WB_PKA->CR = WB_PKA_CR_EN_Msk; /* no interrupt: the loader polls */
    WB_PKA->CLRFR = WB_PKA_SR_FLAGS_Msk;
    WB_PKA->RAM[WB_PKA_VERIF_N_BITS] = 256u;
    WB_PKA->RAM[WB_PKA_VERIF_P_BITS] = 256u;
    WB_PKA->RAM[WB_PKA_VERIF_A_SIGN] = 1u; /* a = -3: negative */
    prv_put(WB_PKA_VERIF_A_ABS, s_abs_a);
    prv_put(WB_PKA_VERIF_P, s_p);
    prv_put(WB_PKA_VERIF_GX, s_gx);
    prv_put(WB_PKA_VERIF_GY, s_gy);
    prv_put(WB_PKA_VERIF_QX, qx);
    prv_put(WB_PKA_VERIF_QY, qy);
    prv_put(WB_PKA_VERIF_R, r);
    prv_put(WB_PKA_VERIF_S, s);
    prv_put(WB_PKA_VERIF_Z, z);
    prv_put(WB_PKA_VERIF_N, s_n);
    WB_PKA->RAM[WB_PKA_VERIF_RESULT] = ~WB_PKA_VERIF_VALID; /* a PKA that writes nothing fails */
    const uint32_t mode = WB_PKA_CR_EN_Msk | (WB_PKA_MODE_ECDSA_VERIFY << WB_PKA_CR_MODE_Pos);
    WB_PKA->CR = mode; /* MODE first, then START (RM0434's order) */
    WB_PKA->CR = mode | WB_PKA_CR_START_Msk;
    const uint32_t khz = wb_time_hclk_hz() / 1000u;
    wb_deadline_t d = wb_deadline_in(PKA_RUN_MAX_CYCLES / (khz != 0u ? khz : 1u) + 1u);
    while ((WB_PKA->SR & WB_PKA_SR_PROCENDF_Msk) == 0u) {
        if (wb_deadline_expired(&d)) {
            return false;
        }
    }
    return (WB_PKA->SR & (WB_PKA_SR_RAMERRF_Msk | WB_PKA_SR_ADDRERRF_Msk)) == 0u &&
           WB_PKA->RAM[WB_PKA_VERIF_RESULT] == WB_PKA_VERIF_VALID;
}

wbota_err_t wbota_p256_verify(const uint8_t pub[WBOTA_P256_PUB_LEN],
                              const uint8_t digest[WBOTA_SHA256_LEN],
                              const uint8_t sig[WBOTA_P256_SIG_LEN])
{
    if (pub == NULL || digest == NULL || sig == NULL || pub[0] != 0x04u) {
        return WBOTA_E_SIG; /* only the uncompressed form 0x04 || X || Y is a key here */
    }
    uint32_t qx[P256_WORDS], qy[P256_WORDS], r[P256_WORDS], s[P256_WORDS], z[P256_WORDS];
    prv_words(pub + 1, qx);
    prv_words(pub + 1 + 32, qy);
    prv_words(sig, r);
    prv_words(sig + 32, s);
    prv_words(digest, z);
    if (!prv_in_order_range(r) || !prv_in_order_range(s)) {
        return WBOTA_E_SIG;
    }

    WB_RCC->AHB3ENR |= WB_RCC_AHB3ENR_HSEMEN_Msk;
    (void)WB_RCC->AHB3ENR;
    wb_deadline_t d = wb_deadline_in(PKA_SEM_TIMEOUT_MS);
    while (WB_HSEM->RLR[WB_HSEM_ID_PKA] != WB_HSEM_CPU1_LOCKED) {
        if (wb_deadline_expired(&d)) {
            return WBOTA_E_SIG; /* CPU2 keeps the PKA: fail closed, the caller may retry */
        }
    }
    WB_RCC->AHB3ENR |= WB_RCC_AHB3ENR_PKAEN_Msk;
    (void)WB_RCC->AHB3ENR;
    bool ok = prv_run(qx, qy, r, s, z);
    WB_PKA->CLRFR = WB_PKA_SR_FLAGS_Msk;
    WB_PKA->CR = 0u; /* EN = 0 also aborts an operation that did not end in time */
    WB_RCC->AHB3ENR &= ~WB_RCC_AHB3ENR_PKAEN_Msk;
    WB_HSEM->R[WB_HSEM_ID_PKA] = WB_HSEM_CPU1_RELEASE;
    return ok ? WBOTA_OK : WBOTA_E_SIG;
}
