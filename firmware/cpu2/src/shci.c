/* SHCI commands over the CPU2 transport. */
/* No register access: compiled on the host by tests/unit/test_wb_ota_service.c, hence the
 * relative includes. */
#include "../include/wb/shci.h"

#include "../include/wb/cpu2.h"

static wbota_err_t prv_sys_cmd(uint16_t opcode, const uint8_t *params, size_t plen)
{
    uint8_t rsp[4];
    size_t n = 0u;
    wbota_err_t err =
        wb_cpu2_sys_cmd(opcode, params, plen, rsp, sizeof(rsp), &n, WBOTA_CFG_CPU2_CMD_MS);
    if (err != WBOTA_OK) {
        return err;
    }
    return (n >= 1u && rsp[0] == 0u) ? WBOTA_OK : WBOTA_E_CPU2_CMD;
}

wbota_err_t wb_shci_ble_init(const wb_shci_ble_init_t *p)
{
    uint8_t buf[WB_SHCI_BLE_INIT_LEN];
    wb_shci_ble_init_pack(p, buf);
    return prv_sys_cmd(WB_SHCI_BLE_INIT, buf, sizeof(buf));
}

wbota_err_t wb_shci_set_flash_activity_control(uint8_t mode)
{
    return prv_sys_cmd(WB_SHCI_SET_FLASH_ACTIVITY_CONTROL, &mode, 1u);
}

wbota_err_t wb_shci_flash_erase_activity(bool on)
{
    uint8_t v = on ? 1u : 0u;
    return prv_sys_cmd(WB_SHCI_FLASH_ERASE_ACTIVITY, &v, 1u);
}

void wb_shci_erase_activity_cb(bool on)
{
    (void)wb_shci_flash_erase_activity(on);
}

wbota_err_t wb_shci_fus_get_state(uint8_t *state)
{
    uint8_t rsp[4];
    size_t n = 0u;
    wbota_err_t err = wb_cpu2_sys_cmd(WB_SHCI_FUS_GET_STATE, NULL, 0u, rsp, sizeof(rsp), &n,
                                      WBOTA_CFG_CPU2_CMD_MS);
    if (err != WBOTA_OK) {
        return err;
    }
    *state = n >= 1u ? rsp[0] : WB_FUS_STATE_ERROR;
    return WBOTA_OK;
}

wbota_err_t wb_shci_fus_start_ws(void)
{
    return prv_sys_cmd(WB_SHCI_FUS_START_WS, NULL, 0u);
}

wbota_err_t wb_shci_fus_fw_upgrade(void)
{
    return prv_sys_cmd(WB_SHCI_FUS_FW_UPGRADE, NULL, 0u);
}
