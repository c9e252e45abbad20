/* test_manifest.c - the wbota manifest byte format: encode/parse round trips and every way a
 * hostile manifest is refused without reading outside its buffer (ASan build catches that). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/bytes.h"
#include "wbota/image.h"

static wbota_manifest_params_t prv_params(bool sig)
{
    wbota_manifest_params_t p;
    memset(&p, 0, sizeof(p));
    p.load_addr = 0x08007000u;
    p.image_size = 0x1234u;
    p.version.major = 1;
    p.version.minor = 2;
    p.version.patch = 0x0304;
    p.version.build = 0xA1B2C3D4u;
    for (unsigned i = 0; i < WBOTA_SHA256_LEN; i++) {
        p.sha256[i] = (uint8_t)(i * 7u + 1u);
    }
    p.sec_counter = 42;
    p.with_signature = sig;
    p.key_id = 0xCAFEF00Du;
    return p;
}

/* Hand-built manifest: header, the given TLV bytes, 0xFF padding, trailer. Returns L. */
static size_t prv_build(uint8_t *out, const uint8_t *tlvs, size_t tlv_len)
{
    size_t l = (16u + tlv_len + 8u + 7u) & ~(size_t)7u;
    memset(out, 0xFF, l);
    wbota_put_le32(out, WBOTA_MANIFEST_MAGIC);
    out[4] = WBOTA_MANIFEST_FORMAT;
    out[5] = 0;
    wbota_put_le16(out + 6, (uint16_t)l);
    wbota_put_le32(out + 8, 0x08007000u);
    wbota_put_le32(out + 12, 0x100u);
    memcpy(out + 16, tlvs, tlv_len);
    wbota_put_le16(out + l - 8, (uint16_t)tlv_len);
    wbota_put_le16(out + l - 6, (uint16_t)l);
    wbota_put_le32(out + l - 4, WBOTA_MANIFEST_TRAILER);
    return l;
}

/* TLV bytes for a minimal valid manifest: just the SHA-256. */
static size_t prv_sha_tlv(uint8_t *t)
{
    t[0] = WBOTA_TLV_SHA256;
    t[1] = 32;
    memset(t + 2, 0xAB, 32);
    return 34;
}

static void test_manifest_roundtrip_unsigned_fields_equal(void **state)
{
    (void)state;
    wbota_manifest_params_t p = prv_params(false);
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0;
    wbota_manifest_t m;

    assert_int_equal(wbota_manifest_encode(&p, buf, sizeof(buf), &len, NULL, NULL), WBOTA_OK);
    assert_int_equal(len % 8u, 0);
    assert_int_equal(wbota_manifest_parse(buf, len, &m), WBOTA_OK);
    assert_int_equal(m.load_addr, p.load_addr);
    assert_int_equal(m.image_size, p.image_size);
    assert_int_equal(m.manifest_len, len);
    assert_true(m.has_version);
    assert_int_equal(m.version.major, 1);
    assert_int_equal(m.version.minor, 2);
    assert_int_equal(m.version.patch, 0x0304);
    assert_int_equal(m.version.build, 0xA1B2C3D4u);
    assert_true(m.has_sha256);
    assert_memory_equal(m.sha256, p.sha256, WBOTA_SHA256_LEN);
    assert_true(m.has_sec_counter);
    assert_int_equal(m.sec_counter, 42);
    assert_false(m.has_key_id);
    assert_false(m.has_signature);
}

static void test_manifest_roundtrip_signed_offsets_consistent(void **state)
{
    (void)state;
    wbota_manifest_params_t p = prv_params(true);
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0, sig_off = 0, signed_len = 0;
    wbota_manifest_t m;

    assert_int_equal(wbota_manifest_encode(&p, buf, sizeof(buf), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    /* The signature TLV header sits right after the signed bytes. */
    assert_int_equal(sig_off, signed_len + 2u);
    assert_int_equal(buf[signed_len], WBOTA_TLV_SIGNATURE);
    for (size_t i = 0; i < WBOTA_P256_SIG_LEN; i++) {
        buf[sig_off + i] = (uint8_t)i;
    }
    assert_int_equal(wbota_manifest_parse(buf, len, &m), WBOTA_OK);
    assert_true(m.has_key_id);
    assert_int_equal(m.key_id, 0xCAFEF00Du);
    assert_true(m.has_signature);
    assert_int_equal(m.signed_len, signed_len);
    assert_memory_equal(m.signature, buf + sig_off, WBOTA_P256_SIG_LEN);
}

static void test_manifest_encode_small_cap_rejected(void **state)
{
    (void)state;
    wbota_manifest_params_t p = prv_params(true);
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0, sig_off = 0, signed_len = 0;
    assert_int_equal(wbota_manifest_encode(&p, buf, sizeof(buf), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    assert_int_equal(wbota_manifest_encode(&p, buf, len - 1u, &len, &sig_off, &signed_len),
                     WBOTA_E_ARG);
    /* Signed encoding needs somewhere to report the signature position. */
    assert_int_equal(wbota_manifest_encode(&p, buf, sizeof(buf), &len, NULL, NULL), WBOTA_E_ARG);
}

static void test_manifest_every_truncation_rejected(void **state)
{
    (void)state;
    wbota_manifest_params_t p = prv_params(true);
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0, sig_off = 0, signed_len = 0;
    wbota_manifest_t m;
    assert_int_equal(wbota_manifest_encode(&p, buf, sizeof(buf), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    for (size_t n = 0; n < len; n++) {
        assert_int_equal(wbota_manifest_parse(buf, n, &m), WBOTA_E_MANIFEST_FORMAT);
    }
    assert_int_equal(wbota_manifest_parse(NULL, len, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_header_fields_corrupt_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t good[WBOTA_MANIFEST_MAX_LEN];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t l = prv_build(good, t, prv_sha_tlv(t));
    assert_int_equal(wbota_manifest_parse(good, l, &m), WBOTA_OK);

    /* Each of: magic, format, reserved, L (header), TLV length, L (trailer), trailer magic. */
    const size_t offs[] = {0, 4, 5, 6, l - 8, l - 6, l - 4};
    for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        memcpy(buf, good, l);
        buf[offs[i]] ^= 0x01u;
        assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
    }
}

static void test_manifest_length_not_multiple_of_8_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN + 8];
    wbota_manifest_t m;
    size_t l = prv_build(buf, t, prv_sha_tlv(t));
    /* Re-label a valid manifest as 4 bytes longer everywhere it states L. */
    memmove(buf + l - 4, buf + l - 8, 8);
    wbota_put_le16(buf + 6, (uint16_t)(l + 4));
    wbota_put_le16(buf + l - 2, (uint16_t)(l + 4));
    assert_int_equal(wbota_manifest_parse(buf, l + 4, &m), WBOTA_E_MANIFEST_FORMAT);
    assert_int_equal(wbota_manifest_parse(buf, WBOTA_MANIFEST_MAX_LEN + 8, &m),
                     WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_tlv_length_past_end_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t n = prv_sha_tlv(t);
    t[n] = 0x10; /* unknown, non-critical: would be skipped if it fitted */
    t[n + 1] = 200;
    size_t l = prv_build(buf, t, n + 2);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_half_tlv_header_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t n = prv_sha_tlv(t);
    t[n] = 0x10; /* one byte of a TLV header left */
    size_t l = prv_build(buf, t, n + 1);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_unknown_noncritical_skipped(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    t[0] = 0x11;
    t[1] = 3;
    t[2] = t[3] = t[4] = 0x55;
    size_t n = 5 + prv_sha_tlv(t + 5);
    size_t l = prv_build(buf, t, n);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_OK);
    assert_true(m.has_sha256);
}

static void test_manifest_unknown_critical_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    t[0] = 0x91; /* critical bit set, type unknown */
    t[1] = 0;
    size_t n = 2 + prv_sha_tlv(t + 2);
    size_t l = prv_build(buf, t, n);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_duplicate_sha_rejected(void **state)
{
    (void)state;
    uint8_t t[128];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t n = prv_sha_tlv(t);
    n += prv_sha_tlv(t + n);
    size_t l = prv_build(buf, t, n);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_missing_sha_rejected(void **state)
{
    (void)state;
    uint8_t t[16] = {WBOTA_TLV_SEC_COUNTER, 4, 1, 0, 0, 0};
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t l = prv_build(buf, t, 6);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_wrong_known_length_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t n = prv_sha_tlv(t);
    t[n] = WBOTA_TLV_VERSION;
    t[n + 1] = 7; /* VERSION is 8 bytes */
    memset(t + n + 2, 0, 7);
    size_t l = prv_build(buf, t, n + 9);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static size_t prv_sig_tlvs(uint8_t *t, bool key_id)
{
    size_t n = prv_sha_tlv(t);
    if (key_id) {
        t[n] = WBOTA_TLV_KEY_ID;
        t[n + 1] = 4;
        wbota_put_le32(t + n + 2, 0x01020304u);
        n += 6;
    }
    t[n] = WBOTA_TLV_SIGNATURE;
    t[n + 1] = 64;
    memset(t + n + 2, 0x5A, 64);
    return n + 66;
}

static void test_manifest_tlv_after_signature_rejected(void **state)
{
    (void)state;
    uint8_t t[160];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t n = prv_sig_tlvs(t, true);
    size_t l = prv_build(buf, t, n);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_OK);
    t[n] = 0x11; /* harmless unknown TLV, but after the signature */
    t[n + 1] = 0;
    l = prv_build(buf, t, n + 2);
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_signature_without_key_id_rejected(void **state)
{
    (void)state;
    uint8_t t[160];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t l = prv_build(buf, t, prv_sig_tlvs(t, false));
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);
}

static void test_manifest_padding_tampered_rejected(void **state)
{
    (void)state;
    uint8_t t[64];
    uint8_t buf[WBOTA_MANIFEST_MAX_LEN];
    wbota_manifest_t m;
    size_t n = prv_sha_tlv(t); /* 16 + 34 + 8 = 58 -> L 64: 6 padding bytes */
    size_t l = prv_build(buf, t, n);
    assert_int_equal(l, 64);
    buf[16 + n] = 0x00;
    assert_int_equal(wbota_manifest_parse(buf, l, &m), WBOTA_E_MANIFEST_FORMAT);

    /* 8 or more padding bytes: L larger than needed (room for smuggled bytes). */
    uint8_t big[WBOTA_MANIFEST_MAX_LEN];
    memset(big, 0xFF, sizeof(big));
    memcpy(big, buf, l - 8);
    big[16 + n] = 0xFF;
    wbota_put_le16(big + 6, 72);
    wbota_put_le16(big + 64, (uint16_t)n);
    wbota_put_le16(big + 66, 72);
    wbota_put_le32(big + 68, WBOTA_MANIFEST_TRAILER);
    assert_int_equal(wbota_manifest_parse(big, 72, &m), WBOTA_E_MANIFEST_FORMAT);
}

/* The manifest bytes written by hand from docs/image-format.md ("Manifest bytes"), not through
 * the header's constants: a wrong magic, offset, TLV type or padding rule in image.h or
 * manifest.c fails here even when encoder and parser agree with each other. */
static const uint8_t k_spec_sha[32] = {
    0x01, 0x08, 0x0F, 0x16, 0x1D, 0x24, 0x2B, 0x32, 0x39, 0x40, 0x47, 0x4E, 0x55, 0x5C, 0x63, 0x6A,
    0x71, 0x78, 0x7F, 0x86, 0x8D, 0x94, 0x9B, 0xA2, 0xA9, 0xB0, 0xB7, 0xBE, 0xC5, 0xCC, 0xD3, 0xDA};

static void prv_spec_unsigned(uint8_t out[80])
{
    static const uint8_t head[] = {
        'W',  'B',  'O',  'M',                                      /* 0: magic "WBOM" */
        0x01,                                                       /* 4: format 1 */
        0x00,                                                       /* 5: reserved */
        0x50, 0x00,                                                 /* 6: L = 80 */
        0x00, 0x70, 0x00, 0x08,                                     /* 8: load address 0x08007000 */
        0x34, 0x12, 0x00, 0x00,                                     /* 12: image size 0x1234 */
        0x01, 0x08, 0x01, 0x02, 0x04, 0x03, 0xD4, 0xC3, 0xB2, 0xA1, /* VERSION 1.2.0x0304 */
        0x02, 0x20,                                                 /* SHA256, 32 bytes */
    };
    static const uint8_t tail[] = {
        0x03, 0x04, 0x2A, 0x00, 0x00, 0x00, /* SEC_COUNTER 42; T = 10 + 34 + 6 = 50 */
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* padding: 16 + 50 + P + 8 = 80 -> P = 6 */
        0x32, 0x00,                         /* L-8: T = 50 */
        0x50, 0x00,                         /* L-6: L = 80 */
        'W',  'B',  'O',  'T',              /* L-4: trailer "WBOT" */
    };
    memcpy(out, head, sizeof(head));
    memcpy(out + sizeof(head), k_spec_sha, sizeof(k_spec_sha));
    memcpy(out + sizeof(head) + sizeof(k_spec_sha), tail, sizeof(tail));
}

static void test_manifest_bytes_from_spec(void **state)
{
    (void)state;
    uint8_t want[80];
    prv_spec_unsigned(want);
    wbota_manifest_params_t p = prv_params(false);
    memcpy(p.sha256, k_spec_sha, sizeof(k_spec_sha));
    uint8_t got[WBOTA_MANIFEST_MAX_LEN];
    size_t len = 0, sig_off = 0, signed_len = 0;
    assert_int_equal(wbota_manifest_encode(&p, got, sizeof(got), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    assert_int_equal(len, 80u);
    assert_memory_equal(got, want, sizeof(want));

    wbota_manifest_t m;
    assert_int_equal(wbota_manifest_parse(want, sizeof(want), &m), WBOTA_OK);
    assert_int_equal(m.manifest_len, 80u);
    assert_int_equal(m.load_addr, 0x08007000u);
    assert_int_equal(m.image_size, 0x1234u);
    assert_true(m.has_version && m.version.major == 1 && m.version.minor == 2);
    assert_int_equal(m.version.patch, 0x0304);
    assert_int_equal(m.version.build, 0xA1B2C3D4u);
    assert_true(m.has_sha256);
    assert_memory_equal(m.sha256, k_spec_sha, 32);
    assert_true(m.has_sec_counter);
    assert_int_equal(m.sec_counter, 42u);
    assert_false(m.has_signature);

    /* signed: + KEY_ID (6 bytes) + SIGNATURE (2 + 64, 0xFF until signed): T = 122, L = 152,
     * the signature covers [0, 16 + 56) and its 64 bytes start at 74 */
    p.with_signature = true;
    assert_int_equal(wbota_manifest_encode(&p, got, sizeof(got), &len, &sig_off, &signed_len),
                     WBOTA_OK);
    assert_int_equal(len, 152u);
    assert_int_equal(signed_len, 72u);
    assert_int_equal(sig_off, 74u);
    static const uint8_t key_sig_hdr[] = {0x04, 0x04, 0x0D, 0xF0, 0xFE, 0xCA, 0x20, 0x40};
    assert_memory_equal(got + 66, key_sig_hdr, sizeof(key_sig_hdr));
    static const uint8_t signed_trailer[] = {0x7A, 0x00, 0x98, 0x00, 'W', 'B', 'O', 'T'};
    assert_memory_equal(got + 144, signed_trailer, sizeof(signed_trailer));
    assert_memory_equal(got + 6, "\x98\x00", 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_bytes_from_spec),
        cmocka_unit_test(test_manifest_roundtrip_unsigned_fields_equal),
        cmocka_unit_test(test_manifest_roundtrip_signed_offsets_consistent),
        cmocka_unit_test(test_manifest_encode_small_cap_rejected),
        cmocka_unit_test(test_manifest_every_truncation_rejected),
        cmocka_unit_test(test_manifest_header_fields_corrupt_rejected),
        cmocka_unit_test(test_manifest_length_not_multiple_of_8_rejected),
        cmocka_unit_test(test_manifest_tlv_length_past_end_rejected),
        cmocka_unit_test(test_manifest_half_tlv_header_rejected),
        cmocka_unit_test(test_manifest_unknown_noncritical_skipped),
        cmocka_unit_test(test_manifest_unknown_critical_rejected),
        cmocka_unit_test(test_manifest_duplicate_sha_rejected),
        cmocka_unit_test(test_manifest_missing_sha_rejected),
        cmocka_unit_test(test_manifest_wrong_known_length_rejected),
        cmocka_unit_test(test_manifest_tlv_after_signature_rejected),
        cmocka_unit_test(test_manifest_signature_without_key_id_rejected),
        cmocka_unit_test(test_manifest_padding_tampered_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
