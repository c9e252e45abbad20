/* fuzz_elf.c - libFuzzer harness for the wbota tool's ELF reading path (host/imageio/elfread.c
 * over libelf, then the image checks of appimg.c on whatever loaded): hostile ELF files must be
 * rejected or loaded without reading out of bounds, and the checks must cope with any result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "appimg.h"
#include "fuzz_copy.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = fuzz_copy(data, size, 262144u);
    if (copy == NULL) {
        return 0;
    }
    wbtool_input_t in;
    if (wbtool_input_parse(copy, size, WBTOOL_FMT_ELF, 0u, &in) == WBOTA_OK) {
        /* bound the flattened window: the checks only ever look at flash */
        if (wbtool_memimg_hi(&in.mem) - wbtool_memimg_lo(&in.mem) <= 2u * 1024u * 1024u) {
            wbota_layout_t lay = wbota_layout_default(WBOTA_CFG_DEFAULT_SFSA);
            wbtool_report_t rep;
            wbtool_report_init(&rep);
            wbota_err_t core = WBOTA_OK;
            wbtool_image_verify(&in, &lay, NULL, &rep, &core, NULL);
        }
    }
    wbtool_input_free(&in);
    free(copy);
    return 0;
}
