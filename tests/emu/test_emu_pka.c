/* test_emu_pka.c - the PKA model (emulator/soc/periph_pka.c) driven through the bus as the CPU
 * would, with the operand layout of RM0434's ECDSA verification table written out here on its
 * own (docs/pka.md#ecdsa-verification), and published P-256 / SHA-256 vectors: RFC 6979 A.2.5
 * (messages "sample" and "test"). Expected: both valid (result word 0); the same inputs with one
 * bit flipped in r, s, z or Q invalid; BUSY for the modelled time, RAM blocked while BUSY
 * (RAMERRF), another curve refused, --pka-stuck keeps BUSY until EN = 0. */
#include "emu_bus_test.h"
#include "wbota/crypto.h"

#define PKA   0x58002000u
#define CR    (PKA + 0x000u)
#define SR    (PKA + 0x004u)
#define CLRFR (PKA + 0x008u)
/* RM0434 ECDSA verification: operand byte offsets inside the PKA block */
#define O_NBITS  0x404u
#define O_PBITS  0x4B4u
#define O_ASIGN  0x45Cu
#define O_AABS   0x460u
#define O_P      0x4B8u
#define O_GX     0x5E8u
#define O_GY     0x63Cu
#define O_QX     0xF40u
#define O_QY     0xF94u
#define O_R      0x1098u
#define O_S      0xA44u
#define O_Z      0xFE8u
#define O_N      0xD5Cu
#define O_RESULT 0x5B0u

#define EN       (1u << 0)
#define START    (1u << 1)
#define MODE_VER (0x26u << 8)
#define BUSY     (1u << 16)
#define PROCENDF (1u << 17)
#define RAMERRF  (1u << 19)

typedef struct {
    const char *hex[4]; /* Qx Qy r s, big-endian hex */
    const char *msg;
} vec_t;

/* RFC 6979 A.2.5: P-256, public key U, SHA-256 */
#define UX "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
#define UY "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"
static const vec_t s_vec[] = {
    {{UX, UY, "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
      "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
     "sample"},
    {{UX, UY, "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
      "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
     "test"},
};

/* FIPS 186-4 D.1.2.3 */
#define P256_P  "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF"
#define P256_N  "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"
#define P256_GX "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
#define P256_GY "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"
#define THREE   "0000000000000000000000000000000000000000000000000000000000000003"

static void prv_hex(const char *h, uint8_t out[32])
{
    for (unsigned i = 0; i < 32u; i++) {
        unsigned b;
        assert_int_equal(sscanf(h + 2u * i, "%2x", &b), 1);
        out[i] = (uint8_t)b;
    }
}

/* An operand: little-endian 32-bit words, then one zero word. */
static void prv_put(emu_soc_t *soc, uint32_t off, const uint8_t be[32])
{
    for (unsigned i = 0; i < 8u; i++) {
        const uint8_t *w = be + 4u * (7u - i);
        wr(soc, PKA + off + 4u * i,
           ((uint32_t)w[0] << 24) | ((uint32_t)w[1] << 16) | ((uint32_t)w[2] << 8) | w[3]);
    }
    wr(soc, PKA + off + 32u, 0u);
}

static void prv_put_hex(emu_soc_t *soc, uint32_t off, const char *hex)
{
    uint8_t b[32];
    prv_hex(hex, b);
    prv_put(soc, off, b);
}

static emu_soc_t *prv_soc(void)
{
    emu_soc_t *soc = emu_test_soc(true);
    wr(soc, 0x58000050u, rd(soc, 0x58000050u) | (1u << 16)); /* RCC_AHB3ENR.PKAEN */
    wr(soc, CR, EN);
    return soc;
}

/* Loads P-256 and one vector (with bit `flip` of operand `which` inverted: 0 Q, 1 r, 2 s, 3 z;
 * which < 0: none), runs the verification, returns the result word. */
static uint32_t prv_verify(emu_soc_t *soc, const vec_t *v, int which, unsigned flip)
{
    uint8_t op[4][32];
    prv_hex(v->hex[0], op[0]);
    prv_hex(v->hex[2], op[1]);
    prv_hex(v->hex[3], op[2]);
    wbota_sha256((const uint8_t *)v->msg, strlen(v->msg), op[3]);
    if (which >= 0) {
        op[which][31u - flip / 8u] ^= (uint8_t)(1u << (flip % 8u));
    }
    wr(soc, PKA + O_NBITS, 256u);
    wr(soc, PKA + O_PBITS, 256u);
    wr(soc, PKA + O_ASIGN, 1u);
    prv_put_hex(soc, O_AABS, THREE);
    prv_put_hex(soc, O_P, P256_P);
    prv_put_hex(soc, O_GX, P256_GX);
    prv_put_hex(soc, O_GY, P256_GY);
    prv_put_hex(soc, O_N, P256_N);
    prv_put(soc, O_QX, op[0]);
    prv_put_hex(soc, O_QY, v->hex[1]);
    prv_put(soc, O_R, op[1]);
    prv_put(soc, O_S, op[2]);
    prv_put(soc, O_Z, op[3]);
    wr(soc, CR, EN | MODE_VER | START);
    assert_true(rd(soc, SR) & BUSY);
    emu_soc_advance(soc, 2000000000u); /* 2 s simulated: more than the modelled time at 4 MHz */
    uint32_t sr = rd(soc, SR);
    assert_true(sr & PROCENDF);
    assert_false(sr & BUSY);
    uint32_t res = rd(soc, PKA + O_RESULT);
    wr(soc, CLRFR, PROCENDF);
    assert_false(rd(soc, SR) & PROCENDF);
    return res;
}

static void test_rfc6979_vectors_valid(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_soc();
    for (unsigned i = 0; i < sizeof(s_vec) / sizeof(s_vec[0]); i++) {
        assert_int_equal(prv_verify(soc, &s_vec[i], -1, 0), 0u);
    }
    assert_int_equal(emu_pka_verifications(soc), 2u);
    emu_soc_destroy(soc);
}

static void test_one_flipped_bit_invalid(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_soc();
    static const unsigned bits[] = {0u, 77u, 255u};
    for (int which = 0; which < 4; which++) {
        for (unsigned b = 0; b < sizeof(bits) / sizeof(bits[0]); b++) {
            assert_int_not_equal(prv_verify(soc, &s_vec[0], which, bits[b]), 0u);
        }
    }
    emu_soc_destroy(soc);
}

static void test_ram_blocked_while_busy(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_soc();
    wr(soc, PKA + O_RESULT, 0x12345678u);
    assert_int_equal(rd(soc, PKA + O_RESULT), 0x12345678u);
    wr(soc, CR, EN | MODE_VER | START); /* operands all zero: an invalid curve */
    assert_true(rd(soc, SR) & BUSY);
    assert_int_equal(rd(soc, PKA + O_RESULT), 0u); /* ignored while BUSY */
    assert_true(rd(soc, SR) & RAMERRF);
    wr(soc, CLRFR, RAMERRF);
    assert_false(rd(soc, SR) & RAMERRF);
    emu_soc_advance(soc, 50000u); /* 50 us: still busy (millions of cycles at 4 MHz) */
    assert_true(rd(soc, SR) & BUSY);
    emu_soc_advance(soc, 2000000000u);
    assert_true(rd(soc, SR) & PROCENDF);
    assert_int_not_equal(rd(soc, PKA + O_RESULT), 0u); /* not P-256: invalid */
    /* EN = 0 during an operation aborts it */
    wr(soc, CR, EN | MODE_VER | START);
    wr(soc, CR, 0u);
    assert_false(rd(soc, SR) & BUSY);
    emu_soc_destroy(soc);
}

static void test_other_curve_refused(void **state)
{
    (void)state;
    emu_soc_t *soc = prv_soc();
    /* the valid "sample" vector, but a = +3: not P-256 */
    assert_int_equal(prv_verify(soc, &s_vec[0], -1, 0), 0u);
    wr(soc, PKA + O_ASIGN, 0u);
    wr(soc, CR, EN | MODE_VER | START);
    emu_soc_advance(soc, 2000000000u);
    assert_int_not_equal(rd(soc, PKA + O_RESULT), 0u);
    emu_soc_destroy(soc);
}

static void test_stuck_pka_stays_busy_until_disabled(void **state)
{
    (void)state;
    emu_soc_opts_t o;
    memset(&o, 0, sizeof(o));
    o.sfsa = 0xCB;
    o.strict = true;
    o.pka_stuck = true;
    emu_soc_t *soc = emu_test_soc_with(o);
    wr(soc, 0x58000050u, rd(soc, 0x58000050u) | (1u << 16));
    wr(soc, CR, EN);
    wr(soc, CR, EN | MODE_VER | START);
    emu_soc_advance(soc, 10000000000ull); /* 10 s */
    assert_true(rd(soc, SR) & BUSY);
    assert_false(rd(soc, SR) & PROCENDF);
    wr(soc, CR, 0u);
    assert_false(rd(soc, SR) & BUSY);
    emu_soc_destroy(soc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6979_vectors_valid),
        cmocka_unit_test(test_one_flipped_bit_invalid),
        cmocka_unit_test(test_ram_blocked_while_busy),
        cmocka_unit_test(test_other_curve_refused),
        cmocka_unit_test(test_stuck_pka_stays_busy_until_disabled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
