/* main.c - the CubeMX-style example's start-up, laid out like the main.c STM32CubeMX generates
 * for an STM32_WPAN application: clock configuration, then the BLE application (APPE_Init in
 * app_ble.c), then the main loop. The project's own code; the USER CODE markers sit where
 * CubeMX keeps user code across regeneration. See docs/appkit.md#cubemx. */
#include "main.h"

#include <stdbool.h>

#include "app_ble.h"
#include "app_conf.h"
#include "wb/clock.h"
#include "wb/led.h"
#include "wbota/loader_info.h"

/* USER CODE BEGIN PV */
static bool s_ls_hse;
/* USER CODE END PV */

/* SystemClock_Config in CubeMX's main.c: HSE 32 MHz, LSE, and the RF wake-up clock
 * (RFWakeUpClockSelection). The low-speed clock CPU2 is told about (CFG_BLE_LS_SOURCE) must
 * match what the RCC runs: the clock driver reports what is in force. */
static void SystemClock_Config(void)
{
    wb_clock_status_t cs;
    uint8_t mode =
        CFG_RF_WAKEUP_CLOCK == CFG_RF_WAKEUP_HSE_1024 ? WBOTA_RFWKP_HSE1024 : WBOTA_RFWKP_LSE;
    wbota_err_t err = wb_clock_init(mode, &cs);
    if (err == WBOTA_OK) {
        err = cs.rfwkp_status;
    }
    if (err != WBOTA_OK) {
        Error_Handler(err);
    }
    s_ls_hse = cs.ls_source_hse;
    if (s_ls_hse != (CFG_BLE_LS_SOURCE == CFG_BLE_LS_CLK_HSE_1024)) {
        Error_Handler(WBOTA_E_RFWKP_TRAP); /* RF wake-up in force is not CFG_BLE_LS_SOURCE */
    }
}

void Error_Handler(wbota_err_t err)
{
    for (;;) {
        wb_led_show_code((uint32_t)(-(int)err), 5000u);
    }
}

int main(void)
{
    /* USER CODE BEGIN 1 */
    /* USER CODE END 1 */
    SystemClock_Config();
    wb_led_init();
    /* USER CODE BEGIN 2 */
    /* USER CODE END 2 */
    APPE_Init(s_ls_hse);
    for (;;) {
        /* USER CODE BEGIN WHILE */
        APPE_Process();
        /* USER CODE END WHILE */
    }
}
