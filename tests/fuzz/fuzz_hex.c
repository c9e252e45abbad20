/* fuzz_hex.c - libFuzzer harness for the wbota tool's Intel HEX parser (host/imageio/hex.c):
 * any input must parse or be rejected without reading out of bounds; an accepted input must
 * give sorted, non-overlapping segments, and writing them back must parse to the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_copy.h"
#include "hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_copy(data, size, 65536u);
    if (text == NULL) {
        return 0;
    }
    wbtool_memimg_t m;
    wbtool_memimg_init(&m);
    wbtool_hex_info_t info;
    if (wbtool_hex_parse(text, size, &m, &info) == WBOTA_OK) {
        for (size_t i = 1u; i < m.n; i++) {
            if ((uint64_t)m.segs[i - 1u].addr + m.segs[i - 1u].len >= m.segs[i].addr) {
                abort(); /* not merged or overlapping */
            }
        }
        if (m.n > 0u && m.segs[0].len <= 4096u) {
            char *out = NULL;
            size_t out_len = 0u;
            FILE *f = open_memstream(&out, &out_len);
            if (f != NULL) {
                const wbtool_seg_t *s = &m.segs[0];
                (void)wbtool_hex_write(f, s->addr, m.data + s->off, s->len, false, 0u);
                fclose(f);
                wbtool_memimg_t back;
                wbtool_memimg_init(&back);
                if (wbtool_hex_parse(out, out_len, &back, NULL) != WBOTA_OK || back.n != 1u ||
                    back.segs[0].addr != s->addr || back.segs[0].len != s->len ||
                    memcmp(back.data, m.data + s->off, s->len) != 0) {
                    abort(); /* writer and parser disagree */
                }
                wbtool_memimg_free(&back);
                free(out);
            }
        }
    }
    wbtool_memimg_free(&m);
    free(text);
    return 0;
}
