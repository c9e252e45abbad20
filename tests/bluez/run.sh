#!/usr/bin/env bash
# tests/bluez/run.sh SCENARIO - `wbota upload --ble` / `wbota scan --ble` end to end: a private
# dbus-daemon (stands for the system bus: DBUS_SYSTEM_BUS_ADDRESS points the tool at it), the
# fake bluetoothd of tests/bluez/fake_bluez.py on it, and wbota-emu running the real loader and
# hello-ota firmware behind the fake's radio. Expected values come from docs/wbota.md (exit
# codes) and docs/linux-upload.md (one clear line per failure). Exit 77 = cannot run here.
#   update                v1 -> v2 through AcquireWrite, confirmed running; --json fields
#   scan                  `wbota scan --ble` and `--emu`: the app is listed as app-ota (the
#                         loader kind: in lost_link_then_loader)
#   ordering              bluetoothd slow to read the write sockets: FE22 07 still comes after
#                         the last FE24 chunk (the tool waits until the sockets are drained)
#   fallback_write_value  no AcquireWrite (older BlueZ): WriteValue type "command", MTU 23
#   lost_link_then_loader link drops mid-upload (exit 12, says how to resume); the rerun with
#                         --loader --addr LOADER completes and v2 runs; meanwhile
#                         `wbota scan --ble` and `--emu` list the device as a wbota loader with
#                         its state (error, last E_LINK_LOST) and version
#                         (docs/protocol.md#loader-adv)
#   staged_resume         staged signed loader, signed v1/v2: the link drops mid-upload; `wbota
#                         scan --ble`, `--json` and `--emu` list the loader (receiving, last
#                         E_LINK_LOST, app counter 1; ST's name and id 0x86 unchanged); the
#                         rerun of the same `wbota upload --ble` resumes by itself ("resuming
#                         from byte N") and v2 runs
#   wireless              --wireless upload of a dummy 8 KB CPU2 image, stored at 0x080C9000
#   interrupt             Ctrl-C mid-upload (32 KB stack image over WriteValue): exit 130,
#                         disconnected, says how to resume
#   no_bluez, no_adapter, adapter_off, denied_policy (D-Bus policy), denied_bluez
#   (NotPermitted), not_found, never_resolve, loader_absent (RF wake-up trap: the app refuses
#   the reboot), connect_in_progress (InProgress), write_before_resolved (WriteValue refused
#   while the services are re-read): each one error line on stderr (then the device state when
#   the device waits in its loader) and its exit code
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib.sh"
e2e_locate
S=${1:-update}
e2e_require EMU WBOTA LOADER V1 V2
PY=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import dbus, dbus.mainloop.glib; from gi.repository import GLib' 2>/dev/null; then
        PY=$p
        break
    fi
done
if [ -z "$PY" ] || ! command -v dbus-daemon >/dev/null; then
    echo "SKIP: needs dbus-daemon and python3-dbus + python3-gi (scripts/deps.sh)"
    [ "${WBOTA_NO_SKIP:-0}" = 1 ] && exit 1
    exit 77
fi
LOG=$E2E_TMP/emu.log
BUS_PID=""
FAKE_PID=""
FAKE_LOG=$E2E_TMP/fake.log
cleanup() {
    [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null
    e2e_emu_stop
    [ -n "$BUS_PID" ] && kill "$BUS_PID" 2>/dev/null && wait "$BUS_PID" 2>/dev/null
    rm -rf "$E2E_TMP"
}
trap cleanup EXIT
fail() {
    echo "FAIL (bluez.$S): $*"
    echo "--- fake bluetoothd log (tail) ---"; tail -n 20 "$FAKE_LOG" 2>/dev/null
    echo "--- wbota-emu log (tail) ---"; tail -n 20 "$LOG" 2>/dev/null
    exit 1
}

# bus_start [deny]: a private bus; "deny" adds the policy a user outside the bluetooth group
# meets on a real system (BlueZ's bluetooth.conf allows only root and that group).
bus_start() {
    local cfg=$E2E_TMP/bus.conf deny=""
    [ "${1:-}" = deny ] && deny='<policy context="default"><deny send_destination="org.bluez"/></policy>'
    cat >"$cfg" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$E2E_TMP/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
  $deny
</busconfig>
EOF
    dbus-daemon --config-file="$cfg" --nofork --nopidfile >"$E2E_TMP/bus.log" 2>&1 &
    BUS_PID=$!
    for _ in $(seq 1 100); do [ -S "$E2E_TMP/bus.sock" ] && break; sleep 0.05; done
    [ -S "$E2E_TMP/bus.sock" ] || fail "dbus-daemon did not start: $(cat "$E2E_TMP/bus.log")"
    export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$E2E_TMP/bus.sock
}

# fake_start [fake options]: fake bluetoothd bridged to the emulator started before
fake_start() {
    rm -f "$E2E_TMP/fake.ready"
    "$PY" "$HERE/fake_bluez.py" --emu "$SOCK" --ready-file "$E2E_TMP/fake.ready" "$@" \
        >"$FAKE_LOG" 2>&1 &
    FAKE_PID=$!
    for _ in $(seq 1 600); do [ -e "$E2E_TMP/fake.ready" ] && return 0; sleep 0.05; done
    fail "fake bluetoothd did not come up"
}

fake_stop() {
    kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=""
}

# scan_lists MS PATTERN WHAT VIA...: `wbota scan VIA` (--ble, or --emu SOCK) listening MS ms
# lists a line matching the extended regex PATTERN, else fails with "scan VIA: WHAT"
scan_lists() {
    local ms=$1 pattern=$2 what=$3
    shift 3
    timeout 60 "$WBOTA" scan "$@" --duration-ms "$ms" >"$E2E_TMP/s" || fail "scan $1"
    cat "$E2E_TMP/s"
    grep -E -q "$pattern" "$E2E_TMP/s" || fail "scan $1: $what"
}

# setup [bus deny] [-- fake options]: bus + emulator (loader + v1) + fake
setup() {
    local deny=""
    if [ "${1:-}" = deny ]; then deny=deny; shift; fi
    [ "${1:-}" = -- ] && shift
    bus_start $deny
    e2e_emu_start "$LOG" "${FW[@]}" || fail "emulator start"
    fake_start "$@"
}
FW=("$LOADER" "$V1")

# loader_version ELF: the version in the loader's information block (the one it publishes)
loader_version() {
    "$WBOTA" image inspect "$1" 2>&1 | sed -n 's/.*0x08000200: version \([0-9.]*\)).*/\1/p'
}

# resume_hint ELF: after a lost link, sets loader (the address in the resume hint on
# $E2E_TMP/err) and ver (the version ELF publishes), and restarts the fake (a fresh adapter)
resume_hint() {
    loader=$(sed -n 's/.*--loader --addr \([0-9A-F:]\{17\}\).*/\1/p' "$E2E_TMP/err")
    [ -n "$loader" ] || fail "no loader address in the resume hint"
    fake_stop
    fake_start
    ver=$(loader_version "$1")
    [ -n "$ver" ] || fail "no version in the loader's information block"
}

# upload_ok WHAT ARGS...: `wbota upload ARGS` succeeds within 120 s, else fails with "WHAT
# failed (exit N)"; its output stays in $E2E_TMP/out and err
upload_ok() {
    local what=$1 rc
    shift
    timeout 120 "$WBOTA" upload "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
    rc=$?
    cat "$E2E_TMP/out" "$E2E_TMP/err"
    [ $rc -eq 0 ] || fail "$what failed (exit $rc)"
}

# expect_fail EXIT WORDS ARGS...: the upload exits with EXIT and says exactly one line on
# stderr that contains WORDS
expect_fail() {
    local want=$1 words=$2
    shift 2
    timeout 120 "$WBOTA" upload "$V2" --ble -q "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
    local rc=$?
    echo "exit $rc: $(cat "$E2E_TMP/err")"
    [ "$rc" -eq "$want" ] || fail "exit $rc, want $want"
    # one error line; when the device was left in its loader, the indented device state follows
    [ "$(grep -c -v '^  ' "$E2E_TMP/err")" -eq 1 ] || fail "want exactly one error line on stderr"
    if [ "$(wc -l <"$E2E_TMP/err")" -gt 1 ]; then
        grep -q "^  device state: in its loader" "$E2E_TMP/err" || fail "more than one line, no device state"
    fi
    head -n 1 "$E2E_TMP/err" | grep -q -- "$words" || fail "the line does not say '$words'"
}

case "$S" in
update)
    setup
    upload_ok "update" "$V2" --ble --name HELLO-v1.0 --expect-name HELLO-v2.0
    grep -q "device verdict OK, new image running" "$E2E_TMP/out" || fail "no verdict/confirmation"
    grep -q "AcquireWrite fe24: mtu 251" "$FAKE_LOG" || fail "FE24 not written through AcquireWrite"
    # one LL PDU per write at DLE 251: 251 - 4 (L2CAP) - 3 (ATT) = 244 bytes of data
    grep -q "chunks of 244" "$E2E_TMP/out" || fail "chunk is not one LL PDU = 244"
    # the new image answers a scan, and a second run (v2 -> v2) works with --json
    timeout 120 "$WBOTA" upload "$V2" --ble --adapter hci0 --name HELLO-v2.0 --expect-name HELLO-v2.0 --json \
        >"$E2E_TMP/j" 2>/dev/null || fail "second update"
    grep -q '"ok":true,"exit":0' "$E2E_TMP/j" && grep -q '"confirmed":true' "$E2E_TMP/j" &&
        grep -q '"mtu":251' "$E2E_TMP/j" || fail "json: $(cat "$E2E_TMP/j")"
    ;;
scan)
    setup
    scan_lists 1500 "^[0-9A-F:]{17} +-?[0-9]+  app-ota +HELLO-v1.0$" \
        "the app is not listed as app-ota" --ble
    timeout 60 "$WBOTA" scan --ble --duration-ms 1000 --json >"$E2E_TMP/j" || fail "scan --json"
    grep -q '"kind":"app-ota"' "$E2E_TMP/j" && grep -q '"name":"HELLO-v1.0"' "$E2E_TMP/j" ||
        fail "json: $(cat "$E2E_TMP/j")"
    # the same over the emulator's radio (the fake holds it: stop the fake first)
    fake_stop
    scan_lists 1000 "  app-ota +HELLO-v1.0$" "the app is not listed" --emu "$SOCK"
    ;;
ordering)
    setup -- --fd-read-ms 5
    timeout 120 "$WBOTA" upload "$V2" --ble --name HELLO-v1.0 --expect-name HELLO-v2.0 \
        >"$E2E_TMP/out" 2>"$E2E_TMP/err"
    rc=$?
    cat "$E2E_TMP/out" "$E2E_TMP/err"
    grep -q "fault: write socket backlog" "$FAKE_LOG" || fail "no backlog: the test proves nothing"
    [ $rc -eq 0 ] || fail "FE22 07 overtook queued FE24 data? (exit $rc)"
    ;;
fallback_write_value)
    setup -- --no-acquire-write
    timeout 240 "$WBOTA" upload "$V2" --ble --name HELLO-v1.0 --expect-name HELLO-v2.0 \
        >"$E2E_TMP/out" 2>"$E2E_TMP/err"
    rc=$?
    cat "$E2E_TMP/out"
    [ $rc -eq 0 ] || { cat "$E2E_TMP/err"; fail "update via WriteValue failed (exit $rc)"; }
    grep -q "WriteValue type command on Raw Data" "$FAKE_LOG" || fail "WriteValue not used"
    grep -q "MTU 23, chunks of 20" "$E2E_TMP/out" || fail "no MTU published: must use 20-byte chunks"
    ;;
lost_link_then_loader)
    setup -- --drop-after-writes 5
    expect_fail 12 "resume with" --name HELLO-v1.0
    resume_hint "$LOADER"
    # the device waits in the loader: `wbota scan` lists it as one
    listed="^$loader .*  wbota-loader  STM_OTA  v$ver st/st, error, last E_LINK_LOST$"
    scan_lists 1500 "$listed" "the loader is not listed with its state and version" --ble
    # the same over the emulator's radio (the fake holds it: stop the fake meanwhile)
    fake_stop
    scan_lists 1000 "$listed" "the loader is not listed with its state and version" --emu "$SOCK"
    fake_start
    upload_ok "resume with --loader" "$V2" --ble --loader --addr "$loader" --expect-name HELLO-v2.0
    grep -q "new image running" "$E2E_TMP/out" || fail "v2 not seen running after the resume"
    ;;
staged_resume)
    e2e_require LOADER_STAGED DEV_KEY
    "$WBOTA" image create "$V1" -o "$E2E_TMP/v1s.hex" --key "$DEV_KEY" --version 1.0.0 \
        --security-counter 1 -q || fail "image create v1"
    "$WBOTA" image create "$V2" -o "$E2E_TMP/v2s.bin" --key "$DEV_KEY" --version 2.0.0 \
        --security-counter 2 -q || fail "image create v2"
    V2=$E2E_TMP/v2s.bin
    FW=("$LOADER_STAGED" "$E2E_TMP/v1s.hex")
    # 25 writes of 244 bytes: more than the first 4 KB page, less than the image
    setup -- --drop-after-writes 25
    expect_fail 12 "resume with" --name HELLO-v1.0
    resume_hint "$LOADER_STAGED"
    listed="^$loader .*  wbota-loader  STM_OTA  v$ver staged/signed, receiving, last E_LINK_LOST, app counter 1$"
    scan_lists 1500 "$listed" "the loader is not listed with its state and version" --ble
    timeout 60 "$WBOTA" scan --ble --duration-ms 1000 --json >"$E2E_TMP/j" || fail "scan --json"
    cat "$E2E_TMP/j"
    # ST's identification unchanged: name STM_OTA, device id 0x86 (134)
    grep -q "\"kind\":\"wbota-loader\",\"st_device_id\":134,\"name\":\"STM_OTA\",\"loader\":{\"format\":1,\"mode\":\"staged\",\"policy\":\"signed\",\"version\":\"$ver\",\"state\":\"receiving\",\"last_reason\":-34,\"last_reason_name\":\"E_LINK_LOST\",\"stay_reason\":0,\"app_counter\":1,\"reverted_from\":0}" "$E2E_TMP/j" ||
        fail "scan --json: loader fields"
    # the same over the emulator's radio (the fake holds it: stop the fake meanwhile)
    fake_stop
    scan_lists 1000 "$listed" "the loader is not listed with its state and version" --emu "$SOCK"
    fake_start
    # the same command again: it finds the loader in place of the app and resumes by itself
    upload_ok "the rerun" "$V2" --ble --name HELLO-v1.0 --expect-name HELLO-v2.0
    # (v1 may be back by now, the loader's idle return: then the reboot request restarts the
    # loader, which forgot the lost link but still holds the recorded pages)
    grep -q "found the loader: wbota loader v$ver staged/signed, receiving" "$E2E_TMP/err" ||
        fail "upload did not print the loader's state"
    grep -q "resuming the interrupted upload at byte [1-9][0-9]* " "$E2E_TMP/err" ||
        fail "the rerun did not resume"
    grep -q "new image running" "$E2E_TMP/out" || fail "v2 not seen running after the resume"
    ;;
wireless)
    setup
    WS=$E2E_TMP/ws.bin
    LC_ALL=C awk 'BEGIN { srand(7); for (i = 0; i < 8192; i++) printf "%c", int(rand() * 256) }' >"$WS"
    timeout 180 "$WBOTA" upload "$WS" --wireless --ble --name HELLO-v1.0 >"$E2E_TMP/out" 2>&1
    rc=$?
    cat "$E2E_TMP/out"
    [ $rc -eq 0 ] && grep -q "to 0x080C9000 .*device verdict OK" "$E2E_TMP/out" ||
        fail "wireless upload not accepted at 0x080C9000 (exit $rc)"
    ;;
interrupt)
    setup -- --no-acquire-write # 20-byte WriteValue calls: slow enough to interrupt mid-way
    # a 32 KB dummy stack image: about 1600 writes, seconds of streaming even on a fast machine
    WS=$E2E_TMP/ws.bin
    LC_ALL=C awk 'BEGIN { srand(3); for (i = 0; i < 32768; i++) printf "%c", int(rand() * 256) }' >"$WS"
    timeout 120 "$WBOTA" upload "$WS" --wireless --ble --name HELLO-v1.0 >"$E2E_TMP/out" \
        2>"$E2E_TMP/err" &
    up=$!
    deadline=$((SECONDS + 90))
    while ! grep -q "uploading" "$E2E_TMP/err" && [ $SECONDS -lt $deadline ]; do sleep 0.02; done
    grep -q "uploading" "$E2E_TMP/err" || fail "the upload never started: $(cat "$E2E_TMP/err")"
    sleep 0.2
    kill -INT $up
    wait $up
    rc=$?
    cat "$E2E_TMP/err"
    [ $rc -eq 130 ] || fail "exit $rc, want 130"
    grep -q "interrupted.*resume with .*--loader --addr" "$E2E_TMP/err" || fail "no resume hint"
    grep -q "link down" "$FAKE_LOG" || fail "the tool did not disconnect"
    ;;
no_bluez)
    bus_start
    expect_fail 20 "bluetoothd is not running" --name HELLO-v1.0
    ;;
no_adapter)
    setup -- --no-adapter
    expect_fail 18 "no Bluetooth adapter" --name HELLO-v1.0
    expect_fail 18 "no Bluetooth adapter" --name HELLO-v1.0 --adapter hci1
    ;;
adapter_off)
    setup -- --powered no
    expect_fail 19 "powered off.*bluetoothctl power on" --name HELLO-v1.0
    ;;
denied_policy)
    setup deny
    expect_fail 21 "AccessDenied.*bluetooth' group" --name HELLO-v1.0
    ;;
denied_bluez)
    setup -- --deny StartDiscovery
    expect_fail 21 "StartDiscovery: org.bluez.Error.NotPermitted" --name HELLO-v1.0
    ;;
not_found)
    setup
    expect_fail 11 "application 11:22:33:44:55:66 not found by the scan within 1500 ms" \
        --addr 11:22:33:44:55:66 --scan-ms 1500
    ;;
never_resolve)
    setup -- --never-resolve
    expect_fail 22 "did not resolve its services" --name HELLO-v1.0 --scan-ms 2000
    ;;
loader_absent)
    e2e_require HSE LOADER_LSE
    FW=("$LOADER_LSE" "$HSE")
    setup
    expect_fail 17 "loader not found" --name HELLO-v1.0 --scan-ms 3000
    ;;
connect_in_progress)
    setup -- --foreign-connect
    expect_fail 23 "org.bluez.Error.InProgress.*close it" --name HELLO-v1.0
    ;;
write_before_resolved)
    setup -- --no-acquire-write --unresolve-after-writes 3
    expect_fail 22 "refused WriteValue.*services are not resolved" --name HELLO-v1.0
    ;;
*)
    echo "unknown scenario $S"
    exit 2
    ;;
esac
echo "PASS bluez.$S"
