/* wbota_appkit.h - what an application links in to be updated by a wbota (or ST) loader.
 * Owns: the FE11 reboot request (validate, refuse when the loader would hang, write the boot
 * mailbox, reset) and decoding of the loader status word an earlier loader run left behind.
 * Called by the app's BLE event handler (our BLE layer or ST's STM32_WPAN, see docs/appkit.md).
 * Needs only the core (layout, mailbox, loader_info) and the chip register headers; no ST
 * middleware. The *_check/_decode functions are pure and host-tested. */
#ifndef WBOTA_APPKIT_H
#define WBOTA_APPKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/err.h"
#include "wbota/loader_info.h"
#include "wbota/mailbox.h"
#include "wbota/st_ota.h"

/* FE11 as a wb_uuid_t initializer (wb/ble.h) for wb_ble_char_def_t; write w/o rsp, 3 bytes */
#define WBOTA_FE11_UUID                                                                            \
    {                                                                                              \
        .type = 2u, .uuid = WBOTA_ST_CHAR_UUID_LE(WBOTA_ST_FE11)                                   \
    }
#define WBOTA_FE11_LEN WBOTA_ST_FE11_LEN

/* Validates the FE11 value [mode][first page][n pages], checks that a loader is present and
 * can run the radio, writes the mailbox at 0x20000000 and resets. Never returns on success.
 * Refusals: WBOTA_E_OTA_LEN (not 3 bytes), WBOTA_E_MAILBOX_MODE (mode not 00/01),
 * WBOTA_E_MAILBOX_PAGE / _EMPTY (01 with a loader page, a page at/above SFSA, or 0 pages),
 * WBOTA_E_NO_LOADER (flash at 0x08000000 erased), WBOTA_E_RFWKP_TRAP (the RF wake-up source
 * in force is HSE/1024 and the loader is fixed to LSE: it would hang until a power cycle).
 * A loader without an information block (ST's BLE_Ota) is taken as LSE-fixed, like ST's. */
wbota_err_t wbota_reboot_request(const uint8_t *value, size_t len);

/* The decision of wbota_reboot_request without touching hardware.
 * loader_head: first 8 bytes at 0x08000000 (initial SP, reset vector); info: the 32 bytes at
 * WBOTA_LOADER_INFO_ADDR; sfsa: FLASH_SFR[7:0]; rfwkpsel: RCC_CSR[15:14] shifted down.
 * On WBOTA_OK, *mb is the mailbox to write. */
wbota_err_t wbota_reboot_check(const uint8_t *value, size_t len, const uint8_t loader_head[8],
                               const uint8_t info[WBOTA_LOADER_INFO_LEN], uint32_t sfsa,
                               uint32_t rfwkpsel, wbota_mailbox_t *mb);

typedef struct {
    bool present;       /* a loader recorded something (marker 0xA5) */
    wbota_err_t reason; /* why it gave up (WBOTA_E_*), WBOTA_OK if it did not */
    uint8_t attempts;   /* CPU2 start attempts */
    bool gave_up;       /* it returned to the app after giving up */
} wbota_loader_status_t;

/* Decodes the 4 status bytes at 0x20000004 (format in wbota/loader_info.h). */
void wbota_loader_status_decode(const uint8_t raw[4], wbota_loader_status_t *st);
/* Reads and decodes the status word; returns st->present. */
bool wbota_loader_status_read(wbota_loader_status_t *st);
/* Clears it (after the app has reported it), so the next report is fresh. */
void wbota_loader_status_clear(void);

/* ---- staged mode (docs/staged.md, docs/appkit.md#confirm) ---- */
#include "wbota/image.h"
#include "wbota/records.h"

/* What the loader's record log says about the update in the active slot. */
typedef struct {
    bool staged;                  /* a staged loader's record log was found */
    wbota_upd_state_t state;      /* WBOTA_UPD_INSTALLED = this image runs in test */
    uint32_t test_boots;          /* boots in test so far (the loader gives up after 3) */
    uint32_t counter;             /* anti-rollback counter in force */
    wbota_err_t last_stay_reason; /* why the loader last stayed instead of booting an image */
    /* swap loader (docs/staged.md#swap, docs/appkit.md#revert): the running app was swapped
     * back in because the image after it failed; kept until the next install */
    bool reverted;
    wbota_err_t revert_reason;      /* WBOTA_E_NOT_CONFIRMED, or the code the loader saw */
    uint32_t reverted_from_counter; /* security counter of the image reverted from */
    wbota_version_t reverted_from;  /* its manifest version (0.0.0 when it had none) */
} wbota_update_status_t;

/* Reads the record log (read only; the loader owns it). WBOTA_OK, or WBOTA_E_RANGE when the
 * layout has no room for staged slots. */
wbota_err_t wbota_update_status_read(wbota_update_status_t *st);

/* Call once the new image is healthy. When it runs in test, asks the loader to confirm it
 * (mailbox mode 0x03) and resets: the loader records CONFIRMED, raises the anti-rollback
 * counter and starts the app again, which then finds it confirmed. Returns WBOTA_OK at once
 * when there is nothing to confirm (already confirmed, st loader). */
wbota_err_t wbota_confirm(void);

#endif
