/* wb/regs/pka.h - STM32WB55 public key accelerator (PKA) registers and PKA RAM layout of the
 * ECDSA verification. Source: RM0434, chapter "Public key accelerator (PKA)"; the facts, their
 * cross-checks and what is still to confirm are in docs/pka.md. Owns: the PKA register layout,
 * the bit names and the RAM word indexes the firmware (firmware/loader/pka/sig_pka.c) and the
 * emulator's model (emulator/soc/periph_pka.c) both use. Register description only: no code. */
#ifndef WB_REGS_PKA_H
#define WB_REGS_PKA_H

#include <stddef.h>
#include <stdint.h>

#define WB_PKA_BASE 0x58002000u /* RM0434 memory map, AHB4: after RNG, HSEM and AES2 */

#define WB_PKA_RAM_OFFSET 0x400u /* PKA RAM: 894 words at 0x400-0x11F4 (docs/pka.md#ram) */
#define WB_PKA_RAM_WORDS  894u

typedef struct {
    volatile uint32_t CR;                    /* 0x000 control */
    volatile uint32_t SR;                    /* 0x004 status (read-only) */
    volatile uint32_t CLRFR;                 /* 0x008 clear flags (write 1, reads 0) */
    uint32_t reserved00c[253];               /* 0x00C-0x3FC */
    volatile uint32_t RAM[WB_PKA_RAM_WORDS]; /* 0x400-0x11F4, 32-bit accesses only */
} wb_pka_regs_t;

_Static_assert(offsetof(wb_pka_regs_t, CLRFR) == 0x008, "PKA_CLRFR");
_Static_assert(offsetof(wb_pka_regs_t, RAM) == WB_PKA_RAM_OFFSET, "PKA RAM");

#define WB_PKA ((wb_pka_regs_t *)WB_PKA_BASE)

/* CR */
#define WB_PKA_CR_EN_Pos        0u /* 0: the PKA is held in reset (its RAM stays accessible) */
#define WB_PKA_CR_EN_Msk        (1u << WB_PKA_CR_EN_Pos)
#define WB_PKA_CR_START_Pos     1u /* starts the operation MODE names (reads 0) */
#define WB_PKA_CR_START_Msk     (1u << WB_PKA_CR_START_Pos)
#define WB_PKA_CR_MODE_Pos      8u /* 6 bits: the operation */
#define WB_PKA_CR_MODE_Msk      (0x3Fu << WB_PKA_CR_MODE_Pos)
#define WB_PKA_CR_PROCENDIE_Pos 17u
#define WB_PKA_CR_PROCENDIE_Msk (1u << WB_PKA_CR_PROCENDIE_Pos)
#define WB_PKA_CR_RAMERRIE_Pos  19u
#define WB_PKA_CR_RAMERRIE_Msk  (1u << WB_PKA_CR_RAMERRIE_Pos)
#define WB_PKA_CR_ADDRERRIE_Pos 20u
#define WB_PKA_CR_ADDRERRIE_Msk (1u << WB_PKA_CR_ADDRERRIE_Pos)

/* SR (and CLRFR: the same bit positions with a C suffix clear the flag) */
#define WB_PKA_SR_BUSY_Pos     16u /* an operation runs: RAM accesses are ignored (RAMERRF) */
#define WB_PKA_SR_BUSY_Msk     (1u << WB_PKA_SR_BUSY_Pos)
#define WB_PKA_SR_PROCENDF_Pos 17u /* the operation ended: the results are in the RAM */
#define WB_PKA_SR_PROCENDF_Msk (1u << WB_PKA_SR_PROCENDF_Pos)
#define WB_PKA_SR_RAMERRF_Pos  19u /* the CPU touched the RAM while BUSY */
#define WB_PKA_SR_RAMERRF_Msk  (1u << WB_PKA_SR_RAMERRF_Pos)
#define WB_PKA_SR_ADDRERRF_Pos 20u /* the operation addressed RAM outside its range */
#define WB_PKA_SR_ADDRERRF_Msk (1u << WB_PKA_SR_ADDRERRF_Pos)
#define WB_PKA_SR_FLAGS_Msk                                                                        \
    (WB_PKA_SR_PROCENDF_Msk | WB_PKA_SR_RAMERRF_Msk | WB_PKA_SR_ADDRERRF_Msk)

#define WB_PKA_MODE_ECDSA_VERIFY 0x26u

/* ECDSA verification: RAM word index of each operand (byte offset in the PKA block - 0x400) / 4.
 * Operands are little-endian words (least significant word first), each followed by one zero
 * word (docs/pka.md#operands). */
#define WB_PKA_WORD(byte_off) (((byte_off)-WB_PKA_RAM_OFFSET) / 4u)
#define WB_PKA_VERIF_N_BITS   WB_PKA_WORD(0x404u)  /* order n length in bits (one word) */
#define WB_PKA_VERIF_P_BITS   WB_PKA_WORD(0x4B4u)  /* modulus p length in bits (one word) */
#define WB_PKA_VERIF_A_SIGN   WB_PKA_WORD(0x45Cu)  /* sign of a: 0 positive, 1 negative */
#define WB_PKA_VERIF_A_ABS    WB_PKA_WORD(0x460u)  /* |a| */
#define WB_PKA_VERIF_P        WB_PKA_WORD(0x4B8u)  /* modulus p */
#define WB_PKA_VERIF_GX       WB_PKA_WORD(0x5E8u)  /* base point G x */
#define WB_PKA_VERIF_GY       WB_PKA_WORD(0x63Cu)  /* base point G y */
#define WB_PKA_VERIF_QX       WB_PKA_WORD(0xF40u)  /* public key Q x */
#define WB_PKA_VERIF_QY       WB_PKA_WORD(0xF94u)  /* public key Q y */
#define WB_PKA_VERIF_R        WB_PKA_WORD(0x1098u) /* signature r */
#define WB_PKA_VERIF_S        WB_PKA_WORD(0xA44u)  /* signature s */
#define WB_PKA_VERIF_Z        WB_PKA_WORD(0xFE8u)  /* hash z */
#define WB_PKA_VERIF_N        WB_PKA_WORD(0xD5Cu)  /* order n */
#define WB_PKA_VERIF_RESULT   WB_PKA_WORD(0x5B0u)  /* out: 0 valid, anything else invalid */
#define WB_PKA_VERIF_VALID    0u

#endif
