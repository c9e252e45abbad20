/* wbota/flash_model.h - host-only model of the STM32WB55 flash array (RM0434 3.3).
 * Owns: the NOR rules the loader must live with, for unit tests, fuzzers and the emulator's
 * FLASH peripheral: 4 KB page erase to 0xFF, 64-bit aligned double-word programming only onto
 * erased double words (or all-zero overwrite), the all-ones rule (a double word programmed with
 * all ones since its last erase can not be programmed again, not even with zeros: the erratum
 * docs/flash-rules.md describes), the controller's error flags, an operation
 * counter and power-cut injection at operation N (before, after, or torn).
 * Host only (uses no allocation either: the array lives in the struct). */
#ifndef WBOTA_FLASH_MODEL_H
#define WBOTA_FLASH_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/layout.h"
#include "wbota/ota.h"

/* FLASH_SR error bits as RM0434 names them (same positions as the register). */
#define WBOTA_FM_SR_PROGERR (1u << 3)
#define WBOTA_FM_SR_WRPERR  (1u << 4)
#define WBOTA_FM_SR_PGAERR  (1u << 5)
#define WBOTA_FM_SR_SIZERR  (1u << 6)
#define WBOTA_FM_SR_PGSERR  (1u << 7)

typedef enum {
    WBOTA_CUT_NONE = 0,
    WBOTA_CUT_BEFORE, /* operation N never happens */
    WBOTA_CUT_AFTER,  /* operation N completes, then power is lost */
    WBOTA_CUT_TORN,   /* operation N leaves its double word / page in an undefined state */
} wbota_cut_kind_t;

typedef struct {
    uint8_t mem[WBOTA_FLASH_SIZE];
    /* one bit per double word: programmed with all ones since the page was last erased */
    uint8_t ones_programmed[WBOTA_FLASH_SIZE / WBOTA_DW_SIZE / 8u];
    uint32_t sfsa;     /* writes/erases at or above this page fail with WRPERR */
    uint32_t sr;       /* accumulated error flags (cleared by wbota_fm_clear_errors) */
    uint32_t op_count; /* erase + program operations attempted so far */
    uint32_t cut_at;   /* 1-based operation index at which to cut; 0 = never */
    wbota_cut_kind_t cut_kind;
    bool cut_fired;     /* set when the injected cut happened (tests assert this) */
    bool powered;       /* false after a cut until wbota_fm_power_on */
    uint32_t torn_seed; /* deterministic pseudo-random fill for torn operations */
} wbota_flash_model_t;

void wbota_fm_init(wbota_flash_model_t *fm, uint32_t sfsa); /* whole array erased (0xFF) */
void wbota_fm_arm_cut(wbota_flash_model_t *fm, uint32_t op_index, wbota_cut_kind_t kind);
void wbota_fm_power_on(wbota_flash_model_t *fm); /* after a cut: flash keeps its content */
void wbota_fm_clear_errors(wbota_flash_model_t *fm);
/* Operations return WBOTA_OK, WBOTA_E_FLASH_PROG (flags in sr), WBOTA_E_FLASH_ERASE,
 * WBOTA_E_RANGE (WRPERR: at/above SFSA), WBOTA_E_ALIGN, or WBOTA_E_POWER_CUT. */
wbota_err_t wbota_fm_erase_page(wbota_flash_model_t *fm, uint32_t page);
wbota_err_t wbota_fm_program_dw(wbota_flash_model_t *fm, uint32_t addr, const uint8_t dw[8]);
/* Program with a given width (1, 2, 4 bytes -> SIZERR) to test the rules; 8 = program_dw. */
wbota_err_t wbota_fm_program_width(wbota_flash_model_t *fm, uint32_t addr, const uint8_t *data,
                                   uint32_t width);
wbota_err_t wbota_fm_read(const wbota_flash_model_t *fm, uint32_t addr, uint8_t *buf, uint32_t len);
/* Adapters for the OTA engine and the image verifier. */
wbota_ota_flash_t wbota_fm_ota_port(wbota_flash_model_t *fm);
wbota_mem_t wbota_fm_mem(wbota_flash_model_t *fm);

#endif
