/* small_libc.c - the loader's memcpy, memset, memcmp and strlen: size-first versions of the newlib
 * routines (newlib's Cortex-M builds are speed-tuned: 308 + 162 + 220 B where these take about
 * a tenth; docs/benchmarks.md#loader-size). Loader only: an application keeps newlib's.
 * The flash copies and hashes read through the chip port in word-sized chunks, so the word
 * loop of memcpy keeps the copy cost far below the SHA-256 cost per byte.
 * Compiled without LTO and without loop-pattern recognition (firmware/CMakeLists.txt): the
 * compiler must not turn these loops back into calls to themselves, and calls it emits late
 * (structure copies) must find a definition. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0u) {
        for (; n >= 4u; n -= 4u, d += 4, s += 4) {
            *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
        }
    }
    while (n-- > 0u) {
        *d++ = *s++;
    }
    return dst;
}

/* Word stores for an aligned destination: the start-up code zeroes .bss through this call
 * (loop-pattern recognition in the chip port), at the 4 MHz reset clock, on every boot; a byte
 * loop cost about 1 ms of the 2 ms reset-to-app target (docs/benchmarks.md#loader-size-2). */
void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    if (((uintptr_t)d & 3u) == 0u) {
        const uint32_t w = (uint8_t)c * 0x01010101u;
        for (; n >= 4u; n -= 4u, d += 4) {
            *(uint32_t *)(void *)d = w;
        }
    }
    while (n-- > 0u) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p != '\0') {
        p++;
    }
    return (size_t)(p - s);
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a;
    const uint8_t *y = b;
    for (; n > 0u; n--, x++, y++) {
        if (*x != *y) {
            return (int)*x - (int)*y;
        }
    }
    return 0;
}
