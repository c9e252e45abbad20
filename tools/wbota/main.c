/* main.c - `wbota`: the command table, option parsing and output of the wbota tool.
 * Everything that does work lives in wbota_toollib (appimg, keys, merge, upload, cmd_scan,
 * transport_emu, transport_bluez) and host/imageio; this file turns command lines into calls
 * and results into text, JSON and exit codes (ui.h). One row of s_cmds per command (name, help,
 * the options that apply, the arguments it needs, handler); one row of s_optvals per option (where
 * its value goes, its range) and one of s_optdefs per option name. The --help texts are
 * reproduced in docs/wbota.md (tests/tools/golden.sh checks it). */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appimg.h"
#include "cmd_scan.h"
#include "hex.h"
#include "input.h"
#include "keys.h"
#include "merge.h"
#include "wbota/staged.h"
#include "ui.h"
#include "upload.h"
#include "wsimg.h"
#include "wbota/bytes.h"
#include "wbota/loader_info.h"

#define WBTOOL_VERSION "0.1.0"

/* ---------- commands and their options ---------- */

/* Every option has one id; a command lists the ids that apply to it (prv_cmd_t.opts) and any
 * other option is refused, never silently ignored. Adding a command or an option is one row. */
enum {
    OPT_OUTPUT,
    OPT_QUIET,
    OPT_KEY,
    OPT_PUBKEY,
    OPT_LOADER,      /* --loader FILE (image inspect, layout, merge) */
    OPT_LOADER_FLAG, /* --loader (upload: the device is already in the loader) */
    OPT_APP,
    OPT_FORMAT,
    OPT_VERSION,
    OPT_SECCTR,
    OPT_SFSA,
    OPT_APPPAGE,
    OPT_BASE,
    OPT_STRICT,
    OPT_JSON,
    OPT_SYMBOL,
    OPT_EMU,
    OPT_ADDR, /* the device's Bluetooth address: --addr, also spelled --address */
    OPT_NAME,
    OPT_EXPECT,
    OPT_WIRELESS,
    OPT_FLASH_ADDR, /* flash address an upload writes to */
    OPT_ERASE,
    OPT_SCANMS,
    OPT_TIMEOUT,
    OPT_MTU,
    OPT_PUBOUT,
    OPT_FORCE,
    OPT_VERBOSE,
    OPT_COMMENT,
    OPT_START5,
    OPT_BLE,      /* the BlueZ transport */
    OPT_ADAPTER,  /* BlueZ adapter name (hci0) */
    OPT_DURATION, /* scan: how long to listen */
    OPT_NO_RESUME,
    OPT_COUNT
};
#define OPT_VAL(id) (256 + (id)) /* getopt value of an option id */
#define O(id)       (1ull << (id))
#define O_LAYOUT    (O(OPT_SFSA) | O(OPT_APPPAGE))
#define O_INPUT     (O(OPT_FORMAT) | O(OPT_BASE))

typedef struct {
    const char *out;
    const char *key;
    const char *pubkey;
    const char *loader;
    const char *app;
    const char *format;
    const char *version;
    const char *symbol;
    const char *emu;
    const char *addr;
    const char *name;
    const char *expect_name;
    const char *erase_pages;
    const char *pub_out;
    const char *comment;
    const char *adapter;
    uint32_t base;   /* given: O(OPT_BASE) in .given */
    uint32_t target; /* given: O(OPT_FLASH_ADDR) in .given */
    uint32_t sec_counter;
    uint32_t sfsa;
    uint32_t app_page;
    uint32_t scan_ms;
    uint32_t timeout_ms;
    uint32_t mtu;
    uint32_t duration_ms;
    bool strict, json, quiet, verbose, force, loader_mode, wireless, start5, ble, help;
    bool no_resume;
    uint64_t given; /* O(OPT_...) of the options on the command line */
    int npos;
    const char *pos[4];
} prv_opts_t;

typedef struct prv_cmd prv_cmd_t;
struct prv_cmd {
    const char *group;   /* "image", "key", or NULL for a top-level command */
    const char *name;    /* "create" */
    const char *cmd;     /* "image create": how messages name it */
    const char *summary; /* one line of `wbota --help` */
    const char *help;    /* `--help` text (reproduced in docs/wbota.md) */
    uint64_t opts;       /* O(OPT_...) of the options that apply */
    /* What it cannot run without, checked before anything else (after --help): exactly npos
     * arguments and every option of needs, else the usage error `usage` (a format that may
     * show the first argument too many, or "" when there is none). */
    int npos;
    uint64_t needs;
    const char *usage;
    int (*run)(const prv_cmd_t *c, prv_opts_t *o); /* after prv_parse */
};

/* How an option's value is stored in prv_opts_t (s_optvals). */
typedef enum {
    ARG_UNSET, /* a row left out of s_optvals: an internal error, never a silent no-op */
    ARG_FLAG,  /* no value: sets a bool */
    ARG_STR,   /* keeps the text */
    ARG_U32,   /* a number in min..max (strtoull base 0: 0x.. is hex) */
    ARG_LINE,  /* text for one comment line: no newline, no end of comment */
} prv_arg_t;

#define OFS(field) offsetof(prv_opts_t, field)

/* One row per option id: where its value goes and, for a number, its range and the usage error
 * when it is out of it (one %s: the value as given). */
static const struct {
    prv_arg_t kind;
    size_t field;
    uint32_t min, max;
    const char *bad;
} s_optvals[OPT_COUNT] = {
    [OPT_OUTPUT] = {.kind = ARG_STR, .field = OFS(out)},
    [OPT_QUIET] = {.kind = ARG_FLAG, .field = OFS(quiet)},
    [OPT_KEY] = {.kind = ARG_STR, .field = OFS(key)},
    [OPT_PUBKEY] = {.kind = ARG_STR, .field = OFS(pubkey)},
    [OPT_LOADER] = {.kind = ARG_STR, .field = OFS(loader)},
    [OPT_LOADER_FLAG] = {.kind = ARG_FLAG, .field = OFS(loader_mode)},
    [OPT_APP] = {.kind = ARG_STR, .field = OFS(app)},
    [OPT_FORMAT] = {.kind = ARG_STR, .field = OFS(format)},
    [OPT_VERSION] = {.kind = ARG_STR, .field = OFS(version)},
    [OPT_SECCTR] = {ARG_U32, OFS(sec_counter), 0u, 0xFFFFFFFFu, "bad --security-counter '%s'"},
    [OPT_SFSA] = {ARG_U32, OFS(sfsa), 0u, 256u, "bad --sfsa '%s' (page number 0x08..0x100)"},
    [OPT_APPPAGE] = {ARG_U32, OFS(app_page), 0u, 255u, "bad --app-page '%s'"},
    [OPT_BASE] = {ARG_U32, OFS(base), 0u, 0xFFFFFFFFu, "bad --base '%s'"},
    [OPT_STRICT] = {.kind = ARG_FLAG, .field = OFS(strict)},
    [OPT_JSON] = {.kind = ARG_FLAG, .field = OFS(json)},
    [OPT_SYMBOL] = {.kind = ARG_STR, .field = OFS(symbol)},
    [OPT_EMU] = {.kind = ARG_STR, .field = OFS(emu)},
    [OPT_ADDR] = {.kind = ARG_STR, .field = OFS(addr)},
    [OPT_NAME] = {.kind = ARG_STR, .field = OFS(name)},
    [OPT_EXPECT] = {.kind = ARG_STR, .field = OFS(expect_name)},
    [OPT_WIRELESS] = {.kind = ARG_FLAG, .field = OFS(wireless)},
    [OPT_FLASH_ADDR] = {ARG_U32, OFS(target), 0u, 0xFFFFFFFFu, "bad --flash-addr '%s'"},
    [OPT_ERASE] = {.kind = ARG_STR, .field = OFS(erase_pages)},
    [OPT_SCANMS] = {ARG_U32, OFS(scan_ms), 1u, 600000u, "bad --scan-ms '%s' (1..600000)"},
    [OPT_TIMEOUT] = {ARG_U32, OFS(timeout_ms), 1u, 600000u, "bad --timeout-ms '%s' (1..600000)"},
    [OPT_MTU] = {ARG_U32, OFS(mtu), 23u, 517u, "bad --mtu '%s' (23..517)"},
    [OPT_PUBOUT] = {.kind = ARG_STR, .field = OFS(pub_out)},
    [OPT_FORCE] = {.kind = ARG_FLAG, .field = OFS(force)},
    [OPT_VERBOSE] = {.kind = ARG_FLAG, .field = OFS(verbose)},
    [OPT_COMMENT] = {ARG_LINE, OFS(comment), 0u, 0u, "--comment must be one line without '*/'%s"},
    [OPT_START5] = {.kind = ARG_FLAG, .field = OFS(start5)},
    [OPT_BLE] = {.kind = ARG_FLAG, .field = OFS(ble)},
    [OPT_ADAPTER] = {.kind = ARG_STR, .field = OFS(adapter)},
    [OPT_DURATION] = {ARG_U32, OFS(duration_ms), 1u, 600000u, "bad --duration-ms '%s' (1..600000)"},
    [OPT_NO_RESUME] = {.kind = ARG_FLAG, .field = OFS(no_resume)},
};

/* The long option names, in the order getopt_long sees them; an option may have two names. */
static const struct {
    const char *name;
    int id;
} s_optdefs[] = {
    {"output", OPT_OUTPUT},
    {"quiet", OPT_QUIET},
    {"key", OPT_KEY},
    {"pubkey", OPT_PUBKEY},
    {"loader", OPT_LOADER}, /* OPT_LOADER_FLAG for commands that take that */
    {"app", OPT_APP},
    {"format", OPT_FORMAT},
    {"version", OPT_VERSION},
    {"security-counter", OPT_SECCTR},
    {"sfsa", OPT_SFSA},
    {"app-page", OPT_APPPAGE},
    {"base", OPT_BASE},
    {"strict", OPT_STRICT},
    {"json", OPT_JSON},
    {"symbol", OPT_SYMBOL},
    {"emu", OPT_EMU},
    {"addr", OPT_ADDR},
    {"address", OPT_ADDR},
    {"name", OPT_NAME},
    {"expect-name", OPT_EXPECT},
    {"wireless", OPT_WIRELESS},
    {"flash-addr", OPT_FLASH_ADDR},
    {"erase-pages", OPT_ERASE},
    {"scan-ms", OPT_SCANMS},
    {"timeout-ms", OPT_TIMEOUT},
    {"mtu", OPT_MTU},
    {"pub", OPT_PUBOUT},
    {"force", OPT_FORCE},
    {"verbose", OPT_VERBOSE},
    {"comment", OPT_COMMENT},
    {"five-byte-start", OPT_START5},
    {"ble", OPT_BLE},
    {"adapter", OPT_ADAPTER},
    {"duration-ms", OPT_DURATION},
    {"no-resume", OPT_NO_RESUME},
};
#define OPTDEF_COUNT (sizeof(s_optdefs) / sizeof(s_optdefs[0]))

static bool prv_u32(const char *s, uint32_t max, uint32_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-') {
        return false;
    }
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end != '\0' || v > max) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static int prv_usage_err(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "wbota %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run `wbota %s --help`)\n", cmd);
    return WBTOOL_EXIT_USAGE;
}

/* Stores one option's value in o as its s_optvals row says; -1 to carry on, or an exit code. */
static int prv_set_opt(const char *cmd, int id, const char *a, prv_opts_t *o)
{
    void *field = (char *)o + s_optvals[id].field;
    const char *bad = s_optvals[id].bad;
    o->given |= O(id);
    switch (s_optvals[id].kind) {
    case ARG_FLAG:
        *(bool *)field = true;
        break;
    case ARG_U32:
        if (!prv_u32(a, s_optvals[id].max, field) || *(uint32_t *)field < s_optvals[id].min) {
            return prv_usage_err(cmd, bad, a);
        }
        break;
    case ARG_LINE:
        if (strstr(a, "*/") != NULL || strchr(a, '\n') != NULL) {
            return prv_usage_err(cmd, bad, "");
        }
        *(const char **)field = a;
        break;
    case ARG_STR:
        *(const char **)field = a;
        break;
    default:
        return WBTOOL_EXIT_INTERNAL;
    }
    return -1;
}

/* Parses argv (argv[0] = the command word) into o and answers --help with the command's help
 * text; returns -1 to carry on, or the exit code (0 after --help). An option that exists but
 * does not apply to c is a usage error. */
static int prv_parse(const prv_cmd_t *c, int argc, char **argv, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    memset(o, 0, sizeof(*o));
    o->sfsa = WBOTA_CFG_DEFAULT_SFSA;
    o->app_page = WBOTA_CFG_APP_START_PAGE;
    o->scan_ms = 10000u;
    o->timeout_ms = 10000u;
    o->mtu = 251u;
    o->duration_ms = 5000u;
    struct option opts[OPTDEF_COUNT + 2u];
    for (size_t i = 0u; i < OPTDEF_COUNT; i++) {
        int id = s_optdefs[i].id;
        if (id == OPT_LOADER && (c->opts & O(OPT_LOADER_FLAG)) != 0u) {
            id = OPT_LOADER_FLAG; /* `upload --loader` is a flag, elsewhere it names a file */
        }
        int has_arg = s_optvals[id].kind == ARG_FLAG ? no_argument : required_argument;
        opts[i] = (struct option){s_optdefs[i].name, has_arg, NULL, OPT_VAL(id)};
    }
    opts[OPTDEF_COUNT] = (struct option){"help", no_argument, NULL, 'h'};
    opts[OPTDEF_COUNT + 1u] = (struct option){NULL, 0, NULL, 0};
    optind = 0; /* 0: full re-initialisation of GNU getopt between subcommands */
    opterr = 0;
    int ch;
    int li = -1;
    while ((ch = getopt_long(argc, argv, ":o:hq", opts, &li)) != -1) {
        const char *shown = li >= 0 ? opts[li].name : NULL;
        li = -1;
        if (ch == 'h') {
            o->help = true;
            continue;
        }
        if (ch == ':') {
            return prv_usage_err(cmd, "option %s needs a value", argv[optind - 1]);
        }
        if (ch == 'o' || ch == 'q') {
            shown = ch == 'o' ? "o" : "q";
            ch = OPT_VAL(ch == 'o' ? OPT_OUTPUT : OPT_QUIET);
        }
        int id = ch - OPT_VAL(0);
        if (id < 0 || id >= OPT_COUNT) {
            return prv_usage_err(cmd, "unknown option %s", argv[optind - 1]);
        }
        if ((c->opts & O(id)) == 0u) {
            char name[40];
            (void)snprintf(name, sizeof(name), "%s%s", strlen(shown) == 1u ? "-" : "--", shown);
            return prv_usage_err(cmd, "option %s does not apply to this command", name);
        }
        int rc = prv_set_opt(cmd, id, optarg, o);
        if (rc >= 0) {
            return rc;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->npos >= 4) {
            return prv_usage_err(cmd, "too many arguments (%s)", argv[i]);
        }
        o->pos[o->npos++] = argv[i];
    }
    if (o->help) {
        fputs(c->help, stdout);
        return 0;
    }
    return -1;
}

/* The findings to f; --quiet keeps only those that fail (errors, warnings with --strict). */
static void prv_print_findings(FILE *f, const wbtool_report_t *rep, const prv_opts_t *o)
{
    wbtool_report_t shown = *rep;
    if (o->quiet) {
        shown.n = 0u;
        for (size_t i = 0u; i < rep->n; i++) {
            if (rep->f[i].sev == WBTOOL_SEV_ERROR ||
                (o->strict && rep->f[i].sev == WBTOOL_SEV_WARN)) {
                shown.f[shown.n++] = rep->f[i];
            }
        }
    }
    wbtool_report_print(f, &shown, o->strict);
}

static wbtool_fmt_t prv_fmt(const char *s, bool *ok)
{
    *ok = true;
    if (s == NULL || strcmp(s, "auto") == 0) {
        return WBTOOL_FMT_AUTO;
    }
    if (strcmp(s, "elf") == 0) {
        return WBTOOL_FMT_ELF;
    }
    if (strcmp(s, "hex") == 0 || strcmp(s, "ihex") == 0) {
        return WBTOOL_FMT_HEX;
    }
    if (strcmp(s, "bin") == 0) {
        return WBTOOL_FMT_BIN;
    }
    *ok = false;
    return WBTOOL_FMT_AUTO;
}

static int prv_layout(const char *cmd, const prv_opts_t *o, wbota_layout_t *lay)
{
    *lay = wbota_layout_default(o->sfsa);
    lay->app_start_page = o->app_page;
    if (wbota_layout_check(lay) != WBOTA_OK) {
        fprintf(stderr,
                "wbota %s: layout app page %u / SFSA 0x%02X is not usable (need 1 <= app page "
                "< SFSA <= 256)\n",
                cmd, (unsigned)o->app_page, (unsigned)o->sfsa);
        return WBTOOL_EXIT_USAGE;
    }
    return -1;
}

static int prv_exit_for_load(wbota_err_t err)
{
    return (err == WBOTA_E_IO) ? WBTOOL_EXIT_IO : WBTOOL_EXIT_INPUT;
}

static int prv_load(const char *cmd, const char *path, const prv_opts_t *o, uint32_t def_base,
                    wbtool_input_t *in)
{
    bool ok;
    wbtool_fmt_t fmt = prv_fmt(o->format, &ok);
    if (!ok) {
        return prv_usage_err(cmd, "unknown --format '%s' (elf, hex, bin)", o->format);
    }
    wbota_err_t err =
        wbtool_input_load(path, fmt, (o->given & O(OPT_BASE)) != 0u ? o->base : def_base, in);
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota %s: %s: %s\n", cmd, path, in->msg);
        wbtool_input_free(in);
        return prv_exit_for_load(err);
    }
    return -1;
}

/* The information block of the loader image o->loader (read from 0x08000000 up to end, with
 * o's --format and --base): *has_li says whether it holds one; -1 to carry on, or the exit code
 * of a load error. */
static int prv_load_loader_info(const char *cmd, const prv_opts_t *o, uint32_t end,
                                wbota_loader_info_t *li, bool *has_li)
{
    wbtool_input_t lin;
    int rc = prv_load(cmd, o->loader, o, WBOTA_FLASH_BASE, &lin);
    if (rc >= 0) {
        return rc;
    }
    wbtool_flat_t lf = {.base = WBOTA_FLASH_BASE, .len = end - WBOTA_FLASH_BASE};
    lf.data = wbtool_memimg_flatten(&lin.mem, lf.base, lf.base + lf.len);
    *has_li = wbtool_loader_info_from(&lf, li);
    free(lf.data);
    wbtool_input_free(&lin);
    return -1;
}

static int prv_load_key(const char *cmd, const char *path, wbtool_key_t *k, bool need_priv)
{
    char msg[200] = "";
    wbota_err_t err = wbtool_key_load(path, k, msg, sizeof(msg));
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota %s: %s: %s\n", cmd, path, msg);
        return err == WBOTA_E_IO ? WBTOOL_EXIT_IO : WBTOOL_EXIT_KEY;
    }
    if (need_priv && !k->has_priv) {
        fprintf(stderr, "wbota %s: %s is a public key; signing needs the private key\n", cmd, path);
        return WBTOOL_EXIT_KEY;
    }
    return -1;
}

/* The key that checks signatures: --pubkey, else --key (its public half), else NULL. */
static const char *prv_check_key_path(const prv_opts_t *o)
{
    return o->pubkey != NULL ? o->pubkey : o->key;
}

/* Loads prv_check_key_path(o) into key and points *pk at it (NULL when no key is given); -1 to
 * carry on, or the exit code of a key that does not load. */
static int prv_load_check_key(const char *cmd, const prv_opts_t *o, wbtool_key_t *key,
                              const wbtool_key_t **pk)
{
    const char *path = prv_check_key_path(o);
    *pk = NULL;
    if (path == NULL) {
        return -1;
    }
    int rc = prv_load_key(cmd, path, key, false);
    if (rc < 0) {
        *pk = key;
    }
    return rc;
}

static bool prv_is_hex_path(const char *p)
{
    size_t n = strlen(p);
    return n >= 4u && (strcmp(p + n - 4u, ".hex") == 0 || strcmp(p + n - 4u, ".ihx") == 0);
}

static wbota_err_t prv_write_image(const char *path, const wbtool_flat_t *img, bool has_start,
                                   uint32_t start, bool sparse)
{
    if (prv_is_hex_path(path)) {
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            return WBOTA_E_IO;
        }
        wbota_err_t err =
            sparse ? wbtool_hex_write_sparse(f, img->base, img->data, img->len, has_start, start)
                   : wbtool_hex_write(f, img->base, img->data, img->len, has_start, start);
        if (fclose(f) != 0) {
            err = WBOTA_E_IO;
        }
        return err;
    }
    return wbtool_write_file(path, img->data, img->len);
}

static void prv_version_str(char *out, size_t cap, const wbota_version_t *v)
{
    (void)snprintf(out, cap, "%u.%u.%u+%u", v->major, v->minor, v->patch, (unsigned)v->build);
}

/* ---------- image create ---------- */

static const char s_help_create[] =
    "usage: wbota image create INPUT -o OUTPUT [options]\n"
    "\n"
    "Builds an OTA image from an ELF, Intel HEX or raw binary: runs the checks, adds the\n"
    "wbota manifest (version, security counter, SHA-256) before the magic, optionally signs\n"
    "it (ECDSA P-256) and writes OUTPUT (.hex -> Intel HEX, anything else -> binary).\n"
    "\n"
    "  -o, --output FILE         output image (.bin or .hex)\n"
    "  --format elf|hex|bin      input format (default: detected)\n"
    "  --base ADDR               load address of a raw binary (default: app start)\n"
    "  --key PEM                 sign with this private key (wbota keygen / openssl ecparam)\n"
    "  --version X.Y.Z[+B]       image version (default 0.0.0+0)\n"
    "  --security-counter N      anti-rollback counter (default 0)\n"
    "  --wireless                INPUT is ST's wireless-stack (CPU2) binary: append a wbota\n"
    "                            manifest of kind wireless behind it (replacing an earlier\n"
    "                            one); with --key a loader with the signed policy starts FUS\n"
    "                            for it (docs/image-format.md#wireless)\n"
    "  --sfsa N                  first CPU2 secure page (default 0xCB)\n"
    "  --app-page N              first application page (default 7)\n"
    "  --strict                  treat warnings as errors\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               print errors only\n"
    "\n"
    "exit: 0 ok, 1 check failed, 2 usage, 3 file I/O, 4 malformed input, 5 key\n";

/* `image create --wireless`: ST's stack binary + a manifest of kind wireless (wsimg.h). */
static int prv_create_wireless(const char *cmd, const prv_opts_t *o, const wbota_version_t *ver,
                               const wbtool_key_t *key)
{
    uint8_t *in = NULL;
    size_t len = 0u;
    if (wbtool_read_file(o->pos[0], &in, &len) != WBOTA_OK) {
        fprintf(stderr, "wbota %s: cannot read %s\n", cmd, o->pos[0]);
        return WBTOOL_EXIT_IO;
    }
    wbtool_ws_created_t cr;
    wbota_err_t err = wbtool_ws_create(in, len, ver, o->sec_counter, key, &cr);
    free(in);
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota %s: %s: no stack image written: %s (%s)\n", cmd, o->pos[0],
                wbota_err_name(err), wbota_err_text(err));
        return err == WBOTA_E_SIZE ? WBTOOL_EXIT_CHECK : WBTOOL_EXIT_INTERNAL;
    }
    int rc = WBTOOL_EXIT_OK;
    if (wbtool_write_file(o->out, cr.data, cr.len) != WBOTA_OK) {
        fprintf(stderr, "wbota %s: cannot write %s\n", cmd, o->out);
        rc = WBTOOL_EXIT_IO;
    } else if (o->json) {
        printf("{\"ok\":true,\"exit\":0,\"kind\":\"wireless\",\"output\":");
        wbtool_json_str(stdout, o->out);
        printf(",\"size\":%u,\"stack_len\":%u,\"manifest_len\":%u,\"replaced\":%s,"
               "\"signed\":%s,\"key_id\":%u,\"sha256\":",
               (unsigned)cr.len, (unsigned)cr.stack_len, (unsigned)cr.manifest_len,
               cr.replaced ? "true" : "false", cr.signed_ ? "true" : "false", (unsigned)cr.key_id);
        wbtool_json_hex(stdout, cr.sha256, sizeof cr.sha256);
        printf("}\n");
    } else if (!o->quiet) {
        printf("wbota: wrote %s: wireless-stack image, %u bytes of ST's binary + manifest (%u "
               "bytes, %s) = %u bytes, %s",
               o->out, (unsigned)cr.stack_len, (unsigned)cr.manifest_len,
               cr.replaced ? "replaced" : "appended", (unsigned)cr.len,
               cr.signed_ ? "signed" : "unsigned (a signed-policy loader refuses it)");
        if (cr.signed_) {
            printf(" (key id 0x%08X)", (unsigned)cr.key_id);
        }
        printf("\n");
    }
    free(cr.data);
    return rc;
}

static int cmd_image_create(const prv_cmd_t *c, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    wbtool_create_cfg_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    if ((rc = prv_layout(cmd, o, &cfg.lay)) >= 0) {
        return rc;
    }
    if (o->version != NULL && !wbtool_parse_version(o->version, &cfg.version)) {
        return prv_usage_err(cmd, "bad --version '%s' (MAJOR.MINOR.PATCH[+BUILD])", o->version);
    }
    cfg.sec_counter = o->sec_counter;
    wbtool_key_t key;
    if (o->key != NULL) {
        if ((rc = prv_load_key(cmd, o->key, &key, true)) >= 0) {
            return rc;
        }
        cfg.key = &key;
    }
    if (o->wireless) {
        return prv_create_wireless(cmd, o, &cfg.version, cfg.key);
    }
    wbtool_input_t in;
    if ((rc = prv_load(cmd, o->pos[0], o, wbota_app_start(&cfg.lay), &in)) >= 0) {
        return rc;
    }
    wbtool_report_t rep;
    wbtool_report_init(&rep);
    wbtool_created_t cr;
    wbota_err_t err = WBOTA_OK;
    bool fails = false;
    /* strict: warnings are errors, decided before anything is written */
    err = wbtool_image_create(&in, &cfg, &rep, &cr);
    fails = wbtool_report_fails(&rep, o->strict) || err != WBOTA_OK;
    int exit_code = WBTOOL_EXIT_OK;
    if (err != WBOTA_OK && err != WBOTA_E_ARG && !wbtool_report_fails(&rep, false)) {
        fprintf(stderr, "wbota %s: internal: the core rejected the image it built: %s (%s)\n", cmd,
                wbota_err_name(err), wbota_err_text(err));
        exit_code = WBTOOL_EXIT_INTERNAL;
    } else if (fails) {
        exit_code = WBTOOL_EXIT_CHECK;
    } else if (prv_write_image(o->out, &cr.img, in.has_entry, in.entry, false) != WBOTA_OK) {
        fprintf(stderr, "wbota %s: cannot write %s\n", cmd, o->out);
        exit_code = WBTOOL_EXIT_IO;
    }
    char vs[40];
    prv_version_str(vs, sizeof(vs), &cfg.version);
    if (o->json) {
        printf("{\"ok\":%s,\"exit\":%d,\"input\":", exit_code == 0 ? "true" : "false", exit_code);
        wbtool_json_str(stdout, o->pos[0]);
        printf(",\"format\":\"%s\",\"findings\":", wbtool_fmt_name(in.fmt));
        wbtool_report_json(stdout, &rep, o->strict);
        if (exit_code == 0) {
            printf(",\"output\":");
            wbtool_json_str(stdout, o->out);
            printf(",\"start\":%u,\"size\":%u,\"manifest_addr\":%u,\"manifest_len\":%u,"
                   "\"magic_addr\":%u,\"placement\":\"%s\",\"version\":\"%s\","
                   "\"security_counter\":%u,\"signed\":%s,\"key_id\":%u,\"sha256\":",
                   (unsigned)cr.img.base, (unsigned)cr.img.len, (unsigned)cr.manifest_addr,
                   (unsigned)cr.manifest_len, (unsigned)cr.magic_addr,
                   cr.appended ? "appended" : "in-place", vs, (unsigned)cfg.sec_counter,
                   cr.signed_ ? "true" : "false", (unsigned)cr.key_id);
            wbtool_json_hex(stdout, cr.sha256, sizeof(cr.sha256));
        }
        printf("}\n");
    } else {
        prv_print_findings(stderr, &rep, o);
        if (exit_code == 0 && !o->quiet) {
            printf("wbota: wrote %s: 0x%08X-0x%08X (%u bytes), manifest at 0x%08X (%u bytes, "
                   "%s), magic at 0x%08X, version %s, counter %u, %s",
                   o->out, (unsigned)cr.img.base, (unsigned)(cr.img.base + cr.img.len - 1u),
                   (unsigned)cr.img.len, (unsigned)cr.manifest_addr, (unsigned)cr.manifest_len,
                   cr.appended ? "appended" : "in place", (unsigned)cr.magic_addr, vs,
                   (unsigned)cfg.sec_counter, cr.signed_ ? "signed" : "unsigned");
            if (cr.signed_) {
                printf(" (key id 0x%08X)", (unsigned)cr.key_id);
            }
            printf("\n");
        } else if (exit_code == WBTOOL_EXIT_CHECK) {
            /* under --strict a warning is printed as an error and counted as one */
            size_t errs = rep.errors + (o->strict ? rep.warnings : 0u);
            size_t warns = o->strict ? 0u : rep.warnings;
            fprintf(stderr, "wbota: %zu error(s), %zu warning(s)%s: no image written\n", errs,
                    warns,
                    o->strict && rep.warnings > 0u ? " (--strict: warnings are errors)" : "");
        }
    }
    free(cr.img.data); /* NULL unless an image was built */
    wbtool_input_free(&in);
    return exit_code;
}

/* ---------- image verify / inspect ---------- */

static const char s_help_verify[] =
    "usage: wbota image verify IMAGE [options]\n"
    "\n"
    "Runs the image checks and the core verification (ST tags, vector table, manifest,\n"
    "SHA-256; with a key: signature, as a loader with the signed policy would).\n"
    "\n"
    "  --pubkey PEM              require a valid signature by this public key\n"
    "  --key PEM                 same, taking the public half of a private key\n"
    "  --format elf|hex|bin      input format (default: detected)\n"
    "  --base ADDR               load address of a raw binary (default: app start)\n"
    "  --sfsa N                  first CPU2 secure page (default 0xCB)\n"
    "  --app-page N              first application page (default 7)\n"
    "  --strict                  treat warnings as errors\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               print errors only\n"
    "\n"
    "exit: 0 valid, 1 invalid, 2 usage, 3 file I/O, 4 malformed input, 5 key\n";

static const char s_help_inspect[] =
    "usage: wbota image inspect IMAGE [options]\n"
    "\n"
    "Shows the layout, ST tags, vector table, manifest, hash and signature status of an\n"
    "image; for a merged production image (or with --loader) also the loader info block.\n"
    "\n"
    "  --pubkey PEM | --key PEM  check the signature with this key\n"
    "  --loader FILE             loader image whose information block to show\n"
    "  --format elf|hex|bin      input format (default: detected)\n"
    "  --base ADDR               load address of a raw binary (default: app start, or\n"
    "                            0x08000000 when it starts with a wbota loader)\n"
    "  --sfsa N                  first CPU2 secure page (default 0xCB)\n"
    "  --app-page N              first application page (default 7)\n"
    "  --json                    machine-readable result on stdout\n"
    "\n"
    "exit: 0 valid, 1 invalid, 2 usage, 3 file I/O, 4 malformed input, 5 key\n";

static const char *prv_rfwkp_name(uint8_t m)
{
    switch (m) {
    case WBOTA_RFWKP_LSE:
        return "LSE";
    case WBOTA_RFWKP_HSE1024:
        return "HSE/1024";
    case WBOTA_RFWKP_ADAPTIVE:
        return "adaptive";
    default:
        return "unknown";
    }
}

static void prv_print_loader_info(const wbota_loader_info_t *li, bool json)
{
    if (json) {
        printf("{\"version\":\"%u.%u.%u\",\"build_id\":%u,\"policy\":\"%s\",\"rfwkp\":\"%s\","
               "\"app_start_page\":%u,\"loader_size\":%u,\"key_id\":%u}",
               li->ver_major, li->ver_minor, li->ver_patch, (unsigned)li->build_id,
               li->policy == WBOTA_POLICY_SIGNED ? "signed" : "st", prv_rfwkp_name(li->rfwkp_mode),
               li->app_start_page, (unsigned)li->loader_size, (unsigned)li->key_id);
        return;
    }
    printf("loader:     wbota loader %u.%u.%u (build 0x%08X), %u bytes, policy %s, RF wake-up "
           "%s, app at page %u, key id 0x%08X\n",
           li->ver_major, li->ver_minor, li->ver_patch, (unsigned)li->build_id,
           (unsigned)li->loader_size, li->policy == WBOTA_POLICY_SIGNED ? "signed" : "st",
           prv_rfwkp_name(li->rfwkp_mode), li->app_start_page, (unsigned)li->key_id);
}

static int prv_verify_common(const prv_cmd_t *c, bool inspect, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    wbota_layout_t lay;
    if ((rc = prv_layout(cmd, o, &lay)) >= 0) {
        return rc;
    }
    wbtool_key_t key;
    const wbtool_key_t *pk;
    const char *kp = prv_check_key_path(o);
    if ((rc = prv_load_check_key(cmd, o, &key, &pk)) >= 0) {
        return rc;
    }
    wbtool_input_t in;
    if ((rc = prv_load(cmd, o->pos[0], o, wbota_app_start(&lay), &in)) >= 0) {
        return rc;
    }
    /* a merged production image: judge its app part, show its loader's information block */
    if ((o->given & O(OPT_BASE)) == 0u) {
        (void)wbtool_merged_rebase_bin(&in);
    }
    wbtool_merged_t mg;
    if (wbtool_merged_split(&in, &lay, &mg) != WBOTA_OK) {
        wbtool_input_free(&in);
        return WBTOOL_EXIT_INTERNAL;
    }
    bool merged = mg.merged;
    bool has_li = mg.has_li;
    wbota_loader_info_t li = mg.li;
    const wbtool_input_t *judge = merged ? &mg.app : &in;
    if (o->loader != NULL) {
        prv_opts_t lo = *o;
        lo.format = NULL;
        lo.given &= ~O(OPT_BASE);
        rc = prv_load_loader_info(cmd, &lo, wbota_app_start(&lay), &li, &has_li);
        if (rc >= 0) {
            wbtool_input_free(&in);
            return rc;
        }
    }
    wbtool_report_t rep;
    wbtool_report_init(&rep);
    wbota_err_t core_err = WBOTA_OK;
    wbota_image_info_t info;
    wbtool_image_verify(judge, &lay, pk, &rep, &core_err, &info);
    bool fails = wbtool_report_fails(&rep, o->strict) || core_err != WBOTA_OK;
    int exit_code = fails ? WBTOOL_EXIT_CHECK : WBTOOL_EXIT_OK;

    /* details for inspect */
    wbtool_flat_t fl;
    wbtool_tags_t tags;
    wbtool_report_t scratch;
    wbtool_report_init(&scratch);
    wbtool_check_input(judge, &lay, WBTOOL_MODE_VERIFY, &scratch, &fl, &tags);
    uint8_t sha[WBOTA_SHA256_LEN];
    bool have_sha = false;
    if (fl.data != NULL && info.has_manifest && info.manifest.image_size <= fl.len) {
        wbota_sha256(fl.data, info.manifest.image_size, sha);
        have_sha = true;
    }
    const char *sig_status = "none";
    char sig_by[300] = "valid";
    if (pk != NULL) {
        (void)snprintf(sig_by, sizeof(sig_by), "valid, by key id 0x%08X (%s)",
                       (unsigned)wbota_key_id(pk->pub), kp);
    }
    if (info.has_manifest && info.manifest.has_signature) {
        if (info.sig_checked) {
            sig_status = info.sig_ok ? sig_by : "INVALID";
        } else if (pk != NULL) {
            sig_status = "INVALID (not signed by the given key)";
        } else {
            sig_status = "present, not checked (pass --pubkey)";
        }
    }
    if (pk != NULL && core_err == WBOTA_E_KEY_ID) {
        sig_status = "INVALID (signed by another key)";
    } else if (pk != NULL && core_err == WBOTA_E_SIG) {
        sig_status = "INVALID";
    }
    char vs[40] = "-";
    if (info.has_manifest && info.manifest.has_version) {
        prv_version_str(vs, sizeof(vs), &info.manifest.version);
    }

    if (o->json) {
        printf("{\"ok\":%s,\"exit\":%d,\"verdict\":\"%s\",\"input\":",
               exit_code == 0 ? "true" : "false", exit_code,
               core_err == WBOTA_OK ? "OK" : wbota_err_name(core_err));
        wbtool_json_str(stdout, o->pos[0]);
        printf(",\"format\":\"%s\",\"findings\":", wbtool_fmt_name(in.fmt));
        wbtool_report_json(stdout, &rep, o->strict);
        if (inspect && fl.data != NULL) {
            printf(",\"start\":%u,\"size\":%u,\"tag_ptr\":%u,\"magic\":%s,\"magic_last\":%s,"
                   "\"initial_sp\":%u,\"reset\":%u",
                   (unsigned)fl.base, (unsigned)fl.len, (unsigned)tags.tag_ptr,
                   tags.magic_ok ? "true" : "false", tags.magic_last ? "true" : "false",
                   (unsigned)tags.sp, (unsigned)tags.reset);
        }
        printf(",\"manifest\":");
        if (info.has_manifest) {
            printf("{\"addr\":%u,\"len\":%u,\"version\":\"%s\",\"security_counter\":%u,"
                   "\"image_size\":%u,\"key_id\":%u,\"hash\":\"%s\",\"signature\":",
                   (unsigned)(info.magic_addr - info.manifest.manifest_len),
                   (unsigned)info.manifest.manifest_len, vs, (unsigned)info.manifest.sec_counter,
                   (unsigned)info.manifest.image_size, (unsigned)info.manifest.key_id,
                   info.hash_checked ? (info.hash_ok ? "ok" : "mismatch") : "unchecked");
            wbtool_json_str(stdout, sig_status);
            if (have_sha) {
                printf(",\"sha256\":");
                wbtool_json_hex(stdout, sha, sizeof(sha));
            }
            printf("}");
        } else {
            printf("null");
        }
        if (has_li) {
            printf(",\"loader\":");
            prv_print_loader_info(&li, true);
        }
        printf("}\n");
    } else {
        if (inspect && fl.data != NULL) {
            uint32_t end = fl.base + fl.len;
            printf("file:       %s (%s%s)\n", o->pos[0], wbtool_fmt_name(in.fmt),
                   merged ? ", merged loader + app" : "");
            printf("layout:     0x%08X-0x%08X, %u bytes, pages %u..%u; app region 0x%08X-0x%08X "
                   "(SFSA 0x%02X), %u bytes free\n",
                   (unsigned)fl.base, (unsigned)(end - 1u), (unsigned)fl.len,
                   (unsigned)wbota_addr_page(fl.base), (unsigned)wbota_addr_page(end - 1u),
                   (unsigned)wbota_app_start(&lay), (unsigned)(wbota_app_end(&lay) - 1u),
                   (unsigned)lay.sfsa,
                   end <= wbota_app_end(&lay) ? (unsigned)(wbota_app_end(&lay) - end) : 0u);
            printf("tags:       +0x140 = 0x%08X -> %s%s\n", (unsigned)tags.tag_ptr,
                   tags.magic_ok ? "magic 0x94448A29" : "no magic",
                   tags.magic_ok ? (tags.magic_last ? " (last word)" : " (NOT last)") : "");
            if (tags.vt_ok) {
                static const char *const names[] = {
                    "SP", "Reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault"};
                printf("vectors:   ");
                for (uint32_t i = 0u; i < 7u && i * 4u + 4u <= fl.len; i++) {
                    printf(" %s 0x%08X", names[i], (unsigned)wbota_get_le32(fl.data + i * 4u));
                }
                printf("\n");
            }
        }
        if (inspect) {
            if (info.has_manifest) {
                printf("manifest:   at 0x%08X, %u bytes: version %s, counter %u, hashed %u "
                       "bytes, key id 0x%08X\n",
                       (unsigned)(info.magic_addr - info.manifest.manifest_len),
                       (unsigned)info.manifest.manifest_len, vs,
                       (unsigned)info.manifest.sec_counter, (unsigned)info.manifest.image_size,
                       (unsigned)info.manifest.key_id);
                printf("hash:       %s",
                       info.hash_checked ? (info.hash_ok ? "ok" : "MISMATCH") : "unchecked");
                if (have_sha) {
                    printf(" (sha256 ");
                    for (size_t i = 0u; i < sizeof(sha); i++) {
                        printf("%02x", sha[i]);
                    }
                    printf(")");
                }
                printf("\nsignature:  %s\n", sig_status);
            } else {
                printf("manifest:   none (plain ST image)\n");
            }
            if (has_li) {
                prv_print_loader_info(&li, false);
            } else if (merged || o->loader != NULL) {
                printf("loader:     no wbota loader information block at 0x%08X\n",
                       (unsigned)WBOTA_LOADER_INFO_ADDR);
            }
        }
        prv_print_findings(inspect ? stdout : stderr, &rep, o);
        if (!inspect && pk != NULL && info.sig_checked && info.sig_ok && !o->quiet) {
            printf("signature:  valid, by key id 0x%08X (%s)\n", (unsigned)wbota_key_id(pk->pub),
                   kp);
        }
        if (!o->quiet || exit_code != 0) {
            printf("verdict:    %s%s%s\n", exit_code == 0 ? "OK" : "INVALID",
                   core_err != WBOTA_OK ? " - " : "",
                   core_err != WBOTA_OK ? wbota_err_name(core_err) : "");
        }
    }
    free(fl.data);
    if (merged) {
        wbtool_input_free(&mg.app);
    }
    wbtool_input_free(&in);
    return exit_code;
}

/* ---------- keys ---------- */

static const char s_help_keygen[] =
    "usage: wbota keygen -o PRIVATE.pem [--pub PUBLIC.pem] [--force]\n"
    "\n"
    "Generates an ECDSA P-256 key pair. The private key (SEC1 PEM, as `openssl ecparam\n"
    "-name prime256v1 -genkey` writes it) signs images; keep it secret.\n"
    "\n"
    "  -o, --output FILE         private key file (created with mode 0600)\n"
    "  --pub FILE                also write the public key (PEM)\n"
    "  --force                   overwrite existing files\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               print errors only\n"
    "\n"
    "exit: 0 ok, 2 usage, 3 file I/O\n";

static int prv_write_text(const char *path, const char *text, bool force, mode_t mode)
{
    /* created with its final mode (a private key is never readable by others, not even
     * briefly); O_EXCL refuses to overwrite unless --force */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | (force ? 0 : O_EXCL), mode);
    if (fd < 0) {
        fprintf(stderr, "wbota: cannot write %s: %s%s\n", path, strerror(errno),
                errno == EEXIST ? " (use --force to overwrite)" : "");
        return WBTOOL_EXIT_IO;
    }
    (void)fchmod(fd, mode);
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        fprintf(stderr, "wbota: cannot write %s\n", path);
        return WBTOOL_EXIT_IO;
    }
    int ok = fputs(text, f) >= 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "wbota: cannot write %s\n", path);
        return WBTOOL_EXIT_IO;
    }
    return -1;
}

static int cmd_keygen(const prv_cmd_t *c, prv_opts_t *o)
{
    int rc;
    wbtool_key_t k;
    if (wbtool_key_generate(&k) != WBOTA_OK) {
        fprintf(stderr, "wbota %s: no entropy / key generation failed\n", c->cmd);
        return WBTOOL_EXIT_INTERNAL;
    }
    char pem[1024];
    if (wbtool_key_private_pem(&k, pem, sizeof(pem)) != WBOTA_OK) {
        return WBTOOL_EXIT_INTERNAL;
    }
    if ((rc = prv_write_text(o->out, pem, o->force, 0600)) >= 0) {
        return rc;
    }
    if (o->pub_out != NULL) {
        if (wbtool_key_public_pem(&k, pem, sizeof(pem)) != WBOTA_OK) {
            return WBTOOL_EXIT_INTERNAL;
        }
        if ((rc = prv_write_text(o->pub_out, pem, o->force, 0644)) >= 0) {
            return rc;
        }
    }
    uint32_t id = wbota_key_id(k.pub);
    if (o->json) {
        printf("{\"ok\":true,\"private\":");
        wbtool_json_str(stdout, o->out);
        printf(",\"key_id\":%u,\"public\":", (unsigned)id);
        wbtool_json_hex(stdout, k.pub, sizeof(k.pub));
        printf("}\n");
    } else if (!o->quiet) {
        printf("wbota: wrote %s (ECDSA P-256, key id 0x%08X)%s%s\n", o->out, (unsigned)id,
               o->pub_out ? ", public key " : "", o->pub_out ? o->pub_out : "");
    }
    return 0;
}

static const char s_help_export[] =
    "usage: wbota key export KEY.pem [-o FILE] [--format c|pem|raw] [--symbol NAME]\n"
    "                          [--comment TEXT]\n"
    "\n"
    "Writes the public key of KEY (private or public PEM) for the loader build: a C header\n"
    "with `static const uint8_t NAME[65]` (uncompressed point 04||X||Y), a PEM public key,\n"
    "or the 65 raw bytes.\n"
    "\n"
    "  -o, --output FILE         output file (default: stdout)\n"
    "  --format c|pem|raw        output kind (default c)\n"
    "  --symbol NAME             C array name (default wbota_demo_pubkey)\n"
    "  --comment TEXT            one extra comment line in the C header\n"
    "  --json                    print key id and point as JSON instead\n"
    "\n"
    "exit: 0 ok, 2 usage, 3 file I/O, 5 key\n";

static int cmd_key_export(const prv_cmd_t *c, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    const char *fmt = o->format != NULL ? o->format : "c";
    if (strcmp(fmt, "c") != 0 && strcmp(fmt, "pem") != 0 && strcmp(fmt, "raw") != 0) {
        return prv_usage_err(cmd, "unknown --format '%s' (c, pem, raw)", fmt);
    }
    const char *sym = o->symbol != NULL ? o->symbol : "wbota_demo_pubkey";
    for (const char *p = sym; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
              (p != sym && *p >= '0' && *p <= '9'))) {
            return prv_usage_err(cmd, "--symbol '%s' is not a C identifier", sym);
        }
    }
    wbtool_key_t k;
    if ((rc = prv_load_key(cmd, o->pos[0], &k, false)) >= 0) {
        return rc;
    }
    if (o->json) {
        printf("{\"ok\":true,\"key_id\":%u,\"public\":", (unsigned)wbota_key_id(k.pub));
        wbtool_json_hex(stdout, k.pub, sizeof(k.pub));
        printf("}\n");
        return 0;
    }
    FILE *f = o->out != NULL ? fopen(o->out, strcmp(fmt, "raw") == 0 ? "wb" : "w") : stdout;
    if (f == NULL) {
        fprintf(stderr, "wbota %s: cannot write %s\n", cmd, o->out);
        return WBTOOL_EXIT_IO;
    }
    wbota_err_t err = WBOTA_OK;
    if (strcmp(fmt, "c") == 0) {
        err = wbtool_key_write_header(f, &k, sym, o->comment);
    } else if (strcmp(fmt, "pem") == 0) {
        char pem[512];
        err = wbtool_key_public_pem(&k, pem, sizeof(pem));
        if (err == WBOTA_OK && fputs(pem, f) < 0) {
            err = WBOTA_E_IO;
        }
    } else if (fwrite(k.pub, 1u, sizeof(k.pub), f) != sizeof(k.pub)) {
        err = WBOTA_E_IO;
    }
    if (f != stdout && fclose(f) != 0) {
        err = WBOTA_E_IO;
    }
    if (err != WBOTA_OK) {
        fprintf(stderr, "wbota %s: cannot write the key\n", cmd);
        return WBTOOL_EXIT_IO;
    }
    return 0;
}

/* ---------- layout ---------- */

static const char s_help_layout[] =
    "usage: wbota layout [--sfsa N] [--app-page N] [--loader FILE] [--json]\n"
    "\n"
    "Prints the flash and RAM map (loader, application, free space, CPU2 area from SFSA) with\n"
    "the addresses and page numbers for CubeMX and linker scripts.\n"
    "\n"
    "  --sfsa N                  first CPU2 secure page, FLASH_SFR[7:0] (default 0xCB)\n"
    "  --app-page N              first application page (default 7)\n"
    "  --loader FILE             take the app page from this loader's information block\n"
    "  --json                    machine-readable result on stdout\n"
    "\n"
    "exit: 0 ok, 2 usage, 3 file I/O, 4 malformed input\n";

/* Staged mode's slots (docs/staged.md#slots) for this layout. */
static void prv_print_slots(const wbota_layout_t *lay)
{
    wbota_slots_t sl;
    if (wbota_slots_compute(lay, &sl) != WBOTA_OK) {
        printf("STAGED  no room for two slots: use an st-mode loader\n");
        return;
    }
    const struct {
        uint32_t page, pages;
        const char *what;
    } rows[] = {
        {sl.active_page, sl.active_pages, "staged: active slot (the app, link address)"},
        {sl.staging_page, sl.staging_pages, "staged: staging slot (downloads land here)"},
        {sl.record_page, WBOTA_CFG_RECORD_PAGES, "staged: loader's record pages"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        printf("%s 0x%08X-0x%08X  pages %3u..%-3u %5u KB  %s\n", i == 0 ? "STAGED " : "       ",
               (unsigned)wbota_page_addr(rows[i].page),
               (unsigned)(wbota_page_addr(rows[i].page + rows[i].pages) - 1u),
               (unsigned)rows[i].page, (unsigned)(rows[i].page + rows[i].pages - 1u),
               (unsigned)(rows[i].pages * 4u), rows[i].what);
    }
    /* the swap strategy's slots (docs/staged.md#swap): one scratch page off the region */
    if (wbota_slots_compute_for(lay, true, &sl) == WBOTA_OK) {
        printf("SWAP    active %u KB (pages %u..%u), staging %u KB (pages %u..%u), scratch page %u "
               "(0x%08X)\n",
               (unsigned)(sl.active_pages * 4u), (unsigned)sl.active_page,
               (unsigned)(sl.active_page + sl.active_pages - 1u), (unsigned)(sl.staging_pages * 4u),
               (unsigned)sl.staging_page, (unsigned)(sl.staging_page + sl.staging_pages - 1u),
               (unsigned)sl.scratch_page, (unsigned)wbota_page_addr(sl.scratch_page));
    }
}

static int cmd_layout(const prv_cmd_t *c, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    wbota_loader_info_t li;
    bool has_li = false;
    if (o->loader != NULL) {
        rc = prv_load_loader_info(cmd, o, WBOTA_LOADER_INFO_ADDR + WBOTA_LOADER_INFO_LEN, &li,
                                  &has_li);
        if (rc >= 0) {
            return rc;
        }
        if (!has_li) {
            fprintf(stderr, "wbota layout: %s has no wbota loader information block at 0x%08X\n",
                    o->loader, (unsigned)WBOTA_LOADER_INFO_ADDR);
            return WBTOOL_EXIT_INPUT;
        }
        o->app_page = li.app_start_page;
    }
    wbota_layout_t lay;
    if ((rc = prv_layout(cmd, o, &lay)) >= 0) {
        return rc;
    }
    uint32_t app = wbota_app_start(&lay);
    uint32_t end = wbota_app_end(&lay);
    uint32_t max = wbota_app_max_size(&lay);
    if (o->json) {
        printf("{\"app_page\":%u,\"sfsa\":%u,\"loader\":{\"start\":%u,\"end\":%u,\"pages\":[0,%u]},"
               "\"app\":{\"start\":%u,\"end\":%u,\"size\":%u,\"pages\":[%u,%u]},"
               "\"cpu2\":{\"start\":%u,\"end\":%u,\"pages\":[%u,255]},"
               "\"data_page\":%u,\"tag_ptr_addr\":%u,\"mailbox\":%u,\"loader_status\":%u,"
               "\"ram\":{\"start\":%u,\"end\":%u,\"stack_top\":%u},\"sram2a\":%u",
               (unsigned)lay.app_start_page, (unsigned)lay.sfsa, (unsigned)WBOTA_FLASH_BASE,
               (unsigned)app, (unsigned)lay.app_start_page - 1u, (unsigned)app, (unsigned)end,
               (unsigned)max, (unsigned)lay.app_start_page, (unsigned)lay.sfsa - 1u, (unsigned)end,
               (unsigned)(WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE), (unsigned)lay.sfsa,
               (unsigned)lay.app_start_page - 1u, (unsigned)(app + WBOTA_TAG_PTR_OFFSET),
               (unsigned)WBOTA_MAILBOX_ADDR, (unsigned)WBOTA_LOADER_STATUS_ADDR,
               (unsigned)WBOTA_RAM_RESERVED_END, (unsigned)(WBOTA_SRAM1_BASE + WBOTA_SRAM1_SIZE),
               (unsigned)(WBOTA_SRAM1_BASE + WBOTA_SRAM1_SIZE), (unsigned)WBOTA_SRAM2A_BASE);
        wbota_slots_t sl;
        if (wbota_slots_compute(&lay, &sl) == WBOTA_OK) {
            printf(",\"staged\":{\"active\":{\"start\":%u,\"pages\":[%u,%u]},"
                   "\"staging\":{\"start\":%u,\"pages\":[%u,%u]},\"records\":[%u,%u]}",
                   (unsigned)wbota_page_addr(sl.active_page), (unsigned)sl.active_page,
                   (unsigned)(sl.active_page + sl.active_pages - 1u),
                   (unsigned)wbota_page_addr(sl.staging_page), (unsigned)sl.staging_page,
                   (unsigned)(sl.staging_page + sl.staging_pages - 1u), (unsigned)sl.record_page,
                   (unsigned)(sl.record_page + WBOTA_CFG_RECORD_PAGES - 1u));
        }
        if (has_li) {
            printf(",\"loader_info\":");
            prv_print_loader_info(&li, true);
        }
        printf("}\n");
        return 0;
    }
    printf("wbota layout: app page %u, SFSA 0x%02X%s\n\n", (unsigned)lay.app_start_page,
           (unsigned)lay.sfsa, has_li ? " (app page from the loader)" : "");
    printf("FLASH   0x%08X-0x%08X  pages %3u..%-3u %5u KB  loader\n", (unsigned)WBOTA_FLASH_BASE,
           (unsigned)(app - 1u), 0u, (unsigned)lay.app_start_page - 1u,
           (unsigned)((app - WBOTA_FLASH_BASE) / 1024u));
    printf("        0x%08X-0x%08X                    loader information block\n",
           (unsigned)WBOTA_LOADER_INFO_ADDR,
           (unsigned)(WBOTA_LOADER_INFO_ADDR + WBOTA_LOADER_INFO_LEN - 1u));
    printf("        0x%08X-0x%08X  page  %3u      %5u KB  loader's data page: anti-rollback "
           "counter (staged) or verify-once verdict (st mode)\n",
           (unsigned)(app - WBOTA_PAGE_SIZE), (unsigned)(app - 1u),
           (unsigned)lay.app_start_page - 1u, (unsigned)(WBOTA_PAGE_SIZE / 1024u));
    printf("        0x%08X-0x%08X  pages %3u..%-3u %5u KB  application (vector table first)\n",
           (unsigned)app, (unsigned)(end - 1u), (unsigned)lay.app_start_page,
           (unsigned)lay.sfsa - 1u, (unsigned)(max / 1024u));
    printf("        0x%08X                               tag pointer word (address of the "
           "magic)\n",
           (unsigned)(app + WBOTA_TAG_PTR_OFFSET));
    if (lay.sfsa < WBOTA_PAGE_COUNT) {
        printf("        0x%08X-0x%08X  pages %3u..255 %5u KB  CPU2 secure area (wireless "
               "stack, FUS)\n",
               (unsigned)end, (unsigned)(WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE - 1u),
               (unsigned)lay.sfsa, (unsigned)((WBOTA_FLASH_BASE + WBOTA_FLASH_SIZE - end) / 1024u));
    }
    prv_print_slots(&lay);
    printf("SRAM1   0x20000000-0x20000002                    boot mailbox (mode, first page, "
           "count)\n");
    printf("        0x20000004-0x20000007                    loader status word\n");
    printf("        0x20000008-0x2002FFFF                    application RAM, initial SP "
           "0x20030000\n");
    printf("SRAM2A  0x20030000-                              CPU2 shared tables (NOLOAD)\n\n");
    printf("linker script:\n");
    printf("  FLASH (rx)  : ORIGIN = 0x%08X, LENGTH = 0x%X\n", (unsigned)app, (unsigned)max);
    printf("  RAM   (xrw) : ORIGIN = 0x20000008, LENGTH = 0x2FFF8\n");
    printf("  _estack = 0x20030000; TAG_OTA_START at ORIGIN + 0x140; TAG_OTA_END last\n");
    printf("CubeMX / application:\n");
    printf("  CFG_APP_START_SECTOR_INDEX = %u, VECT_TAB_OFFSET = 0x%X\n",
           (unsigned)lay.app_start_page, (unsigned)(app - WBOTA_FLASH_BASE));
    printf("  reboot request (FE11): 01 %02X FF (erase pages %u..%u)\n",
           (unsigned)lay.app_start_page, (unsigned)lay.app_start_page, (unsigned)lay.sfsa - 1u);
    if (has_li) {
        prv_print_loader_info(&li, false);
    }
    return 0;
}

/* ---------- merge ---------- */

static const char s_help_merge[] =
    "usage: wbota merge --loader FILE --app FILE -o PREFIX [options]\n"
    "\n"
    "Builds the production image for first-time programming: PREFIX.hex and PREFIX.bin\n"
    "(from 0x08000000) holding the loader and the application (see docs/production.md).\n"
    "\n"
    "  --loader FILE             loader (ELF, HEX, or binary at 0x08000000)\n"
    "  --app FILE                application image (from `wbota image create`)\n"
    "  -o, --output PREFIX       writes PREFIX.hex and PREFIX.bin\n"
    "  --pubkey PEM              require the app to be signed by this key\n"
    "  --sfsa N                  first CPU2 secure page (default 0xCB)\n"
    "  --app-page N              first application page (default 7)\n"
    "  --strict                  treat warnings as errors\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               print errors only\n"
    "\n"
    "exit: 0 ok, 1 check failed, 2 usage, 3 file I/O, 4 malformed input, 5 key\n";

static int cmd_merge(const prv_cmd_t *c, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    wbota_layout_t lay;
    if ((rc = prv_layout(cmd, o, &lay)) >= 0) {
        return rc;
    }
    wbtool_key_t key;
    const wbtool_key_t *pk;
    if ((rc = prv_load_check_key(cmd, o, &key, &pk)) >= 0) {
        return rc;
    }
    wbtool_input_t lin, ain;
    if ((rc = prv_load(cmd, o->loader, o, WBOTA_FLASH_BASE, &lin)) >= 0) {
        return rc;
    }
    if ((rc = prv_load(cmd, o->app, o, wbota_app_start(&lay), &ain)) >= 0) {
        wbtool_input_free(&lin);
        return rc;
    }
    wbtool_report_t rep;
    wbtool_report_init(&rep);
    wbota_err_t core_err = WBOTA_OK;
    wbtool_image_verify(&ain, &lay, pk, &rep, &core_err, NULL);
    wbtool_flat_t out = {0};
    wbota_loader_info_t li;
    bool has_li = false;
    wbota_err_t err = WBOTA_E_ARG;
    if (!wbtool_report_fails(&rep, o->strict) && core_err == WBOTA_OK) {
        err = wbtool_merge(&lin, &ain, &lay, &rep, &out, &li, &has_li);
    }
    int exit_code = WBTOOL_EXIT_OK;
    if (err != WBOTA_OK || wbtool_report_fails(&rep, o->strict)) {
        exit_code = err == WBOTA_E_IO ? WBTOOL_EXIT_INTERNAL : WBTOOL_EXIT_CHECK;
    }
    char hexp[4096], binp[4096];
    (void)snprintf(hexp, sizeof(hexp), "%s.hex", o->out);
    (void)snprintf(binp, sizeof(binp), "%s.bin", o->out);
    if (exit_code == 0) {
        if (prv_write_image(hexp, &out, false, 0u, true) != WBOTA_OK ||
            prv_write_image(binp, &out, false, 0u, false) != WBOTA_OK) {
            fprintf(stderr, "wbota %s: cannot write %s / %s\n", cmd, hexp, binp);
            exit_code = WBTOOL_EXIT_IO;
        }
    }
    if (o->json) {
        printf("{\"ok\":%s,\"exit\":%d,\"findings\":", exit_code == 0 ? "true" : "false",
               exit_code);
        wbtool_report_json(stdout, &rep, o->strict);
        if (exit_code == 0) {
            printf(",\"hex\":");
            wbtool_json_str(stdout, hexp);
            printf(",\"bin\":");
            wbtool_json_str(stdout, binp);
            printf(",\"size\":%u", (unsigned)out.len);
        }
        if (has_li) {
            printf(",\"loader\":");
            prv_print_loader_info(&li, true);
        }
        printf("}\n");
    } else {
        wbtool_report_print(stderr, &rep, o->strict);
        if (exit_code == 0 && !o->quiet) {
            printf("wbota: wrote %s and %s: 0x08000000-0x%08X (%u bytes), loader + app at "
                   "0x%08X\n",
                   hexp, binp, (unsigned)(out.base + out.len - 1u), (unsigned)out.len,
                   (unsigned)wbota_app_start(&lay));
        } else if (exit_code != 0) {
            fprintf(stderr, "wbota: merge refused: nothing written\n");
        }
    }
    free(out.data);
    wbtool_input_free(&ain);
    wbtool_input_free(&lin);
    return exit_code;
}

/* ---------- upload ---------- */

/* upload and scan: exactly one of --emu and --ble, --adapter only with --ble; -1 if so. */
static int prv_check_transport(const char *cmd, const prv_opts_t *o)
{
    if ((o->emu == NULL) == !o->ble) {
        return prv_usage_err(cmd, "need one transport: --emu HOST:PORT|PATH or --ble%s", "");
    }
    if (o->adapter != NULL && !o->ble) {
        return prv_usage_err(cmd, "--adapter goes with --ble%s", "");
    }
    return -1;
}

static const char s_help_upload[] =
    "usage: wbota upload IMAGE --emu HOST:PORT|PATH | --ble [--adapter hciN] [options]\n"
    "\n"
    "Uploads an image with the ST OTA sequence: reboot request to the app (FE11), bounded scan\n"
    "for the loader (app address + 1, \"STM_OTA\", id 0x86), MTU exchange, FE23 indications,\n"
    "FE22 start, FE24 chunks sized for the link (one LL packet per write with DLE: 244 bytes at\n"
    "MTU >= 247; says which), FE22 07, verdict from FE23, then a scan to see\n"
    "the new image running.\n"
    "\n"
    "  --emu HOST:PORT|PATH      the emulator's virtual radio (TCP or Unix socket)\n"
    "  --ble                     a real device through BlueZ (bluetoothd, D-Bus)\n"
    "  --adapter hciN            BlueZ adapter (default: the first powered one)\n"
    "  --addr AA:BB:CC:DD:EE:FF  the application's address (the loader's with --loader);\n"
    "                            --address is the same option\n"
    "  --name NAME               find the application by its advertised name\n"
    "  --loader                  the device is already in the loader: skip the reboot request\n"
    "  --wireless                CPU2 wireless stack image: FE22 command 0x01 at\n"
    "                            SFSA*4K - size (page aligned) unless --flash-addr is given;\n"
    "                            one with a wbota manifest (image create --wireless) goes to\n"
    "                            the top of the staging slot instead\n"
    "  --flash-addr ADDR         flash address to write to (default: app start)\n"
    "  --expect-name NAME        name the new image advertises (confirmation scan)\n"
    "  --erase-pages N|all       page count in the reboot request (default: image size)\n"
    "  --base ADDR               load address of a raw binary (default: app start)\n"
    "  --sfsa N                  first CPU2 secure page (default 0xCB)\n"
    "  --app-page N              first application page (default 7)\n"
    "  --mtu N                   ATT MTU to request (default 251; BlueZ negotiates its own\n"
    "                            and this only caps the chunk size)\n"
    "  --scan-ms N               bound of each scan (default 10000)\n"
    "  --timeout-ms N            bound of the wait for the verdict (default 10000)\n"
    "  --five-byte-start         FE22 start with the page count as 5th byte (newer ST apps)\n"
    "  --no-resume               upload from byte 0 even if the loader kept an interrupted\n"
    "                            upload of this image (default: resume, docs/protocol.md#resume)\n"
    "  --force                   send an image that fails `image verify` (loader tests)\n"
    "  --strict                  refuse images with warnings too\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               no progress, errors only\n"
    "  --verbose                 show the device log lines\n"
    "\n"
    "exit: 0 ok, 1 image invalid, 2 usage, 3 file I/O, 4 malformed input,\n"
    "      10 cannot reach the transport,\n"
    "      11 device/loader not found, 12 link lost, 13 rejected by the device,\n"
    "      14 timeout, 15 not seen running afterwards, 16 device lacks the OTA service,\n"
    "      17 loader never appeared, 18 no adapter, 19 adapter off, 20 bluetoothd not\n"
    "      running, 21 permission denied, 22 services never resolved, 23 BlueZ busy,\n"
    "      130 interrupted (Ctrl-C: disconnected, the device state is printed)\n";

typedef struct {
    wbtool_progress_t prog;
    bool show_stage;
} prv_up_ui_t;

static void prv_up_progress_cb(uint32_t done, uint32_t total, uint64_t elapsed_us, void *user)
{
    prv_up_ui_t *u = user;
    wbtool_progress_update(&u->prog, done, total, elapsed_us);
}

static const char s_rerun_hint[] =
    "  next: run the same command again: it finds the loader waiting in place of the\n"
    "        application and continues there (or add --loader to go straight to it)\n";

static void prv_up_stage_cb(const char *stage, void *user)
{
    prv_up_ui_t *u = user;
    if (strncmp(stage, "requesting a reboot", 19u) == 0 || strncmp(stage, "uploading", 9u) == 0 ||
        strncmp(stage, "the application is not advertising", 34u) == 0) {
        char m[512];
        (void)snprintf(m, sizeof(m),
                       "wbota upload: interrupted while %s.\n"
                       "  device state: in its loader (or on its way there), waiting for an "
                       "upload;\n  the application region holds no complete image.\n%s",
                       strncmp(stage, "uploading", 9u) == 0 ? "uploading"
                                                            : "switching to the loader",
                       s_rerun_hint);
        wbtool_set_interrupt_note(m);
    }
    if (u->show_stage) {
        wbtool_progress_end(&u->prog);
        fprintf(stderr, "wbota: %s...\n", stage);
    }
}

/* After a failure: where the device is and what to run (st mode leaves it in the loader). */
static void prv_print_device_state(const wbtool_upload_result_t *r)
{
    if (r->accepted || !r->loader_found) {
        return;
    }
    fprintf(stderr,
            "  device state: in its loader (STM_OTA, %02X:%02X:%02X:%02X:%02X:%02X), waiting "
            "for an upload;\n  %s\n%s",
            r->loader_addr[0], r->loader_addr[1], r->loader_addr[2], r->loader_addr[3],
            r->loader_addr[4], r->loader_addr[5],
            r->loader_keeps_app
                ? "staged loader: the running application is intact; the loader returns to it\n"
                  "  after 60 s without upload data (docs/staged.md), keeping what was received."
                : "the application region holds no complete image.",
            r->err == WBOTA_E_REJECTED
                ? "  next: give it an image it accepts (the reason above says what to fix) with "
                  "the\n        same command: it finds the loader waiting in place of the "
                  "application\n"
                : s_rerun_hint);
}

static void prv_up_log_cb(const char *line, void *user)
{
    (void)user;
    fprintf(stderr, "device: %s\n", line);
}

static int prv_upload_exit(const wbtool_upload_result_t *r)
{
    if (r->err == WBOTA_OK) {
        return WBTOOL_EXIT_OK;
    }
    if (r->accepted) {
        return WBTOOL_EXIT_UNCONFIRMED;
    }
    switch (r->err) {
    case WBOTA_E_NOT_FOUND:
        return WBTOOL_EXIT_NOT_FOUND;
    case WBOTA_E_LINK_LOST:
        return WBTOOL_EXIT_LINK_LOST;
    case WBOTA_E_REJECTED:
        return WBTOOL_EXIT_REJECTED;
    case WBOTA_E_TIMEOUT:
        return WBTOOL_EXIT_TIMEOUT;
    case WBOTA_E_UNSUPPORTED:
        return WBTOOL_EXIT_UNSUPPORTED;
    case WBOTA_E_IO:
        return WBTOOL_EXIT_CONNECT;
    default:
        if (wbtool_exit_for_transport(r->err) != 0) {
            return wbtool_exit_for_transport(r->err);
        }
        return WBTOOL_EXIT_LINK_LOST;
    }
}

/* `upload --wireless`: a stack image with a wbota manifest must be whole (kind, layout, hash)
 * unless --force; ST's raw binary gets a note, since a signed-policy loader refuses it. */
static int prv_check_wireless(const char *cmd, const prv_opts_t *o, const uint8_t *img,
                              uint32_t len, bool *has_manifest)
{
    wbota_image_info_t info;
    wbota_err_t err = wbtool_ws_check(img, len, NULL, &info);
    *has_manifest = err == WBOTA_OK && info.has_manifest;
    if (err != WBOTA_OK && !o->force) {
        fprintf(stderr,
                "wbota %s: %s carries a wbota manifest that does not check (%s: %s): nothing "
                "sent; rebuild it with `wbota image create --wireless` or pass --force\n",
                cmd, o->pos[0], wbota_err_name(err), wbota_err_text(err));
        return WBTOOL_EXIT_CHECK;
    }
    if (err == WBOTA_OK && !info.has_manifest && !o->quiet) {
        fprintf(stderr,
                "wbota %s: note: %s is a raw stack image (no wbota manifest): a wbota loader "
                "with the signed policy refuses it (E_WS_MANIFEST_MISSING); `wbota image create "
                "%s --wireless --key KEY.pem -o OUT` signs it\n",
                cmd, o->pos[0], o->pos[0]);
    }
    return -1;
}

static int cmd_upload(const prv_cmd_t *c, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    if ((rc = prv_check_transport(cmd, o)) >= 0) {
        return rc;
    }
    wbtool_upload_cfg_t cfg;
    memset(&cfg, 0, sizeof(cfg));
    if (o->addr != NULL) {
        if (!wbtool_parse_bdaddr(o->addr, cfg.addr)) {
            return prv_usage_err(cmd, "bad --addr '%s' (AA:BB:CC:DD:EE:FF)", o->addr);
        }
        cfg.have_addr = true;
    }
    if (!o->loader_mode && !cfg.have_addr && o->name == NULL) {
        return prv_usage_err(cmd, "say which device: --addr or --name (or --loader)%s", "");
    }
    wbota_layout_t lay;
    if ((rc = prv_layout(cmd, o, &lay)) >= 0) {
        return rc;
    }
    wbtool_input_t in;
    if ((rc = prv_load(cmd, o->pos[0], o, o->wireless ? 0u : wbota_app_start(&lay), &in)) >= 0) {
        return rc;
    }
    /* An application image is checked before anything goes on air: a loader would reject it
     * after a full upload and an erase. --force sends it anyway (to test a loader). */
    if (!o->wireless && !o->force) {
        wbtool_report_t rep;
        wbtool_report_init(&rep);
        wbota_err_t core_err = WBOTA_OK;
        wbota_image_info_t info;
        wbtool_image_verify(&in, &lay, NULL, &rep, &core_err, &info);
        if (core_err == WBOTA_OK && !info.has_manifest && !o->quiet) {
            fprintf(stderr,
                    "wbota %s: note: %s has no wbota manifest (a plain ST image): the loader "
                    "can check only its tags, not a hash or version, and a loader with the "
                    "signed policy refuses it; `wbota image create` adds one\n",
                    cmd, o->pos[0]);
        }
        if (wbtool_report_fails(&rep, o->strict) || core_err != WBOTA_OK) {
            if (!o->json) {
                wbtool_report_print(stderr, &rep, o->strict);
            }
            fprintf(stderr,
                    "wbota %s: %s is not a valid image (%s): nothing sent; fix it or pass "
                    "--force\n",
                    cmd, o->pos[0], core_err != WBOTA_OK ? wbota_err_name(core_err) : "checks");
            wbtool_input_free(&in);
            return WBTOOL_EXIT_CHECK;
        }
    }
    /* the bytes to stream: the input's flash window as one block */
    uint32_t lo = wbtool_memimg_lo(&in.mem);
    uint64_t hi = wbtool_memimg_hi(&in.mem);
    if (hi - lo > WBOTA_FLASH_SIZE) {
        fprintf(stderr, "wbota %s: %s spans %llu bytes, more than the flash\n", cmd, o->pos[0],
                (unsigned long long)(hi - lo));
        wbtool_input_free(&in);
        return WBTOOL_EXIT_INPUT;
    }
    uint32_t len = (uint32_t)(hi - lo);
    uint8_t *img = wbtool_memimg_flatten(&in.mem, lo, (uint32_t)hi);
    wbtool_input_free(&in);
    if (img == NULL) {
        return WBTOOL_EXIT_INTERNAL;
    }
    cfg.image = img;
    cfg.len = len;
    bool ws_manifest = false;
    if (o->wireless && (rc = prv_check_wireless(cmd, o, img, len, &ws_manifest)) >= 0) {
        free(img);
        return rc;
    }
    wbota_slots_t slots;
    if ((o->given & O(OPT_FLASH_ADDR)) != 0u) {
        cfg.target = o->target;
    } else if (ws_manifest && wbota_slots_compute(&lay, &slots) == WBOTA_OK &&
               len <= slots.staging_pages * WBOTA_PAGE_SIZE) {
        /* made for wbota loaders: the top of the staging slot, the one place a staged loader
         * takes a stack image (docs/staged.md#wireless); inside the app region of an `st` one */
        cfg.target = (wbota_page_addr(slots.staging_page + slots.staging_pages) - len) &
                     ~(WBOTA_PAGE_SIZE - 1u);
    } else if (o->wireless) {
        /* AN5185's rule for a new stack install: just below the secure area, page aligned */
        cfg.target = (wbota_app_end(&lay) - len) & ~(WBOTA_PAGE_SIZE - 1u);
    } else {
        cfg.target = (lo >= WBOTA_FLASH_BASE) ? lo : wbota_app_start(&lay);
    }
    if (!wbota_is_in_app(&lay, cfg.target, len)) {
        fprintf(stderr,
                "wbota %s: 0x%08X-0x%08X is not inside the app region 0x%08X-0x%08X: check "
                "--flash-addr / --sfsa\n",
                cmd, (unsigned)cfg.target, (unsigned)(cfg.target + len - 1u),
                (unsigned)wbota_app_start(&lay), (unsigned)(wbota_app_end(&lay) - 1u));
        free(img);
        return WBTOOL_EXIT_CHECK;
    }
    cfg.wireless = o->wireless;
    cfg.loader_only = o->loader_mode;
    cfg.name = o->name;
    cfg.expect_name = o->expect_name;
    cfg.erase_first_page = (uint8_t)wbota_addr_page(cfg.target);
    uint32_t pages = (len + WBOTA_PAGE_SIZE - 1u) / WBOTA_PAGE_SIZE;
    cfg.erase_pages = (uint8_t)(pages > 0xFEu ? 0xFFu : pages);
    if (o->erase_pages != NULL) {
        uint32_t n = 0u;
        if (strcmp(o->erase_pages, "all") == 0) {
            cfg.erase_pages = 0xFFu;
        } else if (prv_u32(o->erase_pages, 255u, &n) && n > 0u) {
            cfg.erase_pages = (uint8_t)n;
        } else {
            free(img);
            return prv_usage_err(cmd, "bad --erase-pages '%s' (1..255 or all)", o->erase_pages);
        }
    }
    cfg.scan_ms = o->scan_ms;
    cfg.result_timeout_ms = o->timeout_ms;
    cfg.mtu = (uint16_t)o->mtu;
    cfg.five_byte_start = o->start5;
    cfg.no_resume = o->no_resume;
    prv_up_ui_t ui;
    bool tty = isatty(STDERR_FILENO) != 0;
    wbtool_progress_start(&ui.prog, tty && !o->quiet && !o->json);
    ui.show_stage = !o->quiet && !o->json;
    cfg.progress_cb = prv_up_progress_cb;
    cfg.stage_cb = prv_up_stage_cb;
    cfg.user = &ui;
    wbtool_set_interrupt_note("");
    wbtool_catch_sigint();

    wbtool_transport_t t;
    wbota_err_t err =
        o->ble ? wbtool_transport_bluez_open(&t, o->adapter)
               : wbtool_transport_emu_open(&t, o->emu, o->timeout_ms + o->scan_ms + 30000u,
                                           o->verbose ? prv_up_log_cb : NULL, NULL);
    wbtool_upload_result_t res;
    memset(&res, 0, sizeof(res));
    int exit_code;
    if (err != WBOTA_OK) {
        res.err = err;
        (void)snprintf(res.msg, sizeof(res.msg), "%s", t.msg);
        exit_code = wbtool_exit_for_transport(err) != 0 ? wbtool_exit_for_transport(err)
                                                        : WBTOOL_EXIT_CONNECT;
    } else {
        wbtool_upload_run(&t, &cfg, &res);
        t.close(t.ctx);
        exit_code = prv_upload_exit(&res);
    }
    wbtool_progress_end(&ui.prog);
    if (o->json) {
        printf("{\"ok\":%s,\"exit\":%d,\"bytes\":%u,\"target\":%u,\"mtu\":%u,\"chunk\":%u,"
               "\"accepted\":%s,\"confirmed\":%s,\"fe23\":%u,\"device_code\":%d,"
               "\"device_reason\":\"%s\",\"sim_us\":%llu,\"resume_from\":%u,\"message\":",
               exit_code == 0 ? "true" : "false", exit_code, (unsigned)len, (unsigned)cfg.target,
               res.mtu, (unsigned)res.chunk, res.accepted ? "true" : "false",
               res.confirmed ? "true" : "false", res.fe23, res.device_code,
               res.device_code ? wbota_err_name(res.device_code) : "OK",
               (unsigned long long)res.sim_us, (unsigned)res.resume_from);
        wbtool_json_str(stdout, res.msg);
        printf("}\n");
    } else if (exit_code != 0) {
        fprintf(stderr, "wbota upload: %s\n", res.msg);
        if (res.err == WBOTA_E_INTERRUPTED && wbtool_interrupt_note()[0] != '\0') {
            fputs(wbtool_interrupt_note(), stderr); /* where the stop left the device */
        } else {
            prv_print_device_state(&res);
        }
    } else if (!o->quiet) {
        double sim_s = (double)res.sim_us / 1e6;
        printf("wbota: uploaded %u bytes to 0x%08X in %.2f s (%.1f kB/s, %s time), MTU %u, "
               "chunks of %u; device verdict OK%s%s\n",
               (unsigned)len, (unsigned)cfg.target, sim_s,
               sim_s > 0.0 ? (double)len / sim_s / 1000.0 : 0.0, o->ble ? "wall" : "device",
               res.mtu, (unsigned)res.chunk, res.confirmed ? ", new image running" : "",
               res.resumed ? " (continued in the loader)" : "");
        if (res.resume_from > 0u) {
            printf("wbota: resumed an interrupted upload: %u of %u bytes were kept, %u sent\n",
                   (unsigned)res.resume_from, (unsigned)len, (unsigned)(len - res.resume_from));
        }
    }
    free(img);
    return exit_code;
}

/* ---------- scan ---------- */

static const char s_help_scan[] =
    "usage: wbota scan --emu HOST:PORT|PATH | --ble [--adapter hciN] [options]\n"
    "\n"
    "Lists the devices advertising within the duration, one line each: address, RSSI,\n"
    "kind, name (and for a wbota loader its version and state). Kinds: wbota-loader (ST's\n"
    "loader advertising plus wbota's loader information in the scan response), loader\n"
    "(ST's OTA loader protocol: \"STM_OTA\", device id 0x86), app-ota (ST manufacturer data\n"
    "with the OTA reboot feature bit 0x20: `wbota upload --name` can update it), other.\n"
    "\n"
    "  --emu HOST:PORT|PATH      the emulator's virtual radio (TCP or Unix socket)\n"
    "  --ble                     BlueZ (bluetoothd, D-Bus)\n"
    "  --adapter hciN            BlueZ adapter (default: the first powered one)\n"
    "  --duration-ms N           how long to listen (default 5000, 1..600000)\n"
    "  --json                    machine-readable result on stdout\n"
    "  -q, --quiet               no header line\n"
    "\n"
    "exit: 0 ok (also when nothing advertised), 2 usage, 10 cannot reach the transport,\n"
    "      18 no adapter, 19 adapter off, 20 bluetoothd not running, 21 permission denied,\n"
    "      130 interrupted\n";

static int cmd_scan(const prv_cmd_t *c, prv_opts_t *o)
{
    const char *cmd = c->cmd;
    int rc;
    if ((rc = prv_check_transport(cmd, o)) >= 0) {
        return rc;
    }
    wbtool_scan_opts_t so = {.emu = o->emu,
                             .ble = o->ble,
                             .adapter = o->adapter,
                             .duration_ms = o->duration_ms,
                             .json = o->json,
                             .quiet = o->quiet};
    return wbtool_cmd_scan(&so);
}

/* ---------- dispatch ---------- */

static int cmd_image_verify(const prv_cmd_t *c, prv_opts_t *o)
{
    return prv_verify_common(c, false, o);
}

static int cmd_image_inspect(const prv_cmd_t *c, prv_opts_t *o)
{
    return prv_verify_common(c, true, o);
}

#define O_COMMON (O(OPT_JSON) | O(OPT_QUIET))
static const prv_cmd_t s_cmds[] = {
    {"image", "create", "image create",
     "build an OTA image with manifest (and signature) from ELF/HEX/BIN", s_help_create,
     O_COMMON | O_LAYOUT | O_INPUT | O(OPT_OUTPUT) | O(OPT_KEY) | O(OPT_VERSION) | O(OPT_SECCTR) |
         O(OPT_STRICT) | O(OPT_WIRELESS),
     1, O(OPT_OUTPUT), "need one INPUT and -o OUTPUT", cmd_image_create},
    {"image", "verify", "image verify", "check an image as the loader would", s_help_verify,
     O_COMMON | O_LAYOUT | O_INPUT | O(OPT_KEY) | O(OPT_PUBKEY) | O(OPT_STRICT), 1, 0u,
     "need one IMAGE", cmd_image_verify},
    {"image", "inspect", "image inspect",
     "show tags, vector table, manifest, hash, signature, loader info", s_help_inspect,
     O(OPT_JSON) | O_LAYOUT | O_INPUT | O(OPT_KEY) | O(OPT_PUBKEY) | O(OPT_LOADER), 1, 0u,
     "need one IMAGE", cmd_image_inspect},
    {NULL, "keygen", "keygen", "generate an ECDSA P-256 signing key", s_help_keygen,
     O_COMMON | O(OPT_OUTPUT) | O(OPT_PUBOUT) | O(OPT_FORCE), 0, O(OPT_OUTPUT),
     "need -o PRIVATE.pem", cmd_keygen},
    {"key", "export", "key export", "public key as a C header (loader build), PEM or raw",
     s_help_export, O(OPT_JSON) | O(OPT_OUTPUT) | O(OPT_FORMAT) | O(OPT_SYMBOL) | O(OPT_COMMENT), 1,
     0u, "need one KEY file", cmd_key_export},
    {NULL, "layout", "layout", "flash and RAM map for an SFSA / app page", s_help_layout,
     O(OPT_JSON) | O_LAYOUT | O(OPT_LOADER), 0, 0u, "unexpected argument", cmd_layout},
    {NULL, "merge", "merge", "loader + app production image (.hex and .bin)", s_help_merge,
     O_COMMON | O_LAYOUT | O(OPT_LOADER) | O(OPT_APP) | O(OPT_OUTPUT) | O(OPT_PUBKEY) |
         O(OPT_STRICT),
     0, O(OPT_LOADER) | O(OPT_APP) | O(OPT_OUTPUT), "need --loader FILE --app FILE -o PREFIX",
     cmd_merge},
    {NULL, "upload", "upload", "upload an image over the ST OTA protocol (--emu or --ble)",
     s_help_upload,
     O_COMMON | O_LAYOUT | O(OPT_BASE) | O(OPT_EMU) | O(OPT_BLE) | O(OPT_ADAPTER) | O(OPT_ADDR) |
         O(OPT_NAME) | O(OPT_LOADER_FLAG) | O(OPT_WIRELESS) | O(OPT_FLASH_ADDR) | O(OPT_EXPECT) |
         O(OPT_ERASE) | O(OPT_MTU) | O(OPT_SCANMS) | O(OPT_TIMEOUT) | O(OPT_FORCE) | O(OPT_STRICT) |
         O(OPT_VERBOSE) | O(OPT_START5) | O(OPT_NO_RESUME),
     1, 0u, "need one IMAGE", cmd_upload},
    {NULL, "scan", "scan", "list advertising devices: loaders, OTA-capable apps, others",
     s_help_scan, O_COMMON | O(OPT_EMU) | O(OPT_BLE) | O(OPT_ADAPTER) | O(OPT_DURATION), 0, 0u,
     "unexpected argument %s", cmd_scan},
};
#define CMD_COUNT (sizeof(s_cmds) / sizeof(s_cmds[0]))

/* `wbota --help`, or a group's help (group != NULL): one line per command of the table. */
static void prv_print_cmds(FILE *f, const char *group)
{
    if (group == NULL) {
        fputs("usage: wbota <command> [options]   (wbota <command> --help for details)\n\n", f);
    } else {
        fprintf(f,
                "usage: wbota %s <command> [options]   (wbota %s <command> --help for details)\n\n",
                group, group);
    }
    for (size_t i = 0u; i < CMD_COUNT; i++) {
        const prv_cmd_t *c = &s_cmds[i];
        if (group == NULL || (c->group != NULL && strcmp(c->group, group) == 0)) {
            fprintf(f, "  %-15s%s\n", c->cmd, c->summary);
        }
    }
    if (group == NULL) {
        fputs("\nCommon: --json machine-readable output, -q quiet. Exit codes: docs/wbota.md.\n",
              f);
    }
}

/* One command: its options (argv[0] = the command word), then its handler. */
static int prv_run(const prv_cmd_t *c, int argc, char **argv)
{
    prv_opts_t o;
    int rc = prv_parse(c, argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    if (o.npos != c->npos || (o.given & c->needs) != c->needs) {
        return prv_usage_err(c->cmd, c->usage, o.npos > c->npos ? o.pos[c->npos] : "");
    }
    return c->run(c, &o);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        prv_print_cmds(argc < 2 ? stderr : stdout, NULL);
        return argc < 2 ? WBTOOL_EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("wbota %s\n", WBTOOL_VERSION);
        return 0;
    }
    const char *c1 = argv[1];
    const char *c2 = argc > 2 ? argv[2] : "";
    bool is_group = false;
    for (size_t i = 0u; i < CMD_COUNT; i++) {
        const prv_cmd_t *c = &s_cmds[i];
        if (c->group == NULL && strcmp(c->name, c1) == 0) {
            return prv_run(c, argc - 1, argv + 1);
        }
        if (c->group != NULL && strcmp(c->group, c1) == 0) {
            is_group = true;
            if (strcmp(c->name, c2) == 0) {
                return prv_run(c, argc - 2, argv + 2);
            }
        }
    }
    if (is_group) {
        if (strcmp(c2, "--help") == 0 || strcmp(c2, "-h") == 0) {
            prv_print_cmds(stdout, c1);
            return 0;
        }
        if (*c2 != '\0') {
            fprintf(stderr, "wbota %s: unknown command '%s'\n", c1, c2);
        }
        prv_print_cmds(stderr, c1);
        return WBTOOL_EXIT_USAGE;
    }
    fprintf(stderr, "wbota: unknown command '%s'\n", c1);
    prv_print_cmds(stderr, NULL);
    return WBTOOL_EXIT_USAGE;
}
