/* ui.h - terminal output helpers of the wbota tool.
 * Owns: the tool's names of the shared exit codes (wbota/exit_codes.h), JSON string escaping,
 * and the progress bar (bytes, rate and ETA in device time like the upload summary, no rate before
 * one is measured, at most WBTOOL_PROGRESS_COLS columns; only on a terminal, never when piped or
 * with --json/--quiet).
 * Called by main.c and the subcommands. Host only. */
#ifndef WBTOOL_UI_H
#define WBTOOL_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wbota/err.h"
#include "wbota/exit_codes.h"

/* Exit codes: the table both host programs share (wbota/exit_codes.h, docs/wbota.md), under
 * the tool's names. */
#define WBTOOL_EXIT_OK          WBOTA_EXIT_OK
#define WBTOOL_EXIT_CHECK       WBOTA_EXIT_CHECK
#define WBTOOL_EXIT_USAGE       WBOTA_EXIT_USAGE
#define WBTOOL_EXIT_IO          WBOTA_EXIT_IO
#define WBTOOL_EXIT_INPUT       WBOTA_EXIT_INPUT
#define WBTOOL_EXIT_KEY         WBOTA_EXIT_KEY
#define WBTOOL_EXIT_INTERNAL    WBOTA_EXIT_INTERNAL
#define WBTOOL_EXIT_CONNECT     WBOTA_EXIT_CONNECT
#define WBTOOL_EXIT_NOT_FOUND   WBOTA_EXIT_NOT_FOUND
#define WBTOOL_EXIT_LINK_LOST   WBOTA_EXIT_LINK_LOST
#define WBTOOL_EXIT_REJECTED    WBOTA_EXIT_REJECTED
#define WBTOOL_EXIT_TIMEOUT     WBOTA_EXIT_TIMEOUT
#define WBTOOL_EXIT_UNCONFIRMED WBOTA_EXIT_UNCONFIRMED
#define WBTOOL_EXIT_UNSUPPORTED WBOTA_EXIT_UNSUPPORTED
#define WBTOOL_EXIT_NO_LOADER   WBOTA_EXIT_NO_LOADER
#define WBTOOL_EXIT_NO_ADAPTER  WBOTA_EXIT_NO_ADAPTER
#define WBTOOL_EXIT_ADAPTER_OFF WBOTA_EXIT_ADAPTER_OFF
#define WBTOOL_EXIT_NO_BLUEZ    WBOTA_EXIT_NO_BLUEZ
#define WBTOOL_EXIT_DENIED      WBOTA_EXIT_DENIED
#define WBTOOL_EXIT_UNRESOLVED  WBOTA_EXIT_UNRESOLVED
#define WBTOOL_EXIT_BUSY        WBOTA_EXIT_BUSY
#define WBTOOL_EXIT_INTERRUPTED WBOTA_EXIT_INTERRUPTED

/* Exit code of the transport-level reason codes above (0 for any other code). */
int wbtool_exit_for_transport(wbota_err_t err);
/* Installs the SIGINT/SIGTERM handler: the first signal sets wbtool_interrupted (transport.h)
 * without restarting system calls, so bounded waits end early and the tool disconnects
 * cleanly; a second one writes the interrupt note and exits 130 at once. */
void wbtool_catch_sigint(void);
/* The interrupt note: what a stop at this point leaves on the device ("" for nothing to say).
 * The command sets it as its stages pass and prints it after a clean stop. */
void wbtool_set_interrupt_note(const char *note);
const char *wbtool_interrupt_note(void);

void wbtool_json_str(FILE *f, const char *s);
void wbtool_json_hex(FILE *f, const uint8_t *d, size_t n);

typedef struct {
    bool enabled;
    uint64_t t0_us;
    uint64_t last_us;
    bool drawn; /* a bar is on the current line */
} wbtool_progress_t;

#define WBTOOL_PROGRESS_COLS 79 /* fits an 80-column terminal without wrapping */

uint64_t wbtool_wall_us(void);
void wbtool_progress_start(wbtool_progress_t *p, bool enabled);
/* The bar's text for done of total bytes after elapsed_us of device time (the clock of the
 * upload summary); returns its length (< cap, at most WBTOOL_PROGRESS_COLS for any input). */
size_t wbtool_progress_line(char *out, size_t cap, uint32_t done, uint32_t total,
                            uint64_t elapsed_us);
void wbtool_progress_update(wbtool_progress_t *p, uint32_t done, uint32_t total,
                            uint64_t elapsed_us);
void wbtool_progress_end(wbtool_progress_t *p);

#endif
