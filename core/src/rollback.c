/* rollback.c - see wbota/rollback.h. Page format (docs/staged.md#counter-page):
 *   dw 0        header: "WBRC" u32 || its complement u32
 *   dw 1..511   one per raise, in order: value u32 || ~value u32 (little-endian), values rising
 * An entry is never all ones (a value and its complement) nor all zeros, so the all-ones rule
 * never applies and a zeroed or torn double word fails the check. */
#include "wbota/rollback.h"

#include "wbota/bytes.h"
#include "wbota/layout.h"

static uint32_t prv_addr(const wbota_rollback_t *c, uint32_t dw)
{
    return wbota_page_addr(c->page) + dw * WBOTA_DW_SIZE;
}

/* The pair read at dw: lo, hi. */
__attribute__((noinline)) static wbota_err_t prv_read(const wbota_rollback_t *c, uint32_t dw,
                                                      uint32_t *lo, uint32_t *hi)
{
    uint8_t b[WBOTA_DW_SIZE];
    wbota_err_t err = c->flash.read_cb(c->flash.ctx, prv_addr(c, dw), b, sizeof b);
    *lo = wbota_get_le32(&b[0]);
    *hi = wbota_get_le32(&b[4]);
    return err;
}

__attribute__((noinline)) static wbota_err_t prv_program(wbota_rollback_t *c, uint32_t dw,
                                                         uint32_t lo)
{
    uint8_t b[WBOTA_DW_SIZE];
    wbota_put_le32(&b[0], lo);
    wbota_put_le32(&b[4], ~lo);
    return c->flash.program_dw_cb(c->flash.ctx, prv_addr(c, dw), b);
}

wbota_err_t wbota_rollback_open(wbota_rollback_t *c, const wbota_ota_flash_t *flash, uint32_t page)
{
    uint32_t lo;
    uint32_t hi;
    c->flash = *flash;
    c->page = page;
    c->value = 0u;
    c->next = WBOTA_ROLLBACK_DWS; /* foreign until the header says otherwise: erase first */
    c->formatted = false;
    wbota_err_t err = prv_read(c, 0u, &lo, &hi);
    if (err != WBOTA_OK) {
        return err;
    }
    if (lo != WBOTA_ROLLBACK_HEADER_LO || hi != ~lo) {
        /* no header, an erased one included: whatever follows it was not written by this code
         * in order, so the first raise erases the page (once) rather than trust the rest */
        return WBOTA_OK;
    }
    c->formatted = true;
    /* first erased double word in [1, DWS]: entries are appended in order */
    uint32_t low = 1u;
    uint32_t high = WBOTA_ROLLBACK_DWS;
    while (low < high) {
        const uint32_t mid = low + (high - low) / 2u;
        if ((err = prv_read(c, mid, &lo, &hi)) != WBOTA_OK) {
            return err;
        }
        if ((lo & hi) == 0xFFFFFFFFu) {
            high = mid;
        } else {
            low = mid + 1u;
        }
    }
    c->next = low;
    /* the last entry that checks holds the counter (values only rise); torn ones are skipped */
    for (uint32_t dw = low; dw > 1u; dw--) {
        if ((err = prv_read(c, dw - 1u, &lo, &hi)) != WBOTA_OK) {
            return err;
        }
        if (hi == ~lo) {
            c->value = lo;
            break;
        }
    }
    return WBOTA_OK;
}

wbota_err_t wbota_rollback_raise(wbota_rollback_t *c, uint32_t value)
{
    wbota_err_t err = WBOTA_OK;
    if (value <= c->value) {
        return WBOTA_OK;
    }
    /* Append, then read the page back as the next boot will. Anything short of the value (a
     * refused or torn write, content this code did not write in order) means: erase and start
     * over with the header and the value, once. The caller has the value in the records. */
    for (uint32_t round = 0u; round < 2u; round++) {
        if (c->next >= WBOTA_ROLLBACK_DWS) {
            if ((err = c->flash.erase_page_cb(c->flash.ctx, c->page)) != WBOTA_OK) {
                return err;
            }
            c->next = 0u;
            c->formatted = false;
        }
        if (!c->formatted) {
            err = prv_program(c, 0u, WBOTA_ROLLBACK_HEADER_LO);
            c->formatted = (err == WBOTA_OK);
            c->next = 1u;
        }
        if (c->formatted) {
            wbota_rollback_t check;
            err = prv_program(c, c->next, value);
            c->next++;
            if (err == WBOTA_OK) {
                err = wbota_rollback_open(&check, &c->flash, c->page);
            }
            if (err == WBOTA_OK && check.value == value) {
                c->value = value;
                return WBOTA_OK;
            }
            if (err == WBOTA_OK) {
                err = WBOTA_E_FLASH_VERIFY;
            }
        }
        c->next = WBOTA_ROLLBACK_DWS;
        c->formatted = false;
    }
    return err;
}

wbota_err_t wbota_rollback_sync(wbota_rollback_t *c, wbota_records_t *r)
{
    const uint32_t want = (c->value > r->counter) ? c->value : r->counter;
    wbota_err_t err = wbota_rec_raise_counter(r, want);
    if (err != WBOTA_OK) {
        r->counter = want; /* the floor holds in RAM; the page still has the value */
        return err;
    }
    return wbota_rollback_raise(c, want);
}
