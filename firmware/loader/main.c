/* The wbota loader: boot decision first, then (when staying) clocks and the radio job.
 *
 * Boot path (wb_startup_early_cb, from Reset_Handler before any clock/peripheral set-up): reset
 * cause + mailbox as they were at reset -> verify the app per policy (MSI boosted to 48 MHz for
 * the duration, restored to the reset state) -> wbota_boot_decide -> write the mailbox bytes
 * back, clear the reset flags (RMVF; decision: wbota clears them after reading so that the next
 * boot sees only its own cause, unlike ST whose flags accumulate until power-on; an app that
 * needs its reset cause must take it from the loader, see docs/memory-layout.md) -> jump (VTOR,
 * MSP, reset vector) or return to main.
 *
 * main (stay): clear the status word, clocks (HSE 32 MHz, LSE, RFWKP), then the OTA service's
 * wb_loader_radio_run. It returns only to give up; main then never hangs: with a valid app it
 * records the reason in the loader status word (0x20000004) and resets with mailbox 0x00 (the
 * boot path re-verifies the app and jumps; resetting is what restarts CPU2 cleanly); without
 * one it retries CPU2 start-up through a system reset up to WBOTA_CFG_CPU2_ATTEMPTS times with
 * growing pauses (LED shows the reason), then shows the reason for WBOTA_CFG_CPU2_RETRY_PAUSE_MS
 * in WFI and starts a new round (the rules: wb/giveup.h, unit-tested on the host). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ota_service.h"
#include "wb/clock.h"
#include "wb/flash.h"
#include "wb/giveup.h"
#include "wb/isr.h"
#include "wb/led.h"
#include "wb/reset.h"
#include "wb/reset_flags.h"
#include "wb/rfwkp.h"
#include "wb/time.h"
#include "wb_board.h"
#include "wbota/boot.h"
#include "wbota/bytes.h"
#include "wbota/image.h"
#include "wbota/layout.h"
#include "wbota/loader_info.h"
#include "wbota/mailbox.h"
#include "wbota/records.h"
#include "wbota/rollback.h"
#include "wbota/staged.h"
#include "wbota/swap.h"
#if !WBOTA_CFG_STAGED
#include "st_verdict.h"
#endif

#if WBOTA_CFG_POLICY == WBOTA_CFG_POLICY_SIGNED
#ifndef WB_LOADER_KEY_HEADER
#error "signed loader without a key header (firmware/CMakeLists.txt passes the product or dev key)"
#endif
// cppcheck-suppress preprocessorErrorDirective ; the build always passes the key header
#include WB_LOADER_KEY_HEADER
static const wbota_trust_t s_trust = {
    .keys = &wbota_demo_pubkey, .n_keys = 1u, .min_sec_counter = 0u};
#define PRV_POLICY WBOTA_POLICY_SIGNED
#else
static const wbota_trust_t s_trust = {.keys = NULL, .n_keys = 0u, .min_sec_counter = 0u};
#define PRV_POLICY WBOTA_POLICY_ST
#endif

#if WBOTA_CFG_STAGED
static wbota_records_t s_rec;
static wbota_slots_t s_slots;
static bool s_staged_ok; /* the layout leaves room for two slots and the records */
#endif
/* The records at the top of the app region (below SFSA) get a second copy of the anti-rollback
 * counter in the last loader page, which no stack install moves (wbota/rollback.h). */
#define PRV_COUNTER_PAGE (WBOTA_CFG_STAGED && WBOTA_CFG_RECORDS_AT_TOP)

/* Filled by the boot path (runs after .bss init), read by main. */
static wbota_boot_decision_t s_decision;
static wbota_err_t s_app_status;
static wbota_layout_t s_layout;
static uint32_t s_prev_status;

static void prv_mailbox_write(const uint8_t raw[WBOTA_MAILBOX_LEN])
{
    volatile uint8_t *mb = (volatile uint8_t *)WBOTA_MAILBOX_ADDR;
    for (uint32_t i = 0; i < WBOTA_MAILBOX_LEN; i++) {
        mb[i] = raw[i];
    }
}

static void prv_status_write(uint32_t word)
{
    *(volatile uint32_t *)WBOTA_LOADER_STATUS_ADDR = word;
}

static wbota_layout_t prv_layout(void)
{
    uint32_t sfsa = wb_flash_sfsa();
    if (sfsa > WBOTA_PAGE_COUNT) {
        sfsa = WBOTA_PAGE_COUNT;
    }
    return wbota_layout_default(sfsa);
}

static void prv_boost_once(void);

#if !WBOTA_CFG_STAGED
/* st mode, verify once (docs/image-format.md#st-verdict): an image with a manifest is checked
 * in full once and its verdict kept in the last loader page; a boot with a live verdict for
 * the same image id only reads the tags, vectors and manifest. A plain ST image has no id to
 * bind: its check is the tags and vectors anyway. The loader zeroes the verdict before it
 * writes into the app region (ota_service.c). */
static wbota_err_t prv_st_app_status(const wbota_mem_t *mem)
{
    wbota_rec_image_t id;
    wbota_image_info_t info;
    const bool once = (WBOTA_CFG_VERIFY_EVERY_BOOT == 0);
    wbota_err_t err = wbota_staged_image_id(mem, &s_layout, &id, &info);
    if (err != WBOTA_OK) {
        return err;
    }
    if (info.has_manifest && once && wb_st_verdict_matches(&id)) {
        return WBOTA_OK;
    }
    if (info.has_manifest) {
        prv_boost_once(); /* a hash to compute: the fast clock (without one, nothing to speed up) */
    }
    err = wbota_image_verify(mem, &s_layout, PRV_POLICY, &s_trust, NULL, NULL);
    if (err == WBOTA_OK && info.has_manifest && once) {
        wb_st_verdict_record(&id);
    }
    return err;
}
#endif

/* The fastest clock for a full check or an install (docs/porting.md), raised only when one runs:
 * starting HSE + PLL costs about 1 ms, more than a normal boot's cheap verdict check. */
static bool s_boosted;
static void prv_boost_once(void)
{
    if (!s_boosted) {
        s_boosted = true;
        wb_clock_boot_boost();
    }
}

void wb_startup_early_cb(uint32_t rcc_csr, const uint8_t sram_head[8])
{
    wbota_boot_input_t in;
    memset(&in, 0, sizeof in);
    in.reset_flags = wb_reset_flags_from_csr(rcc_csr);
    memcpy(in.mailbox, sram_head, WBOTA_MAILBOX_LEN);
    s_prev_status = wbota_get_le32(&sram_head[4]);

    s_layout = prv_layout();
    wb_flash_set_layout(&s_layout); /* the flash driver's fence, once */
#if !WBOTA_CFG_STAGED || PRV_COUNTER_PAGE
    wb_flash_fence_admit_from(s_layout.app_start_page - 1u); /* the verdict or counter page */
#endif
#if !WBOTA_CFG_STAGED
    wb_st_verdict_open(s_layout.app_start_page - 1u);
#endif
    const wbota_mem_t mem = wb_flash_mem();
#if WBOTA_CFG_STAGED
    /* records, install/resume, test boots, confirm, verify once (docs/staged.md#states) */
    s_staged_ok =
        (wbota_slots_compute_for(&s_layout, WBOTA_CFG_INSTALL_SWAP != 0, &s_slots) == WBOTA_OK);
    if (s_staged_ok) {
        wbota_staged_boot_in_t sin;
        memset(&sin, 0, sizeof sin);
        sin.flash = wb_flash_ota_port();
        sin.mem = mem;
        sin.reset_flags = in.reset_flags;
        memcpy(sin.mailbox, in.mailbox, WBOTA_MAILBOX_LEN);
        sin.layout = s_layout;
        sin.slots = s_slots;
        sin.policy = PRV_POLICY;
        sin.trust = &s_trust;
        sin.verify_every_boot = (WBOTA_CFG_VERIFY_EVERY_BOOT != 0);
        sin.before_heavy_work = prv_boost_once; /* a normal boot stays at the reset clock */
#if WBOTA_CFG_INSTALL_SWAP
        sin.swap = &wbota_swap_strategy; /* only a swap build links the swap code */
#endif
        (void)wbota_rec_open(&s_rec, &sin.flash, s_slots.record_page);
#if PRV_COUNTER_PAGE
        /* the floor of every check is the larger copy; a confirm at this boot raises both */
        wbota_rollback_t counter;
        (void)wbota_rollback_open(&counter, &sin.flash, s_layout.app_start_page - 1u);
        (void)wbota_rollback_sync(&counter, &s_rec);
#endif
        wbota_staged_boot(&sin, &s_rec, &s_decision, &s_app_status);
#if PRV_COUNTER_PAGE
        (void)wbota_rollback_sync(&counter, &s_rec);
#endif
    }
#endif
    in.app_start = wbota_app_start(&s_layout);
    in.layout = s_layout;
#if WBOTA_CFG_STAGED
    if (!s_staged_ok)
#endif
    {
#if WBOTA_CFG_STAGED
        prv_boost_once();
        s_app_status = wbota_image_verify(&mem, &s_layout, PRV_POLICY, &s_trust, NULL, NULL);
#else
        s_app_status = prv_st_app_status(&mem);
#endif
        in.app_status = s_app_status;
        wbota_boot_decide(&in, &s_decision);
    }
    if (s_boosted) {
        wb_clock_boot_restore();
    }

    /* The status word reports a give-up to the app after the loader's own (software) reset;
     * after any other reset it is stale or power-on garbage. */
    if ((in.reset_flags & WBOTA_RESET_SOFTWARE) == 0u) {
        prv_status_write(0u);
        s_prev_status = 0u;
    }
    prv_mailbox_write(s_decision.mailbox_out);
    wb_reset_flags_clear();
    if (s_decision.action == WBOTA_BOOT_JUMP) {
        wb_jump_to_app(s_decision.app_start);
    }
}

static void prv_reset_to_app(void)
{
    const wbota_mailbox_t run = {
        .mode = WBOTA_MODE_APP, .first_page = (uint8_t)s_layout.app_start_page, .page_count = 0u};
    uint8_t raw[WBOTA_MAILBOX_LEN];
    wbota_mailbox_encode(&run, raw);
    prv_mailbox_write(raw);
    wb_system_reset();
}

static void prv_give_up(wbota_err_t err, wbota_err_t rfwkp_status) __attribute__((noreturn));
static void prv_give_up(wbota_err_t err, wbota_err_t rfwkp_status)
{
    const wb_giveup_in_t in = {
        .app_valid = (s_app_status == WBOTA_OK),
        .err = err,
        .rfwkp_status = rfwkp_status,
        .prev_status = s_prev_status,
        .max_attempts = WBOTA_CFG_CPU2_ATTEMPTS,
        .long_pause_ms = WBOTA_CFG_CPU2_RETRY_PAUSE_MS,
    };
    wb_giveup_out_t out;
    wb_giveup_plan(&in, &out);
    prv_status_write(out.status);
    if (out.action == WB_GIVEUP_RESET_TO_APP) {
        prv_reset_to_app();
    }
    wb_led_show_code((uint32_t)(-(int)out.reason), out.pause_ms);
    if (out.action == WB_GIVEUP_LONG_PAUSE) {
        prv_status_write(out.status_after);
    }
    /* The mailbox still asks to stay (and keeps the OTA service's FUS phase marker in mode 0x02):
     * the reset brings us back here with a fresh CPU2. */
    wb_system_reset();
}

int main(void)
{
    prv_status_write(0u); /* a successful run leaves no report behind */

    wb_clock_status_t clk;
    wbota_err_t err = wb_clock_init((uint8_t)WBOTA_CFG_RFWKP, &clk);
    wb_led_init();
    wb_led_set(true);
    if (err == WBOTA_OK) {
        wb_loader_radio_cfg_t cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.layout = s_layout;
        cfg.policy = PRV_POLICY;
        cfg.trust = &s_trust;
        cfg.erase = s_decision.erase;
        cfg.mailbox_mode = (s_decision.action == WBOTA_BOOT_CPU2_UPGRADE)
                               ? (uint8_t)WBOTA_MODE_CPU2_UPGRADE
                               : (uint8_t)WBOTA_MODE_LOADER;
        cfg.rfwkp_in_force =
            clk.ls_source_hse ? (uint8_t)WB_RFWKPSEL_HSE1024 : (uint8_t)WB_RFWKPSEL_LSE;
        cfg.app_valid = (s_app_status == WBOTA_OK);
#if WBOTA_CFG_STAGED
        if (s_staged_ok) {
            cfg.records = &s_rec;
            cfg.slots = s_slots;
        }
#endif
        err = wb_loader_radio_run(&cfg);
        if ((err == WBOTA_OK) && cfg.app_valid) {
            prv_reset_to_app(); /* idle return (WBOTA_CFG_IDLE_RETURN_MS) */
        }
    }
    prv_give_up(err, clk.rfwkp_status);
}
