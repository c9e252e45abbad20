/* wb/shci.h - system commands to CPU2 (SHCI, OGF 0x3F; docs/st-interface.md#flash-cpu2, #transport,
 * #wireless). Owns: opcodes, the 55-byte BLE_INIT parameter block (packing is pure and
 * host-tested), SET_FLASH_ACTIVITY_CONTROL, FLASH_ERASE_ACTIVITY (also the flash driver's
 * erase-activity hook), FUS_GET_STATE, FUS_START_WS. Called by the loader's ota_service.c and by
 * apps. Sends through wb/cpu2.h; the packing half (shci_pack.c) includes no register header. */
#ifndef WB_SHCI_H
#define WB_SHCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/err.h"

#define WB_SHCI_FUS_GET_STATE              0xFC52u
#define WB_SHCI_FUS_FW_UPGRADE             0xFC54u
#define WB_SHCI_FUS_FW_DELETE              0xFC55u
#define WB_SHCI_FUS_START_WS               0xFC5Au
#define WB_SHCI_BLE_INIT                   0xFC66u
#define WB_SHCI_FLASH_ERASE_ACTIVITY       0xFC69u
#define WB_SHCI_SET_FLASH_ACTIVITY_CONTROL 0xFC73u
#define WB_SHCI_CONFIG                     0xFC75u

#define WB_SHCI_BLE_INIT_LEN    55u   /* v1.24 layout; older stacks read the first 33 bytes */
#define WB_SHCI_LS_HSE1024      0x04u /* LsSource bit 2: low-speed clock is HSE/1024 */
#define WB_SHCI_FLASH_CTRL_SEM7 0x01u

/* FUS states (FUS_GET_STATE, returned in the status position) */
#define WB_FUS_STATE_IDLE  0x00u
#define WB_FUS_STATE_ERROR 0xFFu
static inline bool wb_fus_state_is_busy(uint8_t st)
{
    return st >= 0x10u && st <= 0x2Fu; /* 0x10-0x1F stack upgrade, 0x20-0x2F FUS upgrade */
}

typedef struct {
    uint16_t num_attr_record;
    uint16_t num_attr_serv;
    uint16_t attr_value_arr_size;
    uint8_t num_of_links;
    uint8_t extended_packet_length_enable;
    uint8_t pr_write_list_size;
    uint8_t mblock_count;
    uint16_t att_mtu;
    uint16_t peripheral_sca;
    uint8_t central_sca;
    uint8_t ls_source; /* WB_SHCI_LS_HSE1024 or 0 (LSE) */
    uint32_t max_conn_event_length;
    uint16_t hs_startup_time;
    uint8_t viterbi_enable;
    uint8_t options;
    uint8_t hw_version;
    uint8_t max_coc_initiator_nbr;
    int8_t min_tx_power;
    int8_t max_tx_power;
    uint8_t rx_model_config;
    uint8_t max_adv_set_nbr;
    uint16_t max_adv_data_len;
    int16_t tx_path_compens;
    int16_t rx_path_compens;
    uint8_t ble_core_version;
    uint8_t options_extension;
    uint8_t max_add_eatt_bearers;
} wb_shci_ble_init_t;

/* Our defaults: one GATT server with GAP + GATT + one 128-bit service of up to 8 records,
 * ATT MTU 251, data length extension on, LsSource from the RF wake-up source in force
 * (hse1024 = true when RFWKPSEL is HSE/1024). */
void wb_shci_ble_init_defaults(wb_shci_ble_init_t *p, bool hse1024);
/* Packs p into the 55-byte little-endian wire block (buffer address/size and extra buffer
 * fields are 0: the stack uses its own memory). */
void wb_shci_ble_init_pack(const wb_shci_ble_init_t *p, uint8_t out[WB_SHCI_BLE_INIT_LEN]);

/* ---- commands (each bounded by WBOTA_CFG_CPU2_CMD_MS; a nonzero status -> WBOTA_E_CPU2_CMD) ----
 */
wbota_err_t wb_shci_ble_init(const wb_shci_ble_init_t *p);
wbota_err_t wb_shci_set_flash_activity_control(uint8_t mode);
wbota_err_t wb_shci_flash_erase_activity(bool on);
/* Flash driver hook shape (wb_flash_set_erase_activity_cb): errors are ignored there because
 * the erase goes through the semaphores anyway; the activity flag only lets CPU2 plan. */
void wb_shci_erase_activity_cb(bool on);
/* *state = FUS state. WBOTA_OK whenever CPU2 answered. */
wbota_err_t wb_shci_fus_get_state(uint8_t *state);
wbota_err_t wb_shci_fus_start_ws(void);
/* Asks FUS to install the image found in free flash (no parameters: FUS locates it). */
wbota_err_t wb_shci_fus_fw_upgrade(void);

#endif
