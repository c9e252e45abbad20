/* merge.h - production image of the wbota tool: loader + application in one file.
 * Owns: placing both inputs in one flash window (loader pages [0, app page), app from the app
 * page), refusing overlaps, reading the loader information block (core loader_info) and
 * checking it agrees with the app page, and the reverse: splitting a merged image into its
 * loader information and its app part so the app can be judged alone (image verify/inspect).
 * Called by `wbota merge`, `wbota image verify|inspect` and their tests. Host only. */
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

/* A raw binary starting with a wbota loader (its information block 0x200 bytes in) is a merged
 * production image: it starts at 0x08000000, not where it was loaded. Moves in's segments
 * there and returns true; false (in untouched) for anything else. */
bool wbtool_merged_rebase_bin(wbtool_input_t *in);

typedef struct {
    bool merged;            /* in held loader pages and an app: app/li below are valid */
    wbtool_input_t app;     /* the bytes from the app start on (free with wbtool_input_free) */
    bool has_li;            /* the loader pages carry an information block */
    wbota_loader_info_t li; /* ... decoded */
} wbtool_merged_t;

/* Splits in when it covers both loader pages and the app start. out->merged false (and nothing
 * to free) when in is an application alone. WBOTA_OK or the memimg error. */
wbota_err_t wbtool_merged_split(const wbtool_input_t *in, const wbota_layout_t *lay,
                                wbtool_merged_t *out);

#endif
