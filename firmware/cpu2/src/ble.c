/* BLE layer: ACI/HCI commands over the CPU2 transport. */
/* No register access: compiled on the host by tests/unit/test_wb_ota_service.c, hence the
 * relative includes. */
#include "../include/wb/ble.h"

#include <string.h>

#include "../include/wb/cpu2.h"
#include "wbota/bytes.h"

/* Sends a command; WBOTA_E_CPU2_CMD when the status byte is not 0. ret (optional) receives
 * the return parameters after the status. */
static wbota_err_t prv_cmd(uint16_t opcode, const uint8_t *params, size_t plen, uint8_t *ret,
                           size_t ret_cap)
{
    uint8_t rsp[16];
    size_t n = 0u;
    wbota_err_t err =
        wb_cpu2_ble_cmd(opcode, params, plen, rsp, sizeof(rsp), &n, WBOTA_CFG_CPU2_CMD_MS);
    if (err != WBOTA_OK) {
        return err;
    }
    if (n < 1u || rsp[0] != 0u) {
        return WBOTA_E_CPU2_CMD;
    }
    if (ret != NULL) {
        if (n - 1u < ret_cap) {
            return WBOTA_E_CPU2_CMD; /* answer shorter than the command's return parameters */
        }
        memcpy(ret, &rsp[1], ret_cap);
    }
    return WBOTA_OK;
}

wbota_err_t wb_ble_hci_reset(void)
{
    return prv_cmd(WB_HCI_RESET, NULL, 0u, NULL, 0u);
}

wbota_err_t wb_ble_set_public_address(const uint8_t addr[WB_BLE_ADDR_LEN])
{
    uint8_t p[2u + WB_BLE_ADDR_LEN];
    p[0] = 0x00u; /* offset 0: public address */
    p[1] = WB_BLE_ADDR_LEN;
    memcpy(&p[2], addr, WB_BLE_ADDR_LEN);
    return prv_cmd(WB_ACI_HAL_WRITE_CONFIG_DATA, p, sizeof(p), NULL, 0u);
}

wbota_err_t wb_ble_set_tx_power(uint8_t en_high_power, uint8_t level)
{
    uint8_t p[2] = {en_high_power, level};
    return prv_cmd(WB_ACI_HAL_SET_TX_POWER_LEVEL, p, sizeof(p), NULL, 0u);
}

wbota_err_t wb_ble_gatt_init(void)
{
    return prv_cmd(WB_ACI_GATT_INIT, NULL, 0u, NULL, 0u);
}

wbota_err_t wb_ble_gap_init(const char *name)
{
    size_t len = strlen(name);
    if (len > 20u) {
        return wbota_err_arg();
    }
    uint8_t p[3] = {0x01u /* peripheral */, 0x00u /* no privacy */, (uint8_t)len};
    uint8_t h[6];
    wbota_err_t err = prv_cmd(WB_ACI_GAP_INIT, p, sizeof(p), h, sizeof(h));
    if (err != WBOTA_OK) {
        return err;
    }
    /* h: GAP service, device-name char, appearance char handles */
    return wb_ble_update_char(wbota_get_le16(&h[0]), wbota_get_le16(&h[2]), (const uint8_t *)name,
                              (uint8_t)len);
}

wbota_err_t wb_ble_add_service(const wb_uuid_t *uuid, uint8_t max_records, uint16_t *handle)
{
    uint8_t p[24];
    uint8_t h[2];
    size_t n = wb_aci_add_service_params(uuid, max_records, p, sizeof(p));
    wbota_err_t err = prv_cmd(WB_ACI_GATT_ADD_SERVICE, p, n, h, sizeof(h));
    if (err == WBOTA_OK) {
        *handle = wbota_get_le16(h);
    }
    return err;
}

wbota_err_t wb_ble_add_char(const wb_aci_char_t *c, uint16_t *handle)
{
    uint8_t p[32];
    uint8_t h[2];
    size_t n = wb_aci_add_char_params(c, p, sizeof(p));
    wbota_err_t err = prv_cmd(WB_ACI_GATT_ADD_CHAR, p, n, h, sizeof(h));
    if (err == WBOTA_OK) {
        *handle = wbota_get_le16(h);
    }
    return err;
}

wbota_err_t wb_ble_update_char(uint16_t service, uint16_t chr, const uint8_t *val, uint8_t len)
{
    uint8_t p[6u + WB_TL_PAYLOAD_MAX];
    size_t n = wb_aci_update_char_params(service, chr, 0u, val, len, p, sizeof(p));
    if (n == 0u || n > WB_TL_PAYLOAD_MAX) {
        return wbota_err_arg();
    }
    return prv_cmd(WB_ACI_GATT_UPDATE_CHAR_VALUE, p, n, NULL, 0u);
}

wbota_err_t wb_ble_set_discoverable(uint16_t adv_min, uint16_t adv_max, const char *name)
{
    uint8_t p[48];
    size_t n = wb_aci_set_discoverable_params(adv_min, adv_max, name, p, sizeof(p));
    if (n == 0u) {
        return wbota_err_arg();
    }
    return prv_cmd(WB_ACI_GAP_SET_DISCOVERABLE, p, n, NULL, 0u);
}

wbota_err_t wb_ble_update_adv_data(const uint8_t *ad, uint8_t len)
{
    uint8_t p[1u + WB_ADV_DATA_MAX];
    if (len > WB_ADV_DATA_MAX) {
        return wbota_err_arg();
    }
    p[0] = len;
    memcpy(&p[1], ad, len);
    return prv_cmd(WB_ACI_GAP_UPDATE_ADV_DATA, p, 1u + len, NULL, 0u);
}

wbota_err_t wb_ble_confirm_indication(uint16_t conn)
{
    uint8_t p[2];
    p[0] = (uint8_t)conn;
    p[1] = (uint8_t)(conn >> 8);
    return prv_cmd(WB_ACI_GATT_CONFIRM_INDICATION, p, sizeof(p), NULL, 0u);
}

wbota_err_t wb_ble_permit_write(uint16_t conn, uint16_t attr, uint8_t status, uint8_t err,
                                const uint8_t *val, uint8_t len)
{
    uint8_t p[7u + 248u];
    if (len > 248u || (len > 0u && val == NULL)) {
        return wbota_err_arg();
    }
    p[0] = (uint8_t)conn;
    p[1] = (uint8_t)(conn >> 8);
    p[2] = (uint8_t)attr;
    p[3] = (uint8_t)(attr >> 8);
    p[4] = status;
    p[5] = err;
    p[6] = len;
    if (len > 0u) {
        memcpy(&p[7], val, len);
    }
    return prv_cmd(WB_ACI_GATT_PERMIT_WRITE, p, 7u + len, NULL, 0u);
}

wbota_err_t wb_ble_set_data_length(uint16_t conn, uint16_t tx_octets, uint16_t tx_time)
{
    uint8_t p[6];
    p[0] = (uint8_t)conn;
    p[1] = (uint8_t)(conn >> 8);
    p[2] = (uint8_t)tx_octets;
    p[3] = (uint8_t)(tx_octets >> 8);
    p[4] = (uint8_t)tx_time;
    p[5] = (uint8_t)(tx_time >> 8);
    return prv_cmd(WB_HCI_LE_SET_DATA_LENGTH, p, sizeof(p), NULL, 0u);
}

wbota_err_t wb_ble_disconnect(uint16_t conn, uint8_t reason)
{
    uint8_t p[3];
    p[0] = (uint8_t)conn;
    p[1] = (uint8_t)(conn >> 8);
    p[2] = reason;
    /* answered by command status: rsp = [status] */
    return prv_cmd(WB_HCI_DISCONNECT, p, sizeof(p), NULL, 0u);
}

wbota_err_t wb_ble_server_up(const wb_ble_server_def_t *def, const uint8_t addr[WB_BLE_ADDR_LEN],
                             uint16_t *service, uint16_t *handles)
{
    wbota_err_t err;
    if ((err = wb_ble_hci_reset()) != WBOTA_OK ||
        (err = wb_ble_set_public_address(addr)) != WBOTA_OK ||
        (err = wb_ble_gatt_init()) != WBOTA_OK || (err = wb_ble_gap_init(def->name)) != WBOTA_OK) {
        return err;
    }
    if ((err = wb_ble_add_service(&def->service_uuid, def->max_records, service)) != WBOTA_OK) {
        return err;
    }
    for (uint32_t i = 0u; i < def->char_count; i++) {
        const wb_ble_char_def_t *d = &def->chars[i];
        wb_aci_char_t c = {.service = *service,
                           .value_len = d->value_len,
                           .props = d->props,
                           .perms = WB_ATTR_PERM_NONE,
                           .evt_mask = WB_GATT_NOTIFY_ATTR_WRITE,
                           .enc_key_size = 16u,
                           .is_variable = d->is_variable,
                           .uuid = d->uuid};
        if ((err = wb_ble_add_char(&c, &handles[i])) != WBOTA_OK) {
            return err;
        }
    }
    return WBOTA_OK;
}

wbota_err_t wb_ble_advertise_info(uint16_t adv_min, uint16_t adv_max, const char *name,
                                  uint8_t dev_id, uint8_t feature,
                                  const uint8_t addr[WB_BLE_ADDR_LEN], const uint8_t *info,
                                  uint8_t info_len)
{
    /* p: the HCI scan response parameter [len][31 data bytes], its data starting with the
     * manufacturer element the advertising data carries */
    uint8_t p[1u + WB_ADV_DATA_MAX];
    const uint8_t manuf_len = (uint8_t)WB_MANUF_AD_LEN;
    if (info_len > WB_ADV_DATA_MAX - manuf_len) {
        return wbota_err_arg();
    }
    wbota_err_t err = wb_ble_set_discoverable(adv_min, adv_max, name);
    if (err != WBOTA_OK) {
        return err;
    }
    (void)wb_ble_manuf_data(dev_id, feature, addr, &p[1]);
    err = wb_ble_update_adv_data(&p[1], manuf_len);
    if (err != WBOTA_OK || info_len == 0u) {
        return err;
    }
    memset(&p[1u + manuf_len], 0, sizeof(p) - 1u - manuf_len); /* HCI: unused bytes zero */
    memcpy(&p[1u + manuf_len], info, info_len);
    p[0] = (uint8_t)(manuf_len + info_len);
    p[1] = (uint8_t)(p[1] + info_len); /* the element grows by the information */
    /* a stack that refuses it still advertises: the scan response is extra */
    (void)prv_cmd(WB_HCI_LE_SET_SCAN_RSP_DATA, p, sizeof(p), NULL, 0u);
    return WBOTA_OK;
}

wbota_err_t wb_ble_advertise(uint16_t adv_min, uint16_t adv_max, const char *name, uint8_t dev_id,
                             uint8_t feature, const uint8_t addr[WB_BLE_ADDR_LEN])
{
    return wb_ble_advertise_info(adv_min, adv_max, name, dev_id, feature, addr, NULL, 0u);
}

/* Out of line: inlined into the loader's event loop it cost 12 B
 * (docs/benchmarks.md#loader-size-3). */
__attribute__((noinline)) bool wb_ble_evt_next(wb_ble_evt_t *evt)
{
    wb_tl_evt_t raw;
    wb_cpu2_poll();
    if (!wb_cpu2_ble_evt_get(&raw)) {
        return false;
    }
    wb_ble_evt_parse(&raw, evt);
    return true;
}

void wb_ble_evt_done(void)
{
    wb_cpu2_ble_evt_done();
}
