/* wbota/loader_info.h - what a wbota loader publishes about itself.
 * Owns: (1) the loader information block, ON FLASH at WBOTA_LOADER_INFO_ADDR (right after the
 * loader's vector table), read by the app kit, `wbota image inspect` and `wbota layout`;
 * (2) the loader status word in SRAM1 at WBOTA_LOADER_STATUS_ADDR (0x20000004, inside the 8
 * bytes every image leaves alone), where the loader records why it gave up before returning to
 * the app, for an app or a debugger to read. Byte layouts are little-endian, parsed with
 * explicit helpers; never change a value here (it is on flash / shared with apps). */
#ifndef WBOTA_LOADER_INFO_H
#define WBOTA_LOADER_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/err.h"

#define WBOTA_LOADER_INFO_ADDR  0x08000200u
#define WBOTA_LOADER_INFO_MAGIC 0x4F4C4257u /* "WBLO" */
#define WBOTA_LOADER_INFO_LEN   32u

#define WBOTA_RFWKP_LSE      1u /* loader runs the radio on LSE only (fixed) */
#define WBOTA_RFWKP_HSE1024  2u /* loader runs the radio on HSE/1024 only (fixed) */
#define WBOTA_RFWKP_ADAPTIVE 3u /* loader follows whatever RFWKPSEL is in force */

/* Byte table (offset: field):
 *  0 u32 magic "WBLO"    4 u8 info format (1)    5 u8 policy (wbota_policy_t)
 *  6 u8 rfwkp mode        7 u8 app start page     8 u8 ver major  9 u8 ver minor
 * 10 u16 ver patch       12 u32 build id (first 4 bytes of the source hash)
 * 16 u32 loader size (bytes of flash used)       20 u32 key id of the built-in key (0: none)
 * 24..31 reserved 0xFF */
typedef struct {
    uint8_t format;
    uint8_t policy;
    uint8_t rfwkp_mode;
    uint8_t app_start_page;
    uint8_t ver_major, ver_minor;
    uint16_t ver_patch;
    uint32_t build_id;
    uint32_t loader_size;
    uint32_t key_id;
} wbota_loader_info_t;

void wbota_loader_info_encode(const wbota_loader_info_t *li, uint8_t out[WBOTA_LOADER_INFO_LEN]);
/* WBOTA_OK, or WBOTA_E_NO_LOADER when the magic or format is wrong. */
wbota_err_t wbota_loader_info_decode(const uint8_t in[WBOTA_LOADER_INFO_LEN],
                                     wbota_loader_info_t *li);

/* Loader status word at 0x20000004: [0] 0xA5 valid marker, [1] reason = (uint8_t)(-code),
 * [2] CPU2 start attempts, [3] flags (bit0: returned to app after giving up). */
#define WBOTA_LOADER_STATUS_MARK      0xA5u
#define WBOTA_LOADER_STATUS_F_GAVE_UP 0x01u

/* RF wake-up trap check shared by app kit and loader: can a loader with this mode run the radio
 * when RFWKPSEL (RCC_CSR[15:14]) holds rfwkpsel? (00 none and 01 LSE can still be switched by
 * the loader; 11 HSE/1024 is stuck until power-on.) WBOTA_OK or WBOTA_E_RFWKP_TRAP. */
wbota_err_t wbota_rfwkp_compatible(uint8_t loader_rfwkp_mode, uint32_t rfwkpsel);

#endif
