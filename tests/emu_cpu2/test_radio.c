/* test_radio.c - the virtual radio end to end over a real socket: the client library in this
 * thread, the fake SoC + fake CPU1 (a tiny OTA-like "firmware") + CPU2 model + radio in a device
 * thread. Checks the wire protocol, lockstep simulated time and the link timing model. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "emu_client.h"
#include "emu_radio.h"
#include "fake_soc.h"

static const uint8_t SVC_UUID[16] = {0x8f, 0xe5, 0xb3, 0xd5, 0x2e, 0x7f, 0x4a, 0x98,
                                     0x2a, 0x48, 0x7a, 0xcc, 0x20, 0xfe, 0x00, 0x00};
static const uint8_t CHAR_UUID[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                      0x41, 0x45, 0x22, 0x8e, 0x22, 0xfe, 0x00, 0x00};

typedef struct {
    fc1_t f;
    emu_radio_t *radio;
    emu_client_t *cl;
    pthread_t th;
    volatile bool stop;
    uint16_t svc, base, conf, raw;
    unsigned seen; /* events handled by the "firmware" */
    unsigned writes;
    size_t bytes;
    unsigned confirmations;
    bool setup_ok;
    emu_radio_opts_t ro;
    volatile uint64_t hold_until_ns; /* the "firmware" keeps its event buffers until then */
} rt_t;

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint16_t add_char(rt_t *t, uint8_t id, uint16_t len, uint8_t props)
{
    uint8_t p[26] = {0}, r[4];
    size_t n;
    p[0] = (uint8_t)t->svc;
    p[1] = (uint8_t)(t->svc >> 8);
    p[2] = 2;
    memcpy(p + 3, CHAR_UUID, 16);
    p[15] = id;
    p[19] = (uint8_t)len;
    p[20] = (uint8_t)(len >> 8);
    p[21] = props;
    p[23] = 0x01;
    p[24] = 16;
    p[25] = 1;
    return fc1_ble_cmd(&t->f, 0xFD04, p, 26, r, &n) == 0 ? le16(r) : 0;
}

static void advertise(rt_t *t)
{
    uint8_t d[21] = {0x00, 0xA0, 0x00, 0xA0, 0x00, 0x00, 0x00, 8, 0x09, 'S', 'T',
                     'M',  '_',  'O',  'T',  'A',  0,    0,    0, 0,    0};
    fc1_ble_cmd(&t->f, 0xFC83, d, 21, NULL, NULL);
}

static bool setup(rt_t *t)
{
    uint8_t r[8];
    size_t n;
    fake_soc_set_rfwkpsel(t->f.soc, 1);
    if (fc1_boot(&t->f) != 0 || fc1_ble_init(&t->f, 0, 251) != 0) {
        return false;
    }
    static const uint8_t addr[8] = {0x00, 6, 0x11, 0x22, 0x33, 0x44, 0x80, 0xE1};
    fc1_ble_cmd(&t->f, 0xFC0C, addr, 8, NULL, NULL);
    fc1_ble_cmd(&t->f, 0xFD01, NULL, 0, NULL, NULL);
    static const uint8_t gap[3] = {1, 0, 7};
    fc1_ble_cmd(&t->f, 0xFC8A, gap, 3, r, &n);
    uint8_t sp[19];
    sp[0] = 2;
    memcpy(sp + 1, SVC_UUID, 16);
    sp[17] = 1;
    sp[18] = 8;
    if (fc1_ble_cmd(&t->f, 0xFD02, sp, 19, r, &n) != 0) {
        return false;
    }
    t->svc = le16(r);
    t->base = add_char(t, 0x22, 4, 0x04);
    t->conf = add_char(t, 0x23, 1, 0x20);
    t->raw = add_char(t, 0x24, 248, 0x04);
    advertise(t);
    return t->raw != 0;
}

/* The "firmware": counts writes, answers `07` on FE22 with an FE23 indication. */
static void *dev_main(void *arg)
{
    rt_t *t = arg;
    t->setup_ok = setup(t);
    while (!t->stop && fake_soc_failed_rule(t->f.soc) == NULL) {
        fake_soc_advance(t->f.soc, 10000);
        t->f.auto_release = emu_time_ns(t->f.soc) >= t->hold_until_ns;
        if (t->f.auto_release && t->f.nheld > 0) {
            fc1_release_held(&t->f);
        }
        fc1_poll(&t->f);
        while (t->seen < t->f.nevts) {
            const fc1_evt_t *e = &t->f.evts[t->seen++];
            if (e->code == 0x05) {
                advertise(t);
            }
            if (e->code != 0xFF) {
                continue;
            }
            uint16_t sub = le16(e->payload);
            if (sub == 0x0C17) {
                t->confirmations++;
            } else if (sub == 0x0C01) {
                uint16_t h = le16(e->payload + 4);
                uint16_t len = le16(e->payload + 8);
                if (h == t->raw + 1) {
                    t->bytes += len;
                    if ((le16(e->payload + 6) & 0x8000u) == 0) {
                        t->writes++;
                    }
                } else if (h == t->base + 1 && e->payload[10] == 0x07) {
                    uint8_t up[7] = {(uint8_t)t->svc,
                                     (uint8_t)(t->svc >> 8),
                                     (uint8_t)t->conf,
                                     (uint8_t)(t->conf >> 8),
                                     0,
                                     1,
                                     0x01};
                    fc1_ble_cmd(&t->f, 0xFD06, up, 7, NULL, NULL);
                }
            }
        }
        if (t->f.nevts > FC1_MAX_EVTS - 8) {
            /* keep the event log small: forget what was handled */
            t->f.nevts = 0;
            t->seen = 0;
        }
    }
    return NULL;
}

static void start(rt_t *t, const emu_radio_opts_t *ro)
{
    memset(t, 0, sizeof *t);
    fc1_init(&t->f, 16, NULL);
    emu_radio_opts_t o = {.listen = "127.0.0.1:0"};
    if (ro != NULL) {
        o = *ro;
        o.listen = "127.0.0.1:0";
    }
    t->radio = emu_radio_create(t->f.soc, t->f.c2, &o);
    assert_non_null(t->radio);
    assert_int_equal(pthread_create(&t->th, NULL, dev_main, t), 0);
    t->cl = emu_client_open(emu_radio_address(t->radio), 2000);
    assert_non_null(t->cl);
}

static void stop(rt_t *t)
{
    t->stop = true;
    emu_client_close(t->cl);
    emu_radio_stop(t->radio);
    pthread_join(t->th, NULL);
    emu_radio_destroy(t->radio);
    fc1_free(&t->f);
}

static const uint8_t LOADER_ADDR[6] = {0xE1, 0x80, 0x44, 0x33, 0x22, 0x11};

static void connect_loader(rt_t *t, emu_client_char_t *chars, size_t *nchars)
{
    assert_int_equal(emu_client_connect(t->cl, LOADER_ADDR, 1000), 0);
    uint16_t mtu = 0;
    assert_int_equal(emu_client_mtu(t->cl, 251, &mtu), 0);
    assert_int_equal(mtu, 251);
    assert_int_equal(emu_client_discover(t->cl, chars, 32, nchars), 0);
}

/* start() and connect_loader(), for the tests that need no characteristic of their own. */
static void start_connected(rt_t *t, const emu_radio_opts_t *ro)
{
    emu_client_char_t c[32];
    size_t n = 0;
    start(t, ro);
    connect_loader(t, c, &n);
}

/* Sends `count` writes without response of d[0..len) to the raw characteristic once the link
 * is idle; returns the simulated time (us) until the last was carried. */
static uint64_t stream_writes(rt_t *t, const uint8_t *d, size_t len, unsigned count)
{
    assert_int_equal(emu_client_wait(t->cl, 0), 0);
    uint64_t t0 = emu_client_sim_us(t->cl);
    for (unsigned i = 0; i < count; i++) {
        assert_int_equal(emu_client_write(t->cl, t->raw + 1, d, len, false), 0);
    }
    assert_int_equal(emu_client_wait(t->cl, 0), 0);
    return emu_client_sim_us(t->cl) - t0;
}

static void test_radio_scan_reports_name_and_address_msb_first(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    uint64_t t0 = emu_client_sim_us(t.cl);
    emu_client_adv_t adv[4];
    size_t n = 0;
    assert_int_equal(emu_client_scan(t.cl, 200, adv, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_memory_equal(adv[0].addr, LOADER_ADDR, 6);
    char name[32];
    assert_true(emu_adv_name(adv[0].adv, adv[0].adv_len, name, sizeof name));
    assert_string_equal(name, "STM_OTA");
    /* lockstep: the scan took exactly its simulated duration */
    assert_int_equal(emu_client_sim_us(t.cl) - t0, 200000);
    stop(&t);
}

static void test_radio_connect_unknown_address_fails(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    static const uint8_t other[6] = {1, 2, 3, 4, 5, 6};
    assert_int_equal(emu_client_connect(t.cl, other, 300), 1);
    assert_false(emu_client_is_connected(t.cl));
    stop(&t);
}

static void test_radio_discover_finds_ota_characteristics(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    emu_client_char_t c[32];
    size_t n = 0;
    connect_loader(&t, c, &n);
    uint8_t u[16];
    memcpy(u, CHAR_UUID, 16);
    u[12] = 0x23;
    const emu_client_char_t *conf = emu_client_find_char(c, n, u, 16);
    assert_non_null(conf);
    assert_int_equal(conf->value_handle, t.conf + 1);
    assert_int_equal(conf->props, 0x20);
    stop(&t);
}

static void test_radio_write_stream_follows_link_timing(void **state)
{
    (void)state;
    rt_t t;
    start_connected(&t, NULL);
    uint8_t d[244];
    memset(d, 0x5A, sizeof d);
    /* 244-byte values fit one 251-byte LL PDU; at 2M, 6 per 15 ms event (1.392 ms each) */
    uint64_t dt = stream_writes(&t, d, sizeof d, 120u);
    assert_true(dt >= 19u * 15000u && dt <= 21u * 15000u);
    assert_int_equal(emu_client_wait(t.cl, 20), 0);
    assert_int_equal(t.writes, 120);
    assert_int_equal(t.bytes, 120 * 244);
    stop(&t);
}

static void test_radio_1m_phy_without_dle_is_slower(void **state)
{
    (void)state;
    rt_t t;
    emu_radio_opts_t o = {.phy_mbps = 1, .data_length = 27};
    start_connected(&t, &o);
    uint8_t d[244] = {0};
    uint64_t dt = stream_writes(&t, d, sizeof d, 12u);
    /* 251 bytes of L2CAP in 27-byte PDUs = 10 PDUs per write, 6 PDUs per event:
     * 120 PDUs = 20 events */
    assert_true(dt >= 19u * 15000u && dt <= 21u * 15000u);
    stop(&t);
}

static void test_radio_oversize_write_refused(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    assert_int_equal(emu_client_connect(t.cl, LOADER_ADDR, 1000), 0);
    uint8_t d[30] = {0}; /* MTU still 23: at most 20 */
    assert_int_equal(emu_client_write(t.cl, t.raw + 1, d, sizeof d, true), EMU_CLIENT_E_REFUSED);
    assert_int_equal(emu_client_write(t.cl, t.raw + 1, d, 20, true), 0x03); /* no WRITE prop */
    stop(&t);
}

static void test_radio_indication_and_confirmation(void **state)
{
    (void)state;
    rt_t t;
    start_connected(&t, NULL);
    static const uint8_t en[2] = {2, 0};
    assert_int_equal(emu_client_write(t.cl, t.conf + 2, en, 2, true), 0);
    static const uint8_t fin = 0x07;
    assert_int_equal(emu_client_write(t.cl, t.base + 1, &fin, 1, false), 0);
    uint16_t h = 0;
    uint8_t v[8];
    size_t len = 0;
    assert_int_equal(emu_client_wait_indication(t.cl, 200, &h, v, sizeof v, &len), 0);
    assert_int_equal(h, t.conf + 1);
    assert_int_equal(len, 1);
    assert_int_equal(v[0], 0x01);
    assert_int_equal(t.confirmations, 0);
    assert_int_equal(emu_client_confirm(t.cl), 0);
    assert_int_equal(emu_client_wait(t.cl, 50), 0);
    assert_int_equal(t.confirmations, 1);
    stop(&t);
}

static void test_radio_disconnect_reaches_cpu1_and_readvertises(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    assert_int_equal(emu_client_connect(t.cl, LOADER_ADDR, 1000), 0);
    assert_int_equal(emu_client_disconnect(t.cl), 0);
    assert_false(emu_client_is_connected(t.cl));
    emu_client_adv_t adv[4];
    size_t n = 0;
    assert_int_equal(emu_client_scan(t.cl, 100, adv, 4, &n), 0);
    assert_int_equal(n, 1); /* the firmware saw 0x05 and advertises again */
    stop(&t);
}

static void test_radio_no_event_buffers_holds_writes_back(void **state)
{
    (void)state;
    rt_t t;
    start_connected(&t, NULL);
    assert_int_equal(emu_client_wait(t.cl, 0), 0);
    uint64_t t0 = emu_client_sim_us(t.cl);
    t.hold_until_ns = (t0 + 200000u) * 1000u; /* CPU1 sits on its buffers for 200 ms */
    uint8_t d[20] = {0};
    for (int i = 0; i < 30; i++) { /* the pool has 16 buffers */
        assert_int_equal(emu_client_write(t.cl, t.raw + 1, d, sizeof d, false), 0);
    }
    assert_int_equal(emu_client_wait(t.cl, 0), 0);
    /* the later writes could only be carried after CPU1 released buffers */
    assert_true(emu_client_sim_us(t.cl) >= t0 + 200000u);
    assert_int_equal(emu_client_wait(t.cl, 20), 0);
    assert_int_equal(t.writes, 30);
    assert_null(fake_soc_failed_rule(t.f.soc));
    stop(&t);
}

static void test_radio_debug_write_reaches_device_ram(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    static const uint8_t mb[3] = {0x01, 0x07, 0xFF};
    assert_int_equal(emu_client_debug_write(t.cl, 0x20000000u, mb, 3), 0);
    uint8_t got[3] = {0};
    assert_true(emu_mem_read(t.f.soc, 0x20000000u, got, 3));
    assert_memory_equal(got, mb, 3);
    assert_int_equal(emu_client_debug_write(t.cl, 0x10000000u, mb, 3), EMU_CLIENT_E_REFUSED);
    stop(&t);
}

static void test_radio_theoretical_limit_matches_formula(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    /* 2M, DLE 251, 15 ms, 6 per event: 6 x 244 B and 3 x 248 B per 15 ms */
    double a = emu_radio_theoretical_bps(t.radio, 244), b = emu_radio_theoretical_bps(t.radio, 248);
    assert_true(a > 97600.0 * 0.98 && a < 97600.0 * 1.02);
    assert_true(b > 49600.0 * 0.98 && b < 49600.0 * 1.02);
    stop(&t);
}

/* ---- the link limit, computed from the BLE Core spec timing (docs/emulator.md#link-limit) ----
 * Air time of an LL data PDU with x payload octets: preamble (1 octet on LE 1M, 2 on LE 2M) +
 * access address 4 + header 2 + x + CRC 3, at 1 or 2 Mbit/s. Each data PDU from the central is
 * answered by an empty PDU from the peripheral, each after T_IFS = 150 us. A connection event
 * carries at most ppe such exchanges and all of them inside the connection interval. */
static double spec_air_us(unsigned phy, unsigned x)
{
    return (double)((phy == 1 ? 1u : 2u) + 4u + 2u + x + 3u) * 8.0 / (double)phy;
}

/* ATT payload bytes/s for back-to-back writes without response of `value` bytes (one LL PDU
 * each: value + 3 ATT + 4 L2CAP <= data length) */
static double spec_limit_bps(unsigned phy, unsigned itv_us, unsigned ppe, unsigned value)
{
    double ex = spec_air_us(phy, value + 3u + 4u) + 150.0 + spec_air_us(phy, 0) + 150.0;
    unsigned fit = (unsigned)((double)itv_us / ex);
    unsigned per_event = fit < ppe ? fit : ppe;
    return (double)per_event * (double)value * 1e6 / (double)itv_us;
}

/* Streams `count` writes of `value` bytes without response with the timers firing 117 ns late
 * (as the real SoC's do when a CPU slice overruns the due time by a translated block) and
 * returns the measured ATT payload rate. The fake firmware releases event buffers at once. */
static double measure_stream_bps(const emu_radio_opts_t *o, uint16_t mtu, unsigned value,
                                 unsigned count)
{
    rt_t t;
    start(&t, o);
    fake_soc_set_timer_lateness(t.f.soc, 117);
    assert_int_equal(emu_client_connect(t.cl, LOADER_ADDR, 1000), 0);
    if (mtu != 23) {
        uint16_t got = 0;
        assert_int_equal(emu_client_mtu(t.cl, mtu, &got), 0);
        assert_int_equal(got, mtu);
    }
    uint8_t d[244];
    memset(d, 0xA5, sizeof d);
    uint64_t dt = stream_writes(&t, d, value, count);
    assert_int_equal(emu_client_wait(t.cl, 50), 0);
    assert_int_equal(t.writes, count);
    assert_null(fake_soc_failed_rule(t.f.soc));
    stop(&t);
    return (double)count * value * 1e6 / (double)dt;
}

static void assert_within_2pct(double got, double want)
{
    print_message("measured %.0f B/s, limit %.0f B/s, ratio %.3f\n", got, want, got / want);
    assert_true(got >= want * 0.98 && got <= want * 1.02);
}

/* A link-limit case: the link (2M or 1M PHY, 15 ms interval, data length 251, a cap of
 * packets per event), the MTU exchanged (23: none) and `count` writes of `value` bytes. */
typedef struct {
    unsigned phy_mbps, packets_per_event;
    uint16_t mtu;
    unsigned value, count;
} link_case_t;

static link_case_t s_244_at_6_per_event = {2u, 6u, 247u, 244u, 600u};
/* 1.392 ms per exchange: the interval, not the 20-packet cap, limits the event */
static link_case_t s_244_at_20_per_event = {2u, 20u, 247u, 244u, 1000u};
static link_case_t s_20_byte_writes_at_mtu_23 = {2u, 6u, 23u, 20u, 600u};
static link_case_t s_1m_phy = {1u, 6u, 247u, 244u, 600u};

/* The measured rate of the case (*state) within 2 % of the spec's limit for the same link. */
static void test_radio_link_limit(void **state)
{
    const link_case_t *c = *state;
    emu_radio_opts_t o = {.phy_mbps = c->phy_mbps,
                          .conn_interval_us = 15000,
                          .data_length = 251,
                          .packets_per_event = c->packets_per_event};
    assert_within_2pct(measure_stream_bps(&o, c->mtu, c->value, c->count),
                       spec_limit_bps(c->phy_mbps, 15000, c->packets_per_event, c->value));
}
#define LINK_LIMIT_TEST(name)                                                                      \
    {                                                                                              \
        "test_radio_link_limit_" #name, test_radio_link_limit, NULL, NULL, &s_##name               \
    }

/* A WAIT sent right after POWER_CYCLE / SYSTEM_RESET lasts its full duration. */
static void test_radio_wait_after_reset_advances_time(void **state)
{
    (void)state;
    rt_t t;
    start(&t, NULL);
    assert_int_equal(emu_client_wait(t.cl, 10), 0);
    assert_int_equal(emu_client_power_cycle(t.cl), 0);
    uint64_t t0 = emu_client_sim_us(t.cl);
    assert_int_equal(emu_client_wait(t.cl, 30), 0);
    assert_true(emu_client_sim_us(t.cl) >= t0 + 30000u);
    assert_int_equal(emu_client_system_reset(t.cl), 0);
    t0 = emu_client_sim_us(t.cl);
    assert_int_equal(emu_client_wait(t.cl, 40), 0);
    assert_true(emu_client_sim_us(t.cl) >= t0 + 40000u);
    t.stop = true; /* the fake firmware does not boot again: end before it polls a dead CPU2 */
    stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radio_scan_reports_name_and_address_msb_first),
        cmocka_unit_test(test_radio_connect_unknown_address_fails),
        cmocka_unit_test(test_radio_discover_finds_ota_characteristics),
        cmocka_unit_test(test_radio_write_stream_follows_link_timing),
        cmocka_unit_test(test_radio_1m_phy_without_dle_is_slower),
        cmocka_unit_test(test_radio_oversize_write_refused),
        cmocka_unit_test(test_radio_indication_and_confirmation),
        cmocka_unit_test(test_radio_disconnect_reaches_cpu1_and_readvertises),
        cmocka_unit_test(test_radio_no_event_buffers_holds_writes_back),
        cmocka_unit_test(test_radio_debug_write_reaches_device_ram),
        cmocka_unit_test(test_radio_theoretical_limit_matches_formula),
        LINK_LIMIT_TEST(244_at_6_per_event),
        LINK_LIMIT_TEST(244_at_20_per_event),
        LINK_LIMIT_TEST(20_byte_writes_at_mtu_23),
        LINK_LIMIT_TEST(1m_phy),
        cmocka_unit_test(test_radio_wait_after_reset_advances_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
