/* periph_gpio.c - GPIO ports A-E and H (RM0434 chapter 9) at 0x48000000 + 0x400 * port:
 * MODER/OTYPER/OSPEEDR/PUPDR/ODR/AFR stored with RM reset values, BSRR/BRR set/reset ODR,
 * IDR reads the output for output pins and the pull (up = 1) for inputs. An output change on a
 * Nucleo-WB55 LED pin (PB5 blue, PB0 green, PB1 red) is logged "LED PB5 on"; other pins are
 * traced (periph). LCKR is stored only. */
#include "soc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define GPIO_BASE_ADDR 0x48000000u
#define NPORTS         8u /* A..H windows; F and G do not exist on the WB55 */

/* RM0434 9.4 register map (port A reset values; the model fills per-port values) */
static const emu_reg_t s_regs[] = {
    {0x00, "MODER", 0xABFFFFFFu, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x04, "OTYPER", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x08, "OSPEEDR", 0x0C000000u, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x0C, "PUPDR", 0x64000000u, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x10, "IDR", 0, 0, 0, 0x0000FFFFu, NULL, NULL},
    {0x14, "ODR", 0, 0x0000FFFFu, 0, 0, NULL, NULL},
    {0x18, "BSRR", 0, 0, 0, 0xFFFFFFFFu, NULL, NULL},
    {0x1C, "LCKR", 0, 0x0001FFFFu, 0, 0, NULL, NULL},
    {0x20, "AFRL", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x24, "AFRH", 0, 0xFFFFFFFFu, 0, 0, NULL, NULL},
    {0x28, "BRR", 0, 0, 0, 0x0000FFFFu, NULL, NULL},
};
/* one table for every port; each port's window names its own clock bit (emu_gpio_init) */
const emu_regblock_t emu_rb_gpio = EMU_REGBLOCK("GPIO", GPIO_BASE_ADDR, s_regs, 0u, 0u);

typedef struct {
    uint32_t moder, otyper, ospeedr, pupdr, odr, lckr, afrl, afrh;
} prv_port_t;

struct emu_gpio {
    prv_port_t p[NPORTS];
    unsigned idx[NPORTS];
};

static bool prv_port_exists(unsigned port)
{
    return port <= 4u || port == 7u;
}

static void prv_odr_changed(emu_soc_t *soc, unsigned port, uint32_t old, uint32_t nv)
{
    uint32_t diff = (old ^ nv) & 0xFFFFu;
    for (unsigned pin = 0; diff != 0u && pin < 16u; pin++) {
        if (!((diff >> pin) & 1u)) {
            continue;
        }
        diff &= ~(1u << pin);
        bool on = (nv >> pin) & 1u;
        char name = (char)('A' + port);
        if (port == 1u && (pin == 5u || pin == 0u || pin == 1u)) {
            emu_log(soc, "LED P%c%u %s", name, pin, on ? "on" : "off");
        } else {
            emu_trace(soc, EMU_TRACE_PERIPH, "GPIO P%c%u %s", name, pin, on ? "high" : "low");
        }
    }
}

static uint32_t prv_idr(const prv_port_t *p)
{
    uint32_t v = 0;
    for (unsigned pin = 0; pin < 16u; pin++) {
        uint32_t mode = (p->moder >> (2u * pin)) & 3u;
        uint32_t pull = (p->pupdr >> (2u * pin)) & 3u;
        uint32_t bit = mode == 1u ? ((p->odr >> pin) & 1u) : (pull == 1u ? 1u : 0u);
        v |= bit << pin;
    }
    return v;
}

static uint32_t prv_read(emu_soc_t *soc, void *st, uint32_t off)
{
    unsigned port = *(unsigned *)st;
    prv_port_t *p = &soc->gpio->p[port];
    switch (off) {
    case 0x00:
        return p->moder;
    case 0x04:
        return p->otyper;
    case 0x08:
        return p->ospeedr;
    case 0x0C:
        return p->pupdr;
    case 0x10:
        return prv_idr(p);
    case 0x14:
        return p->odr;
    case 0x18: /* BSRR and BRR are write-only */
    case 0x28:
        return 0;
    case 0x1C:
        return p->lckr;
    case 0x20:
        return p->afrl;
    case 0x24:
        return p->afrh;
    default:
        emu_soc_unimplemented(soc, "GPIO", GPIO_BASE_ADDR + 0x400u * port + off, false, 0);
        return 0;
    }
}

static void prv_write(emu_soc_t *soc, void *st, uint32_t off, uint32_t val, uint32_t mask)
{
    unsigned port = *(unsigned *)st;
    prv_port_t *p = &soc->gpio->p[port];
    uint32_t old = p->odr;
    switch (off) {
    case 0x00:
        p->moder = emu_reg_merge(p->moder, val, mask, 0xFFFFFFFFu);
        return;
    case 0x04:
        p->otyper = emu_reg_merge(p->otyper, val, mask, 0xFFFFu);
        return;
    case 0x08:
        p->ospeedr = emu_reg_merge(p->ospeedr, val, mask, 0xFFFFFFFFu);
        return;
    case 0x0C:
        p->pupdr = emu_reg_merge(p->pupdr, val, mask, 0xFFFFFFFFu);
        return;
    case 0x10: /* IDR read-only */
        return;
    case 0x14:
        p->odr = emu_reg_merge(p->odr, val, mask, 0xFFFFu);
        break;
    case 0x18: { /* BSRR: set bits [15:0], reset bits [31:16]; set wins */
        uint32_t v = val & mask;
        p->odr = (p->odr & ~(v >> 16)) | (v & 0xFFFFu);
        break;
    }
    case 0x28:
        p->odr &= ~(val & mask & 0xFFFFu);
        break;
    case 0x1C:
        p->lckr = emu_reg_merge(p->lckr, val, mask, 0x1FFFFu);
        return;
    case 0x20:
        p->afrl = emu_reg_merge(p->afrl, val, mask, 0xFFFFFFFFu);
        return;
    case 0x24:
        p->afrh = emu_reg_merge(p->afrh, val, mask, 0xFFFFFFFFu);
        return;
    default:
        emu_soc_unimplemented(soc, "GPIO", GPIO_BASE_ADDR + 0x400u * port + off, true, val);
        return;
    }
    prv_odr_changed(soc, port, old, p->odr);
}

static void prv_reset(emu_soc_t *soc, void *st, bool power_on)
{
    (void)power_on;
    unsigned port = *(unsigned *)st;
    prv_port_t *p = &soc->gpio->p[port];
    memset(p, 0, sizeof(*p));
    p->moder = 0xFFFFFFFFu; /* analog */
    if (port == 0u) {
        p->moder = 0xABFFFFFFu; /* PA13/PA14 SWD, PA15 JTDI */
        p->ospeedr = 0x0C000000u;
        p->pupdr = 0x64000000u;
    } else if (port == 1u) {
        p->moder = 0xFFFFFEBFu; /* PB3 SWO, PB4 NJTRST */
        p->ospeedr = 0x000000C0u;
        p->pupdr = 0x00000100u;
    }
}

void emu_gpio_init(emu_soc_t *soc)
{
    struct emu_gpio *g = calloc(1, sizeof(*g));
    soc->gpio = g;
    emu_soc_register_state(soc, g, sizeof(*g));
    static const char *names[NPORTS] = {"GPIOA", "GPIOB", "GPIOC", "GPIOD",
                                        "GPIOE", NULL,    NULL,    "GPIOH"};
    for (unsigned port = 0; port < NPORTS; port++) {
        g->idx[port] = port;
        if (!prv_port_exists(port)) {
            continue;
        }
        emu_periph_t p = {.name = names[port],
                          .base = GPIO_BASE_ADDR + 0x400u * port,
                          .read = prv_read,
                          .write = prv_write,
                          .reset = prv_reset,
                          .st = &g->idx[port],
                          .rb = &emu_rb_gpio,
                          .clk_off = EMU_RCC_AHB2ENR,
                          .clk_bit = 1u << port}; /* GPIOxEN: A..E = bits 0..4, H = bit 7 */
        emu_soc_register_periph(soc, &p);
        prv_reset(soc, &g->idx[port], true);
    }
}
