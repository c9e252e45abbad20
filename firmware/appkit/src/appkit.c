/* App kit: the hardware half of the reboot request and the status word. */
#include <string.h>

#include "wb/regs/flash.h"
#include "wb/regs/rcc.h"
#include "wb/regs/scb.h"
#include "wbota/layout.h"
#include "wbota_appkit.h"

static void prv_read(uint32_t addr, uint8_t *dst, size_t len)
{
    const volatile uint8_t *src = (const volatile uint8_t *)addr;
    for (size_t i = 0u; i < len; i++) {
        dst[i] = src[i];
    }
}

static __attribute__((noreturn)) void prv_reset(void)
{
    __asm volatile("dsb" ::: "memory");
    WB_SCB->AIRCR = WB_SCB_AIRCR_VECTKEY | (WB_SCB->AIRCR & WB_SCB_AIRCR_PRIGROUP_Msk) |
                    WB_SCB_AIRCR_SYSRESETREQ_Msk;
    __asm volatile("dsb" ::: "memory");
    for (;;) {
        /* the reset takes a few cycles to land */
    }
}

wbota_err_t wbota_reboot_request(const uint8_t *value, size_t len)
{
    uint8_t head[8];
    uint8_t info[WBOTA_LOADER_INFO_LEN];
    prv_read(WBOTA_FLASH_BASE, head, sizeof(head));
    prv_read(WBOTA_LOADER_INFO_ADDR, info, sizeof(info));
    uint32_t sfsa = (WB_FLASH->SFR & WB_FLASH_SFR_SFSA_Msk) >> WB_FLASH_SFR_SFSA_Pos;
    uint32_t sel = (WB_RCC->CSR & WB_RCC_CSR_RFWKPSEL_Msk) >> WB_RCC_CSR_RFWKPSEL_Pos;
    wbota_mailbox_t mb;
    wbota_err_t err = wbota_reboot_check(value, len, head, info, sfsa, sel, &mb);
    if (err != WBOTA_OK) {
        return err;
    }
    uint8_t raw[WBOTA_MAILBOX_LEN];
    wbota_mailbox_encode(&mb, raw);
    volatile uint8_t *dst = (volatile uint8_t *)WBOTA_MAILBOX_ADDR;
    for (uint32_t i = 0u; i < WBOTA_MAILBOX_LEN; i++) {
        dst[i] = raw[i];
    }
    prv_reset();
}

bool wbota_loader_status_read(wbota_loader_status_t *st)
{
    uint8_t raw[4];
    prv_read(WBOTA_LOADER_STATUS_ADDR, raw, sizeof(raw));
    wbota_loader_status_decode(raw, st);
    return st->present;
}

void wbota_loader_status_clear(void)
{
    volatile uint8_t *p = (volatile uint8_t *)WBOTA_LOADER_STATUS_ADDR;
    for (uint32_t i = 0u; i < 4u; i++) {
        p[i] = 0u;
    }
}
