/* Host test of the loader's radio side (firmware/loader/ota_service.c) together with the real
 * BLE layer (ble.c, ble_pack.c), SHCI (shci.c, shci_pack.c), the core OTA engine and the flash
 * model. Fakes stand in for what touches hardware: the CPU2 transport (wb/cpu2.h: commands are
 * logged and answered like CPU2 does, events are scripted on a simulated clock), time, reset and
 * the flash driver. Checks the ST-visible behaviour: command sequence, GATT layout, advertising,
 * erase before advertising, the upload through fragmented attribute-modified events, the FE23
 * indication, the reboot mailbox, the stall disconnect and re-advertising. The code under test
 * comes from the library wbota_loader_host (tests/CMakeLists.txt; seams: ota_host.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ota_host.h"
#include "ota_service.h"
#include "wb/clock.h"
#include "test_image.h"
#include "wb/ble.h"
#include "wb/cpu2.h"
#include "wb/flash.h"
#include "wb/reset.h"
#include "wb/shci.h"
#include "wb/time.h"
#include "wb/tl.h"
#include "wbota/bytes.h"
#include "wbota/flash_model.h"

/* the boot mailbox and UID64 of the host build (ota_host.h) */
uint8_t wb_ota_host_mailbox[WBOTA_MAILBOX_LEN];
const uint32_t wb_ota_host_uid64[2] = {0x1234ABCDu, 0x0080E126u};

/* ---------------- fakes ---------------- */

#define OP_ERASE    0xEEEEu /* pseudo opcode: a page erase, logged in command order */
#define OP_VERDICT  0xEEEDu /* pseudo opcode: st mode's verdict zeroed (st_verdict.h) */
#define OP_KEEP     0xEEECu /* pseudo opcode: st mode's verdict recorded (st_verdict.h) */
#define MAX_CMDS    2048u
#define MAX_EVTS    64u
#define EXIT_IDLE   1
#define EXIT_RESET  2
#define SVC_HANDLE  0x000Cu /* first handle the fake hands out for a service */
#define FE22_VALUE  0x000Eu /* characteristic handles advance by 3: 0x0D, 0x10, 0x13 */
#define FE23_CHAR   0x0010u
#define FE24_VALUE  0x0014u
#define CONN_HANDLE 0x0801u

typedef struct {
    uint16_t opcode;
    uint8_t p[256];
    size_t plen;
    uint32_t at;
} cmd_rec_t;

typedef struct {
    uint32_t at;
    uint8_t b[3u + 255u];
} evt_rec_t;

static struct {
    uint32_t now;
    cmd_rec_t cmds[MAX_CMDS];
    size_t ncmds;
    bool ble_init_mute;
    uint32_t adv_refuse; /* bit n set: the n-th set_discoverable (from 0) is refused */
    unsigned adv_calls;
    uint16_t next_handle;
    evt_rec_t evts[MAX_EVTS];
    size_t ev_head, ev_n;
    uint8_t ev_buf[WB_TL_BUF_LEN];
    uint32_t exit_at;
    jmp_buf env;
    uint8_t reset_mailbox[3];
    uint32_t reset_at; /* fake clock at the last wb_system_reset */
    void (*erase_cb)(bool on);
    void (*idle_hook)(void);
    unsigned boosts, restores; /* wb_clock_run_boost / _restore calls */
    bool boosted;
} s_fake;

static wbota_flash_model_t s_fm;
static uint32_t s_fm_ops_at_start; /* flash model operations before the service ran */

static void prv_log(uint16_t opcode, const uint8_t *p, size_t plen)
{
    assert_true(s_fake.ncmds < MAX_CMDS);
    cmd_rec_t *c = &s_fake.cmds[s_fake.ncmds++];
    c->opcode = opcode;
    c->plen = plen;
    c->at = s_fake.now;
    if (plen > 0u) {
        memcpy(c->p, p, plen);
    }
}

static void prv_push_evt(uint32_t at, const uint8_t *b, size_t n)
{
    assert_true(s_fake.ev_n < MAX_EVTS && n <= sizeof(s_fake.evts[0].b));
    evt_rec_t *e = &s_fake.evts[(s_fake.ev_head + s_fake.ev_n) % MAX_EVTS];
    e->at = at;
    memcpy(e->b, b, n);
    s_fake.ev_n++;
}

wbota_err_t wb_cpu2_start(uint32_t ready_ms)
{
    (void)ready_ms;
    return WBOTA_OK;
}
wb_cpu2_state_t wb_cpu2_state(void)
{
    return WB_CPU2_RUN_WS;
}
void wb_cpu2_expect_restart(void)
{
}
wbota_err_t wb_cpu2_wait_ready(uint32_t ms)
{
    (void)ms;
    return WBOTA_OK;
}
void wb_cpu2_poll(void)
{
}

wbota_err_t wb_cpu2_sys_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *rsp,
                            size_t cap, size_t *rsp_len, uint32_t ms)
{
    (void)ms;
    prv_log(opcode, params, plen);
    if (opcode == WB_SHCI_BLE_INIT && s_fake.ble_init_mute) {
        return WBOTA_E_CPU2_NO_RESPONSE; /* the RF wake-up trap: BLE_INIT never answers */
    }
    assert_true(cap >= 1u);
    rsp[0] = 0u;
    *rsp_len = 1u;
    return WBOTA_OK;
}

wbota_err_t wb_cpu2_ble_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *rsp,
                            size_t cap, size_t *rsp_len, uint32_t ms)
{
    (void)ms;
    prv_log(opcode, params, plen);
    uint8_t r[8] = {0};
    size_t n = 1u;
    if (opcode == WB_ACI_GAP_INIT) {
        const uint8_t h[6] = {0x05, 0x00, 0x06, 0x00, 0x08, 0x00};
        memcpy(&r[1], h, 6);
        n = 7u;
    } else if (opcode == WB_ACI_GATT_ADD_SERVICE || opcode == WB_ACI_GATT_ADD_CHAR) {
        r[1] = (uint8_t)s_fake.next_handle;
        r[2] = (uint8_t)(s_fake.next_handle >> 8);
        s_fake.next_handle =
            (uint16_t)(s_fake.next_handle + (opcode == WB_ACI_GATT_ADD_CHAR ? 3u : 1u));
        n = 3u;
    } else if (opcode == WB_ACI_GAP_SET_DISCOVERABLE &&
               ((s_fake.adv_refuse >> (s_fake.adv_calls++ & 31u)) & 1u) != 0u) {
        r[0] = 0x0Cu; /* HCI "command disallowed" */
    } else if (opcode == WB_HCI_DISCONNECT) {
        /* CPU2: command status, then the disconnection complete event */
        const uint8_t ev[] = {
            0x04, 0x05, 0x04, 0x00, (uint8_t)CONN_HANDLE, (uint8_t)(CONN_HANDLE >> 8), 0x16};
        prv_push_evt(s_fake.now, ev, sizeof(ev));
    }
    n = n < cap ? n : cap;
    memcpy(rsp, r, n);
    *rsp_len = n;
    return WBOTA_OK;
}

bool wb_cpu2_ble_evt_get(wb_tl_evt_t *evt)
{
    if (s_fake.ev_n == 0u || s_fake.evts[s_fake.ev_head].at > s_fake.now) {
        return false;
    }
    memcpy(s_fake.ev_buf, s_fake.evts[s_fake.ev_head].b, sizeof(s_fake.evts[0].b));
    return wb_tl_evt_decode(s_fake.ev_buf, sizeof(s_fake.ev_buf), evt);
}

void wb_cpu2_ble_evt_done(void)
{
    assert_true(s_fake.ev_n > 0u);
    s_fake.ev_head = (s_fake.ev_head + 1u) % MAX_EVTS;
    s_fake.ev_n--;
}

void wb_cpu2_idle(void)
{
    s_fake.now++;
    if (s_fake.idle_hook != NULL) {
        s_fake.idle_hook();
    }
    if (s_fake.now >= s_fake.exit_at) {
        longjmp(s_fake.env, EXIT_IDLE);
    }
}

uint32_t wb_time_ms(void)
{
    return s_fake.now;
}

bool wb_clock_run_boost(void)
{
    s_fake.boosts++;
    s_fake.boosted = true;
    return true;
}

void wb_clock_run_restore(void)
{
    s_fake.restores++;
    s_fake.boosted = false;
}

void wb_system_reset(void)
{
    memcpy(s_fake.reset_mailbox, wb_ota_host_mailbox, 3);
    s_fake.reset_at = s_fake.now;
    longjmp(s_fake.env, EXIT_RESET);
}

wbota_err_t wb_flash_erase_page(uint32_t page)
{
    uint8_t p = (uint8_t)page;
    prv_log(OP_ERASE, &p, 1u);
    return wbota_fm_erase_page(&s_fm, page);
}

/* st mode's verify-once verdict (firmware/loader/st_verdict.h): logged with the flash model's
 * operation count at the call, so a test sees whether any flash write came before it. */
void wb_st_verdict_invalidate(void)
{
    const uint8_t ops = (uint8_t)(s_fm.op_count > 255u ? 255u : s_fm.op_count);
    prv_log(OP_VERDICT, &ops, 1u);
}

/* logs the image id's magic address (u32 LE) and its digest's first byte */
void wb_st_verdict_record(const wbota_rec_image_t *id)
{
    uint8_t b[5];
    wbota_put_le32(b, id->magic_addr);
    b[4] = id->digest[0];
    prv_log(OP_KEEP, b, sizeof b);
}

void wb_flash_set_erase_activity_cb(void (*cb)(bool on))
{
    s_fake.erase_cb = cb;
}

wbota_ota_flash_t wb_flash_ota_port(void)
{
    return wbota_fm_ota_port(&s_fm);
}

/* CPU2 never holds Sem 7 here (wb_flash_cpu2_holds_sem7), so the flash queue never waits for
 * a predicted connection event: the millisecond clock is enough. */
uint32_t wb_time_us(void)
{
    return s_fake.now * 1000u;
}

wbota_err_t wb_flash_burst_begin(void)
{
    return WBOTA_OK;
}

void wb_flash_burst_end(void)
{
}

wbota_err_t wb_flash_burst_program_dw(uint32_t addr, const uint8_t dw[8])
{
    wbota_ota_flash_t f = wbota_fm_ota_port(&s_fm);
    return f.program_dw_cb(f.ctx, addr, dw);
}

bool wb_flash_cpu2_holds_sem7(void)
{
    return false;
}

wbota_err_t wb_flash_read(uint32_t addr, uint8_t *buf, uint32_t len)
{
    wbota_ota_flash_t f = wbota_fm_ota_port(&s_fm);
    return f.read_cb(f.ctx, addr, buf, len);
}

bool wb_flash_page_is_blank(uint32_t page)
{
    uint8_t b[WBOTA_PAGE_SIZE];
    if (wb_flash_read(wbota_page_addr(page), b, WBOTA_PAGE_SIZE) != WBOTA_OK) {
        return false;
    }
    for (uint32_t i = 0u; i < WBOTA_PAGE_SIZE; i++) {
        if (b[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

/* ---------------- helpers ---------------- */

static wb_loader_radio_cfg_t s_rcfg;

static int prv_setup(void **state)
{
    (void)state;
    memset(&s_fake, 0, sizeof(s_fake));
    memset(wb_ota_host_mailbox, 0xAA, sizeof(wb_ota_host_mailbox));
    s_fake.next_handle = SVC_HANDLE;
    s_fake.exit_at = 100u;
    wbota_fm_init(&s_fm, 0xCBu);
    memset(&s_rcfg, 0, sizeof(s_rcfg));
    s_rcfg.layout = wbota_layout_default(0xCBu);
    s_rcfg.policy = WBOTA_POLICY_ST;
    s_rcfg.erase.first_page = 7u;
    s_rcfg.erase.page_count = 3u;
    s_rcfg.mailbox_mode = WBOTA_MODE_LOADER;
    s_rcfg.rfwkp_in_force = WB_RFWKP_SRC_LSE;
    return 0;
}

/* Runs the service until the fake clock reaches exit_at (EXIT_IDLE) or it resets
 * (EXIT_RESET); returns 0 with *err set when it returned by itself. */
static int prv_run(wbota_err_t *err)
{
    int how = setjmp(s_fake.env);
    if (how == 0) {
        s_fm_ops_at_start = s_fm.op_count;
        *err = wb_loader_radio_run(&s_rcfg);
    }
    return how;
}

static const cmd_rec_t *prv_find(uint16_t opcode, size_t nth)
{
    for (size_t i = 0; i < s_fake.ncmds; i++) {
        if (s_fake.cmds[i].opcode == opcode && nth-- == 0u) {
            return &s_fake.cmds[i];
        }
    }
    return NULL;
}

static size_t prv_index(const cmd_rec_t *c)
{
    return (size_t)(c - s_fake.cmds);
}

static size_t prv_count(uint16_t opcode)
{
    size_t n = 0;
    for (size_t i = 0; i < s_fake.ncmds; i++) {
        n += s_fake.cmds[i].opcode == opcode;
    }
    return n;
}

static void prv_evt_connect(uint32_t at)
{
    uint8_t ev[3 + 19] = {
        0x04, 0x3E, 19, 0x01, 0x00, (uint8_t)CONN_HANDLE, (uint8_t)(CONN_HANDLE >> 8), 0x01};
    prv_push_evt(at, ev, sizeof(ev));
}

/* One write as CPU2 reports it: attribute-modified events of at most 245 data bytes, the
 * offset's bit 15 set while more fragments follow. */
static void prv_evt_write(uint32_t at, uint16_t handle, const uint8_t *d, size_t len)
{
    size_t off = 0;
    do {
        size_t n = len - off > 245u ? 245u : len - off;
        uint16_t o = (uint16_t)(off | ((off + n < len) ? 0x8000u : 0u));
        uint8_t ev[3 + 10 + 245];
        ev[0] = 0x04;
        ev[1] = 0xFF;
        ev[2] = (uint8_t)(10u + n);
        ev[3] = 0x01;
        ev[4] = 0x0C;
        ev[5] = (uint8_t)CONN_HANDLE;
        ev[6] = (uint8_t)(CONN_HANDLE >> 8);
        ev[7] = (uint8_t)handle;
        ev[8] = (uint8_t)(handle >> 8);
        ev[9] = (uint8_t)o;
        ev[10] = (uint8_t)(o >> 8);
        ev[11] = (uint8_t)n;
        ev[12] = (uint8_t)(n >> 8);
        memcpy(&ev[13], d + off, n);
        prv_push_evt(at, ev, 13u + n);
        off += n;
    } while (off < len);
}

static void prv_evt_confirm(uint32_t at)
{
    const uint8_t ev[] = {
        0x04, 0xFF, 0x04, 0x17, 0x0C, (uint8_t)CONN_HANDLE, (uint8_t)(CONN_HANDLE >> 8)};
    prv_push_evt(at, ev, sizeof(ev));
}

/* ---------------- tests ---------------- */

static void test_ota_service_bringup_st_sequence_and_gatt(void **state)
{
    (void)state;
    wbota_err_t err = WBOTA_OK;
    /* pages 7 and 9 read erased, page 8 holds data at its last double word */
    static const uint8_t old_dw[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(wbota_fm_program_dw(&s_fm, wbota_page_addr(9u) - 8u, old_dw), WBOTA_OK);
    assert_int_equal(prv_run(&err), EXIT_IDLE);

    const cmd_rec_t *c = prv_find(WB_SHCI_BLE_INIT, 0);
    assert_non_null(c);
    assert_int_equal(prv_index(c), 0);
    assert_int_equal(c->plen, 55);
    assert_int_equal(c->p[23], 0x00);                  /* LsSource: LSE */
    assert_int_equal(c->p[18] | (c->p[19] << 8), 251); /* ATT MTU */
    assert_int_equal(c->p[15], 1);                     /* data length extension */
    c = prv_find(WB_SHCI_SET_FLASH_ACTIVITY_CONTROL, 0);
    assert_non_null(c);
    assert_int_equal(c->p[0], 0x01); /* Sem 7 */
    assert_ptr_equal(s_fake.erase_cb, wb_shci_erase_activity_cb);

    /* public address = app address + 1, LSB first */
    c = prv_find(WB_ACI_HAL_WRITE_CONFIG_DATA, 0);
    assert_non_null(c);
    const uint8_t addr[8] = {0x00, 0x06, 0xCE, 0xAB, 0x26, 0xE1, 0x80, 0x00};
    assert_int_equal(c->plen, 8);
    assert_memory_equal(c->p, addr, 8);
    assert_true(prv_index(prv_find(WB_HCI_RESET, 0)) < prv_index(c));
    assert_true(prv_index(prv_find(WB_ACI_GATT_INIT, 0)) < prv_index(prv_find(WB_ACI_GAP_INIT, 0)));

    /* service FE20, 8 records, primary */
    c = prv_find(WB_ACI_GATT_ADD_SERVICE, 0);
    assert_non_null(c);
    const uint8_t fe20[16] = {0x8f, 0xe5, 0xb3, 0xd5, 0x2e, 0x7f, 0x4a, 0x98,
                              0x2a, 0x48, 0x7a, 0xcc, 0x20, 0xfe, 0x00, 0x00};
    assert_int_equal(c->plen, 19);
    assert_int_equal(c->p[0], 2);
    assert_memory_equal(&c->p[1], fe20, 16);
    assert_int_equal(c->p[17], 0x01);
    assert_int_equal(c->p[18], 8);

    /* FE22: write w/o rsp, 1..5 bytes (docs/protocol.md), variable; FE23: indicate, 1; FE24: write
     * w/o rsp, 248, variable */
    const struct {
        uint8_t id, len, props, var;
    } chars[3] = {{0x22, 5, 0x04, 1}, {0x23, 1, 0x20, 0}, {0x24, 248, 0x04, 1}};
    for (size_t i = 0; i < 3; i++) {
        c = prv_find(WB_ACI_GATT_ADD_CHAR, i);
        assert_non_null(c);
        assert_int_equal(c->p[0] | (c->p[1] << 8), SVC_HANDLE);
        assert_int_equal(c->p[2], 2);
        assert_int_equal(c->p[3], 0x19); /* ...ed19: the 8e22 family, LSB first */
        assert_int_equal(c->p[15], chars[i].id);
        assert_int_equal(c->p[16], 0xfe);
        assert_int_equal(c->p[19] | (c->p[20] << 8), chars[i].len);
        assert_int_equal(c->p[21], chars[i].props);
        assert_int_equal(c->p[23], WB_GATT_NOTIFY_ATTR_WRITE);
        assert_int_equal(c->p[25], chars[i].var);
    }

    /* erase plan pages 7, 8, 9 before advertising starts: only page 8 is not blank */
    const cmd_rec_t *adv = prv_find(WB_ACI_GAP_SET_DISCOVERABLE, 0);
    assert_non_null(adv);
    assert_int_equal(prv_count(OP_ERASE), 1);
    c = prv_find(OP_ERASE, 0);
    assert_int_equal(c->p[0], 8);
    assert_true(prv_index(c) < prv_index(adv));
    /* st mode: the verify-once verdict is zeroed before that erase, with no flash op before */
    const cmd_rec_t *v = prv_find(OP_VERDICT, 0);
    assert_non_null(v);
    assert_true(prv_index(v) < prv_index(c));
    assert_int_equal(v->p[0], s_fm_ops_at_start);
    assert_int_equal(adv->p[1] | (adv->p[2] << 8), 0x80);
    assert_int_equal(adv->p[3] | (adv->p[4] << 8), 0xA0);
    assert_int_equal(adv->p[7], 8);
    assert_int_equal(adv->p[8], 0x09);
    assert_memory_equal(&adv->p[9], "STM_OTA", 7);

    c = prv_find(WB_ACI_GAP_UPDATE_ADV_DATA, 0);
    assert_non_null(c);
    const uint8_t manuf[15] = {14,   0x0D, 0xFF, 0x01, 0x86, 0x00, 0x00, 0x00,
                               0x00, 0x00, 0x80, 0xE1, 0x26, 0xAB, 0xCE};
    assert_int_equal(c->plen, 15);
    assert_memory_equal(c->p, manuf, 15);
    assert_true(prv_index(c) > prv_index(adv));

    /* the scan response (docs/protocol.md#loader-adv): HCI LE Set Scan Response Data with its
     * fixed 32-byte parameter, after the advertising data; ST's 12 bytes again, then format 1,
     * st mode / st policy, version 0.1.0 (the host build's default), waiting, no reasons, app
     * counter unknown, reverted from none; unused bytes zero */
    const cmd_rec_t *sr = prv_find(WB_HCI_LE_SET_SCAN_RSP_DATA, 0);
    assert_non_null(sr);
    const uint8_t want_sr[32] = {31,   0x1E, 0xFF, 0x01, 0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
                                 0xE1, 0x26, 0xAB, 0xCE, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00};
    assert_int_equal(sr->plen, 32);
    assert_memory_equal(sr->p, want_sr, 32);
    assert_true(prv_index(sr) > prv_index(c));
}

static void test_ota_service_hse_clock_ls_source_bit2(void **state)
{
    (void)state;
    s_rcfg.rfwkp_in_force = WB_RFWKP_SRC_HSE1024;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    const cmd_rec_t *c = prv_find(WB_SHCI_BLE_INIT, 0);
    assert_non_null(c);
    assert_int_equal(c->p[23], 0x04);
}

/* The service returned by itself (0) with this reason. */
static void prv_run_returns(wbota_err_t want)
{
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), 0);
    assert_int_equal(err, want);
}

static void test_ota_service_ble_init_unanswered_returns_reason_erases_nothing(void **state)
{
    (void)state;
    s_fake.ble_init_mute = true;
    prv_run_returns(WBOTA_E_CPU2_NO_RESPONSE);
    assert_int_equal(prv_count(OP_ERASE), 0);
    assert_int_equal(prv_count(WB_ACI_GAP_SET_DISCOVERABLE), 0);
}

static void test_ota_service_bad_cfg_rejected(void **state)
{
    (void)state;
    s_rcfg.mailbox_mode = WBOTA_MODE_APP;
    prv_run_returns(WBOTA_E_ARG);
    assert_int_equal(s_fake.ncmds, 0);
}

static uint8_t s_img[16384];

static void test_ota_service_upload_indicates_and_reboots_into_app(void **state)
{
    (void)state;
    test_image_params_t ip = test_image_defaults();
    ip.body_len = 3000u;
    uint32_t h = 0u, m = 0u;
    size_t len = test_image_build(&ip, s_img, sizeof(s_img), &h, &m);
    assert_true(len > 0u);

    uint32_t t = 300u;            /* after bring-up and the erase plan */
    s_rcfg.erase.page_count = 0u; /* the app region is blank: no erase, only programs */
    prv_evt_connect(t++);
    const uint8_t start[4] = {0x02, 0x00, 0x70, 0x00};
    prv_evt_write(t++, FE22_VALUE, start, sizeof(start));
    for (size_t off = 0; off < len; off += 248u) {
        size_t n = len - off > 248u ? 248u : len - off;
        prv_evt_write(t, FE24_VALUE, &s_img[off], n);
        if (off % (248u * 8u) == 0u) {
            t++;
        }
    }
    const uint8_t fin = 0x07;
    prv_evt_write(t + 1u, FE22_VALUE, &fin, 1u);
    prv_evt_confirm(t + 20u);
    s_fake.exit_at = t + 1000u;

    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_RESET);

    /* FE23 updated with 0x01 (success) before the reboot, and the reboot targets the app */
    const cmd_rec_t *c = prv_find(WB_ACI_GATT_UPDATE_CHAR_VALUE, 1); /* 0: device name */
    assert_non_null(c);
    const uint8_t upd[7] = {(uint8_t)SVC_HANDLE, 0x00, (uint8_t)FE23_CHAR, 0x00, 0x00, 0x01, 0x01};
    assert_int_equal(c->plen, 7);
    assert_memory_equal(c->p, upd, 7);
    assert_true(c->at >= t + 1u && c->at < t + 20u);
    const uint8_t mb[3] = {0x00, 0x07, 0x00};
    assert_memory_equal(s_fake.reset_mailbox, mb, 3);
    /* the check at "finished" ran at the raised clock, which is back before the reboot */
    assert_int_equal(s_fake.boosts, 1u);
    assert_int_equal(s_fake.restores, 1u);
    assert_false(s_fake.boosted);
    /* st mode: the first program into a blank app region zeroes the verdict before it reaches
     * the flash (a run of 0xFF inside a verified image is programmable without an erase) */
    assert_int_equal(prv_count(OP_ERASE), 0);
    const cmd_rec_t *v = prv_find(OP_VERDICT, 0);
    assert_non_null(v);
    assert_int_equal(v->p[0], s_fm_ops_at_start);
    /* the engine's full check becomes the verdict, bound to the image that arrived: its magic
     * is the last word of the image, its digest the manifest's SHA-256 TLV */
    const cmd_rec_t *k = prv_find(OP_KEEP, 0);
    assert_non_null(k);
    assert_int_equal(prv_count(OP_KEEP), 1);
    assert_int_equal(wbota_get_le32(k->p), m);
    assert_int_equal(m, 0x08007000u + (uint32_t)len - 4u);
    uint8_t digest[WBOTA_SHA256_LEN];
    wbota_sha256(s_img, h - 0x08007000u, digest);
    assert_int_equal(k->p[4], digest[0]);
    /* the app region holds exactly the image */
    uint8_t back[16384];
    assert_int_equal(wbota_fm_read(&s_fm, 0x08007000u, back, (uint32_t)len), WBOTA_OK);
    assert_memory_equal(back, s_img, len);
    /* data length extension requested on the connection */
    c = prv_find(WB_HCI_LE_SET_DATA_LENGTH, 0);
    assert_non_null(c);
    assert_int_equal(c->p[2] | (c->p[3] << 8), 251);
}

static void test_ota_service_unconfirmed_finish_reboots_after_stall(void **state)
{
    (void)state;
    test_image_params_t ip = test_image_defaults();
    size_t len = test_image_build(&ip, s_img, sizeof(s_img), NULL, NULL);
    assert_true(len > 0u);
    prv_evt_connect(300u);
    const uint8_t start[4] = {0x02, 0x00, 0x70, 0x00};
    prv_evt_write(301u, FE22_VALUE, start, sizeof(start));
    for (size_t off = 0; off < len; off += 244u) {
        size_t n = len - off > 244u ? 244u : len - off;
        prv_evt_write(302u, FE24_VALUE, &s_img[off], n);
    }
    const uint8_t fin = 0x07;
    prv_evt_write(303u, FE22_VALUE, &fin, 1u);
    /* the client never confirms the indication and never disconnects */
    s_fake.exit_at = 303u + WBOTA_CFG_LINK_STALL_MS + 100u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_RESET);
    const cmd_rec_t *c = prv_find(WB_HCI_DISCONNECT, 0);
    assert_non_null(c);
    assert_int_equal(c->at, 303u + WBOTA_CFG_LINK_STALL_MS);
    const uint8_t mb[3] = {0x00, 0x07, 0x00};
    assert_memory_equal(s_fake.reset_mailbox, mb, 3);
}

static void test_ota_service_stalled_link_disconnected_and_readvertised(void **state)
{
    (void)state;
    prv_evt_connect(300u);
    const uint8_t start[4] = {0x02, 0x00, 0x70, 0x00};
    prv_evt_write(301u, FE22_VALUE, start, sizeof(start));
    prv_evt_write(302u, FE24_VALUE, s_img, 100u);
    s_fake.exit_at = 302u + WBOTA_CFG_LINK_STALL_MS + 100u;

    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    const cmd_rec_t *c = prv_find(WB_HCI_DISCONNECT, 0);
    assert_non_null(c); /* the stall fired */
    assert_int_equal(c->at, 302u + WBOTA_CFG_LINK_STALL_MS);
    assert_int_equal(c->p[0] | (c->p[1] << 8), CONN_HANDLE);
    assert_int_equal(prv_count(WB_HCI_DISCONNECT), 1);
    /* advertising again after the disconnection */
    assert_int_equal(prv_count(WB_ACI_GAP_SET_DISCOVERABLE), 2);
    assert_true(prv_index(prv_find(WB_ACI_GAP_SET_DISCOVERABLE, 1)) > prv_index(c));
}

/* Advertising refused after a disconnection: retried a bounded number of times, then the
 * service gives up with the reason instead of sitting there invisible. */
static void test_ota_service_failed_readvertise_retried_then_gives_up(void **state)
{
    (void)state;
    s_fake.adv_refuse = ~1u; /* the first advertising (start-up) works, every later one not */
    prv_evt_connect(300u);
    const uint8_t disc[] = {
        0x04, 0x05, 0x04, 0x00, (uint8_t)CONN_HANDLE, (uint8_t)(CONN_HANDLE >> 8), 0x13};
    prv_push_evt(400u, disc, sizeof(disc));
    s_fake.exit_at = 400u + 100000u;

    prv_run_returns(WBOTA_E_CPU2_CMD); /* long before exit_at */
    /* 1 at start-up + 5 attempts after the disconnection, 200 ms apart */
    assert_int_equal(prv_count(WB_ACI_GAP_SET_DISCOVERABLE), 1 + 5);
    const cmd_rec_t *first = prv_find(WB_ACI_GAP_SET_DISCOVERABLE, 1);
    const cmd_rec_t *last = prv_find(WB_ACI_GAP_SET_DISCOVERABLE, 5);
    assert_int_equal(first->at, 400u);
    assert_int_equal(last->at, 400u + 4u * 200u);
}

/* One refused re-advertise followed by a working one: the service keeps running. */
static void test_ota_service_readvertise_recovers_after_one_refusal(void **state)
{
    (void)state;
    s_fake.adv_refuse = 1u << 1; /* only the first attempt after the disconnection */
    prv_evt_connect(300u);
    const uint8_t disc[] = {
        0x04, 0x05, 0x04, 0x00, (uint8_t)CONN_HANDLE, (uint8_t)(CONN_HANDLE >> 8), 0x13};
    prv_push_evt(400u, disc, sizeof(disc));
    s_fake.exit_at = 2000u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_int_equal(prv_count(WB_ACI_GAP_SET_DISCOVERABLE), 3);
    assert_int_equal(prv_find(WB_ACI_GAP_SET_DISCOVERABLE, 2)->at, 400u + 200u);
}

static void test_ota_service_loader_address_refused_on_fe23(void **state)
{
    (void)state;
    prv_evt_connect(300u);
    const uint8_t start[4] = {0x02, 0x00, 0x00, 0x00}; /* 0x08000000: the loader itself */
    prv_evt_write(301u, FE22_VALUE, start, sizeof(start));
    prv_evt_write(302u, FE24_VALUE, s_img, 64u);
    s_fake.exit_at = 400u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    const cmd_rec_t *c = prv_find(WB_ACI_GATT_UPDATE_CHAR_VALUE, 1);
    assert_non_null(c);
    assert_int_equal(c->p[2], (uint8_t)FE23_CHAR);
    assert_int_equal(c->p[5], 1);
    assert_int_equal(c->p[6], wbota_err_to_wire(WBOTA_E_RANGE));
    assert_int_equal(prv_count(OP_ERASE), 0); /* plan pages read blank; no loader page */
    uint8_t first[8];
    assert_int_equal(wbota_fm_read(&s_fm, 0x08000000u, first, 8), WBOTA_OK);
    const uint8_t ff[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    assert_memory_equal(first, ff, 8);
}

/* After an error verdict the link is dropped WBOTA_CFG_ERROR_DISCONNECT_MS after the indication:
 * ST's apps ignore FE23 values other than 0x01 and must see the update fail. */
static void test_ota_service_error_verdict_then_disconnect(void **state)
{
    (void)state;
    const uint8_t start[4] = {0x02, 0x00, 0x00, 0x00}; /* the loader's own page: E_RANGE */
    wbota_err_t err = WBOTA_OK;
    prv_evt_connect(300u);
    prv_evt_write(301u, FE22_VALUE, start, sizeof(start));
    s_fake.exit_at = 301u + WBOTA_CFG_ERROR_DISCONNECT_MS - 100u;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_non_null(prv_find(WB_ACI_GATT_UPDATE_CHAR_VALUE, 1)); /* the code was indicated */
    assert_int_equal(prv_count(WB_HCI_DISCONNECT), 0);
    prv_setup(NULL);
    prv_evt_connect(300u);
    prv_evt_write(301u, FE22_VALUE, start, sizeof(start));
    s_fake.exit_at = 301u + WBOTA_CFG_ERROR_DISCONNECT_MS + 100u;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_int_equal(prv_count(WB_HCI_DISCONNECT), 1);
    /* advertising again, the scan response says: error, last reason E_RANGE (wire byte -code) */
    const cmd_rec_t *sr = prv_find(WB_HCI_LE_SET_SCAN_RSP_DATA, 1);
    assert_non_null(sr);
    assert_int_equal(sr->p[1 + 2 + 12 + 6], 3); /* state 3: error */
    assert_int_equal(sr->p[1 + 2 + 12 + 7], (uint8_t)(-(int)WBOTA_E_RANGE));
}

/* A central that connects and stays silent holds the loader no longer than the stall bound,
 * whatever the session state (docs/staged.md: bounded everything). */
static void test_ota_service_idle_link_disconnected_after_stall(void **state)
{
    (void)state;
    prv_evt_connect(300u); /* connected, no upload started */
    s_fake.exit_at = 300u + WBOTA_CFG_LINK_STALL_MS - 100u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_int_equal(prv_count(WB_HCI_DISCONNECT), 0); /* not before the bound */
    prv_setup(NULL);
    prv_evt_connect(300u);
    s_fake.exit_at = 300u + WBOTA_CFG_LINK_STALL_MS + 100u;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_int_equal(prv_count(WB_HCI_DISCONNECT), 1);
}

/* The idle return (docs/protocol.md#bounds): with a valid app and no upload progress the loader
 * resets into the app WBOTA_CFG_IDLE_RETURN_MS after it started advertising; the mailbox asks
 * for the app. Returns the fake clock at that reset. */
static uint32_t prv_idle_return_at(void)
{
    prv_setup(NULL);
    s_rcfg.app_valid = true;
    s_fake.exit_at = WBOTA_CFG_IDLE_RETURN_MS + 1000u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_RESET);
    const uint8_t mb[3] = {0x00, 0x07, 0x00};
    assert_memory_equal(s_fake.reset_mailbox, mb, 3);
    assert_true(s_fake.reset_at >= WBOTA_CFG_IDLE_RETURN_MS);
    assert_true(s_fake.reset_at < WBOTA_CFG_IDLE_RETURN_MS + 300u); /* bring-up takes < 300 ms */
    return s_fake.reset_at;
}

/* An app found valid at boot but erased since (ST's reboot request erases its pages before
 * advertising; an `st` session erases as it writes) is no app to return to: the reset would
 * only come back to the loader and drop a client that connected meanwhile. */
static void test_ota_service_idle_return_only_into_an_intact_app(void **state)
{
    (void)state;
    (void)prv_idle_return_at();

    /* the reboot request's erase plan covers a programmed app page */
    prv_setup(NULL);
    s_rcfg.app_valid = true;
    const uint8_t word[8] = {0x00, 0x80, 0x03, 0x20, 0x01, 0x71, 0x00, 0x08};
    wbota_ota_flash_t f = wbota_fm_ota_port(&s_fm);
    assert_int_equal(f.program_dw_cb(f.ctx, 0x08007000u, word), WBOTA_OK);
    s_fake.exit_at = WBOTA_CFG_IDLE_RETURN_MS + 5000u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_int_equal(prv_count(OP_ERASE), 1); /* the fault: the plan erased page 7 */

    /* an `st` session that erased an app page, then a lost link */
    prv_setup(NULL);
    s_rcfg.app_valid = true;
    assert_int_equal(f.program_dw_cb(f.ctx, 0x08008000u, word), WBOTA_OK); /* page 8 */
    s_rcfg.erase.page_count = 0u;
    prv_evt_connect(300u);
    const uint8_t start[4] = {0x02, 0x00, 0x80, 0x00}; /* 0x08008000 */
    prv_evt_write(301u, FE22_VALUE, start, sizeof(start));
    prv_evt_write(302u, FE24_VALUE, s_img, 100u);
    const uint8_t disc[] = {
        0x04, 0x05, 0x04, 0x00, (uint8_t)CONN_HANDLE, (uint8_t)(CONN_HANDLE >> 8), 0x08};
    prv_push_evt(400u, disc, sizeof(disc));
    s_fake.exit_at = 400u + WBOTA_CFG_IDLE_RETURN_MS + 5000u;
    assert_int_equal(prv_run(&err), EXIT_IDLE);
    assert_int_equal(prv_count(OP_ERASE), 1); /* the session erased page 8 */
}

/* A client that connects just before the idle return is not dropped by it at once: it gets the
 * stall bound (WBOTA_CFG_LINK_STALL_MS) from its connection; silent that long, both the stall
 * disconnect and the idle return fire then. */
static void test_ota_service_connect_just_before_idle_return_gets_stall_bound(void **state)
{
    (void)state;
    const uint32_t t0 = prv_idle_return_at();
    const uint32_t conn = t0 - 50u;

    prv_setup(NULL);
    s_rcfg.app_valid = true;
    prv_evt_connect(conn);
    s_fake.exit_at = conn + WBOTA_CFG_LINK_STALL_MS - 100u;
    wbota_err_t err = WBOTA_OK;
    assert_int_equal(prv_run(&err), EXIT_IDLE); /* past t0: connected, not reset */
    assert_int_equal(prv_count(WB_HCI_DISCONNECT), 0);

    prv_setup(NULL);
    s_rcfg.app_valid = true;
    prv_evt_connect(conn);
    s_fake.exit_at = conn + WBOTA_CFG_LINK_STALL_MS + 1000u;
    assert_int_equal(prv_run(&err), EXIT_RESET);
    assert_int_equal(s_fake.reset_at, conn + WBOTA_CFG_LINK_STALL_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ota_service_bringup_st_sequence_and_gatt, prv_setup),
        cmocka_unit_test_setup(test_ota_service_hse_clock_ls_source_bit2, prv_setup),
        cmocka_unit_test_setup(test_ota_service_ble_init_unanswered_returns_reason_erases_nothing,
                               prv_setup),
        cmocka_unit_test_setup(test_ota_service_bad_cfg_rejected, prv_setup),
        cmocka_unit_test_setup(test_ota_service_upload_indicates_and_reboots_into_app, prv_setup),
        cmocka_unit_test_setup(test_ota_service_unconfirmed_finish_reboots_after_stall, prv_setup),
        cmocka_unit_test_setup(test_ota_service_failed_readvertise_retried_then_gives_up,
                               prv_setup),
        cmocka_unit_test_setup(test_ota_service_readvertise_recovers_after_one_refusal, prv_setup),
        cmocka_unit_test_setup(test_ota_service_stalled_link_disconnected_and_readvertised,
                               prv_setup),
        cmocka_unit_test_setup(test_ota_service_loader_address_refused_on_fe23, prv_setup),
        cmocka_unit_test_setup(test_ota_service_idle_link_disconnected_after_stall, prv_setup),
        cmocka_unit_test_setup(test_ota_service_error_verdict_then_disconnect, prv_setup),
        cmocka_unit_test_setup(test_ota_service_idle_return_only_into_an_intact_app, prv_setup),
        cmocka_unit_test_setup(test_ota_service_connect_just_before_idle_return_gets_stall_bound,
                               prv_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
