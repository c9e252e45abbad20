/* wb/flash.h - CPU1 flash driver with the CPU2 semaphore protocol
 * (docs/st-interface.md#flash-cpu2). Owns: FLASH_CR/SR programming, the Sem 2 session, Sem 6/7 per
 * operation, PESD/BSY/CFGBSY bounded waits, and a fence around the pages the loader allows.
 * Exposes the core's OTA flash seam. Called by the loader's OTA service (via wb_flash_ota_port)
 * and its erase plan.
 *
 * Which layer checks what (one owner per rule, docs/flash-rules.md):
 * - the core OTA engine (core/src/ota.c) decides what may be written: the address range inside
 *   the application region, 8-byte alignment, the blank check before programming and the
 *   read-back verify after it;
 * - this driver executes: it reports the controller's error flags (E_FLASH_PROG,
 *   E_FLASH_ERASE), refuses a misaligned double word (E_ALIGN: the controller would set PGAERR)
 *   and keeps a fence: pages outside [app start page, SFSA) of the layout the loader passes once
 *   (wb_flash_set_layout) are refused with E_RANGE, so no bug above can erase the loader or
 *   CPU2's area. It does not re-check blankness. It reads every programmed double word back
 *   (E_FLASH_VERIFY) because the loader's write-behind queue (firmware/loader/flash_queue.c)
 *   answers the core's own read-back from RAM before the double word reaches the flash. */
#ifndef WB_FLASH_H
#define WB_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "wbota/err.h"
#include "wbota/layout.h"
#include "wbota/ota.h"

/* First CPU2-secure page (FLASH_SFR.SFSA). */
uint32_t wb_flash_sfsa(void);
/* The fence [lay->app_start_page, lay->sfsa), set once by the loader from its layout. Until
 * then: the default app start page and FLASH_SFR's SFSA (read once, on the first operation). */
void wb_flash_set_layout(const wbota_layout_t *lay);
/* Admit the pages [page, app start page) too (after wb_flash_set_layout): the st-mode loader's
 * verdict page, the last loader page (firmware/loader/st_verdict.h). */
void wb_flash_fence_admit_from(uint32_t page);

/* Erase one page in [WBOTA_CFG_APP_START_PAGE, SFSA): WBOTA_OK, E_RANGE, E_SEM_BUSY,
 * E_TIMEOUT, E_FLASH_LOCKED, E_FLASH_ERASE. While CPU2 runs, the erase-activity callback is
 * called with true before and false after. */
wbota_err_t wb_flash_erase_page(uint32_t page);
/* Program one double word at addr (8-aligned, inside the fence; the caller made sure it is
 * erased): WBOTA_OK, E_ALIGN, E_RANGE, E_SEM_BUSY, E_TIMEOUT, E_FLASH_LOCKED, E_FLASH_PROG (a
 * controller error such as PROGERR on a target that was not erased). */
wbota_err_t wb_flash_program_dw(uint32_t addr, const uint8_t dw[8]);
/* A burst of double words in one flash session (Sem 2 and unlock once, not per double word);
 * Sem 7 is still taken per operation. burst_program_dw: as wb_flash_program_dw, only between
 * burst_begin (WBOTA_OK, E_SEM_BUSY, E_FLASH_LOCKED) and burst_end. Keep a burst short (the
 * session blocks CPU2's own flash use): the loader programs at most a few dozen per burst. */
wbota_err_t wb_flash_burst_begin(void);
wbota_err_t wb_flash_burst_program_dw(uint32_t addr, const uint8_t dw[8]);
void wb_flash_burst_end(void);
/* CPU2 runs and holds Sem 7 (its radio is busy): a flash operation now would have to wait. */
bool wb_flash_cpu2_holds_sem7(void);
/* Every word of the page reads 0xFFFFFFFF (false for a page outside the array). */
bool wb_flash_page_is_blank(uint32_t page);
/* Copy from flash (any address in the 1 MB array): WBOTA_OK or E_RANGE. */
wbota_err_t wb_flash_read(uint32_t addr, uint8_t *buf, uint32_t len);

/* SHCI FLASH_ERASE_ACTIVITY sender, set by the CPU2 layer; called only while CPU2 runs. */
void wb_flash_set_erase_activity_cb(void (*cb)(bool on));

/* The core OTA engine's flash seam backed by this driver. */
wbota_ota_flash_t wb_flash_ota_port(void);
/* The core image verifier's reader over the flash array (bounds-checked). */
wbota_mem_t wb_flash_mem(void);

#endif
