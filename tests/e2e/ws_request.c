/* ws_request.c - e2e client for the cubemx_hal scenario (tests/e2e/e2e.sh): asks the
 * CubeMX-style example for a wireless-stack update the way a debugger/test would (writes the
 * request word {0xC0BE5EED, 1} at 0x20038000 in SRAM2b, see examples/cubemx-hal/main.c) once
 * APP_NAME advertises, then lets simulated time run until APP_NAME advertises again (bounded).
 * Exit 0 iff it came back. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "emu_client.h"

#define WS_REQ_ADDR 0x20038000u
#define BOUND_MS    20000u
#define FIRST_MS    1500u /* the request is handled; the app stops advertising meanwhile */

static int prv_seen(emu_client_t *c, const char *name, uint32_t ms)
{
    emu_client_adv_t adv[8];
    size_t n = 0u;
    if (emu_client_scan(c, ms, adv, 8u, &n) < 0) {
        return -1;
    }
    for (size_t i = 0u; i < n; i++) {
        char nm[32] = "";
        if (emu_adv_name(adv[i].adv, adv[i].adv_len, nm, sizeof(nm)) && strcmp(nm, name) == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ws_request SOCKET APP_NAME\n");
        return 2;
    }
    emu_client_t *c = emu_client_open(argv[1], 5000u);
    if (c == NULL) {
        fprintf(stderr, "ws_request: cannot reach %s\n", argv[1]);
        return 1;
    }
    int up = 0;
    for (uint32_t t = 0u; t < BOUND_MS && up == 0; t += 250u) {
        up = prv_seen(c, argv[2], 250u);
    }
    if (up != 1) {
        fprintf(stderr, "ws_request: %s does not advertise\n", argv[2]);
        emu_client_close(c);
        return 1;
    }
    static const uint8_t req[8] = {0xEDu, 0x5Eu, 0xBEu, 0xC0u, 1u, 0u, 0u, 0u};
    if (emu_client_debug_write(c, WS_REQ_ADDR, req, sizeof(req)) < 0 ||
        emu_client_wait(c, FIRST_MS) < 0) {
        fprintf(stderr, "ws_request: %s\n", emu_client_last_error(c));
        emu_client_close(c);
        return 1;
    }
    int back = 0;
    for (uint32_t t = 0u; t < BOUND_MS && back == 0; t += 250u) {
        back = prv_seen(c, argv[2], 250u);
    }
    printf("%s %s after the wireless stack update (t=%.3f s)\n", argv[2],
           back == 1 ? "back" : "not back", (double)emu_client_sim_us(c) / 1e6);
    emu_client_close(c);
    return back == 1 ? 0 : 1;
}
