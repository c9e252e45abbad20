/* The loader's radio side: CPU2 + BLE bring-up, the OTA service FE20, progressive erase,
 * advertising, and the execution of the core OTA engine's outputs. Polling main loop. */
#include "ota_service.h"

#include <string.h>

#include "flash_queue.h"
#include "loader_version.h"
#if !WBOTA_CFG_STAGED
#include "st_verdict.h"
#endif
#include "ota_deps.h"
#include "wbota/loader_adv.h"
#include "wbota/mailbox.h"
#include "wbota/ota.h"
#include "wbota/st_ota.h"

#define ADV_MIN_UNITS          0x0080u /* 80 ms in 0.625 ms units (ST's loader: 80-100 ms) */
#define ADV_MAX_UNITS          0x00A0u /* 100 ms */
#define OTA_SERVICE_RECORDS    8u
#define DLE_TX_OCTETS          251u
#define DLE_TX_TIME            2120u
#define HCI_REASON_REMOTE_USER 0x13u
/* advertising again after a disconnection: a refused attempt is retried this often, this many
 * times, then the loader gives up with the reason (main records it; never a silent loader) */
#define ADV_RETRY_MS  200u
#define ADV_RETRY_MAX 5u
/* FUS: the first answer after the two FUS_GET_STATE can take a CPU2 restart */
#define FUS_READY_MS       10000u
#define FUS_POLL_MS        100u
#define FUS_UPGRADE_MAX_MS 600000u /* a stack install takes tens of seconds; 10 min is generous */
/* Take the next CPU2 event only with room for a whole FE24 write in the flash queue: while
 * the queue is full, CPU2 keeps its buffers and the link waits (flow control, no errors). */
#define FQ_ROOM_DW ((WBOTA_OTA_RAW_MAX / WBOTA_DW_SIZE) + 2u)

/* FE20 and its characteristics, in the order of s_h.chr (ST's loader layout) */
enum { CHR_BASE, CHR_CONFIRM, CHR_RAW, CHR_COUNT };
static const wb_ble_char_def_t k_chars[CHR_COUNT] = {
    /* FE22 takes 1..5 bytes: the 5-byte start of newer ST clients is accepted (docs/protocol.md) */
    [CHR_BASE] = {WB_UUID128_LE(WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE22)), 5u,
                  WB_CHAR_PROP_WRITE_NO_RSP, 1u},
    [CHR_CONFIRM] = {WB_UUID128_LE(WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE23)), 1u, WB_CHAR_PROP_INDICATE,
                     0u},
    [CHR_RAW] = {WB_UUID128_LE(WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE24)), WBOTA_OTA_RAW_MAX,
                 WB_CHAR_PROP_WRITE_NO_RSP, 1u},
};
static const wb_ble_server_def_t k_server = {.name = WBOTA_ST_LOADER_NAME,
                                             .service_uuid =
                                                 WB_UUID128_LE(WBOTA_ST_SERVICE_UUID_LE),
                                             .max_records = OTA_SERVICE_RECORDS,
                                             .char_count = CHR_COUNT,
                                             .chars = k_chars};

static struct {
    uint16_t service;
    uint16_t chr[CHR_COUNT]; /* declaration handles: value = +1; FE23's CCCD = +2 */
} s_h;

static wbota_ota_t s_ota;
static const wb_loader_radio_cfg_t *s_cfg;
static uint8_t s_addr[WB_BLE_ADDR_LEN]; /* LSB first */
static bool s_connected;
static uint16_t s_conn;
static uint32_t s_last_rx_ms;
static uint32_t s_idle_since_ms;  /* last upload progress (or loader start) */
static bool s_app_intact;         /* the valid app found at boot is still whole (idle return) */
static wbota_ota_flash_t s_flash; /* the flash queue's port, behind prv_erase_watch_cb */
static uint32_t s_conn_since_ms;  /* start of the current connection */
static uint32_t s_error_at_ms;    /* error verdict indicated at (valid when s_error_pending) */
static bool s_error_pending;
static uint8_t s_adv_failures; /* failed re-advertise attempts since the last disconnection */
static uint32_t s_adv_retry_at_ms;

static void prv_mailbox_write(uint8_t mode, uint8_t first, uint8_t count)
{
    const wbota_mailbox_t mb = {.mode = mode, .first_page = first, .page_count = count};
    uint8_t raw[WBOTA_MAILBOX_LEN];
    wbota_mailbox_encode(&mb, raw);
    volatile uint8_t *dst = WB_OTA_MAILBOX;
    for (uint32_t i = 0u; i < WBOTA_MAILBOX_LEN; i++) {
        dst[i] = raw[i];
    }
}

static __attribute__((noreturn)) void prv_reboot_to_app(void)
{
    prv_mailbox_write(WBOTA_MODE_APP, (uint8_t)s_cfg->layout.app_start_page, 0u);
    wb_system_reset();
}

/* Wireless-stack (or FUS) upgrade with the image already in flash (docs/st-interface.md#wireless).
 * The mailbox stays {02, phase, 00} across the resets FUS may cause; phase 0 = entering FUS,
 * phase 1 = FUS_FW_UPGRADE sent. resume: entered with mailbox mode 0x02. Ends with FUS_START_WS,
 * mailbox 0x00 and a reset, like ST; returns only when CPU2 stops answering (the reason). */
#define FUS_PHASE_ENTER   0u
#define FUS_PHASE_UPGRADE 1u
static wbota_err_t prv_fus_sequence(bool resume, uint8_t phase)
{
    uint8_t st = WB_FUS_STATE_IDLE;
    if (!resume) {
        phase = FUS_PHASE_ENTER;
    }
    prv_mailbox_write(WBOTA_MODE_CPU2_UPGRADE, phase, 0u);
    if (wb_cpu2_state() == WB_CPU2_RUN_WS) {
        /* two consecutive FUS_GET_STATE while the stack runs make CPU2 restart into FUS; the
         * second may go unanswered because CPU2 is already restarting */
        (void)wb_shci_fus_get_state(&st);
        wb_cpu2_expect_restart();
        (void)wb_shci_fus_get_state(&st);
        wbota_err_t err = wb_cpu2_wait_ready(FUS_READY_MS);
        if (err != WBOTA_OK) {
            return err;
        }
    }
    uint32_t start = wb_time_ms();
    for (;;) {
        wbota_err_t err = wb_shci_fus_get_state(&st);
        if (err != WBOTA_OK) {
            return err; /* FUS may reset the whole device meanwhile; if not, report */
        }
        if (!wb_fus_state_is_busy(st)) {
            if (st != WB_FUS_STATE_IDLE || phase == FUS_PHASE_UPGRADE) {
                break; /* finished (idle after our request) or failed: back to the stack */
            }
            /* FUS idle and nothing requested yet: install the image we stored */
            phase = FUS_PHASE_UPGRADE;
            prv_mailbox_write(WBOTA_MODE_CPU2_UPGRADE, phase, 0u);
            if ((err = wb_shci_fus_fw_upgrade()) != WBOTA_OK) {
                break; /* FUS refused (no valid image): start the old stack again */
            }
        }
        if ((uint32_t)(wb_time_ms() - start) >= FUS_UPGRADE_MAX_MS) {
            return WBOTA_E_TIMEOUT;
        }
        uint32_t t = wb_time_ms();
        while ((uint32_t)(wb_time_ms() - t) < FUS_POLL_MS) {
            wb_cpu2_poll();
            wb_cpu2_idle();
        }
    }
    wb_cpu2_expect_restart();
    (void)wb_shci_fus_start_ws();
    (void)wb_cpu2_wait_ready(FUS_READY_MS);
    prv_reboot_to_app();
}

/* What the scan response tells a scanner (docs/protocol.md#loader-adv). The state only
 * changes while connected, so it is published each time advertising starts. */
static void prv_loader_adv(wbota_ladv_t *li)
{
    memset(li, 0, sizeof(*li));
    li->mode = WBOTA_CFG_INSTALL_SWAP ? WBOTA_LADV_MODE_SWAP
               : WBOTA_CFG_STAGED     ? WBOTA_LADV_MODE_STAGED
                                      : WBOTA_LADV_MODE_ST;
    li->policy = (uint8_t)s_cfg->policy;
    li->ver_major = (uint8_t)WB_VER_MAJOR;
    li->ver_minor = (uint8_t)WB_VER_MINOR;
    li->ver_patch = (uint16_t)WB_VER_PATCH;
    li->last_reason = s_ota.last_error;
    li->active_counter = WBOTA_LADV_UNKNOWN;
    li->state = (s_ota.state == WBOTA_OTA_VERIFIED) ? WBOTA_LADV_VERIFIED
                : (s_ota.last_error != WBOTA_OK)    ? WBOTA_LADV_ERROR
                                                    : WBOTA_LADV_WAITING;
#if WBOTA_CFG_STAGED
    const wbota_records_t *r = s_cfg->records;
    if (r != NULL) {
        if (li->state != WBOTA_LADV_VERIFIED && r->dl_tag != 0u) {
            li->state = WBOTA_LADV_RECEIVING; /* a resumable download is kept */
        } else if (li->state == WBOTA_LADV_WAITING && r->state == WBOTA_UPD_GAVE_UP) {
            li->state = WBOTA_LADV_GAVE_UP;
        }
        li->stay_reason = r->gave_up_reason;
        if (r->revert_reason != WBOTA_OK) {
            /* the last revert (docs/staged.md#swap): why, and the counter of the image it left */
            li->stay_reason = r->revert_reason;
            li->reverted_from = r->revert_from_counter;
        }
        if (r->verdict_valid) {
            li->active_counter = r->verdict.sec_counter;
        }
    }
#endif
}

/* ST's advertising unchanged (docs/st-interface.md#advertising), the loader information in the
 * scan response */
static wbota_err_t prv_advertise(void)
{
    uint8_t info[WBOTA_LADV_LEN];
    wbota_ladv_t li;
    prv_loader_adv(&li);
    wbota_ladv_encode(&li, info);
    return wb_ble_advertise_info(ADV_MIN_UNITS, ADV_MAX_UNITS, WBOTA_ST_LOADER_NAME,
                                 WBOTA_ST_DEV_ID_LOADER, 0u, s_addr, info, (uint8_t)sizeof(info));
}

/* After a disconnection: advertise, or schedule a bounded retry (prv_readvertise_poll). */
static void prv_readvertise(void)
{
    s_adv_failures = 0u;
    if (prv_advertise() != WBOTA_OK) {
        s_adv_failures = 1u;
        s_adv_retry_at_ms = wb_time_ms() + ADV_RETRY_MS;
    }
}

/* WBOTA_OK while advertising or still retrying; the last error once ADV_RETRY_MAX attempts
 * after a disconnection failed. */
static wbota_err_t prv_readvertise_poll(uint32_t now)
{
    if (s_adv_failures == 0u || s_connected || (int32_t)(now - s_adv_retry_at_ms) < 0) {
        return WBOTA_OK;
    }
    wbota_err_t err = prv_advertise();
    if (err == WBOTA_OK) {
        s_adv_failures = 0u;
        return WBOTA_OK;
    }
    if (++s_adv_failures >= ADV_RETRY_MAX) {
        return err;
    }
    s_adv_retry_at_ms = now + ADV_RETRY_MS;
    return WBOTA_OK;
}

static wbota_err_t prv_ble_up(void)
{
    wb_shci_ble_init_t init;
    wb_shci_ble_init_defaults(&init, s_cfg->rfwkp_in_force == WB_RFWKP_SRC_HSE1024);
    /* the RF wake-up trap shows here: BLE_INIT never answers -> WBOTA_E_CPU2_NO_RESPONSE */
    wbota_err_t err = wb_shci_ble_init(&init);
    if (err != WBOTA_OK) {
        return err;
    }
    err = wb_shci_set_flash_activity_control(WB_SHCI_FLASH_CTRL_SEM7);
    if (err != WBOTA_OK) {
        return err;
    }
    wb_flash_set_erase_activity_cb(wb_shci_erase_activity_cb);

    const volatile uint32_t *uid = WB_OTA_UID64;
    wb_ble_addr_from_uid64(uid[0], uid[1], true, s_addr);

    return wb_ble_server_up(&k_server, s_addr, &s_h.service, s_h.chr);
}

/* A page erased inside the application region, outside the staging slot, ends the app found at
 * boot: the idle return must not reset into what is left of it (the boot would only come back
 * here, dropping a client that connected meanwhile). */
static void prv_note_erase(uint32_t page)
{
    const bool in_app = page >= s_cfg->layout.app_start_page && page < s_cfg->layout.sfsa;
    const bool in_staging = s_cfg->slots.staging_pages > 0u && page >= s_cfg->slots.staging_page &&
                            page - s_cfg->slots.staging_page < s_cfg->slots.staging_pages;
    if (in_app && !in_staging) {
        s_app_intact = false;
#if !WBOTA_CFG_STAGED
        wb_st_verdict_invalidate(); /* before the first write into the app region */
#endif
    }
}

static wbota_err_t prv_erase_watch_cb(void *ctx, uint32_t page)
{
    prv_note_erase(page);
    return s_flash.erase_page_cb(ctx, page);
}

#if WBOTA_CFG_STAGED
/* A staging page's progress record must follow its data into the flash (docs/staged.md#resume),
 * but the engine reports the page while its last double words may still be in the write-behind
 * queue: the queue writes the record once they are programmed, in a gap between connection
 * events (not inside CPU2's event, where it would wait for Sem 7); a newer page's record
 * replaces one still waiting. A session start's record (0 pages) is written at once, in order. */
static wbota_ota_staged_t s_staged;
static wbota_records_t *s_prog_rec;
static uint32_t s_prog_tag;
static uint32_t s_prog_pages;

static wbota_err_t prv_progress_job(void *ctx)
{
    (void)ctx;
    return wbota_staged_ota.progress_cb(s_prog_rec, s_prog_tag, s_prog_pages);
}

static wbota_err_t prv_progress_cb(wbota_records_t *rec, uint32_t tag, uint32_t pages)
{
    if (pages == 0u) {
        wbota_err_t err = wb_fq_drain();
        return (err != WBOTA_OK) ? err : wbota_staged_ota.progress_cb(rec, tag, pages);
    }
    s_prog_rec = rec;
    s_prog_tag = tag;
    s_prog_pages = pages;
    wb_fq_after_queued(prv_progress_job, NULL);
    return WBOTA_OK;
}
#endif

#if !WBOTA_CFG_STAGED
/* st mode: a double word programmed into a page that was blank (no erase before it) may still
 * lie inside the verified image's hashed range (a run of 0xFF): it ends the verdict too. */
static wbota_err_t prv_program_watch_cb(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE])
{
    wb_st_verdict_invalidate();
    return s_flash.program_dw_cb(ctx, addr, dw);
}
#endif

/* The erase plan, one page per iteration with CPU2 events serviced in between, so CPU2's
 * buffers never back up while flash is busy. A page that already reads erased is skipped (most
 * of an application area usually is): 22 ms per page saved. Errors are not fatal: the OTA
 * engine blank-checks every page it writes and erases again where needed. */
static void prv_erase_plan(void)
{
    const wbota_erase_plan_t *plan = &s_cfg->erase;
    for (uint32_t i = 0u; i < plan->page_count; i++) {
        uint32_t page = plan->first_page + i;
        if (wbota_is_loader_page(&s_cfg->layout, page) || page >= s_cfg->layout.sfsa) {
            break; /* the plan was checked by the core; never trust it with loader pages */
        }
        if (!wb_flash_page_is_blank(page)) {
            prv_note_erase(page);
            (void)wb_flash_erase_page(page);
        }
        wb_cpu2_poll();
    }
}

#if !WBOTA_CFG_STAGED && !WBOTA_CFG_VERIFY_EVERY_BOOT
/* st mode: REBOOT_APP follows only an application session the engine has just checked in full
 * (the image at the app start: tags, vectors, manifest, hash, signature per policy). Once every
 * queued double word is in flash (each one read back), that check is the image's verdict and
 * its first boot needs no second one (docs/image-format.md#st-verdict). */
static void prv_keep_verdict(void)
{
    wbota_rec_image_t id;
    wbota_image_info_t info;
    const wbota_mem_t mem = {.read_cb = s_flash.read_cb, .ctx = s_flash.ctx};
    if (wb_fq_drain() == WBOTA_OK &&
        wbota_staged_image_id(&mem, &s_cfg->layout, &id, &info) == WBOTA_OK && info.has_manifest) {
        wb_st_verdict_record(&id);
    }
}
#endif

static void prv_execute(const wbota_ota_out_t *out)
{
    if ((out->actions & WBOTA_OTA_OUT_INDICATE) != 0u) {
        uint8_t v = out->fe23;
        (void)wb_ble_update_char(s_h.service, s_h.chr[CHR_CONFIRM], &v, 1u);
        /* a failure only (the resume answer 0x04 + k is not one) */
        if (out->status != WBOTA_OK && s_connected && !s_error_pending) {
            s_error_pending = true;
            s_error_at_ms = wb_time_ms();
        }
    }

    if ((out->actions & WBOTA_OTA_OUT_REBOOT_APP) != 0u) {
#if !WBOTA_CFG_STAGED && !WBOTA_CFG_VERIFY_EVERY_BOOT
        prv_keep_verdict();
#endif
        prv_reboot_to_app();
    }
    if ((out->actions & WBOTA_OTA_OUT_START_FUS) != 0u) {
        /* returns only if CPU2 died during the sequence: nothing better than the app left */
        (void)prv_fus_sequence(false, FUS_PHASE_ENTER);
        prv_reboot_to_app();
    }
}

static void prv_on_event(const wb_ble_evt_t *e)
{
    wbota_ota_out_t out;
    memset(&out, 0, sizeof(out));
    switch (e->kind) {
    case WB_BLE_EVT_CONNECTED:
        if (e->status == 0u) {
            s_connected = true;
            s_conn = e->conn;
            s_last_rx_ms = wb_time_ms();
            s_conn_since_ms = s_last_rx_ms;
            s_error_pending = false;
#if WBOTA_CFG_IDLE_RETURN_MS > WBOTA_CFG_LINK_STALL_MS
            /* a client that connects just before the idle return gets the stall bound to make
             * progress (the return would drop it); each connection adds at most that much */
            if ((uint32_t)(s_last_rx_ms - s_idle_since_ms) >
                WBOTA_CFG_IDLE_RETURN_MS - WBOTA_CFG_LINK_STALL_MS) {
                s_idle_since_ms =
                    s_last_rx_ms - (WBOTA_CFG_IDLE_RETURN_MS - WBOTA_CFG_LINK_STALL_MS);
            }
#endif
            wb_fq_set_interval_us((uint32_t)e->interval * 1250u);
            /* data length extension: the client still has to start the MTU exchange */
            (void)wb_ble_set_data_length(s_conn, DLE_TX_OCTETS, DLE_TX_TIME);
        }
        break;
    case WB_BLE_EVT_DISCONNECTED:
        s_connected = false;
        s_error_pending = false;
        (void)wb_fq_drain(); /* what was received is written, as without the queue */
        wbota_ota_on_disconnect(&s_ota, &out);
        prv_execute(&out);
        prv_readvertise();
        break;
    case WB_BLE_EVT_ATTR_MODIFIED:
        s_last_rx_ms = wb_time_ms();
        if (e->attr == (uint16_t)(s_h.chr[CHR_BASE] + 1u)) {
            /* start/finish/stop see the flash as programmed; a start begins a clean session */
            (void)wb_fq_drain();
            if ((e->len > 0u) &&
                ((e->data[0] == WBOTA_OTA_CMD_APP) || (e->data[0] == WBOTA_OTA_CMD_WIRELESS))) {
                wb_fq_reset();
            }
            /* "finished": the image check (SHA-256 tail, P-256 signature) at 64 MHz, twice
             * the radio's HSE clock (docs/benchmarks.md#staged-vs-st) */
            const bool boost =
                (e->len > 0u) && (e->data[0] == WBOTA_OTA_CMD_FINISHED) && wb_clock_run_boost();
            wbota_ota_on_base_write(&s_ota, e->data, e->len, &out);
            if (boost) {
                wb_clock_run_restore();
            }
            if (out.status == WBOTA_OK && s_ota.state == WBOTA_OTA_RECEIVING) {
                s_error_pending = false; /* a new start after a refusal: the client is alive */
            }
        } else if (e->attr == (uint16_t)(s_h.chr[CHR_RAW] + 1u)) {
            wbota_ota_on_raw_write(&s_ota, e->data, e->len, &out);
            if (out.status == WBOTA_OK && s_ota.state == WBOTA_OTA_RECEIVING) {
                s_idle_since_ms = s_last_rx_ms; /* upload progress: the idle return waits */
            }
        }
        /* FE23's CCCD (CHR_CONFIRM + 2): the stack keeps the subscription itself */
        prv_execute(&out);
        break;
    case WB_BLE_EVT_SERVER_CONFIRM:
        wbota_ota_on_indication_confirmed(&s_ota, &out);
        prv_execute(&out);
        break;
    default:
        break;
    }
}

/* Out of line: inlined into main (its one caller) it made the loader larger, 152 B in the swap
 * loader (docs/benchmarks.md#loader-size-3). */
__attribute__((noinline)) wbota_err_t wb_loader_radio_run(const wb_loader_radio_cfg_t *cfg)
{
    if (cfg == NULL || wbota_layout_check(&cfg->layout) != WBOTA_OK ||
        (cfg->mailbox_mode != WBOTA_MODE_LOADER && cfg->mailbox_mode != WBOTA_MODE_CPU2_UPGRADE)) {
        return WBOTA_E_ARG;
    }
    s_cfg = cfg;
    memset(&s_h, 0, sizeof(s_h));
    s_connected = false;
    s_adv_failures = 0u;

    wbota_err_t err = wb_cpu2_start(WBOTA_CFG_CPU2_READY_MS);
    if (err != WBOTA_OK) {
        return err;
    }
    if (cfg->mailbox_mode == WBOTA_MODE_CPU2_UPGRADE) {
        /* an upgrade was in progress across a reset: finish it (FUS running), or it is over
         * (stack running) */
        if (wb_cpu2_state() == WB_CPU2_RUN_FUS) {
            const volatile uint8_t *mb = WB_OTA_MAILBOX;
            return prv_fus_sequence(true, mb[1]);
        }
        prv_reboot_to_app();
    }
    if (wb_cpu2_state() == WB_CPU2_RUN_FUS) {
        /* FUS without an upgrade to finish: bring the wireless stack up */
        wb_cpu2_expect_restart();
        if ((err = wb_shci_fus_start_ws()) != WBOTA_OK && err != WBOTA_E_CPU2_NO_RESPONSE) {
            return err;
        }
        if ((err = wb_cpu2_wait_ready(FUS_READY_MS)) != WBOTA_OK) {
            return err;
        }
        if (wb_cpu2_state() != WB_CPU2_RUN_WS) {
            return WBOTA_E_CPU2_CMD; /* no wireless stack installed */
        }
    }
    if ((err = prv_ble_up()) != WBOTA_OK) {
        return err;
    }

    s_flash = wb_fq_port();
    s_app_intact = cfg->app_valid;
#if WBOTA_CFG_STAGED
    s_staged = wbota_staged_ota;
    s_staged.progress_cb = prv_progress_cb;
#endif
    const wbota_ota_config_t ocfg = {
        .layout = cfg->layout,
        .policy = cfg->policy,
        .trust = cfg->trust,
        .flash = {.erase_page_cb = prv_erase_watch_cb,
#if WBOTA_CFG_STAGED
                  .program_dw_cb = s_flash.program_dw_cb,
#else
                  .program_dw_cb = prv_program_watch_cb,
#endif
                  .read_cb = s_flash.read_cb,
                  .ctx = s_flash.ctx},
#if WBOTA_CFG_STAGED
        .staged = &s_staged,
#endif
        .records = cfg->records,
        .active_pages = cfg->slots.active_pages,
        .staging_page = cfg->slots.staging_page,
        .staging_pages = cfg->slots.staging_pages
    };
    wbota_ota_init(&s_ota, &ocfg);

    prv_erase_plan(); /* like ST: after the stack is up, before advertising */
    if ((err = prv_advertise()) != WBOTA_OK) {
        return err;
    }
    s_idle_since_ms = wb_time_ms();

    for (;;) {
        wb_ble_evt_t e;
        wb_fq_watch_radio();
        while ((wb_fq_space() >= FQ_ROOM_DW) && wb_ble_evt_next(&e)) {
            wb_fq_watch_radio(); /* a write event comes with CPU2's hold: the event's start */
            prv_on_event(&e);
            wb_ble_evt_done(); /* CPU2's buffer goes back at once: the data is in the queue */
        }
        if (!wb_fq_idle()) {
            wb_fq_service(); /* in the gap before the next connection event */
            continue;
        }
        uint32_t now = wb_time_ms();
        if ((err = prv_readvertise_poll(now)) != WBOTA_OK) {
            return err; /* cannot advertise: give up with the reason (main records it) */
        }
        if (s_connected && ((uint32_t)(now - s_last_rx_ms) >= WBOTA_CFG_LINK_STALL_MS ||
                            (uint32_t)(now - s_conn_since_ms) >= WBOTA_CFG_SESSION_MAX_MS ||
                            (s_error_pending &&
                             (uint32_t)(now - s_error_at_ms) >= WBOTA_CFG_ERROR_DISCONNECT_MS))) {
            /* a silent link (in any state), a connection past its total bound, or a client
             * told about an error: drop it; the disconnection event resets the session (or,
             * after a verified upload, reboots into the new app) */
            s_last_rx_ms = now;
            s_conn_since_ms = now;
            s_error_pending = false;
            if (wb_ble_disconnect(s_conn, HCI_REASON_REMOTE_USER) != WBOTA_OK) {
                wbota_ota_out_t out;
                memset(&out, 0, sizeof(out));
                s_connected = false;
                wbota_ota_on_disconnect(&s_ota, &out);
                prv_execute(&out);
                prv_readvertise();
            }
        }
#if WBOTA_CFG_IDLE_RETURN_MS > 0
        if (s_app_intact && s_ota.state != WBOTA_OTA_VERIFIED &&
            (uint32_t)(now - s_idle_since_ms) >= WBOTA_CFG_IDLE_RETURN_MS) {
            /* through a reset, not a jump: the app must find CPU2 unbooted to start it itself */
            prv_reboot_to_app();
        }
#endif
        wb_cpu2_idle();
        wb_fq_woke();
    }
}
