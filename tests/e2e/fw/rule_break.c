/* rule_break.c - a test firmware that breaks one CPU2 interface rule on purpose: it starts CPU2
 * and sends a system command (IPCC C1TOC2 channel 2) without waiting for the ready event.
 * wbota-emu must stop with "EMU RULE CMD_BEFORE_READY" and exit status 3 (docs/emulator.md:
 * strictness). Bare metal, no library: register addresses from RM0434. */
#include <stdint.h>

#define REG(a)      (*(volatile uint32_t *)(a))
#define RCC_AHB3ENR 0x58000050u /* bit 20 IPCCEN */
#define PWR_CR4     0x5800040Cu /* bit 15 C2BOOT */
#define IPCC_C1SCR  0x58000C08u /* bit 16 + n - 1: set channel n occupied */

void rule_break_reset(void);

__attribute__((section(".vectors"), used)) static const uintptr_t s_vectors[2] = {
    0x20030000u, (uintptr_t)rule_break_reset};

void rule_break_reset(void)
{
    REG(RCC_AHB3ENR) |= 1u << 20;
    REG(PWR_CR4) |= 1u << 15;
    REG(IPCC_C1SCR) = 1u << (16 + 2 - 1); /* system command before the ready event */
    for (;;) {
        __asm volatile("wfi");
    }
}
