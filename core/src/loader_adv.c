/* loader_adv.c - the loader information in the scan response (wbota/loader_adv.h). */
#include "wbota/loader_adv.h"

#include "wbota/bytes.h"
#include "wbota/st_ota.h"

#define LADV_NIBBLE 0x0Fu

static uint8_t prv_reason_byte(wbota_err_t e)
{
    return (uint8_t)(-(int)e);
}

void wbota_ladv_encode(const wbota_ladv_t *li, uint8_t out[WBOTA_LADV_LEN])
{
    out[0] = WBOTA_LADV_FORMAT;
    out[1] = (uint8_t)((li->mode & LADV_NIBBLE) | (uint8_t)(li->policy << 4));
    out[2] = li->ver_major;
    out[3] = li->ver_minor;
    wbota_put_le16(&out[4], li->ver_patch);
    out[6] = li->state;
    out[7] = prv_reason_byte(li->last_reason);
    out[8] = prv_reason_byte(li->stay_reason);
    wbota_put_le32(&out[9], li->active_counter);
    wbota_put_le32(&out[13], li->reverted_from);
}

wbota_err_t wbota_ladv_decode(const uint8_t *m, size_t n, wbota_ladv_t *li)
{
    if (m == 0 || li == 0) {
        return wbota_err_arg();
    }
    if (n < WBOTA_LADV_ST_LEN + WBOTA_LADV_LEN || m[0] != WBOTA_ST_MANUF_VERSION ||
        m[WBOTA_ST_MANUF_DEV_ID_INDEX] != WBOTA_ST_DEV_ID_LOADER) {
        return WBOTA_E_PARSE;
    }
    const uint8_t *p = &m[WBOTA_LADV_ST_LEN];
    if (p[0] != WBOTA_LADV_FORMAT) {
        return WBOTA_E_PARSE;
    }
    li->format = p[0];
    li->mode = p[1] & LADV_NIBBLE;
    li->policy = (uint8_t)(p[1] >> 4);
    li->ver_major = p[2];
    li->ver_minor = p[3];
    li->ver_patch = wbota_get_le16(&p[4]);
    li->state = p[6];
    li->last_reason = (wbota_err_t)(-(int)p[7]);
    li->stay_reason = (wbota_err_t)(-(int)p[8]);
    li->active_counter = wbota_get_le32(&p[9]);
    li->reverted_from = wbota_get_le32(&p[13]);
    return WBOTA_OK;
}

const char *wbota_ladv_state_name(uint8_t state)
{
    static const char *const k_names[WBOTA_LADV_STATE_COUNT] = {"waiting", "receiving", "verified",
                                                                "error", "gave-up"};
    return state < WBOTA_LADV_STATE_COUNT ? k_names[state] : "?";
}

const char *wbota_ladv_mode_name(uint8_t mode)
{
    static const char *const k_names[] = {"st", "staged", "swap"};
    return mode < sizeof(k_names) / sizeof(k_names[0]) ? k_names[mode] : "?";
}
