/* test_wire.c - the host wire library (wbota_wire.h): one table of socket addresses run through
 * the single parser every program uses (wbota-emu --radio, wbota upload --emu, the test
 * central), the frame codec from the byte layout in emu_radio_wire.h, the wall-clock bound of a
 * read, and the AD parser from the AD structure layout ([len][type][len-1 bytes]). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "wbota_wire.h"

typedef struct {
    const char *spec;
    wbota_err_t err; /* of the parse */
    bool is_unix;
    const char *host_or_path;
    uint16_t port;
} addr_case_t;

/* Written from the rule in wbota_wire.h and docs/emulator.md: a '/' or no ':' = Unix path;
 * else HOST:PORT with PORT 0..65535 and an empty HOST meaning 127.0.0.1. */
static const addr_case_t k_addr_cases[] = {
    {"127.0.0.1:7000", WBOTA_OK, false, "127.0.0.1", 7000u},
    {"localhost:47123", WBOTA_OK, false, "localhost", 47123u},
    {":7001", WBOTA_OK, false, "127.0.0.1", 7001u},
    {"127.0.0.1:0", WBOTA_OK, false, "127.0.0.1", 0u}, /* listen: any free port */
    {"[::1]:9000", WBOTA_OK, false, "::1", 9000u},
    {"host:65535", WBOTA_OK, false, "host", 65535u},
    {"/tmp/emu.sock", WBOTA_OK, true, "/tmp/emu.sock", 0u},
    {"/tmp/a:1", WBOTA_OK, true, "/tmp/a:1", 0u}, /* a path may contain ':' */
    {"radio.sock", WBOTA_OK, true, "radio.sock", 0u},
    {"", WBOTA_E_PARSE, false, NULL, 0u},
    {"host:", WBOTA_E_PARSE, false, NULL, 0u},
    {"host:70000", WBOTA_E_PARSE, false, NULL, 0u},
    {"host:123456", WBOTA_E_PARSE, false, NULL, 0u},
    {"host:12x", WBOTA_E_PARSE, false, NULL, 0u},
    {"host:-1", WBOTA_E_PARSE, false, NULL, 0u},
    {"/", WBOTA_OK, true, "/", 0u},
};

static void test_addr_table(void **state)
{
    (void)state;
    for (size_t i = 0u; i < sizeof(k_addr_cases) / sizeof(k_addr_cases[0]); i++) {
        const addr_case_t *c = &k_addr_cases[i];
        wbota_wire_addr_t a;
        char msg[200] = "";
        wbota_err_t err = wbota_wire_addr_parse(c->spec, &a, msg, sizeof(msg));
        print_message("case \"%s\" -> %d %s\n", c->spec, (int)err, msg);
        assert_int_equal(err, c->err);
        if (err != WBOTA_OK) {
            assert_true(strstr(msg, "bad socket address") != NULL);
            continue;
        }
        assert_int_equal(a.is_unix, c->is_unix);
        if (c->is_unix) {
            assert_string_equal(a.path, c->host_or_path);
        } else {
            assert_string_equal(a.host, c->host_or_path);
            assert_int_equal(a.port, c->port);
        }
    }
    char longpath[200];
    memset(longpath, 'x', sizeof(longpath) - 1u);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1u] = '\0';
    wbota_wire_addr_t a;
    char msg[200];
    assert_int_equal(wbota_wire_addr_parse(longpath, &a, msg, sizeof(msg)), WBOTA_E_PARSE);
}

/* the case of the issue: wbota-emu --radio localhost:PORT must listen, and a client must reach
 * it with the same spelling */
static void test_listen_connect_localhost(void **state)
{
    (void)state;
    wbota_wire_addr_t a;
    char msg[200] = "", bound[300] = "";
    assert_int_equal(wbota_wire_addr_parse("localhost:0", &a, msg, sizeof(msg)), WBOTA_OK);
    int lfd = wbota_wire_listen(&a, bound, sizeof(bound), msg, sizeof(msg));
    assert_true(lfd >= 0);
    assert_true(strncmp(bound, "localhost:", 10) == 0);
    assert_true(strcmp(bound, "localhost:0") != 0); /* the real port */
    wbota_wire_addr_t c;
    assert_int_equal(wbota_wire_addr_parse(bound, &c, msg, sizeof(msg)), WBOTA_OK);
    int cfd = wbota_wire_connect(&c, msg, sizeof(msg));
    assert_true(cfd >= 0);
    close(cfd);
    close(lfd);
    /* port 0 is for listening only */
    assert_int_equal(wbota_wire_addr_parse("127.0.0.1:0", &c, msg, sizeof(msg)), WBOTA_OK);
    assert_int_equal(wbota_wire_connect(&c, msg, sizeof(msg)), -1);
    assert_true(strstr(msg, "port 0") != NULL);
}

/* frame bytes written from emu_radio_wire.h: [u16 len LE = type + payload][type][payload] */
static void test_frame_codec(void **state)
{
    (void)state;
    uint8_t f[16];
    const uint8_t payload[3] = {0xAA, 0xBB, 0xCC};
    assert_int_equal(wbota_wire_frame_encode(f, sizeof(f), 0x06, payload, 3u), 6u);
    static const uint8_t want[6] = {0x04, 0x00, 0x06, 0xAA, 0xBB, 0xCC};
    assert_memory_equal(f, want, sizeof(want));
    assert_int_equal(wbota_wire_frame_check(want, 1u), 0);
    assert_int_equal(wbota_wire_frame_check(want, 5u), 0);
    assert_int_equal(wbota_wire_frame_check(want, 6u), 6);
    static const uint8_t zero[2] = {0x00, 0x00};
    assert_int_equal(wbota_wire_frame_check(zero, 2u), -1);
    static const uint8_t huge[2] = {0x01, 0x04}; /* 1025 > EMU_WIRE_MAX_FRAME */
    assert_int_equal(wbota_wire_frame_check(huge, 2u), -1);
    assert_int_equal(wbota_wire_frame_encode(f, 5u, 0x06, payload, 3u), 0u); /* does not fit */
}

static void test_recv_bounded_and_malformed(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    uint8_t buf[EMU_WIRE_MAX_FRAME];
    size_t len = 0u;
    /* half a frame, then silence: the read gives up at the wall-clock bound */
    static const uint8_t half[3] = {0x05, 0x00, 0x8B};
    assert_int_equal(write(sv[1], half, sizeof(half)), (ssize_t)sizeof(half));
    assert_int_equal(wbota_wire_recv(sv[0], buf, sizeof(buf), &len, 50u), WBOTA_E_TIMEOUT);
    close(sv[0]);
    close(sv[1]);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(wbota_wire_send(sv[1], 0x8B, (const uint8_t *)"\x01\x02", 2u), WBOTA_OK);
    assert_int_equal(wbota_wire_recv(sv[0], buf, sizeof(buf), &len, 1000u), WBOTA_OK);
    assert_int_equal(len, 3u);
    assert_int_equal(buf[0], 0x8B);
    static const uint8_t bad[2] = {0x00, 0x00};
    assert_int_equal(write(sv[1], bad, sizeof(bad)), (ssize_t)sizeof(bad));
    assert_int_equal(wbota_wire_recv(sv[0], buf, sizeof(buf), &len, 1000u), WBOTA_E_PARSE);
    close(sv[1]);
    assert_int_equal(wbota_wire_recv(sv[0], buf, sizeof(buf), &len, 1000u), WBOTA_E_LINK_LOST);
    close(sv[0]);
}

/* ST's loader advertising as on air: flags, complete name "STM_OTA", manufacturer data */
static void test_ad_parser(void **state)
{
    (void)state;
    static const uint8_t ad[] = {0x02, 0x01, 0x06, 0x08, 0x09, 'S',  'T',  'M',  '_',
                                 'O',  'T',  'A',  0x0D, 0xFF, 0x01, 0x86, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x80, 0xE1, 0x11, 0x22, 0x34};
    char name[32];
    assert_true(wbota_ad_valid(ad, sizeof(ad)));
    assert_true(wbota_ad_name(ad, sizeof(ad), name, sizeof(name)));
    assert_string_equal(name, "STM_OTA");
    size_t n = 0u;
    const uint8_t *m = wbota_ad_find(ad, sizeof(ad), 0xFF, &n);
    assert_non_null(m);
    assert_int_equal(n, 12u);
    assert_int_equal(m[1], 0x86);
    assert_true(wbota_ad_name(ad, sizeof(ad), name, 4u)); /* cut to cap - 1 */
    assert_string_equal(name, "STM");
    /* a short name is used when there is no complete one */
    static const uint8_t shortn[] = {0x03, 0x08, 'A', 'B'};
    assert_true(wbota_ad_name(shortn, sizeof(shortn), name, sizeof(name)));
    assert_string_equal(name, "AB");
    /* malformed: a zero length, a structure past the end */
    static const uint8_t zero[] = {0x02, 0x01, 0x06, 0x00, 0x09};
    assert_false(wbota_ad_valid(zero, sizeof(zero)));
    assert_null(wbota_ad_find(zero, sizeof(zero), 0x09, &n));
    static const uint8_t past[] = {0x05, 0x09, 'A'};
    assert_false(wbota_ad_valid(past, sizeof(past)));
    assert_false(wbota_ad_name(past, sizeof(past), name, sizeof(name)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_table),  cmocka_unit_test(test_listen_connect_localhost),
        cmocka_unit_test(test_frame_codec), cmocka_unit_test(test_recv_bounded_and_malformed),
        cmocka_unit_test(test_ad_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
