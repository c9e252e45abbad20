/* fuzz_rollback.c - libFuzzer harness for the anti-rollback counter page (core/src/rollback.c).
 * The input becomes the page's content (what a torn write, a worn cell, an older loader's
 * verdict page or an attacker with flash access may leave). Oracles (abort() on violation):
 *  - wbota_rollback_open succeeds, its end index stays inside the page and the counter it
 *    reports is 0 or the value of an entry that checks (value || ~value) in the page;
 *  - a raise above it succeeds, touches only that page, never programs all ones, and the page
 *    then reads back with exactly the raised value (docs/staged.md#counter-page). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wbota/bytes.h"
#include "wbota/flash_model.h"
#include "wbota/rollback.h"

#define PAGE 6u
#define ADDR (WBOTA_FLASH_BASE + PAGE * WBOTA_PAGE_SIZE)

static wbota_flash_model_t s_fm;

static wbota_err_t prv_erase(void *ctx, uint32_t page)
{
    (void)ctx;
    if (page != PAGE) {
        abort();
    }
    return wbota_fm_erase_page(&s_fm, page);
}

static wbota_err_t prv_program(void *ctx, uint32_t addr, const uint8_t dw[8])
{
    static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    (void)ctx;
    if (addr < ADDR || addr >= ADDR + WBOTA_PAGE_SIZE || memcmp(dw, ones, 8) == 0) {
        abort();
    }
    return wbota_fm_program_dw(&s_fm, addr, dw);
}

static wbota_err_t prv_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    return wbota_fm_read(&s_fm, addr, buf, len);
}

/* value is 0 or held by a double word of the page that checks */
static int prv_in_page(uint32_t value)
{
    const uint8_t *p = &s_fm.mem[ADDR - WBOTA_FLASH_BASE];
    if (value == 0u) {
        return 1;
    }
    for (uint32_t dw = 1u; dw < WBOTA_ROLLBACK_DWS; dw++) {
        if (wbota_get_le32(&p[dw * 8u]) == value && wbota_get_le32(&p[dw * 8u + 4u]) == ~value) {
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const wbota_ota_flash_t port = {prv_erase, prv_program, prv_read, NULL};
    wbota_rollback_t c;
    const uint32_t n = (size > WBOTA_PAGE_SIZE) ? WBOTA_PAGE_SIZE : (uint32_t)size;

    wbota_fm_init(&s_fm, 0x20u);
    memcpy(&s_fm.mem[ADDR - WBOTA_FLASH_BASE], data, n);
    if (wbota_rollback_open(&c, &port, PAGE) != WBOTA_OK || c.next > WBOTA_ROLLBACK_DWS ||
        !prv_in_page(c.value)) {
        abort();
    }
    if (c.value == 0xFFFFFFFFu) {
        return 0; /* nothing above it to raise to */
    }
    const uint32_t want = c.value + 1u;
    if (wbota_rollback_raise(&c, want) != WBOTA_OK || c.value != want) {
        abort();
    }
    wbota_rollback_t again;
    if (wbota_rollback_open(&again, &port, PAGE) != WBOTA_OK || again.value != want) {
        abort();
    }
    return 0;
}
