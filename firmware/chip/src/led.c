/* Optional status LED (see wb/led.h). */
#include "wb/led.h"

#include "wb/regs/gpio.h"
#include "wb/regs/rcc.h"
#include "wb/time.h"
#include "wb_board.h"

#if WB_BOARD_HAS_LED
#define PRV_PORT WB_GPIO(WB_BOARD_LED_PORT)
#define PRV_BIT  (1u << WB_BOARD_LED_PIN)
#endif

void wb_led_init(void)
{
#if WB_BOARD_HAS_LED
    WB_RCC->AHB2ENR |= (WB_RCC_AHB2ENR_GPIOAEN_Msk << WB_BOARD_LED_PORT);
    (void)WB_RCC->AHB2ENR; /* RM0434 RCC: wait for the clock before touching the port */
    wb_led_set(false);
    PRV_PORT->MODER = (PRV_PORT->MODER & ~(3u << (2u * WB_BOARD_LED_PIN))) |
                      (WB_GPIO_MODE_OUTPUT << (2u * WB_BOARD_LED_PIN));
#endif
}

void wb_led_set(bool on)
{
#if WB_BOARD_HAS_LED
    const bool level = WB_BOARD_LED_ACTIVE_HIGH ? on : !on;
    PRV_PORT->BSRR = level ? PRV_BIT : (PRV_BIT << 16);
#else
    (void)on;
#endif
}

static void prv_blink(uint32_t on_ms, uint32_t off_ms)
{
    wb_led_set(true);
    wb_delay_ms(on_ms);
    wb_led_set(false);
    wb_delay_ms(off_ms);
}

void wb_led_show_code(uint32_t code, uint32_t duration_ms)
{
    wb_deadline_t d = wb_deadline_in(duration_ms);
    if (code > 99u) {
        code = 99u;
    }
    do {
        for (uint32_t i = 0; i < code / 10u; i++) {
            prv_blink(600u, 300u);
        }
        for (uint32_t i = 0; i < code % 10u; i++) {
            prv_blink(150u, 300u);
        }
        wb_delay_ms(1500u);
    } while (!wb_deadline_expired(&d));
}
