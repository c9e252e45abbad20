/* Host tests of the CPU2 transport's pure half: packets and queues (firmware/cpu2/src/tl.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wb/tl.h"

static void test_tl_cmd_encode_valid_layout(void **state)
{
    (void)state;
    uint8_t buf[16];
    const uint8_t p[2] = {0xAA, 0xBB};
    size_t n = wb_tl_cmd_encode(buf, sizeof(buf), WB_TL_TYPE_SYS_CMD, 0xFC66u, p, 2u);
    assert_int_equal(n, 6);
    const uint8_t expect[6] = {0x10, 0x66, 0xFC, 0x02, 0xAA, 0xBB};
    assert_memory_equal(buf, expect, 6);
}

static void test_tl_cmd_encode_too_long_rejected(void **state)
{
    (void)state;
    uint8_t buf[8];
    uint8_t p[5] = {0};
    assert_int_equal(wb_tl_cmd_encode(buf, sizeof(buf), 1u, 0x0C03u, p, 5u), 0);
    static uint8_t big[300];
    static uint8_t out[400];
    assert_int_equal(wb_tl_cmd_encode(out, sizeof(out), 1u, 0x0C03u, big, 256u), 0);
    assert_int_equal(wb_tl_cmd_encode(out, sizeof(out), 1u, 0x0C03u, big, 255u), 259);
}

static void test_tl_evt_decode_plen_beyond_buffer_rejected(void **state)
{
    (void)state;
    const uint8_t ev[5] = {0x04, 0xFF, 0x05, 0x01, 0x0C}; /* claims 5, holds 2 */
    wb_tl_evt_t e;
    assert_false(wb_tl_evt_decode(ev, sizeof(ev), &e));
    const uint8_t ok[5] = {0x04, 0xFF, 0x02, 0x01, 0x0C};
    assert_true(wb_tl_evt_decode(ok, sizeof(ok), &e));
    assert_int_equal(e.code, 0xFF);
    assert_int_equal(e.plen, 2);
    uint16_t sub = 0;
    assert_true(wb_tl_vendor_subevent(&e, &sub));
    assert_int_equal(sub, 0x0C01);
}

static void test_tl_cc_decode_complete_and_status(void **state)
{
    (void)state;
    /* command complete: ncmd 1, opcode 0xFD02, status 0, handle 0x000C */
    const uint8_t cc[] = {0x04, 0x0E, 0x06, 0x01, 0x02, 0xFD, 0x00, 0x0C, 0x00};
    wb_tl_evt_t e;
    wb_tl_cc_t c;
    assert_true(wb_tl_evt_decode(cc, sizeof(cc), &e));
    assert_true(wb_tl_cc_decode(&e, &c));
    assert_int_equal(c.opcode, 0xFD02);
    assert_int_equal(c.status, 0);
    assert_int_equal(c.ret_len, 3);
    assert_int_equal(c.ret[1], 0x0C);
    /* command status: status 0x12, ncmd 1, opcode 0x0406 */
    const uint8_t cs[] = {0x04, 0x0F, 0x04, 0x12, 0x01, 0x06, 0x04};
    assert_true(wb_tl_evt_decode(cs, sizeof(cs), &e));
    assert_true(wb_tl_cc_decode(&e, &c));
    assert_int_equal(c.opcode, 0x0406);
    assert_int_equal(c.status, 0x12);
    /* system response read from the command buffer */
    const uint8_t rsp[] = {0x11, 0x0E, 0x04, 0x01, 0x52, 0xFC, 0x10};
    assert_true(wb_tl_evt_decode(rsp, sizeof(rsp), &e));
    assert_int_equal(e.type, WB_TL_TYPE_SYS_RSP);
    assert_true(wb_tl_cc_decode(&e, &c));
    assert_int_equal(c.opcode, 0xFC52);
    assert_int_equal(c.status, 0x10);
    /* too short */
    const uint8_t bad[] = {0x04, 0x0E, 0x02, 0x01, 0x02};
    assert_true(wb_tl_evt_decode(bad, sizeof(bad), &e));
    assert_false(wb_tl_cc_decode(&e, &c));
}

static void test_tl_queue_fifo_order_and_empty(void **state)
{
    (void)state;
    wb_tl_node_t head;
    wb_tl_node_t a, b, c;
    wb_tl_queue_init(&head);
    assert_true(wb_tl_queue_is_empty(&head));
    assert_null(wb_tl_queue_remove_head(&head));
    wb_tl_queue_insert_tail(&head, &a);
    wb_tl_queue_insert_tail(&head, &b);
    wb_tl_queue_insert_tail(&head, &c);
    assert_int_equal(wb_tl_queue_count(&head, 10), 3);
    assert_ptr_equal(head.prev, &c);
    assert_ptr_equal(c.next, &head);
    assert_ptr_equal(wb_tl_queue_remove_head(&head), &a);
    assert_ptr_equal(b.prev, &head);
    assert_ptr_equal(wb_tl_queue_remove_head(&head), &b);
    wb_tl_queue_insert_tail(&head, &a);
    assert_ptr_equal(wb_tl_queue_remove_head(&head), &c);
    assert_ptr_equal(wb_tl_queue_remove_head(&head), &a);
    assert_true(wb_tl_queue_is_empty(&head));
    assert_ptr_equal(head.prev, &head);
}

static void test_tl_queue_count_corrupt_list_bounded(void **state)
{
    (void)state;
    wb_tl_node_t head, a;
    wb_tl_queue_init(&head);
    wb_tl_queue_insert_tail(&head, &a);
    a.next = &a; /* CPU2-side corruption: a loop that never returns to head */
    assert_int_equal(wb_tl_queue_count(&head, 7), 7);
}

static void test_tl_shared_init_reference_table_order(void **state)
{
    (void)state;
    static wb_tl_shared_t sh;
    memset(&sh, 0xA5, sizeof(sh));
    wb_tl_shared_init(&sh);
    assert_ptr_equal(sh.ref[0], &sh.device_info);
    assert_ptr_equal(sh.ref[1], &sh.ble);
    assert_ptr_equal(sh.ref[3], &sh.sys);
    assert_ptr_equal(sh.ref[4], &sh.mm);
    assert_ptr_equal(sh.ref[5], &sh.traces);
    for (size_t i = 0; i < WB_TL_REF_ENTRIES; i++) {
        assert_non_null(sh.ref[i]);
    }
    assert_ptr_equal(sh.ble.cmd_buffer, sh.ble_cmd);
    assert_ptr_equal(sh.ble.evt_queue, &sh.ble_evt_queue);
    assert_true(wb_tl_queue_is_empty(&sh.ble_evt_queue));
    assert_true(wb_tl_queue_is_empty(&sh.sys_evt_queue));
    assert_true(wb_tl_queue_is_empty(&sh.free_queue));
    assert_ptr_equal(sh.mm.ble_pool, sh.pool);
    assert_int_equal(sh.mm.ble_pool_size, WB_TL_POOL_BUFS * WB_TL_BUF_LEN);
    assert_ptr_equal(sh.mm.free_buffer_queue, &sh.free_queue);
    assert_ptr_equal(sh.sys.cmd_buffer, sh.sys_cmd);
    assert_int_equal(sh.device_info.ws_version, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tl_cmd_encode_valid_layout),
        cmocka_unit_test(test_tl_cmd_encode_too_long_rejected),
        cmocka_unit_test(test_tl_evt_decode_plen_beyond_buffer_rejected),
        cmocka_unit_test(test_tl_cc_decode_complete_and_status),
        cmocka_unit_test(test_tl_queue_fifo_order_and_empty),
        cmocka_unit_test(test_tl_queue_count_corrupt_list_bounded),
        cmocka_unit_test(test_tl_shared_init_reference_table_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
