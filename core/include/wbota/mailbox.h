/* wbota/mailbox.h - the 3-byte SRAM1 boot request shared with ST's apps and clients.
 * Owns: decoding/encoding 0x20000000..2 and turning a request into an erase plan.
 * Byte 0 mode (0x00 run app, 0x01 stay in loader, 0x02 CPU2 upgrade), byte 1 first page,
 * byte 2 page count (0xFF = up to SFSA). The bytes come from RAM an app wrote: treat as hostile.
 * Pure; freestanding; includes layout.h. */
#ifndef WBOTA_MAILBOX_H
#define WBOTA_MAILBOX_H

#include <stdint.h>

#include "wbota/layout.h"

#define WBOTA_MAILBOX_LEN       3u
#define WBOTA_MODE_APP          0x00u
#define WBOTA_MODE_LOADER       0x01u
#define WBOTA_MODE_CPU2_UPGRADE 0x02u
#define WBOTA_PAGES_ALL         0xFFu

typedef struct {
    uint8_t mode;
    uint8_t first_page;
    uint8_t page_count;
} wbota_mailbox_t;

typedef struct {
    uint32_t first_page; /* first page to erase */
    uint32_t page_count; /* 0 = nothing to erase */
} wbota_erase_plan_t;

void wbota_mailbox_decode(const uint8_t raw[WBOTA_MAILBOX_LEN], wbota_mailbox_t *out);
void wbota_mailbox_encode(const wbota_mailbox_t *mb, uint8_t raw[WBOTA_MAILBOX_LEN]);
/* WBOTA_OK or WBOTA_E_MAILBOX_MODE. */
wbota_err_t wbota_mailbox_check_mode(const wbota_mailbox_t *mb);
/* Erase plan for a mode-0x01 request: clipped at SFSA; a first page inside the loader
 * (ST wrongly accepts page 6) -> WBOTA_E_MAILBOX_PAGE; first page at/above SFSA ->
 * WBOTA_E_MAILBOX_PAGE; count 0 -> WBOTA_E_MAILBOX_EMPTY. On error *plan is {0,0}. */
wbota_err_t wbota_mailbox_erase_plan(const wbota_mailbox_t *mb, const wbota_layout_t *lay,
                                     wbota_erase_plan_t *plan);
/* The request ST's loader writes when it must stay: {01, app start page, FF}. */
wbota_mailbox_t wbota_mailbox_stay_all(const wbota_layout_t *lay);

#endif
