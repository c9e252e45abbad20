/* exit_codes.h - the exit status of the host programs `wbota` and `wbota-emu`: one table, each
 * number with one meaning across both (documented once: docs/wbota.md#exit-codes). Scripts
 * that run both tell failures apart by the number alone. wbota's numbers are stable (users
 * script against them); wbota-emu's own outcomes sit in 40..49, outside wbota's range.
 * Owns: the numbers. Used by tools/wbota (ui.h names them WBTOOL_EXIT_*) and emulator/soc. */
#ifndef WBOTA_EXIT_CODES_H
#define WBOTA_EXIT_CODES_H

/* both programs */
#define WBOTA_EXIT_OK       0 /* success (wbota-emu: a limit reached, or idle with --exit-on-idle) */
#define WBOTA_EXIT_CHECK    1 /* image checks or verification failed */
#define WBOTA_EXIT_USAGE    2 /* bad command line */
#define WBOTA_EXIT_IO       3 /* a file could not be read or written */
#define WBOTA_EXIT_INPUT    4 /* malformed input file (Intel HEX, ELF, PEM) */
#define WBOTA_EXIT_KEY      5 /* key unusable for the operation */
#define WBOTA_EXIT_INTERNAL 6 /* internal error (a bug, or out of memory) */
/* wbota upload / scan */
#define WBOTA_EXIT_CONNECT     10 /* transport unreachable (emulator not running) */
#define WBOTA_EXIT_NOT_FOUND   11 /* device or loader not found by a bounded scan */
#define WBOTA_EXIT_LINK_LOST   12 /* link lost during the upload */
#define WBOTA_EXIT_REJECTED    13 /* device rejected the image (reason code printed) */
#define WBOTA_EXIT_TIMEOUT     14 /* a bounded wait expired (no verdict, no answer) */
#define WBOTA_EXIT_UNCONFIRMED 15 /* accepted, but the new image was not seen running */
#define WBOTA_EXIT_UNSUPPORTED 16 /* device lacks the service/characteristic needed */
#define WBOTA_EXIT_NO_LOADER   17 /* the loader never appeared after the reboot request */
#define WBOTA_EXIT_NO_ADAPTER  18 /* BlueZ: no (such) Bluetooth adapter */
#define WBOTA_EXIT_ADAPTER_OFF 19 /* BlueZ: adapter powered off / blocked */
#define WBOTA_EXIT_NO_BLUEZ    20 /* BlueZ: bluetoothd not running */
#define WBOTA_EXIT_DENIED      21 /* BlueZ: permission denied */
#define WBOTA_EXIT_UNRESOLVED  22 /* BlueZ: services never resolved */
#define WBOTA_EXIT_BUSY        23 /* BlueZ: another operation in progress */
/* wbota-emu: how the emulated run ended */
#define WBOTA_EXIT_EMU_FAULT 40 /* CPU fault: bad access, undefined instruction, bad EXC_RETURN */
#define WBOTA_EXIT_EMU_RULE  41 /* a chip rule broken (EMU RULE), or unmodelled access (strict) */
#define WBOTA_EXIT_EMU_HANG  42 /* CPU1 sleeps with nothing to wake it */
#define WBOTA_EXIT_EMU_RADIO 43 /* the CPU2 model / virtual radio could not start on --radio */
/* wbota upload / scan */
#define WBOTA_EXIT_INTERRUPTED 130 /* Ctrl-C (128 + SIGINT, as shells report it) */

#endif
