/* sig_none.c - the signature verifier of loaders built for the `st` policy only
 * (WBOTA_CFG_POLICY 0): they hold no public key (wbota_trust_t.n_keys 0), so the core never
 * reaches a signature check (core/src/image.c looks the key up first), and linking this file
 * instead of core/src/crypto_p256.c leaves p256-m out of the loader (about 1.9 KB,
 * docs/benchmarks.md#loader-size-2). It fails closed should a call ever come. */
#include "wbota/crypto.h"

wbota_err_t wbota_p256_verify(const uint8_t pub[WBOTA_P256_PUB_LEN],
                              const uint8_t digest[WBOTA_SHA256_LEN],
                              const uint8_t sig[WBOTA_P256_SIG_LEN])
{
    (void)pub;
    (void)digest;
    (void)sig;
    return WBOTA_E_SIG;
}
