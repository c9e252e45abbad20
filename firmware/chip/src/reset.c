/* Resets, reset cause and the hand-over to an application (see wb/reset.h). */
#include "wb/reset.h"

#include "wb/regs/rcc.h"
#include "wb/regs/scb.h"
#include "wb/regs/systick.h"
#include "wb/reset_flags.h"

void wb_system_reset(void)
{
    __asm volatile("dsb" ::: "memory");
    WB_SCB->AIRCR = WB_SCB_AIRCR_VECTKEY | (WB_SCB->AIRCR & WB_SCB_AIRCR_PRIGROUP_Msk) |
                    WB_SCB_AIRCR_SYSRESETREQ_Msk;
    __asm volatile("dsb" ::: "memory");
    for (;;) {
        /* the reset takes a few cycles to assert */
    }
}

uint32_t wb_reset_csr(void)
{
    return WB_RCC->CSR;
}

uint32_t wb_reset_flags(void)
{
    return wb_reset_flags_from_csr(WB_RCC->CSR);
}

void wb_reset_flags_clear(void)
{
    /* RMVF is set-only; the other writable CSR bits (LSI, RFWKPSEL) are written back as read */
    WB_RCC->CSR = WB_RCC->CSR | WB_RCC_CSR_RMVF_Msk;
}

void wb_jump_to_app(uint32_t base)
{
    const uint32_t sp = *(const volatile uint32_t *)base;
    const uint32_t pc = *(const volatile uint32_t *)(base + 4u);
    WB_SYSTICK->CSR = 0u;
    WB_SCB->ICSR = WB_SCB_ICSR_PENDSTCLR_Msk;
    WB_SCB->VTOR = base;
    __asm volatile("dsb\n\tisb" ::: "memory");
    __asm volatile("msr msp, %0\n\t"
                   "bx %1" ::"r"(sp),
                   "r"(pc)
                   : "memory");
    __builtin_unreachable();
}
