/* test_tool_upload.c - `wbota upload` client sequence (tools/wbota/upload.c) and the emulator
 * transport (transport_emu.c) against a scripted fake device speaking emu_radio_wire.h on a
 * Unix socket: what is written where (reboot request, CCCD, FE22 start, FE24 chunks, FE22 07),
 * verdict decoding, and every failure class (refused connection, not found, rejected). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "emu_radio_wire.h"
#include "transport.h"
#include "upload.h"
#include "wbota/bytes.h"

static const uint8_t s_app_addr[6] = {0x00, 0x80, 0xE1, 0x11, 0x22, 0x33};
static const uint8_t s_ldr_addr[6] = {0x00, 0x80, 0xE1, 0x11, 0x22, 0x34};

enum { MODE_APP, MODE_LOADER, MODE_NEWAPP, MODE_DEAD };

typedef struct {
    /* script */
    int mode;
    uint8_t verdict;   /* FE23 value after 07 */
    bool never_loader; /* the loader gives up at once: the app advertises again */
    bool silent;       /* after the reboot request nothing advertises */
    size_t drop_after; /* loader link drops after this many FE24 chunks (0: never) */
    bool dropped;
    /* observations */
    uint8_t reboot_req[3];
    bool got_reboot;
    uint8_t cccd[2];
    uint16_t cccd_handle;
    uint8_t start[8];
    size_t start_len;
    uint8_t *data;
    size_t data_len;
    size_t max_chunk;
    size_t chunks;
    bool got_finish;
    bool confirmed;
    /* runtime */
    bool ind_pending, disc_pending;
    uint64_t now;
    int lfd;
    char path[108];
    pthread_t th;
} fake_t;

static void f_send(int fd, uint8_t type, const uint8_t *p, size_t n)
{
    uint8_t b[EMU_WIRE_MAX_FRAME + 3];
    wbota_put_le16(b, (uint16_t)(n + 1u));
    b[2] = type;
    if (n) {
        memcpy(b + 3, p, n);
    }
    (void)!write(fd, b, n + 3u);
}

static void f_time(fake_t *f, int fd, uint8_t type)
{
    uint8_t t[8];
    wbota_put_le32(t, (uint32_t)f->now);
    wbota_put_le32(t + 4, (uint32_t)(f->now >> 32));
    f_send(fd, type, t, 8u);
}

static void f_adv(int fd, const uint8_t addr[6], const char *name, bool loader)
{
    uint8_t p[64];
    memcpy(p, addr, 6);
    p[6] = (uint8_t)-40;
    size_t n = 0u;
    uint8_t *ad = p + 8;
    ad[n++] = 2;
    ad[n++] = 0x01;
    ad[n++] = 0x06;
    ad[n++] = (uint8_t)(strlen(name) + 1u);
    ad[n++] = 0x09;
    memcpy(ad + n, name, strlen(name));
    n += strlen(name);
    if (loader) {
        static const uint8_t mfg[14] = {0x0D, 0xFF, 0x01, 0x86, 0,    0,    0,
                                        0,    0x00, 0x80, 0xE1, 0x11, 0x22, 0x34};
        memcpy(ad + n, mfg, sizeof(mfg));
        n += sizeof(mfg);
    }
    p[7] = (uint8_t)n;
    f_send(fd, EMU_EVT_ADV, p, 8u + n);
}

static void f_char(uint8_t *p, size_t *n, uint16_t decl, uint8_t props, uint8_t id)
{
    static const uint8_t base[16] = {0x19, 0xed, 0x82, 0xae, 0xed, 0x21, 0x4c, 0x9d,
                                     0x41, 0x45, 0x22, 0x8e, 0x00, 0xfe, 0x00, 0x00};
    wbota_put_le16(p + *n, decl);
    wbota_put_le16(p + *n + 2, (uint16_t)(decl + 1u));
    p[*n + 4] = props;
    p[*n + 5] = 16;
    memcpy(p + *n + 6, base, 16);
    p[*n + 6 + 12] = id;
    *n += 22u;
}

static void *f_main(void *arg)
{
    fake_t *f = arg;
    int fd = accept(f->lfd, NULL, NULL);
    if (fd < 0) {
        return NULL;
    }
    uint8_t buf[EMU_WIRE_MAX_FRAME + 2];
    for (;;) {
        uint8_t hdr[2];
        if (recv(fd, hdr, 2, MSG_WAITALL) != 2) {
            break;
        }
        uint16_t len = wbota_get_le16(hdr);
        if (len == 0 || len > EMU_WIRE_MAX_FRAME || recv(fd, buf, len, MSG_WAITALL) != len) {
            break;
        }
        uint8_t type = buf[0];
        const uint8_t *p = buf + 1;
        size_t n = len - 1u;
        f->now += 1000u;
        switch (type) {
        case EMU_REQ_HELLO: {
            uint8_t r[12] = {1, 0, 0, 0};
            f_send(fd, EMU_RSP_HELLO, r, 12u);
            break;
        }
        case EMU_REQ_SCAN:
            f->now += wbota_get_le32(p) * 1000u;
            if (f->mode == MODE_APP) {
                f_adv(fd, s_app_addr, "HELLO-v1", false);
            } else if (f->mode == MODE_LOADER) {
                f_adv(fd, s_ldr_addr, "STM_OTA", true);
            } else if (f->mode == MODE_NEWAPP) {
                f_adv(fd, s_app_addr, "HELLO-v2", false);
            }
            f_time(f, fd, EMU_RSP_SCAN_DONE);
            break;
        case EMU_REQ_CONNECT: {
            const uint8_t *want = (f->mode == MODE_LOADER) ? s_ldr_addr : s_app_addr;
            uint8_t st = (f->mode != MODE_DEAD && memcmp(p, want, 6) == 0) ? 0u : 1u;
            f_send(fd, EMU_RSP_CONNECT, &st, 1u);
            break;
        }
        case EMU_REQ_MTU: {
            uint8_t r[2];
            uint16_t m = wbota_get_le16(p);
            wbota_put_le16(r, m < 251u ? m : 251u);
            f_send(fd, EMU_RSP_MTU, r, 2u);
            break;
        }
        case EMU_REQ_DISCOVER: {
            uint8_t r[128];
            size_t k = 1u;
            if (f->mode == MODE_LOADER) {
                r[0] = 3;
                f_char(r, &k, 0x20, EMU_PROP_WRITE_NO_RSP, 0x22);
                f_char(r, &k, 0x22, EMU_PROP_INDICATE, 0x23);
                f_char(r, &k, 0x25, EMU_PROP_WRITE_NO_RSP, 0x24);
            } else {
                r[0] = 1;
                f_char(r, &k, 0x10, EMU_PROP_WRITE_NO_RSP, 0x11);
            }
            f_send(fd, EMU_RSP_DISCOVER, r, k);
            break;
        }
        case EMU_REQ_WRITE: {
            uint16_t h = wbota_get_le16(p);
            if (f->dropped) {
                uint8_t r[16] = {EMU_REQ_WRITE, 'n', 'o', 't', ' ', 'c', 'o', 'n', 'n'};
                if (p[2] != 0u || f->drop_after != 0u) {
                    f_send(fd, EMU_RSP_ERROR, r, 9u);
                }
                break;
            }
            bool rsp = p[2] != 0u;
            const uint8_t *d = p + 3;
            size_t dl = n - 3u;
            if (f->mode == MODE_APP && h == 0x11) {
                memcpy(f->reboot_req, d, dl < 3u ? dl : 3u);
                f->got_reboot = true;
                f_send(fd, EMU_EVT_DISCONNECTED, (const uint8_t *)"\x13", 1u);
                if (f->silent) {
                    f->mode = MODE_DEAD;
                } else if (!f->never_loader) {
                    f->mode = MODE_LOADER;
                }
            } else if (f->mode == MODE_LOADER && h == 0x24) {
                f->cccd_handle = h;
                memcpy(f->cccd, d, 2);
            } else if (f->mode == MODE_LOADER && h == 0x21) {
                if (dl == 1u && d[0] == 0x07u) {
                    f->got_finish = true;
                    f->ind_pending = true;
                } else {
                    memcpy(f->start, d, dl < 8u ? dl : 8u);
                    f->start_len = dl;
                }
            } else if (f->mode == MODE_LOADER && h == 0x26) {
                f->data = realloc(f->data, f->data_len + dl);
                memcpy(f->data + f->data_len, d, dl);
                f->data_len += dl;
                f->chunks++;
                if (dl > f->max_chunk) {
                    f->max_chunk = dl;
                }
                if (f->drop_after != 0u && f->chunks == f->drop_after) {
                    f->dropped = true;
                    f_send(fd, EMU_EVT_DISCONNECTED, (const uint8_t *)"\x08", 1u);
                }
            }
            if (rsp) {
                uint8_t st = 0;
                f_send(fd, EMU_RSP_WRITE, &st, 1u);
            }
            break;
        }
        case EMU_REQ_WAIT:
            f->now += wbota_get_le32(p) * 1000u;
            if (f->ind_pending) {
                uint8_t r[3] = {0x23, 0x00, f->verdict};
                f->ind_pending = false;
                f_send(fd, EMU_EVT_INDICATION, r, 3u);
            } else if (f->disc_pending) {
                f->disc_pending = false;
                f_send(fd, EMU_EVT_DISCONNECTED, (const uint8_t *)"\x16", 1u);
            }
            f_time(f, fd, EMU_RSP_TIME);
            break;
        case EMU_REQ_CONFIRM:
            f->confirmed = true;
            if (f->verdict == 0x01u) {
                f->mode = MODE_NEWAPP;
                f->disc_pending = true;
            }
            break;
        case EMU_REQ_DISCONNECT:
            f_send(fd, EMU_EVT_DISCONNECTED, (const uint8_t *)"\x16", 1u);
            break;
        default: {
            uint8_t r[8] = {type, 'n', 'o'};
            f_send(fd, EMU_RSP_ERROR, r, 3u);
            break;
        }
        }
    }
    close(fd);
    return NULL;
}

static void f_start(fake_t *f)
{
    f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(f->lfd >= 0);
    snprintf(f->path, sizeof(f->path), "/tmp/wbota-test-%d-%p.sock", (int)getpid(), (void *)f);
    unlink(f->path);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, f->path);
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(f->lfd, 1), 0);
    assert_int_equal(pthread_create(&f->th, NULL, f_main, f), 0);
}

static void f_stop(fake_t *f)
{
    pthread_join(f->th, NULL);
    close(f->lfd);
    unlink(f->path);
}

static uint8_t s_img[5000];

static wbtool_upload_cfg_t prv_cfg(void)
{
    for (size_t i = 0; i < sizeof(s_img); i++) {
        s_img[i] = (uint8_t)(i * 31u + 7u);
    }
    wbtool_upload_cfg_t c = {0};
    c.image = s_img;
    c.len = sizeof(s_img);
    c.target = 0x08007000u;
    c.name = "HELLO-v1";
    c.expect_name = "HELLO-v2";
    c.erase_first_page = 7;
    c.erase_pages = 2;
    c.scan_ms = 1000u;
    c.result_timeout_ms = 2000u;
    c.mtu = 251u;
    return c;
}

static void prv_run(fake_t *f, const wbtool_upload_cfg_t *c, wbtool_upload_result_t *res)
{
    f_start(f);
    wbtool_transport_t t;
    wbota_err_t err = wbtool_transport_emu_open(&t, f->path, 5000u, NULL, NULL);
    if (err != WBOTA_OK) {
        fail_msg("open: %s", t.msg);
    }
    wbtool_upload_run(&t, c, res);
    t.close(t.ctx);
    f_stop(f);
}

/* An upload with prv_cfg() against the fake device f. */
static wbtool_upload_result_t prv_run_default(fake_t *f)
{
    wbtool_upload_cfg_t c = prv_cfg();
    wbtool_upload_result_t res;
    prv_run(f, &c, &res);
    return res;
}

static void test_upload_full_sequence_succeeds(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_APP, .verdict = 0x01};
    wbtool_upload_result_t res = prv_run_default(&f);
    if (res.err != WBOTA_OK) {
        fail_msg("upload failed: %s", res.msg);
    }
    assert_true(f.got_reboot);
    assert_memory_equal(f.reboot_req, "\x01\x07\x02", 3);
    assert_int_equal(f.cccd_handle, 0x24); /* FE23 value handle + 1 */
    assert_memory_equal(f.cccd, "\x02\x00", 2);
    assert_int_equal(f.start_len, 4);
    assert_memory_equal(f.start, "\x02\x00\x70\x00", 4);
    assert_int_equal(f.data_len, sizeof(s_img));
    assert_memory_equal(f.data, s_img, sizeof(s_img));
    /* MTU 251 with DLE (LL 251): 244-byte chunks, 251 bytes of L2CAP = one LL packet each */
    assert_int_equal(f.max_chunk, 244);
    assert_int_equal(f.chunks, (sizeof(s_img) + 243u) / 244u);
    assert_int_equal(res.chunk, 244);
    assert_true(f.got_finish);
    assert_true(f.confirmed);
    assert_true(res.accepted);
    assert_true(res.confirmed);
    assert_int_equal(res.mtu, 251);
    assert_memory_equal(res.loader_addr, s_ldr_addr, 6);
    free(f.data);
}

static void test_upload_small_mtu_uses_mtu_minus_3(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_LOADER, .verdict = 0x01};
    wbtool_upload_cfg_t c = prv_cfg();
    c.loader_only = true;
    c.mtu = 23u;
    c.expect_name = NULL;
    wbtool_upload_result_t res;
    prv_run(&f, &c, &res);
    assert_int_equal(res.err, WBOTA_OK);
    assert_false(f.got_reboot);
    assert_int_equal(f.max_chunk, 20);
    assert_int_equal(f.data_len, sizeof(s_img));
    free(f.data);
}

/* Image bytes per LL packet: chunk / ceil((chunk + 4 L2CAP + 3 ATT) / LL payload). */
static void test_upload_best_chunk_fills_ll_packets(void **state)
{
    (void)state;
    assert_int_equal(wbtool_upload_best_chunk(251u, 251u), 244u); /* 1 packet, not 248 in 2 */
    assert_int_equal(wbtool_upload_best_chunk(247u, 251u), 244u);
    assert_int_equal(wbtool_upload_best_chunk(185u, 251u), 182u);
    assert_int_equal(wbtool_upload_best_chunk(23u, 251u), 20u);
    assert_int_equal(wbtool_upload_best_chunk(23u, 27u), 20u);
    /* no DLE: 27-byte packets; 236 + 7 = 9 x 27 beats 244 + 7 (10 packets) */
    assert_int_equal(wbtool_upload_best_chunk(251u, 27u), 236u);
}

static void test_upload_address_big_endian_for_other_base(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_LOADER, .verdict = 0x01};
    wbtool_upload_cfg_t c = prv_cfg();
    c.loader_only = true;
    c.wireless = true;
    c.target = 0x080AB000u;
    wbtool_upload_result_t res;
    prv_run(&f, &c, &res);
    assert_int_equal(res.err, WBOTA_OK);
    assert_memory_equal(f.start, "\x01\x0A\xB0\x00", 4);
    free(f.data);
}

static void test_upload_rejected_reports_code_in_words(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_APP, .verdict = 0x8F}; /* 0x80 | 15 = E_HASH (docs/reason-codes.md) */
    wbtool_upload_result_t res = prv_run_default(&f);
    assert_int_equal(res.err, WBOTA_E_REJECTED);
    assert_int_equal(res.device_code, WBOTA_E_HASH);
    assert_false(res.accepted);
    assert_non_null(strstr(res.msg, "E_HASH"));
    free(f.data);
}

static void test_upload_link_lost_mid_stream_reported(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_LOADER, .verdict = 0x01, .drop_after = 5};
    wbtool_upload_cfg_t c = prv_cfg();
    c.loader_only = true;
    wbtool_upload_result_t res;
    prv_run(&f, &c, &res);
    assert_int_equal(res.err, WBOTA_E_LINK_LOST);
    assert_false(res.accepted);
    assert_false(f.got_finish);
    assert_non_null(strstr(res.msg, "link lost"));
    free(f.data);
}

/* An upload against f ends in E_LOADER_ABSENT with a message that says both words. */
static void prv_loader_absent_says(fake_t *f, const char *words1, const char *words2)
{
    wbtool_upload_result_t res = prv_run_default(f);
    assert_int_equal(res.err, WBOTA_E_LOADER_ABSENT);
    assert_non_null(strstr(res.msg, words1));
    assert_non_null(strstr(res.msg, words2));
    free(f->data);
}

static void test_upload_loader_gives_up_diagnosed(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_APP, .verdict = 0x01, .never_loader = true};
    /* distinct from "application not found": the device took the reboot request */
    prv_loader_absent_says(&f, "advertising again", "E_RFWKP_TRAP");
}

static void test_upload_loader_never_appears_not_found(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_APP, .verdict = 0x01, .silent = true};
    prv_loader_absent_says(&f, "loader not found", "00:80:E1:11:22:34");
}

static void test_upload_unknown_app_name_not_found(void **state)
{
    (void)state;
    fake_t f = {.mode = MODE_APP, .verdict = 0x01};
    wbtool_upload_cfg_t c = prv_cfg();
    c.name = "NOBODY";
    wbtool_upload_result_t res;
    prv_run(&f, &c, &res);
    assert_int_equal(res.err, WBOTA_E_NOT_FOUND);
    assert_false(f.got_reboot);
    free(f.data);
}

static void test_transport_connection_refused_is_clear(void **state)
{
    (void)state;
    /* a TCP port nobody listens on: bind, learn the port, close */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7F000001u)};
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    socklen_t sl = sizeof(sa);
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    close(s);
    char where[64];
    snprintf(where, sizeof(where), "127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
    wbtool_transport_t t;
    assert_int_equal(wbtool_transport_emu_open(&t, where, 1000u, NULL, NULL), WBOTA_E_IO);
    assert_non_null(strstr(t.msg, "cannot connect"));
    assert_non_null(strstr(t.msg, "refused"));
    assert_int_equal(wbtool_transport_emu_open(&t, "/nonexistent/wbota.sock", 1000u, NULL, NULL),
                     WBOTA_E_IO);
    assert_non_null(strstr(t.msg, "/nonexistent/wbota.sock"));
}

static void test_bdaddr_parse(void **state)
{
    (void)state;
    /* socket addresses: tests/wire/test_wire.c (one table through the one parser) */
    uint8_t a[6];
    assert_true(wbtool_parse_bdaddr("00:80:E1:11:22:33", a));
    assert_memory_equal(a, s_app_addr, 6);
    assert_false(wbtool_parse_bdaddr("00:80:E1:11:22", a));
    assert_false(wbtool_parse_bdaddr("00:80:E1:11:22:33:44", a));
}

static void test_adv_parsing(void **state)
{
    (void)state;
    static const uint8_t ad[] = {2,    0x01, 0x06, 8, 0x09, 'S', 'T', 'M', '_', 'O', 'T', 'A', 0x0D,
                                 0xFF, 0x01, 0x86, 0, 0,    0,   0,   1,   2,   3,   4,   5,   6};
    char name[32];
    assert_true(wbtool_adv_name(ad, sizeof(ad), name, sizeof(name)));
    assert_string_equal(name, "STM_OTA");
    assert_true(wbtool_adv_is_st_loader(ad, sizeof(ad)));
    assert_false(wbtool_adv_is_st_loader(ad, 12));
    /* a length byte running past the data is not followed */
    static const uint8_t bad[] = {2, 0x01, 0x06, 40, 0x09, 'X'};
    assert_false(wbtool_adv_name(bad, sizeof(bad), name, sizeof(name)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upload_full_sequence_succeeds),
        cmocka_unit_test(test_upload_small_mtu_uses_mtu_minus_3),
        cmocka_unit_test(test_upload_best_chunk_fills_ll_packets),
        cmocka_unit_test(test_upload_address_big_endian_for_other_base),
        cmocka_unit_test(test_upload_rejected_reports_code_in_words),
        cmocka_unit_test(test_upload_link_lost_mid_stream_reported),
        cmocka_unit_test(test_upload_loader_gives_up_diagnosed),
        cmocka_unit_test(test_upload_loader_never_appears_not_found),
        cmocka_unit_test(test_upload_unknown_app_name_not_found),
        cmocka_unit_test(test_transport_connection_refused_is_clear),
        cmocka_unit_test(test_bdaddr_parse),
        cmocka_unit_test(test_adv_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
