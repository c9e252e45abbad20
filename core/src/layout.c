/* layout.c - STM32WB55 flash geometry and the app/loader regions (see wbota/layout.h).
 * Every predicate is written so that addr + len never overflows: lengths come from radio
 * packets and image fields, so they are hostile. */
#include "wbota/layout.h"

wbota_layout_t wbota_layout_default(uint32_t sfsa)
{
    wbota_layout_t lay;
    lay.app_start_page = WBOTA_CFG_APP_START_PAGE;
    lay.sfsa = sfsa;
    return lay;
}

wbota_err_t wbota_layout_check(const wbota_layout_t *lay)
{
    if (lay == 0) {
        return wbota_err_arg();
    }
    /* The loader needs at least page 0 (the reset vector lives there); SFSA above the last page
     * means the option byte was not read correctly. */
    if (lay->app_start_page < 1u || lay->app_start_page >= lay->sfsa ||
        lay->sfsa > WBOTA_PAGE_COUNT) {
        return WBOTA_E_RANGE;
    }
    return WBOTA_OK;
}

uint32_t wbota_app_start(const wbota_layout_t *lay)
{
    return wbota_page_addr(lay->app_start_page);
}

uint32_t wbota_app_end(const wbota_layout_t *lay)
{
    return wbota_page_addr(lay->sfsa);
}

uint32_t wbota_app_max_size(const wbota_layout_t *lay)
{
    if (wbota_layout_check(lay) != WBOTA_OK) {
        return 0u;
    }
    return wbota_app_end(lay) - wbota_app_start(lay);
}

/* [addr, addr+len) inside [lo, hi)? lo <= hi assumed; no addition can overflow. */
static bool prv_in_range(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
    if (len == 0u || addr < lo || addr >= hi) {
        return false;
    }
    return len <= hi - addr;
}

bool wbota_is_in_flash(uint32_t addr, uint32_t len)
{
    return prv_in_range(addr, len, WBOTA_FLASH_BASE, WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE);
}

bool wbota_is_in_app(const wbota_layout_t *lay, uint32_t addr, uint32_t len)
{
    if (wbota_layout_check(lay) != WBOTA_OK) {
        return false;
    }
    return prv_in_range(addr, len, wbota_app_start(lay), wbota_app_end(lay));
}

bool wbota_is_loader_page(const wbota_layout_t *lay, uint32_t page)
{
    return page < lay->app_start_page;
}

bool wbota_is_in_app_ram(uint32_t addr, uint32_t len)
{
    return prv_in_range(addr, len, WBOTA_RAM_RESERVED_END, WBOTA_SRAM1_BASE + WBOTA_SRAM1_SIZE);
}
