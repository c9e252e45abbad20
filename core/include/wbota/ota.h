/* wbota/ota.h - the ST-compatible OTA GATT protocol engine (FE22/FE23/FE24).
 * Owns: the session state machine fed with GATT events, the 8-byte accumulation and 0xFF tail
 * padding, the writable-region rule, incremental SHA-256 and the verdict at "upload finished".
 * It drives flash only through wbota_ota_flash_t and never touches hardware or the radio: the
 * loader turns its outputs (FE23 value + indicate, reboot, start FUS) into ACI calls.
 * Wire: FE22 = [cmd][addr 23..16][15..8][7..0] (big-endian, OR 0x08000000); "finished" may be
 * the single byte 0x07; a 5-byte FE22 (newer clients) is accepted, byte 4 ignored.
 * FE24 = 1..248 bytes. Every input is attacker-controlled. Freestanding; no allocation. */
#ifndef WBOTA_OTA_H
#define WBOTA_OTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/image.h"
#include "wbota/st_ota.h"

/* ST's FE22 command bytes and FE23 success value live in wbota/st_ota.h */
#define WBOTA_OTA_CMD_STOP     WBOTA_ST_CMD_STOP
#define WBOTA_OTA_CMD_WIRELESS WBOTA_ST_CMD_WIRELESS
#define WBOTA_OTA_CMD_APP      WBOTA_ST_CMD_APP
#define WBOTA_OTA_CMD_FINISHED WBOTA_ST_CMD_FINISHED
#define WBOTA_OTA_CMD_CANCEL   WBOTA_ST_CMD_CANCEL
#define WBOTA_OTA_RAW_MAX      248u
#define WBOTA_OTA_FE23_SUCCESS WBOTA_ST_FE23_SUCCESS
/* wbota's resume extension (staged mode, docs/protocol.md#resume); ST clients never send these:
 * FE22 `0B t t t t`: start an application upload at the app start tagged t (big-endian, != 0),
 * FE22 `0A t t t t`: resume the upload tagged t; FE23 answers 0x04 + k = continue at page k of
 * the image (offset k * 4096), or the refusal (E_RESUME_OTHER 0xB3, E_RESUME_NONE 0xB4). */
#define WBOTA_OTA_CMD_RESUME       0x0Au
#define WBOTA_OTA_CMD_START_TAGGED 0x0Bu
#define WBOTA_OTA_FE23_RESUME_BASE 0x04u
#define WBOTA_OTA_RESUME_MAX_PAGES 0x7Bu /* 0x04 + k stays below 0x80 (the failure range) */

/* Flash seam: implemented by the firmware flash driver, the host flash model, the fuzzers.
 * Which layer checks what (docs/flash-rules.md#who-checks-what): this engine decides what may be
 * written - range inside the app region, alignment, blank check before programming, read-back
 * verify after it; the implementation only executes and reports hardware errors (the firmware
 * driver also keeps a fence around the loader's and CPU2's pages). */
typedef struct {
    wbota_err_t (*erase_page_cb)(void *ctx, uint32_t page);
    wbota_err_t (*program_dw_cb)(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE]);
    wbota_err_t (*read_cb)(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len);
    void *ctx;
} wbota_ota_flash_t;

/* The flash seam made of these three operations and their context. */
static inline wbota_ota_flash_t wbota_ota_flash_port(
    wbota_err_t (*erase_page_cb)(void *ctx, uint32_t page),
    wbota_err_t (*program_dw_cb)(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE]),
    wbota_err_t (*read_cb)(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len), void *ctx)
{
    wbota_ota_flash_t f = {erase_page_cb, program_dw_cb, read_cb, ctx};
    return f;
}

typedef enum {
    WBOTA_OTA_IDLE = 0,  /* no session */
    WBOTA_OTA_RECEIVING, /* FE22 start accepted, FE24 data flowing */
    WBOTA_OTA_VERIFIED,  /* finished + verified; FE23 0x01 sent, waiting for confirm/disconnect */
    WBOTA_OTA_ERROR,     /* session failed; FE23 error sent; a new FE22 start recovers */
} wbota_ota_state_t;

/* What the loader must do after an event (may be several). */
#define WBOTA_OTA_OUT_INDICATE   0x1u /* update FE23 with out.fe23 and indicate it */
#define WBOTA_OTA_OUT_REBOOT_APP 0x2u /* mailbox {00,..} and system reset into the new app */
/* wireless image stored (under `signed`: its product-signed manifest verified): run FUS */
#define WBOTA_OTA_OUT_START_FUS 0x4u

typedef struct {
    uint32_t actions;   /* WBOTA_OTA_OUT_* */
    uint8_t fe23;       /* value for FE23 when INDICATE is set */
    wbota_err_t status; /* result of this event (WBOTA_OK or the reason it was rejected) */
} wbota_ota_out_t;

struct wbota_records_s;
struct wbota_ota_config_s;

/* Staged mode's part of the engine, reached only through this table so that an `st` build
 * links none of it: wbota_staged_ota (wbota/staged.h). */
typedef struct {
    /* an FE22 start is about to write into staging */
    wbota_err_t (*session_start_cb)(struct wbota_records_s *rec);
    /* "finished": the complete check of the staging copy (read through mem at the active
     * addresses) and the VERIFIED record */
    wbota_err_t (*finish_cb)(const struct wbota_ota_config_s *cfg, const wbota_mem_t *mem,
                             const wbota_precomputed_hash_t *pre);
    /* resume: the staging pages recorded for the download tagged tag, or E_RESUME_OTHER /
     * E_RESUME_NONE */
    wbota_err_t (*resume_cb)(struct wbota_records_s *rec, uint32_t tag, uint32_t *pages);
    /* the download tagged tag (0: an untagged one, voids a resumable download) holds its first
     * pages staging pages */
    wbota_err_t (*progress_cb)(struct wbota_records_s *rec, uint32_t tag, uint32_t pages);
} wbota_ota_staged_t;

typedef struct wbota_ota_config_s {
    wbota_layout_t layout;
    wbota_policy_t policy;
    const wbota_trust_t *trust;
    wbota_ota_flash_t flash;
    /* Staged mode (docs/staged.md) when staged and records are set: an application session at
     * [app start, + active slot) is written at the same offset in the staging slot, a wireless
     * session must lie inside the staging slot, and "finished" runs the staged check and
     * records VERIFIED. NULL: `st` mode (erase-first, ST's semantics). */
    const wbota_ota_staged_t *staged;
    struct wbota_records_s *records;
    uint32_t active_pages;  /* staged: active slot pages from the app start page */
    uint32_t staging_page;  /* staged: first staging page */
    uint32_t staging_pages; /* staged: staging slot pages */
} wbota_ota_config_t;

typedef struct {
    wbota_ota_config_t cfg;
    wbota_ota_state_t state;
    uint8_t kind;  /* WBOTA_OTA_CMD_APP or _WIRELESS for the current session */
    uint32_t base; /* start address of the session */
    uint32_t next; /* address of the next double word to program */
    uint8_t acc[WBOTA_DW_SIZE];
    uint8_t acc_len;
    uint32_t bytes;                       /* payload bytes received this session */
    uint8_t erased[WBOTA_PAGE_COUNT / 8]; /* pages erased (or found blank) this session */
    wbota_err_t last_error;
    /* incremental hash of the stream, lagging WBOTA_MANIFEST_MAX_LEN + 8 bytes behind so the
     * manifest region can be excluded once its position is known */
    wbota_sha256_t sha;
    uint8_t lag[WBOTA_MANIFEST_MAX_LEN + 8u];
    uint32_t lag_len;
    uint32_t hashed;         /* bytes fed to sha */
    uint32_t tag;            /* staged: the session's image tag (0: untagged, not resumable) */
    bool resumed;            /* the session continues a recorded download: hash the flash at 07 */
    wbota_image_info_t info; /* verdict details of the last finished upload */
} wbota_ota_t;

void wbota_ota_init(wbota_ota_t *ota, const wbota_ota_config_t *cfg);
/* FE22 written (len 1..5). */
void wbota_ota_on_base_write(wbota_ota_t *ota, const uint8_t *val, size_t len,
                             wbota_ota_out_t *out);
/* FE24 written (len 1..248). */
void wbota_ota_on_raw_write(wbota_ota_t *ota, const uint8_t *val, size_t len, wbota_ota_out_t *out);
/* The client confirmed the FE23 indication. */
void wbota_ota_on_indication_confirmed(wbota_ota_t *ota, wbota_ota_out_t *out);
/* Link dropped: mid-upload -> back to IDLE (flash keeps what was written; the image has no
 * magic so it can never boot); after a verified finish -> REBOOT_APP / START_FUS (the client
 * need not confirm the indication, unlike ST). */
void wbota_ota_on_disconnect(wbota_ota_t *ota, wbota_ota_out_t *out);

#endif
