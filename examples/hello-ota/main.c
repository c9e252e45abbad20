/* hello-ota: the smallest useful application for the wbota loader.
 * Advertises "HELLO-v<major>.<minor>" with ST's manufacturer data (feature bit 0x20: can reboot
 * into the OTA loader), exposes a service with FE11 (reboot request, handled by the app kit)
 * and a status characteristic (why the last reboot request or loader run failed), blinks the
 * board LED. Uses the project's shared BLE layer (firmware/cpu2) and the chip port for clocks.
 * Build variants (examples/CMakeLists.txt): v1, v2 and an HSE/1024 RF wake-up variant. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wb/ble.h"
#include "wb/clock.h"
#include "wb/cpu2.h"
#include "wb/led.h"
#include "wb/regs/rcc.h"
#include "wb/reset.h"
#include "wb/shci.h"
#include "wb/time.h"
#include "wbota_appkit.h"

#ifndef HELLO_VERSION_MAJOR
#define HELLO_VERSION_MAJOR 1
#endif
#ifndef HELLO_VERSION_MINOR
#define HELLO_VERSION_MINOR 0
#endif
/* 1: run the radio on HSE/1024 like an app on a board without LSE (sticks until power-on) */
#ifndef HELLO_RFWKP_HSE1024
#define HELLO_RFWKP_HSE1024 0
#endif
#ifndef HELLO_CRASH
#define HELLO_CRASH 0
#endif
#ifndef HELLO_PAD_BYTES
#define HELLO_PAD_BYTES 0 /* constant data that makes the image large (benchmarks) */
#endif
#if HELLO_PAD_BYTES > 0
static const uint8_t k_pad[HELLO_PAD_BYTES] = {1u};
#endif

#define PRV_STR2(x) #x
#define PRV_STR(x)  PRV_STR2(x)
#define HELLO_NAME  "HELLO-v" PRV_STR(HELLO_VERSION_MAJOR) "." PRV_STR(HELLO_VERSION_MINOR)

#define ADV_MIN_UNITS 0x0080u /* 80 ms */
#define ADV_MAX_UNITS 0x00A0u /* 100 ms */
#define HEARTBEAT_MS  500u
#define HELLO_DEV_ID  0x00u /* generic: not one of ST's demo device ids */
#define CPU2_READY_MS 1000u

enum { CHR_FE11, CHR_STATUS, CHR_COUNT };
/* status read: [last FE11 refusal][loader marker][loader reason][loader flags] */
static uint8_t s_status[4];
static const wb_ble_char_def_t k_chars[CHR_COUNT] = {
    [CHR_FE11] = {WBOTA_FE11_UUID, WBOTA_FE11_LEN, WB_CHAR_PROP_WRITE_NO_RSP, 0u},
    /* 7c3f0002-7d2a-4b7e-9a0e-5742f0a1e110 */
    [CHR_STATUS] = {WB_UUID128(0x7c3f0002u, 0x7d2au, 0x4b7eu, 0x9a0eu, 0x5742f0a1e110ull),
                    sizeof(s_status), WB_CHAR_PROP_READ, 0u},
};
static const wb_ble_server_def_t k_server = {
    .name = HELLO_NAME,
    .service_uuid = WB_UUID128(0x7c3f0001u, 0x7d2au, 0x4b7eu, 0x9a0eu,
                               0x5742f0a1e110ull), /* 7c3f0001-7d2a-4b7e-9a0e-5742f0a1e110 */
    .max_records = 6u,
    .char_count = CHR_COUNT,
    .chars = k_chars};

static struct {
    uint16_t service;
    uint16_t chr[CHR_COUNT]; /* declaration handles: value = +1 */
} s_h;
static uint8_t s_addr[WB_BLE_ADDR_LEN];

static wbota_err_t prv_advertise(void)
{
    return wb_ble_advertise(ADV_MIN_UNITS, ADV_MAX_UNITS, HELLO_NAME, HELLO_DEV_ID,
                            WB_MANUF_FEAT_OTA, s_addr);
}

static wbota_err_t prv_ble_up(bool ls_hse)
{
    wb_shci_ble_init_t init;
    wb_shci_ble_init_defaults(&init, ls_hse);
    wbota_err_t err = wb_shci_ble_init(&init);
    if (err != WBOTA_OK) {
        return err;
    }
    const volatile uint32_t *uid = (const volatile uint32_t *)WB_BLE_UID64_ADDR;
    wb_ble_addr_from_uid64(uid[0], uid[1], false, s_addr); /* the loader uses this + 1 */

    if ((err = wb_ble_server_up(&k_server, s_addr, &s_h.service, s_h.chr)) != WBOTA_OK) {
        return err;
    }
    (void)wb_ble_update_char(s_h.service, s_h.chr[CHR_STATUS], s_status, sizeof(s_status));
    return prv_advertise();
}

static void prv_on_event(const wb_ble_evt_t *e)
{
    if (e->kind == WB_BLE_EVT_DISCONNECTED) {
        (void)prv_advertise();
    } else if (e->kind == WB_BLE_EVT_ATTR_MODIFIED &&
               e->attr == (uint16_t)(s_h.chr[CHR_FE11] + 1u)) {
        /* returns only when it refuses; the reason is readable on the status characteristic */
        wbota_err_t err = wbota_reboot_request(e->data, e->len);
        s_status[0] = (uint8_t)(-(int)err);
        (void)wb_ble_update_char(s_h.service, s_h.chr[CHR_STATUS], s_status, sizeof(s_status));
    }
}

/* One line on USART1 TX (PB6), polled: the board's debug UART; wbota-emu shows it as
 * `EMU LOG UART1: <line>`. Only used for the one-time update report below. */
#define PRV_USART1_CR1    (*(volatile uint32_t *)0x40013800u) /* UE bit 0, TE bit 3 */
#define PRV_USART1_BRR    (*(volatile uint32_t *)0x4001380Cu)
#define PRV_USART1_ISR    (*(volatile uint32_t *)0x4001381Cu) /* TXE bit 7 */
#define PRV_USART1_TDR    (*(volatile uint32_t *)0x40013828u)
#define PRV_APB2_USART1EN (1u << 14)

static void prv_uart_str(const char *s)
{
    for (; *s != '\0'; s++) {
        uint32_t spins = 100000u; /* bounded: TXE comes within one byte time */
        while ((PRV_USART1_ISR & (1u << 7)) == 0u && spins-- > 0u) {
        }
        PRV_USART1_TDR = (uint8_t)*s;
    }
}

static void prv_uart_num(int32_t v)
{
    char buf[12];
    uint32_t u = (v < 0) ? (uint32_t)(-v) : (uint32_t)v;
    size_t i = sizeof buf - 1u;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + (u % 10u));
        u /= 10u;
    } while (u != 0u && i > 1u);
    if (v < 0) {
        buf[--i] = '-';
    }
    prv_uart_str(&buf[i]);
}

/* Under a swap loader: tell (once per boot) that this app was swapped back in, why and from
 * which version (docs/appkit.md#revert). */
static void prv_report_revert(void)
{
    wbota_update_status_t us;
    if (wbota_update_status_read(&us) != WBOTA_OK || !us.reverted) {
        return;
    }
    WB_RCC->APB2ENR |= PRV_APB2_USART1EN;
    (void)WB_RCC->APB2ENR;
    PRV_USART1_BRR = 32000000u / 115200u;
    PRV_USART1_CR1 = (1u << 3) | (1u << 0);
    prv_uart_str(HELLO_NAME " reverted from ");
    prv_uart_num(us.reverted_from.major);
    prv_uart_str(".");
    prv_uart_num(us.reverted_from.minor);
    prv_uart_str(".");
    prv_uart_num(us.reverted_from.patch);
    prv_uart_str(" counter ");
    prv_uart_num((int32_t)us.reverted_from_counter);
    prv_uart_str(" reason ");
    prv_uart_num(us.revert_reason);
    prv_uart_str("\r\n");
}

static __attribute__((noreturn)) void prv_fail(wbota_err_t err)
{
    /* no radio: show the code on the LED forever (a debugger can read it too) */
    for (;;) {
        wb_led_show_code((uint32_t)(-(int)err), 5000u);
    }
}

int main(void)
{
    /* HSE 32 MHz for the radio; RF wake-up on LSE (adaptive: HSE/1024 only if it is stuck
     * there from an earlier run), or HSE/1024 for the trap-test variant */
    wb_clock_status_t cs;
    (void)wb_clock_init(HELLO_RFWKP_HSE1024 ? WBOTA_RFWKP_HSE1024 : WBOTA_RFWKP_ADAPTIVE, &cs);
    bool ls_hse = cs.ls_source_hse;
    wb_led_init();

    wbota_loader_status_t ls;
    if (wbota_loader_status_read(&ls)) {
        s_status[1] = WBOTA_LOADER_STATUS_MARK;
        s_status[2] = (uint8_t)(-(int)ls.reason);
        s_status[3] = ls.gave_up ? WBOTA_LOADER_STATUS_F_GAVE_UP : 0u;
        wbota_loader_status_clear();
    }

    prv_report_revert();

#if HELLO_PAD_BYTES > 0
    s_status[0] ^= (uint8_t)(((const volatile uint8_t *)k_pad)[0] & 0u); /* keep the padding */
#endif
#if HELLO_CRASH
    /* test variant: an image that dies before it confirms (a crash, a watchdog) */
    wb_system_reset();
#endif
    wbota_err_t err = wb_cpu2_start(CPU2_READY_MS);
    if (err == WBOTA_OK && wb_cpu2_state() != WB_CPU2_RUN_WS) {
        err = WBOTA_E_CPU2_CMD; /* only FUS installed: nothing to advertise with */
    }
    if (err == WBOTA_OK) {
        err = prv_ble_up(ls_hse);
    }
    if (err != WBOTA_OK) {
        prv_fail(err);
    }
    /* healthy: the radio is up. Under a staged loader a new image confirms itself here (one
     * reset the first time); otherwise this returns at once. */
    (void)wbota_confirm();

    uint32_t beat = wb_time_ms();
    bool led = false;
    for (;;) {
        wb_ble_evt_t e;
        while (wb_ble_evt_next(&e)) {
            prv_on_event(&e);
            wb_ble_evt_done();
        }
        if ((uint32_t)(wb_time_ms() - beat) >= HEARTBEAT_MS) {
            beat = wb_time_ms();
            led = !led;
            wb_led_set(led);
        }
        wb_cpu2_idle();
    }
}
