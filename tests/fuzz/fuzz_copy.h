/* fuzz_copy.h - the input prologue of the harnesses that parse a whole file (fuzz_elf.c,
 * fuzz_hex.c): an exact-size heap copy of the fuzzer's bytes, so that ASan reports any read
 * past the end, and a size cap that keeps each run short. */
#ifndef WBOTA_FUZZ_COPY_H
#define WBOTA_FUZZ_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry point, which each harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of data[0, size) (one byte for an empty input; the caller frees it), or NULL
 * when size is above max or memory ran out: the harness then skips the input. */
static inline void *fuzz_copy(const uint8_t *data, size_t size, size_t max)
{
    if (size > max) {
        return NULL;
    }
    void *copy = malloc(size == 0u ? 1u : size);
    if (copy != NULL) {
        memcpy(copy, data, size);
    }
    return copy;
}

#endif
