/* cmd_scan.h - `wbota scan`: one line per advertising device (address, RSSI, kind, name) over
 * the emulator's radio or BlueZ. Kinds come from the advertising data only (upload.h's
 * helpers): a wbota loader (ST's loader advertising plus the loader information of
 * docs/protocol.md#loader-adv in the scan response), ST's OTA loader, an app with ST's OTA reboot
 * feature bit, other. Host only. */
#ifndef WBTOOL_CMD_SCAN_H
#define WBTOOL_CMD_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/loader_adv.h"

/* What a device is, from its advertising data (exposed for tests). */
typedef enum {
    WBTOOL_KIND_OTHER,
    WBTOOL_KIND_LOADER,
    WBTOOL_KIND_APP_OTA,
    WBTOOL_KIND_WBOTA_LOADER
} wbtool_kind_t;
wbtool_kind_t wbtool_adv_kind(const uint8_t *ad, size_t len);
const char *wbtool_kind_name(wbtool_kind_t k);

/* The loader information in advertising data (advertising + scan response, or what BlueZ
 * publishes): true when a manufacturer element carries it (wbota_ladv_decode). */
bool wbtool_adv_loader_info(const uint8_t *ad, size_t len, wbota_ladv_t *li);
/* One line of text, e.g. "v0.1.0 staged/signed, receiving, last E_LINK_LOST, app counter 1". */
void wbtool_fmt_loader_info(char *out, size_t cap, const wbota_ladv_t *li);

/* What `wbota scan` was asked for (main.c parses and checks the command line). */
typedef struct {
    const char *emu;      /* the emulator's radio, or NULL with ble */
    bool ble;             /* BlueZ */
    const char *adapter;  /* BlueZ adapter ("hci0"), NULL for the first powered one */
    uint32_t duration_ms; /* how long to listen */
    bool json, quiet;
} wbtool_scan_opts_t;

/* Listens for o->duration_ms and prints what advertised. Returns the process exit code
 * (docs/wbota.md). */
int wbtool_cmd_scan(const wbtool_scan_opts_t *o);

#endif
