/* input.c - image file loading (see input.h). */
#include "input.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "hex.h"

wbota_err_t wbtool_read_file(const char *path, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0u;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return WBOTA_E_IO;
    }
    size_t cap = 65536u;
    size_t n = 0u;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1u, cap - n, f);
        n += got;
        if (got == 0u || n < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            if (feof(f) || buf == NULL) {
                break;
            }
            continue;
        }
        if (cap >= WBTOOL_FILE_MAX) {
            free(buf);
            fclose(f);
            return WBOTA_E_SIZE;
        }
        uint8_t *nb = realloc(buf, cap * 2u);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2u;
    }
    fclose(f);
    if (buf == NULL) {
        return WBOTA_E_IO;
    }
    *out = buf;
    *len = n;
    return WBOTA_OK;
}

wbota_err_t wbtool_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return WBOTA_E_IO;
    }
    size_t n = fwrite(data, 1u, len, f);
    int rc = fclose(f);
    return (n == len && rc == 0) ? WBOTA_OK : WBOTA_E_IO;
}

const char *wbtool_fmt_name(wbtool_fmt_t fmt)
{
    static const char *const names[] = {[WBTOOL_FMT_AUTO] = "auto",
                                        [WBTOOL_FMT_ELF] = "elf",
                                        [WBTOOL_FMT_HEX] = "hex",
                                        [WBTOOL_FMT_BIN] = "bin"};
    return ((unsigned)fmt < sizeof(names) / sizeof(names[0])) ? names[fmt] : "auto";
}

static bool prv_looks_hex(const uint8_t *d, size_t len)
{
    size_t i = 0u;
    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n')) {
        i++;
    }
    return i < len && d[i] == ':';
}

wbota_err_t wbtool_input_parse(const uint8_t *data, size_t len, wbtool_fmt_t fmt, uint32_t bin_base,
                               wbtool_input_t *in)
{
    memset(in, 0, sizeof(*in));
    wbtool_memimg_init(&in->mem);
    if (fmt == WBTOOL_FMT_AUTO) {
        fmt = wbtool_is_elf(data, len)   ? WBTOOL_FMT_ELF
              : prv_looks_hex(data, len) ? WBTOOL_FMT_HEX
                                         : WBTOOL_FMT_BIN;
    }
    in->fmt = fmt;
    wbota_err_t err;
    switch (fmt) {
    case WBTOOL_FMT_ELF:
        err = wbtool_elf_read(data, len, &in->mem, &in->elf);
        if (err != WBOTA_OK) {
            (void)snprintf(in->msg, sizeof(in->msg), "ELF: %s", in->elf.msg);
        } else {
            in->has_entry = true;
            in->entry = in->elf.entry;
        }
        break;
    case WBTOOL_FMT_HEX: {
        wbtool_hex_info_t hi;
        err = wbtool_hex_parse((const char *)data, len, &in->mem, &hi);
        if (err != WBOTA_OK) {
            if (hi.line != 0u) {
                (void)snprintf(in->msg, sizeof(in->msg), "HEX line %u: %s", hi.line, hi.msg);
            } else {
                (void)snprintf(in->msg, sizeof(in->msg), "HEX: %s", hi.msg);
            }
        } else {
            in->has_entry = hi.has_start;
            in->entry = hi.start;
        }
        break;
    }
    default:
        if (len == 0u) {
            (void)snprintf(in->msg, sizeof(in->msg), "binary file is empty");
            err = WBOTA_E_TRUNCATED;
            break;
        }
        if ((uint64_t)bin_base + len > 0x100000000ull) {
            (void)snprintf(in->msg, sizeof(in->msg), "binary does not fit at base 0x%08X",
                           (unsigned)bin_base);
            err = WBOTA_E_RANGE;
            break;
        }
        err = wbtool_memimg_add(&in->mem, bin_base, data, (uint32_t)len);
        if (err == WBOTA_OK) {
            err = wbtool_memimg_finalize(&in->mem);
        }
        if (err != WBOTA_OK) {
            (void)snprintf(in->msg, sizeof(in->msg), "binary too large");
        }
        break;
    }
    if (err == WBOTA_OK && in->mem.n == 0u) {
        (void)snprintf(in->msg, sizeof(in->msg), "input holds no data");
        err = WBOTA_E_TRUNCATED;
    }
    return err;
}

wbota_err_t wbtool_input_load(const char *path, wbtool_fmt_t fmt, uint32_t bin_base,
                              wbtool_input_t *in)
{
    uint8_t *data = NULL;
    size_t len = 0u;
    errno = 0;
    wbota_err_t err = wbtool_read_file(path, &data, &len);
    int os_err = errno;
    if (err != WBOTA_OK) {
        memset(in, 0, sizeof(*in));
        wbtool_memimg_init(&in->mem);
        (void)snprintf(in->msg, sizeof(in->msg), "cannot read %s: %s", path,
                       err == WBOTA_E_SIZE ? "larger than 64 MB"
                       : os_err != 0       ? strerror(os_err)
                                           : "read error");
        return err == WBOTA_E_SIZE ? WBOTA_E_SIZE : WBOTA_E_IO;
    }
    err = wbtool_input_parse(data, len, fmt, bin_base, in);
    free(data);
    return err;
}

void wbtool_input_free(wbtool_input_t *in)
{
    wbtool_memimg_free(&in->mem);
}
