/* ota_host.h - the seams of the loader's radio side in its host build (the CMake library
 * wbota_loader_host: ota_service.c, flash_queue.c, the BLE layer and SHCI compiled with
 * WB_OTA_HOST_TEST for tests/unit/test_wb_ota_service.c and test_wb_flash_queue.c).
 * Owns nothing on the target, where this header is not included. On the host the test that
 * links the library defines the two fixed memory locations below and fakes everything the
 * firmware headers (wb/cpu2.h, wb/flash.h, wb/time.h, wb/reset.h) declare. */
#ifndef WB_LOADER_OTA_HOST_H
#define WB_LOADER_OTA_HOST_H

#include <stdint.h>

#include "wbota/mailbox.h"

/* Stand-ins for the boot mailbox (WBOTA_MAILBOX_ADDR) and the UID64 word pair
 * (WB_BLE_UID64_ADDR), defined by the test. */
extern uint8_t wb_ota_host_mailbox[WBOTA_MAILBOX_LEN];
extern const uint32_t wb_ota_host_uid64[2];

/* The flash queue as after a power-on reset (empty, default connection interval, no learnt
 * event grid): on the target the C start-up code does this by zeroing .bss. */
void wb_fq_host_power_on(void);

#endif
