/* ota_deps.h - everything ota_service.c uses from outside the loader, in one place.
 * Owns nothing: on the target it includes the CPU2/BLE layer and the chip port and names the
 * two fixed memory locations the service touches (boot mailbox, UID64). The host test
 * tests/unit/test_wb_ota_service.c defines WB_OTA_HOST_TEST, declares the same functions
 * through the same headers (by path) with fakes behind them, and points the two locations at
 * test buffers. */
#ifndef WB_LOADER_OTA_DEPS_H
#define WB_LOADER_OTA_DEPS_H

#ifndef WB_OTA_HOST_TEST
#include "wb/ble.h"
#include "wb/clock.h"
#include "wb/cpu2.h"
#include "wb/flash.h"
#include "wb/reset.h"
#include "wb/shci.h"
#include "wb/time.h"
#include "wbota/layout.h"

#define WB_OTA_MAILBOX ((volatile uint8_t *)WBOTA_MAILBOX_ADDR)
#define WB_OTA_UID64   ((const volatile uint32_t *)WB_BLE_UID64_ADDR)
#endif

#endif
