#!/usr/bin/env bash
# bench/emu-ips.sh - emulated instructions per second of wbota-emu with every peripheral model,
# the block-counting time base and the timer list active: (1) a register-only loop (2 x 200 M
# instructions), (2) a loop with a RAM load/store per iteration, (3) the real loader + hello-ota
# v1 for 3 s of simulated time (if the firmware has been built). Builds what it needs in
# build/host (or $BUILD). Prints one line per case: "<case>: <N> M instructions/s".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build/host}
if [ ! -x "$BUILD/emulator/wbota-emu" ] || [ ! -f "$BUILD/emulator/tests_emu/fw/fw_test_10.elf" ]; then
    cmake --preset host -S "$ROOT" >/dev/null 2>&1 || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=gcc >/dev/null
    cmake --build "$BUILD" -j2 --target wbota-emu emu_test_fw >/dev/null || exit 1
fi
EMU=$BUILD/emulator/wbota-emu
FW=$BUILD/emulator/tests_emu/fw
ips() { # label, args...
    local label=$1; shift
    local line
    line=$("$EMU" "$@" 2>&1 | grep 'EMU REPORT')
    local v
    v=$(printf '%s\n' "$line" | sed -n 's/.*, \([0-9.]*\) M instructions\/s.*/\1/p')
    printf '%-34s %8s M instructions/s   (%s)\n' "$label:" "${v:-?}" "${line#EMU REPORT }"
}
ips "register loop (fw_test_10)" --flash "$FW/fw_test_10.elf" --exit-on-idle
ips "RAM load/store loop (fw_test_12)" --flash "$FW/fw_test_12.elf" --exit-on-idle
LOADER=$(ls -t "$ROOT"/build/firmware/firmware/wbota-loader-st.elf 2>/dev/null | head -1)
APP=$(ls -t "$ROOT"/build/firmware/examples/hello-ota-v1.elf 2>/dev/null | head -1)
if [ -n "$LOADER" ] && [ -n "$APP" ]; then
    ips "loader + hello-ota v1, 3 s (no CPU2)" --flash "$LOADER" --flash "$APP" --max-time-us 3000000
else
    echo "loader + hello-ota v1: skipped (run 'make firmware' first)"
fi
