/* ui.h - terminal output helpers of the wbota tool.
 * Owns: the exit codes (documented in docs/wbota.md), JSON string escaping, and the progress
 * bar (bytes, rate and ETA in device time like the upload summary, no rate before one is
 * measured, at most WBTOOL_PROGRESS_COLS columns; only on a terminal, never when piped or
 * with --json/--quiet).
 * Called by main.c and the subcommands. Host only. */
#ifndef WBTOOL_UI_H
#define WBTOOL_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wbota/err.h"

/* Exit codes: stable, documented in docs/wbota.md. */
#define WBTOOL_EXIT_OK          0
#define WBTOOL_EXIT_CHECK       1   /* image checks or verification failed */
#define WBTOOL_EXIT_USAGE       2   /* bad command line */
#define WBTOOL_EXIT_IO          3   /* cannot read or write a file */
#define WBTOOL_EXIT_INPUT       4   /* malformed input file (HEX, ELF, PEM) */
#define WBTOOL_EXIT_KEY         5   /* key unusable for the operation */
#define WBTOOL_EXIT_INTERNAL    6   /* internal error (a bug: please report) */
#define WBTOOL_EXIT_CONNECT     10  /* transport unreachable (emulator not running) */
#define WBTOOL_EXIT_NOT_FOUND   11  /* device or loader not found by a bounded scan */
#define WBTOOL_EXIT_LINK_LOST   12  /* link lost during the upload */
#define WBTOOL_EXIT_REJECTED    13  /* device rejected the image (reason code printed) */
#define WBTOOL_EXIT_TIMEOUT     14  /* a bounded wait expired (no verdict, no answer) */
#define WBTOOL_EXIT_UNCONFIRMED 15  /* accepted, but the new image was not seen running */
#define WBTOOL_EXIT_UNSUPPORTED 16  /* device lacks the service/characteristic needed */
#define WBTOOL_EXIT_NO_LOADER   17  /* the loader never appeared after the reboot request */
#define WBTOOL_EXIT_NO_ADAPTER  18  /* BlueZ: no (such) Bluetooth adapter */
#define WBTOOL_EXIT_ADAPTER_OFF 19  /* BlueZ: adapter powered off / blocked */
#define WBTOOL_EXIT_NO_BLUEZ    20  /* BlueZ: bluetoothd not running */
#define WBTOOL_EXIT_DENIED      21  /* BlueZ: permission denied */
#define WBTOOL_EXIT_UNRESOLVED  22  /* BlueZ: services never resolved */
#define WBTOOL_EXIT_BUSY        23  /* BlueZ: another operation in progress */
#define WBTOOL_EXIT_INTERRUPTED 130 /* Ctrl-C (128 + SIGINT, as shells report it) */

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
