#!/usr/bin/env bash
# scripts/demo.sh - `make demo`, the project's main job. The emulated STM32WB55 (wbota-emu) is
# programmed with a production image (wbota loader + hello-ota v1, made by `wbota merge`); the
# wbota tool then does what a phone running ST's client would: connects to the app, sends the
# reboot request 01 07 FF, finds the loader at app address + 1, uploads v2 (a wbota image with
# manifest) and confirms the device now runs v2 by its advertised name.
# Prints bytes, simulated transfer time, throughput and wall time; exits 0 on success.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
T0=$(date +%s.%N)
missing=""
LOADER=$LOADER_STAGED # the default loader: staged mode, signed policy, this build's dev key
for v in EMU WBOTA UPLOAD LOADER V1 V2 DEV_KEY; do [ -z "${!v}" ] && missing="$missing $v"; done
if [ -n "$missing" ]; then
    echo "demo: missing build outputs:$missing"
    echo "      (wbota-emu and wbota from 'make host', loader/hello-ota ELFs from 'make firmware')"
    exit 1
fi
step() { printf '\n== %s ==\n' "$*"; }
die() { echo "demo: FAILED: $*"; [ -f "${LOG:-}" ] && tail -n 30 "$LOG"; exit 1; }

step "1. build the images with the wbota tool"
echo "signing key: $DEV_KEY (this build folder's development key)"
"$WBOTA" image create "$V1" -o "$E2E_TMP/hello-v1.img" --version 1.0.0 --security-counter 1 \
    --key "$DEV_KEY" -q || die "image create v1"
"$WBOTA" image create "$V2" -o "$E2E_TMP/hello-v2.img" --version 2.0.0 --security-counter 2 \
    --key "$DEV_KEY" -q || die "image create v2"
"$WBOTA" merge --loader "$LOADER" --app "$E2E_TMP/hello-v1.img" -o "$E2E_TMP/production" -q ||
    die "merge"
echo "production image: $(basename "$LOADER") + hello-ota v1 -> production.hex"
"$WBOTA" image inspect "$E2E_TMP/hello-v2.img" | sed -n '1,12p'

step "2. power on the emulated STM32WB55 with the production image"
LOG=$E2E_TMP/emu.log
e2e_emu_start "$LOG" "$E2E_TMP/production.hex" || die "emulator start"
echo "virtual radio: $SOCK"
echo "advertising now:"
"$UPLOAD" --emu "$SOCK" --scan 2000 2>/dev/null | grep '^ADV' | sed 's/^/  /'

step "3. staged update: an interrupted upload first - v1 keeps running"
"$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/hello-v2.img" --app-name HELLO-v1.0 \
    --disconnect-after 4000 --quiet >/dev/null 2>&1
echo "link dropped after 4000 bytes; the loader returns to the intact v1 (idle bound 60 s):"
"$UPLOAD" --emu "$SOCK" --scan 70000 2>/dev/null | grep '^ADV' | sed 's/^/  /'

step "4. update over the air: reboot request, loader, upload into staging, verdict, install"
OUT=$E2E_TMP/client.out
"$WBOTA" upload "$E2E_TMP/hello-v2.img" --emu "$SOCK" --name HELLO-v1.0 \
    --expect-name HELLO-v2.0 2>&1 | tee "$OUT"
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || die "wbota upload exit $rc"

step "5. the device after the update (v2 confirmed itself: wbota_confirm)"
echo "advertising now:"
"$UPLOAD" --emu "$SOCK" --scan 2000 2>/dev/null | grep '^ADV' | sed 's/^/  /'
STATS=$("$UPLOAD" --emu "$SOCK" --stats 2>/dev/null)
e2e_emu_stop
T1=$(date +%s.%N)
echo "emulator log (LED blinks left out):"
grep -vE "LED PB|EMU REPORT" "$LOG" | tail -n 8 | sed 's/^/  /'
[ -n "$STATS" ] && echo "$STATS"
grep -E "EMU REPORT" "$LOG" | tail -n 1

step "summary"
grep -E "^wbota: uploaded" "$OUT" | tail -n 1
awk -v a="$T0" -v b="$T1" 'BEGIN { printf "demo: OK, wall time %.1f s\n", b - a }'
exit 0
