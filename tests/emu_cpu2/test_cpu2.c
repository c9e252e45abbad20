/* test_cpu2.c - the CPU2 model at its CPU1 interface (docs/st-interface.md#flash-cpu2 to
 * #wireless), driven by the fake CPU1. Expected values are written from the reference, not from the
 * model's constants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_soc.h"

static const uint8_t OTA_SVC_UUID[16] = {0x8f, 0xe5, 0xb3, 0xd5, 0x2e, 0x7f, 0x4a, 0x98,
                                         0x2a, 0x48, 0x7a, 0xcc, 0x20, 0xfe, 0x00, 0x00};
static uint8_t s_char_uuid[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                  0x41, 0x45, 0x22, 0x8e, 0x22, 0xfe, 0x00, 0x00};

typedef struct {
    fc1_t f;
    uint16_t svc, base, conf, raw;
    unsigned indications;
    uint16_t ind_handle;
    uint8_t ind_data[8];
    unsigned disconnects;
    uint8_t disc_reason;
} fx_t;

static void ind_cb(void *ctx, uint16_t h, const uint8_t *d, size_t n)
{
    fx_t *x = ctx;
    x->indications++;
    x->ind_handle = h;
    memcpy(x->ind_data, d, n < 8 ? n : 8);
}

static void disc_cb(void *ctx, uint8_t reason)
{
    fx_t *x = ctx;
    x->disconnects++;
    x->disc_reason = reason;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static void boot_stack(fx_t *x, unsigned pool_blocks)
{
    memset(x, 0, sizeof *x);
    fc1_init(&x->f, pool_blocks, NULL);
    fake_soc_set_rfwkpsel(x->f.soc, 1); /* LSE */
    assert_int_equal(fc1_boot(&x->f), 0);
    assert_int_equal(fc1_ble_init(&x->f, 0x00, 251), 0);
    emu_cpu2_air_sink_t sink = {.indicate_cb = ind_cb, .disconnected_cb = disc_cb, .ctx = x};
    emu_cpu2_set_air_sink(x->f.c2, &sink);
}

static uint16_t add_char(fx_t *x, uint8_t id, uint16_t len, uint8_t props)
{
    uint8_t p[32] = {0};
    uint8_t r[8];
    size_t n = 0;
    p[0] = (uint8_t)x->svc;
    p[1] = (uint8_t)(x->svc >> 8);
    p[2] = 2;
    s_char_uuid[12] = id;
    memcpy(p + 3, s_char_uuid, 16);
    p[19] = (uint8_t)len;
    p[20] = (uint8_t)(len >> 8);
    p[21] = props;
    p[22] = 0;    /* no security */
    p[23] = 0x01; /* GATT_NOTIFY_ATTRIBUTE_WRITE */
    p[24] = 16;
    p[25] = 1; /* variable length */
    int st = fc1_ble_cmd(&x->f, 0xFD04, p, 26, r, &n);
    if (st != 0) {
        return 0;
    }
    assert_int_equal(n, 2);
    return le16(r);
}

/* GATT + GAP + OTA service as the loader builds it; advertises "STM_OTA". */
static void setup_ota(fx_t *x, unsigned pool_blocks)
{
    boot_stack(x, pool_blocks);
    uint8_t r[16];
    size_t n = 0;
    static const uint8_t addr[8] = {0x00, 6, 0x11, 0x22, 0x33, 0x44, 0x80, 0xE1}; /* LSB first */
    assert_int_equal(fc1_ble_cmd(&x->f, 0xFC0C, addr, sizeof addr, NULL, NULL), 0);
    assert_int_equal(fc1_ble_cmd(&x->f, 0xFD01, NULL, 0, NULL, NULL), 0);
    static const uint8_t gap[3] = {0x01, 0x00, 0x07};
    assert_int_equal(fc1_ble_cmd(&x->f, 0xFC8A, gap, 3, r, &n), 0);
    uint8_t sp[19];
    sp[0] = 2;
    memcpy(sp + 1, OTA_SVC_UUID, 16);
    sp[17] = 0x01;
    sp[18] = 8;
    assert_int_equal(fc1_ble_cmd(&x->f, 0xFD02, sp, sizeof sp, r, &n), 0);
    x->svc = le16(r);
    x->base = add_char(x, 0x22, 4, 0x04);
    x->conf = add_char(x, 0x23, 1, 0x20);
    x->raw = add_char(x, 0x24, 248, 0x04);
    uint8_t d[40] = {0x00, 0xA0, 0x00, 0xA0, 0x00, 0x00, 0x00, 8, 0x09, 'S', 'T',
                     'M',  '_',  'O',  'T',  'A',  0,    0,    0, 0,    0};
    assert_int_equal(fc1_ble_cmd(&x->f, 0xFC83, d, 21, NULL, NULL), 0);
}

static void connect(fx_t *x)
{
    static const uint8_t central[6] = {0xC0, 0, 0, 0, 0, 1};
    assert_true(emu_cpu2_connect(x->f.c2, central));
    fake_soc_advance(x->f.soc, 100000);
    fc1_poll(&x->f);
}

static void test_cpu2_boot_stack_posts_ready_and_device_info(void **state)
{
    (void)state;
    fx_t x;
    memset(&x, 0, sizeof x);
    fc1_init(&x.f, 8, NULL);
    assert_int_equal(fc1_boot(&x.f), 0);
    const fc1_evt_t *e = fc1_find(&x.f, 0xFF, 0x9200);
    assert_non_null(e);
    assert_int_equal(e->type, 0x12);
    assert_int_equal(e->plen, 3);
    /* from the pool, so CPU1 had to release it: released by the fake -> 0 in use */
    assert_true(e->addr >= FC1_POOL_ADDR && e->addr < FC1_POOL_ADDR + 8 * 272);
    assert_int_equal(emu_cpu2_buffers_in_use(x.f.c2), 0);
    uint8_t info[28];
    emu_mem_read(x.f.soc, 0x20030100u, info, sizeof info);
    assert_int_equal(info[19], 1);                    /* stack version major 1 ([31:24]) */
    assert_true(emu_time_ns(x.f.soc) >= 20000000ull); /* ready_delay default 20 ms */
    fc1_free(&x.f);
}

static void test_cpu2_boot_fus_only_ready_says_fus(void **state)
{
    (void)state;
    fc1_t f;
    emu_cpu2_opts_t o = {.fus_only = true, .ready_delay_us = 1000};
    fc1_init(&f, 8, &o);
    assert_int_equal(fc1_boot(&f), 1);
    fc1_free(&f);
}

static void test_cpu2_ref_table_null_pointer_fails_ref_table(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    uint8_t z[4] = {0};
    emu_mem_write(f.soc, 0x20030000u + 12, z, 4); /* system table pointer = 0 */
    assert_int_equal(fc1_boot(&f), -1);
    assert_string_equal(fake_soc_failed_rule(f.soc), "REF_TABLE");
    fc1_free(&f);
}

static void test_cpu2_ref_table_outside_sram2a_fails_ref_table(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    uint8_t p[4] = {0x00, 0x01, 0x00, 0x20}; /* 0x20000100: SRAM1 */
    emu_mem_write(f.soc, 0x20030000u + 16, p, 4);
    assert_int_equal(fc1_boot(&f), -1);
    assert_string_equal(fake_soc_failed_rule(f.soc), "REF_TABLE");
    fc1_free(&f);
}

static void test_cpu2_sys_cmd_before_ready_fails(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    fake_c1_c2boot(f.soc);
    static const uint8_t one = 1;
    assert_true(fc1_sys_cmd(&f, 0xFC73, &one, 1, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(f.soc), "CMD_BEFORE_READY");
    fc1_free(&f);
}

static void test_cpu2_sys_cmd_wrong_type_fails(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    assert_int_equal(fc1_boot(&f), 0);
    uint8_t pkt[13] = {0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x73, 0xFC, 1, 1};
    emu_mem_write(f.soc, 0x20030200u, pkt, sizeof pkt);
    fake_c1_set(f.soc, 2);
    fake_soc_advance(f.soc, 1000000);
    assert_string_equal(fake_soc_failed_rule(f.soc), "SYS_CMD_TYPE");
    fc1_free(&f);
}

static void test_cpu2_sys_unsupported_opcode_fails(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    assert_int_equal(fc1_boot(&f), 0);
    assert_true(fc1_sys_cmd(&f, 0xFC99, NULL, 0, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(f.soc), "UNSUPPORTED_OPCODE");
    fc1_free(&f);
}

static void test_cpu2_sys_rsp_written_without_list_header(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    assert_int_equal(fc1_boot(&f), 0);
    static const uint8_t one = 1;
    assert_int_equal(fc1_sys_cmd(&f, 0xFC73, &one, 1, NULL, NULL), 0);
    uint8_t r[7];
    emu_mem_read(f.soc, 0x20030200u, r, sizeof r);
    static const uint8_t want[7] = {0x11, 0x0E, 4, 1, 0x73, 0xFC, 0x00};
    assert_memory_equal(r, want, 7);
    assert_false(fake_c1_tx_busy(f.soc, 2));
    fc1_free(&f);
}

static void test_cpu2_ble_init_lse_matching_completes(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    fake_soc_set_rfwkpsel(f.soc, 1);
    assert_int_equal(fc1_boot(&f), 0);
    assert_int_equal(fc1_ble_init(&f, 0x00, 251), 0);
    fc1_free(&f);
}

static void test_cpu2_ble_init_hse_matching_completes(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    fake_soc_set_rfwkpsel(f.soc, 3);
    assert_int_equal(fc1_boot(&f), 0);
    assert_int_equal(fc1_ble_init(&f, 0x04, 251), 0);
    fc1_free(&f);
}

static void test_cpu2_rf_trap_hse_sticky_lse_init_hangs_until_power_on(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    fake_soc_set_rfwkpsel(f.soc, 3); /* app selected HSE/1024 */
    fake_soc_reset(f.soc, false);    /* system reset into the LSE loader */
    fc1_write_tables(&f);
    fake_soc_set_rfwkpsel(f.soc, 1); /* loader selects LSE: ignored, sticky */
    assert_int_equal(fc1_boot(&f), 0);
    assert_int_equal(fc1_ble_init(&f, 0x00, 251), -1); /* never answered */
    assert_true(emu_cpu2_is_dead(f.c2));
    assert_true(fake_c1_tx_busy(f.soc, 2));
    assert_true(fake_soc_log_has(f.soc, "BLE_INIT hangs"));
    assert_null(fake_soc_failed_rule(f.soc));
    /* power cycle: works again */
    fake_soc_reset(f.soc, true);
    fc1_write_tables(&f);
    f.nevts = 0;
    fake_soc_set_rfwkpsel(f.soc, 1);
    assert_int_equal(fc1_boot(&f), 0);
    assert_int_equal(fc1_ble_init(&f, 0x00, 251), 0);
    fc1_free(&f);
}

static void test_cpu2_rf_trap_lse_clock_hse_init_hangs(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    fake_soc_set_rfwkpsel(f.soc, 1);
    assert_int_equal(fc1_boot(&f), 0);
    assert_int_equal(fc1_ble_init(&f, 0x04, 251), -1);
    assert_true(emu_cpu2_is_dead(f.c2));
    fc1_free(&f);
}

static void test_cpu2_ble_cmd_before_ble_init_fails(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    assert_int_equal(fc1_boot(&f), 0);
    assert_true(fc1_ble_cmd(&f, 0x0C03, NULL, 0, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(f.soc), "BLE_CMD_BEFORE_BLE_INIT");
    fc1_free(&f);
}

static void test_cpu2_ble_unsupported_opcode_fails(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    assert_true(fc1_ble_cmd(&x.f, 0xFCAA, NULL, 0, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "UNSUPPORTED_OPCODE");
    fc1_free(&x.f);
}

static void test_cpu2_ble_malformed_add_service_fails(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFD01, NULL, 0, NULL, NULL), 0);
    uint8_t sp[10] = {2, 1, 2, 3};
    assert_true(fc1_ble_cmd(&x.f, 0xFD02, sp, sizeof sp, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "MALFORMED_PACKET");
    fc1_free(&x.f);
}

static void test_cpu2_gatt_handles_follow_records(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    assert_true(x.svc > 0);
    assert_int_equal(x.base, x.svc + 1);
    assert_int_equal(x.conf, x.svc + 3);
    assert_int_equal(x.raw, x.svc + 6); /* conf: decl + value + CCCD */
    /* 8 records used up: another characteristic does not fit */
    assert_int_equal(add_char(&x, 0x25, 4, 0x04), 0);
    emu_gatt_char_t c[32];
    size_t n = emu_cpu2_discover(x.f.c2, c, 32);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i].value_handle == x.conf + 1) {
            found = true;
            assert_int_equal(c[i].props, 0x20);
            assert_int_equal(c[i].uuid_len, 16);
            assert_int_equal(c[i].uuid[12], 0x23);
        }
    }
    assert_true(found);
    fc1_free(&x.f);
}

static void test_cpu2_gap_init_before_gatt_init_fails(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    static const uint8_t gap[3] = {0x01, 0x00, 0x07};
    assert_true(fc1_ble_cmd(&x.f, 0xFC8A, gap, 3, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "GATT_INIT_ORDER");
    fc1_free(&x.f);
}

static void test_cpu2_adv_address_msb_first_and_manufacturer_data(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    uint8_t m[15] = {14, 13, 0xFF, 0x01, 0x86, 0, 0, 0, 0, 0xE1, 0x80, 0x44, 0x33, 0x22, 0x11};
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFC8E, m, sizeof m, NULL, NULL), 0);
    uint8_t a[6], ad[31];
    size_t n = 0;
    assert_true(emu_cpu2_adv(x.f.c2, a, ad, &n));
    static const uint8_t want_addr[6] = {0xE1, 0x80, 0x44, 0x33, 0x22, 0x11};
    assert_memory_equal(a, want_addr, 6);
    /* flags, complete local name, manufacturer data */
    static const uint8_t want[] = {2,   0x01, 0x06, 8,    0x09, 'S',  'T',  'M', '_',
                                   'O', 'T',  'A',  13,   0xFF, 0x01, 0x86, 0,   0,
                                   0,   0,    0xE1, 0x80, 0x44, 0x33, 0x22, 0x11};
    assert_int_equal(n, sizeof want);
    assert_memory_equal(ad, want, sizeof want);
    fc1_free(&x.f);
}

/* HCI LE Set Scan Response Data (Core spec Vol 4 Part E 7.8.8): a fixed 32-byte parameter, the
 * first `len` data bytes used; AD structures that do not tile are refused (0x12); HCI reset
 * empties it. */
static void test_cpu2_scan_response_kept_checked_and_reset(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    uint8_t p[32] = {4, 3, 0xFF, 0x30, 0x00};
    assert_int_equal(fc1_ble_cmd(&x.f, 0x2009, p, 32, NULL, NULL), 0);
    uint8_t rsp[31];
    assert_int_equal(emu_cpu2_scan_rsp(x.f.c2, rsp), 4);
    assert_memory_equal(rsp, p + 1, 4);
    p[1] = 9; /* the structure runs past len */
    assert_int_equal(fc1_ble_cmd(&x.f, 0x2009, p, 32, NULL, NULL), 0x12);
    assert_int_equal(emu_cpu2_scan_rsp(x.f.c2, rsp), 4); /* the refused data did not replace it */
    p[0] = 32;                                           /* more than 31 data bytes */
    assert_int_equal(fc1_ble_cmd(&x.f, 0x2009, p, 32, NULL, NULL), 0x12);
    assert_int_equal(fc1_ble_cmd(&x.f, 0x0C03, NULL, 0, NULL, NULL), 0);
    assert_int_equal(emu_cpu2_scan_rsp(x.f.c2, rsp), 0);
    fc1_free(&x.f);
}

static void test_cpu2_connect_posts_le_connection_complete(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    connect(&x);
    const fc1_evt_t *e = fc1_find(&x.f, 0x3E, 0);
    assert_non_null(e);
    assert_int_equal(e->payload[0], 0x01);
    assert_int_equal(le16(e->payload + 2), 0x0001);
    assert_false(emu_cpu2_adv(x.f.c2, (uint8_t[6]){0}, (uint8_t[31]){0}, &(size_t){0}));
    fc1_free(&x.f);
}

static void test_cpu2_write_posts_attribute_modified(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    connect(&x);
    static const uint8_t cmd[4] = {0x02, 0x00, 0x70, 0x00};
    assert_int_equal(emu_cpu2_att_write(x.f.c2, x.base + 1, cmd, 4, false), 0);
    fake_soc_advance(x.f.soc, 100000);
    fc1_poll(&x.f);
    const fc1_evt_t *e = fc1_find(&x.f, 0xFF, 0x0C01);
    assert_non_null(e);
    assert_int_equal(le16(e->payload + 2), 0x0001);     /* connection */
    assert_int_equal(le16(e->payload + 4), x.base + 1); /* attribute handle */
    assert_int_equal(le16(e->payload + 6), 0);          /* offset */
    assert_int_equal(le16(e->payload + 8), 4);          /* length */
    assert_memory_equal(e->payload + 10, cmd, 4);
    /* too long for the characteristic, wrong property, unknown handle */
    uint8_t big[5] = {0};
    assert_int_equal(emu_cpu2_att_write(x.f.c2, x.base + 1, big, 5, false), 0x0D);
    assert_int_equal(emu_cpu2_att_write(x.f.c2, x.base + 1, cmd, 4, true), 0x03);
    assert_int_equal(emu_cpu2_att_write(x.f.c2, 0x0F00, cmd, 4, false), 0x01);
    fc1_free(&x.f);
}

static void test_cpu2_long_write_splits_into_two_events(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    connect(&x);
    uint8_t d[248];
    for (int i = 0; i < 248; i++) {
        d[i] = (uint8_t)i;
    }
    assert_int_equal(emu_cpu2_write_cost(248), 2);
    assert_int_equal(emu_cpu2_write_cost(245), 1);
    assert_int_equal(emu_cpu2_att_write(x.f.c2, x.raw + 1, d, 248, false), 0);
    fake_soc_advance(x.f.soc, 100000);
    fc1_poll(&x.f);
    assert_int_equal(fc1_count(&x.f, 0xFF, 0x0C01), 2);
    const fc1_evt_t *a = NULL, *b = NULL;
    for (unsigned i = 0; i < x.f.nevts; i++) {
        if (x.f.evts[i].code == 0xFF && le16(x.f.evts[i].payload) == 0x0C01) {
            if (a == NULL) {
                a = &x.f.evts[i];
            } else {
                b = &x.f.evts[i];
            }
        }
    }
    assert_non_null(a);
    assert_non_null(b);
    if (a == NULL || b == NULL) {
        return; /* unreachable: cmocka stops the test above */
    }
    assert_int_equal(le16(a->payload + 6), 0x8000);
    assert_int_equal(le16(a->payload + 8), 245);
    assert_int_equal(a->plen, 255);
    assert_int_equal(le16(b->payload + 6), 245);
    assert_int_equal(le16(b->payload + 8), 3);
    assert_memory_equal(b->payload + 10, d + 245, 3);
    fc1_free(&x.f);
}

static void test_cpu2_indication_needs_cccd_and_confirm(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    connect(&x);
    uint8_t up[7] = {
        (uint8_t)x.svc, (uint8_t)(x.svc >> 8), (uint8_t)x.conf, (uint8_t)(x.conf >> 8), 0, 1, 0x01};
    /* CCCD not enabled: value updated, nothing on air */
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFD06, up, 7, NULL, NULL), 0);
    assert_int_equal(x.indications, 0);
    static const uint8_t en[2] = {0x02, 0x00};
    assert_int_equal(emu_cpu2_att_write(x.f.c2, x.conf + 2, en, 2, true), 0);
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFD06, up, 7, NULL, NULL), 0);
    assert_int_equal(x.indications, 1);
    assert_int_equal(x.ind_handle, x.conf + 1);
    assert_int_equal(x.ind_data[0], 0x01);
    /* second indication before the confirmation is refused */
    assert_int_not_equal(fc1_ble_cmd(&x.f, 0xFD06, up, 7, NULL, NULL), 0);
    assert_int_equal(x.indications, 1);
    emu_cpu2_indication_confirmed(x.f.c2);
    fake_soc_advance(x.f.soc, 100000);
    fc1_poll(&x.f);
    const fc1_evt_t *e = fc1_find(&x.f, 0xFF, 0x0C17);
    assert_non_null(e);
    assert_int_equal(le16(e->payload + 2), 0x0001);
    fc1_free(&x.f);
}

static void test_cpu2_mtu_exchange_negotiates_minimum(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    connect(&x);
    assert_int_equal(emu_cpu2_mtu_exchange(x.f.c2, 517), 251);
    fake_soc_advance(x.f.soc, 100000);
    fc1_poll(&x.f);
    const fc1_evt_t *e = fc1_find(&x.f, 0xFF, 0x0C03);
    assert_non_null(e);
    assert_int_equal(le16(e->payload + 4), 251);
    fc1_free(&x.f);
}

static void test_cpu2_hci_disconnect_status_then_complete(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    connect(&x);
    static const uint8_t p[3] = {0x01, 0x00, 0x13};
    assert_int_equal(fc1_ble_cmd(&x.f, 0x0406, p, 3, NULL, NULL), 0);
    assert_int_equal(x.f.rsp.code, 0x0F);
    assert_int_equal(x.disconnects, 1);
    assert_int_equal(x.disc_reason, 0x13);
    fake_soc_advance(x.f.soc, 100000);
    fc1_poll(&x.f);
    const fc1_evt_t *e = fc1_find(&x.f, 0x05, 0);
    assert_non_null(e);
    assert_int_equal(e->payload[3], 0x16);
    assert_false(emu_cpu2_connected(x.f.c2));
    fc1_free(&x.f);
}

static void test_cpu2_pool_exhausted_stalls_then_reports_not_released(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 4);
    x.f.auto_release = false;
    connect(&x); /* 1 block held */
    static const uint8_t cmd[4] = {0x02, 0x00, 0x70, 0x00};
    unsigned writes = 0;
    while (emu_cpu2_rx_credits(x.f.c2) > 0) {
        assert_int_equal(emu_cpu2_att_write(x.f.c2, x.base + 1, cmd, 4, false), 0);
        writes++;
        fake_soc_advance(x.f.soc, 50000);
        fc1_poll(&x.f);
    }
    assert_int_equal(writes, 3);
    assert_int_equal(emu_cpu2_buffers_in_use(x.f.c2), 4);
    /* one more event: stalls, nothing delivered */
    emu_cpu2_disconnect(x.f.c2, 0x13);
    fake_soc_advance(x.f.soc, 1000000);
    fc1_poll(&x.f);
    assert_null(fc1_find(&x.f, 0x05, 0));
    assert_null(fake_soc_failed_rule(x.f.soc));
    /* CPU1 never releases: loud after the bound */
    fake_soc_advance(x.f.soc, 11000000000ull);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "BUFFER_NOT_RELEASED");
    fc1_free(&x.f);
}

static void test_cpu2_pool_release_delivers_stalled_event(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 4);
    x.f.auto_release = false;
    connect(&x);
    static const uint8_t cmd[4] = {0x02, 0x00, 0x70, 0x00};
    while (emu_cpu2_rx_credits(x.f.c2) > 0) {
        emu_cpu2_att_write(x.f.c2, x.base + 1, cmd, 4, false);
        fake_soc_advance(x.f.soc, 50000);
        fc1_poll(&x.f);
    }
    emu_cpu2_disconnect(x.f.c2, 0x13);
    fake_soc_advance(x.f.soc, 1000000);
    fc1_poll(&x.f);
    assert_null(fc1_find(&x.f, 0x05, 0));
    fc1_release_held(&x.f);
    fake_soc_advance(x.f.soc, 100000);
    fc1_poll(&x.f);
    assert_non_null(fc1_find(&x.f, 0x05, 0));
    assert_null(fake_soc_failed_rule(x.f.soc));
    fc1_free(&x.f);
}

static void test_cpu2_releasing_cs_buffer_fails(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    assert_int_equal(fc1_ble_cmd(&x.f, 0x0C03, NULL, 0, NULL, NULL), 0);
    assert_int_equal(x.f.rsp.addr, FC1_CS_BUF);
    /* put the command-status buffer on the free queue (head at 0x200301D0) */
    uint8_t b[4] = {0xD0, 0x01, 0x03, 0x20}, c[4] = {0x00, 0x06, 0x03, 0x20};
    emu_mem_write(x.f.soc, FC1_CS_BUF, b, 4);
    emu_mem_write(x.f.soc, FC1_CS_BUF + 4, b, 4);
    emu_mem_write(x.f.soc, 0x200301D0u, c, 4);
    emu_mem_write(x.f.soc, 0x200301D4u, c, 4);
    fake_c1_set(x.f.soc, 4);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "FREE_NOT_POOL");
    fc1_free(&x.f);
}

static void test_cpu2_double_release_fails(void **state)
{
    (void)state;
    fx_t x;
    setup_ota(&x, 8);
    x.f.auto_release = false;
    connect(&x);
    assert_int_equal(x.f.nheld, 1);
    uint32_t node = x.f.held[0];
    fc1_release_held(&x.f);
    assert_null(fake_soc_failed_rule(x.f.soc));
    x.f.held[0] = node;
    x.f.nheld = 1;
    fc1_release_held(&x.f);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "DOUBLE_RELEASE");
    fc1_free(&x.f);
}

/* The wireless-stack path resets the whole device (docs/emulator.md#cpu2-model): the second
 * consecutive FUS_GET_STATE while the stack runs is not answered and the device resets into FUS;
 * FUS_FW_UPGRADE resets the device several times and ends by itself (FUS idle); FUS_START_WS
 * resets the device into the wireless stack. After each reset CPU1 boots CPU2 again. */
static void test_cpu2_fus_path_resets_the_device(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    assert_int_equal(fc1_boot(&f), 0);
    f.nevts = 0;
    assert_int_equal(fc1_sys_cmd(&f, 0xFC52, NULL, 0, NULL, NULL), 0xFF);
    assert_true(fc1_sys_cmd(&f, 0xFC52, NULL, 0, NULL, NULL) < 0); /* no answer */
    fake_soc_advance(f.soc, 2000000u);
    assert_true(fake_soc_log_has(f.soc, "FUS resets the device (next CPU2 boot: FUS)"));
    f.nevts = 0;
    assert_int_equal(fc1_boot(&f), 1); /* ready event: FUS */
    assert_int_equal(fc1_sys_cmd(&f, 0xFC52, NULL, 0, NULL, NULL), 0x00);
    assert_int_equal(fc1_ble_init(&f, 0, 251), 0x01); /* FUS has no BLE */
    assert_int_equal(fc1_sys_cmd(&f, 0xFC54, NULL, 0, NULL, NULL), 0x00);
    assert_int_equal(fc1_sys_cmd(&f, 0xFC52, NULL, 0, NULL, NULL), 0x10); /* upgrading */
    unsigned boots = 0;
    uint8_t st = 0x10;
    while (st == 0x10 && boots < 10u) {
        fake_soc_advance(f.soc, 500000000u); /* the upgrade resets the device meanwhile */
        f.nevts = 0;
        assert_int_equal(fc1_boot(&f), 1);
        boots++;
        st = (uint8_t)fc1_sys_cmd(&f, 0xFC52, NULL, 0, NULL, NULL);
    }
    assert_int_equal(st, 0x00); /* ended by itself */
    assert_true(boots >= 2u);   /* more than one reset during the upgrade */
    assert_true(fake_soc_log_has(f.soc, "FUS upgrade finished"));
    f.nevts = 0;
    assert_int_equal(fc1_sys_cmd(&f, 0xFC5A, NULL, 0, NULL, NULL), 0x00);
    fake_soc_advance(f.soc, 2000000u);
    assert_true(fake_soc_log_has(f.soc, "next CPU2 boot: wireless stack"));
    f.nevts = 0;
    assert_int_equal(fc1_boot(&f), 0);
    assert_null(fake_soc_failed_rule(f.soc));
    fc1_free(&f);
}

static void test_cpu2_sem7_held_around_radio_activity(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    /* PES mode: CPU2 never takes Sem 7 */
    assert_true(emu_cpu2_radio_event(x.f.c2, 1000000));
    assert_int_equal(emu_hsem_owner(x.f.soc, 7), 0);
    static const uint8_t one = 1;
    assert_int_equal(fc1_sys_cmd(&x.f, 0xFC73, &one, 1, NULL, NULL), 0);
    assert_true(emu_cpu2_radio_event(x.f.c2, 1000000));
    assert_int_equal(emu_hsem_owner(x.f.soc, 7), 8);
    assert_false(fake_c1_hsem_lock(x.f.soc, 7));
    fake_soc_advance(x.f.soc, 1100000);
    assert_int_equal(emu_hsem_owner(x.f.soc, 7), 0);
    /* CPU1 in a flash operation: the connection event is lost */
    assert_true(fake_c1_hsem_lock(x.f.soc, 7));
    assert_false(emu_cpu2_radio_event(x.f.c2, 1000000));
    fake_c1_hsem_unlock(x.f.soc, 7);
    fc1_free(&x.f);
}

static void test_cpu2_erase_activity_holds_sem7_until_idle_25ms(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    static const uint8_t one = 1;
    assert_int_equal(fc1_sys_cmd(&x.f, 0xFC73, &one, 1, NULL, NULL), 0);
    assert_int_equal(fc1_sys_cmd(&x.f, 0xFC69, &one, 1, NULL, NULL), 0);
    assert_int_equal(emu_hsem_owner(x.f.soc, 7), 0); /* radio never used: erase may go */
    assert_true(emu_cpu2_radio_event(x.f.c2, 500000));
    fake_soc_advance(x.f.soc, 20000000);
    assert_int_equal(emu_hsem_owner(x.f.soc, 7), 8); /* 20 ms idle: still held */
    fake_soc_advance(x.f.soc, 6000000);
    assert_int_equal(emu_hsem_owner(x.f.soc, 7), 0); /* >= 25 ms idle: released */
    assert_true(fake_c1_hsem_lock(x.f.soc, 7));
    fake_c1_hsem_unlock(x.f.soc, 7);
    fc1_free(&x.f);
}

/* SHCI_C2_DEBUG_Init 0xFC68: 3 pointers + 3 sizes = 15 parameter bytes
 * (docs/emulator.md#cpu2-model); any other length is a malformed packet. */
static void test_cpu2_debug_init_15_bytes(void **state)
{
    (void)state;
    fc1_t f;
    fc1_init(&f, 8, NULL);
    assert_int_equal(fc1_boot(&f), 0);
    uint8_t p[16] = {0};
    assert_int_equal(fc1_sys_cmd(&f, 0xFC68, p, 15, NULL, NULL), 0);
    assert_null(fake_soc_failed_rule(f.soc));
    assert_true(fc1_sys_cmd(&f, 0xFC68, p, 14, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(f.soc), "MALFORMED_PACKET");
    fc1_free(&f);
}

/* GAP set-up commands of ST's middleware, with their ACI parameter lengths:
 * set_io_capability 0xFC85 (1), set_authentication_requirement 0xFC86 (12),
 * configure_whitelist 0xFC92 (0), hal_set_radio_activity_mask 0xFC18 (2). */
static void test_cpu2_gap_setup_commands(void **state)
{
    (void)state;
    fx_t x;
    boot_stack(&x, 8);
    uint8_t io = 0x03; /* no input no output */
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFC85, &io, 1, NULL, NULL), 0);
    /* bonding 1, MITM 0, SC 1, keypress 0, key size 8..16, fixed pin 0, pin 111111, public */
    uint8_t auth[12] = {1, 0, 1, 0, 8, 16, 0, 0x07, 0xB2, 0x01, 0x00, 0};
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFC86, auth, 12, NULL, NULL), 0);
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFC92, NULL, 0, NULL, NULL), 0);
    uint8_t mask[2] = {0x06, 0x00};
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFC18, mask, 2, NULL, NULL), 0);
    uint8_t bad_io = 5;
    assert_int_equal(fc1_ble_cmd(&x.f, 0xFC85, &bad_io, 1, NULL, NULL), 0x12);
    assert_null(fake_soc_failed_rule(x.f.soc));
    assert_true(fc1_ble_cmd(&x.f, 0xFC86, auth, 11, NULL, NULL) < 0);
    assert_string_equal(fake_soc_failed_rule(x.f.soc), "MALFORMED_PACKET");
    fc1_free(&x.f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu2_boot_stack_posts_ready_and_device_info),
        cmocka_unit_test(test_cpu2_boot_fus_only_ready_says_fus),
        cmocka_unit_test(test_cpu2_ref_table_null_pointer_fails_ref_table),
        cmocka_unit_test(test_cpu2_ref_table_outside_sram2a_fails_ref_table),
        cmocka_unit_test(test_cpu2_sys_cmd_before_ready_fails),
        cmocka_unit_test(test_cpu2_sys_cmd_wrong_type_fails),
        cmocka_unit_test(test_cpu2_sys_unsupported_opcode_fails),
        cmocka_unit_test(test_cpu2_sys_rsp_written_without_list_header),
        cmocka_unit_test(test_cpu2_ble_init_lse_matching_completes),
        cmocka_unit_test(test_cpu2_ble_init_hse_matching_completes),
        cmocka_unit_test(test_cpu2_rf_trap_hse_sticky_lse_init_hangs_until_power_on),
        cmocka_unit_test(test_cpu2_rf_trap_lse_clock_hse_init_hangs),
        cmocka_unit_test(test_cpu2_ble_cmd_before_ble_init_fails),
        cmocka_unit_test(test_cpu2_ble_unsupported_opcode_fails),
        cmocka_unit_test(test_cpu2_ble_malformed_add_service_fails),
        cmocka_unit_test(test_cpu2_gatt_handles_follow_records),
        cmocka_unit_test(test_cpu2_gap_init_before_gatt_init_fails),
        cmocka_unit_test(test_cpu2_adv_address_msb_first_and_manufacturer_data),
        cmocka_unit_test(test_cpu2_scan_response_kept_checked_and_reset),
        cmocka_unit_test(test_cpu2_connect_posts_le_connection_complete),
        cmocka_unit_test(test_cpu2_write_posts_attribute_modified),
        cmocka_unit_test(test_cpu2_long_write_splits_into_two_events),
        cmocka_unit_test(test_cpu2_indication_needs_cccd_and_confirm),
        cmocka_unit_test(test_cpu2_mtu_exchange_negotiates_minimum),
        cmocka_unit_test(test_cpu2_hci_disconnect_status_then_complete),
        cmocka_unit_test(test_cpu2_pool_exhausted_stalls_then_reports_not_released),
        cmocka_unit_test(test_cpu2_pool_release_delivers_stalled_event),
        cmocka_unit_test(test_cpu2_releasing_cs_buffer_fails),
        cmocka_unit_test(test_cpu2_double_release_fails),
        cmocka_unit_test(test_cpu2_fus_path_resets_the_device),
        cmocka_unit_test(test_cpu2_sem7_held_around_radio_activity),
        cmocka_unit_test(test_cpu2_erase_activity_holds_sem7_until_idle_25ms),
        cmocka_unit_test(test_cpu2_debug_init_15_bytes),
        cmocka_unit_test(test_cpu2_gap_setup_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
