/* SHCI parameter packing. Pure (host-tested by tests/unit/test_wb_shci.c). */
#include "../include/wb/shci.h"

#include <string.h>

#include "wbota/bytes.h"

void wb_shci_ble_init_defaults(wb_shci_ble_init_t *p, bool hse1024)
{
    memset(p, 0, sizeof(*p));
    /* GAP (~10) + GATT (~4) + up to two 8-record services, with ST's margin */
    p->num_attr_record = 68u;
    p->num_attr_serv = 8u;
    /* values: 248 + 4 + 1 + CCCDs + device name, with margin */
    p->attr_value_arr_size = 1344u;
    p->num_of_links = 1u;
    p->extended_packet_length_enable = 1u;
    p->pr_write_list_size = 0x3Au;
    p->mblock_count = 0x79u;
    p->att_mtu = 251u;
    p->peripheral_sca = 0u;
    p->central_sca = 0u;
    p->ls_source = hse1024 ? WB_SHCI_LS_HSE1024 : 0u;
    p->max_conn_event_length = 0xFFFFFFFFu;
    p->hs_startup_time = 0x148u;
    p->viterbi_enable = 1u;
    p->options = 0u;
    p->hw_version = 0u;
    p->max_coc_initiator_nbr = 32u;
    p->min_tx_power = -40;
    p->max_tx_power = 6;
    p->rx_model_config = 0u;
    p->max_adv_set_nbr = 1u;
    p->max_adv_data_len = 31u;
    p->tx_path_compens = 0;
    p->rx_path_compens = 0;
    p->ble_core_version = 12u; /* Bluetooth 5.3 */
    p->options_extension = 0u;
    p->max_add_eatt_bearers = 0u;
}

void wb_shci_ble_init_pack(const wb_shci_ble_init_t *p, uint8_t out[WB_SHCI_BLE_INIT_LEN])
{
    memset(out, 0, WB_SHCI_BLE_INIT_LEN);
    /* 0: BLE buffer address, 4: buffer size: both 0 */
    wbota_put_le16(&out[8], p->num_attr_record);
    wbota_put_le16(&out[10], p->num_attr_serv);
    wbota_put_le16(&out[12], p->attr_value_arr_size);
    out[14] = p->num_of_links;
    out[15] = p->extended_packet_length_enable;
    out[16] = p->pr_write_list_size;
    out[17] = p->mblock_count;
    wbota_put_le16(&out[18], p->att_mtu);
    wbota_put_le16(&out[20], p->peripheral_sca);
    out[22] = p->central_sca;
    out[23] = p->ls_source;
    wbota_put_le32(&out[24], p->max_conn_event_length);
    wbota_put_le16(&out[28], p->hs_startup_time);
    out[30] = p->viterbi_enable;
    out[31] = p->options;
    out[32] = p->hw_version;
    out[33] = p->max_coc_initiator_nbr;
    out[34] = (uint8_t)p->min_tx_power;
    out[35] = (uint8_t)p->max_tx_power;
    out[36] = p->rx_model_config;
    out[37] = p->max_adv_set_nbr;
    wbota_put_le16(&out[38], p->max_adv_data_len);
    wbota_put_le16(&out[40], (uint16_t)p->tx_path_compens);
    wbota_put_le16(&out[42], (uint16_t)p->rx_path_compens);
    out[44] = p->ble_core_version;
    out[45] = p->options_extension;
    out[46] = p->max_add_eatt_bearers;
    /* 47: extra data buffer pointer, 51: its size: both 0 */
}
