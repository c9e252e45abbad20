/* The tool's wireless-stack image files (tools/wbota/wsimg.h, docs/image-format.md#wireless):
 * `image create --wireless` keeps ST's bytes, pads to 8, appends a manifest of kind wireless
 * (load address 0, L 152 signed / 80 unsigned) that the core accepts with the signing key and
 * refuses with another; an earlier output is re-signed in place; `upload --wireless` checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keys.h"
#include "wsimg.h"

#define STACK_LEN 5001u /* not a multiple of 8: padded to 5008 */

static uint8_t s_stack[STACK_LEN];

static void prv_fill(void)
{
    uint32_t x = 99u;
    for (uint32_t i = 0; i < STACK_LEN; i++) {
        x = x * 1103515245u + 12345u;
        s_stack[i] = (uint8_t)(x >> 16);
    }
}

static wbota_err_t prv_core(const wbtool_ws_created_t *cr, const wbtool_key_t *k)
{
    wbota_buf_mem_t holder;
    wbota_mem_t mem = wbota_mem_from_buffer(&holder, 0x08060000u, cr->data, cr->len);
    wbota_trust_t trust;
    memset(&trust, 0, sizeof trust);
    trust.keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])k->pub;
    trust.n_keys = 1u;
    return wbota_wireless_verify(&mem, 0x08060000u, 0x08060000u + cr->len, &trust, NULL);
}

static void test_create_signed_and_resign(void **state)
{
    (void)state;
    wbtool_key_t key, other;
    wbtool_ws_created_t cr, again;
    const wbota_version_t v = {.major = 1u};
    prv_fill();
    assert_int_equal(wbtool_key_generate(&key), WBOTA_OK);
    assert_int_equal(wbtool_key_generate(&other), WBOTA_OK);
    assert_int_equal(wbtool_ws_create(s_stack, STACK_LEN, &v, 0u, &key, &cr), WBOTA_OK);
    assert_int_equal(cr.len, 5008u + 152u);
    assert_memory_equal(cr.data, s_stack, STACK_LEN); /* ST's bytes unchanged */
    for (uint32_t i = STACK_LEN; i < 5008u; i++) {
        assert_int_equal(cr.data[i], 0xFFu); /* padding */
    }
    assert_int_equal(prv_core(&cr, &key), WBOTA_OK); /* at any address */
    assert_int_equal(prv_core(&cr, &other), WBOTA_E_KEY_ID);
    /* re-signing an earlier output replaces its manifest: the same stack, the other key */
    assert_int_equal(wbtool_ws_create(cr.data, cr.len, &v, 0u, &other, &again), WBOTA_OK);
    assert_true(again.replaced);
    assert_int_equal(again.len, cr.len);
    assert_memory_equal(again.data, s_stack, STACK_LEN);
    assert_int_equal(prv_core(&again, &other), WBOTA_OK);
    free(again.data);
    /* the upload check: whole file fine without a key, one changed byte is E_HASH */
    wbota_image_info_t info;
    assert_int_equal(wbtool_ws_check(cr.data, cr.len, NULL, &info), WBOTA_OK);
    assert_true(info.has_manifest);
    cr.data[10] ^= 0x01u;
    assert_int_equal(wbtool_ws_check(cr.data, cr.len, NULL, &info), WBOTA_E_HASH);
    free(cr.data);
}

static void test_unsigned_raw_and_empty(void **state)
{
    (void)state;
    wbtool_ws_created_t cr;
    wbota_image_info_t info;
    const wbota_version_t v = {.major = 1u};
    prv_fill();
    assert_int_equal(wbtool_ws_create(s_stack, STACK_LEN, &v, 0u, NULL, &cr), WBOTA_OK);
    assert_int_equal(cr.len, 5008u + 80u);
    assert_false(cr.signed_);
    assert_int_equal(wbtool_ws_check(cr.data, cr.len, NULL, &info), WBOTA_OK);
    free(cr.data);
    /* ST's raw binary: no manifest, not an error for the tool (the loader decides) */
    assert_int_equal(wbtool_ws_check(s_stack, STACK_LEN, NULL, &info), WBOTA_OK);
    assert_false(info.has_manifest);
    assert_int_equal(wbtool_ws_create(s_stack, 0u, &v, 0u, NULL, &cr), WBOTA_E_SIZE);
    assert_null(cr.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_signed_and_resign),
        cmocka_unit_test(test_unsigned_raw_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
