/* err.c - names and one-line explanations of every wbota_err_t (wbota/err.h).
 * Host tools and tests print these; docs/reason-codes.md carries the same table for users.
 * Indexed by -code so a new code is one new line in each table, in order. */
#include "wbota/err.h"

#include <stddef.h>

typedef struct {
    const char *name;
    const char *text;
} err_entry_t;

/* Index = -code; entry 1 is the reserved -1 (FE23 0x01 = ST's success). */
static const err_entry_t s_errs[] = {
    {"OK", "Success."},
    {"E_RESERVED_1", "Reserved code -1 (0x01 on FE23 means success); report this as a bug."},
    {"E_ARG", "Programmer error: a bad argument reached a wbota function; report it as a bug."},
    {"E_RANGE", "Address or page outside the region this operation may touch; use an address in "
                "the application region [app start, SFSA)."},
    {"E_ALIGN", "Misaligned address; flash writes start on an 8-byte boundary."},
    {"E_MAILBOX_MODE", "Boot mailbox mode byte is not 0x00, 0x01 or 0x02; write a valid reboot "
                       "request (e.g. 01 07 FF)."},
    {"E_MAILBOX_PAGE", "Reboot request would erase a loader page or starts at/above SFSA; first "
                       "page must be the app start page (7) or above and below SFSA."},
    {"E_MAILBOX_EMPTY", "Reboot request asks to erase zero pages; send a page count (FF = all)."},
    {"E_NO_APP", "No application in flash (app region erased); upload one."},
    {"E_TAG_PTR", "Word at app start + 0x140 does not point inside the image; link the tag "
                  "pointer after the vector table and the magic inside the app region."},
    {"E_MAGIC", "Magic 0x94448A29 missing where the tag pointer points: partial upload or a "
                "linker script that does not place the magic; re-upload the whole image."},
    {"E_VT_SP", "Initial stack pointer is not 8-aligned in SRAM1 above 0x20000008; fix the "
                "linker script (RAM starts at 0x20000008, stack top <= 0x20030000)."},
    {"E_VT_RESET", "Reset vector is not a Thumb address inside the image; the image is not "
                   "linked for the app start address."},
    {"E_MANIFEST_MISSING", "Loader policy requires a wbota manifest; build the image with "
                           "`wbota image create`."},
    {"E_MANIFEST_FORMAT", "Manifest malformed (length, TLV, trailer); rebuild the image with a "
                          "matching `wbota image create`."},
    {"E_HASH", "Image SHA-256 does not match its manifest: corrupted or incomplete upload; "
               "upload again."},
    {"E_SIG_MISSING", "Loader policy requires a signature; sign the image with `--key`."},
    {"E_SIG", "Signature does not verify: image or manifest modified after signing, or wrong "
              "key; sign again with the loader's key."},
    {"E_KEY_ID", "Image signed by a key this loader does not hold; sign with the key built into "
                 "the loader (see `wbota image inspect`)."},
    {"E_SIZE", "Image too large for the region or its size/load fields are inconsistent; check "
               "SFSA and the app start address."},
    {"E_OTA_STATE", "OTA command not valid now (e.g. data before a start command); restart the "
                    "upload from the FE22 start."},
    {"E_OTA_CMD", "Unknown FE22 command byte; use 01, 02, 07, 08 or 00."},
    {"E_OTA_LEN", "FE22/FE24 write of a length the protocol does not allow (FE24: 1-248 bytes)."},
    {"E_OTA_EMPTY", "Upload finished with nothing written; send the image data before 07."},
    {"E_FLASH_NOT_ERASED", "Target flash is not erased; request the erase (reboot 01 07 FF) and "
                           "upload again."},
    {"E_FLASH_PROG", "Flash controller reported a programming error; retry, then power cycle."},
    {"E_FLASH_VERIFY", "Flash read-back differs from what was written; retry, then check the "
                       "device."},
    {"E_FLASH_ERASE", "Page erase failed; retry, then power cycle the device."},
    {"E_TIMEOUT", "A bounded wait expired; retry, then power cycle the device."},
    {"E_CPU2_NOT_READY", "CPU2 (wireless stack) never reported ready; check the stack install "
                         "and the RF wake-up clock; power cycle."},
    {"E_CPU2_NO_RESPONSE", "CPU2 stopped answering commands; power cycle the device."},
    {"E_CPU2_CMD", "CPU2 rejected a command; check the wireless stack version."},
    {"E_RFWKP_TRAP", "RF wake-up clock in force (HSE/1024) cannot run this loader's radio until "
                     "power-on; power cycle, or use an adaptive/HSE loader."},
    {"E_NO_LOADER", "No wbota/ST loader found at 0x08000000; program the loader first."},
    {"E_LINK_LOST", "BLE link lost or stalled mid-upload; reconnect and upload again."},
    {"E_POWER_CUT", "Injected power cut fired (host flash model only)."},
    {"E_DOWNGRADE", "Image security counter is lower than allowed; build with a higher "
                    "--sec-counter."},
    {"E_FLASH_LOCKED", "Flash controller locked (key sequence failed); power cycle the device."},
    {"E_SEM_BUSY", "Flash semaphore held by CPU2 too long; retry later."},
    {"E_UNSUPPORTED", "Feature not built into this loader/tool."},
    {"E_TRUNCATED", "Input ended early (partial image, short file or packet); supply the whole "
                    "input."},
    {"E_PARSE", "Malformed input file (HEX/ELF/PEM); check the file named in the message."},
    {"E_IO", "File or socket I/O failed; check the path/connection in the message."},
    {"E_NOT_FOUND", "Device or loader not found by the scan; check it is advertising and in "
                    "range."},
    {"E_REJECTED", "Device answered with an error code; see the detail for the device's reason."},
    {"E_STAY_REQUESTED", "Not a failure: the application asked for the loader (mailbox 01)."},
    {"E_STAY_CPU2_UPGRADE", "Not a failure: a wireless stack (FUS) upgrade is in progress "
                            "(mailbox 02)."},
    {"E_NOT_CONFIRMED", "The installed image reset before calling wbota_confirm() too often; the "
                        "loader stays: upload a fixed image (docs/staged.md#states)."},
    {"E_VT_VECTOR", "A used vector-table entry points outside the signed/hashed image; link "
                    "every handler inside the image (unused entries must be 0)."},
    {"E_RECORDS", "The loader's record pages take no more records (flash worn or damaged); "
                  "reprogram the loader with a programmer."},
    {"E_INSTALL", "Install: a page copied into the active slot differs from the staging slot; "
                  "power cycle (the install resumes)."},
    {"E_RESUME_OTHER", "Resume refused: the loader holds part of a different image; upload "
                       "from the start (wbota upload does so by itself)."},
    {"E_RESUME_NONE", "Nothing to resume (no tagged download recorded, or it completed); upload "
                      "from the start."},
    {"E_RESERVED_53", "Reserved: not sent by this version; report it as a bug if seen."},
    {"E_WS_MANIFEST_MISSING",
     "This loader (signed policy) takes a wireless-stack image only with a manifest signed by "
     "the product key; make one with `wbota image create STACK.bin --wireless --key KEY.pem`."},
    {"E_MANIFEST_KIND", "The manifest is of another image kind (an application image sent as a "
                        "wireless stack, or the reverse); upload it with the matching command."},
    {"E_WS_LAYOUT", "The wireless-stack manifest does not describe the bytes uploaded before it "
                    "(size, load address 0, or data after it); rebuild it with `wbota image "
                    "create --wireless` and upload the file unchanged."},
    {"E_RESERVED_57", "Reserved: not sent by this version; report it as a bug if seen."},
    {"E_RESERVED_58", "Reserved: not sent by this version; report it as a bug if seen."},
    {"E_BT_NO_ADAPTER", "No Bluetooth adapter (or not the one named by --adapter); plug one in "
                        "or check `bluetoothctl list`."},
    {"E_BT_ADAPTER_OFF", "The Bluetooth adapter is powered off or blocked; run `bluetoothctl "
                         "power on` (and `rfkill unblock bluetooth`)."},
    {"E_BT_NO_BLUEZ", "bluetoothd is not running (no org.bluez on the system bus); run `sudo "
                      "systemctl start bluetooth`."},
    {"E_BT_DENIED", "Permission denied by D-Bus or BlueZ; join the bluetooth group or install "
                    "the polkit rule in docs/linux-upload.md."},
    {"E_BT_UNRESOLVED", "Connected, but BlueZ did not resolve the GATT services in time; move "
                        "closer, `bluetoothctl remove` the device, retry."},
    {"E_BT_BUSY", "BlueZ refused: another operation on the device is in progress; close other "
                  "Bluetooth programs and retry."},
    {"E_LOADER_ABSENT", "The loader did not appear after the reboot request; see docs/wbota.md "
                        "(When an upload fails)."},
    {"E_INTERRUPTED", "Stopped by the user (Ctrl-C); the device stays in the loader: run the "
                      "same command again to continue there."},
    {"E_RESERVED_67", "Reserved: not sent by this version; report it as a bug if seen."},
    {"E_IN_TEST", "Swap loader: the image in test keeps the previous app in staging; the app "
                  "must confirm it (or it is reverted after 3 boots) before a new upload."},
};

_Static_assert(sizeof(s_errs) / sizeof(s_errs[0]) == (size_t)(-WBOTA_E_LAST),
               "err.c table out of step with err.h: add the new code's name and text");

static const err_entry_t *prv_entry(int code)
{
    if (code > 0 || code <= WBOTA_E_LAST) {
        return NULL;
    }
    return &s_errs[-code];
}

const char *wbota_err_name(int code)
{
    const err_entry_t *e = prv_entry(code);
    return (e != NULL) ? e->name : "E_UNKNOWN";
}

const char *wbota_err_text(int code)
{
    const err_entry_t *e = prv_entry(code);
    return (e != NULL) ? e->text
                       : "Unknown code: the tool and the device run different wbota "
                         "versions; update the tool.";
}

static uint32_t s_arg_errors;

wbota_err_t wbota_err_arg(void)
{
    s_arg_errors++;
    return WBOTA_E_ARG;
}

uint32_t wbota_err_arg_count(void)
{
    return s_arg_errors;
}
