/* app_conf.h - configuration of the CubeMX-style example, in the place a CubeMX/STM32_WPAN
 * project keeps it (Core/Inc/app_conf.h). Only the settings the wbota recipe touches
 * (docs/appkit.md#cubemx): the BLE low-speed clock given to CPU2 and the RF wake-up clock of
 * the RCC, which must name the same source. */
#ifndef APP_CONF_H
#define APP_CONF_H

/* Version advertised as CUBE-v<major>.0 (the build makes v1 and v2). */
#ifndef APP_VERSION_MAJOR
#define APP_VERSION_MAJOR 1
#endif

/* Low-speed clock sources, as BLE_INIT's LsSource bit 2 encodes them. */
#define CFG_BLE_LS_CLK_LSE      0u
#define CFG_BLE_LS_CLK_HSE_1024 (1u << 2)

/* USER CODE BEGIN CFG_BLE_LS_SOURCE */
/* The BLE low-speed clock CPU2 is told to use (ST's projects: CFG_BLE_LS_SOURCE in this file).
 * It must be the clock RCC_CSR.RFWKPSEL selects (CFG_RF_WAKEUP_CLOCK below, CubeMX's
 * RFWakeUpClockSelection in main.c): LSE here with HSE/1024 there (or the reverse) gives a
 * radio that never wakes up. */
#define CFG_BLE_LS_SOURCE CFG_BLE_LS_CLK_LSE
/* USER CODE END CFG_BLE_LS_SOURCE */

/* RF wake-up clock the RCC selects (what CubeMX writes into main.c from the clock tree). */
#define CFG_RF_WAKEUP_LSE      1u
#define CFG_RF_WAKEUP_HSE_1024 3u
#define CFG_RF_WAKEUP_CLOCK    CFG_RF_WAKEUP_LSE

_Static_assert((CFG_BLE_LS_SOURCE == CFG_BLE_LS_CLK_HSE_1024) ==
                   (CFG_RF_WAKEUP_CLOCK == CFG_RF_WAKEUP_HSE_1024),
               "CFG_BLE_LS_SOURCE must name the RF wake-up clock (LSE with LSE, HSE/1024 with "
               "HSE/1024): docs/appkit.md#cubemx");

#endif
