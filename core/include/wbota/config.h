/* wbota/config.h - every build-time default of wbota, in one place, one prefix (WBOTA_CFG_*).
 * Owns: the default value of each option a build may override with -D (CMake passes them per
 * target, e.g. the fixed-LSE loader). The board's hardware description (WB_BOARD_*) lives in
 * firmware/board; its consistency checks in wb_board_defaults.h. Header-only, freestanding;
 * included by wbota/layout.h, so every part of wbota sees the same values.
 *
 * The layout's one number: WBOTA_CFG_APP_START_PAGE. The loader's size (pages [0, start)),
 * the loader linker script (--defsym from CMake), the CMake size budget and the example
 * application's linker script are all derived from it (firmware/CMakeLists.txt reads it here). */
#ifndef WBOTA_CONFIG_H
#define WBOTA_CONFIG_H

/* ---- layout ---- */
/* First application page; the loader owns pages [0, WBOTA_CFG_APP_START_PAGE). */
#ifndef WBOTA_CFG_APP_START_PAGE
#define WBOTA_CFG_APP_START_PAGE 7u
#endif
/* SFSA when the option byte cannot be read (host tools). 0xCB is a typical full BLE stack
 * install (stack from 0x080CB000); override with --sfsa on the tool. */
#ifndef WBOTA_CFG_DEFAULT_SFSA
#define WBOTA_CFG_DEFAULT_SFSA 0xCBu
#endif

/* ---- loader policy and clocks (option values equal the loader info block's) ---- */
#define WBOTA_CFG_RFWKP_LSE      1
#define WBOTA_CFG_RFWKP_HSE1024  2
#define WBOTA_CFG_RFWKP_ADAPTIVE 3
#define WBOTA_CFG_POLICY_ST      0
#define WBOTA_CFG_POLICY_SIGNED  1
#ifndef WBOTA_CFG_RFWKP
#define WBOTA_CFG_RFWKP WBOTA_CFG_RFWKP_ADAPTIVE
#endif
#ifndef WBOTA_CFG_POLICY
#define WBOTA_CFG_POLICY WBOTA_CFG_POLICY_ST
#endif
/* Loader update mode: 1 = staged (docs/staged.md), 0 = st (ST's erase-first behaviour). */
#ifndef WBOTA_CFG_STAGED
#define WBOTA_CFG_STAGED 0
#endif

/* ---- bounds of the chip waits (ms) ---- */
#ifndef WBOTA_CFG_HSE_TIMEOUT_MS
#define WBOTA_CFG_HSE_TIMEOUT_MS 100u /* HSE 32 MHz start-up is ~1 ms typical */
#endif
#ifndef WBOTA_CFG_LSE_TIMEOUT_MS
#define WBOTA_CFG_LSE_TIMEOUT_MS 2000u /* LSE crystal: up to 2 s (datasheet tSU(LSE)) */
#endif
#ifndef WBOTA_CFG_FLASH_SEM2_TIMEOUT_MS
#define WBOTA_CFG_FLASH_SEM2_TIMEOUT_MS 500u /* CPU2 holds Sem 2 during its own NVM writes */
#endif
#ifndef WBOTA_CFG_FLASH_SEM7_TIMEOUT_MS
#define WBOTA_CFG_FLASH_SEM7_TIMEOUT_MS 2000u /* radio busy: CPU2 may hold Sem 7 a while */
#endif
#ifndef WBOTA_CFG_FLASH_OP_TIMEOUT_MS
#define WBOTA_CFG_FLASH_OP_TIMEOUT_MS 100u /* page erase 22-25 ms max (datasheet), dw 90 us */
#endif

/* ---- CPU2 ---- */
#ifndef WBOTA_CFG_CPU2_CMD_MS
#define WBOTA_CFG_CPU2_CMD_MS 1000u /* bound on any one command's response */
#endif
#ifndef WBOTA_CFG_CPU2_FREEBUF_MS
#define WBOTA_CFG_CPU2_FREEBUF_MS 5u /* how long a release waits for channel 4 before deferring */
#endif
/* Bound on CPU2's ready event after C2BOOT. */
#ifndef WBOTA_CFG_CPU2_READY_MS
#define WBOTA_CFG_CPU2_READY_MS 1000u
#endif
/* Loader: CPU2 start-up attempts (each one a system reset) before pausing, and the pause. */
#ifndef WBOTA_CFG_CPU2_ATTEMPTS
#define WBOTA_CFG_CPU2_ATTEMPTS 3u
#endif
#ifndef WBOTA_CFG_CPU2_RETRY_PAUSE_MS
#define WBOTA_CFG_CPU2_RETRY_PAUSE_MS 60000u
#endif

/* ---- the loader's OTA service ---- */
/* A connected link silent for this long is dropped, in every state (mid-upload the session is
 * reset; after a verified upload the loader reboots into the new app, as on any disconnect
 * after a verified upload). */
#ifndef WBOTA_CFG_LINK_STALL_MS
#define WBOTA_CFG_LINK_STALL_MS 30000u
#endif
/* One connection lasts at most this long (a 784 KB image takes well under a minute). */
#ifndef WBOTA_CFG_SESSION_MAX_MS
#define WBOTA_CFG_SESSION_MAX_MS 300000u
#endif
/* After an error verdict on FE23 the link is dropped this long after the indication, so ST's
 * apps (which ignore FE23 values other than 0x01) report a failed update. */
#ifndef WBOTA_CFG_ERROR_DISCONNECT_MS
#define WBOTA_CFG_ERROR_DISCONNECT_MS 2000u
#endif
/* With a VALID app the loader goes back to it when no upload made progress for this long, in
 * every state, connected or not (a stranger's reboot request costs at most this downtime);
 * 0 = never. */
#ifndef WBOTA_CFG_IDLE_RETURN_MS
#define WBOTA_CFG_IDLE_RETURN_MS 60000u
#endif

/* Staged mode (docs/staged.md#slots) */
#ifndef WBOTA_CFG_ACTIVE_SLOT_PCT
#define WBOTA_CFG_ACTIVE_SLOT_PCT 50u /* active slot share of the app region; staging the rest */
#endif
/* Where the record pages are (docs/staged.md#slots): 0 = the last WBOTA_CFG_RECORD_PAGES
 * loader pages, directly below the app start: loader-owned and fixed, so a wireless-stack
 * install that moves SFSA cannot move them (or lose the counter); the loader's code must end
 * below them (20 KB with the default 7 loader pages; firmware option WB_RECORDS_IN_LOADER=ON).
 * 1 (today's default, because the staged signed loader with resume is ~20.8 KB) = the last
 * pages below SFSA, taken from the app region. Host tools and tests use this default; the
 * firmware build passes its choice explicitly. */
#ifndef WBOTA_CFG_RECORDS_AT_TOP
#define WBOTA_CFG_RECORDS_AT_TOP 1
#endif
#ifndef WBOTA_CFG_TEST_BOOTS
#define WBOTA_CFG_TEST_BOOTS 3u /* boots an installed image gets before it must confirm */
#endif
/* Staged install strategy (docs/staged.md#swap): 0 = overwrite (staging copied over the active
 * slot), 1 = swap (active and staging exchanged page by page through a scratch page, so the
 * previous app is kept and an image that never confirms is swapped back). Swap takes one app
 * page for the scratch page. */
#ifndef WBOTA_CFG_INSTALL_SWAP
#define WBOTA_CFG_INSTALL_SWAP 0
#endif
/* Whether the core carries the swap strategy's own paths (docs/staged.md#swap-free): 1 (host
 * tools, tests, the swap loader) = the revert, the revert copy kept in staging, the revert
 * details for the app; 0 (the overwrite-only loaders, to save flash) = swap records are still
 * parsed to the extent safety needs (a swap INSTALL or a REVERT leaves a half copy: no jump, no
 * verdict; their progress double words are skipped), the rest is left out. The record format
 * does not change. */
#ifndef WBOTA_CFG_SWAP_SUPPORT
#define WBOTA_CFG_SWAP_SUPPORT 1
#endif
#ifndef WBOTA_CFG_RECORD_PAGES
#define WBOTA_CFG_RECORD_PAGES 2u /* A/B: one holds the log, the other takes the compaction */
#endif

#endif
