/* test_boot.c - the boot decision, one table row per case of ST's table
 * (docs/st-interface.md#mailbox) plus wbota's additions (never jump to an app that failed
 * verification, a bad erase request stays with an empty plan, every stay has a reason). Expected
 * values are written out per row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wbota/boot.h"

#define SW   WBOTA_RESET_SOFTWARE
#define OB   WBOTA_RESET_OPTION
#define PIN  WBOTA_RESET_PIN
#define POR  WBOTA_RESET_POWER
#define WDG  WBOTA_RESET_WATCHDOG
#define ALL  0xCBu - 7u /* pages [7, SFSA) */
#define JUMP WBOTA_BOOT_JUMP
#define STAY WBOTA_BOOT_STAY
#define CPU2 WBOTA_BOOT_CPU2_UPGRADE

typedef struct {
    const char *name;
    uint32_t flags;
    uint8_t mb[3];
    int app_status;
    wbota_boot_action_t action;
    int reason;
    uint32_t erase_first, erase_count;
    uint8_t mb_out[3];
} row_t;

static const row_t s_rows[] = {
    /* Software / option-byte reset: the mailbox decides. */
    {"sw mode0 valid", SW, {0x00, 0x07, 0xFF}, WBOTA_OK, JUMP, WBOTA_OK, 0, 0, {0x00, 0x07, 0xFF}},
    {"ob mode0 valid", OB, {0x00, 0x12, 0x34}, WBOTA_OK, JUMP, WBOTA_OK, 0, 0, {0x00, 0x12, 0x34}},
    {"sw mode0 invalid",
     SW,
     {0x00, 0x07, 0xFF},
     WBOTA_E_MAGIC,
     STAY,
     WBOTA_E_MAGIC,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    {"sw mode0 bad signature",
     SW,
     {0x00, 0x00, 0x00},
     WBOTA_E_SIG,
     STAY,
     WBOTA_E_SIG,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    {"sw mode1 all",
     SW,
     {0x01, 0x07, 0xFF},
     WBOTA_OK,
     STAY,
     WBOTA_E_STAY_REQUESTED,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    {"sw mode1 counted",
     SW,
     {0x01, 0x07, 0x22},
     WBOTA_OK,
     STAY,
     WBOTA_E_STAY_REQUESTED,
     7,
     0x22,
     {0x01, 0x07, 0x22}},
    {"sw mode1 invalid app",
     SW,
     {0x01, 0x08, 0xFF},
     WBOTA_E_HASH,
     STAY,
     WBOTA_E_STAY_REQUESTED,
     8,
     0xCB - 8,
     {0x01, 0x08, 0xFF}},
    {"sw mode1 page6",
     SW,
     {0x01, 0x06, 0xFF},
     WBOTA_OK,
     STAY,
     WBOTA_E_MAILBOX_PAGE,
     0,
     0,
     {0x01, 0x06, 0xFF}},
    {"sw mode1 page0",
     OB,
     {0x01, 0x00, 0x01},
     WBOTA_OK,
     STAY,
     WBOTA_E_MAILBOX_PAGE,
     0,
     0,
     {0x01, 0x00, 0x01}},
    {"sw mode1 at sfsa",
     SW,
     {0x01, 0xCB, 0x01},
     WBOTA_OK,
     STAY,
     WBOTA_E_MAILBOX_PAGE,
     0,
     0,
     {0x01, 0xCB, 0x01}},
    {"sw mode1 zero pages",
     SW,
     {0x01, 0x07, 0x00},
     WBOTA_OK,
     STAY,
     WBOTA_E_MAILBOX_EMPTY,
     0,
     0,
     {0x01, 0x07, 0x00}},
    {"sw mode2",
     SW,
     {0x02, 0x07, 0xFF},
     WBOTA_OK,
     CPU2,
     WBOTA_E_STAY_CPU2_UPGRADE,
     0,
     0,
     {0x02, 0x07, 0xFF}},
    {"sw mode2 invalid app",
     SW,
     {0x02, 0x00, 0x00},
     WBOTA_E_NO_APP,
     CPU2,
     WBOTA_E_STAY_CPU2_UPGRADE,
     0,
     0,
     {0x02, 0x00, 0x00}},
    {"sw mode3 as power-up valid",
     SW,
     {0x03, 0x07, 0xFF},
     WBOTA_OK,
     JUMP,
     WBOTA_OK,
     0,
     0,
     {0x00, 0x07, 0xFF}},
    {"sw modeA5 as power-up invalid",
     SW,
     {0xA5, 0x11, 0x22},
     WBOTA_E_NO_APP,
     STAY,
     WBOTA_E_NO_APP,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    /* Power-on / pin / other: the mailbox is RAM noise; only the app verdict counts. */
    {"por valid noise",
     POR,
     {0xA5, 0x5A, 0x33},
     WBOTA_OK,
     JUMP,
     WBOTA_OK,
     0,
     0,
     {0x00, 0x5A, 0x33}},
    {"por valid mode1 ignored",
     POR,
     {0x01, 0x07, 0xFF},
     WBOTA_OK,
     JUMP,
     WBOTA_OK,
     0,
     0,
     {0x00, 0x07, 0xFF}},
    {"por invalid",
     POR,
     {0x00, 0x00, 0x00},
     WBOTA_E_VT_SP,
     STAY,
     WBOTA_E_VT_SP,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    {"pin valid", PIN, {0x01, 0x07, 0xFF}, WBOTA_OK, JUMP, WBOTA_OK, 0, 0, {0x00, 0x07, 0xFF}},
    {"pin invalid",
     PIN | POR,
     {0x02, 0x07, 0xFF},
     WBOTA_E_SIG_MISSING,
     STAY,
     WBOTA_E_SIG_MISSING,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    {"watchdog valid", WDG, {0x01, 0x07, 0xFF}, WBOTA_OK, JUMP, WBOTA_OK, 0, 0, {0x00, 0x07, 0xFF}},
    {"no flags invalid",
     0,
     {0x00, 0x07, 0xFF},
     WBOTA_E_MAGIC,
     STAY,
     WBOTA_E_MAGIC,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    /* Flags accumulate until power-on: software wins when present, as in ST's loader. */
    {"sw+por mode1",
     SW | POR | PIN,
     {0x01, 0x07, 0xFF},
     WBOTA_OK,
     STAY,
     WBOTA_E_STAY_REQUESTED,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
    /* A verdict that is no error code (caller bug) still never jumps. */
    {"sw mode0 bogus verdict",
     SW,
     {0x00, 0x07, 0xFF},
     5,
     STAY,
     WBOTA_E_ARG,
     7,
     ALL,
     {0x01, 0x07, 0xFF}},
};

static void test_boot_decide_table_rows_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(s_rows) / sizeof(s_rows[0]); i++) {
        const row_t *r = &s_rows[i];
        wbota_boot_input_t in;
        wbota_boot_decision_t out;
        memset(&in, 0, sizeof(in));
        in.reset_flags = r->flags;
        memcpy(in.mailbox, r->mb, 3);
        in.app_status = (wbota_err_t)r->app_status;
        in.app_start = 0x08007000u;
        in.layout = wbota_layout_default(0xCB);
        memset(&out, 0x5C, sizeof(out));
        wbota_boot_decide(&in, &out);
        print_message("row %zu: %s\n", i, r->name);
        assert_int_equal(out.action, r->action);
        assert_int_equal(out.reason, r->reason);
        assert_int_equal(out.erase.first_page, r->erase_first);
        assert_int_equal(out.erase.page_count, r->erase_count);
        assert_memory_equal(out.mailbox_out, r->mb_out, 3);
        if (out.action == WBOTA_BOOT_JUMP) {
            assert_int_equal(out.app_start, 0x08007000u);
        } else {
            assert_true(out.reason < 0); /* every stay says why */
        }
    }
}

static void test_boot_decide_invalid_app_never_jumps(void **state)
{
    (void)state;
    /* Exhaustive over flags x mode byte for every failure verdict an image check can give. */
    const int verdicts[] = {WBOTA_E_NO_APP,          WBOTA_E_TAG_PTR,
                            WBOTA_E_MAGIC,           WBOTA_E_VT_SP,
                            WBOTA_E_VT_RESET,        WBOTA_E_MANIFEST_MISSING,
                            WBOTA_E_MANIFEST_FORMAT, WBOTA_E_HASH,
                            WBOTA_E_SIG_MISSING,     WBOTA_E_SIG,
                            WBOTA_E_KEY_ID,          WBOTA_E_SIZE,
                            WBOTA_E_DOWNGRADE,       WBOTA_E_TRUNCATED};
    for (size_t v = 0; v < sizeof(verdicts) / sizeof(verdicts[0]); v++) {
        for (uint32_t flags = 0; flags < 32u; flags++) {
            for (unsigned mode = 0; mode < 256u; mode++) {
                wbota_boot_input_t in;
                wbota_boot_decision_t out;
                memset(&in, 0, sizeof(in));
                in.reset_flags = flags;
                in.mailbox[0] = (uint8_t)mode;
                in.mailbox[1] = 0x07;
                in.mailbox[2] = 0xFF;
                in.app_status = (wbota_err_t)verdicts[v];
                in.app_start = 0x08007000u;
                in.layout = wbota_layout_default(0xCB);
                wbota_boot_decide(&in, &out);
                assert_int_not_equal(out.action, WBOTA_BOOT_JUMP);
                assert_true(out.reason < 0);
                /* An erase plan never touches the loader or the CPU2 area. */
                if (out.erase.page_count != 0u) {
                    assert_true(out.erase.first_page >= 7u);
                    assert_true(out.erase.first_page + out.erase.page_count <= 0xCBu);
                }
            }
        }
    }
}

static void test_boot_decide_null_input_stays(void **state)
{
    (void)state;
    wbota_boot_decision_t out;
    wbota_boot_decide(NULL, &out);
    assert_int_equal(out.action, WBOTA_BOOT_STAY);
    assert_int_equal(out.reason, WBOTA_E_ARG);
    assert_int_equal(out.erase.page_count, 0);
    wbota_boot_decide(NULL, NULL); /* must not crash */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_decide_table_rows_match),
        cmocka_unit_test(test_boot_decide_invalid_app_never_jumps),
        cmocka_unit_test(test_boot_decide_null_input_stays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
