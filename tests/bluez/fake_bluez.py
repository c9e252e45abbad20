#!/usr/bin/python3
"""fake_bluez.py - a stand-in for bluetoothd on a private D-Bus, bridged to wbota-emu's radio.

The machines that run the tests have no Bluetooth in the kernel, so the real bluetoothd cannot
run. This service owns the name org.bluez on the bus in DBUS_SYSTEM_BUS_ADDRESS and publishes
the part of BlueZ 5.66's D-Bus API that `wbota upload --ble` / `wbota scan --ble` use, with the
object paths, property names, signals and errors BlueZ documents (doc/adapter-api.txt,
device-api.txt, gatt-api.txt). Every radio operation is forwarded to wbota-emu's virtual radio
(docs/emulator.md, "Socket protocol"), so the real loader and app firmware answer.

What is assumed about BlueZ (each item is what the transport relies on):
  * ObjectManager at "/": GetManagedObjects, InterfacesAdded, InterfacesRemoved.
  * /org/bluez/hciN: org.bluez.Adapter1 {Address, Name, Alias, Powered, Discovering};
    SetDiscoveryFilter(a{sv}) (Transport "le", DuplicateData), StartDiscovery, StopDiscovery
    (org.bluez.Error.NotReady when not powered, Failed "No discovery started" on a stop
    without a start), RemoveDevice(o) (org.bluez.Error.DoesNotExist for an unknown path).
  * /org/bluez/hciN/dev_AA_BB_CC_DD_EE_FF: org.bluez.Device1 {Address, AddressType, Name,
    Alias, RSSI, ManufacturerData a{qv}, Connected, ServicesResolved, Paired, Trusted, Adapter}.
    ManufacturerData holds one value per company id (the first two bytes of an element, little-
    endian) from the advertising data and the scan response parsed together; a later element
    with the same id (the scan response's) replaces the earlier one (bt_ad_add_manufacturer_data).
    A device object appears (InterfacesAdded) when first seen while discovering; every
    advertisement then updates RSSI (PropertiesChanged), as with DuplicateData true.
    Connect(): returns once connected; a Connect while another one is in progress gets
    org.bluez.Error.InProgress. Services are resolved after the return (MTU exchange with 517,
    then discovery): ServicesResolved turns true later, as in BlueZ. Disconnect().
  * .../serviceXXXX (org.bluez.GattService1 {UUID, Primary, Device}) and .../charYYYY
    (org.bluez.GattCharacteristic1 {UUID, Service, Value, Notifying, Flags, WriteAcquired, MTU}),
    XXXX/YYYY the ATT handles in hex. The GATT objects stay after a disconnect (main.conf
    Cache=always, BlueZ's default): a stale database is what RemoveDevice is for.
  * WriteValue(ay, {"type": "command"|"request"}): org.bluez.Error.Failed "Not connected" when
    the device is not connected or its services are not resolved; NotPermitted while the
    characteristic's write is acquired. StartNotify/StopNotify: BlueZ writes the CCCD itself;
    NotConnected when not connected. Indications become PropertiesChanged on Value, and BlueZ
    (here: this service) confirms them to the device.
  * AcquireWrite({}) -> (fd, mtu): one end of a SOCK_SEQPACKET socketpair, one datagram = one
    ATT Write Command; the fd is closed (HUP) when the link drops; WriteAcquired turns true.
Not modelled: pairing, agents, BR/EDR, descriptors as objects, AcquireNotify, the real
controller's timing, and bluetoothd's own bugs. See docs/linux-upload.md.

Fault options (each models a situation a user can meet):
  --no-adapter, --powered no     no controller / adapter powered off
  --deny METHOD                  org.bluez.Error.NotPermitted on METHOD (e.g. StartDiscovery)
  --never-resolve                connected, but ServicesResolved never becomes true
  --foreign-connect              another client's Connect is in progress on every device
  --no-acquire-write             an older BlueZ: no WriteAcquired/AcquireWrite (WriteValue only)
  --drop-after-writes N          the link drops after N forwarded Raw Data writes
  --unresolve-after-writes N     after N writes BlueZ re-reads the services (ServicesResolved
                                 false while connected): later writes are refused
  --fd-read-ms N                 a busy bluetoothd: reads 2 datagrams per acquired socket every
                                 N ms, so a D-Bus call or another socket could overtake them
"""
import argparse
import os
import socket
import struct
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

OM = "org.freedesktop.DBus.ObjectManager"
PROPS = "org.freedesktop.DBus.Properties"
ADAPTER = "org.bluez.Adapter1"
DEVICE = "org.bluez.Device1"
SERVICE = "org.bluez.GattService1"
CHAR = "org.bluez.GattCharacteristic1"

# emu_radio_wire.h
REQ_HELLO, REQ_SCAN, REQ_CONNECT, REQ_MTU, REQ_DISCOVER, REQ_WRITE = 1, 2, 3, 4, 5, 6
REQ_CONFIRM, REQ_DISCONNECT, REQ_WAIT = 7, 8, 9
RSP_HELLO, EVT_ADV, RSP_SCAN_DONE, RSP_CONNECT, RSP_MTU, RSP_DISCOVER = 0x81, 0x82, 0x83, 0x84, 0x85, 0x86
RSP_WRITE, EVT_IND, EVT_NOTIF, EVT_DISC, RSP_TIME, EVT_LOG, RSP_ERROR = 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8E, 0x8F

OTA_SERVICE = "0000fe20-cc7a-482a-984a-7f2ed5b3e58f"
RAW_DATA = "0000fe24-8e22-4541-9d4c-21edae82ed19"
BLUEZ_MTU = 517  # BlueZ's default ExchangeMTU (main.conf [GATT])


def err(name, text=""):
    return dbus.exceptions.DBusException(text, name="org.bluez.Error." + name)


def log(*a):
    print("fake-bluez:", *a, file=sys.stderr, flush=True)


class Radio:
    """Blocking client of wbota-emu's radio socket (one request, its reply, async frames)."""

    def __init__(self, path, on_async):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.settimeout(30)
        self.on_async = on_async
        self.call(REQ_HELLO, struct.pack("<I", 1), RSP_HELLO)

    def send(self, t, p=b""):
        self.s.sendall(struct.pack("<HB", len(p) + 1, t) + p)

    def recv(self):
        hdr = self._exact(2)
        n = struct.unpack("<H", hdr)[0]
        body = self._exact(n)
        return body[0], body[1:]

    def _exact(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise ConnectionError("wbota-emu closed the radio socket")
            b += c
        return b

    def call(self, t, p, want, collect=None):
        self.send(t, p)
        while True:
            rt, rp = self.recv()
            if rt == want:
                return rp
            if rt == RSP_ERROR and rp[:1] == bytes([t]):
                raise RuntimeError("emulator refused 0x%02X: %s" % (t, rp[1:].decode(errors="replace")))
            if rt == EVT_ADV and collect is not None:
                collect(rp)
            else:
                self.on_async(rt, rp)

    def drain(self):
        self.s.setblocking(False)
        try:
            while True:
                try:
                    peek = self.s.recv(2, socket.MSG_PEEK)
                except BlockingIOError:
                    return
                if not peek:
                    raise ConnectionError("wbota-emu closed the radio socket")
                self.s.setblocking(True)
                self.on_async(*self.recv())
                self.s.setblocking(False)
        finally:
            self.s.setblocking(True)
            self.s.settimeout(30)


def addr_str(a):
    return ":".join("%02X" % x for x in a)


def uuid_str(le):
    if len(le) == 2:
        return "0000%04x-0000-1000-8000-00805f9b34fb" % struct.unpack("<H", le)[0]
    h = le[::-1].hex()
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


def parse_ad(ad):
    name, manuf = None, {}
    i = 0
    while i + 1 < len(ad):
        n = ad[i]
        if n == 0 or i + 1 + n > len(ad):
            break
        t, v = ad[i + 1], ad[i + 2:i + 1 + n]
        if t in (0x08, 0x09):
            name = v.decode(errors="replace")
        elif t == 0xFF and len(v) >= 2:
            manuf[struct.unpack("<H", v[:2])[0]] = v[2:]
        i += 1 + n
    return name, manuf


class Obj(dbus.service.Object):
    """An object with BlueZ-style properties (Get/GetAll/PropertiesChanged)."""

    def __init__(self, bluez, path, iface, props):
        self.bluez, self.path, self.iface, self.props = bluez, path, iface, props
        super().__init__(bluez.bus, path)

    def set(self, **kv):
        changed = {k: v for k, v in kv.items() if self.props.get(k) != v or k in ("RSSI", "Value")}
        self.props.update(kv)
        if changed:
            self.PropertiesChanged(self.iface, changed, [])

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, iface, name):
        if iface != self.iface or name not in self.props:
            raise dbus.exceptions.DBusException("No such property " + name,
                                                name="org.freedesktop.DBus.Error.InvalidArgs")
        return self.props[name]

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, iface):
        return self.props if iface == self.iface else {}

    @dbus.service.signal(PROPS, signature="sa{sv}as")
    def PropertiesChanged(self, iface, changed, invalidated):
        pass


class Char(Obj):
    def __init__(self, bluez, dev, svc_path, c):
        decl, value, props, uuid = c
        flags = [n for bit, n in ((0x02, "read"), (0x04, "write-without-response"), (0x08, "write"),
                                  (0x10, "notify"), (0x20, "indicate")) if props & bit]
        p = {"UUID": uuid, "Service": dbus.ObjectPath(svc_path), "Value": dbus.Array([], "y"),
             "Flags": dbus.Array(flags, "s")}
        if props & 0x30:
            p["Notifying"] = dbus.Boolean(False)
        if props & 0x04 and not bluez.args.no_acquire_write:
            p["WriteAcquired"] = dbus.Boolean(False)
        if not bluez.args.no_acquire_write:
            p["MTU"] = dbus.UInt16(dev.mtu)
        self.dev, self.handle, self.uuid, self.fd, self.watch = dev, value, uuid, None, None
        super().__init__(bluez, "%s/char%04x" % (svc_path, decl), CHAR, p)

    def _usable(self):
        if not self.dev.props["Connected"] or not self.dev.props["ServicesResolved"]:
            raise err("Failed", "Not connected")

    def forward(self, data, with_rsp=False):
        b = self.bluez
        if self.uuid == RAW_DATA:
            b.raw_writes += 1
            if b.args.drop_after_writes and b.raw_writes == b.args.drop_after_writes:
                log("fault: dropping the link after", b.raw_writes, "Raw Data writes")
                b.radio.call(REQ_DISCONNECT, b"", EVT_DISC)
                GLib.idle_add(self.dev.link_down, 0x08)
                return
            if b.args.unresolve_after_writes and b.raw_writes == b.args.unresolve_after_writes:
                log("fault: services being re-resolved after", b.raw_writes, "writes")
                self.dev.set(ServicesResolved=dbus.Boolean(False))
                self.dev.close_fds()
                return
        p = struct.pack("<HB", self.handle, 1 if with_rsp else 0) + bytes(data)
        if with_rsp:
            st = b.radio.call(REQ_WRITE, p, RSP_WRITE)
            if st[:1] != b"\x00":
                raise err("Failed", "ATT error 0x%02x" % st[0])
        else:
            b.radio.send(REQ_WRITE, p)
            b.radio.drain()

    @dbus.service.method(CHAR, in_signature="aya{sv}", out_signature="")
    def WriteValue(self, value, options):
        if self.uuid == RAW_DATA and self.bluez.raw_writes == 0:
            log("WriteValue type %s on Raw Data" % options.get("type", "(none)"))
        self._usable()
        if self.props.get("WriteAcquired"):
            raise err("NotPermitted", "Write acquired")
        kind = str(options.get("type", ""))
        flags = self.props["Flags"]
        if kind == "command" and "write-without-response" not in flags:
            raise err("NotSupported", "Operation is not supported")
        with_rsp = kind == "request" or (kind == "" and "write" in flags)
        if len(value) > self.dev.mtu - 3 and not with_rsp:
            raise err("Failed", "Failed to initiate write")
        self.forward(bytes(value), with_rsp)

    @dbus.service.method(CHAR, in_signature="a{sv}", out_signature="hq")
    def AcquireWrite(self, options):
        if self.bluez.args.no_acquire_write or "WriteAcquired" not in self.props:
            raise err("NotSupported", "Operation is not supported")
        self._usable()
        if self.props["WriteAcquired"]:
            raise err("NotPermitted", "Write acquired")
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        mine.setblocking(False)
        self.fd = mine
        if self.bluez.args.fd_read_ms:
            self.watch = GLib.timeout_add(self.bluez.args.fd_read_ms, self._slow_read)
        else:
            self.watch = GLib.io_add_watch(mine.fileno(), GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR,
                                           self._on_fd)
        self.set(WriteAcquired=dbus.Boolean(True))
        log("AcquireWrite %s: mtu %d" % (self.uuid[4:8], self.dev.mtu))
        ufd = dbus.types.UnixFd(theirs.fileno())
        theirs.close()
        return ufd, dbus.UInt16(self.dev.mtu)

    def _on_fd(self, fd, cond):
        if self.fd is None:
            return False
        try:
            while self.fd is not None:
                data = self.fd.recv(1024)
                if not data:  # the client closed its end: the lock is released
                    self.release()
                    return False
                if len(data) > self.dev.mtu - 3:
                    log("datagram of", len(data), "bytes exceeds MTU-3: dropped")
                    continue
                if not self.dev.props["Connected"]:
                    break
                self.forward(data)
        except BlockingIOError:
            pass
        return self.fd is not None

    def _slow_read(self):
        """--fd-read-ms: a busy bluetoothd that takes a few datagrams per turn."""
        if self.fd is None:
            return False
        for _ in range(2):
            try:
                data = self.fd.recv(1024)
            except BlockingIOError:
                return True
            if not data:
                self.release()
                return False
            if self.dev.props["Connected"]:
                self.forward(data)
        try:
            if self.fd is not None and self.fd.recv(1, socket.MSG_PEEK) and not self.bluez.backlog:
                self.bluez.backlog = True
                log("fault: write socket backlog (datagrams wait while other paths are free)")
        except BlockingIOError:
            pass
        return self.fd is not None

    def release(self):
        if self.watch is not None:
            GLib.source_remove(self.watch)
            self.watch = None
        if self.fd is not None:
            self.fd.close()
            self.fd = None
            if "WriteAcquired" in self.props:
                self.set(WriteAcquired=dbus.Boolean(False))

    @dbus.service.method(CHAR, in_signature="", out_signature="")
    def StartNotify(self):
        if not self.dev.props["Connected"]:
            raise err("NotConnected", "Not connected")
        self._usable()
        if "Notifying" not in self.props:
            raise err("NotSupported", "Operation is not supported")
        if self.props["Notifying"]:
            raise err("InProgress", "In Progress")
        # BlueZ writes the CCCD: 02 00 for indications, 01 00 for notifications
        cccd = b"\x02\x00" if "indicate" in self.props["Flags"] else b"\x01\x00"
        st = self.bluez.radio.call(REQ_WRITE, struct.pack("<HB", self.handle + 1, 1) + cccd, RSP_WRITE)
        if st[:1] != b"\x00":
            raise err("Failed", "ATT error 0x%02x" % st[0])
        self.set(Notifying=dbus.Boolean(True))

    @dbus.service.method(CHAR, in_signature="", out_signature="")
    def StopNotify(self):
        if not self.props.get("Notifying"):
            raise err("Failed", "No notify session started")
        self.set(Notifying=dbus.Boolean(False))


class Device(Obj):
    def __init__(self, bluez, addr):
        self.addr = addr
        self.connecting = False
        self.mtu = 23
        self.services = []  # Obj
        self.chars = []
        path = "%s/dev_%s" % (bluez.adapter.path, addr_str(addr).replace(":", "_"))
        p = {"Address": addr_str(addr), "AddressType": "public", "Alias": addr_str(addr).replace(":", "-"),
             "Paired": dbus.Boolean(False), "Trusted": dbus.Boolean(False),
             "Blocked": dbus.Boolean(False), "Connected": dbus.Boolean(False),
             "ServicesResolved": dbus.Boolean(False), "Adapter": dbus.ObjectPath(bluez.adapter.path),
             "LegacyPairing": dbus.Boolean(False), "UUIDs": dbus.Array([], "s")}
        super().__init__(bluez, path, DEVICE, p)

    @dbus.service.method(DEVICE, in_signature="", out_signature="", async_callbacks=("ok", "fail"))
    def Connect(self, ok, fail):
        if self.bluez.args.foreign_connect or self.connecting:
            fail(err("InProgress", "In Progress"))
            return
        if self.props["Connected"]:
            ok()
            return
        self.connecting = True
        self.bluez.stop_discovery()  # the emulated radio has one link and cannot scan meanwhile
        GLib.timeout_add(20, self._do_connect, ok, fail)

    def _do_connect(self, ok, fail):
        self.connecting = False
        try:
            st = self.bluez.radio.call(REQ_CONNECT, bytes(self.addr) + struct.pack("<I", 5000), RSP_CONNECT)
        except Exception as e:  # noqa: BLE001 - reported to the client as BlueZ would
            fail(err("Failed", str(e)))
            return False
        if st[:1] != b"\x00":
            fail(err("Failed", "le-connection-abort-by-local" if st[:1] == b"\x02" else "Host is down"))
            return False
        self.bluez.current = self
        self.set(Connected=dbus.Boolean(True))
        ok()
        if not self.bluez.args.never_resolve:
            GLib.timeout_add(20, self._resolve)
        return False

    def _resolve(self):
        if not self.props["Connected"]:
            return False
        r = self.bluez.radio
        self.mtu = struct.unpack("<H", r.call(REQ_MTU, struct.pack("<H", BLUEZ_MTU), RSP_MTU)[:2])[0]
        d = r.call(REQ_DISCOVER, b"", RSP_DISCOVER)
        chars, off = [], 1
        for _ in range(d[0]):
            decl, value, props, ul = struct.unpack("<HHBB", d[off:off + 6])
            chars.append((decl, value, props, uuid_str(d[off + 6:off + 6 + ul])))
            off += 6 + ul
        self.drop_gatt()  # a fresh database replaces the cached one
        # the radio reports characteristics, not services: one service object per run of chars,
        # FE20 for the OTA characteristics (docs/protocol.md), the app's own otherwise
        if chars:
            svc_handle = chars[0][0] - 1
            uuid = OTA_SERVICE if any(c[3].startswith("0000fe2") for c in chars) else \
                "0000fe10-cc7a-482a-984a-7f2ed5b3e58f"
            svc = Obj(self.bluez, "%s/service%04x" % (self.path, svc_handle), SERVICE,
                      {"UUID": uuid, "Primary": dbus.Boolean(True), "Device": dbus.ObjectPath(self.path),
                       "Includes": dbus.Array([], "o")})
            self.services.append(svc)
            self.bluez.added(svc)
            for c in chars:
                ch = Char(self.bluez, self, svc.path, c)
                self.chars.append(ch)
                self.bluez.added(ch)
        self.set(ServicesResolved=dbus.Boolean(True))
        return False

    def drop_gatt(self):
        for o in self.chars + self.services:
            if isinstance(o, Char):
                o.release()
            self.bluez.removed(o)
            o.remove_from_connection()
        self.chars, self.services = [], []

    def close_fds(self):
        for c in self.chars:
            c.release()

    def link_down(self, reason):
        self.close_fds()  # HUP on every acquired socket
        for c in self.chars:
            if c.props.get("Notifying"):
                c.set(Notifying=dbus.Boolean(False))
        self.set(ServicesResolved=dbus.Boolean(False))
        self.set(Connected=dbus.Boolean(False))
        if self.bluez.current is self:
            self.bluez.current = None
        log("link down, reason 0x%02x" % reason)
        return False

    @dbus.service.method(DEVICE, in_signature="", out_signature="")
    def Disconnect(self):
        if self.props["Connected"]:
            self.bluez.radio.call(REQ_DISCONNECT, b"", EVT_DISC)
            self.link_down(0x16)


class Adapter(Obj):
    def __init__(self, bluez, name, powered):
        super().__init__(bluez, "/org/bluez/" + name, ADAPTER,
                         {"Address": "00:1A:7D:DA:71:13", "AddressType": "public", "Name": "fake",
                          "Alias": "fake", "Class": dbus.UInt32(0), "Powered": dbus.Boolean(powered),
                          "Discoverable": dbus.Boolean(False), "Pairable": dbus.Boolean(True),
                          "Discovering": dbus.Boolean(False), "UUIDs": dbus.Array([], "s"),
                          "Roles": dbus.Array(["central", "peripheral"], "s")})
        self.filter = {}

    def _check(self, method):
        if method in self.bluez.args.deny:
            raise err("NotPermitted", "Not Permitted")  # a policy (e.g. AdminPolicy) refusal

    @dbus.service.method(ADAPTER, in_signature="a{sv}", out_signature="")
    def SetDiscoveryFilter(self, f):
        self._check("SetDiscoveryFilter")
        if str(f.get("Transport", "auto")) not in ("auto", "le", "bredr"):
            raise err("InvalidArguments", "Invalid arguments in method call")
        self.filter = dict(f)

    @dbus.service.method(ADAPTER, in_signature="", out_signature="")
    def StartDiscovery(self):
        self._check("StartDiscovery")
        if not self.props["Powered"]:
            raise err("NotReady", "Resource Not Ready")
        if self.props["Discovering"]:
            raise err("InProgress", "Operation already in progress")
        self.set(Discovering=dbus.Boolean(True))

    @dbus.service.method(ADAPTER, in_signature="", out_signature="")
    def StopDiscovery(self):
        if not self.props["Discovering"]:
            raise err("Failed", "No discovery started")
        self.set(Discovering=dbus.Boolean(False))

    @dbus.service.method(ADAPTER, in_signature="o", out_signature="")
    def RemoveDevice(self, path):
        self._check("RemoveDevice")
        d = self.bluez.devices.get(str(path))
        if d is None:
            raise err("DoesNotExist", "Does Not Exist")
        if d.props["Connected"]:
            d.Disconnect()
        d.drop_gatt()
        del self.bluez.devices[str(path)]
        self.bluez.removed(d)
        d.remove_from_connection()


class Root(dbus.service.Object):
    def __init__(self, bluez):
        self.bluez = bluez
        super().__init__(bluez.bus, "/")

    @dbus.service.method(OM, in_signature="", out_signature="a{oa{sa{sv}}}")
    def GetManagedObjects(self):
        out = {}
        for o in self.bluez.all_objects():
            out[dbus.ObjectPath(o.path)] = {o.iface: o.props}
        return out

    @dbus.service.signal(OM, signature="oa{sa{sv}}")
    def InterfacesAdded(self, path, ifaces):
        pass

    @dbus.service.signal(OM, signature="oas")
    def InterfacesRemoved(self, path, ifaces):
        pass


class Bluez:
    def __init__(self, args):
        self.args = args
        self.bus = dbus.bus.BusConnection(os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
        self.root = Root(self)
        self.devices = {}
        self.current = None
        self.raw_writes = 0
        self.backlog = False
        self.adapter = None if args.no_adapter else Adapter(self, args.adapter, args.powered == "yes")
        self.radio = Radio(args.emu, self.on_async)
        self.name = dbus.service.BusName("org.bluez", self.bus)
        GLib.timeout_add(5, self.tick)

    def all_objects(self):
        objs = [self.adapter] if self.adapter else []
        for d in self.devices.values():
            objs += [d] + d.services + d.chars
        return objs

    def added(self, o):
        self.root.InterfacesAdded(o.path, {o.iface: o.props})

    def removed(self, o):
        self.root.InterfacesRemoved(o.path, [o.iface])

    def stop_discovery(self):
        if self.adapter and self.adapter.props["Discovering"]:
            self.adapter.set(Discovering=dbus.Boolean(False))

    def on_async(self, t, p):
        d = self.current
        if t == EVT_IND and d is not None:
            handle = struct.unpack("<H", p[:2])[0]
            self.radio.send(REQ_CONFIRM)  # bluetoothd confirms indications itself
            for c in d.chars:
                if c.handle == handle and c.props.get("Notifying"):
                    c.set(Value=dbus.Array(p[2:], "y"))
        elif t == EVT_NOTIF and d is not None:
            handle = struct.unpack("<H", p[:2])[0]
            for c in d.chars:
                if c.handle == handle and c.props.get("Notifying"):
                    c.set(Value=dbus.Array(p[2:], "y"))
        elif t == EVT_DISC and d is not None:
            GLib.idle_add(d.link_down, p[0] if p else 0)
        elif t == RSP_ERROR:
            log("emulator refused:", p[1:].decode(errors="replace"))

    def on_adv(self, p):
        addr, rssi, n = p[:6], struct.unpack("<b", p[6:7])[0], p[7]
        rsp = p[9 + n:9 + n + p[8 + n]] if len(p) > 8 + n else b""
        # the kernel reports advertising data and scan response together; bluetoothd parses
        # them as one (eir_parse), the scan response's elements last
        name, manuf = parse_ad(p[8:8 + n] + rsp)
        path = "%s/dev_%s" % (self.adapter.path, addr_str(addr).replace(":", "_"))
        d = self.devices.get(path)
        new = d is None
        if new:
            d = Device(self, addr)
            self.devices[path] = d
        upd = {"RSSI": dbus.Int16(rssi)}
        if name:
            upd["Name"] = name
            upd["Alias"] = name
        if manuf:
            upd["ManufacturerData"] = dbus.Dictionary(
                {dbus.UInt16(k): dbus.Array(v, "y", variant_level=1) for k, v in manuf.items()},
                signature="qv")
        if new:
            d.props.update(upd)
            self.added(d)
        else:
            d.set(**upd)

    def tick(self):
        try:
            if self.adapter and self.adapter.props["Discovering"]:
                self.radio.call(REQ_SCAN, struct.pack("<I", 100), RSP_SCAN_DONE, collect=self.on_adv)
            elif self.current is not None and self.current.props["Connected"]:
                self.radio.call(REQ_WAIT, struct.pack("<I", 20), RSP_TIME)
        except ConnectionError as e:
            log(str(e))
            loop.quit()
            return False
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emu", required=True)
    ap.add_argument("--adapter", default="hci0")
    ap.add_argument("--powered", default="yes", choices=("yes", "no"))
    ap.add_argument("--no-adapter", action="store_true")
    ap.add_argument("--deny", action="append", default=[])
    ap.add_argument("--never-resolve", action="store_true")
    ap.add_argument("--foreign-connect", action="store_true")
    ap.add_argument("--no-acquire-write", action="store_true")
    ap.add_argument("--drop-after-writes", type=int, default=0)
    ap.add_argument("--unresolve-after-writes", type=int, default=0)
    ap.add_argument("--fd-read-ms", type=int, default=0)
    ap.add_argument("--ready-file")
    args = ap.parse_args()
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    Bluez(args)
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("ready\n")
    loop.run()


loop = GLib.MainLoop()
if __name__ == "__main__":
    main()
