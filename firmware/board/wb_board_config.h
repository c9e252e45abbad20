/* wb_board_config.h - THE board configuration of the wbota firmware (edit this file for a
 * custom board; docs/porting.md explains every option).
 * Owns: which oscillators, LED and power supply the board has, and the loader's build options.
 * Every option is guarded with #ifndef so a build variant can override it with -D (the
 * firmware CMakeLists builds the LSE-fixed and signed loaders that way). Options left out here
 * take the defaults of wb_board_defaults.h; include "wb_board.h", never this file directly. */
#ifndef WB_BOARD_CONFIG_H
#define WB_BOARD_CONFIG_H

/* Board: ST Nucleo-WB55 (MB1355): 32.768 kHz LSE crystal, blue LED LD1 on PB5. */

/* 1: a 32.768 kHz LSE crystal is fitted (radio low-speed clock LSE possible). */
#ifndef WB_BOARD_HAS_LSE
#define WB_BOARD_HAS_LSE 1
#endif

/* Status LED: WB_BOARD_HAS_LED 0 for none. Port 0 = A .. 4 = E, 7 = H. */
#ifndef WB_BOARD_HAS_LED
#define WB_BOARD_HAS_LED 1
#endif
#ifndef WB_BOARD_LED_PORT
#define WB_BOARD_LED_PORT 1 /* B */
#endif
#ifndef WB_BOARD_LED_PIN
#define WB_BOARD_LED_PIN 5
#endif
#ifndef WB_BOARD_LED_ACTIVE_HIGH
#define WB_BOARD_LED_ACTIVE_HIGH 1
#endif

/* 1: the SMPS inductor is fitted and the step-down converter is used; 0: LDO only. */
#ifndef WB_BOARD_SMPS
#define WB_BOARD_SMPS 0
#endif

/* Loader options (RF wake-up clock WBOTA_CFG_RFWKP, policy WBOTA_CFG_POLICY, timeouts) are not
 * board facts: their defaults and values are in core/include/wbota/config.h; a build sets them
 * with -D (firmware/CMakeLists.txt: wb_add_loader(NAME WBOTA_CFG_RFWKP=1 ...)). */

#endif
