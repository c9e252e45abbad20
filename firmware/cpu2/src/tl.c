/* Transport-layer data handling: packets, queues, shared tables. Pure (host-testable); the
 * relative include lets tests/unit/test_wb_tl.c compile this file without extra include paths. */
#include "../include/wb/tl.h"

#include <string.h>

size_t wb_tl_cmd_encode(uint8_t *serial, size_t cap, uint8_t type, uint16_t opcode,
                        const uint8_t *params, size_t plen)
{
    if (serial == NULL || plen > WB_TL_PAYLOAD_MAX || cap < WB_TL_CMD_HDR_LEN + plen ||
        (plen > 0u && params == NULL)) {
        return 0u;
    }
    serial[0] = type;
    serial[1] = (uint8_t)(opcode & 0xFFu);
    serial[2] = (uint8_t)(opcode >> 8);
    serial[3] = (uint8_t)plen;
    if (plen > 0u) {
        memcpy(&serial[WB_TL_CMD_HDR_LEN], params, plen);
    }
    return WB_TL_CMD_HDR_LEN + plen;
}

bool wb_tl_evt_decode(const uint8_t *serial, size_t cap, wb_tl_evt_t *evt)
{
    if (serial == NULL || evt == NULL || cap < WB_TL_EVT_HDR_LEN) {
        return false;
    }
    /* plen comes from CPU2's buffer: never trust it beyond the buffer we hold */
    if ((size_t)serial[2] > cap - WB_TL_EVT_HDR_LEN) {
        return false;
    }
    evt->type = serial[0];
    evt->code = serial[1];
    evt->plen = serial[2];
    evt->payload = &serial[WB_TL_EVT_HDR_LEN];
    return true;
}

bool wb_tl_cc_decode(const wb_tl_evt_t *evt, wb_tl_cc_t *cc)
{
    if (evt == NULL || cc == NULL) {
        return false;
    }
    const uint8_t *p = evt->payload;
    if (evt->code == WB_HCI_EVT_CMD_COMPLETE) {
        if (evt->plen < 4u) {
            return false;
        }
        cc->opcode = (uint16_t)(p[1] | ((uint16_t)p[2] << 8));
        cc->status = p[3];
        cc->ret = &p[3];
        cc->ret_len = (uint8_t)(evt->plen - 3u);
        return true;
    }
    if (evt->code == WB_HCI_EVT_CMD_STATUS) {
        if (evt->plen < 4u) {
            return false;
        }
        cc->status = p[0];
        cc->opcode = (uint16_t)(p[2] | ((uint16_t)p[3] << 8));
        cc->ret = &p[0];
        cc->ret_len = 1u;
        return true;
    }
    return false;
}

bool wb_tl_vendor_subevent(const wb_tl_evt_t *evt, uint16_t *subevent)
{
    if (evt == NULL || evt->code != WB_HCI_EVT_VENDOR || evt->plen < 2u) {
        return false;
    }
    *subevent = (uint16_t)(evt->payload[0] | ((uint16_t)evt->payload[1] << 8));
    return true;
}

void wb_tl_queue_init(wb_tl_node_t *head)
{
    head->next = head;
    head->prev = head;
}

bool wb_tl_queue_is_empty(const wb_tl_node_t *head)
{
    return head->next == head;
}

void wb_tl_queue_insert_tail(wb_tl_node_t *head, wb_tl_node_t *node)
{
    wb_tl_node_t *last = head->prev;
    node->next = head;
    node->prev = last;
    last->next = node;
    head->prev = node;
}

wb_tl_node_t *wb_tl_queue_remove_head(wb_tl_node_t *head)
{
    wb_tl_node_t *first = head->next;
    if (first == head || first == NULL) {
        return NULL;
    }
    wb_tl_node_t *second = first->next;
    head->next = second;
    second->prev = head;
    first->next = first;
    first->prev = first;
    return first;
}

size_t wb_tl_queue_count(const wb_tl_node_t *head, size_t max)
{
    size_t n = 0u;
    const wb_tl_node_t *it = head->next;
    while (it != head && it != NULL && n < max) {
        n++;
        it = it->next;
    }
    return n;
}

void wb_tl_shared_init(wb_tl_shared_t *sh)
{
    memset(sh, 0, sizeof(*sh));
    wb_tl_queue_init(&sh->ble_evt_queue);
    wb_tl_queue_init(&sh->sys_evt_queue);
    wb_tl_queue_init(&sh->free_queue);
    wb_tl_queue_init(&sh->traces_queue);

    sh->ble.cmd_buffer = sh->ble_cmd;
    sh->ble.cs_buffer = sh->ble_cs;
    sh->ble.evt_queue = &sh->ble_evt_queue;
    sh->ble.acl_buffer = sh->acl;

    sh->sys.cmd_buffer = sh->sys_cmd;
    sh->sys.evt_queue = &sh->sys_evt_queue;

    sh->mm.spare_ble_buffer = sh->spare_ble;
    sh->mm.spare_sys_buffer = sh->spare_sys;
    sh->mm.ble_pool = sh->pool;
    sh->mm.ble_pool_size = (uint32_t)sizeof(sh->pool);
    sh->mm.free_buffer_queue = &sh->free_queue;
    sh->mm.traces_pool = NULL; /* no traces: CPU2 keeps them */
    sh->mm.traces_pool_size = 0u;

    sh->traces.traces_queue = &sh->traces_queue;

    /* order fixed by CPU2 (docs/st-interface.md#transport) */
    sh->ref[0] = &sh->device_info;
    sh->ref[1] = &sh->ble;
    sh->ref[2] = &sh->unused_tables[0]; /* Thread */
    sh->ref[3] = &sh->sys;
    sh->ref[4] = &sh->mm;
    sh->ref[5] = &sh->traces;
    sh->ref[6] = &sh->unused_tables[1]; /* MAC 802.15.4 */
    sh->ref[7] = &sh->unused_tables[2]; /* Zigbee */
    sh->ref[8] = &sh->unused_tables[3]; /* LLD tests */
    sh->ref[9] = &sh->unused_tables[3]; /* BLE LLD: unused, shares the zero table */
}
