/* wbota/loader_adv.h - the loader information a wbota loader publishes in its scan response.
 * Owns: the byte layout of the 17 bytes that follow ST's 12 manufacturer-data bytes in the
 * loader's scan response (docs/protocol.md#loader-adv), their encoder (loader) and decoder
 * (host tool). ST's part stays byte for byte what ST's loader advertises
 * (docs/st-interface.md#advertising), so a central that keeps only one manufacturer value per
 * device still identifies the loader. Freestanding; no allocation. */
#ifndef WBOTA_LOADER_ADV_H
#define WBOTA_LOADER_ADV_H

#include <stddef.h>
#include <stdint.h>

#include "wbota/err.h"

#define WBOTA_LADV_FORMAT      1u /* the layout below */
#define WBOTA_LADV_ST_LEN      12u /* ST's manufacturer data: 01 86 00 00 00 00 <address MSB first> */
#define WBOTA_LADV_LEN         17u /* wbota's bytes after ST's */
#define WBOTA_LADV_AD_LEN      31u /* the whole AD structure: len, 0xFF, ST's 12, wbota's 17 */
#define WBOTA_LADV_UNKNOWN     0xFFFFFFFFu /* active_counter when the loader does not know it */
#define WBOTA_LADV_MODE_ST     0u
#define WBOTA_LADV_MODE_STAGED 1u
#define WBOTA_LADV_MODE_SWAP   2u /* staged with the swap strategy (docs/staged.md#swap) */

typedef enum {
    WBOTA_LADV_WAITING = 0,   /* waiting for an upload */
    WBOTA_LADV_RECEIVING = 1, /* an upload is under way (staged: a resumable download is kept) */
    WBOTA_LADV_VERIFIED = 2,  /* an upload was verified; the loader is about to start it */
    WBOTA_LADV_ERROR = 3,     /* the last upload failed: last_reason says why */
    WBOTA_LADV_GAVE_UP = 4,   /* staged: an image in test never confirmed; the loader stays */
    WBOTA_LADV_STATE_COUNT
} wbota_ladv_state_t;

/* Byte table (offset after ST's 12 bytes: field):
 *  0 u8 format (1)      1 u8 mode (bits 3:0, 0 st / 1 staged / 2 swap) | policy << 4 (0 st / 1
 * signed) 2 u8 ver major       3 u8 ver minor       4 u16 ver patch 6 u8 state (wbota_ladv_state_t)
 * 7 u8 last reason  8 u8 last stay reason 9 u32 active app's security counter (0xFFFFFFFF unknown)
 * 13 u32 reverted from: security counter of an image the loader reverted from (0: none)
 * Reasons are the negated reason code (docs/reason-codes.md), 0 for none. Little-endian. */
typedef struct {
    uint8_t format; /* decode: the format found; encode always writes WBOTA_LADV_FORMAT */
    uint8_t mode;   /* WBOTA_LADV_MODE_* */
    uint8_t policy; /* wbota_policy_t */
    uint8_t ver_major, ver_minor;
    uint16_t ver_patch;
    uint8_t state;           /* wbota_ladv_state_t */
    wbota_err_t last_reason; /* why the last upload failed (WBOTA_OK: none) */
    wbota_err_t stay_reason; /* why the loader last stayed instead of booting (staged) */
    uint32_t active_counter; /* WBOTA_LADV_UNKNOWN when not known */
    uint32_t reverted_from;  /* 0: none */
} wbota_ladv_t;

void wbota_ladv_encode(const wbota_ladv_t *li, uint8_t out[WBOTA_LADV_LEN]);

/* m: manufacturer-specific data (the bytes after the AD type 0xFF), n its length. WBOTA_OK when
 * it is ST's loader prefix (01 86) followed by wbota's bytes of a known format; WBOTA_E_PARSE
 * otherwise (ST's own loader, another device, a newer format). */
wbota_err_t wbota_ladv_decode(const uint8_t *m, size_t n, wbota_ladv_t *li);

/* "waiting", "receiving", "verified", "error", "gave-up" ("?" for an unknown value). */
const char *wbota_ladv_state_name(uint8_t state);
/* "st", "staged", "swap" ("?" for an unknown value). */
const char *wbota_ladv_mode_name(uint8_t mode);

#endif
