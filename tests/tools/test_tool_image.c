/* test_tool_image.c - image checks, creation, signing and verification of the wbota tool
 * (tools/wbota/appimg.c, keys.c, merge.c, input.c) on the checked-in inputs of
 * tests/tools/inputs (written by gen_inputs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "appimg.h"
#include "keys.h"
#include "merge.h"
#include "wbota/bytes.h"
#include "wbota/loader_info.h"

#define INPUTS WBOTA_SOURCE_DIR "/tests/tools/inputs/"

static wbota_layout_t prv_lay(void)
{
    return wbota_layout_default(WBOTA_CFG_DEFAULT_SFSA);
}

static void prv_load(const char *name, wbtool_input_t *in)
{
    wbota_err_t err = wbtool_input_load(name, WBTOOL_FMT_AUTO, 0x08007000u, in);
    if (err != WBOTA_OK) {
        fail_msg("cannot load %s: %s", name, in->msg);
    }
}

static void prv_key(const char *name, wbtool_key_t *k)
{
    char msg[200];
    if (wbtool_key_load(name, k, msg, sizeof(msg)) != WBOTA_OK) {
        fail_msg("key %s: %s", name, msg);
    }
}

static bool prv_has(const wbtool_report_t *r, const char *id, wbtool_sev_t sev)
{
    for (size_t i = 0u; i < r->n; i++) {
        if (strcmp(r->f[i].id, id) == 0 && r->f[i].sev == sev) {
            return true;
        }
    }
    return false;
}

/* Verifies a finished image buffer with the core, as the loader would. */
static wbota_err_t prv_core_verify(const uint8_t *img, uint32_t len, const wbtool_key_t *pub)
{
    wbota_layout_t lay = prv_lay();
    wbota_buf_mem_t h;
    wbota_mem_t mem = wbota_mem_from_buffer(&h, 0x08007000u, img, len);
    wbota_trust_t trust = {0};
    if (pub != NULL) {
        trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])pub->pub;
        trust.n_keys = 1u;
    }
    return wbota_image_verify(&mem, &lay, pub ? WBOTA_POLICY_SIGNED : WBOTA_POLICY_ST, &trust, NULL,
                              NULL);
}

static void prv_create(const char *input, const wbtool_key_t *key, wbtool_created_t *cr,
                       wbtool_report_t *rep)
{
    wbtool_input_t in;
    prv_load(input, &in);
    wbtool_create_cfg_t cfg = {.lay = prv_lay(), .sec_counter = 7u, .key = key};
    assert_true(wbtool_parse_version("1.2.3+4", &cfg.version));
    wbtool_report_init(rep);
    wbota_err_t err = wbtool_image_create(&in, &cfg, rep, cr);
    if (err != WBOTA_OK) {
        wbtool_report_print(stderr, rep, false);
        fail_msg("create %s: %s", input, wbota_err_name(err));
    }
    wbtool_input_free(&in);
}

static void test_create_elf_hex_bin_same_image(void **state)
{
    (void)state;
    wbtool_created_t a, b, c;
    wbtool_report_t r;
    prv_create(INPUTS "good.elf", NULL, &a, &r);
    prv_create(INPUTS "good.hex", NULL, &b, &r);
    prv_create(INPUTS "good.bin", NULL, &c, &r);
    assert_int_equal(a.img.len, b.img.len);
    assert_int_equal(a.img.len, c.img.len);
    assert_memory_equal(a.img.data, b.img.data, a.img.len);
    assert_memory_equal(a.img.data, c.img.data, a.img.len);
    assert_int_equal(prv_core_verify(a.img.data, a.img.len, NULL), WBOTA_OK);
    free(a.img.data);
    free(b.img.data);
    free(c.img.data);
}

static void test_create_then_verify_and_inspect_roundtrip(void **state)
{
    (void)state;
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "good.elf", NULL, &cr, &r);
    /* magic last, +0x140 points at it, manifest right before it */
    assert_int_equal(cr.magic_addr + 4u, cr.img.base + cr.img.len);
    assert_int_equal(wbota_get_le32(cr.img.data + 0x140), cr.magic_addr);
    assert_int_equal(wbota_get_le32(cr.img.data + (cr.magic_addr - cr.img.base)), WBOTA_TAG_MAGIC);
    assert_int_equal(cr.manifest_addr + cr.manifest_len, cr.magic_addr);
    /* what the tool wrote reads back through the tool's own input path */
    wbtool_input_t in;
    assert_int_equal(wbtool_input_parse(cr.img.data, cr.img.len, WBTOOL_FMT_BIN, 0x08007000u, &in),
                     WBOTA_OK);
    wbota_layout_t lay = prv_lay();
    wbtool_report_t vr;
    wbtool_report_init(&vr);
    wbota_err_t core = WBOTA_E_ARG;
    wbota_image_info_t info;
    wbtool_image_verify(&in, &lay, NULL, &vr, &core, &info);
    assert_int_equal(core, WBOTA_OK);
    assert_false(wbtool_report_fails(&vr, true));
    assert_true(info.has_manifest);
    assert_int_equal(info.manifest.version.major, 1);
    assert_int_equal(info.manifest.version.minor, 2);
    assert_int_equal(info.manifest.version.patch, 3);
    assert_int_equal(info.manifest.version.build, 4);
    assert_int_equal(info.manifest.sec_counter, 7);
    assert_true(info.hash_checked && info.hash_ok);
    assert_memory_equal(info.manifest.sha256, cr.sha256, 32);
    wbtool_input_free(&in);
    free(cr.img.data);
}

static void test_create_twice_is_idempotent(void **state)
{
    (void)state;
    wbtool_created_t a, b;
    wbtool_report_t r;
    prv_create(INPUTS "good.elf", NULL, &a, &r);
    wbtool_input_t in;
    assert_int_equal(wbtool_input_parse(a.img.data, a.img.len, WBTOOL_FMT_BIN, 0x08007000u, &in),
                     WBOTA_OK);
    wbtool_create_cfg_t cfg = {.lay = prv_lay(), .sec_counter = 7u};
    assert_true(wbtool_parse_version("1.2.3+4", &cfg.version));
    wbtool_report_init(&r);
    assert_int_equal(wbtool_image_create(&in, &cfg, &r, &b), WBOTA_OK);
    assert_true(b.replaced);
    assert_false(b.appended);
    assert_int_equal(a.img.len, b.img.len);
    assert_memory_equal(a.img.data, b.img.data, a.img.len);
    wbtool_input_free(&in);
    free(a.img.data);
    free(b.img.data);
}

static void test_create_magic_not_last_moves_magic_and_wipes_old(void **state)
{
    (void)state;
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "st_gcc_magic_not_last.elf", NULL, &cr, &r);
    assert_true(prv_has(&r, WBTOOL_CK_MAGIC_LAST, WBTOOL_SEV_WARN));
    assert_true(wbtool_report_fails(&r, true)); /* --strict refuses it */
    assert_false(wbtool_report_fails(&r, false));
    assert_true(cr.appended);
    assert_true(cr.old_magic_wiped);
    /* old magic at 0x08007800 is now erased, .data initialisers after it kept */
    assert_int_equal(wbota_get_le32(cr.img.data + 0x800), 0xFFFFFFFFu);
    assert_int_equal(cr.img.data[0x804], 0x11);
    assert_true(cr.manifest_addr >= 0x08007814u);
    assert_int_equal(cr.manifest_addr % 8u, 0u);
    assert_int_equal(cr.magic_addr + 4u, cr.img.base + cr.img.len);
    assert_int_equal(wbota_get_le32(cr.img.data + 0x140), cr.magic_addr);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, NULL), WBOTA_OK);
    free(cr.img.data);
}

static void test_create_room_before_magic_used_in_place(void **state)
{
    (void)state;
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "room_before_magic.hex", NULL, &cr, &r);
    assert_false(cr.appended);
    assert_int_equal(cr.magic_addr, 0x08007A10u);
    assert_int_equal(cr.manifest_addr, 0x08007A10u - cr.manifest_len);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, NULL), WBOTA_OK);
    free(cr.img.data);
}

static void test_create_manifest_section_used_in_place(void **state)
{
    (void)state;
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "room_section.elf", NULL, &cr, &r);
    assert_false(cr.appended);
    assert_int_equal(cr.magic_addr, 0x08007810u + 256u);
    assert_int_equal(cr.manifest_addr + cr.manifest_len, cr.magic_addr);
    assert_int_equal(cr.img.base + cr.img.len, cr.magic_addr + 4u);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, NULL), WBOTA_OK);
    free(cr.img.data);
}

static void test_create_bin_with_ff_before_magic_appends(void **state)
{
    (void)state;
    /* 0xFF bytes the input defines are application bytes, never manifest room */
    wbtool_created_t cr;
    wbtool_report_t r;
    wbtool_input_t in;
    prv_load(INPUTS "good.bin", &in);
    /* bytes 0x600..0x7FF of good.bin are code; force them to 0xFF in a copy */
    uint8_t *buf = wbtool_memimg_flatten(&in.mem, 0x08007000u, 0x08007814u);
    memset(buf + 0x600, 0xFF, 0x200);
    wbtool_input_free(&in);
    assert_int_equal(wbtool_input_parse(buf, 0x814, WBTOOL_FMT_BIN, 0x08007000u, &in), WBOTA_OK);
    wbtool_create_cfg_t cfg = {.lay = prv_lay()};
    wbtool_report_init(&r);
    assert_int_equal(wbtool_image_create(&in, &cfg, &r, &cr), WBOTA_OK);
    assert_true(cr.appended);
    assert_memory_equal(cr.img.data + 0x600, buf + 0x600, 0x200);
    free(buf);
    free(cr.img.data);
    wbtool_input_free(&in);
}

static void test_sign_verify_with_key_reject_other_key(void **state)
{
    (void)state;
    wbtool_key_t a, b, a_pub;
    prv_key(INPUTS "test-key.pem", &a);
    prv_key(INPUTS "other-key.pem", &b);
    assert_true(a.has_priv);
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "good.elf", &a, &cr, &r);
    assert_true(cr.signed_);
    assert_int_equal(cr.key_id, wbota_key_id(a.pub));
    /* public half only, as `--pubkey` gets it */
    char pem[512];
    assert_int_equal(wbtool_key_public_pem(&a, pem, sizeof(pem)), WBOTA_OK);
    char msg[200];
    assert_int_equal(wbtool_key_parse((const uint8_t *)pem, strlen(pem), &a_pub, msg, sizeof(msg)),
                     WBOTA_OK);
    assert_false(a_pub.has_priv);
    assert_memory_equal(a_pub.pub, a.pub, 65);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, &a_pub), WBOTA_OK);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, &b), WBOTA_E_KEY_ID);
    free(cr.img.data);
}

static void test_signed_image_any_byte_change_rejected(void **state)
{
    (void)state;
    wbtool_key_t a;
    prv_key(INPUTS "test-key.pem", &a);
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "good.bin", &a, &cr, &r);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, &a), WBOTA_OK);
    unsigned accepted = 0u;
    for (uint32_t i = 0u; i < cr.img.len; i++) {
        cr.img.data[i] ^= 0x01u;
        if (prv_core_verify(cr.img.data, cr.img.len, &a) == WBOTA_OK) {
            accepted++;
            print_message("byte %u accepted after change\n", (unsigned)i);
        }
        cr.img.data[i] ^= 0x01u;
    }
    assert_int_equal(accepted, 0u);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, &a), WBOTA_OK);
    free(cr.img.data);
}

/* Without a signature only [app, H) is protected (by the manifest's SHA-256): the manifest's
 * own fields are not, and removing its trailer turns it into a plain ST image, which the ST
 * policy accepts by design. So the loop covers the hashed bytes and the magic. */
static void test_unsigned_image_any_hashed_byte_change_rejected(void **state)
{
    (void)state;
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "good.bin", NULL, &cr, &r);
    unsigned accepted = 0u;
    uint32_t hashed = cr.manifest_addr - cr.img.base;
    for (uint32_t i = 0u; i < cr.img.len; i++) {
        if (i >= hashed && i < cr.magic_addr - cr.img.base) {
            continue;
        }
        cr.img.data[i] ^= 0x80u;
        if (prv_core_verify(cr.img.data, cr.img.len, NULL) == WBOTA_OK) {
            accepted++;
            print_message("byte %u accepted after change\n", (unsigned)i);
        }
        cr.img.data[i] ^= 0x80u;
    }
    assert_int_equal(accepted, 0u);
    free(cr.img.data);
}

static void test_openssl_key_signs_and_verifies(void **state)
{
    (void)state;
    wbtool_key_t k;
    prv_key(INPUTS "openssl-key.pem", &k); /* `openssl ecparam -name prime256v1 -genkey` */
    assert_true(k.has_priv);
    wbtool_created_t cr;
    wbtool_report_t r;
    prv_create(INPUTS "good.hex", &k, &cr, &r);
    assert_int_equal(prv_core_verify(cr.img.data, cr.img.len, &k), WBOTA_OK);
    free(cr.img.data);
}

static void test_keygen_pem_roundtrip_and_header(void **state)
{
    (void)state;
    wbtool_key_t k, back;
    assert_int_equal(wbtool_key_generate(&k), WBOTA_OK);
    char pem[1024], msg[200];
    assert_int_equal(wbtool_key_private_pem(&k, pem, sizeof(pem)), WBOTA_OK);
    assert_non_null(strstr(pem, "BEGIN EC PRIVATE KEY"));
    assert_int_equal(wbtool_key_parse((const uint8_t *)pem, strlen(pem), &back, msg, sizeof(msg)),
                     WBOTA_OK);
    assert_memory_equal(back.pub, k.pub, 65);
    assert_memory_equal(back.priv, k.priv, 32);
    char *text = NULL;
    size_t len = 0u;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(wbtool_key_write_header(f, &k, "wbota_demo_pubkey", "a note"), WBOTA_OK);
    fclose(f);
    assert_non_null(strstr(text, "static const uint8_t wbota_demo_pubkey[65] = {"));
    assert_non_null(strstr(text, "0x04,"));
    assert_non_null(strstr(text, " * a note\n"));
    assert_non_null(strstr(text, "#ifndef WBOTA_DEMO_PUBKEY_H"));
    free(text);
    assert_int_equal(wbtool_key_parse((const uint8_t *)"junk", 4u, &back, msg, sizeof(msg)),
                     WBOTA_E_PARSE);
}

/* RFC 6979 A.2.5 (P-256, SHA-256, message "sample"): the tool's deterministic signature is
 * exactly the published (r, s); the key file round trip keeps the scalar and the point. */
static void test_sign_matches_rfc6979_vector(void **state)
{
    (void)state;
    static const uint8_t x[32] = {0xC9, 0xAF, 0xA9, 0xD8, 0x45, 0xBA, 0x75, 0x16, 0x6B, 0x5C, 0x21,
                                  0x57, 0x67, 0xB1, 0xD6, 0x93, 0x4E, 0x50, 0xC3, 0xDB, 0x36, 0xE8,
                                  0x9B, 0x12, 0x7B, 0x8A, 0x62, 0x2B, 0x12, 0x0F, 0x67, 0x21};
    static const uint8_t ux_uy[64] = {
        0x60, 0xFE, 0xD4, 0xBA, 0x25, 0x5A, 0x9D, 0x31, 0xC9, 0x61, 0xEB, 0x74, 0xC6,
        0x35, 0x6D, 0x68, 0xC0, 0x49, 0xB8, 0x92, 0x3B, 0x61, 0xFA, 0x6C, 0xE6, 0x69,
        0x62, 0x2E, 0x60, 0xF2, 0x9F, 0xB6, 0x79, 0x03, 0xFE, 0x10, 0x08, 0xB8, 0xBC,
        0x99, 0xA4, 0x1A, 0xE9, 0xE9, 0x56, 0x28, 0xBC, 0x64, 0xF2, 0xF1, 0xB2, 0x0C,
        0x2D, 0x7E, 0x9F, 0x51, 0x77, 0xA3, 0xC2, 0x94, 0xD4, 0x46, 0x22, 0x99};
    static const uint8_t rs[64] = {0xEF, 0xD4, 0x8B, 0x2A, 0xAC, 0xB6, 0xA8, 0xFD, 0x11, 0x40, 0xDD,
                                   0x9C, 0xD4, 0x5E, 0x81, 0xD6, 0x9D, 0x2C, 0x87, 0x7B, 0x56, 0xAA,
                                   0xF9, 0x91, 0xC3, 0x4D, 0x0E, 0xA8, 0x4E, 0xAF, 0x37, 0x16, 0xF7,
                                   0xCB, 0x1C, 0x94, 0x2D, 0x65, 0x7C, 0x41, 0xD4, 0x36, 0xC7, 0xA1,
                                   0xB6, 0xE2, 0x9F, 0x65, 0xF3, 0xE9, 0x00, 0xDB, 0xB9, 0xAF, 0xF4,
                                   0x06, 0x4D, 0xC4, 0xAB, 0x2F, 0x84, 0x3A, 0xCD, 0xA8};
    wbtool_key_t k, back;
    memset(&k, 0, sizeof(k));
    k.pub[0] = 0x04u;
    memcpy(k.pub + 1, ux_uy, 64);
    memcpy(k.priv, x, 32);
    k.has_priv = 1;
    uint8_t digest[32], sig[64];
    wbota_sha256((const uint8_t *)"sample", 6u, digest);
    assert_int_equal(wbtool_key_sign(&k, digest, sig), WBOTA_OK);
    assert_memory_equal(sig, rs, 64);
    char pem[1024], msg[200];
    assert_int_equal(wbtool_key_private_pem(&k, pem, sizeof(pem)), WBOTA_OK);
    assert_int_equal(wbtool_key_parse((const uint8_t *)pem, strlen(pem), &back, msg, sizeof(msg)),
                     WBOTA_OK);
    assert_true(back.has_priv);
    assert_memory_equal(back.priv, x, 32);
    assert_memory_equal(back.pub, k.pub, 65);
}

typedef struct {
    const char *file;
    uint32_t sfsa;
    const char *check;
} prv_bad_t;

static void test_each_check_fires_on_its_broken_input(void **state)
{
    (void)state;
    static const prv_bad_t cases[] = {
        {"bad_link_addr.hex", 0xCBu, WBTOOL_CK_LINK_ADDR},
        {"bad_link_addr.hex", 0xCBu, WBTOOL_CK_VT_ALIGN},
        {"bad_sp_outside.bin", 0xCBu, WBTOOL_CK_VT_SP},
        {"bad_sp_mailbox.bin", 0xCBu, WBTOOL_CK_VT_SP},
        {"bad_ram_mailbox.elf", 0xCBu, WBTOOL_CK_RAM_MAILBOX},
        {"bad_reset_arm.bin", 0xCBu, WBTOOL_CK_VT_RESET},
        {"bad_reset_outside.bin", 0xCBu, WBTOOL_CK_VT_RESET},
        {"bad_tag_ptr.bin", 0xCBu, WBTOOL_CK_TAG_PTR},
        {"bad_tag_short.bin", 0xCBu, WBTOOL_CK_TAG_PTR},
        {"bad_magic_missing.bin", 0xCBu, WBTOOL_CK_MAGIC_MISSING},
        {"st_gcc_magic_not_last.bin", 0xCBu, WBTOOL_CK_MAGIC_LAST},
        {"big_40k.bin", 0x0Fu, WBTOOL_CK_CPU2_OVERLAP},
        {"big_40k.bin", 0x0Fu, WBTOOL_CK_TOO_LARGE},
        {"bad_outside_flash.hex", 0xCBu, WBTOOL_CK_OUTSIDE_FLASH},
    };
    for (size_t i = 0u; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), INPUTS "%s", cases[i].file);
        wbtool_input_t in;
        prv_load(path, &in);
        wbota_layout_t lay = wbota_layout_default(cases[i].sfsa);
        wbtool_report_t r;
        wbtool_report_init(&r);
        wbota_err_t core = WBOTA_OK;
        wbtool_image_verify(&in, &lay, NULL, &r, &core, NULL);
        bool warn_only = strcmp(cases[i].check, WBTOOL_CK_MAGIC_LAST) == 0;
        if (!prv_has(&r, cases[i].check, warn_only ? WBTOOL_SEV_WARN : WBTOOL_SEV_ERROR)) {
            wbtool_report_print(stderr, &r, false);
            fail_msg("%s: check %s did not fire", cases[i].file, cases[i].check);
        }
        assert_true(wbtool_report_fails(&r, true));
        wbtool_input_free(&in);
    }
    /* and the good inputs are clean even under --strict */
    static const char *const good[] = {"good.elf", "good.hex", "good.bin"};
    for (size_t i = 0u; i < 3u; i++) {
        char path[512];
        snprintf(path, sizeof(path), INPUTS "%s", good[i]);
        wbtool_input_t in;
        prv_load(path, &in);
        wbota_layout_t lay = prv_lay();
        wbtool_report_t r;
        wbtool_report_init(&r);
        wbota_err_t core = WBOTA_E_ARG;
        wbtool_image_verify(&in, &lay, NULL, &r, &core, NULL);
        assert_int_equal(core, WBOTA_OK);
        if (wbtool_report_fails(&r, true)) {
            wbtool_report_print(stderr, &r, true);
            fail_msg("%s has findings", good[i]);
        }
        wbtool_input_free(&in);
    }
}

static void test_create_refuses_errors_and_writes_nothing(void **state)
{
    (void)state;
    wbtool_input_t in;
    prv_load(INPUTS "bad_sp_outside.bin", &in);
    wbtool_create_cfg_t cfg = {.lay = prv_lay()};
    wbtool_report_t r;
    wbtool_report_init(&r);
    wbtool_created_t cr;
    assert_int_equal(wbtool_image_create(&in, &cfg, &r, &cr), WBOTA_E_ARG);
    assert_null(cr.img.data);
    assert_true(prv_has(&r, WBTOOL_CK_VT_SP, WBTOOL_SEV_ERROR));
    wbtool_input_free(&in);
}

static void test_version_parse(void **state)
{
    (void)state;
    wbota_version_t v;
    assert_true(wbtool_parse_version("1.2.3+4", &v));
    assert_int_equal(v.major, 1);
    assert_int_equal(v.build, 4);
    assert_true(wbtool_parse_version("255.255.65535+4294967295", &v));
    assert_int_equal(v.patch, 65535);
    assert_int_equal(v.build, 4294967295u);
    assert_true(wbtool_parse_version("2.0", &v));
    assert_false(wbtool_parse_version("256.0.0", &v));
    assert_false(wbtool_parse_version("1.2.65536", &v));
    assert_false(wbtool_parse_version("1", &v));
    assert_false(wbtool_parse_version("1.2.3+", &v));
    assert_false(wbtool_parse_version("1.2.3x", &v));
    assert_false(wbtool_parse_version("-1.2.3", &v));
}

/* A fake 4 KB loader (fill bytes) with li as its information block at 0x08000200, as an input
 * at 0x08000000, and the good application. */
static void prv_loader_and_app(uint8_t loader[4096], uint8_t fill, const wbota_loader_info_t *li,
                               wbtool_input_t *lin, wbtool_input_t *ain)
{
    memset(loader, fill, 4096);
    wbota_loader_info_encode(li, loader + 0x200);
    assert_int_equal(wbtool_input_parse(loader, 4096, WBTOOL_FMT_BIN, 0x08000000u, lin), WBOTA_OK);
    prv_load(INPUTS "good.bin", ain);
}

static void test_merge_loader_and_app(void **state)
{
    (void)state;
    uint8_t loader[4096];
    wbota_loader_info_t li = {.format = 1,
                              .policy = 0,
                              .rfwkp_mode = WBOTA_RFWKP_ADAPTIVE,
                              .app_start_page = 7,
                              .ver_major = 1,
                              .loader_size = 4096};
    wbtool_input_t lin, ain;
    prv_loader_and_app(loader, 0xA5, &li, &lin, &ain);
    wbota_layout_t lay = prv_lay();
    wbtool_report_t r;
    wbtool_report_init(&r);
    wbtool_flat_t out;
    wbota_loader_info_t got;
    bool has_li = false;
    assert_int_equal(wbtool_merge(&lin, &ain, &lay, &r, &out, &got, &has_li), WBOTA_OK);
    assert_true(has_li);
    assert_int_equal(got.app_start_page, 7);
    assert_int_equal(out.base, 0x08000000u);
    assert_int_equal(out.len, 0x7000u + 0x814u);
    assert_memory_equal(out.data, loader, sizeof(loader));
    assert_int_equal(out.data[0x1000], 0xFF); /* gap up to the app erased */
    assert_int_equal(wbota_get_le32(out.data + 0x7000), 0x20030000u);
    free(out.data);
    /* a loader that expects the app elsewhere is refused */
    li.app_start_page = 8;
    wbota_loader_info_encode(&li, loader + 0x200);
    wbtool_input_free(&lin);
    assert_int_equal(wbtool_input_parse(loader, sizeof(loader), WBTOOL_FMT_BIN, 0x08000000u, &lin),
                     WBOTA_OK);
    wbtool_report_init(&r);
    assert_int_equal(wbtool_merge(&lin, &ain, &lay, &r, &out, &got, &has_li), WBOTA_E_ARG);
    assert_null(out.data);
    wbtool_input_free(&lin);
    /* a loader reaching into the app page is refused */
    uint8_t *big = malloc(0x7004);
    memset(big, 0x11, 0x7004);
    assert_int_equal(wbtool_input_parse(big, 0x7004, WBTOOL_FMT_BIN, 0x08000000u, &lin), WBOTA_OK);
    wbtool_report_init(&r);
    assert_int_equal(wbtool_merge(&lin, &ain, &lay, &r, &out, &got, &has_li), WBOTA_E_ARG);
    assert_true(prv_has(&r, WBTOOL_CK_TOO_LARGE, WBTOOL_SEV_ERROR));
    free(big);
    wbtool_input_free(&lin);
    wbtool_input_free(&ain);
}

/* A production image read back (as `image verify production.bin` does): the raw binary is
 * placed at 0x08000000 because its loader information block sits 0x200 bytes in
 * (docs/memory-layout.md), and the split gives the loader's block and the app from page 7. */
static void test_merged_split_and_bin_rebase(void **state)
{
    (void)state;
    uint8_t loader[4096];
    wbota_loader_info_t li = {.format = 1,
                              .policy = 0,
                              .rfwkp_mode = WBOTA_RFWKP_LSE,
                              .app_start_page = 7,
                              .ver_major = 2,
                              .ver_minor = 3,
                              .loader_size = 4096};
    wbtool_input_t lin, ain;
    prv_loader_and_app(loader, 0x5A, &li, &lin, &ain);
    wbota_layout_t lay = prv_lay();
    wbtool_report_t r;
    wbtool_report_init(&r);
    wbtool_flat_t prod;
    wbota_loader_info_t got;
    bool has_li = false;
    assert_int_equal(wbtool_merge(&lin, &ain, &lay, &r, &prod, &got, &has_li), WBOTA_OK);

    /* loaded as a raw binary at the default base (the app start) */
    wbtool_input_t in;
    assert_int_equal(wbtool_input_parse(prod.data, prod.len, WBTOOL_FMT_BIN, 0x08007000u, &in),
                     WBOTA_OK);
    assert_true(wbtool_merged_rebase_bin(&in));
    assert_int_equal(wbtool_memimg_lo(&in.mem), 0x08000000u);
    wbtool_merged_t mg;
    assert_int_equal(wbtool_merged_split(&in, &lay, &mg), WBOTA_OK);
    assert_true(mg.merged);
    assert_true(mg.has_li);
    assert_int_equal(mg.li.app_start_page, 7);
    assert_int_equal(mg.li.ver_major, 2);
    assert_int_equal(mg.li.ver_minor, 3);
    assert_int_equal(mg.li.rfwkp_mode, WBOTA_RFWKP_LSE);
    assert_int_equal(wbtool_memimg_lo(&mg.app.mem), 0x08007000u);
    uint32_t alen = (uint32_t)(wbtool_memimg_hi(&ain.mem) - 0x08007000u);
    assert_int_equal(wbtool_memimg_hi(&mg.app.mem), 0x08007000u + alen);
    uint8_t *want = wbtool_memimg_flatten(&ain.mem, 0x08007000u, 0x08007000u + alen);
    uint8_t *have = wbtool_memimg_flatten(&mg.app.mem, 0x08007000u, 0x08007000u + alen);
    assert_memory_equal(have, want, alen);
    free(want);
    free(have);
    wbtool_input_free(&mg.app);
    wbtool_input_free(&in);

    /* an application alone is neither rebased nor split */
    assert_false(wbtool_merged_rebase_bin(&ain));
    assert_int_equal(wbtool_memimg_lo(&ain.mem), 0x08007000u);
    assert_int_equal(wbtool_merged_split(&ain, &lay, &mg), WBOTA_OK);
    assert_false(mg.merged);
    free(prod.data);
    wbtool_input_free(&lin);
    wbtool_input_free(&ain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_elf_hex_bin_same_image),
        cmocka_unit_test(test_merged_split_and_bin_rebase),
        cmocka_unit_test(test_create_then_verify_and_inspect_roundtrip),
        cmocka_unit_test(test_create_twice_is_idempotent),
        cmocka_unit_test(test_create_magic_not_last_moves_magic_and_wipes_old),
        cmocka_unit_test(test_create_room_before_magic_used_in_place),
        cmocka_unit_test(test_create_manifest_section_used_in_place),
        cmocka_unit_test(test_create_bin_with_ff_before_magic_appends),
        cmocka_unit_test(test_sign_verify_with_key_reject_other_key),
        cmocka_unit_test(test_signed_image_any_byte_change_rejected),
        cmocka_unit_test(test_unsigned_image_any_hashed_byte_change_rejected),
        cmocka_unit_test(test_openssl_key_signs_and_verifies),
        cmocka_unit_test(test_keygen_pem_roundtrip_and_header),
        cmocka_unit_test(test_sign_matches_rfc6979_vector),
        cmocka_unit_test(test_each_check_fires_on_its_broken_input),
        cmocka_unit_test(test_create_refuses_errors_and_writes_nothing),
        cmocka_unit_test(test_version_parse),
        cmocka_unit_test(test_merge_loader_and_app),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
