/* transport_bluez.c - the BLE central over BlueZ's D-Bus API (bluetoothd, bus name org.bluez,
 * interfaces Adapter1, Device1, GattCharacteristic1 and the ObjectManager; docs/linux-upload.md).
 *
 * The seam (transport.h) speaks ATT handles; BlueZ speaks object paths and never exposes the
 * CCCD. So discover() numbers the device's characteristics itself: value handle 4*(i+1), the
 * declaration one below, and "value + 1" stands for the CCCD: a write of 01/02 there becomes
 * StartNotify (BlueZ writes the CCCD and confirms indications itself), 00 00 StopNotify.
 * Indications arrive as PropertiesChanged on the characteristic's Value.
 *
 * Writes without response go through AcquireWrite's socket where BlueZ offers it (one
 * datagram = one ATT Write Command, at most MTU-3 bytes), else WriteValue type "command".
 * bluetoothd reads each socket and the D-Bus connection in its own order, so before a write
 * takes another path than the previous one we wait until bluetoothd has read every queued
 * datagram (SIOCOUTQ == 0): FE22 07 must never overtake the last FE24 chunk.
 *
 * Every D-Bus call has a timeout and every wait a wall-clock deadline; wbtool_interrupted
 * (Ctrl-C) ends any wait with WBOTA_E_INTERRUPTED. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"
#include "transport_setup.h"
#include "upload.h"
#include "wbota_wire.h"

#define BZ_NAME       "org.bluez"
#define BZ_IF_ADAPTER "org.bluez.Adapter1"
#define BZ_IF_DEVICE  "org.bluez.Device1"
#define BZ_IF_CHAR    "org.bluez.GattCharacteristic1"
#define BZ_IF_OM      "org.freedesktop.DBus.ObjectManager"
#define BZ_IF_PROPS   "org.freedesktop.DBus.Properties"
#define BZ_CALL_MS    5000u /* bound of a plain method call */
#define BZ_DRAIN_MS   5000u /* bound of the wait for bluetoothd to read a write socket */
#define BZ_MAX_DEV    64u
#define BZ_MAX_ADAPT  8u
#define BZ_PATH       128u
#define BZ_VALUE_MAX  64u

typedef struct {
    bool used;
    char path[BZ_PATH];
    uint8_t addr[6];
    char name[32];
    int8_t rssi;
    bool have_manuf;
    uint16_t company;
    uint8_t manuf[27];
    uint8_t manuf_len;
    bool seen; /* advertised during the current discovery session */
    bool connected;
    bool resolved;
    bool paired;
} prv_dev_t;

typedef struct {
    char path[BZ_PATH + 40u];
    uint8_t uuid[16]; /* little-endian, as on air */
    uint8_t props;
    uint16_t handle;
    bool acquirable; /* has the WriteAcquired property */
    int fd;          /* AcquireWrite socket, or -1 */
    uint16_t mtu;
} prv_chr_t;

/* Everything one a{sv} may carry that this transport reads. */
typedef struct {
    bool has_addr, has_name, has_alias, has_rssi, has_conn, has_res, has_paired, has_powered;
    bool has_manuf, has_uuid, has_flags, has_wacq, has_mtu, has_value;
    char addr[18];
    char name[32];
    int16_t rssi;
    bool conn, res, paired, powered;
    uint16_t company;
    uint8_t manuf[27];
    size_t manuf_len;
    char uuid[40];
    uint8_t flags;
    uint16_t mtu;
    uint8_t value[BZ_VALUE_MAX];
    size_t value_len;
} prv_props_t;

typedef struct {
    sd_bus *bus;
    wbtool_transport_t *t;
    char adapter[BZ_PATH];
    prv_dev_t dev[BZ_MAX_DEV];
    bool discovering;
    int cur; /* index into dev of the connected device, or -1 */
    prv_chr_t chr[WBTOOL_CHAR_MAX];
    size_t nchr;
    bool chars_loaded;
    int last_path; /* -2 none, -1 D-Bus, else chr index of the socket last written */
    bool ind_pending;
    size_t ind_chr;
    uint8_t ind[BZ_VALUE_MAX];
    size_t ind_len;
    wbtool_adv_cb scan_cb;
    void *scan_user;
    bool scan_stop;
} prv_bz_t;

static uint64_t prv_mono_us(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* "0000fe22-8e22-4541-9d4c-21edae82ed19" -> 16 bytes little-endian (as on air). */
static bool prv_parse_uuid(const char *s, uint8_t out[16])
{
    uint8_t be[16];
    size_t k = 0u;
    for (const char *p = s; *p != '\0' && k < 32u; p++) {
        if (*p == '-') {
            continue;
        }
        unsigned v;
        if (sscanf(p, "%1x", &v) != 1) {
            return false;
        }
        if ((k & 1u) == 0u) {
            be[k / 2u] = (uint8_t)(v << 4);
        } else {
            be[k / 2u] |= (uint8_t)v;
        }
        k++;
    }
    if (k != 32u) {
        return false;
    }
    for (size_t i = 0u; i < 16u; i++) {
        out[i] = be[15u - i];
    }
    return true;
}

static void prv_set(prv_bz_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(b->t->msg, sizeof(b->t->msg), fmt, ap);
    va_end(ap);
}

/* Maps a failed call to a reason code and one line: what failed, BlueZ's words, what to do. */
static wbota_err_t prv_fail(prv_bz_t *b, const char *what, const sd_bus_error *e, int r)
{
    const char *name = (e != NULL && sd_bus_error_is_set(e)) ? e->name : NULL;
    const char *text = (name != NULL) ? (e->message != NULL ? e->message : "") : strerror(-r);
    wbota_err_t code = WBOTA_E_IO;
    const char *hint = "";
    if (wbtool_interrupted) {
        prv_set(b, "interrupted during %s", what);
        return WBOTA_E_INTERRUPTED;
    }
    if (name == NULL) {
        if (r == -ETIMEDOUT) {
            code = WBOTA_E_TIMEOUT;
            hint = ": bluetoothd did not answer within the bound";
        }
    } else if (sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.AccessDenied") ||
               sd_bus_error_has_name(e, "org.bluez.Error.NotPermitted") ||
               sd_bus_error_has_name(e, "org.bluez.Error.NotAuthorized") ||
               sd_bus_error_has_name(
                   e, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")) {
        code = WBOTA_E_BT_DENIED;
        hint = ": permission denied: join the 'bluetooth' group or allow your user in the "
               "D-Bus policy (docs/linux-upload.md#permissions)";
    } else if (sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.ServiceUnknown") ||
               sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.NameHasNoOwner")) {
        code = WBOTA_E_BT_NO_BLUEZ;
        hint = ": bluetoothd is not running: sudo systemctl start bluetooth";
    } else if (sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.NoReply") ||
               sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.Timeout") ||
               sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.TimedOut")) {
        code = WBOTA_E_TIMEOUT;
        hint = ": no answer within the bound";
    } else if (sd_bus_error_has_name(e, "org.bluez.Error.InProgress")) {
        code = WBOTA_E_BT_BUSY;
        hint = ": another program (bluetoothctl, a desktop applet) is busy with this device: "
               "close it and retry";
    } else if (sd_bus_error_has_name(e, "org.bluez.Error.NotReady")) {
        code = WBOTA_E_BT_ADAPTER_OFF;
        hint = ": the adapter is not powered: bluetoothctl power on";
    } else if (sd_bus_error_has_name(e, "org.bluez.Error.NotConnected") ||
               (sd_bus_error_has_name(e, "org.bluez.Error.Failed") &&
                strstr(text, "Not connected") != NULL)) {
        code = WBOTA_E_LINK_LOST;
        if (b->cur >= 0 && b->dev[b->cur].connected && !b->dev[b->cur].resolved) {
            code = WBOTA_E_BT_UNRESOLVED;
            hint = ": the device is connected but its services are not resolved (BlueZ is "
                   "re-reading them); retry";
        }
    } else if (sd_bus_error_has_name(e, "org.bluez.Error.DoesNotExist") ||
               sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.UnknownObject") ||
               sd_bus_error_has_name(e, "org.freedesktop.DBus.Error.UnknownMethod")) {
        code = WBOTA_E_NOT_FOUND;
    }
    /* the bus daemon's texts run long (rule counts, sender details): the first clause says it */
    int tl = (int)strcspn(text, ";");
    prv_set(b, "%s: %s (%.*s)%s", what, name != NULL ? name : "error", tl < 80 ? tl : 80, text,
            hint);
    return code;
}

static int prv_call(prv_bz_t *b, const char *path, const char *iface, const char *member,
                    uint32_t timeout_ms, sd_bus_message **reply, sd_bus_error *err,
                    const char *types, ...)
{
    sd_bus_message *m = NULL;
    int r = sd_bus_message_new_method_call(b->bus, &m, BZ_NAME, path, iface, member);
    if (r >= 0 && types != NULL) {
        va_list ap;
        va_start(ap, types);
        r = sd_bus_message_appendv(m, types, ap);
        va_end(ap);
    }
    if (r >= 0) {
        r = sd_bus_call(b->bus, m, (uint64_t)timeout_ms * 1000u, err, reply);
    }
    sd_bus_message_unref(m);
    return r;
}

/* ---------- property parsing ---------- */

static bool prv_peek_is(sd_bus_message *m, const char *sig)
{
    char type;
    const char *contents = NULL;
    return sd_bus_message_peek_type(m, &type, &contents) > 0 && type == 'v' && contents != NULL &&
           strcmp(contents, sig) == 0;
}

static void prv_copy_str(char *dst, size_t cap, const char *s)
{
    size_t n = (s != NULL) ? strnlen(s, cap - 1u) : 0u;
    if (n > 0u) {
        memcpy(dst, s, n);
    }
    dst[n] = '\0'; /* truncated: names and paths longer than the field are cut */
}

/* A variant holding a byte array (v of ay) into buf (cap bytes; a longer one is cut). */
static int prv_read_var_bytes(sd_bus_message *m, uint8_t *buf, size_t cap, size_t *len)
{
    const void *d = NULL;
    size_t n = 0u;
    int r = sd_bus_message_enter_container(m, 'v', "ay");
    if (r >= 0) {
        r = sd_bus_message_read_array(m, 'y', &d, &n);
    }
    if (r >= 0) {
        *len = n < cap ? n : cap;
        memcpy(buf, d, *len);
        r = sd_bus_message_exit_container(m);
    }
    return r;
}

static int prv_read_manuf(sd_bus_message *m, prv_props_t *p)
{
    int r = sd_bus_message_enter_container(m, 'v', "a{qv}");
    if (r >= 0) {
        r = sd_bus_message_enter_container(m, 'a', "{qv}");
    }
    while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "qv")) > 0) {
        uint16_t id = 0u;
        r = sd_bus_message_read(m, "q", &id);
        if (r >= 0 && prv_peek_is(m, "ay") && !p->has_manuf) {
            r = prv_read_var_bytes(m, p->manuf, sizeof(p->manuf), &p->manuf_len);
            p->has_manuf = r >= 0;
            p->company = id;
        } else if (r >= 0) {
            r = sd_bus_message_skip(m, "v");
        }
        if (r >= 0) {
            r = sd_bus_message_exit_container(m);
        }
    }
    if (r >= 0) {
        r = sd_bus_message_exit_container(m);
    }
    if (r >= 0) {
        r = sd_bus_message_exit_container(m);
    }
    return r;
}

static uint8_t prv_flag_bits(char **flags)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } k_map[] = {{"read", 0x02u},
                 {"write-without-response", 0x04u},
                 {"write", 0x08u},
                 {"notify", 0x10u},
                 {"indicate", 0x20u}};
    uint8_t bits = 0u;
    for (char **f = flags; f != NULL && *f != NULL; f++) {
        for (size_t i = 0u; i < sizeof(k_map) / sizeof(k_map[0]); i++) {
            if (strcmp(*f, k_map[i].name) == 0) {
                bits |= k_map[i].bit;
            }
        }
    }
    return bits;
}

/* One property value (message positioned at the variant). */
static int prv_read_prop(sd_bus_message *m, const char *name, prv_props_t *p)
{
    const char *s = NULL;
    int b = 0;
    int r;
    if ((strcmp(name, "Address") == 0 || strcmp(name, "Name") == 0 || strcmp(name, "Alias") == 0 ||
         strcmp(name, "UUID") == 0) &&
        prv_peek_is(m, "s")) {
        r = sd_bus_message_read(m, "v", "s", &s);
        if (r >= 0 && name[0] == 'A' && name[1] == 'd') {
            p->has_addr = true;
            prv_copy_str(p->addr, sizeof(p->addr), s);
        } else if (r >= 0 && name[0] == 'N') {
            p->has_name = true;
            prv_copy_str(p->name, sizeof(p->name), s);
        } else if (r >= 0 && name[0] == 'A') {
            if (!p->has_name) {
                prv_copy_str(p->name, sizeof(p->name), s);
            }
            p->has_alias = true;
        } else if (r >= 0) {
            p->has_uuid = true;
            prv_copy_str(p->uuid, sizeof(p->uuid), s);
        }
        return r;
    }
    if (strcmp(name, "RSSI") == 0 && prv_peek_is(m, "n")) {
        p->has_rssi = true;
        return sd_bus_message_read(m, "v", "n", &p->rssi);
    }
    if (strcmp(name, "MTU") == 0 && prv_peek_is(m, "q")) {
        p->has_mtu = true;
        return sd_bus_message_read(m, "v", "q", &p->mtu);
    }
    if (prv_peek_is(m, "b") &&
        (strcmp(name, "Connected") == 0 || strcmp(name, "ServicesResolved") == 0 ||
         strcmp(name, "Paired") == 0 || strcmp(name, "Powered") == 0 ||
         strcmp(name, "WriteAcquired") == 0)) {
        r = sd_bus_message_read(m, "v", "b", &b);
        if (strcmp(name, "Connected") == 0) {
            p->has_conn = true;
            p->conn = b != 0;
        } else if (strcmp(name, "ServicesResolved") == 0) {
            p->has_res = true;
            p->res = b != 0;
        } else if (strcmp(name, "Paired") == 0) {
            p->has_paired = true;
            p->paired = b != 0;
        } else if (strcmp(name, "Powered") == 0) {
            p->has_powered = true;
            p->powered = b != 0;
        } else {
            p->has_wacq = true;
        }
        return r;
    }
    if (strcmp(name, "ManufacturerData") == 0 && prv_peek_is(m, "a{qv}")) {
        return prv_read_manuf(m, p);
    }
    if (strcmp(name, "Flags") == 0 && prv_peek_is(m, "as")) {
        char **strv = NULL;
        r = sd_bus_message_enter_container(m, 'v', "as");
        if (r >= 0) {
            r = sd_bus_message_read_strv(m, &strv);
        }
        if (r >= 0) {
            p->has_flags = true;
            p->flags = prv_flag_bits(strv);
            r = sd_bus_message_exit_container(m);
        }
        for (char **f = strv; f != NULL && *f != NULL; f++) {
            free(*f);
        }
        free(strv);
        return r;
    }
    if (strcmp(name, "Value") == 0 && prv_peek_is(m, "ay")) {
        r = prv_read_var_bytes(m, p->value, sizeof(p->value), &p->value_len);
        p->has_value = r >= 0;
        return r;
    }
    return sd_bus_message_skip(m, "v");
}

/* a{sv} */
static int prv_read_props(sd_bus_message *m, prv_props_t *p)
{
    memset(p, 0, sizeof(*p));
    int r = sd_bus_message_enter_container(m, 'a', "{sv}");
    while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
        const char *name = NULL;
        r = sd_bus_message_read(m, "s", &name);
        if (r >= 0) {
            r = prv_read_prop(m, name, p);
        }
        if (r >= 0) {
            r = sd_bus_message_exit_container(m);
        }
    }
    if (r >= 0) {
        r = sd_bus_message_exit_container(m);
    }
    return r;
}

/* ---------- device table ---------- */

static int prv_dev_find(prv_bz_t *b, const char *path)
{
    for (size_t i = 0u; i < BZ_MAX_DEV; i++) {
        if (b->dev[i].used && strcmp(b->dev[i].path, path) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool prv_under(const char *path, const char *parent)
{
    size_t n = strlen(parent);
    return strncmp(path, parent, n) == 0 && path[n] == '/';
}

/* A device object of our adapter (created on first sight). */
static int prv_dev_get(prv_bz_t *b, const char *path)
{
    int i = prv_dev_find(b, path);
    if (i >= 0 || !prv_under(path, b->adapter) || strchr(path + strlen(b->adapter) + 1u, '/')) {
        return i;
    }
    for (size_t k = 0u; k < BZ_MAX_DEV; k++) {
        if (!b->dev[k].used) {
            memset(&b->dev[k], 0, sizeof(b->dev[k]));
            b->dev[k].used = true;
            prv_copy_str(b->dev[k].path, sizeof(b->dev[k].path), path);
            return (int)k;
        }
    }
    return -1;
}

static int prv_dev_by_addr(prv_bz_t *b, const uint8_t addr[6])
{
    for (size_t i = 0u; i < BZ_MAX_DEV; i++) {
        if (b->dev[i].used && memcmp(b->dev[i].addr, addr, 6u) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Advertising data rebuilt from what BlueZ publishes (name, manufacturer data), so the
 * sequence code matches loaders and apps the same way on every transport. */
static void prv_dev_adv(const prv_dev_t *d, wbtool_adv_t *adv)
{
    memset(adv, 0, sizeof(*adv));
    memcpy(adv->addr, d->addr, 6u);
    adv->rssi = d->rssi;
    size_t n = 0u;
    size_t nl = strlen(d->name);
    if (nl > 0u && nl + 2u <= sizeof(adv->data)) {
        adv->data[n++] = (uint8_t)(nl + 1u);
        adv->data[n++] = WBOTA_AD_COMPLETE_NAME;
        memcpy(&adv->data[n], d->name, nl);
        n += nl;
    }
    if (d->have_manuf && n + 4u + d->manuf_len <= sizeof(adv->data)) {
        adv->data[n++] = (uint8_t)(3u + d->manuf_len);
        adv->data[n++] = WBOTA_AD_MANUFACTURER; /* company id LE, then the bytes */
        adv->data[n++] = (uint8_t)(d->company & 0xFFu);
        adv->data[n++] = (uint8_t)(d->company >> 8);
        memcpy(&adv->data[n], d->manuf, d->manuf_len);
        n += d->manuf_len;
    }
    adv->len = (uint8_t)n;
}

static void prv_dev_update(prv_bz_t *b, int i, const prv_props_t *p)
{
    prv_dev_t *d = &b->dev[i];
    if (p->has_addr) {
        (void)wbtool_parse_bdaddr(p->addr, d->addr);
    }
    if (p->has_name || (p->has_alias && d->name[0] == '\0')) {
        prv_copy_str(d->name, sizeof(d->name), p->name);
    }
    if (p->has_rssi) {
        d->rssi = (int8_t)p->rssi;
    }
    if (p->has_manuf) {
        d->have_manuf = true;
        d->company = p->company;
        d->manuf_len = (uint8_t)p->manuf_len;
        memcpy(d->manuf, p->manuf, p->manuf_len);
    }
    if (p->has_conn) {
        d->connected = p->conn;
        if (!p->conn) {
            d->resolved = false;
        }
    }
    if (p->has_res) {
        d->resolved = p->res;
    }
    if (p->has_paired) {
        d->paired = p->paired;
    }
    /* An RSSI (or new advertising data) during our discovery = advertising now. */
    if (b->discovering && (p->has_rssi || p->has_manuf)) {
        d->seen = true;
        if (b->scan_cb != NULL && !b->scan_stop) {
            wbtool_adv_t adv;
            prv_dev_adv(d, &adv);
            b->scan_stop = b->scan_cb(&adv, b->scan_user);
        }
    }
}

/* ---------- signals ---------- */

/* Handler of one interface of an object during prv_walk_ifaces: reads that interface's
 * properties (a{sv}) and returns 1, returns 0 to have them skipped, or a negative errno. */
typedef int (*prv_iface_cb)(prv_bz_t *b, void *user, const char *obj, const char *iface,
                            sd_bus_message *m);

/* Walks the interfaces of object obj (a{sa{sv}}: InterfacesAdded, or one entry of
 * GetManagedObjects), handing each to cb. Returns the last sd-bus result (negative: error). */
static int prv_walk_ifaces(prv_bz_t *b, sd_bus_message *m, const char *obj, prv_iface_cb cb,
                           void *user)
{
    int r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
    while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
        const char *iface = NULL;
        r = sd_bus_message_read(m, "s", &iface);
        if (r >= 0) {
            r = cb(b, user, obj, iface, m);
        }
        if (r == 0) {
            r = sd_bus_message_skip(m, "a{sv}");
        }
        if (r >= 0) {
            r = sd_bus_message_exit_container(m);
        }
    }
    if (r >= 0) {
        r = sd_bus_message_exit_container(m);
    }
    return r;
}

/* prv_iface_cb: a device object's properties update the device table. */
static int prv_device_iface(prv_bz_t *b, void *user, const char *obj, const char *iface,
                            sd_bus_message *m)
{
    (void)user;
    if (strcmp(iface, BZ_IF_DEVICE) != 0) {
        return 0;
    }
    prv_props_t p;
    int r = prv_read_props(m, &p);
    int i = prv_dev_get(b, obj);
    if (r >= 0 && i >= 0) {
        prv_dev_update(b, i, &p);
    }
    return r < 0 ? r : 1;
}

/* Calls GetManagedObjects (bounded); on failure says what (prv_fail) and returns its class. */
static wbota_err_t prv_get_objects(prv_bz_t *b, const char *what, sd_bus_message **rep)
{
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = prv_call(b, "/", BZ_IF_OM, "GetManagedObjects", BZ_CALL_MS, rep, &e, NULL);
    if (r < 0) {
        wbota_err_t err = prv_fail(b, what, &e, r);
        sd_bus_error_free(&e);
        return err;
    }
    return WBOTA_OK;
}

/* Walks a GetManagedObjects reply (a{oa{sa{sv}}}) from its start, handing every interface of
 * every object to cb (prv_walk_ifaces). */
static int prv_walk_objects(prv_bz_t *b, sd_bus_message *rep, prv_iface_cb cb, void *user)
{
    int r = sd_bus_message_rewind(rep, 1);
    if (r >= 0) {
        r = sd_bus_message_enter_container(rep, 'a', "{oa{sa{sv}}}");
    }
    while (r >= 0 && (r = sd_bus_message_enter_container(rep, 'e', "oa{sa{sv}}")) > 0) {
        const char *obj = NULL;
        r = sd_bus_message_read(rep, "o", &obj);
        if (r >= 0) {
            r = prv_walk_ifaces(b, rep, obj, cb, user);
        }
        if (r >= 0) {
            r = sd_bus_message_exit_container(rep);
        }
    }
    if (r >= 0) {
        r = sd_bus_message_exit_container(rep);
    }
    return r;
}

static int prv_on_signal(sd_bus_message *m, void *user, sd_bus_error *ret_error)
{
    (void)ret_error;
    prv_bz_t *b = user;
    const char *member = sd_bus_message_get_member(m);
    const char *path = sd_bus_message_get_path(m);
    if (member == NULL || path == NULL) {
        return 0;
    }
    if (strcmp(member, "InterfacesAdded") == 0) {
        const char *obj = NULL;
        if (sd_bus_message_read(m, "o", &obj) >= 0) {
            (void)prv_walk_ifaces(b, m, obj, prv_device_iface, NULL);
        }
    } else if (strcmp(member, "InterfacesRemoved") == 0) {
        const char *obj = NULL;
        char **ifs = NULL;
        if (sd_bus_message_read(m, "o", &obj) >= 0 && sd_bus_message_read_strv(m, &ifs) >= 0) {
            int i = prv_dev_find(b, obj);
            for (char **f = ifs; f != NULL && *f != NULL; f++) {
                if (i >= 0 && strcmp(*f, BZ_IF_DEVICE) == 0) {
                    b->dev[i].used = false;
                    if (b->cur == i) {
                        b->cur = -1;
                    }
                }
                free(*f);
            }
            free(ifs);
        }
    } else if (strcmp(member, "PropertiesChanged") == 0 && prv_under(path, "/org/bluez")) {
        const char *iface = NULL;
        prv_props_t p;
        if (sd_bus_message_read(m, "s", &iface) < 0 || prv_read_props(m, &p) < 0) {
            return 0;
        }
        if (strcmp(iface, BZ_IF_DEVICE) == 0) {
            int i = prv_dev_get(b, path);
            if (i >= 0) {
                prv_dev_update(b, i, &p);
            }
        } else if (strcmp(iface, BZ_IF_CHAR) == 0 && p.has_value) {
            for (size_t k = 0u; k < b->nchr; k++) {
                if (strcmp(b->chr[k].path, path) == 0) {
                    b->ind_pending = true;
                    b->ind_chr = k;
                    b->ind_len = p.value_len;
                    memcpy(b->ind, p.value, p.value_len);
                }
            }
        }
    }
    return 0;
}

/* ---------- bounded waiting ---------- */

typedef bool (*prv_done_fn)(prv_bz_t *b, const void *arg);

/* Dispatches bus traffic until done() holds or timeout_ms pass. */
static wbota_err_t prv_wait(prv_bz_t *b, uint32_t timeout_ms, prv_done_fn done, const void *arg)
{
    uint64_t deadline = prv_mono_us() + (uint64_t)timeout_ms * 1000u;
    for (;;) {
        int r;
        while ((r = sd_bus_process(b->bus, NULL)) > 0) {
        }
        if (r < 0) {
            prv_set(b, "lost the D-Bus connection to bluetoothd: %s", strerror(-r));
            return WBOTA_E_IO;
        }
        if (done != NULL && done(b, arg)) {
            return WBOTA_OK;
        }
        if (wbtool_interrupted) {
            prv_set(b, "interrupted");
            return WBOTA_E_INTERRUPTED;
        }
        uint64_t now = prv_mono_us();
        if (now >= deadline) {
            return WBOTA_E_TIMEOUT;
        }
        (void)sd_bus_wait(b->bus, deadline - now);
    }
}

static bool prv_done_resolved(prv_bz_t *b, const void *arg)
{
    (void)arg;
    return b->cur < 0 || !b->dev[b->cur].connected || b->dev[b->cur].resolved;
}

static bool prv_done_disconnected(prv_bz_t *b, const void *arg)
{
    (void)arg;
    return b->cur < 0 || !b->dev[b->cur].connected;
}

static bool prv_done_indication(prv_bz_t *b, const void *arg)
{
    const size_t *k = arg;
    return (b->ind_pending && b->ind_chr == *k) || prv_done_disconnected(b, NULL);
}

/* ---------- characteristics ---------- */

static void prv_chars_release(prv_bz_t *b)
{
    for (size_t i = 0u; i < b->nchr; i++) {
        if (b->chr[i].fd >= 0) {
            close(b->chr[i].fd);
            b->chr[i].fd = -1;
        }
    }
    b->nchr = 0u;
    b->chars_loaded = false;
    b->ind_pending = false;
    b->last_path = -2;
}

static int prv_chr_cmp(const void *a, const void *c)
{
    return strcmp(((const prv_chr_t *)a)->path, ((const prv_chr_t *)c)->path);
}

/* prv_iface_cb: a GATT characteristic under the connected device (user: the device's path)
 * joins b->chr. */
static int prv_char_iface(prv_bz_t *b, void *user, const char *obj, const char *iface,
                          sd_bus_message *m)
{
    if (!prv_under(obj, user) || strcmp(iface, BZ_IF_CHAR) != 0 || b->nchr >= WBTOOL_CHAR_MAX) {
        return 0;
    }
    prv_props_t p;
    int r = prv_read_props(m, &p);
    prv_chr_t *c = &b->chr[b->nchr];
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    if (r >= 0 && p.has_uuid && prv_parse_uuid(p.uuid, c->uuid)) {
        prv_copy_str(c->path, sizeof(c->path), obj);
        c->props = p.flags;
        c->acquirable = p.has_wacq;
        c->mtu = p.has_mtu ? p.mtu : 0u;
        b->nchr++;
    }
    return r < 0 ? r : 1;
}

/* Reads the connected device's characteristics from GetManagedObjects. */
static wbota_err_t prv_chars_load(prv_bz_t *b)
{
    if (b->chars_loaded) {
        return WBOTA_OK;
    }
    if (b->cur < 0) {
        prv_set(b, "not connected");
        return WBOTA_E_LINK_LOST;
    }
    const char *devpath = b->dev[b->cur].path;
    sd_bus_message *rep = NULL;
    wbota_err_t err = prv_get_objects(b, "GetManagedObjects", &rep);
    if (err != WBOTA_OK) {
        return err;
    }
    b->nchr = 0u;
    int r = prv_walk_objects(b, rep, prv_char_iface, (void *)devpath);
    sd_bus_message_unref(rep);
    if (r < 0) {
        prv_set(b, "cannot parse BlueZ's object list: %s", strerror(-r));
        return WBOTA_E_PARSE;
    }
    /* stable numbering: BlueZ's paths carry the ATT handles in hex (serviceXXXX/charYYYY) */
    qsort(b->chr, b->nchr, sizeof(b->chr[0]), prv_chr_cmp);
    for (size_t i = 0u; i < b->nchr; i++) {
        b->chr[i].handle = (uint16_t)(4u * (i + 1u));
    }
    b->chars_loaded = true;
    return WBOTA_OK;
}

/* Waits until bluetoothd has read every datagram queued on the write sockets. */
static wbota_err_t prv_drain_fds(prv_bz_t *b)
{
    uint64_t deadline = prv_mono_us() + (uint64_t)BZ_DRAIN_MS * 1000u;
    for (size_t i = 0u; i < b->nchr; i++) {
        int q = 0;
        while (b->chr[i].fd >= 0 && ioctl(b->chr[i].fd, SIOCOUTQ, &q) == 0 && q > 0) {
            wbota_err_t err = prv_wait(b, 2u, NULL, NULL);
            if (err == WBOTA_E_INTERRUPTED || err == WBOTA_E_IO) {
                return err;
            }
            if (prv_mono_us() > deadline) {
                prv_set(b, "bluetoothd did not take the queued writes within %u ms",
                        (unsigned)BZ_DRAIN_MS);
                return WBOTA_E_TIMEOUT;
            }
        }
    }
    return WBOTA_OK;
}

static wbota_err_t prv_link_gone(prv_bz_t *b, const char *how)
{
    (void)prv_wait(b, 200u, prv_done_disconnected, NULL); /* let Connected=false arrive */
    if (b->cur >= 0 && b->dev[b->cur].connected && !b->dev[b->cur].resolved) {
        prv_set(b, "%s while the services were not resolved (BlueZ is re-reading them)", how);
        return WBOTA_E_BT_UNRESOLVED;
    }
    prv_set(b, "link lost: %s", how);
    return WBOTA_E_LINK_LOST;
}

static wbota_err_t prv_fd_write(prv_bz_t *b, prv_chr_t *c, const uint8_t *d, size_t n)
{
    if (c->mtu > 3u && n > (size_t)c->mtu - 3u) {
        prv_set(b, "write of %zu bytes exceeds MTU-3 (%u)", n, (unsigned)c->mtu - 3u);
        return WBOTA_E_ARG;
    }
    uint64_t deadline = prv_mono_us() + (uint64_t)BZ_DRAIN_MS * 1000u;
    for (;;) {
        ssize_t w = send(c->fd, d, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w == (ssize_t)n) {
            return WBOTA_OK;
        }
        if (w >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            return prv_link_gone(b, "bluetoothd closed the write socket");
        }
        /* the socket is full: bluetoothd sends as fast as the link carries */
        wbota_err_t err = prv_wait(b, 0u, NULL, NULL);
        if (err == WBOTA_E_INTERRUPTED || err == WBOTA_E_IO) {
            return err;
        }
        if (prv_done_disconnected(b, NULL)) {
            return prv_link_gone(b, "the device disconnected");
        }
        if (prv_mono_us() > deadline) {
            prv_set(b, "bluetoothd took no data for %u ms", (unsigned)BZ_DRAIN_MS);
            return WBOTA_E_TIMEOUT;
        }
        struct pollfd pfd = {.fd = c->fd, .events = POLLOUT};
        (void)poll(&pfd, 1, 10);
    }
}

/* ---------- the seam ---------- */

static wbota_err_t prv_discovery(prv_bz_t *b, bool on)
{
    if (b->discovering == on) {
        return WBOTA_OK;
    }
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = 0;
    if (on) {
        /* LE only, every advertisement (RSSI updates tell "advertising now"). No UUID filter:
         * neither ST's loader nor the apps put a service UUID in their advertising. */
        r = prv_call(b, b->adapter, BZ_IF_ADAPTER, "SetDiscoveryFilter", BZ_CALL_MS, NULL, &e,
                     "a{sv}", 2, "Transport", "s", "le", "DuplicateData", "b", 1);
        if (r < 0 && sd_bus_error_has_name(&e, "org.bluez.Error.InvalidArguments")) {
            /* a BlueZ older than the DuplicateData key: LE only is what matters */
            sd_bus_error_free(&e);
            r = prv_call(b, b->adapter, BZ_IF_ADAPTER, "SetDiscoveryFilter", BZ_CALL_MS, NULL, &e,
                         "a{sv}", 1, "Transport", "s", "le");
        }
        if (r >= 0) {
            r = prv_call(b, b->adapter, BZ_IF_ADAPTER, "StartDiscovery", BZ_CALL_MS, NULL, &e,
                         NULL);
        }
        if (r < 0 && sd_bus_error_has_name(&e, "org.bluez.Error.InProgress")) {
            r = 0; /* our own session is still running */
        }
        if (r < 0) {
            wbota_err_t err = prv_fail(b, "StartDiscovery", &e, r);
            sd_bus_error_free(&e);
            return err;
        }
        for (size_t i = 0u; i < BZ_MAX_DEV; i++) {
            b->dev[i].seen = false;
        }
        b->discovering = true;
        return WBOTA_OK;
    }
    b->discovering = false;
    r = prv_call(b, b->adapter, BZ_IF_ADAPTER, "StopDiscovery", BZ_CALL_MS, NULL, &e, NULL);
    sd_bus_error_free(&e);
    return WBOTA_OK; /* not discovering any more either way */
}

static wbota_err_t prv_scan(void *ctx, uint32_t duration_ms, wbtool_adv_cb cb, void *user)
{
    prv_bz_t *b = ctx;
    wbota_err_t err = prv_discovery(b, true);
    if (err != WBOTA_OK) {
        return err;
    }
    b->scan_cb = cb;
    b->scan_user = user;
    b->scan_stop = false;
    /* devices already reported in this discovery session are advertising now: report them */
    for (size_t i = 0u; i < BZ_MAX_DEV && cb != NULL && !b->scan_stop; i++) {
        if (b->dev[i].used && b->dev[i].seen) {
            wbtool_adv_t adv;
            prv_dev_adv(&b->dev[i], &adv);
            b->scan_stop = cb(&adv, user);
        }
    }
    err = b->scan_stop ? WBOTA_OK : prv_wait(b, duration_ms, NULL, NULL);
    b->scan_cb = NULL;
    return err == WBOTA_E_TIMEOUT ? WBOTA_OK : err;
}

static wbota_err_t prv_connect(void *ctx, const uint8_t addr[6], uint32_t timeout_ms)
{
    prv_bz_t *b = ctx;
    char as[24];
    wbtool_fmt_bdaddr(as, sizeof(as), addr);
    int i = prv_dev_by_addr(b, addr);
    if (i < 0) {
        prv_set(b, "%s is not known to BlueZ (not seen by the scan)", as);
        return WBOTA_E_NOT_FOUND;
    }
    (void)prv_discovery(b, false); /* many controllers cannot scan and initiate together */
    prv_chars_release(b);
    b->cur = i;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r = prv_call(b, b->dev[i].path, BZ_IF_DEVICE, "Connect", timeout_ms, NULL, &e, NULL);
    if (r < 0) {
        char what[64];
        (void)snprintf(what, sizeof(what), "Connect to %s", as);
        wbota_err_t err = prv_fail(b, what, &e, r);
        sd_bus_error_free(&e);
        b->cur = -1;
        return err == WBOTA_E_LINK_LOST ? WBOTA_E_TIMEOUT : err;
    }
    b->dev[i].connected = true;
    /* the GATT objects are usable once ServicesResolved is true (bounded) */
    sd_bus_message *rep = NULL;
    int resolved = 0;
    if (prv_call(b, b->dev[i].path, BZ_IF_PROPS, "Get", BZ_CALL_MS, &rep, NULL, "ss", BZ_IF_DEVICE,
                 "ServicesResolved") >= 0 &&
        sd_bus_message_read(rep, "v", "b", &resolved) >= 0 && resolved) {
        b->dev[i].resolved = true;
    }
    sd_bus_message_unref(rep);
    wbota_err_t err = prv_wait(b, timeout_ms, prv_done_resolved, NULL);
    if (err == WBOTA_OK && b->cur >= 0 && !b->dev[i].connected) {
        prv_set(b, "%s disconnected while BlueZ resolved its services", as);
        return WBOTA_E_LINK_LOST;
    }
    if (err == WBOTA_E_TIMEOUT) {
        prv_set(b,
                "connected to %s, but BlueZ did not resolve its services within %u ms: move "
                "closer, or drop a stale GATT cache with `bluetoothctl remove %s`, and retry",
                as, (unsigned)timeout_ms, as);
        sd_bus_error e2 = SD_BUS_ERROR_NULL;
        (void)prv_call(b, b->dev[i].path, BZ_IF_DEVICE, "Disconnect", BZ_CALL_MS, NULL, &e2, NULL);
        sd_bus_error_free(&e2);
        b->cur = -1;
        return WBOTA_E_BT_UNRESOLVED;
    }
    return err;
}

static wbota_err_t prv_mtu(void *ctx, uint16_t want, uint16_t *got)
{
    prv_bz_t *b = ctx;
    wbota_err_t err = prv_chars_load(b);
    if (err != WBOTA_OK) {
        return err;
    }
    /* BlueZ exchanges the MTU itself on connect; AcquireWrite reports the result */
    uint16_t mtu = 0u;
    for (size_t i = 0u; i < b->nchr; i++) {
        prv_chr_t *c = &b->chr[i];
        if ((c->props & 0x04u) == 0u || !c->acquirable || c->fd >= 0) {
            if (c->mtu > 0u && (mtu == 0u || c->mtu < mtu)) {
                mtu = c->mtu;
            }
            continue;
        }
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *rep = NULL;
        int r = prv_call(b, c->path, BZ_IF_CHAR, "AcquireWrite", BZ_CALL_MS, &rep, &e, "a{sv}", 0);
        int fd = -1;
        uint16_t m = 0u;
        if (r >= 0) {
            r = sd_bus_message_read(rep, "hq", &fd, &m);
        }
        if (r >= 0) {
            c->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3); /* the message owns fd */
            (void)fcntl(c->fd, F_SETFL, O_NONBLOCK);
            c->mtu = m;
            if (mtu == 0u || m < mtu) {
                mtu = m;
            }
        } else if (wbtool_interrupted) {
            sd_bus_message_unref(rep);
            sd_bus_error_free(&e);
            return prv_fail(b, "AcquireWrite", &e, r);
        }
        /* otherwise: WriteValue type "command" (the fallback) */
        sd_bus_message_unref(rep);
        sd_bus_error_free(&e);
    }
    if (mtu == 0u) {
        mtu = 23u; /* no MTU published: the ATT default is the only safe size */
    }
    *got = (want != 0u && want < mtu) ? want : mtu;
    return WBOTA_OK;
}

static wbota_err_t prv_discover(void *ctx, wbtool_char_t *chars, size_t max, size_t *n)
{
    prv_bz_t *b = ctx;
    *n = 0u;
    wbota_err_t err = prv_chars_load(b);
    for (size_t i = 0u; err == WBOTA_OK && i < b->nchr && *n < max; i++) {
        wbtool_char_t *c = &chars[(*n)++];
        memset(c, 0, sizeof(*c));
        c->value_handle = b->chr[i].handle;
        c->decl_handle = (uint16_t)(b->chr[i].handle - 1u);
        c->props = b->chr[i].props;
        c->uuid_len = 16u;
        memcpy(c->uuid, b->chr[i].uuid, 16u);
    }
    return err;
}

static wbota_err_t prv_write(void *ctx, uint16_t handle, const uint8_t *data, size_t len,
                             bool with_rsp, uint8_t *att_status)
{
    prv_bz_t *b = ctx;
    if (att_status != NULL) {
        *att_status = 0u;
    }
    if (wbtool_interrupted) {
        prv_set(b, "interrupted");
        return WBOTA_E_INTERRUPTED;
    }
    (void)prv_wait(b, 0u, NULL, NULL); /* take in a disconnect that already happened */
    if (prv_done_disconnected(b, NULL)) {
        return prv_link_gone(b, "the device disconnected");
    }
    for (size_t i = 0u; i < b->nchr; i++) {
        prv_chr_t *c = &b->chr[i];
        if (handle == (uint16_t)(c->handle + 1u) && len == 2u) {
            /* the CCCD: BlueZ owns it */
            const char *m = (data[0] & 0x03u) ? "StartNotify" : "StopNotify";
            sd_bus_error e = SD_BUS_ERROR_NULL;
            int r = prv_call(b, c->path, BZ_IF_CHAR, m, BZ_CALL_MS, NULL, &e, NULL);
            wbota_err_t err = (r < 0) ? prv_fail(b, m, &e, r) : WBOTA_OK;
            sd_bus_error_free(&e);
            return err;
        }
        if (handle != c->handle) {
            continue;
        }
        wbota_err_t err;
        if (!with_rsp && c->fd >= 0) {
            if (b->last_path != (int)i && (err = prv_drain_fds(b)) != WBOTA_OK) {
                return err;
            }
            b->last_path = (int)i;
            return prv_fd_write(b, c, data, len);
        }
        if ((err = prv_drain_fds(b)) != WBOTA_OK) {
            return err;
        }
        b->last_path = -1;
        sd_bus_message *m = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int r =
            sd_bus_message_new_method_call(b->bus, &m, BZ_NAME, c->path, BZ_IF_CHAR, "WriteValue");
        if (r >= 0) {
            r = sd_bus_message_append_array(m, 'y', data, len);
        }
        if (r >= 0) {
            r = sd_bus_message_append(m, "a{sv}", 1, "type", "s", with_rsp ? "request" : "command");
        }
        if (r >= 0) {
            r = sd_bus_call(b->bus, m, (uint64_t)BZ_CALL_MS * 1000u, &e, NULL);
        }
        sd_bus_message_unref(m);
        if (r < 0) {
            /* the state that explains a refusal (Connected, ServicesResolved) may be queued */
            (void)prv_wait(b, 100u, prv_done_disconnected, NULL);
            err = prv_fail(b, "BlueZ refused WriteValue", &e, r);
        }
        sd_bus_error_free(&e);
        return err;
    }
    prv_set(b, "no characteristic with handle %u", (unsigned)handle);
    return WBOTA_E_ARG;
}

static wbota_err_t prv_wait_ind(void *ctx, uint16_t handle, uint32_t timeout_ms, uint8_t *buf,
                                size_t cap, size_t *len)
{
    prv_bz_t *b = ctx;
    size_t k = b->nchr;
    for (size_t i = 0u; i < b->nchr; i++) {
        if (b->chr[i].handle == handle) {
            k = i;
        }
    }
    if (k == b->nchr) {
        prv_set(b, "no characteristic with handle %u", (unsigned)handle);
        return WBOTA_E_ARG;
    }
    wbota_err_t err = prv_wait(b, timeout_ms, prv_done_indication, &k);
    if (err == WBOTA_OK && b->ind_pending && b->ind_chr == k) {
        b->ind_pending = false;
        *len = b->ind_len < cap ? b->ind_len : cap;
        memcpy(buf, b->ind, *len);
        return WBOTA_OK;
    }
    if (err == WBOTA_OK) {
        prv_set(b, "link lost while waiting for the result");
        return WBOTA_E_LINK_LOST;
    }
    if (err == WBOTA_E_TIMEOUT) {
        prv_set(b, "no indication within %u ms", (unsigned)timeout_ms);
    }
    return err;
}

static wbota_err_t prv_confirm(void *ctx)
{
    (void)ctx; /* bluetoothd confirms indications itself */
    return WBOTA_OK;
}

static wbota_err_t prv_wait_disc(void *ctx, uint32_t timeout_ms)
{
    prv_bz_t *b = ctx;
    wbota_err_t err = prv_wait(b, timeout_ms, prv_done_disconnected, NULL);
    if (err == WBOTA_OK) {
        prv_chars_release(b);
        b->cur = -1;
    }
    return err;
}

static wbota_err_t prv_disconnect(void *ctx)
{
    prv_bz_t *b = ctx;
    prv_chars_release(b);
    if (b->cur < 0 || !b->dev[b->cur].connected) {
        b->cur = -1;
        return WBOTA_OK;
    }
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int r =
        prv_call(b, b->dev[b->cur].path, BZ_IF_DEVICE, "Disconnect", BZ_CALL_MS, NULL, &e, NULL);
    sd_bus_error_free(&e);
    if (r >= 0) {
        b->dev[b->cur].connected = false;
    }
    b->cur = -1;
    return WBOTA_OK;
}

static wbota_err_t prv_forget(void *ctx, const uint8_t addr[6])
{
    prv_bz_t *b = ctx;
    int i = prv_dev_by_addr(b, addr);
    if (i < 0 || b->dev[i].connected || b->dev[i].paired) {
        return WBOTA_OK; /* nothing cached, or not ours to drop */
    }
    sd_bus_error e = SD_BUS_ERROR_NULL;
    const char *path = b->dev[i].path;
    int r = prv_call(b, b->adapter, BZ_IF_ADAPTER, "RemoveDevice", BZ_CALL_MS, NULL, &e, "o", path);
    wbota_err_t err = WBOTA_OK;
    if (r < 0 && !sd_bus_error_has_name(&e, "org.bluez.Error.DoesNotExist")) {
        err = prv_fail(b, "RemoveDevice", &e, r);
    } else {
        b->dev[i].used = false;
    }
    sd_bus_error_free(&e);
    return err;
}

static uint64_t prv_now(void *ctx)
{
    (void)ctx;
    return prv_mono_us();
}

/* Frees what the open built: the bus connection and the context. */
static void prv_free(void *ctx)
{
    prv_bz_t *b = ctx;
    sd_bus_flush_close_unref(b->bus);
    free(b);
}

static void prv_close(void *ctx)
{
    prv_bz_t *b = ctx;
    bool was = wbtool_interrupted != 0;
    wbtool_interrupted = 0; /* the clean-up calls below must run even after Ctrl-C */
    (void)prv_disconnect(b);
    (void)prv_discovery(b, false);
    wbtool_interrupted = was;
    prv_free(b);
}

/* ---------- open: bus, bluetoothd, adapter ---------- */

typedef struct {
    char path[BZ_PATH];
    bool powered;
} prv_adapter_t;

typedef struct {
    prv_adapter_t a[BZ_MAX_ADAPT];
    size_t n;
} prv_adapters_t;

/* prv_iface_cb: an adapter object joins the list (user: prv_adapters_t). */
static int prv_adapter_iface(prv_bz_t *b, void *user, const char *obj, const char *iface,
                             sd_bus_message *m)
{
    (void)b;
    prv_adapters_t *ads = user;
    if (strcmp(iface, BZ_IF_ADAPTER) != 0) {
        return 0;
    }
    prv_props_t p;
    int r = prv_read_props(m, &p);
    if (r >= 0 && ads->n < BZ_MAX_ADAPT) {
        prv_copy_str(ads->a[ads->n].path, sizeof(ads->a[ads->n].path), obj);
        ads->a[ads->n++].powered = p.has_powered && p.powered;
    }
    return r < 0 ? r : 1;
}

static wbota_err_t prv_load_objects(prv_bz_t *b, const char *want, char *chosen, size_t cap)
{
    sd_bus_message *rep = NULL;
    wbota_err_t err = prv_get_objects(b, "cannot list BlueZ's objects", &rep);
    if (err != WBOTA_OK) {
        return err;
    }
    int r = 0;
    prv_adapters_t ads = {.n = 0u};
    /* first pass: adapters; devices are taken once the adapter is known (second pass) */
    for (int pass = 0; pass < 2 && r >= 0; pass++) {
        r = prv_walk_objects(b, rep, pass == 0 ? prv_adapter_iface : prv_device_iface, &ads);
        if (pass == 0 && r >= 0) {
            /* choose: the named one, else the first powered one */
            const prv_adapter_t *pick = NULL;
            for (size_t i = 0u; i < ads.n; i++) {
                const char *base = strrchr(ads.a[i].path, '/');
                base = base != NULL ? base + 1 : ads.a[i].path;
                if (want != NULL ? strcmp(base, want) == 0 : (ads.a[i].powered && pick == NULL)) {
                    pick = &ads.a[i];
                }
            }
            if (pick == NULL && want == NULL && ads.n > 0u) {
                pick = &ads.a[0]; /* none powered: report the first as off */
            }
            if (pick == NULL) {
                sd_bus_message_unref(rep);
                if (want != NULL && ads.n > 0u) {
                    prv_set(b,
                            "no Bluetooth adapter %s (bluetoothd has %zu other%s: see "
                            "`bluetoothctl list`)",
                            want, ads.n, ads.n == 1u ? "" : "s");
                } else {
                    prv_set(b, "no Bluetooth adapter: plug one in, check `bluetoothctl list` "
                               "and `btmgmt info` (docs/linux-upload.md)");
                }
                return WBOTA_E_BT_NO_ADAPTER;
            }
            prv_copy_str(b->adapter, sizeof(b->adapter), pick->path);
            const char *base = strrchr(pick->path, '/');
            prv_copy_str(chosen, cap, base != NULL ? base + 1 : pick->path);
            if (!pick->powered) {
                sd_bus_message_unref(rep);
                prv_set(b,
                        "Bluetooth adapter %s is powered off: run `bluetoothctl power on` "
                        "(and `rfkill unblock bluetooth` if it is blocked)",
                        chosen);
                return WBOTA_E_BT_ADAPTER_OFF;
            }
        }
    }
    sd_bus_message_unref(rep);
    if (r < 0) {
        prv_set(b, "cannot parse BlueZ's object list: %s", strerror(-r));
        return WBOTA_E_PARSE;
    }
    return WBOTA_OK;
}

wbota_err_t wbtool_transport_bluez_open(wbtool_transport_t *t, const char *adapter)
{
    memset(t, 0, sizeof(*t));
    prv_bz_t *b = calloc(1u, sizeof(*b));
    if (b == NULL) {
        return WBOTA_E_IO;
    }
    b->t = t;
    b->cur = -1;
    b->last_path = -2;
    int r = sd_bus_open_system(&b->bus);
    if (r < 0) {
        prv_set(b, "cannot connect to the system D-Bus (%s): is dbus running?", strerror(-r));
        free(b);
        return WBOTA_E_IO;
    }
    (void)sd_bus_set_method_call_timeout(b->bus, (uint64_t)BZ_CALL_MS * 1000u);
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *rep = NULL;
    int has = 0;
    r = sd_bus_call_method(b->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus", "NameHasOwner", &e, &rep, "s", BZ_NAME);
    if (r >= 0) {
        r = sd_bus_message_read(rep, "b", &has);
    }
    sd_bus_message_unref(rep);
    wbota_err_t err = WBOTA_OK;
    if (r < 0) {
        err = prv_fail(b, "cannot ask the system D-Bus for bluetoothd", &e, r);
    } else if (!has) {
        prv_set(b, "bluetoothd is not running (no org.bluez on the system D-Bus): run `sudo "
                   "systemctl start bluetooth` (docs/linux-upload.md)");
        err = WBOTA_E_BT_NO_BLUEZ;
    }
    sd_bus_error_free(&e);
    char chosen[32] = "";
    if (err == WBOTA_OK) {
        /* subscribe before listing, so no change between the two is missed */
        r = sd_bus_match_signal(b->bus, NULL, NULL, NULL, BZ_IF_OM, "InterfacesAdded",
                                prv_on_signal, b);
        if (r >= 0) {
            r = sd_bus_match_signal(b->bus, NULL, NULL, NULL, BZ_IF_OM, "InterfacesRemoved",
                                    prv_on_signal, b);
        }
        if (r >= 0) {
            r = sd_bus_match_signal(b->bus, NULL, NULL, NULL, BZ_IF_PROPS, "PropertiesChanged",
                                    prv_on_signal, b);
        }
        if (r < 0) {
            prv_set(b, "cannot subscribe to BlueZ's signals: %s", strerror(-r));
            err = r == -EACCES ? WBOTA_E_BT_DENIED : WBOTA_E_IO;
        }
    }
    if (err == WBOTA_OK) {
        err = prv_load_objects(b, adapter, chosen, sizeof(chosen));
    }
    if (err != WBOTA_OK) {
        wbtool_transport_abandon(t, prv_free, b);
        return err;
    }
    static const wbtool_transport_t k_ops = WBTOOL_TRANSPORT_OPS(prv, .forget = prv_forget);
    wbtool_transport_bind(t, &k_ops, b);
    return WBOTA_OK;
}
