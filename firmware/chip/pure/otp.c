/* OTP record parsing: see wb/otp.h. Pure (host-testable). */
#include "wb/otp.h"

bool wb_otp_find_hse_tune(const uint8_t *otp, size_t len, uint8_t *tune)
{
    bool found = false;
    if ((otp == NULL) || (tune == NULL)) {
        return false;
    }
    for (size_t off = 0; (off + WB_OTP_RECORD_LEN) <= len; off += WB_OTP_RECORD_LEN) {
        const uint8_t *rec = &otp[off];
        if (rec[WB_OTP_ID_BYTE] == WB_OTP_HSE_ID) {
            /* HSETUNE is 6 bits; a wider factory value must not spill into reserved bits */
            *tune = (uint8_t)(rec[WB_OTP_HSE_TUNE_BYTE] & 0x3Fu);
            found = true;
        }
    }
    return found;
}
