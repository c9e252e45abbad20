/* hex.c - Intel HEX reader and writer (see hex.h). */
#include "hex.h"

#include <stdarg.h>
#include <string.h>

static void prv_fail(wbtool_hex_info_t *info, unsigned line, const char *fmt, ...)
{
    if (info->line != 0u) {
        return;
    }
    info->line = line;
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(info->msg, sizeof(info->msg), fmt, ap);
    va_end(ap);
}

static int prv_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

static bool prv_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

wbota_err_t wbtool_hex_parse(const char *text, size_t len, wbtool_memimg_t *m,
                             wbtool_hex_info_t *info)
{
    wbtool_hex_info_t local;
    if (info == NULL) {
        info = &local;
    }
    memset(info, 0, sizeof(*info));
    uint32_t base = 0u; /* from type 02 (seg << 4) or type 04 (upper << 16) */
    bool seg_mode = false;
    bool eof = false;
    unsigned line = 0u;
    size_t pos = 0u;
    uint8_t rec[4u + 255u + 1u];

    while (pos < len) {
        line++;
        size_t start = pos;
        while (pos < len && text[pos] != '\n') {
            pos++;
        }
        size_t end = pos; /* exclusive, before '\n' */
        if (pos < len) {
            pos++;
        }
        /* trim trailing whitespace (CR, spaces) */
        while (end > start && prv_is_space(text[end - 1u])) {
            end--;
        }
        size_t lead = start;
        while (lead < end && prv_is_space(text[lead])) {
            lead++;
        }
        if (lead == end) {
            continue; /* blank line */
        }
        if (eof) {
            prv_fail(info, line, "data after the end-of-file record");
            return WBOTA_E_PARSE;
        }
        if (text[lead] != ':') {
            prv_fail(info, line, "record does not start with ':'");
            return WBOTA_E_PARSE;
        }
        size_t digits = end - lead - 1u;
        if (digits > 2u * sizeof(rec)) {
            prv_fail(info, line, "record longer than 255 data bytes");
            return WBOTA_E_PARSE;
        }
        if (digits < 10u || (digits % 2u) != 0u) {
            prv_fail(info, line, "record has %zu hex digits (need an even number >= 10)", digits);
            return WBOTA_E_PARSE;
        }
        size_t n = digits / 2u;
        for (size_t i = 0u; i < n; i++) {
            int hi = prv_nibble(text[lead + 1u + 2u * i]);
            int lo = prv_nibble(text[lead + 2u + 2u * i]);
            if (hi < 0 || lo < 0) {
                prv_fail(info, line, "non-hex character in record");
                return WBOTA_E_PARSE;
            }
            rec[i] = (uint8_t)((hi << 4) | lo);
        }
        uint8_t count = rec[0];
        if ((size_t)count + 5u != n) {
            prv_fail(info, line, "length byte says %u data bytes, record holds %zu", count, n - 5u);
            return WBOTA_E_PARSE;
        }
        uint8_t sum = 0u;
        for (size_t i = 0u; i < n; i++) {
            sum = (uint8_t)(sum + rec[i]);
        }
        if (sum != 0u) {
            prv_fail(info, line, "checksum 0x%02X wrong (expected 0x%02X)", rec[n - 1u],
                     (uint8_t)(rec[n - 1u] - sum));
            return WBOTA_E_PARSE;
        }
        uint16_t offset = (uint16_t)((rec[1] << 8) | rec[2]);
        uint8_t type = rec[3];
        const uint8_t *d = &rec[4];
        switch (type) {
        case 0x00: {
            if (count == 0u) {
                break;
            }
            if (seg_mode && (uint32_t)offset + count > 0x10000u) {
                /* 8086 segment addressing wraps inside the 64 KB segment: nobody relies on
                 * that for flash images, so refuse rather than guess. */
                prv_fail(info, line, "data record wraps past the end of its 64 KB segment");
                return WBOTA_E_PARSE;
            }
            uint64_t abs = (uint64_t)base + offset;
            if (abs + count > 0x100000000ull) {
                prv_fail(info, line, "data record runs past the 4 GB address space");
                return WBOTA_E_RANGE;
            }
            wbota_err_t e = wbtool_memimg_add(m, (uint32_t)abs, d, count);
            if (e != WBOTA_OK) {
                prv_fail(info, line, "cannot store data record (%s)",
                         e == WBOTA_E_SIZE ? "input too large" : "address range");
                return e;
            }
            info->records++;
            break;
        }
        case 0x01:
            if (count != 0u) {
                prv_fail(info, line, "end-of-file record with data");
                return WBOTA_E_PARSE;
            }
            eof = true;
            break;
        case 0x02:
            if (count != 2u) {
                prv_fail(info, line, "extended segment address record needs 2 data bytes");
                return WBOTA_E_PARSE;
            }
            base = (uint32_t)((d[0] << 8) | d[1]) << 4;
            seg_mode = true;
            break;
        case 0x03:
            if (count != 4u) {
                prv_fail(info, line, "start segment address record needs 4 data bytes");
                return WBOTA_E_PARSE;
            }
            info->has_start = true;
            info->start = ((uint32_t)((d[0] << 8) | d[1]) << 4) + (uint32_t)((d[2] << 8) | d[3]);
            break;
        case 0x04:
            if (count != 2u) {
                prv_fail(info, line, "extended linear address record needs 2 data bytes");
                return WBOTA_E_PARSE;
            }
            base = (uint32_t)((d[0] << 8) | d[1]) << 16;
            seg_mode = false;
            break;
        case 0x05:
            if (count != 4u) {
                prv_fail(info, line, "start linear address record needs 4 data bytes");
                return WBOTA_E_PARSE;
            }
            info->has_start = true;
            info->start = ((uint32_t)d[0] << 24) | ((uint32_t)d[1] << 16) | ((uint32_t)d[2] << 8) |
                          (uint32_t)d[3];
            break;
        default:
            prv_fail(info, line, "unknown record type 0x%02X", type);
            return WBOTA_E_PARSE;
        }
    }
    if (!eof) {
        prv_fail(info, line, "no end-of-file record (file truncated?)");
        return WBOTA_E_TRUNCATED;
    }
    wbota_err_t e = wbtool_memimg_finalize(m);
    if (e == WBOTA_E_PARSE) {
        prv_fail(info, 0u, "records overlap at 0x%08X", m->overlap_addr);
    }
    return e;
}

static int prv_record(FILE *f, uint8_t type, uint16_t offset, const uint8_t *d, size_t n)
{
    uint8_t sum = (uint8_t)(n + (offset >> 8) + (offset & 0xFFu) + type);
    if (fprintf(f, ":%02X%04X%02X", (unsigned)n, offset, type) < 0) {
        return -1;
    }
    for (size_t i = 0u; i < n; i++) {
        sum = (uint8_t)(sum + d[i]);
        if (fprintf(f, "%02X", d[i]) < 0) {
            return -1;
        }
    }
    return (fprintf(f, "%02X\n", (uint8_t)(0x100u - sum) & 0xFFu) < 0) ? -1 : 0;
}

static bool prv_all_ff(const uint8_t *d, size_t n)
{
    for (size_t i = 0u; i < n; i++) {
        if (d[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

static wbota_err_t prv_write(FILE *f, uint32_t base, const uint8_t *data, size_t len,
                             bool has_start, uint32_t start, bool sparse)
{
    uint32_t upper = 0xFFFFFFFFu;
    size_t i = 0u;
    while (i < len) {
        uint32_t addr = base + (uint32_t)i;
        size_t n = len - i;
        if (n > 16u) {
            n = 16u;
        }
        /* never cross a 64 KB boundary inside one record */
        uint32_t room = 0x10000u - (addr & 0xFFFFu);
        if (n > room) {
            n = room;
        }
        if (sparse && prv_all_ff(data + i, n)) {
            i += n;
            continue;
        }
        if ((addr >> 16) != upper) {
            upper = addr >> 16;
            uint8_t u[2] = {(uint8_t)(upper >> 8), (uint8_t)upper};
            if (prv_record(f, 0x04, 0u, u, 2u) != 0) {
                return WBOTA_E_IO;
            }
        }
        if (prv_record(f, 0x00, (uint16_t)(addr & 0xFFFFu), data + i, n) != 0) {
            return WBOTA_E_IO;
        }
        i += n;
    }
    if (has_start) {
        uint8_t s[4] = {(uint8_t)(start >> 24), (uint8_t)(start >> 16), (uint8_t)(start >> 8),
                        (uint8_t)start};
        if (prv_record(f, 0x05, 0u, s, 4u) != 0) {
            return WBOTA_E_IO;
        }
    }
    if (prv_record(f, 0x01, 0u, NULL, 0u) != 0) {
        return WBOTA_E_IO;
    }
    return (fflush(f) == 0) ? WBOTA_OK : WBOTA_E_IO;
}

wbota_err_t wbtool_hex_write(FILE *f, uint32_t base, const uint8_t *data, size_t len,
                             bool has_start, uint32_t start)
{
    return prv_write(f, base, data, len, has_start, start, false);
}

wbota_err_t wbtool_hex_write_sparse(FILE *f, uint32_t base, const uint8_t *data, size_t len,
                                    bool has_start, uint32_t start)
{
    return prv_write(f, base, data, len, has_start, start, true);
}
