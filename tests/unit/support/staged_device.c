/* Host device for the staged-mode tests: see staged_device.h. */
#include "staged_device.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_image.h"
#include "wbota/swap.h"
#include "wbota/bytes.h"

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
    in.swap = (d->slots.scratch_page != 0u) ? &wbota_swap_strategy : NULL;
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

void staged_dev_power_cycle(staged_dev_t *d)
{
    wbota_fm_power_on(&d->fm);
    d->reset_flags = WBOTA_RESET_POWER;
    memset(d->mailbox, 0xA5, sizeof d->mailbox);
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

/* See staged_device.h. */
wbota_err_t staged_dev_session(staged_dev_t *d, const staged_dev_session_t *ses,
                               const wbota_boot_decision_t *dec, const uint8_t *img, size_t len,
                               uint32_t start)
{
    wbota_ota_out_t out;
    const uint8_t fin[1] = {0x07};
    uint8_t base[4] = {0x02, 0, 0, 0};

    for (uint32_t i = 0; i < dec->erase.page_count; i++) {
        uint32_t page = dec->erase.first_page + i;
        /* the staged loader never erases the active slot or anything outside staging */
        assert_true(page >= d->slots.staging_page &&
                    page < d->slots.staging_page + d->slots.staging_pages);
        if (wbota_fm_erase_page(&d->fm, page) == WBOTA_E_POWER_CUT) {
            return WBOTA_E_POWER_CUT;
        }
    }
    staged_dev_ota_init(d, ses->ota, ses->rec, ses->policy, ses->trust);
    wbota_put_be24(&base[1], start & 0xFFFFFFu);
    wbota_ota_on_base_write(ses->ota, base, sizeof base, &out);
    if (!d->fm.powered) {
        return WBOTA_E_POWER_CUT;
    }
    if (out.status != WBOTA_OK) {
        return out.status;
    }
    wbota_err_t st = staged_dev_stream(d, ses->ota, img, 0u, len, ses->chunk);
    if (st != WBOTA_OK) {
        return st;
    }
    wbota_ota_on_base_write(ses->ota, fin, sizeof fin, &out);
    if (!d->fm.powered) {
        return WBOTA_E_POWER_CUT;
    }
    if (out.status != WBOTA_OK) {
        /* the client sees the reason (docs/reason-codes.md#fe23-byte: 0x03 for E_SIZE, else
         * 0x80 | -code) */
        const uint8_t want = (out.status == WBOTA_E_SIZE) ? 0x03u : (uint8_t)(0x80u | -out.status);
        assert_int_equal(out.fe23, want);
        return out.status;
    }
    assert_int_equal(out.fe23, 0x01);
    wbota_ota_on_indication_confirmed(ses->ota, &out);
    assert_int_equal(out.actions, WBOTA_OTA_OUT_REBOOT_APP);
    staged_dev_sw_reset(d, WBOTA_MODE_APP, 7u, 0u);
    return WBOTA_OK;
}

/* See staged_device.h. */
void staged_dev_sweep(staged_dev_t *dev, const staged_dev_t *base, const staged_dev_sweep_t *sw,
                      staged_dev_sweep_result_t *res)
{
    static const wbota_cut_kind_t kinds[] = {WBOTA_CUT_BEFORE, WBOTA_CUT_AFTER, WBOTA_CUT_TORN};
    static const char *const names[] = {"before", "after", "torn"};

    memset(res, 0, sizeof *res);
    *dev = *base;
    uint32_t ops0 = dev->fm.op_count;
    assert_true(sw->run(dev));
    uint32_t n = dev->fm.op_count - ops0;
    for (size_t k = 0; k < 3u; k++) {
        for (uint32_t i = 1; i <= n; i++) {
            /* sampled: every stride-th operation plus every operation of the last 64 (the
             * tail: the records of install, test boot, confirm and counter) */
            if (sw->stride > 1u && (i % sw->stride) != 1u && i + 64u < n) {
                continue;
            }
            *dev = *base;
            dev->fm.torn_seed = sw->torn_seed + i;
            wbota_fm_arm_cut(&dev->fm, ops0 + i, kinds[k]);
            res->tried++;
            assert_false(sw->run(dev));
            res->fired += dev->fm.cut_fired ? 1u : 0u;
            staged_dev_outcome_t o = sw->after_cut(dev);
            res->outcomes[k][o]++;
            sw->finish(dev, o);
        }
    }
    res->ops = n;
    printf("%s: stride %u, %u flash ops, %u cuts tried, %u fired\n", sw->title, sw->stride, n,
           res->tried, res->fired);
    for (size_t k = 0; k < 3u; k++) {
        printf("  %-6s: old app %u, new app %u, without app %u\n", names[k],
               res->outcomes[k][STAGED_DEV_V1], res->outcomes[k][STAGED_DEV_V2],
               res->outcomes[k][STAGED_DEV_NONE]);
    }
    assert_int_equal(res->fired, res->tried);
    assert_int_equal(res->outcomes[0][STAGED_DEV_NONE] + res->outcomes[1][STAGED_DEV_NONE] +
                         res->outcomes[2][STAGED_DEV_NONE],
                     0u);
}

/* See staged_device.h. */
uint32_t staged_dev_sweep_stride(uint32_t dflt)
{
    const char *env = getenv("WBOTA_SWEEP_STRIDE");
    return (env != NULL && atoi(env) > 0) ? (uint32_t)atoi(env) : dflt;
}

/* See staged_device.h. */
wbota_policy_t staged_dev_images(uint8_t *v1, size_t *v1_len, uint8_t *v2, size_t *v2_len,
                                 size_t cap, bool sign, wbota_trust_t *trust,
                                 uint8_t pub[WBOTA_P256_PUB_LEN])
{
    *v1_len = staged_dev_image(v1, cap, 3000u, 11u, 1u, 1u, sign);
    *v2_len = staged_dev_image(v2, cap, 4500u, 22u, 2u, 2u, sign);
    staged_dev_trust(trust, pub);
    return sign ? WBOTA_POLICY_SIGNED : WBOTA_POLICY_ST;
}

/* See staged_device.h. */
wbota_err_t staged_dev_boot_ses(staged_dev_t *d, const staged_dev_session_t *ses,
                                wbota_boot_decision_t *dec)
{
    return staged_dev_boot(d, ses->rec, ses->policy, ses->trust, ses->every_boot, dec);
}

/* See staged_device.h. */
bool staged_dev_update_until_cut(staged_dev_t *d, const staged_dev_session_t *ses,
                                 const uint8_t *img, size_t len)
{
    wbota_boot_decision_t dec;
    staged_dev_sw_reset(d, WBOTA_MODE_LOADER, 7u, 0xFFu);
    (void)staged_dev_boot_ses(d, ses, &dec);
    if (!d->fm.powered) {
        return false;
    }
    if (staged_dev_session(d, ses, &dec, img, len, STAGED_DEV_APP_START) != WBOTA_OK) {
        assert_false(d->fm.powered);
        return false;
    }
    (void)staged_dev_boot_ses(d, ses, &dec); /* install + first test boot */
    if (!d->fm.powered) {
        return false;
    }
    staged_dev_sw_reset(d, WBOTA_MODE_CONFIRM, 0u, 0u);
    (void)staged_dev_boot_ses(d, ses, &dec);
    return d->fm.powered;
}

/* See staged_device.h. */
staged_dev_outcome_t staged_dev_after_cut(staged_dev_t *d, const staged_dev_session_t *ses,
                                          const uint8_t *v1, size_t v1_len, const uint8_t *v2,
                                          size_t v2_len)
{
    wbota_boot_decision_t dec;
    staged_dev_power_cycle(d);
    wbota_err_t st = staged_dev_boot_ses(d, ses, &dec);
    if (dec.action != WBOTA_BOOT_JUMP) {
        fail_msg("device left without an app: reason %d, state %d", (int)st, (int)ses->rec->state);
        return STAGED_DEV_NONE;
    }
    if (staged_dev_active_holds(d, v2, v2_len) &&
        (ses->rec->state == WBOTA_UPD_INSTALLED || ses->rec->state == WBOTA_UPD_CONFIRMED)) {
        return STAGED_DEV_V2;
    }
    assert_true(staged_dev_active_holds(d, v1, v1_len));
    return STAGED_DEV_V1;
}

/* See staged_device.h. */
staged_dev_session_t staged_dev_ses(wbota_ota_t *ota, wbota_records_t *rec, wbota_policy_t policy,
                                    const wbota_trust_t *trust, size_t chunk, bool every_boot)
{
    staged_dev_session_t ses = {ota, rec, policy, trust, chunk, every_boot};
    return ses;
}

/* See staged_device.h. */
void staged_dev_confirm_v2(staged_dev_t *d, const staged_dev_session_t *ses, staged_dev_outcome_t o,
                           const uint8_t *v2, size_t v2_len)
{
    if (o == STAGED_DEV_V2 && ses->rec->state == WBOTA_UPD_INSTALLED) {
        wbota_boot_decision_t dec;
        staged_dev_sw_reset(d, WBOTA_MODE_CONFIRM, 0u, 0u);
        assert_int_equal(staged_dev_boot_ses(d, ses, &dec), WBOTA_OK);
        assert_int_equal(dec.action, WBOTA_BOOT_JUMP);
    }
    assert_int_equal(ses->rec->state, WBOTA_UPD_CONFIRMED);
    assert_int_equal(ses->rec->counter, 2u);
    assert_true(staged_dev_active_holds(d, v2, v2_len));
}
