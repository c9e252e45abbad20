/* loader_info.c - the loader information block and the RF wake-up compatibility rule
 * (wbota/loader_info.h). The block is read from flash by apps and tools that may face a
 * foreign or erased loader, so decoding checks magic and format before trusting a field. */
#include "wbota/loader_info.h"

#include "wbota/bytes.h"

#define LI_FORMAT     1u
#define LI_RESERVED   0xFFu
#define RFWKPSEL_NONE 0u
#define RFWKPSEL_LSE  1u
#define RFWKPSEL_MAX  3u

void wbota_loader_info_encode(const wbota_loader_info_t *li, uint8_t out[WBOTA_LOADER_INFO_LEN])
{
    uint32_t i;
    wbota_put_le32(out, WBOTA_LOADER_INFO_MAGIC);
    out[4] = LI_FORMAT; /* the encoder always writes the format it implements */
    out[5] = li->policy;
    out[6] = li->rfwkp_mode;
    out[7] = li->app_start_page;
    out[8] = li->ver_major;
    out[9] = li->ver_minor;
    wbota_put_le16(out + 10, li->ver_patch);
    wbota_put_le32(out + 12, li->build_id);
    wbota_put_le32(out + 16, li->loader_size);
    wbota_put_le32(out + 20, li->key_id);
    for (i = 24u; i < WBOTA_LOADER_INFO_LEN; i++) {
        out[i] = LI_RESERVED;
    }
}

wbota_err_t wbota_loader_info_decode(const uint8_t in[WBOTA_LOADER_INFO_LEN],
                                     wbota_loader_info_t *li)
{
    if (in == 0 || li == 0) {
        return wbota_err_arg();
    }
    if (wbota_get_le32(in) != WBOTA_LOADER_INFO_MAGIC || in[4] != LI_FORMAT) {
        return WBOTA_E_NO_LOADER;
    }
    li->format = in[4];
    li->policy = in[5];
    li->rfwkp_mode = in[6];
    li->app_start_page = in[7];
    li->ver_major = in[8];
    li->ver_minor = in[9];
    li->ver_patch = wbota_get_le16(in + 10);
    li->build_id = wbota_get_le32(in + 12);
    li->loader_size = wbota_get_le32(in + 16);
    li->key_id = wbota_get_le32(in + 20);
    return WBOTA_OK;
}

wbota_err_t wbota_rfwkp_compatible(uint8_t loader_rfwkp_mode, uint32_t rfwkpsel)
{
    if (rfwkpsel > RFWKPSEL_MAX) {
        return wbota_err_arg(); /* caller passed RCC_CSR instead of the 2-bit field */
    }
    switch (loader_rfwkp_mode) {
    case WBOTA_RFWKP_ADAPTIVE:
        return WBOTA_OK; /* runs the radio on whatever is in force */
    case WBOTA_RFWKP_HSE1024:
        /* 00 and 01 can still be switched to 11; 11 is what it wants. */
        return WBOTA_OK;
    case WBOTA_RFWKP_LSE:
        /* Only 11 sticks until power-on (ES0394 2.3.1, docs/st-interface.md#rf-wakeup); 10 is
         * reserved and never expected, so refuse it rather than risk the hang. */
        return (rfwkpsel == RFWKPSEL_NONE || rfwkpsel == RFWKPSEL_LSE) ? WBOTA_OK
                                                                       : WBOTA_E_RFWKP_TRAP;
    default:
        /* Unknown loader mode (newer format, corrupt block): refusing costs a reboot request,
         * guessing wrong costs a hung device until power-on. */
        return WBOTA_E_RFWKP_TRAP;
    }
}
