/* cubemx-hal: an application written the way STM32CubeMX-generated firmware is organised
 * (HAL-like init order in main: SystemClock_Config, MX_GPIO/DMA/USART1/RNG/IPCC_Init, then the
 * wireless stack: C2_DEBUG_Init on the ready event, flash activity control, BLE_INIT, GAP/GATT
 * set-up with set_io_capability, set_authentication_requirement, configure_whitelist and
 * set_radio_activity_mask, advertising), written from RM0434 and docs/emulator.md with the
 * project's own code (no ST code): registers are written directly, the CPU1-CPU2 transport is the
 * project's (firmware/cpu2). Traces go out on USART1 through DMA2 channel 4 + DMAMUX1 (request
 * USART1_TX), as ST's reference applications do; the emulator shows them as `EMU LOG UART1: ...`.
 * It runs behind the wbota loader: FE11 (app kit) reboots into the loader for an app update.
 * Wireless-stack update in ST's style (request word at WS_REQ_ADDR, set by a debugger/test):
 * two FUS_GET_STATE, then park in WFI until the device resets; on each boot with FUS running:
 * FUS_GET_STATE, FUS_FW_UPGRADE once, park; when FUS reports idle again, FUS_START_WS, park.
 * Build variants (examples/CMakeLists.txt): v1, v2, and a faulty one that never sends
 * FUS_START_WS (CUBEMX_FAULT_NO_START_WS: the emulator must report the hang). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wb/ble.h"
#include "wb/clock.h"
#include "wb/cpu2.h"
#include "wb/regs/flash.h"
#include "wb/regs/gpio.h"
#include "wb/regs/ipcc.h"
#include "wb/regs/rcc.h"
#include "wb/shci.h"
#include "wb/time.h"
#include "wbota_appkit.h"

#ifndef CUBEMX_VERSION_MAJOR
#define CUBEMX_VERSION_MAJOR 1
#endif
#ifndef CUBEMX_FAULT_NO_START_WS
#define CUBEMX_FAULT_NO_START_WS 0
#endif
#define PRV_STR2(x) #x
#define PRV_STR(x)  PRV_STR2(x)
#define APP_NAME    "CUBEMX-v" PRV_STR(CUBEMX_VERSION_MAJOR) ".0"

/* ---- peripherals this file drives itself (RM0434 register maps) ---- */
#define REG32(a)              (*(volatile uint32_t *)(a))
#define RNG_CR                REG32(0x58001000u) /* RNGEN bit 2 */
#define RNG_SR                REG32(0x58001004u) /* DRDY bit 0, CECS bit 1 */
#define RNG_DR                REG32(0x58001008u)
#define USART1_CR1            REG32(0x40013800u) /* UE 0, TE 3 */
#define USART1_CR3            REG32(0x40013808u) /* DMAT 7 */
#define USART1_BRR            REG32(0x4001380Cu)
#define USART1_TDR_ADR        0x40013828u
#define DMA2_ISR              REG32(0x40020400u)
#define DMA2_IFCR             REG32(0x40020404u)
#define DMA2_CCR4             REG32(0x40020444u) /* channel n at 0x08 + 20 * (n - 1) */
#define DMA2_CNDTR4           REG32(0x40020448u)
#define DMA2_CPAR4            REG32(0x4002044Cu)
#define DMA2_CMAR4            REG32(0x40020450u)
#define DMAMUX1_C10CR         REG32(0x40020828u) /* DMA2 channel 4 = DMAMUX1 channel 10 */
#define DMAMUX_REQ_USART1_TX  15u
#define RCC_AHB1ENR_DMA2EN    (1u << 1)
#define RCC_AHB1ENR_DMAMUX1EN (1u << 2)
#define RCC_AHB3ENR_RNGEN     (1u << 18)
#define RCC_APB2ENR_USART1EN  (1u << 14)
#define RCC_CCIPR_RNGSEL_Msk  (3u << 30) /* 00 = CLK48 */
#define RCC_CCIPR_CLK48_Msk   (3u << 26) /* 00 = HSI48 */
#define RCC_CRRCR_HSI48ON     (1u << 0)
#define RCC_CRRCR_HSI48RDY    (1u << 1)

/* ST-style wireless update state, in SRAM2b (no image, no CPU2 table lives there): kept across
 * system resets, random after power-on (hence the magic). */
#define WS_REQ_ADDR   0x20038000u
#define WS_MAGIC      0xC0BE5EEDu
#define WS_PHASE_TRIG 1u /* requested: send the two FUS_GET_STATE */
#define WS_PHASE_FUS  2u /* in FUS, FUS_FW_UPGRADE not sent yet */
#define WS_PHASE_UPG  3u /* FUS_FW_UPGRADE sent */
#define WS_PHASE_WS   4u /* FUS_START_WS sent */
typedef struct {
    uint32_t magic, phase;
} ws_req_t;
#define WS_REQ ((volatile ws_req_t *)WS_REQ_ADDR)

#define ADV_MIN_UNITS 0x0080u
#define ADV_MAX_UNITS 0x00A0u
#define CMD_MS        2000u

static const wb_ble_char_def_t k_chars[] = {
    {WBOTA_FE11_UUID, WBOTA_FE11_LEN, WB_CHAR_PROP_WRITE_NO_RSP, 0u},
};
static const wb_ble_server_def_t k_server = {
    .name = APP_NAME,
    .service_uuid = WB_UUID128(0x7c3f0101u, 0x7d2au, 0x4b7eu, 0x9a0eu,
                               0x5742f0a1e110ull), /* 7c3f0101-7d2a-4b7e-9a0e-5742f0a1e110 */
    .max_records = 4u,
    .char_count = 1u,
    .chars = k_chars};
static uint16_t s_service, s_chr[1];
static uint8_t s_addr[WB_BLE_ADDR_LEN];
static char s_trace[96];

/* ---- MX_* init, in CubeMX's order ---- */
static void MX_DMA_Init(void)
{
    WB_RCC->AHB1ENR |= RCC_AHB1ENR_DMA2EN | RCC_AHB1ENR_DMAMUX1EN;
    (void)WB_RCC->AHB1ENR;
    DMAMUX1_C10CR = DMAMUX_REQ_USART1_TX;
}

static void MX_USART1_UART_Init(void)
{
    WB_RCC->AHB2ENR |= WB_RCC_AHB2ENR_GPIOAEN_Msk << 1u; /* PB6 TX / PB7 RX, AF7 */
    WB_RCC->APB2ENR |= RCC_APB2ENR_USART1EN;
    (void)WB_RCC->APB2ENR;
    wb_gpio_regs_t *gb = WB_GPIO(1);
    gb->MODER = (gb->MODER & ~(0xFu << 12)) | (0xAu << 12);
    gb->AFR[0] = (gb->AFR[0] & ~(0xFFu << 24)) | (0x77u << 24);
    USART1_BRR = 32000000u / 115200u;
    USART1_CR1 = (1u << 3) | (1u << 0); /* TE, UE */
}

/* HAL_UART_Transmit_DMA, waiting for the previous transfer like a blocking trace would */
static void prv_trace(const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    if (n >= sizeof(s_trace) - 2u) {
        n = sizeof(s_trace) - 3u;
    }
    wb_deadline_t d = wb_deadline_in(100u);
    while ((DMA2_CCR4 & 1u) && DMA2_CNDTR4 != 0u && !wb_deadline_expired(&d)) {
    }
    DMA2_CCR4 = 0u;
    DMA2_IFCR = 0xFu << 12; /* clear channel 4 flags */
    memcpy(s_trace, s, n);
    s_trace[n] = '\r';
    s_trace[n + 1u] = '\n';
    USART1_CR3 &= ~(1u << 7);
    DMA2_CPAR4 = USART1_TDR_ADR;
    DMA2_CMAR4 = (uint32_t)(uintptr_t)s_trace;
    DMA2_CNDTR4 = n + 2u;
    DMA2_CCR4 = (1u << 7) | (1u << 4) | 1u; /* MINC, DIR memory -> peripheral, EN */
    USART1_CR3 |= 1u << 7;                  /* DMAT: USART1 requests the bytes */
}

static void prv_hex32(char *out, uint32_t v)
{
    static const char k_hex[] = "0123456789ABCDEF";
    for (unsigned i = 0; i < 8u; i++) {
        out[i] = k_hex[(v >> (28u - 4u * i)) & 0xFu];
    }
    out[8] = '\0';
}

static uint32_t MX_RNG_Init_and_read(void)
{
    WB_RCC->CRRCR |= RCC_CRRCR_HSI48ON;
    wb_deadline_t d = wb_deadline_in(10u);
    while (!(WB_RCC->CRRCR & RCC_CRRCR_HSI48RDY) && !wb_deadline_expired(&d)) {
    }
    WB_RCC->CCIPR &= ~(RCC_CCIPR_RNGSEL_Msk | RCC_CCIPR_CLK48_Msk); /* CLK48 = HSI48 */
    WB_RCC->AHB3ENR |= RCC_AHB3ENR_RNGEN;
    (void)WB_RCC->AHB3ENR;
    RNG_CR = 1u << 2;
    d = wb_deadline_in(10u);
    while (!(RNG_SR & 1u) && !wb_deadline_expired(&d)) {
    }
    return (RNG_SR & 1u) ? RNG_DR : 0u;
}

/* HAL_IPCC_Init: clock, then every channel of both sides cleared and masked */
static void MX_IPCC_Init(void)
{
    WB_RCC->AHB3ENR |= WB_RCC_AHB3ENR_IPCCEN_Msk;
    (void)WB_RCC->AHB3ENR;
    WB_IPCC->C1SCR = 0x3Fu;
    WB_IPCC->C2SCR = 0x3Fu;
    WB_IPCC->C1MR = 0x003F003Fu;
    WB_IPCC->C2MR = 0x003F003Fu;
    WB_IPCC->C1CR = 0u;
}

/* ---- wireless stack ---- */
static wbota_err_t prv_sys(uint16_t op, const uint8_t *p, size_t n)
{
    uint8_t rsp[8];
    size_t rl = 0;
    wbota_err_t err = wb_cpu2_sys_cmd(op, p, n, rsp, sizeof(rsp), &rl, CMD_MS);
    return (err == WBOTA_OK && rl >= 1u && rsp[0] != 0u) ? WBOTA_E_CPU2_CMD : err;
}

static wbota_err_t prv_aci(uint16_t op, const uint8_t *p, size_t n)
{
    uint8_t rsp[8];
    size_t rl = 0;
    wbota_err_t err = wb_cpu2_ble_cmd(op, p, n, rsp, sizeof(rsp), &rl, CMD_MS);
    return (err == WBOTA_OK && rl >= 1u && rsp[0] != 0u) ? WBOTA_E_CPU2_CMD : err;
}

static wbota_err_t APP_BLE_Init(bool ls_hse)
{
    /* SHCI_C2_DEBUG_Init: GPIO, traces and general config pointers (none) and sizes */
    static const uint8_t debug_init[15] = {0};
    wbota_err_t err = prv_sys(0xFC68u, debug_init, sizeof(debug_init));
    if (err == WBOTA_OK) {
        err = wb_shci_set_flash_activity_control(1u); /* Sem 7 */
    }
    wb_shci_ble_init_t init;
    wb_shci_ble_init_defaults(&init, ls_hse);
    if (err == WBOTA_OK) {
        err = wb_shci_ble_init(&init);
    }
    const volatile uint32_t *uid = (const volatile uint32_t *)WB_BLE_UID64_ADDR;
    wb_ble_addr_from_uid64(uid[0], uid[1], false, s_addr);
    if (err == WBOTA_OK) {
        err = wb_ble_server_up(&k_server, s_addr, &s_service, s_chr);
    }
    static const uint8_t io_cap = 0x03u; /* no input, no output */
    /* bonding, no MITM, SC supported, no keypress, key 8..16, fixed pin 111111, public */
    static const uint8_t auth[12] = {1u, 0u, 1u, 0u, 8u, 16u, 0u, 0x07u, 0xB2u, 0x01u, 0u, 0u};
    static const uint8_t radio_mask[2] = {0x06u, 0x00u}; /* advertising + connection events */
    if (err == WBOTA_OK) {
        err = prv_aci(0xFC85u, &io_cap, 1u);
    }
    if (err == WBOTA_OK) {
        err = prv_aci(0xFC86u, auth, sizeof(auth));
    }
    if (err == WBOTA_OK) {
        err = prv_aci(0xFC92u, NULL, 0u);
    }
    if (err == WBOTA_OK) {
        err = prv_aci(0xFC18u, radio_mask, sizeof(radio_mask));
    }
    if (err == WBOTA_OK) {
        err = wb_ble_advertise(ADV_MIN_UNITS, ADV_MAX_UNITS, APP_NAME, 0x00u, WB_MANUF_FEAT_OTA,
                               s_addr);
    }
    return err;
}

/* ST's CPU1 code waits here for the reset FUS makes: SysTick off, only WFI. */
static __attribute__((noreturn)) void prv_park_until_reset(const char *why)
{
    prv_trace(why);
    REG32(0xE000E010u) = 0u; /* SysTick CSR */
    for (;;) {
        __asm volatile("wfi");
    }
}

static __attribute__((noreturn)) void prv_fus_step(void)
{
    volatile ws_req_t *r = WS_REQ;
    uint8_t st[4];
    size_t n = 0;
    wbota_err_t err = wb_cpu2_sys_cmd(WB_SHCI_FUS_GET_STATE, NULL, 0u, st, sizeof(st), &n, CMD_MS);
    uint8_t state = (err == WBOTA_OK && n >= 1u) ? st[0] : 0xFFu;
    if (wb_fus_state_is_busy(state)) {
        prv_park_until_reset("[cubemx] FUS busy: waiting for the reset");
    }
    if (r->phase == WS_PHASE_FUS) {
        r->phase = WS_PHASE_UPG;
        (void)prv_sys(WB_SHCI_FUS_FW_UPGRADE, NULL, 0u);
        prv_park_until_reset("[cubemx] FUS_FW_UPGRADE sent: waiting for the reset");
    }
    if (CUBEMX_FAULT_NO_START_WS) {
        prv_park_until_reset("[cubemx] upgrade done (fault: no FUS_START_WS)");
    }
    r->phase = WS_PHASE_WS;
    (void)prv_sys(WB_SHCI_FUS_START_WS, NULL, 0u);
    prv_park_until_reset("[cubemx] FUS_START_WS sent: waiting for the reset");
}

int main(void)
{
    /* SystemClock_Config: HSE 32 MHz, RF wake-up on LSE (the project's clock code) */
    wb_clock_status_t cs;
    (void)wb_clock_init(WBOTA_RFWKP_ADAPTIVE, &cs);
    MX_DMA_Init();
    MX_USART1_UART_Init();
    char line[48] = "[cubemx] " APP_NAME " start, RNG ";
    uint32_t rnd = MX_RNG_Init_and_read();
    prv_hex32(line + strlen(line), rnd);
    prv_trace(line);
    MX_IPCC_Init();

    volatile ws_req_t *r = WS_REQ;
    bool ws_flow = r->magic == WS_MAGIC;
    if (wb_cpu2_start(2000u) != WBOTA_OK) {
        prv_park_until_reset("[cubemx] CPU2 not ready");
    }
    if (wb_cpu2_state() == WB_CPU2_RUN_FUS) {
        if (!ws_flow) {
            r->magic = WS_MAGIC;
            r->phase = WS_PHASE_UPG; /* FUS without our request: only bring the stack back */
        } else if (r->phase == WS_PHASE_TRIG) {
            r->phase = WS_PHASE_FUS;
        }
        prv_trace("[cubemx] FUS running");
        prv_fus_step();
    }
    if (ws_flow && r->phase >= WS_PHASE_FUS) {
        prv_trace("[cubemx] wireless stack update done");
    }
    r->magic = 0u;
    if (APP_BLE_Init(cs.ls_source_hse) != WBOTA_OK) {
        prv_park_until_reset("[cubemx] BLE set-up failed");
    }
    prv_trace("[cubemx] advertising " APP_NAME);
    for (;;) {
        wb_ble_evt_t e;
        while (wb_ble_evt_next(&e)) {
            if (e.kind == WB_BLE_EVT_DISCONNECTED) {
                (void)wb_ble_advertise(ADV_MIN_UNITS, ADV_MAX_UNITS, APP_NAME, 0x00u,
                                       WB_MANUF_FEAT_OTA, s_addr);
            } else if (e.kind == WB_BLE_EVT_ATTR_MODIFIED && e.attr == (uint16_t)(s_chr[0] + 1u)) {
                prv_trace("[cubemx] reboot request");
                (void)wbota_reboot_request(e.data, e.len);
            }
            wb_ble_evt_done();
        }
        if (r->magic == WS_MAGIC && r->phase == WS_PHASE_TRIG) {
            /* ST's way into FUS: two FUS_GET_STATE while the stack runs, then the reset */
            prv_trace("[cubemx] wireless stack update requested");
            uint8_t st[4];
            size_t n = 0;
            (void)wb_cpu2_sys_cmd(WB_SHCI_FUS_GET_STATE, NULL, 0u, st, sizeof(st), &n, CMD_MS);
            wb_cpu2_expect_restart();
            (void)wb_cpu2_sys_cmd(WB_SHCI_FUS_GET_STATE, NULL, 0u, st, sizeof(st), &n, 50u);
            prv_park_until_reset("[cubemx] waiting for the reset into FUS");
        }
        wb_cpu2_idle();
    }
}
