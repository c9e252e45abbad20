/* Flash driver with the CPU2 semaphore protocol (see wb/flash.h; RM0434 FLASH chapter for the
 * erase/program sequences, docs/st-interface.md#flash-cpu2 for the semaphores). Interrupts are
 * masked only around one operation, with Sem 7 held, as CPU2's firmware expects; the waits inside
 * that window use the masked clock because SysTick cannot tick there. */
#include "wb/flash.h"

#include <string.h>

#include "wb/regs/flash.h"
#include "wb/regs/hsem.h"
#include "wb/regs/pwr.h"
#include "wb/regs/rcc.h"
#include "wb/reset.h"
#include "wb/time.h"
#include "wb_board.h"
#include "wbota/layout.h"

static void (*s_erase_activity_cb)(bool on);

uint32_t wb_flash_sfsa(void)
{
    return (WB_FLASH->SFR & WB_FLASH_SFR_SFSA_Msk) >> WB_FLASH_SFR_SFSA_Pos;
}

void wb_flash_set_erase_activity_cb(void (*cb)(bool on))
{
    s_erase_activity_cb = cb;
}

/* Before C2BOOT nobody else uses the flash: no Sem 7 and no SHCI then. */
static bool prv_cpu2_running(void)
{
    return (WB_PWR->CR4 & WB_PWR_CR4_C2BOOT_Msk) != 0u;
}

static bool prv_sem_try(uint32_t id)
{
    return WB_HSEM->RLR[id] == WB_HSEM_CPU1_LOCKED;
}

static void prv_sem_release(uint32_t id)
{
    WB_HSEM->R[id] = WB_HSEM_CPU1_RELEASE;
}

static bool prv_sem_is_locked(uint32_t id)
{
    return (WB_HSEM->R[id] & WB_HSEM_R_LOCK_Msk) != 0u;
}

static wbota_err_t prv_session_begin(void)
{
    WB_RCC->AHB3ENR |= WB_RCC_AHB3ENR_HSEMEN_Msk;
    (void)WB_RCC->AHB3ENR;
    wb_deadline_t d = wb_deadline_in(WBOTA_CFG_FLASH_SEM2_TIMEOUT_MS);
    while (!prv_sem_try(WB_HSEM_ID_FLASH)) {
        if (wb_deadline_expired(&d)) {
            return WBOTA_E_SEM_BUSY;
        }
        wb_delay_us(2u);
    }
    if ((WB_FLASH->CR & WB_FLASH_CR_LOCK_Msk) != 0u) {
        WB_FLASH->KEYR = WB_FLASH_KEY1;
        WB_FLASH->KEYR = WB_FLASH_KEY2;
    }
    if ((WB_FLASH->CR & WB_FLASH_CR_LOCK_Msk) != 0u) {
        prv_sem_release(WB_HSEM_ID_FLASH);
        return WBOTA_E_FLASH_LOCKED;
    }
    /* OPTVERR is set wrongly at power-on; any stale error blocks the next operation */
    WB_FLASH->SR = WB_FLASH_SR_ERRORS_Msk | WB_FLASH_SR_EOP_Msk;
    return WBOTA_OK;
}

static void prv_session_end(void)
{
    WB_FLASH->CR |= WB_FLASH_CR_LOCK_Msk;
    prv_sem_release(WB_HSEM_ID_FLASH);
}

/* Erased pages may still sit in the caches (RM0434 FLASH chapter: reset the caches after an erase).
 */
static void prv_flush_caches(void)
{
    const uint32_t acr = WB_FLASH->ACR;
    const uint32_t on = acr & (WB_FLASH_ACR_ICEN_Msk | WB_FLASH_ACR_DCEN_Msk);
    WB_FLASH->ACR = acr & ~on;
    WB_FLASH->ACR = (acr & ~on) | WB_FLASH_ACR_ICRST_Msk | WB_FLASH_ACR_DCRST_Msk;
    WB_FLASH->ACR = acr & ~on;
    WB_FLASH->ACR = acr;
}

typedef struct {
    bool erase;
    uint32_t page;
    uint32_t addr;
    uint32_t w0, w1;
} prv_op_t;

static void prv_start(const prv_op_t *op)
{
    if (op->erase) {
        WB_FLASH->CR = (WB_FLASH->CR & ~(WB_FLASH_CR_PNB_Msk | WB_FLASH_CR_PG_Msk)) |
                       WB_FLASH_CR_PER_Msk | (op->page << WB_FLASH_CR_PNB_Pos);
        WB_FLASH->CR |= WB_FLASH_CR_STRT_Msk;
    } else {
        WB_FLASH->CR = (WB_FLASH->CR & ~WB_FLASH_CR_PER_Msk) | WB_FLASH_CR_PG_Msk;
        /* one double word = two consecutive 32-bit writes (RM0434 FLASH chapter, "Flash main memory
         * programming sequences") */
        *(volatile uint32_t *)op->addr = op->w0;
        *(volatile uint32_t *)(op->addr + 4u) = op->w1;
    }
}

static wbota_err_t prv_wait_not_busy(wb_masked_clock_t *mc)
{
    while ((WB_FLASH->SR & WB_FLASH_SR_BSY_Msk) != 0u) {
        if (wb_masked_elapsed_ms(mc) > WBOTA_CFG_FLASH_OP_TIMEOUT_MS) {
            return WBOTA_E_TIMEOUT;
        }
    }
    return WBOTA_OK;
}

/* One operation under the per-operation protocol. WBOTA_OK, E_SEM_BUSY, E_TIMEOUT. */
static wbota_err_t prv_run(const prv_op_t *op)
{
    const bool cpu2 = prv_cpu2_running();
    wbota_err_t err = WBOTA_OK;
    wb_deadline_t d = wb_deadline_in(WBOTA_CFG_FLASH_SEM7_TIMEOUT_MS);
    for (;;) {
        while ((WB_FLASH->SR & WB_FLASH_SR_PESD_Msk) != 0u) {
            if (wb_deadline_expired(&d)) {
                return WBOTA_E_TIMEOUT;
            }
        }
        const uint32_t pm = wb_irq_save();
        bool took7 = false;
        bool go = true;
        if (cpu2 && !prv_sem_is_locked(WB_HSEM_ID_CPU1_NO_CPU2)) {
            took7 = prv_sem_try(WB_HSEM_ID_CPU2_NO_CPU1);
            go = took7;
        }
        if (go) {
            wb_masked_clock_t mc;
            wb_masked_begin(&mc);
            /* RM0434 erase/program sequences, step 1: no operation may be ongoing when one is
             * started */
            err = prv_wait_not_busy(&mc);
            if (err == WBOTA_OK) {
                prv_start(op);
                err = prv_wait_not_busy(&mc);
            }
            if (took7) {
                prv_sem_release(WB_HSEM_ID_CPU2_NO_CPU1);
            }
            wb_masked_end(&mc);
            wb_irq_restore(pm);
            if (took7) {
                wb_delay_us(1u); /* >= 1 us before anyone on this side retakes Sem 7 */
            }
            break;
        }
        wb_irq_restore(pm);
        if (wb_deadline_expired(&d)) {
            return WBOTA_E_SEM_BUSY;
        }
        wb_delay_us(2u); /* >= 1 us between Sem 7 attempts (docs/st-interface.md#flash-cpu2) */
    }
    wb_deadline_t c = wb_deadline_in(WBOTA_CFG_FLASH_OP_TIMEOUT_MS);
    while ((WB_FLASH->SR & WB_FLASH_SR_CFGBSY_Msk) != 0u) {
        if (wb_deadline_expired(&c)) {
            err = (err == WBOTA_OK) ? WBOTA_E_TIMEOUT : err;
            break;
        }
    }
    /* FLASH_CR is configuration: change it only once CFGBSY is clear (RM0434 FLASH_SR.CFGBSY) */
    WB_FLASH->CR &= ~(WB_FLASH_CR_PG_Msk | WB_FLASH_CR_PER_Msk | WB_FLASH_CR_PNB_Msk);
    return err;
}

static uint32_t prv_sr_errors_take(void)
{
    const uint32_t e = WB_FLASH->SR & WB_FLASH_SR_ERRORS_Msk;
    WB_FLASH->SR = e | WB_FLASH_SR_EOP_Msk;
    return e;
}

/* The fence: pages [s_first_page, s_end_page) from the loader's layout (wb_flash_set_layout),
 * else the default app start and FLASH_SFR's SFSA, read once. With the staged record pages in
 * the loader region (WBOTA_CFG_RECORDS_AT_TOP == 0) the fence starts at the first record page:
 * the loader's code ends below it (loader.ld, WBOTA_LOADER_CODE_END; docs/staged.md#slots). */
static uint32_t s_first_page;
static uint32_t s_end_page;

void wb_flash_set_layout(const wbota_layout_t *lay)
{
    s_first_page = lay->app_start_page;
#if !WBOTA_CFG_RECORDS_AT_TOP
    if (s_first_page > WBOTA_CFG_RECORD_PAGES) {
        s_first_page -= WBOTA_CFG_RECORD_PAGES;
    }
#endif
    s_end_page = (lay->sfsa > WBOTA_PAGE_COUNT) ? WBOTA_PAGE_COUNT : lay->sfsa;
}

void wb_flash_fence_admit_from(uint32_t page)
{
    if (page < s_first_page) {
        s_first_page = page;
    }
}

static bool prv_page_allowed(uint32_t page)
{
    if (s_end_page == 0u) {
        const wbota_layout_t lay = wbota_layout_default(wb_flash_sfsa());
        wb_flash_set_layout(&lay);
    }
    return (page >= s_first_page) && (page < s_end_page);
}

wbota_err_t wb_flash_erase_page(uint32_t page)
{
    if (!prv_page_allowed(page)) {
        return WBOTA_E_RANGE;
    }
    const bool cpu2 = prv_cpu2_running();
    wbota_err_t err = prv_session_begin();
    if (err != WBOTA_OK) {
        return err;
    }
    if (cpu2 && (s_erase_activity_cb != NULL)) {
        s_erase_activity_cb(true);
    }
    const prv_op_t op = {.erase = true, .page = page};
    err = prv_run(&op);
    if ((prv_sr_errors_take() != 0u) && (err == WBOTA_OK)) {
        err = WBOTA_E_FLASH_ERASE;
    }
    if (cpu2 && (s_erase_activity_cb != NULL)) {
        s_erase_activity_cb(false);
    }
    prv_session_end();
    prv_flush_caches();
    return err;
}

wbota_err_t wb_flash_burst_begin(void)
{
    return prv_session_begin();
}

void wb_flash_burst_end(void)
{
    prv_session_end();
}

wbota_err_t wb_flash_burst_program_dw(uint32_t addr, const uint8_t dw[8])
{
    if (!wbota_is_dw_aligned(addr)) {
        return WBOTA_E_ALIGN;
    }
    if ((dw == NULL) || !wbota_is_in_flash(addr, WBOTA_DW_SIZE) ||
        !prv_page_allowed((addr - WBOTA_FLASH_BASE) / WBOTA_PAGE_SIZE)) {
        return WBOTA_E_RANGE;
    }
    prv_op_t op = {.erase = false, .addr = addr};
    memcpy(&op.w0, &dw[0], 4u); /* little-endian core: byte order as in flash */
    memcpy(&op.w1, &dw[4], 4u);
    wbota_err_t err = prv_run(&op);
    if ((prv_sr_errors_take() != 0u) && (err == WBOTA_OK)) {
        err = WBOTA_E_FLASH_PROG; /* e.g. PROGERR: the target was not erased (RM0434 3.3.8) */
    }
    if (err == WBOTA_OK) {
        const volatile uint32_t *p = (const volatile uint32_t *)addr;
        if ((p[0] != op.w0) || (p[1] != op.w1)) {
            err = WBOTA_E_FLASH_VERIFY;
        }
    }
    return err;
}

wbota_err_t wb_flash_program_dw(uint32_t addr, const uint8_t dw[8])
{
    wbota_err_t err = wb_flash_burst_begin();
    if (err != WBOTA_OK) {
        return err;
    }
    err = wb_flash_burst_program_dw(addr, dw);
    wb_flash_burst_end();
    return err;
}

bool wb_flash_cpu2_holds_sem7(void)
{
    if (!prv_cpu2_running()) {
        return false;
    }
    const uint32_t r = WB_HSEM->R[WB_HSEM_ID_CPU2_NO_CPU1];
    return ((r & WB_HSEM_R_LOCK_Msk) != 0u) &&
           (((r & WB_HSEM_R_COREID_Msk) >> WB_HSEM_R_COREID_Pos) != WB_HSEM_COREID_CPU1);
}

bool wb_flash_page_is_blank(uint32_t page)
{
    if (page >= WBOTA_PAGE_COUNT) {
        return false;
    }
    const volatile uint32_t *p = (const volatile uint32_t *)wbota_page_addr(page);
    for (uint32_t i = 0u; i < WBOTA_PAGE_SIZE / 4u; i++) {
        if (p[i] != 0xFFFFFFFFu) {
            return false;
        }
    }
    return true;
}

wbota_err_t wb_flash_read(uint32_t addr, uint8_t *buf, uint32_t len)
{
    if ((buf == NULL) || !wbota_is_in_flash(addr, len)) {
        return WBOTA_E_RANGE;
    }
    memcpy(buf, (const void *)addr, len);
    return WBOTA_OK;
}

static wbota_err_t prv_erase_cb(void *ctx, uint32_t page)
{
    (void)ctx;
    return wb_flash_erase_page(page);
}

static wbota_err_t prv_program_cb(void *ctx, uint32_t addr, const uint8_t dw[WBOTA_DW_SIZE])
{
    (void)ctx;
    return wb_flash_program_dw(addr, dw);
}

static wbota_err_t prv_read_cb(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
    (void)ctx;
    return wb_flash_read(addr, buf, len);
}

wbota_ota_flash_t wb_flash_ota_port(void)
{
    return wbota_ota_flash_port(prv_erase_cb, prv_program_cb, prv_read_cb, NULL);
}

wbota_mem_t wb_flash_mem(void)
{
    wbota_mem_t m = {.read_cb = prv_read_cb, .ctx = NULL};
    return m;
}
