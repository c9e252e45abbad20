/* ota_deps.h - everything ota_service.c uses from outside the loader, in one place.
 * Owns nothing: on the target it includes the CPU2/BLE layer and the chip port and names the
 * two fixed memory locations the service touches (boot mailbox, UID64). The host build
 * (WB_OTA_HOST_TEST, library wbota_loader_host) points the two locations at buffers the test
 * defines (ota_host.h); the test fakes the functions behind the same headers. */
#ifndef WB_LOADER_OTA_DEPS_H
#define WB_LOADER_OTA_DEPS_H

#include "wb/ble.h"
#include "wb/clock.h"
#include "wb/cpu2.h"
#include "wb/flash.h"
#include "wb/reset.h"
#include "wb/shci.h"
#include "wb/time.h"
#include "wbota/layout.h"

#ifndef WB_OTA_HOST_TEST
#define WB_OTA_MAILBOX ((volatile uint8_t *)WBOTA_MAILBOX_ADDR)
#define WB_OTA_UID64   ((const volatile uint32_t *)WB_BLE_UID64_ADDR)
#else
#include "ota_host.h"
#define WB_OTA_MAILBOX ((volatile uint8_t *)wb_ota_host_mailbox)
#define WB_OTA_UID64   ((const volatile uint32_t *)wb_ota_host_uid64)
#endif

#endif
