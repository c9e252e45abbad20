/* crypto_p256.c - ECDSA P-256 verification through p256-m (wbota/crypto.h). A file of its own
 * so that a loader which never checks a signature (the `st` policy) links
 * firmware/loader/st_policy/sig_none.c instead and carries no p256-m code
 * (docs/benchmarks.md#loader-size-2). p256-m works on the stack only (no heap, no bignum):
 * docs/dependencies.md#mbedtls. */
#include "p256-m.h"
#include "wbota/crypto.h"

/* p256-m's own key generation would call psa_generate_random; wbota never generates keys with
 * p256-m (the tool uses mbedTLS's ECP for that), so cmake/mbedtls.cmake routes that one call
 * here: no PSA core is linked, and a stray call fails closed instead of returning weak bytes. */
int32_t wbota_p256m_no_random(uint8_t *output, size_t output_size);
int32_t wbota_p256m_no_random(uint8_t *output, size_t output_size)
{
    (void)output;
    (void)output_size;
    return -134; /* PSA_ERROR_NOT_SUPPORTED */
}

wbota_err_t wbota_p256_verify(const uint8_t pub[WBOTA_P256_PUB_LEN],
                              const uint8_t digest[WBOTA_SHA256_LEN],
                              const uint8_t sig[WBOTA_P256_SIG_LEN])
{
    if (pub == NULL || digest == NULL || sig == NULL || pub[0] != 0x04u) {
        return WBOTA_E_SIG; /* only the uncompressed form 0x04 || X || Y is a key here */
    }
    /* The public key may be built into the loader but the signature comes from the radio:
     * p256-m rejects r, s outside [1, n-1] and a key that is not a point on the curve
     * (SEC1 4.1.4 steps 1 and 3.2). */
    return (p256_ecdsa_verify(sig, pub + 1, digest, WBOTA_SHA256_LEN) == P256_SUCCESS)
               ? WBOTA_OK
               : WBOTA_E_SIG;
}
