/* fuzz_records.c - libFuzzer harness for the record log parser (core/src/records.c).
 * The input becomes the content of the two record pages (what a torn write, a worn cell or an
 * attacker with flash access may leave). Oracles (abort() on violation):
 *  - wbota_rec_open succeeds and yields a state inside its bounds (write index within the
 *    page, install progress inside the page, a known state);
 *  - the log keeps working on top of it: a full update cycle of appends succeeds, touches only
 *    the two record pages and never programs a double word with all ones;
 *  - after the cycle the state reads back as CONFIRMED with a counter >= the image's. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wbota/flash_model.h"
#include "wbota/records.h"

#define REC_PAGE 5u
#define REC_ADDR (WBOTA_FLASH_BASE + REC_PAGE * WBOTA_PAGE_SIZE)

static wbota_flash_model_t s_fm;

static wbota_err_t prv_erase(void *ctx, uint32_t page)
{
    (void)ctx;
    if (page != REC_PAGE && page != REC_PAGE + 1u) {
        abort();
    }
    return wbota_fm_erase_page(&s_fm, page);
}

static wbota_err_t prv_program(void *ctx, uint32_t addr, const uint8_t dw[8])
{
    static const uint8_t ones[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    (void)ctx;
    if (addr < REC_ADDR || addr >= REC_ADDR + 2u * WBOTA_PAGE_SIZE || memcmp(dw, ones, 8) == 0) {
        abort();
    }
    return wbota_fm_program_dw(&s_fm, addr, dw);
}

static wbota_err_t prv_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    return wbota_fm_read(&s_fm, addr, buf, len);
}

static void prv_check(const wbota_records_t *r)
{
    if (r->wr > WBOTA_REC_DWS_PER_PAGE || r->state > WBOTA_UPD_GAVE_UP || r->cur > 1u) {
        abort();
    }
    if (r->state == WBOTA_UPD_INSTALLING &&
        (r->install_pages == 0u || r->progress_dw + r->install_pages > WBOTA_REC_DWS_PER_PAGE)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const wbota_ota_flash_t port = {prv_erase, prv_program, prv_read, NULL};
    wbota_records_t r;
    wbota_rec_image_t img;
    uint32_t n = (size > 2u * WBOTA_PAGE_SIZE) ? 2u * WBOTA_PAGE_SIZE : (uint32_t)size;

    wbota_fm_init(&s_fm, 0x20u);
    memcpy(&s_fm.mem[REC_ADDR - WBOTA_FLASH_BASE], data, n);
    if (wbota_rec_open(&r, &port, REC_PAGE) != WBOTA_OK) {
        abort();
    }
    prv_check(&r);
    /* whatever the parser saw in a running install, asking about any page is safe */
    for (uint32_t i = 0; i < 260u; i += 37u) {
        (void)wbota_rec_install_page_done(&r, i);
    }

    memset(&img, 0x5A, sizeof img);
    img.sec_counter = r.counter + 1u;
    if (wbota_rec_download(&r) != WBOTA_OK || wbota_rec_verified(&r, &img) != WBOTA_OK ||
        wbota_rec_install_begin(&r, &img, 2u, 20u, 7u) != WBOTA_OK ||
        wbota_rec_install_mark(&r, 0u) != WBOTA_OK || wbota_rec_install_mark(&r, 1u) != WBOTA_OK ||
        wbota_rec_installed(&r) != WBOTA_OK || wbota_rec_confirm(&r) != WBOTA_OK) {
        abort();
    }
    prv_check(&r);
    if (wbota_rec_open(&r, &port, REC_PAGE) != WBOTA_OK || r.state != WBOTA_UPD_CONFIRMED ||
        r.counter < img.sec_counter) {
        abort();
    }
    return 0;
}
