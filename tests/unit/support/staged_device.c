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
