/* appimg.h - the wbota tool's image checks, image creation and verification.
 * Owns: the list of image checks (docs/wbota.md; one line each: address, value found, what to
 * change; errors vs warnings), placing the manifest (in the room before the magic, or appended
 * after the image end with the magic moved last) and signing it. The image format itself (manifest
 * encoding, tag and vector rules, verification) is the core's: wbota_manifest_encode and
 * wbota_image_verify are called, never re-implemented. Called by the subcommands, the tests
 * and the benchmark. Host only. */
#ifndef WBTOOL_APPIMG_H
#define WBTOOL_APPIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "input.h"
#include "keys.h"
#include "wbota/image.h"
#include "wbota/layout.h"

typedef enum { WBTOOL_SEV_NOTE = 0, WBTOOL_SEV_WARN = 1, WBTOOL_SEV_ERROR = 2 } wbtool_sev_t;

/* Stable check identifiers (printed as [id], documented in docs/wbota.md). */
#define WBTOOL_CK_OUTSIDE_FLASH "outside-flash"
#define WBTOOL_CK_LINK_ADDR     "link-addr"
#define WBTOOL_CK_VT_ALIGN      "vt-align"
#define WBTOOL_CK_VT_SP         "vt-sp"
#define WBTOOL_CK_RAM_MAILBOX   "ram-mailbox"
#define WBTOOL_CK_VT_RESET      "vt-reset"
#define WBTOOL_CK_TAG_PTR       "tag-ptr"
#define WBTOOL_CK_MAGIC_MISSING "magic-missing"
#define WBTOOL_CK_MAGIC_LAST    "magic-not-last"
#define WBTOOL_CK_CPU2_OVERLAP  "cpu2-overlap"
#define WBTOOL_CK_TOO_LARGE     "too-large"
#define WBTOOL_CK_GAP           "gap"
#define WBTOOL_CK_MANIFEST      "manifest"
#define WBTOOL_CK_NOT_FIRMWARE  "not-firmware"
#define WBTOOL_CK_LOADER        "loader-image"
#define WBTOOL_CK_CTORS         "constructors"
#define WBTOOL_CK_CPU2_SHARED   "cpu2-shared"

#define WBTOOL_MAX_FINDINGS 48u

typedef struct {
    const char *id;
    wbtool_sev_t sev;
    uint32_t addr;
    char text[400];
} wbtool_finding_t;

typedef struct {
    wbtool_finding_t f[WBTOOL_MAX_FINDINGS];
    size_t n;
    size_t errors, warnings, dropped;
} wbtool_report_t;

typedef enum { WBTOOL_MODE_CREATE = 0, WBTOOL_MODE_VERIFY = 1 } wbtool_mode_t;

/* The flash bytes of an input: [base, base + len), gaps 0xFF. */
typedef struct {
    uint32_t base;
    uint8_t *data;
    uint32_t len;
} wbtool_flat_t;

/* What the checks learned about the tags. */
typedef struct {
    bool vt_ok; /* at least 8 bytes of vector table */
    uint32_t sp, reset;
    bool tag_ok;      /* word at +0x140 points inside the image, 4-aligned */
    uint32_t tag_ptr; /* value of that word (when the image is long enough) */
    bool magic_ok;    /* magic at tag_ptr */
    bool magic_last;  /* nothing but erased bytes after it */
} wbtool_tags_t;

void wbtool_report_init(wbtool_report_t *r);
void wbtool_report_add(wbtool_report_t *r, const char *id, wbtool_sev_t sev, uint32_t addr,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* true if the report fails: errors, or warnings when strict. */
bool wbtool_report_fails(const wbtool_report_t *r, bool strict);
/* "error[vt-sp]: 0x08007000: ..." one per line (strict prints warnings as errors). */
void wbtool_report_print(FILE *f, const wbtool_report_t *r, bool strict);
/* JSON array of findings. */
void wbtool_report_json(FILE *f, const wbtool_report_t *r, bool strict);

/* Runs the image checks on an input. Fills flat (caller frees flat->data) when the input
 * has flash bytes (flat->data NULL otherwise) and tags. */
void wbtool_check_input(const wbtool_input_t *in, const wbota_layout_t *lay, wbtool_mode_t mode,
                        wbtool_report_t *rep, wbtool_flat_t *flat, wbtool_tags_t *tags);
/* Size checks (cpu2-overlap, too-large) for an image [base, base+len): true iff it fits;
 * findings go to rep (NULL: only the answer). */
bool wbtool_check_size(const wbota_layout_t *lay, uint32_t base, uint32_t len,
                       wbtool_report_t *rep);

typedef struct {
    wbota_layout_t lay;
    wbota_version_t version;
    uint32_t sec_counter;
    const wbtool_key_t *key; /* NULL: unsigned manifest */
} wbtool_create_cfg_t;

typedef struct {
    wbtool_flat_t img; /* the finished image (caller frees img.data) */
    uint32_t manifest_addr, manifest_len, magic_addr;
    bool appended;        /* manifest placed after the old image end */
    bool replaced;        /* an existing wbota manifest was replaced */
    bool old_magic_wiped; /* the input's magic word was overwritten with 0xFFFFFFFF */
    bool signed_;
    uint32_t key_id;
    uint8_t sha256[WBOTA_SHA256_LEN];
} wbtool_created_t;

/* Checks the input (CREATE mode) and, when no error was found, builds the image with its
 * manifest. Returns WBOTA_OK when an image was built (rep may still hold warnings);
 * WBOTA_E_ARG when the checks found errors; another code for an internal failure (the core's
 * own verification of the result failing is reported as that code). out->img.data is NULL or
 * owned by the caller in every case. */
wbota_err_t wbtool_image_create(const wbtool_input_t *in, const wbtool_create_cfg_t *cfg,
                                wbtool_report_t *rep, wbtool_created_t *out);

/* Checks (VERIFY mode) + the core's wbota_image_verify: SIGNED policy with pub as the only
 * trusted key when pub != NULL, ST policy otherwise. *core_err = the core's verdict (or
 * WBOTA_E_NO_APP when the checks could not even find the tags). info may be NULL. */
void wbtool_image_verify(const wbtool_input_t *in, const wbota_layout_t *lay,
                         const wbtool_key_t *pub, wbtool_report_t *rep, wbota_err_t *core_err,
                         wbota_image_info_t *info);

/* Parses "1.2.3+4" (also "1.2.3", "1.2"). false on syntax or range error. */
bool wbtool_parse_version(const char *s, wbota_version_t *v);

#endif
