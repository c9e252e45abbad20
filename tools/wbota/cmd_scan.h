/* cmd_scan.h - `wbota scan`: one line per advertising device (address, RSSI, kind, name) over
 * the emulator's radio or BlueZ. Kinds come from the advertising data only (upload.h's
 * helpers): ST OTA loader, app with ST's OTA reboot feature bit, other. Host only. */
#ifndef WBTOOL_CMD_SCAN_H
#define WBTOOL_CMD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a device is, from its advertising data (exposed for tests). */
typedef enum { WBTOOL_KIND_OTHER, WBTOOL_KIND_LOADER, WBTOOL_KIND_APP_OTA } wbtool_kind_t;
wbtool_kind_t wbtool_adv_kind(const uint8_t *ad, size_t len);
const char *wbtool_kind_name(wbtool_kind_t k);

/* argv[0] = "scan". Returns the process exit code (docs/wbota.md). */
int wbtool_cmd_scan(int argc, char **argv);

#endif
