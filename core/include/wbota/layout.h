/* wbota/layout.h - STM32WB55 flash geometry and the wbota/ST memory layout.
 * Owns: page <-> address arithmetic, the loader region, the app region and its end derived
 * from SFSA, and the range/alignment predicates every other module uses.
 * Pure functions over a small value struct; freestanding; includes err.h only. */
#ifndef WBOTA_LAYOUT_H
#define WBOTA_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/config.h" /* WBOTA_CFG_APP_START_PAGE, WBOTA_CFG_DEFAULT_SFSA */
#include "wbota/err.h"

#define WBOTA_FLASH_BASE 0x08000000u
#define WBOTA_FLASH_SIZE 0x00100000u /* 1 MB */
#define WBOTA_PAGE_SIZE  4096u
#define WBOTA_PAGE_COUNT 256u
#define WBOTA_DW_SIZE    8u /* programming unit: one 64-bit double word */

#define WBOTA_SRAM1_BASE         0x20000000u
#define WBOTA_SRAM1_SIZE         0x00030000u /* 192 KB; stack top 0x20030000 */
#define WBOTA_SRAM2A_BASE        0x20030000u
#define WBOTA_MAILBOX_ADDR       0x20000000u /* 3 bytes: mode, first page, page count */
#define WBOTA_LOADER_STATUS_ADDR 0x20000004u /* 4 bytes, see loader_info.h */
#define WBOTA_RAM_RESERVED_END   0x20000008u /* every image links RAM from here */

#define WBOTA_TAG_PTR_OFFSET 0x140u      /* word at app start + 0x140 = address of the magic */
#define WBOTA_TAG_MAGIC      0x94448A29u /* ST "TAG_OTA_END", last word of an image */

typedef struct {
    uint32_t app_start_page; /* first application page (loader = pages [0, app_start_page)) */
    uint32_t sfsa;           /* first CPU2-secure page (FLASH_SFR[7:0]); app region ends here */
} wbota_layout_t;

/* Default layout: app at page WBOTA_CFG_APP_START_PAGE, the given SFSA. */
wbota_layout_t wbota_layout_default(uint32_t sfsa);
/* WBOTA_OK if the layout is usable: loader >= 1 page, app start < sfsa <= 256. */
wbota_err_t wbota_layout_check(const wbota_layout_t *lay);

static inline uint32_t wbota_page_addr(uint32_t page)
{
    return WBOTA_FLASH_BASE + page * WBOTA_PAGE_SIZE;
}
static inline uint32_t wbota_addr_page(uint32_t addr)
{
    return (addr - WBOTA_FLASH_BASE) / WBOTA_PAGE_SIZE;
}
uint32_t wbota_app_start(const wbota_layout_t *lay); /* first app byte */
uint32_t wbota_app_end(const wbota_layout_t *lay);   /* one past the last usable byte (SFSA) */
uint32_t wbota_app_max_size(const wbota_layout_t *lay);
/* true iff [addr, addr+len) lies inside flash. len 0 is never inside. Overflow safe. */
bool wbota_is_in_flash(uint32_t addr, uint32_t len);
/* true iff [addr, addr+len) lies inside the app region [app start, SFSA end). Overflow safe. */
bool wbota_is_in_app(const wbota_layout_t *lay, uint32_t addr, uint32_t len);
bool wbota_is_loader_page(const wbota_layout_t *lay, uint32_t page);
static inline bool wbota_is_dw_aligned(uint32_t addr)
{
    return (addr & (WBOTA_DW_SIZE - 1u)) == 0u;
}
/* true iff [addr, addr+len) is inside SRAM1 and does not touch the reserved 8 bytes. */
bool wbota_is_in_app_ram(uint32_t addr, uint32_t len);

#endif
