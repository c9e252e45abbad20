/* Host tests of the SHCI BLE_INIT packing (firmware/cpu2/src/shci_pack.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wb/shci.h"

static void test_shci_ble_init_pack_offsets(void **state)
{
    (void)state;
    wb_shci_ble_init_t p;
    uint8_t b[WB_SHCI_BLE_INIT_LEN];
    wb_shci_ble_init_defaults(&p, false);
    wb_shci_ble_init_pack(&p, b);
    assert_int_equal(b[0] | b[1] | b[2] | b[3] | b[4] | b[5] | b[6] | b[7], 0);
    assert_int_equal(b[8] | (b[9] << 8), 68);
    assert_int_equal(b[15], 1);                  /* extended packet length */
    assert_int_equal(b[18] | (b[19] << 8), 251); /* ATT MTU */
    assert_int_equal(b[23], 0x00);               /* LSE */
    assert_int_equal(b[24] & b[25] & b[26] & b[27], 0xFF);
    assert_int_equal(b[34], 0xD8); /* -40 dBm */
    for (size_t i = 47; i < WB_SHCI_BLE_INIT_LEN; i++) {
        assert_int_equal(b[i], 0);
    }
    wb_shci_ble_init_defaults(&p, true);
    wb_shci_ble_init_pack(&p, b);
    assert_int_equal(b[23], 0x04); /* bit 2: HSE/1024 */
}

static void test_fus_state_busy_range(void **state)
{
    (void)state;
    assert_false(wb_fus_state_is_busy(0x00));
    assert_true(wb_fus_state_is_busy(0x10));
    assert_true(wb_fus_state_is_busy(0x2F));
    assert_false(wb_fus_state_is_busy(0x30));
    assert_false(wb_fus_state_is_busy(0xFF));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shci_ble_init_pack_offsets),
        cmocka_unit_test(test_fus_state_busy_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
