/* wb_board_defaults.h - defaults and consistency checks for wb_board_config.h.
 * Owns: the default of every board option (WB_BOARD_*) and the #error for impossible
 * combinations; the WBOTA_CFG_* defaults are in wbota/config.h.
 * Included only through wb_board.h (after the user's wb_board_config.h). */
#ifndef WB_BOARD_DEFAULTS_H
#define WB_BOARD_DEFAULTS_H

#ifndef WB_BOARD_INCLUDING_DEFAULTS
#error "include wb_board.h, not wb_board_defaults.h"
#endif

/* Every WBOTA_CFG_* default and option value: wbota/config.h */
#include "wbota/config.h"

#ifndef WB_BOARD_HAS_LSE
#define WB_BOARD_HAS_LSE 1
#endif
#ifndef WB_BOARD_HAS_LED
#define WB_BOARD_HAS_LED 0
#endif
#ifndef WB_BOARD_LED_PORT
#define WB_BOARD_LED_PORT 0
#endif
#ifndef WB_BOARD_LED_PIN
#define WB_BOARD_LED_PIN 0
#endif
#ifndef WB_BOARD_LED_ACTIVE_HIGH
#define WB_BOARD_LED_ACTIVE_HIGH 1
#endif
#ifndef WB_BOARD_SMPS
#define WB_BOARD_SMPS 0
#endif

#if (WB_BOARD_HAS_LSE != 0) && (WB_BOARD_HAS_LSE != 1)
#error "WB_BOARD_HAS_LSE must be 0 or 1"
#endif
#if (WB_BOARD_SMPS != 0) && (WB_BOARD_SMPS != 1)
#error "WB_BOARD_SMPS must be 0 or 1"
#endif
#if (WBOTA_CFG_RFWKP != WBOTA_CFG_RFWKP_LSE) && (WBOTA_CFG_RFWKP != WBOTA_CFG_RFWKP_HSE1024) &&    \
    (WBOTA_CFG_RFWKP != WBOTA_CFG_RFWKP_ADAPTIVE)
#error                                                                                             \
    "WBOTA_CFG_RFWKP must be WBOTA_CFG_RFWKP_ADAPTIVE, WBOTA_CFG_RFWKP_LSE or WBOTA_CFG_RFWKP_HSE1024"
#endif
#if (WBOTA_CFG_RFWKP == WBOTA_CFG_RFWKP_LSE) && !WB_BOARD_HAS_LSE
#error "WBOTA_CFG_RFWKP_LSE needs an LSE crystal: set WB_BOARD_HAS_LSE 1 or use ADAPTIVE/HSE1024"
#endif
#if (WBOTA_CFG_CPU2_ATTEMPTS < 1) || (WBOTA_CFG_CPU2_ATTEMPTS > 255)
#error "WBOTA_CFG_CPU2_ATTEMPTS must be 1..255 (counted in one byte of the loader status word)"
#endif
#if (WBOTA_CFG_POLICY != WBOTA_CFG_POLICY_ST) && (WBOTA_CFG_POLICY != WBOTA_CFG_POLICY_SIGNED)
#error "WBOTA_CFG_POLICY must be WBOTA_CFG_POLICY_ST or WBOTA_CFG_POLICY_SIGNED"
#endif
#if WB_BOARD_HAS_LED
#if (WB_BOARD_LED_PORT < 0) || (WB_BOARD_LED_PORT > 7) || (WB_BOARD_LED_PORT == 5) ||              \
    (WB_BOARD_LED_PORT == 6)
#error "WB_BOARD_LED_PORT: 0..4 (A..E) or 7 (H)"
#endif
#if (WB_BOARD_LED_PIN < 0) || (WB_BOARD_LED_PIN > 15)
#error "WB_BOARD_LED_PIN must be 0..15"
#endif
#endif

#endif
