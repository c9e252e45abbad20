/* app_ble.c - BLE application of the CubeMX-style example, where a CubeMX/STM32_WPAN project
 * keeps it. Holds what ST's OTA projects define in this file, the two OTA tag variables in the
 * sections TAG_OTA_START and TAG_OTA_END (the linker script places them: docs/appkit.md#cubemx),
 * and brings up the radio through the project's own BLE layer (firmware/cpu2) in place of ST's
 * middleware: advertising "CUBE-v<major>.0" with ST's manufacturer data (feature bit 0x20: can
 * reboot into the loader) and a service with the reboot characteristic FE11. */
#include "app_ble.h"

#include "app_conf.h"
#include "main.h"
#include "wb/ble.h"
#include "wb/cpu2.h"
#include "wb/shci.h"
#include "wbota/layout.h"
#include "wbota_appkit.h"

#define PRV_STR2(x) #x
#define PRV_STR(x)  PRV_STR2(x)
#define APP_NAME    "CUBE-v" PRV_STR(APP_VERSION_MAJOR) ".0"

#define ADV_MIN_UNITS 0x0080u /* 80 ms */
#define ADV_MAX_UNITS 0x00A0u /* 100 ms */
#define APP_DEV_ID    0x00u   /* generic device id in the manufacturer data */
#define CPU2_READY_MS 1000u

/* The OTA tags: the linker script puts MagicKeywordAddress at app start + 0x140, where a
 * loader reads the address of MagicKeywordValue, and MagicKeywordValue last in the image. */
__attribute__((section("TAG_OTA_END"), used)) const uint32_t MagicKeywordValue = WBOTA_TAG_MAGIC;
__attribute__((section("TAG_OTA_START"), used)) const uint32_t MagicKeywordAddress =
    (uint32_t)&MagicKeywordValue;

/* USER CODE BEGIN PV */
/* one service, one characteristic: the reboot request (write without response, 3 bytes) */
enum { CHR_REBOOT, CHR_COUNT };
static const wb_ble_char_def_t k_chars[CHR_COUNT] = {
    [CHR_REBOOT] = {WBOTA_FE11_UUID, WBOTA_FE11_LEN, WB_CHAR_PROP_WRITE_NO_RSP, 0u},
};
static const wb_ble_server_def_t k_server = {
    .name = APP_NAME,
    .service_uuid = WB_UUID128(0x7c3f0101u, 0x7d2au, 0x4b7eu, 0x9a0eu,
                               0x5742f0a1e110ull), /* 7c3f0101-7d2a-4b7e-9a0e-5742f0a1e110 */
    .max_records = 4u,
    .char_count = CHR_COUNT,
    .chars = k_chars};
static uint16_t s_service;
static uint16_t s_chr[CHR_COUNT];
static uint8_t s_addr[WB_BLE_ADDR_LEN];
/* USER CODE END PV */

static wbota_err_t prv_advertise(void)
{
    return wb_ble_advertise(ADV_MIN_UNITS, ADV_MAX_UNITS, APP_NAME, APP_DEV_ID, WB_MANUF_FEAT_OTA,
                            s_addr);
}

void APPE_Init(bool ls_hse)
{
    wbota_err_t err = wb_cpu2_start(CPU2_READY_MS);
    if (err == WBOTA_OK && wb_cpu2_state() != WB_CPU2_RUN_WS) {
        err = WBOTA_E_CPU2_CMD; /* only FUS installed */
    }
    wb_shci_ble_init_t init;
    if (err == WBOTA_OK) {
        wb_shci_ble_init_defaults(&init, ls_hse);
        err = wb_shci_ble_init(&init);
    }
    if (err == WBOTA_OK) {
        const volatile uint32_t *uid = (const volatile uint32_t *)WB_BLE_UID64_ADDR;
        wb_ble_addr_from_uid64(uid[0], uid[1], false, s_addr); /* the loader: this + 1 */
        err = wb_ble_server_up(&k_server, s_addr, &s_service, s_chr);
    }
    if (err == WBOTA_OK) {
        err = prv_advertise();
    }
    if (err != WBOTA_OK) {
        Error_Handler(err);
    }
}

void APPE_Process(void)
{
    wb_ble_evt_t e;
    while (wb_ble_evt_next(&e)) {
        if (e.kind == WB_BLE_EVT_DISCONNECTED) {
            (void)prv_advertise();
        } else if (e.kind == WB_BLE_EVT_ATTR_MODIFIED &&
                   e.attr == (uint16_t)(s_chr[CHR_REBOOT] + 1u)) {
            const p2ps_notification_t n = {
                .opcode = P2PS_BOOT_REQUEST_EVT, .payload = e.data, .length = e.len};
            P2PS_App_Notification(&n);
        }
        wb_ble_evt_done();
    }
    wb_cpu2_idle();
}
