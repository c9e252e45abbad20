/* main.c - the wbota-emu program: parses the command line, loads flash images (ELF, Intel HEX,
 * raw binary at an address) through the tool library's reader, creates the SoC and, with
 * --radio, the CPU2 model and the virtual radio, runs, and reports. Exit status: the table
 * shared with wbota (wbota/exit_codes.h, docs/wbota.md#exit-codes). */
#include "soc.h"

#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

#include "emu_cpu2.h"
#include "emu_radio.h"

#define MAX_IMAGES 8

static emu_radio_t *volatile s_radio;

/* SIGTERM/SIGINT: stop the run (and unblock the radio's lockstep wait) so the report is printed.
 * Only async-signal-safe work here: a flag, and emu_radio_stop (a flag + shutdown()). */
static void prv_signal_cb(int sig)
{
    emu_soc_signal = sig;
    if (s_radio != NULL) {
        emu_radio_stop(s_radio);
    }
}

static void prv_radio_log_cb(void *ctx, const char *line)
{
    emu_radio_send_log((emu_radio_t *)ctx, line);
}

static void prv_usage(void)
{
    fprintf(
        stderr,
        "usage: wbota-emu --flash FILE[.elf|.hex|.bin@ADDR] [--flash ...] [options]\n"
        "  --uid64 HEX            UID64 at 0x1FFF7580 (default 0x0080E12600001234)\n"
        "  --sfsa N               first CPU2-secure flash page (default 0x%02X)\n"
        "  --hse-tune N           OTP HSE tuning byte (default 0x18)\n"
        "  --hse-dead             the HSE crystal never starts (HSERDY stays 0)\n"
        "  --pka-stuck            a started PKA operation never ends (SR.BUSY stays 1)\n"
        "  --radio ADDR           CPU2 model + virtual radio listening on ADDR\n"
        "  --cpu2-fus --cpu2-ready-us N --cpu2-never-ready --cpu2-mute\n"
        "  --phy 1|2 --conn-interval-us N --data-length N --ppe N\n"
        "  --max-time-us T --max-insn N --exit-on-idle\n"
        "  --strict (default) | --no-strict\n"
        "  --cut-at-flash-op N --cut-kind before|after|torn --cut-at-time-us T\n"
        "  --cut-at-insn N\n"
        "  --trace periph,cpu2,radio,reset,flash   --log FILE   --quiet\n"
        "  --state-save FILE (at the end of the run) --state-load FILE (instead of power-on)\n"
        "  --debug-write ADDR:HEX  at the --cut-at-time-us/--cut-at-insn cut, put these bytes\n"
        "                         into flash directly (a debugger's write, no controller)\n"
        "  --debug-erase PAGE[:N] at that cut, erase N pages (default 1) from PAGE the same way\n",
        (unsigned)WBOTA_CFG_DEFAULT_SFSA);
}

static unsigned prv_trace_mask(const char *list)
{
    unsigned m = 0;
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "periph") == 0) {
            m |= EMU_TRACE_PERIPH;
        } else if (strcmp(t, "cpu2") == 0) {
            m |= EMU_TRACE_CPU2;
        } else if (strcmp(t, "radio") == 0) {
            m |= EMU_TRACE_RADIO;
        } else if (strcmp(t, "reset") == 0) {
            m |= EMU_TRACE_RESET;
        } else if (strcmp(t, "flash") == 0) {
            m |= EMU_TRACE_FLASH;
        } else if (strcmp(t, "all") == 0) {
            m |= 0xFFu;
        } else {
            fprintf(stderr, "wbota-emu: unknown trace category '%s'\n", t);
        }
    }
    return m;
}

static bool prv_num(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

/* PAGE[:N] for --debug-erase: N pages (default 1), all inside the flash */
static bool prv_debug_erase(const char *spec, emu_soc_opts_t *opt)
{
    char page[32];
    uint64_t p;
    uint64_t n = 1u;
    const char *colon = strchr(spec, ':');
    const size_t len = (colon != NULL) ? (size_t)(colon - spec) : strlen(spec);
    if (len >= sizeof(page)) {
        return false;
    }
    memcpy(page, spec, len);
    page[len] = '\0';
    if (!prv_num(page, &p) || (colon != NULL && !prv_num(colon + 1, &n)) || n == 0u ||
        p + n > WBOTA_PAGE_COUNT) {
        return false;
    }
    opt->debug_erase_page = (uint32_t)p;
    opt->debug_erase_count = (uint32_t)n;
    return true;
}

/* ADDR:HEX (at most sizeof opt->debug_write bytes) for --debug-write */
static bool prv_debug_write(const char *spec, emu_soc_opts_t *opt)
{
    char addr[32];
    const char *colon = strchr(spec, ':');
    uint64_t a;
    if (colon == NULL || (size_t)(colon - spec) >= sizeof(addr)) {
        return false;
    }
    memcpy(addr, spec, (size_t)(colon - spec));
    addr[colon - spec] = '\0';
    const char *hex = colon + 1;
    const size_t n = strlen(hex);
    if (!prv_num(addr, &a) || a > 0xFFFFFFFFull || n == 0u || (n % 2u) != 0u ||
        n / 2u > sizeof(opt->debug_write)) {
        return false;
    }
    for (size_t i = 0; i < n / 2u; i++) {
        unsigned b;
        if (!isxdigit((unsigned char)hex[2u * i]) || !isxdigit((unsigned char)hex[2u * i + 1u]) ||
            sscanf(&hex[2u * i], "%2x", &b) != 1) {
            return false;
        }
        opt->debug_write[i] = (uint8_t)b;
    }
    opt->debug_write_addr = (uint32_t)a;
    opt->debug_write_len = (uint32_t)(n / 2u);
    return true;
}

/* FILE or FILE@ADDR (raw binaries); returns the exit status: OK, USAGE (bad address), IO
 * (unreadable file), INPUT (malformed image, or a segment outside flash). */
static int prv_load_image(emu_soc_t *soc, const char *spec)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s", spec);
    uint32_t base = WBOTA_FLASH_BASE;
    wbtool_fmt_t fmt = WBTOOL_FMT_AUTO;
    char *at = strrchr(path, '@');
    if (at != NULL) {
        uint64_t a;
        *at = '\0';
        if (!prv_num(at + 1, &a) || a > 0xFFFFFFFFull) {
            fprintf(stderr, "wbota-emu: bad address in '%s'\n", spec);
            return WBOTA_EXIT_USAGE;
        }
        base = (uint32_t)a;
        fmt = WBTOOL_FMT_BIN;
    }
    wbtool_input_t in;
    memset(&in, 0, sizeof(in));
    wbota_err_t rc = wbtool_input_load(path, fmt, base, &in);
    if (rc != WBOTA_OK) {
        fprintf(stderr, "wbota-emu: cannot load '%s': %s %s\n", path, wbota_err_name(rc), in.msg);
        wbtool_input_free(&in);
        return rc == WBOTA_E_IO ? WBOTA_EXIT_IO : WBOTA_EXIT_INPUT;
    }
    bool ok = true;
    uint32_t total = 0;
    for (size_t i = 0; i < in.mem.n && ok; i++) {
        const wbtool_seg_t *s = &in.mem.segs[i];
        if (!emu_soc_flash_load(soc, s->addr, in.mem.data + s->off, s->len)) {
            fprintf(stderr,
                    "wbota-emu: '%s': segment 0x%08" PRIx32 "+0x%" PRIx32 " is not inside flash\n",
                    path, s->addr, s->len);
            ok = false;
        }
        total += s->len;
    }
    if (ok) {
        fprintf(stderr, "EMU loaded %s (%s, %" PRIu32 " bytes)\n", path, wbtool_fmt_name(in.fmt),
                total);
    }
    wbtool_input_free(&in);
    return ok ? WBOTA_EXIT_OK : WBOTA_EXIT_INPUT;
}

int main(int argc, char **argv)
{
    emu_soc_opts_t opt;
    memset(&opt, 0, sizeof(opt));
    opt.uid64 = 0x0080E12600001234ull;
    opt.sfsa = WBOTA_CFG_DEFAULT_SFSA;
    opt.hse_tune = 0x18;
    opt.strict = true;
    const char *images[MAX_IMAGES];
    unsigned nimages = 0;
    const char *radio = NULL, *state_save = NULL, *state_load = NULL, *log_path = NULL;
    emu_cpu2_opts_t c2o;
    memset(&c2o, 0, sizeof(c2o));
    emu_radio_opts_t ro;
    memset(&ro, 0, sizeof(ro));
    enum {
        O_FLASH = 256,
        O_UID,
        O_SFSA,
        O_HSE,
        O_RADIO,
        O_FUS,
        O_READY,
        O_NEVER,
        O_MUTE,
        O_PHY,
        O_CI,
        O_DL,
        O_PPE,
        O_MAXT,
        O_MAXI,
        O_IDLE,
        O_STRICT,
        O_NOSTRICT,
        O_CUTOP,
        O_CUTKIND,
        O_CUTT,
        O_CUTI,
        O_TRACE,
        O_LOG,
        O_QUIET,
        O_SSAVE,
        O_SLOAD,
        O_HSEDEAD,
        O_PKASTUCK,
        O_DEBUGW,
        O_DEBUGE,
        O_HELP
    };
    static const struct option lo[] = {{"flash", required_argument, NULL, O_FLASH},
                                       {"uid64", required_argument, NULL, O_UID},
                                       {"sfsa", required_argument, NULL, O_SFSA},
                                       {"hse-tune", required_argument, NULL, O_HSE},
                                       {"hse-dead", no_argument, NULL, O_HSEDEAD},
                                       {"pka-stuck", no_argument, NULL, O_PKASTUCK},
                                       {"radio", required_argument, NULL, O_RADIO},
                                       {"cpu2-fus", no_argument, NULL, O_FUS},
                                       {"cpu2-ready-us", required_argument, NULL, O_READY},
                                       {"cpu2-never-ready", no_argument, NULL, O_NEVER},
                                       {"cpu2-mute", no_argument, NULL, O_MUTE},
                                       {"phy", required_argument, NULL, O_PHY},
                                       {"conn-interval-us", required_argument, NULL, O_CI},
                                       {"data-length", required_argument, NULL, O_DL},
                                       {"ppe", required_argument, NULL, O_PPE},
                                       {"max-time-us", required_argument, NULL, O_MAXT},
                                       {"max-insn", required_argument, NULL, O_MAXI},
                                       {"exit-on-idle", no_argument, NULL, O_IDLE},
                                       {"strict", no_argument, NULL, O_STRICT},
                                       {"no-strict", no_argument, NULL, O_NOSTRICT},
                                       {"cut-at-flash-op", required_argument, NULL, O_CUTOP},
                                       {"cut-kind", required_argument, NULL, O_CUTKIND},
                                       {"cut-at-time-us", required_argument, NULL, O_CUTT},
                                       {"cut-at-insn", required_argument, NULL, O_CUTI},
                                       {"trace", required_argument, NULL, O_TRACE},
                                       {"log", required_argument, NULL, O_LOG},
                                       {"quiet", no_argument, NULL, O_QUIET},
                                       {"state-save", required_argument, NULL, O_SSAVE},
                                       {"state-load", required_argument, NULL, O_SLOAD},
                                       {"debug-write", required_argument, NULL, O_DEBUGW},
                                       {"debug-erase", required_argument, NULL, O_DEBUGE},
                                       {"help", no_argument, NULL, O_HELP},
                                       {NULL, 0, NULL, 0}};
    int c;
    uint64_t v = 0;
    opt.cut_kind = WBOTA_CUT_BEFORE;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        bool num_ok = true;
        switch (c) {
        case O_FLASH:
            if (nimages >= MAX_IMAGES) {
                fprintf(stderr, "wbota-emu: at most %d --flash images\n", MAX_IMAGES);
                return WBOTA_EXIT_USAGE;
            }
            images[nimages++] = optarg;
            break;
        case O_UID: {
            char *end = NULL;
            opt.uid64 = strtoull(optarg, &end, 16);
            num_ok = end != optarg && *end == '\0';
            break;
        }
        case O_SFSA:
            num_ok = prv_num(optarg, &v) && v >= 1u && v <= 256u;
            opt.sfsa = (uint32_t)v;
            break;
        case O_HSE:
            num_ok = prv_num(optarg, &v) && v <= 0x3Fu;
            opt.hse_tune = (uint8_t)v;
            break;
        case O_HSEDEAD:
            opt.hse_dead = true;
            break;
        case O_PKASTUCK:
            opt.pka_stuck = true;
            break;
        case O_RADIO:
            radio = optarg;
            break;
        case O_FUS:
            c2o.fus_only = true;
            break;
        case O_READY:
            num_ok = prv_num(optarg, &v);
            c2o.ready_delay_us = (uint32_t)v;
            break;
        case O_NEVER:
            c2o.never_ready = true;
            break;
        case O_MUTE:
            c2o.mute_after_ready = true;
            break;
        case O_PHY:
            num_ok = prv_num(optarg, &v) && (v == 1u || v == 2u);
            ro.phy_mbps = (unsigned)v;
            break;
        case O_CI:
            num_ok = prv_num(optarg, &v);
            ro.conn_interval_us = (unsigned)v;
            break;
        case O_DL:
            num_ok = prv_num(optarg, &v) && v >= 27u && v <= 251u;
            ro.data_length = (unsigned)v;
            break;
        case O_PPE:
            num_ok = prv_num(optarg, &v) && v >= 1u;
            ro.packets_per_event = (unsigned)v;
            break;
        case O_MAXT:
            num_ok = prv_num(optarg, &v);
            opt.max_time_ns = v * 1000u;
            break;
        case O_MAXI:
            num_ok = prv_num(optarg, &v);
            opt.max_insn = v;
            break;
        case O_IDLE:
            opt.exit_on_idle = true;
            break;
        case O_STRICT:
            opt.strict = true;
            break;
        case O_NOSTRICT:
            opt.strict = false;
            break;
        case O_CUTOP:
            num_ok = prv_num(optarg, &v) && v >= 1u && v <= 0xFFFFFFFFu;
            opt.cut_flash_op = (uint32_t)v;
            break;
        case O_CUTKIND:
            if (strcmp(optarg, "before") == 0) {
                opt.cut_kind = WBOTA_CUT_BEFORE;
            } else if (strcmp(optarg, "after") == 0) {
                opt.cut_kind = WBOTA_CUT_AFTER;
            } else if (strcmp(optarg, "torn") == 0) {
                opt.cut_kind = WBOTA_CUT_TORN;
            } else {
                num_ok = false;
            }
            break;
        case O_CUTT:
            num_ok = prv_num(optarg, &v) && v >= 1u;
            opt.cut_time_ns = v * 1000u;
            break;
        case O_CUTI:
            num_ok = prv_num(optarg, &v) && v >= 1u;
            opt.cut_insn = v;
            break;
        case O_TRACE:
            opt.trace = prv_trace_mask(optarg);
            break;
        case O_LOG:
            log_path = optarg;
            break;
        case O_QUIET:
            opt.quiet = true;
            break;
        case O_SSAVE:
            state_save = optarg;
            break;
        case O_SLOAD:
            state_load = optarg;
            break;
        case O_DEBUGW:
            num_ok = prv_debug_write(optarg, &opt);
            break;
        case O_DEBUGE:
            num_ok = prv_debug_erase(optarg, &opt);
            break;
        case O_HELP:
            prv_usage();
            return WBOTA_EXIT_OK;
        default:
            prv_usage();
            return WBOTA_EXIT_USAGE;
        }
        if (!num_ok) {
            fprintf(stderr, "wbota-emu: bad value '%s'\n", optarg);
            return WBOTA_EXIT_USAGE;
        }
    }
    if (optind < argc || (nimages == 0u && state_load == NULL)) {
        prv_usage();
        return WBOTA_EXIT_USAGE;
    }
    if (log_path != NULL) {
        opt.log = fopen(log_path, "w");
        if (opt.log == NULL) {
            fprintf(stderr, "wbota-emu: cannot open log '%s'\n", log_path);
            return WBOTA_EXIT_IO;
        }
    }
    emu_soc_t *soc = emu_soc_create(&opt);
    if (soc == NULL) {
        return WBOTA_EXIT_INTERNAL;
    }
    for (unsigned i = 0; i < nimages; i++) {
        int load_rc = prv_load_image(soc, images[i]);
        if (load_rc != WBOTA_EXIT_OK) {
            emu_soc_destroy(soc);
            return load_rc;
        }
    }
    emu_cpu2_t *c2 = NULL;
    emu_radio_t *r = NULL;
    if (radio != NULL) {
        c2 = emu_cpu2_create(soc, &c2o);
        ro.listen = radio;
        r = c2 != NULL ? emu_radio_create(soc, c2, &ro) : NULL;
        if (r == NULL) {
            fprintf(stderr, "wbota-emu: cannot start the CPU2 model / radio on %s\n", radio);
            emu_soc_destroy(soc);
            return WBOTA_EXIT_EMU_RADIO;
        }
        emu_soc_set_log_sink(soc, prv_radio_log_cb, r);
        s_radio = r;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = prv_signal_cb;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    emu_soc_power_on(soc);
    if (state_load != NULL && !emu_soc_state_load(soc, state_load)) {
        fprintf(stderr, "wbota-emu: cannot load state '%s'\n", state_load);
        emu_soc_destroy(soc);
        return WBOTA_EXIT_IO;
    }
    int rc = emu_soc_run(soc);
    if (state_save != NULL && !emu_soc_state_save(soc, state_save)) {
        fprintf(stderr, "wbota-emu: cannot save state '%s'\n", state_save);
    }
    if (!opt.quiet) {
        emu_soc_report(soc);
    }
    if ((opt.cut_flash_op || opt.cut_time_ns || opt.cut_insn) && !soc->cut_fired) {
        fprintf(stderr, "EMU CUT did not fire\n");
    }
    if (r != NULL) {
        s_radio = NULL;
        emu_soc_set_log_sink(soc, NULL, NULL);
        emu_radio_destroy(r);
    }
    if (c2 != NULL) {
        emu_cpu2_destroy(c2);
    }
    emu_soc_destroy(soc);
    if (opt.log != NULL) {
        fclose(opt.log);
    }
    return rc;
}
