/* fus_resume.c - e2e client for the wireless-stack update resume path (tests/e2e/e2e.sh
 * wireless_resume). Owns nothing; run by e2e.sh against one wbota-emu (loader + app).
 * Puts the device into the loader (mailbox {01, first, count} + system reset, as a debugger
 * would), uploads IMAGE with FE22 command 0x01 just below SFSA 0xCB, waits until the CPU2 model
 * reports that the FUS upgrade started plus FUS_BUSY_MS, then resets the system from outside (as
 * a watchdog would), between the resets FUS itself makes (mailbox still 0x02). Exit 0 iff the
 * verdict was 0x01, the reset happened while FUS ran, and APP_NAME advertises again afterwards;
 * e2e.sh checks the CPU2 log for the resume. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_client.h"
#include "wbota/st_ota.h"

#define SFSA          0xCBu
#define PAGE_SIZE     4096u
#define FUS_BUSY_MS   150u /* after FUS_FW_UPGRADE; the model's FUS resets the device at 400 ms */
#define SCAN_BOUND_MS 20000u
#define FUS_BOUND_MS  20000u

static int s_fus_seen;

static void prv_log_cb(void *ctx, const char *line)
{
    (void)ctx;
    if (strstr(line, "FUS upgrade started") != NULL) {
        s_fus_seen = 1;
    }
}

/* scans in 250 ms slices up to bound_ms for name; 1 found (addr filled), 0 not */
static int prv_scan_for(emu_client_t *c, const char *name, uint32_t bound_ms, uint8_t addr[6])
{
    for (uint32_t t = 0u; t < bound_ms; t += 250u) {
        emu_client_adv_t adv[8];
        size_t n = 0u;
        if (emu_client_scan(c, 250u, adv, 8u, &n) < 0) {
            return 0;
        }
        for (size_t i = 0u; i < n; i++) {
            char nm[32] = "";
            if (emu_adv_name(adv[i].adv, adv[i].adv_len, nm, sizeof(nm)) && strcmp(nm, name) == 0) {
                memcpy(addr, adv[i].addr, 6u);
                return 1;
            }
        }
    }
    return 0;
}

static int prv_fail(emu_client_t *c, const char *what)
{
    fprintf(stderr, "fus_resume: %s: %s\n", what, emu_client_last_error(c));
    emu_client_close(c);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: fus_resume EMU_SOCKET IMAGE APP_NAME\n");
        return 2;
    }
    static uint8_t img[64u * 1024u];
    FILE *f = fopen(argv[2], "rb");
    size_t size = f ? fread(img, 1u, sizeof(img), f) : 0u;
    if (f != NULL) {
        fclose(f);
    }
    if (size == 0u) {
        fprintf(stderr, "fus_resume: cannot read %s\n", argv[2]);
        return 2;
    }
    const uint32_t target = (SFSA * PAGE_SIZE - (uint32_t)size) & ~(PAGE_SIZE - 1u);
    const uint32_t pages = (uint32_t)((size + PAGE_SIZE - 1u) / PAGE_SIZE);

    emu_client_t *c = emu_client_open(argv[1], 5000u);
    if (c == NULL) {
        fprintf(stderr, "fus_resume: cannot reach %s\n", argv[1]);
        return 1;
    }
    emu_client_on_log(c, prv_log_cb, NULL);
    const uint8_t mb[3] = {0x01u, (uint8_t)(target / PAGE_SIZE), (uint8_t)pages};
    if (emu_client_debug_write(c, 0x20000000u, mb, sizeof(mb)) < 0 ||
        emu_client_system_reset(c) < 0) {
        return prv_fail(c, "forcing the loader");
    }
    uint8_t ldr[6];
    if (!prv_scan_for(c, WBOTA_ST_LOADER_NAME, SCAN_BOUND_MS, ldr)) {
        return prv_fail(c, "no loader advertising");
    }
    emu_client_char_t ch[48];
    size_t nch = 0u;
    uint16_t mtu = 23u;
    if (emu_client_connect(c, ldr, 2000u) != 0 || emu_client_mtu(c, 251u, &mtu) < 0 ||
        emu_client_discover(c, ch, 48u, &nch) < 0) {
        return prv_fail(c, "loader connection");
    }
    const emu_client_char_t *base = emu_client_find_st_char(ch, nch, WBOTA_ST_FE22);
    const emu_client_char_t *conf = emu_client_find_st_char(ch, nch, WBOTA_ST_FE23);
    const emu_client_char_t *raw = emu_client_find_st_char(ch, nch, WBOTA_ST_FE24);
    static const uint8_t k_en[2] = {0x02u, 0x00u};
    if (base == NULL || conf == NULL || raw == NULL ||
        emu_client_write(c, (uint16_t)(conf->value_handle + 1u), k_en, 2u, true) != 0) {
        return prv_fail(c, "OTA service");
    }
    const uint8_t start[4] = {WBOTA_ST_CMD_WIRELESS, (uint8_t)(target >> 16),
                              (uint8_t)(target >> 8), (uint8_t)target};
    (void)emu_client_write(c, base->value_handle, start, sizeof(start), false);
    const size_t chunk = (size_t)mtu - 3u;
    for (size_t off = 0u; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (emu_client_write(c, raw->value_handle, img + off, n, false) < 0 ||
            !emu_client_is_connected(c)) {
            return prv_fail(c, "link lost during the upload");
        }
    }
    static const uint8_t k_fin = WBOTA_ST_CMD_FINISHED;
    (void)emu_client_write(c, base->value_handle, &k_fin, 1u, false);
    uint16_t h = 0u;
    uint8_t v[8];
    size_t vl = 0u;
    if (emu_client_wait_indication(c, 20000u, &h, v, sizeof(v), &vl) != 0 ||
        h != conf->value_handle || vl < 1u) {
        return prv_fail(c, "no FE23 verdict");
    }
    (void)emu_client_confirm(c);
    printf("verdict 0x%02X for %zu bytes at 0x%08X\n", v[0], size,
           (unsigned)(0x08000000u | target));
    if (v[0] != WBOTA_ST_FE23_SUCCESS) {
        emu_client_close(c);
        return 1;
    }
    for (uint32_t t = 0u; t < FUS_BOUND_MS && !s_fus_seen; t += 5u) {
        if (emu_client_wait(c, 5u) < 0) {
            return prv_fail(c, "waiting for FUS");
        }
    }
    if (!s_fus_seen) {
        emu_client_close(c);
        fprintf(stderr, "fus_resume: the FUS upgrade never started\n");
        return 1;
    }
    if (emu_client_wait(c, FUS_BUSY_MS) < 0 || emu_client_system_reset(c) < 0) {
        return prv_fail(c, "system reset during FUS");
    }
    printf("system reset at %.3f s, %u ms after the FUS upgrade started\n",
           (double)emu_client_sim_us(c) / 1e6, (unsigned)FUS_BUSY_MS);
    uint8_t app[6];
    int back = prv_scan_for(c, argv[3], SCAN_BOUND_MS, app);
    printf("%s %s after the reset\n", argv[3], back ? "back" : "not back");
    emu_client_close(c);
    return back ? 0 : 1;
}
