#!/usr/bin/env bash
# bench/boot-time.sh - reset to the app's first instruction (the loader's VTOR write just before
# the jump, simulated) for every loader variant with a 256 KB image (hello-ota-256k with a
# manifest: signed for the signed loaders): the first boot (full check, verdict recorded) and
# the next boot after a power cut at 3 s (verdict compared; the every-boot variant checks in
# full again), and a plain ST image under the st loader. Limit for a valid, already-verified
# app: 2 ms (docs/benchmarks.md#loader-size-2). Needs `make host firmware`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
BIG=$(e2e_find "$E2E_FW" hello-ota-256k.elf)
e2e_require EMU V1 BIG WBOTA DEV_KEY
"$WBOTA" image create "$BIG" -o "$E2E_TMP/m.bin" --version 1.0.0 -q || exit 1
"$WBOTA" image create "$BIG" -o "$E2E_TMP/s.bin" --key "$DEV_KEY" --version 1.0.0 -q || exit 1
PLAIN=$(e2e_find "$E2E_FW" hello-ota-v1.bin) # as linked: ST's tags, no manifest
CUT=3000000
bad=0
row() { # row LOADER_ELF IMAGE LABEL
    local elf=$1 img=$2 label=$3 out first next
    out=$(timeout 300 "$EMU" --flash "$elf" --flash "$img@0x08007000" --max-time-us $((CUT + 700000)) \
        --cut-at-time-us $CUT --cut-kind before --trace periph 2>&1 |
        awk -v cut=$CUT '/CUT fired/ { f = 1 }
            /SCS wr32 0xe000ed08 <- 0x08007000/ { if (!f && !a) { a = $3 } else if (f) { print a, $3 - cut; exit } }')
    first=${out% *}
    next=${out#* }
    if [ -z "$out" ]; then
        printf '%-32s %-22s no jump\n' "$(basename "$elf")" "$label"
        bad=1
        return
    fi
    printf '%-32s %-22s first boot %9.2f ms   next boot %8.2f ms' "$(basename "$elf")" "$label" \
        "$(echo "$first" | awk '{print $1 / 1000}')" "$(echo "$next" | awk '{print $1 / 1000}')"
    case "$elf" in
    *every-boot*) echo "   (full check every boot)" ;;
    *)
        echo "   limit 2.00 ms, ratio $(echo "$next" | awk '{printf "%.2f", $1 / 2000}')"
        [ "$next" -le 2000 ] || bad=1
        ;;
    esac
}
for v in wbota-loader-st wbota-loader-lse wbota-loader-staged-st; do
    L=$(e2e_find "$E2E_FW" $v.elf)
    [ -n "$L" ] && row "$L" "$E2E_TMP/m.bin" "256 KB, manifest"
done
for v in wbota-loader-signed wbota-loader wbota-loader-every-boot wbota-loader-p256m; do
    L=$(e2e_find "$E2E_FW" $v.elf)
    [ -n "$L" ] && row "$L" "$E2E_TMP/s.bin" "256 KB, signed"
done
L=$(e2e_find "$E2E_FW" wbota-loader-st.elf)
row "$L" "$PLAIN" "plain ST image (9 KB)"
exit $bad
