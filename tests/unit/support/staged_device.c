/* Host device for the staged-mode tests: see staged_device.h. */
#include "staged_device.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "test_image.h"

void staged_dev_trust(wbota_trust_t *trust, uint8_t pub[WBOTA_P256_PUB_LEN])
{
    test_image_pubkey(pub);
    trust->keys = (const uint8_t(*)[WBOTA_P256_PUB_LEN])pub;
    trust->n_keys = 1u;
    trust->min_sec_counter = 0u;
}

wbota_err_t staged_dev_boot(staged_dev_t *d, wbota_records_t *rec, wbota_policy_t policy,
                            const wbota_trust_t *trust, bool every_boot, wbota_boot_decision_t *dec)
{
    wbota_staged_boot_in_t in;
    wbota_err_t st = WBOTA_OK;
    memset(&in, 0, sizeof in);
    in.flash = wbota_fm_ota_port(&d->fm);
    in.mem = wbota_fm_mem(&d->fm);
    assert_int_equal(wbota_rec_open(rec, &in.flash, d->slots.record_page), WBOTA_OK);
    in.reset_flags = d->reset_flags;
    memcpy(in.mailbox, d->mailbox, sizeof in.mailbox);
    in.layout = d->layout;
    in.slots = d->slots;
    in.policy = policy;
    in.trust = trust;
    in.verify_every_boot = every_boot;
    wbota_staged_boot(&in, rec, dec, &st);
    memcpy(d->mailbox, dec->mailbox_out, sizeof d->mailbox);
    d->reset_flags = 0u; /* the loader clears the flags (RMVF) before acting */
    return st;
}

size_t staged_dev_image(uint8_t *out, size_t cap, uint32_t body, uint32_t seed, uint8_t major,
                        uint32_t counter, bool sign)
{
    test_image_params_t p = test_image_defaults();
    p.body_len = body;
    p.seed = seed;
    p.version.major = major;
    p.sec_counter = counter;
    p.sign = sign;
    size_t n = test_image_build(&p, out, cap, NULL, NULL);
    assert_true(n > 0u);
    return n;
}

void staged_dev_factory(staged_dev_t *d, uint8_t sfsa, const uint8_t *img, size_t len)
{
    wbota_fm_init(&d->fm, sfsa);
    memcpy(&d->fm.mem[STAGED_DEV_APP_START - WBOTA_FLASH_BASE], img, len);
    memset(d->mailbox, 0, sizeof d->mailbox);
    d->reset_flags = WBOTA_RESET_POWER;
    d->layout = wbota_layout_default(sfsa);
    assert_int_equal(wbota_slots_compute(&d->layout, &d->slots), WBOTA_OK);
}

wbota_err_t staged_dev_stream(const staged_dev_t *d, wbota_ota_t *ota, const uint8_t *img,
                              size_t from, size_t to, size_t chunk)
{
    wbota_ota_out_t out;
    for (size_t off = from; off < to; off += chunk) {
        size_t n = (to - off < chunk) ? to - off : chunk;
        wbota_ota_on_raw_write(ota, &img[off], n, &out);
        if (!d->fm.powered) {
            return WBOTA_E_POWER_CUT;
        }
        if (out.status != WBOTA_OK) {
            return out.status;
        }
    }
    return WBOTA_OK;
}

void staged_dev_sw_reset(staged_dev_t *d, uint8_t mode, uint8_t first, uint8_t count)
{
    d->mailbox[0] = mode;
    d->mailbox[1] = first;
    d->mailbox[2] = count;
    d->reset_flags = WBOTA_RESET_SOFTWARE;
}

bool staged_dev_active_holds(const staged_dev_t *d, const uint8_t *img, size_t len)
{
    return memcmp(&d->fm.mem[STAGED_DEV_APP_START - WBOTA_FLASH_BASE], img, len) == 0;
}

void staged_dev_ota_init(staged_dev_t *d, wbota_ota_t *ota, wbota_records_t *rec,
                         wbota_policy_t policy, const wbota_trust_t *trust)
{
    wbota_ota_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.layout = d->layout;
    cfg.policy = policy;
    cfg.trust = trust;
    cfg.flash = wbota_fm_ota_port(&d->fm);
    cfg.staged = &wbota_staged_ota;
    cfg.records = rec;
    cfg.active_pages = d->slots.active_pages;
    cfg.staging_page = d->slots.staging_page;
    cfg.staging_pages = d->slots.staging_pages;
    wbota_ota_init(ota, &cfg);
}
