/* ad.c - the one parser of BLE advertising data on the host (wbota_wire.h). */
#include "wbota_wire.h"

#include <string.h>

bool wbota_ad_valid(const uint8_t *ad, size_t len)
{
    size_t i = 0u;
    while (i < len) {
        if (ad[i] == 0u || i + 1u + ad[i] > len) {
            return false;
        }
        i += 1u + ad[i];
    }
    return true;
}

const uint8_t *wbota_ad_find(const uint8_t *ad, size_t len, uint8_t type, size_t *n)
{
    size_t i = 0u;
    while (i + 1u < len) {
        size_t l = ad[i];
        if (l == 0u || i + 1u + l > len) {
            return NULL;
        }
        if (ad[i + 1u] == type) {
            *n = l - 1u;
            return ad + i + 2u;
        }
        i += 1u + l;
    }
    return NULL;
}

bool wbota_ad_name(const uint8_t *ad, size_t len, char *name, size_t cap)
{
    size_t n = 0u;
    const uint8_t *p = wbota_ad_find(ad, len, WBOTA_AD_COMPLETE_NAME, &n);
    if (p == NULL) {
        p = wbota_ad_find(ad, len, WBOTA_AD_SHORT_NAME, &n);
    }
    if (p == NULL || cap == 0u) {
        return false;
    }
    if (n > cap - 1u) {
        n = cap - 1u;
    }
    memcpy(name, p, n);
    name[n] = '\0';
    return true;
}
