/* p2p_server_app.c - the service's application callback of the CubeMX-style example, where
 * ST's STM32_WPAN projects handle the reboot characteristic (a BOOT_REQUEST event in the
 * service's App_Notification). ST's generated case writes the value to SRAM1 and resets; here
 * those two lines are replaced by the app kit's checked request, between the USER CODE markers
 * that CubeMX keeps across regeneration (docs/appkit.md#cubemx). */
#include "app_ble.h"

/* USER CODE BEGIN Includes */
#include "wbota_appkit.h"
/* USER CODE END Includes */

void P2PS_App_Notification(const p2ps_notification_t *evt)
{
    switch (evt->opcode) {
        /* USER CODE BEGIN P2PS_App_Notification_Opcode */
    case P2PS_BOOT_REQUEST_EVT:
        /* validates [mode][first page][n pages], refuses when the loader could not run the
         * radio, writes the boot mailbox, resets; returns only when it refuses */
        (void)wbota_reboot_request(evt->payload, evt->length);
        break;
        /* USER CODE END P2PS_App_Notification_Opcode */
    default:
        break;
    }
}
