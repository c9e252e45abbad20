/* wbota/boot.h - the boot decision: run the app or stay in the loader, and why.
 * Owns: the pure function from (reset cause, mailbox, app verdict, policy) to an action. It
 * reproduces ST's table (software/option-byte reset vs power-on/pin reset) and adds: an app
 * that failed verification (vectors, manifest, signature per policy) is never jumped to, and
 * every "stay" carries a reason code and the mailbox bytes to leave behind.
 * Pure; freestanding; includes mailbox.h and image.h. */
#ifndef WBOTA_BOOT_H
#define WBOTA_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/image.h"
#include "wbota/mailbox.h"

/* Reset cause as the loader reads it from RCC_CSR (bits set = flags present). */
#define WBOTA_RESET_SOFTWARE 0x1u /* SFTRSTF */
#define WBOTA_RESET_OPTION   0x2u /* OBLRSTF */
#define WBOTA_RESET_PIN      0x4u /* PINRSTF */
#define WBOTA_RESET_POWER    0x8u /* BORRSTF (power-on) */
#define WBOTA_RESET_WATCHDOG 0x10u

typedef struct {
    uint32_t reset_flags;               /* WBOTA_RESET_* */
    uint8_t mailbox[WBOTA_MAILBOX_LEN]; /* raw bytes read from 0x20000000 */
    wbota_err_t app_status;             /* result of wbota_image_verify() for the app */
    uint32_t app_start;                 /* where the app's vector table is */
    wbota_layout_t layout;
} wbota_boot_input_t;

typedef enum {
    WBOTA_BOOT_JUMP = 0,         /* jump to the app at app_start */
    WBOTA_BOOT_STAY = 1,         /* run the OTA loader */
    WBOTA_BOOT_CPU2_UPGRADE = 2, /* stay, resume the FUS sequence (mailbox mode 0x02) */
} wbota_boot_action_t;

typedef struct {
    wbota_boot_action_t action;
    uint32_t app_start;       /* JUMP: VTOR = this, MSP = [this], PC = [this + 4] */
    wbota_erase_plan_t erase; /* STAY: pages to erase once the radio is up (may be empty) */
    wbota_err_t reason;       /* STAY: why (never WBOTA_OK); JUMP: WBOTA_OK */
    uint8_t mailbox_out[WBOTA_MAILBOX_LEN]; /* bytes the loader writes back before acting */
} wbota_boot_decision_t;

void wbota_boot_decide(const wbota_boot_input_t *in, wbota_boot_decision_t *out);

#endif
