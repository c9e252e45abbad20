/* staged_device.h - a host "device" for the staged-mode tests (test_staged_loop.c,
 * test_resume.c): the flash model, the boot mailbox and reset flags that survive a reset, and
 * the layout/slots the loader derives from SFSA; plus the loader's boot path and OTA engine set
 * up as firmware/loader/main.c and ota_service.c do (docs/staged.md). Test support only. */
#ifndef WBOTA_TEST_STAGED_DEVICE_H
#define WBOTA_TEST_STAGED_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbota/boot.h"
#include "wbota/flash_model.h"
#include "wbota/mailbox.h"
#include "wbota/ota.h"
#include "wbota/records.h"
#include "wbota/staged.h"

#define STAGED_DEV_APP_START 0x08007000u

typedef struct {
    wbota_flash_model_t fm;
    uint8_t mailbox[WBOTA_MAILBOX_LEN];
    uint32_t reset_flags;
    wbota_layout_t layout;
    wbota_slots_t slots;
} staged_dev_t;

/* A test_image.h image with body, seed, major version, security counter and signing set,
 * built into out (cap bytes); asserts it was built. Returns its length. */
size_t staged_dev_image(uint8_t *out, size_t cap, uint32_t body, uint32_t seed, uint8_t major,
                        uint32_t counter, bool sign);
/* Factory state: erased flash of a chip with this SFSA, img at the app start, mailbox cleared,
 * power-on reset flags, and the layout and slots the loader derives (asserted to compute). */
void staged_dev_factory(staged_dev_t *d, uint8_t sfsa, const uint8_t *img, size_t len);
/* The trust anchor of test_image.h's signing key (pub is filled, trust points at it). */
void staged_dev_trust(wbota_trust_t *trust, uint8_t pub[WBOTA_P256_PUB_LEN]);
/* The loader's boot path: opens the record log into rec (asserts it opens), runs
 * wbota_staged_boot, writes the mailbox back and clears the reset flags (RMVF). Returns the
 * app status. */
wbota_err_t staged_dev_boot(staged_dev_t *d, wbota_records_t *rec, wbota_policy_t policy,
                            const wbota_trust_t *trust, bool every_boot,
                            wbota_boot_decision_t *dec);
/* A software reset with this mailbox (what the app kit and the loader do). */
void staged_dev_sw_reset(staged_dev_t *d, uint8_t mode, uint8_t first, uint8_t count);
/* A power-on reset (after a cut: the flash keeps its content; the mailbox is SRAM garbage). */
void staged_dev_power_cycle(staged_dev_t *d);
/* The active slot starts with img[0, len). */
bool staged_dev_active_holds(const staged_dev_t *d, const uint8_t *img, size_t len);
/* Streams img[from, to) to FE24 of ota in writes of chunk bytes; WBOTA_E_POWER_CUT when the
 * device's power went, the engine's status when a write failed, else WBOTA_OK. */
wbota_err_t staged_dev_stream(const staged_dev_t *d, wbota_ota_t *ota, const uint8_t *img,
                              size_t from, size_t to, size_t chunk);
/* The loader's OTA engine in staged mode over the device's flash and record log. */
void staged_dev_ota_init(staged_dev_t *d, wbota_ota_t *ota, wbota_records_t *rec,
                         wbota_policy_t policy, const wbota_trust_t *trust);

/* One ST-client upload session (test_staged_loop.c, test_swap.c). */
typedef struct {
    wbota_ota_t *ota;
    wbota_records_t *rec;
    wbota_policy_t policy;
    const wbota_trust_t *trust;
    size_t chunk;    /* bytes per FE24 write */
    bool every_boot; /* the loader's boots verify the active image every time */
} staged_dev_session_t;
/* A session of these parts (the record log, trust and engine stay the caller's). */
staged_dev_session_t staged_dev_ses(wbota_ota_t *ota, wbota_records_t *rec, wbota_policy_t policy,
                                    const wbota_trust_t *trust, size_t chunk, bool every_boot);
/* The loader after a "stay": the decision's erase plan (asserted inside staging), then an ST
 * client session at `start` in `chunk`-byte writes. Returns the status of `07`
 * (WBOTA_E_POWER_CUT when power went, or the refusal). On success the loader resets into the
 * app (mailbox 00). */
wbota_err_t staged_dev_session(staged_dev_t *d, const staged_dev_session_t *ses,
                               const wbota_boot_decision_t *dec, const uint8_t *img, size_t len,
                               uint32_t start);

/* What a device runs right after a power cut (power on, one boot). */
typedef enum { STAGED_DEV_V1, STAGED_DEV_V2, STAGED_DEV_NONE } staged_dev_outcome_t;

/* A power-cut sweep over one run of flash operations (test_staged_loop.c, test_swap.c). */
typedef struct {
    const char *title;                                       /* printed with the tally */
    bool (*run)(staged_dev_t *d);                            /* false when the armed cut fired */
    staged_dev_outcome_t (*after_cut)(staged_dev_t *d);      /* power on, boot, classify */
    void (*finish)(staged_dev_t *d, staged_dev_outcome_t o); /* complete, check the end */
    uint32_t stride;    /* cut every stride-th operation and every one of the last 64 */
    uint32_t torn_seed; /* torn-write seed of operation i: torn_seed + i */
} staged_dev_sweep_t;

typedef struct {
    uint32_t ops, tried, fired;
    uint32_t outcomes[3][3]; /* [before, after, torn][staged_dev_outcome_t] */
} staged_dev_sweep_result_t;

/* Runs sw->run on a copy of base once uncut (asserted to complete) to count its flash
 * operations, then for each cut kind (before, after, torn) and each sampled operation i:
 * *dev = *base, arm the cut at i, run (asserted cut), after_cut, finish. Prints the tally;
 * asserts every armed cut fired and no cut left the device without an app. */
void staged_dev_sweep(staged_dev_t *dev, const staged_dev_t *base, const staged_dev_sweep_t *sw,
                      staged_dev_sweep_result_t *res);
/* WBOTA_SWEEP_STRIDE from the environment when set and positive, else dflt. */
uint32_t staged_dev_sweep_stride(uint32_t dflt);

/* The two images of an update: v1 (3000-byte body, seed 11, 1.0.0, counter 1) and v2 (4500
 * bytes, seed 22, 2.0.0, counter 2: into a second page), signed or not, each into cap bytes;
 * the trust anchor as staged_dev_trust. Returns the policy that goes with them (signed or st). */
wbota_policy_t staged_dev_images(uint8_t *v1, size_t *v1_len, uint8_t *v2, size_t *v2_len,
                                 size_t cap, bool sign, wbota_trust_t *trust,
                                 uint8_t pub[WBOTA_P256_PUB_LEN]);
/* staged_dev_boot with the session's record log, policy, trust and every-boot setting. */
wbota_err_t staged_dev_boot_ses(staged_dev_t *d, const staged_dev_session_t *ses,
                                wbota_boot_decision_t *dec);
/* One whole update that stops where the power went: the app asks for the loader (`01 07 FF`),
 * a session uploads img to the app start, the boot that installs it, the app confirms.
 * Returns false when the power went (an upload refused otherwise fails the test). */
bool staged_dev_update_until_cut(staged_dev_t *d, const staged_dev_session_t *ses,
                                 const uint8_t *img, size_t len);
/* After a cut: power on and boot. The device must jump at once into v1 or v2, byte-exact (v2
 * only with its update installed or confirmed); fails the test when it stays. */
staged_dev_outcome_t staged_dev_after_cut(staged_dev_t *d, const staged_dev_session_t *ses,
                                          const uint8_t *v1, size_t v1_len, const uint8_t *v2,
                                          size_t v2_len);

/* The end of a sweep's update after a cut (a v1 outcome already updated again by the caller):
 * v2 still in test is confirmed; then v2 runs confirmed with security counter 2. */
void staged_dev_confirm_v2(staged_dev_t *d, const staged_dev_session_t *ses, staged_dev_outcome_t o,
                           const uint8_t *v2, size_t v2_len);

#endif
