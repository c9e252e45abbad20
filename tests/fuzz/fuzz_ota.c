/* fuzz_ota.c - libFuzzer harness for the OTA engine (core/src/ota.c) on the host flash model.
 * The input is a program of GATT events (FE22 writes, FE24 writes of raw bytes or of slices of
 * a built-in valid image so complete uploads are reachable, indication confirmed, disconnect,
 * loader restart). Oracles, checked on every flash operation and after every event (abort()
 * on violation):
 *  - no erase/program ever touches a loader page or a page at/above SFSA;
 *  - the engine never programs a double word that is not erased;
 *  - an FE24 write outside RECEIVING performs no flash operation;
 *  - REBOOT_APP is emitted only when the app region holds an image wbota_image_verify accepts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wbota/bytes.h"
#include "wbota/flash_model.h"
#include "wbota/ota.h"

#define TPL_BASE 0x08007000u
#define TPL_BODY 0x300u

static wbota_flash_model_t s_fm;
static wbota_layout_t s_lay;
static uint8_t s_tpl[TPL_BODY + WBOTA_MANIFEST_MAX_LEN + 8u];
static size_t s_tpl_len;
static uint32_t s_ops;

static void prv_check_page(uint32_t page)
{
    if (page < s_lay.app_start_page || page >= s_lay.sfsa) {
        abort(); /* a loader page or CPU2's area */
    }
}

static wbota_err_t prv_erase_cb(void *ctx, uint32_t page)
{
    (void)ctx;
    prv_check_page(page);
    s_ops++;
    return wbota_fm_erase_page(&s_fm, page);
}

static wbota_err_t prv_program_cb(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE])
{
    (void)ctx;
    if (!wbota_is_in_flash(addr, WBOTA_DW_SIZE) || !wbota_is_dw_aligned(addr)) {
        abort();
    }
    prv_check_page(wbota_addr_page(addr));
    for (uint32_t i = 0; i < WBOTA_DW_SIZE; i++) {
        if (s_fm.mem[addr - WBOTA_FLASH_BASE + i] != 0xFFu) {
            abort(); /* programming a non-erased double word */
        }
    }
    s_ops++;
    return wbota_fm_program_dw(&s_fm, addr, dw);
}

static wbota_err_t prv_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    return wbota_fm_read(&s_fm, addr, buf, len);
}

/* A minimal valid app with a manifest (hash only): vector table, tag pointer, body, manifest,
 * magic last. */
static void prv_build_template(void)
{
    wbota_manifest_params_t mp;
    size_t man_len = 0, sig_off = 0, signed_len = 0;

    memset(s_tpl, 0x5A, sizeof s_tpl);
    wbota_put_le32(&s_tpl[0], 0x20030000u);
    wbota_put_le32(&s_tpl[4], (TPL_BASE + 0x200u) | 1u);
    memset(&mp, 0, sizeof mp);
    mp.load_addr = TPL_BASE;
    mp.image_size = TPL_BODY;
    mp.version.major = 1u;
    mp.sec_counter = 1u;
    if (wbota_manifest_encode(&mp, &s_tpl[TPL_BODY], sizeof s_tpl - TPL_BODY - 4u, &man_len,
                              &sig_off, &signed_len) != WBOTA_OK) {
        abort();
    }
    wbota_put_le32(&s_tpl[WBOTA_TAG_PTR_OFFSET], TPL_BASE + TPL_BODY + (uint32_t)man_len);
    wbota_sha256(s_tpl, TPL_BODY, mp.sha256);
    if (wbota_manifest_encode(&mp, &s_tpl[TPL_BODY], sizeof s_tpl - TPL_BODY - 4u, &man_len,
                              &sig_off, &signed_len) != WBOTA_OK) {
        abort();
    }
    wbota_put_le32(&s_tpl[TPL_BODY + man_len], WBOTA_TAG_MAGIC);
    s_tpl_len = TPL_BODY + man_len + 4u;
}

typedef struct {
    const uint8_t *p;
    size_t n;
} cursor_t;

static uint8_t prv_u8(cursor_t *c)
{
    if (c->n == 0u) {
        return 0u;
    }
    c->n--;
    return *c->p++;
}

static void prv_after_event(const wbota_ota_t *ota, const wbota_ota_out_t *out)
{
    if ((out->actions & WBOTA_OTA_OUT_REBOOT_APP) != 0u) {
        wbota_mem_t mem = wbota_fm_mem(&s_fm);
        if (wbota_image_verify(&mem, &s_lay, ota->cfg.policy, ota->cfg.trust, NULL, NULL) !=
            WBOTA_OK) {
            abort(); /* would reboot into an image the boot check refuses */
        }
    }
    if ((out->actions & WBOTA_OTA_OUT_INDICATE) != 0u &&
        out->fe23 != wbota_err_to_wire(out->status) && out->fe23 != 0x01u) {
        abort(); /* the FE23 byte must carry the event's reason */
    }
    if (ota->state == WBOTA_OTA_RECEIVING && !wbota_is_in_app(&s_lay, ota->base, 8u)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wbota_ota_t ota;
    wbota_ota_config_t cfg;
    wbota_ota_out_t out;
    wbota_trust_t trust = {.keys = NULL, .n_keys = 0, .min_sec_counter = 0};
    cursor_t c = {data, size};
    uint8_t buf[256];

    if (s_tpl_len == 0u) {
        prv_build_template();
    }
    uint8_t setup = prv_u8(&c);
    /* SFSA from 8 (one app page) to 0xCB (a typical full BLE stack) */
    uint32_t sfsa = 8u + (uint32_t)(prv_u8(&c) % (0xCBu - 8u + 1u));
    wbota_fm_init(&s_fm, sfsa);
    s_lay = wbota_layout_default(sfsa);
    if ((setup & 1u) != 0u && s_tpl_len <= (sfsa - 7u) * WBOTA_PAGE_SIZE) {
        memcpy(&s_fm.mem[TPL_BASE - WBOTA_FLASH_BASE], s_tpl, s_tpl_len); /* an old app */
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.layout = s_lay;
    cfg.policy = ((setup & 2u) != 0u) ? WBOTA_POLICY_SIGNED : WBOTA_POLICY_ST;
    cfg.trust = &trust;
    cfg.flash.erase_page_cb = prv_erase_cb;
    cfg.flash.program_dw_cb = prv_program_cb;
    cfg.flash.read_cb = prv_read_cb;
    cfg.flash.ctx = NULL;
    wbota_ota_init(&ota, &cfg);

    for (unsigned ev = 0; c.n > 0u && ev < 4096u; ev++) {
        uint8_t op = prv_u8(&c);
        size_t len;
        uint32_t ops_before = s_ops;
        wbota_ota_state_t st_before = ota.state;
        bool raw = false;

        switch (op % 7u) {
        case 0: /* FE22, any bytes */
            len = prv_u8(&c) % 7u;
            for (size_t i = 0; i < len; i++) {
                buf[i] = prv_u8(&c);
            }
            wbota_ota_on_base_write(&ota, buf, len, &out);
            break;
        case 1: /* FE22 start near the app region: 02/01 + page + offset */
            buf[0] = (op & 0x80u) ? WBOTA_OTA_CMD_WIRELESS : WBOTA_OTA_CMD_APP;
            wbota_put_be24(&buf[1], (uint32_t)prv_u8(&c) * WBOTA_PAGE_SIZE +
                                        (uint32_t)(prv_u8(&c) & 0x0Fu) * 8u);
            wbota_ota_on_base_write(&ota, buf, 4, &out);
            break;
        case 2: /* FE24, raw bytes from the input (length 0..255: beyond 248 must be refused) */
            len = prv_u8(&c);
            for (size_t i = 0; i < len; i++) {
                buf[i] = prv_u8(&c);
            }
            raw = true;
            wbota_ota_on_raw_write(&ota, buf, len, &out);
            break;
        case 3: { /* FE24, a slice of the valid template (the stream position decides where) */
            uint32_t off = ota.bytes;
            len = 1u + prv_u8(&c) % WBOTA_OTA_RAW_MAX;
            if ((op & 0x80u) != 0u) {
                off = ((uint32_t)prv_u8(&c) << 8 | prv_u8(&c)) % (uint32_t)s_tpl_len;
            }
            if (off >= s_tpl_len) {
                off = 0u;
            }
            if (len > s_tpl_len - off) {
                len = s_tpl_len - off;
            }
            raw = true;
            wbota_ota_on_raw_write(&ota, &s_tpl[off], len, &out);
            break;
        }
        case 4:
            wbota_ota_on_indication_confirmed(&ota, &out);
            break;
        case 5:
            wbota_ota_on_disconnect(&ota, &out);
            break;
        default: /* loader restart: the engine starts over, flash keeps its content */
            wbota_ota_init(&ota, &cfg);
            memset(&out, 0, sizeof out);
            break;
        }
        if (raw && st_before != WBOTA_OTA_RECEIVING && s_ops != ops_before) {
            abort(); /* FE24 outside a session must not touch flash */
        }
        prv_after_event(&ota, &out);
    }
    return 0;
}
