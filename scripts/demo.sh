#!/usr/bin/env bash
# scripts/demo.sh - `make demo`: the emulated STM32WB55 runs the wbota loader + hello-ota v1; a
# central (the wbota tool's `upload --emu`, else emulator/client/emu_upload) sends the reboot
# request, finds the loader at app address + 1, uploads v2 and shows the device running v2.
# Prints bytes, simulated transfer time, throughput and wall time; exits 0 on success.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
T0=$(date +%s.%N)
missing=""
for v in EMU LOADER V1 V2; do [ -z "${!v}" ] && missing="$missing $v"; done
if [ -n "$missing" ]; then
    echo "demo: missing build outputs:$missing"
    echo "      (wbota-emu from 'make host', loader/hello-ota ELFs from 'make firmware')"
    exit 1
fi
LOG=$E2E_TMP/emu.log
echo "== wbota demo =="
echo "device : wbota-emu with $(basename "$LOADER") + $(basename "$V1")"
e2e_emu_start "$LOG" "$LOADER" "$V1" || exit 1
echo "radio  : $SOCK"
echo "update : $(basename "$V2") ($(stat -c %s "${V2BIN:-$V2}") bytes)"
OUT=$E2E_TMP/client.out
e2e_upload "$V2" "$V2BIN" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 >"$OUT" 2>&1
rc=$?
cat "$OUT"
STATS=""
if [ -n "$UPLOAD" ]; then STATS=$("$UPLOAD" --emu "$SOCK" --stats 2>/dev/null); fi
e2e_emu_stop
T1=$(date +%s.%N)
echo "-- device log (LED, resets, loader) --"
grep -E "LED|RESET|loader|CPU2|EMU RULE|EMU CUT" "$LOG" | grep -v "EMU REPORT" | tail -n 15
echo "-- emulator --"
[ -n "$STATS" ] && echo "$STATS"
grep -E "EMU REPORT" "$LOG" | tail -n 1
if [ $rc -ne 0 ]; then
    echo "demo: FAILED (client $E2E_CLIENT exit $rc)"
    tail -n 30 "$LOG"
    exit 1
fi
awk -v c="$E2E_CLIENT" -v a="$T0" -v b="$T1" 'BEGIN { printf "demo: OK with %s, wall time %.1f s\n", c, b - a }'
exit 0
