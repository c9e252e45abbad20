/* wb/led.h - the optional status LED of the board (WB_BOARD_HAS_LED in wb_board_config.h).
 * Owns: the LED GPIO. Every function is a no-op on a board without an LED. Used by the loader
 * (error codes) and examples (heartbeat). */
#ifndef WB_LED_H
#define WB_LED_H

#include <stdbool.h>
#include <stdint.h>

void wb_led_init(void);
void wb_led_set(bool on);
/* Shows a reason code (0..99) for about duration_ms: tens as long blinks, units as short
 * blinks, repeated with a pause. Waits in WFI; needs the time base. */
void wb_led_show_code(uint32_t code, uint32_t duration_ms);

#endif
