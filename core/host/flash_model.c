/* Host model of the STM32WB55 flash array (RM0434 3.3): see wbota/flash_model.h.
 * Every erase/program attempt is one operation: it is counted, then the power-cut injection
 * decides whether it happens, and only then the controller rules are applied, so a cut lands on
 * the same operation whatever its outcome would have been. */
#include "wbota/flash_model.h"

#include <string.h>

#define PRV_DEFAULT_TORN_SEED 0x5EED1234u

static uint32_t prv_rand(uint32_t *state)
{
    /* xorshift32: deterministic, no libc state, good enough to scramble torn cells */
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static uint32_t prv_rand_seed(const wbota_flash_model_t *fm)
{
    uint32_t s = fm->torn_seed ^ (fm->op_count * 0x9E3779B9u);
    return (s == 0u) ? 0xA5A5A5A5u : s;
}

static uint8_t *prv_cell(wbota_flash_model_t *fm, uint32_t addr)
{
    return &fm->mem[addr - WBOTA_FLASH_BASE];
}

static bool prv_is_all(const uint8_t *p, uint32_t len, uint8_t v)
{
    for (uint32_t i = 0; i < len; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

/* Counts the operation and applies a BEFORE cut. Returns true when the caller may go on. */
static bool prv_op_begin(wbota_flash_model_t *fm, wbota_err_t *err)
{
    fm->op_count++;
    if (!fm->powered) {
        *err = WBOTA_E_POWER_CUT;
        return false;
    }
    if (fm->cut_at != 0u && fm->op_count == fm->cut_at && fm->cut_kind == WBOTA_CUT_BEFORE) {
        fm->cut_fired = true;
        fm->powered = false;
        *err = WBOTA_E_POWER_CUT;
        return false;
    }
    return true;
}

static bool prv_cut_now(const wbota_flash_model_t *fm, wbota_cut_kind_t kind)
{
    return fm->cut_at != 0u && fm->op_count == fm->cut_at && fm->cut_kind == kind;
}

/* AFTER cut: the operation has completed (with whatever result); the caller never sees it.
 * A TORN cut reaches here only for an operation the controller refused before touching the
 * array: nothing to tear, but the power still goes. */
static wbota_err_t prv_op_end(wbota_flash_model_t *fm, wbota_err_t result)
{
    if (prv_cut_now(fm, WBOTA_CUT_AFTER) || prv_cut_now(fm, WBOTA_CUT_TORN)) {
        fm->cut_fired = true;
        fm->powered = false;
        return WBOTA_E_POWER_CUT;
    }
    return result;
}

/* Bookkeeping of the all-ones rule (docs/flash-rules.md#all-ones): one bit per double word. */
static uint32_t prv_dw_index(uint32_t addr)
{
    return (addr - WBOTA_FLASH_BASE) / WBOTA_DW_SIZE;
}
static bool prv_ones_programmed(const wbota_flash_model_t *fm, uint32_t addr)
{
    uint32_t i = prv_dw_index(addr);
    return (fm->ones_programmed[i / 8u] & (1u << (i % 8u))) != 0u;
}
static void prv_mark_ones_programmed(wbota_flash_model_t *fm, uint32_t addr)
{
    uint32_t i = prv_dw_index(addr);
    fm->ones_programmed[i / 8u] |= (uint8_t)(1u << (i % 8u));
}
static void prv_clear_ones_programmed_page(wbota_flash_model_t *fm, uint32_t page)
{
    /* 4096 / 8 = 512 double words per page = 64 bitmap bytes */
    uint32_t first = prv_dw_index(wbota_page_addr(page));
    memset(&fm->ones_programmed[first / 8u], 0, WBOTA_PAGE_SIZE / WBOTA_DW_SIZE / 8u);
}

void wbota_fm_init(wbota_flash_model_t *fm, uint32_t sfsa)
{
    memset(fm->mem, 0xFF, sizeof fm->mem);
    memset(fm->ones_programmed, 0, sizeof fm->ones_programmed);
    fm->sfsa = (sfsa > WBOTA_PAGE_COUNT) ? WBOTA_PAGE_COUNT : sfsa;
    fm->sr = 0u;
    fm->op_count = 0u;
    fm->cut_at = 0u;
    fm->cut_kind = WBOTA_CUT_NONE;
    fm->cut_fired = false;
    fm->powered = true;
    fm->torn_seed = PRV_DEFAULT_TORN_SEED;
}

void wbota_fm_arm_cut(wbota_flash_model_t *fm, uint32_t op_index, wbota_cut_kind_t kind)
{
    fm->cut_at = (kind == WBOTA_CUT_NONE) ? 0u : op_index;
    fm->cut_kind = kind;
    fm->cut_fired = false;
}

void wbota_fm_power_on(wbota_flash_model_t *fm)
{
    /* cut_fired stays set so the test can still assert it after the reboot */
    fm->powered = true;
    fm->cut_at = 0u;
    fm->cut_kind = WBOTA_CUT_NONE;
    fm->sr = 0u;
}

void wbota_fm_clear_errors(wbota_flash_model_t *fm)
{
    fm->sr = 0u;
}

static void prv_tear_page(wbota_flash_model_t *fm, uint32_t page)
{
    /* An interrupted erase: some double words erased, some untouched, some garbage. */
    uint32_t rng = prv_rand_seed(fm);
    uint8_t *p = prv_cell(fm, wbota_page_addr(page));
    for (uint32_t off = 0; off < WBOTA_PAGE_SIZE; off += WBOTA_DW_SIZE) {
        uint32_t pick = prv_rand(&rng) % 3u;
        if (pick == 0u) {
            memset(&p[off], 0xFF, WBOTA_DW_SIZE);
        } else if (pick == 1u) {
            for (uint32_t i = 0; i < WBOTA_DW_SIZE; i++) {
                p[off + i] = (uint8_t)prv_rand(&rng);
            }
        }
    }
}

wbota_err_t wbota_fm_erase_page(wbota_flash_model_t *fm, uint32_t page)
{
    wbota_err_t err = WBOTA_OK;
    if (!prv_op_begin(fm, &err)) {
        return err;
    }
    if (page >= fm->sfsa || page >= WBOTA_PAGE_COUNT) {
        fm->sr |= WBOTA_FM_SR_WRPERR;
        return prv_op_end(fm, WBOTA_E_RANGE);
    }
    prv_clear_ones_programmed_page(fm, page);
    if (prv_cut_now(fm, WBOTA_CUT_TORN)) {
        prv_tear_page(fm, page);
        fm->cut_fired = true;
        fm->powered = false;
        return WBOTA_E_POWER_CUT;
    }
    memset(prv_cell(fm, wbota_page_addr(page)), 0xFF, WBOTA_PAGE_SIZE);
    return prv_op_end(fm, WBOTA_OK);
}

/* Shared by program_dw and program_width once the operation is counted and powered. */
static wbota_err_t prv_program(wbota_flash_model_t *fm, uint32_t addr, const uint8_t *data,
                               uint32_t width)
{
    if (!wbota_is_in_flash(addr, 1u)) {
        fm->sr |= WBOTA_FM_SR_WRPERR;
        return WBOTA_E_RANGE;
    }
    if (width != WBOTA_DW_SIZE) {
        /* RM0434: any access narrower than 64 bits in PG mode is a size error */
        fm->sr |= WBOTA_FM_SR_SIZERR;
        return WBOTA_E_FLASH_PROG;
    }
    if (!wbota_is_dw_aligned(addr)) {
        fm->sr |= WBOTA_FM_SR_PGAERR;
        return WBOTA_E_ALIGN;
    }
    if (wbota_addr_page(addr) >= fm->sfsa) {
        fm->sr |= WBOTA_FM_SR_WRPERR;
        return WBOTA_E_RANGE;
    }
    uint8_t *cell = prv_cell(fm, addr);
    bool zero_overwrite = prv_is_all(data, WBOTA_DW_SIZE, 0x00u); /* RM0434 3.3.8 */
    if (!prv_is_all(cell, WBOTA_DW_SIZE, 0xFFu) && !zero_overwrite) {
        fm->sr |= WBOTA_FM_SR_PROGERR;
        return WBOTA_E_FLASH_PROG;
    }
    if (prv_ones_programmed(fm, addr)) {
        /* All-ones rule: the cell reads erased but its ECC is written; the chip refuses a
         * second programming (the zero overwrite included) with PROGERR. */
        fm->sr |= WBOTA_FM_SR_PROGERR;
        return WBOTA_E_FLASH_PROG;
    }
    if (prv_is_all(data, WBOTA_DW_SIZE, 0xFFu)) {
        prv_mark_ones_programmed(fm, addr); /* torn or not: the ECC may already be written */
    }
    if (prv_cut_now(fm, WBOTA_CUT_TORN)) {
        /* Interrupted programming: each bit headed for 0 may or may not have got there. */
        uint32_t rng = prv_rand_seed(fm);
        for (uint32_t i = 0; i < WBOTA_DW_SIZE; i++) {
            cell[i] = (uint8_t)(cell[i] & (data[i] | (uint8_t)prv_rand(&rng)));
        }
        fm->cut_fired = true;
        fm->powered = false;
        return WBOTA_E_POWER_CUT;
    }
    memcpy(cell, data, WBOTA_DW_SIZE);
    return WBOTA_OK;
}

wbota_err_t wbota_fm_program_dw(wbota_flash_model_t *fm, uint32_t addr, const uint8_t dw[8])
{
    return wbota_fm_program_width(fm, addr, dw, WBOTA_DW_SIZE);
}

wbota_err_t wbota_fm_program_width(wbota_flash_model_t *fm, uint32_t addr, const uint8_t *data,
                                   uint32_t width)
{
    wbota_err_t err = WBOTA_OK;
    if (!prv_op_begin(fm, &err)) {
        return err;
    }
    err = prv_program(fm, addr, data, width);
    if (err == WBOTA_E_POWER_CUT) {
        return err; /* torn: already cut */
    }
    return prv_op_end(fm, err);
}

wbota_err_t wbota_fm_read(const wbota_flash_model_t *fm, uint32_t addr, uint8_t *buf, uint32_t len)
{
    if (!fm->powered) {
        return WBOTA_E_POWER_CUT;
    }
    if (!wbota_is_in_flash(addr, len)) {
        return WBOTA_E_RANGE;
    }
    memcpy(buf, &fm->mem[addr - WBOTA_FLASH_BASE], len);
    return WBOTA_OK;
}

static wbota_err_t prv_erase_cb(void *ctx, uint32_t page)
{
    return wbota_fm_erase_page((wbota_flash_model_t *)ctx, page);
}

static wbota_err_t prv_program_cb(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE])
{
    return wbota_fm_program_dw((wbota_flash_model_t *)ctx, addr, dw);
}

static wbota_err_t prv_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    return wbota_fm_read((const wbota_flash_model_t *)ctx, addr, buf, len);
}

wbota_ota_flash_t wbota_fm_ota_port(wbota_flash_model_t *fm)
{
    return wbota_ota_flash_port(prv_erase_cb, prv_program_cb, prv_read_cb, fm);
}

wbota_mem_t wbota_fm_mem(wbota_flash_model_t *fm)
{
    wbota_mem_t mem = {.read_cb = prv_read_cb, .ctx = fm};
    return mem;
}
