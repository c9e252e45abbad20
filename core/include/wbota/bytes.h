/* wbota/bytes.h - explicit byte-order helpers for flash and radio data.
 * Owns: every multi-byte load/store from a byte buffer in wbota (never cast a byte buffer
 * to a struct). Header-only, freestanding; the one set of byte helpers of all wbota code: core,
 * firmware, emulator (SoC, CPU2 model, radio), host wire library, tools and tests. */
#ifndef WBOTA_BYTES_H
#define WBOTA_BYTES_H

#include <stdint.h>

static inline uint16_t wbota_get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | ((uint16_t)p[1] << 8));
}
static inline uint32_t wbota_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t wbota_get_le64(const uint8_t *p)
{
    return (uint64_t)wbota_get_le32(p) | ((uint64_t)wbota_get_le32(p + 4) << 32);
}
static inline uint32_t wbota_get_be24(const uint8_t *p)
{
    return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | (uint32_t)p[2];
}
static inline uint32_t wbota_get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static inline void wbota_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void wbota_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void wbota_put_le64(uint8_t *p, uint64_t v)
{
    wbota_put_le32(p, (uint32_t)v);
    wbota_put_le32(p + 4, (uint32_t)(v >> 32));
}
static inline void wbota_put_be24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}
static inline void wbota_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
