/* wb/regs/gpio.h - STM32WB55 general-purpose I/O ports.
 * Source: RM0434, chapter "General-purpose I/Os (GPIO)", GPIO registers.
 * Owns: the GPIO port register layout; used by the optional status LED. Port n register block
 * at 0x48000000 + 0x400 * n (A = 0 .. E = 4, H = 7). Register description only. */
#ifndef WB_REGS_GPIO_H
#define WB_REGS_GPIO_H

#include <stddef.h>
#include <stdint.h>

#define WB_GPIO_BASE      0x48000000u /* RM0434 memory map, AHB2 GPIOA */
#define WB_GPIO_PORT_SIZE 0x400u

typedef struct {
    volatile uint32_t MODER;   /* 0x00 2 bits per pin: 00 in, 01 out, 10 AF, 11 analog */
    volatile uint32_t OTYPER;  /* 0x04 */
    volatile uint32_t OSPEEDR; /* 0x08 */
    volatile uint32_t PUPDR;   /* 0x0C */
    volatile uint32_t IDR;     /* 0x10 (ro) */
    volatile uint32_t ODR;     /* 0x14 */
    volatile uint32_t BSRR;    /* 0x18 (wo): bits 0-15 set, 16-31 reset, atomic */
    volatile uint32_t LCKR;    /* 0x1C */
    volatile uint32_t AFR[2];  /* 0x20 AFRL, 0x24 AFRH */
    volatile uint32_t BRR;     /* 0x28 (wo) bit reset */
} wb_gpio_regs_t;

_Static_assert(offsetof(wb_gpio_regs_t, BSRR) == 0x18, "GPIO_BSRR");
_Static_assert(offsetof(wb_gpio_regs_t, BRR) == 0x28, "GPIO_BRR");

#define WB_GPIO(port) ((wb_gpio_regs_t *)(WB_GPIO_BASE + WB_GPIO_PORT_SIZE * (uint32_t)(port)))

#define WB_GPIO_PORT_A 0u
#define WB_GPIO_PORT_B 1u
#define WB_GPIO_PORT_C 2u
#define WB_GPIO_PORT_D 3u
#define WB_GPIO_PORT_E 4u
#define WB_GPIO_PORT_H 7u

#define WB_GPIO_MODE_OUTPUT 1u

#endif
