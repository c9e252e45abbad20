/* merge.h - production image of the wbota tool: loader + application in one file.
 * Owns: placing both inputs in one flash window (loader pages [0, app page), app from the app
 * page), refusing overlaps, reading the loader information block (core loader_info) and
 * checking it agrees with the app page. Called by `wbota merge` and its tests. Host only. */
#ifndef WBTOOL_MERGE_H
#define WBTOOL_MERGE_H

#include <stdbool.h>

#include "appimg.h"
#include "wbota/loader_info.h"

/* Reads the loader info block from a flash window when it covers WBOTA_LOADER_INFO_ADDR. */
bool wbtool_loader_info_from(const wbtool_flat_t *fl, wbota_loader_info_t *li);

/* Builds out = [0x08000000, end of app) (caller frees out->data). Errors go to rep; returns
 * WBOTA_OK or WBOTA_E_ARG (rep has errors) / WBOTA_E_IO. */
wbota_err_t wbtool_merge(const wbtool_input_t *loader, const wbtool_input_t *app,
                         const wbota_layout_t *lay, wbtool_report_t *rep, wbtool_flat_t *out,
                         wbota_loader_info_t *li, bool *has_li);

#endif
