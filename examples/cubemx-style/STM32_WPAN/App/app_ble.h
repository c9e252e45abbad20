/* app_ble.h - BLE application of the CubeMX-style example (STM32_WPAN/App in a CubeMX
 * project): bring-up, advertising, the service with the reboot characteristic FE11, and the
 * event dispatch to p2p_server_app.c. */
#ifndef APP_BLE_H
#define APP_BLE_H

#include <stdbool.h>
#include <stdint.h>

/* Starts CPU2 and the BLE server; ls_hse: the low-speed clock in force is HSE/1024. Calls
 * Error_Handler on failure (no radio). */
void APPE_Init(bool ls_hse);
/* One pass of the main loop: handles pending BLE events, then idles until the next. */
void APPE_Process(void);

/* Events of the service, handed to P2PS_App_Notification (p2p_server_app.c). */
typedef enum { P2PS_BOOT_REQUEST_EVT } p2ps_evt_opcode_t;
typedef struct {
    p2ps_evt_opcode_t opcode;
    const uint8_t *payload; /* the value written */
    uint16_t length;
} p2ps_notification_t;
void P2PS_App_Notification(const p2ps_notification_t *evt);

#endif
