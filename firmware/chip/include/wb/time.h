/* wb/time.h - the firmware time base: SysTick at 1 kHz, deadlines, short delays, idle.
 * Owns: SysTick and the millisecond counter. Every wait in the firmware is bounded with these
 * helpers (wb_deadline_*), including waits with interrupts masked (wb_masked_*), where the
 * SysTick interrupt cannot run. Called by clock, flash, the CPU2 transport and the loader. */
#ifndef WB_TIME_H
#define WB_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* (Re)starts SysTick for 1 kHz at hclk_hz; the millisecond count continues. Call again after
 * every SYSCLK change. */
void wb_time_init(uint32_t hclk_hz);
/* Records a new CPU clock without touching SysTick (the boot path runs before wb_time_init):
 * the SysTick-less bounds of wb_deadline_expired / wb_masked_elapsed_ms scale with it. */
void wb_time_set_hclk(uint32_t hclk_hz);
uint32_t wb_time_hclk_hz(void);
/* Milliseconds since the first wb_time_init (wraps after 49 days; compare by subtraction). */
uint32_t wb_time_ms(void);

/* Microseconds (wraps after 71 minutes; compare by subtraction). Not inside masked regions. */
uint32_t wb_time_us(void);

typedef struct {
    uint32_t start;
    uint32_t span_ms;
    uint32_t spins; /* fallback bound when SysTick is not running */
} wb_deadline_t;

wb_deadline_t wb_deadline_in(uint32_t ms);
/* true once ms have passed. Also true after a large number of calls if SysTick is not running
 * (never an endless wait, even before wb_time_init). */
bool wb_deadline_expired(wb_deadline_t *d);
uint32_t wb_deadline_left_ms(const wb_deadline_t *d);

/* Busy-waits at least us microseconds (SysTick counter based; coarse loop before init). */
void wb_delay_us(uint32_t us);
/* Waits ms milliseconds in WFI. */
void wb_delay_ms(uint32_t ms);
/* Sleeps until the next interrupt (SysTick wakes it within 1 ms). */
void wb_idle(void);

/* Waits with interrupts masked: SysTick still counts but its interrupt stays pending, so
 * wb_time_ms() stands still. Poll wb_masked_elapsed_ms() at least every millisecond inside the
 * masked region; wb_masked_end() (call before unmasking) credits the ticks the interrupt
 * could not count. Accuracy +-1 ms. */
typedef struct {
    uint32_t wraps;
    bool running;
} wb_masked_clock_t;
void wb_masked_begin(wb_masked_clock_t *m);
uint32_t wb_masked_elapsed_ms(wb_masked_clock_t *m);
void wb_masked_end(wb_masked_clock_t *m);

#endif
