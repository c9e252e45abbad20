/* wb_board_defaults.h - defaults and consistency checks for wb_board_config.h.
 * Owns: the default of every board/loader option and the #error for impossible combinations.
 * Included only through wb_board.h (after the user's wb_board_config.h). */
#ifndef WB_BOARD_DEFAULTS_H
#define WB_BOARD_DEFAULTS_H

#ifndef WB_BOARD_INCLUDING_DEFAULTS
#error "include wb_board.h, not wb_board_defaults.h"
#endif

/* Option values (numbers equal the loader info block's WBOTA_RFWKP_* / wbota_policy_t). */
#define WB_CFG_RFWKP_LSE        1
#define WB_CFG_RFWKP_HSE1024    2
#define WB_CFG_RFWKP_ADAPTIVE   3
#define WBOTA_CFG_POLICY_ST     0
#define WBOTA_CFG_POLICY_SIGNED 1

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
#ifndef WB_CFG_RFWKP
#define WB_CFG_RFWKP WB_CFG_RFWKP_ADAPTIVE
#endif
#ifndef WBOTA_CFG_POLICY
#define WBOTA_CFG_POLICY WBOTA_CFG_POLICY_ST
#endif

/* Bounds of the chip waits (ms). */
#ifndef WB_CFG_HSE_TIMEOUT_MS
#define WB_CFG_HSE_TIMEOUT_MS 100u /* HSE 32 MHz start-up is ~1 ms typical */
#endif
#ifndef WB_CFG_LSE_TIMEOUT_MS
#define WB_CFG_LSE_TIMEOUT_MS 2000u /* LSE crystal: up to 2 s (datasheet tSU(LSE)) */
#endif
#ifndef WB_CFG_FLASH_SEM2_TIMEOUT_MS
#define WB_CFG_FLASH_SEM2_TIMEOUT_MS 500u /* CPU2 holds Sem 2 during its own NVM writes */
#endif
#ifndef WB_CFG_FLASH_SEM7_TIMEOUT_MS
#define WB_CFG_FLASH_SEM7_TIMEOUT_MS 2000u /* radio busy: CPU2 may hold Sem 7 a while */
#endif
#ifndef WB_CFG_FLASH_OP_TIMEOUT_MS
#define WB_CFG_FLASH_OP_TIMEOUT_MS 100u /* page erase 22-25 ms max (datasheet), dw 90 us */
#endif
/* Loader: CPU2 start-up attempts (each one a system reset) before pausing, and the pause. */
#ifndef WB_CFG_CPU2_ATTEMPTS
#define WB_CFG_CPU2_ATTEMPTS 3u
#endif
#ifndef WB_CFG_CPU2_RETRY_PAUSE_MS
#define WB_CFG_CPU2_RETRY_PAUSE_MS 60000u
#endif

#if (WB_BOARD_HAS_LSE != 0) && (WB_BOARD_HAS_LSE != 1)
#error "WB_BOARD_HAS_LSE must be 0 or 1"
#endif
#if (WB_BOARD_SMPS != 0) && (WB_BOARD_SMPS != 1)
#error "WB_BOARD_SMPS must be 0 or 1"
#endif
#if (WB_CFG_RFWKP != WB_CFG_RFWKP_LSE) && (WB_CFG_RFWKP != WB_CFG_RFWKP_HSE1024) &&                \
    (WB_CFG_RFWKP != WB_CFG_RFWKP_ADAPTIVE)
#error "WB_CFG_RFWKP must be WB_CFG_RFWKP_ADAPTIVE, WB_CFG_RFWKP_LSE or WB_CFG_RFWKP_HSE1024"
#endif
#if (WB_CFG_RFWKP == WB_CFG_RFWKP_LSE) && !WB_BOARD_HAS_LSE
#error "WB_CFG_RFWKP_LSE needs an LSE crystal: set WB_BOARD_HAS_LSE 1 or use ADAPTIVE/HSE1024"
#endif
#if (WB_CFG_CPU2_ATTEMPTS < 1) || (WB_CFG_CPU2_ATTEMPTS > 255)
#error "WB_CFG_CPU2_ATTEMPTS must be 1..255 (counted in one byte of the loader status word)"
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
