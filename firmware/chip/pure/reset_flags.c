/* Reset cause / status word encodings: see wb/reset_flags.h. Pure (host-testable); the RCC
 * bit positions are repeated here from RM0434 (RCC_CSR) so this file needs no register header. */
#include "wb/reset_flags.h"

#include "wbota/boot.h"
#include "wbota/loader_info.h"

#define PRV_CSR_OBLRSTF  (1u << 25)
#define PRV_CSR_PINRSTF  (1u << 26)
#define PRV_CSR_BORRSTF  (1u << 27)
#define PRV_CSR_SFTRSTF  (1u << 28)
#define PRV_CSR_IWDGRSTF (1u << 29)
#define PRV_CSR_WWDGRSTF (1u << 30)

uint32_t wb_reset_flags_from_csr(uint32_t csr)
{
    uint32_t f = 0;
    if ((csr & PRV_CSR_SFTRSTF) != 0u) {
        f |= WBOTA_RESET_SOFTWARE;
    }
    if ((csr & PRV_CSR_OBLRSTF) != 0u) {
        f |= WBOTA_RESET_OPTION;
    }
    if ((csr & PRV_CSR_PINRSTF) != 0u) {
        f |= WBOTA_RESET_PIN;
    }
    if ((csr & PRV_CSR_BORRSTF) != 0u) {
        f |= WBOTA_RESET_POWER;
    }
    if ((csr & (PRV_CSR_IWDGRSTF | PRV_CSR_WWDGRSTF)) != 0u) {
        f |= WBOTA_RESET_WATCHDOG;
    }
    return f;
}

uint32_t wb_loader_status_encode(uint8_t reason, uint8_t attempts, uint8_t flags)
{
    return (uint32_t)WBOTA_LOADER_STATUS_MARK | ((uint32_t)reason << 8) |
           ((uint32_t)attempts << 16) | ((uint32_t)flags << 24);
}

bool wb_loader_status_decode(uint32_t word, uint8_t *reason, uint8_t *attempts, uint8_t *flags)
{
    if ((word & 0xFFu) != WBOTA_LOADER_STATUS_MARK) {
        return false;
    }
    if (reason != NULL) {
        *reason = (uint8_t)(word >> 8);
    }
    if (attempts != NULL) {
        *attempts = (uint8_t)(word >> 16);
    }
    if (flags != NULL) {
        *flags = (uint8_t)(word >> 24);
    }
    return true;
}
