/* upload.h - the ST client sequence of `wbota upload` (docs/st-interface.md#gatt, #fe11,
 * #wireless). Owns: reboot request to the app (FE11), the bounded scan for the loader (app address
 * + 1, "STM_OTA", id 0x86), MTU exchange, FE23 indications, FE22 start / FE24 stream / FE22 07, the
 * verdict from FE23 (in words, via the core's wbota_err_name/text) and the check that the device
 * runs the new image afterwards. Transport-agnostic (transport.h). Host only. */
#ifndef WBTOOL_UPLOAD_H
#define WBTOOL_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

typedef struct {
    const uint8_t *image; /* bytes to stream */
    uint32_t len;
    uint32_t target;  /* flash address of image[0] (FE22 address) */
    bool wireless;    /* FE22 command 0x01 instead of 0x02 */
    bool loader_only; /* device already in the loader: skip the reboot request */
    bool have_addr;   /* addr given: the app's address (or the loader's with loader_only) */
    uint8_t addr[6];
    const char *name;        /* app advertised name to find it by (when no addr) */
    const char *expect_name; /* name the new image advertises (confirmation scan) */
    uint8_t erase_first_page;
    uint8_t erase_pages; /* reboot request `01 <first> <n>` */
    uint32_t scan_ms;    /* bound of each scan phase */
    uint32_t result_timeout_ms;
    uint16_t mtu;         /* requested ATT MTU (251) */
    bool five_byte_start; /* FE22 start with a 5th byte (erase_pages), as newer ST clients */
    bool no_resume;       /* never use the resume extension (FE22 0A/0B): start from byte 0 */
    /* after each chunk; elapsed_us: device (transport) time since the first chunk */
    void (*progress_cb)(uint32_t done, uint32_t total, uint64_t elapsed_us, void *user);
    void (*stage_cb)(const char *stage, void *user);
    void *user;
} wbtool_upload_cfg_t;

typedef struct {
    wbota_err_t err; /* WBOTA_OK or the failure class (see docs/wbota.md exit codes) */
    int device_code; /* FE23 value decoded: 0 ok, negative wbota code when rejected */
    uint8_t fe23;    /* raw FE23 byte (when received) */
    uint16_t mtu;    /* negotiated */
    uint32_t chunk;  /* FE24 chunk size used */
    uint8_t loader_addr[6];
    bool loader_found;     /* loader_addr is valid: the device was seen in its loader */
    bool loader_keeps_app; /* its scan response says staged mode: the running app is intact */
    bool accepted;         /* the loader answered FE23 = 0x01 */
    bool resumed;          /* the app was not advertising, its loader was: the upload went there */
    bool confirmed;        /* new image seen advertising afterwards */
    uint64_t sim_us;       /* transport time spent streaming + verdict */
    char msg[640];         /* one clear line on failure */

    /* resume extension (docs/protocol.md#resume) */
    uint32_t resume_from; /* bytes kept from an interrupted upload (0: from the start) */
    uint32_t tag;         /* image tag sent (0: extension not used) */
} wbtool_upload_result_t;

/* LL payload octets the loader asks for on every connection (data length extension). */
#define WBTOOL_LL_DATA_LEN 251u
/* The FE24 chunk that carries the most image bytes per LL packet for an ATT MTU and LL data
 * length (docs/benchmarks.md#speed): each write is an L2CAP PDU of chunk + 7 bytes cut into
 * ceil((chunk + 7) / ll) LL packets, and every packet costs one exchange on air. With DLE that
 * is one packet per write (244 bytes at MTU >= 247), never 248 (two packets); at MTU 23, 20. */
uint32_t wbtool_upload_best_chunk(uint16_t mtu, uint16_t ll_data_len);

/* Runs the whole sequence over t. */
void wbtool_upload_run(wbtool_transport_t *t, const wbtool_upload_cfg_t *cfg,
                       wbtool_upload_result_t *res);

/* Advertising data helpers (exposed for tests): complete/short local name into out. */
bool wbtool_adv_name(const uint8_t *ad, size_t len, char *out, size_t cap);
/* true iff the AD data carries ST's loader manufacturer data (… 0x86 …). */
bool wbtool_adv_is_st_loader(const uint8_t *ad, size_t len);
/* Parses "AA:BB:CC:DD:EE:FF". */
bool wbtool_parse_bdaddr(const char *s, uint8_t out[6]);
/* Formats an address as "AA:BB:CC:DD:EE:FF" (cap >= 18). */
void wbtool_fmt_bdaddr(char *out, size_t cap, const uint8_t a[6]);

#endif
