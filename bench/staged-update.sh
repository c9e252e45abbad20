#!/usr/bin/env bash
# bench/staged-update.sh - a 256 KB signed image (hello-ota-256k) through the staged signed loader
# (docs/staged.md): simulated time of the download (reboot request to FE23 verdict), the install
# (the system reset after the verdict to the INSTALLED record) and the first boot (that reset to
# the BOOT record, written just before the jump), the install against its flash limit
# 64 x (page erase + page program) at the emulator's timings (22.02 ms per page erase, 81.7 us
# per double word: docs/emulator.md), and the normal boot (reset to the app's VTOR write) with
# the verdict recorded. Needs `make host firmware`.
# Then the download side by side (docs/benchmarks.md#staged-vs-st): the same signed image, the
# same client (tagged, as `wbota upload` sends it) and the same definition of "download" (first
# FE24 write to the FE23 verdict, the image check at FE22 07 included) through the `st`-mode
# and the staged loader of the same policy: signed (wbota-loader-signed.elf vs wbota-loader.elf)
# and st (wbota-loader-st.elf vs wbota-loader-staged-st.elf); prints both figures, the limit
# 1.10 and the ratio. STAGED_PAIRS selects the policies (default "signed st").
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib/staged.bash"
bench_staged_setup LOADER_STAGED
e2e_require LOADER LOADER_SIGNED LOADER_STAGED_ST
# the resume tag `wbota upload` sends: the first 4 bytes of the file's SHA-256 (docs/staged.md#resume)
TAG=$(sha256sum "$E2E_TMP/big.bin" | cut -c1-8)
bench_staged_upload "$LOADER_STAGED" --tag "$TAG"
e2e_emu_stop
[ $RC -eq 0 ] || { echo "bench: staged upload failed ($RC)"; grep -v TRACE "$LOG" | tail; exit 1; }
# before the confirm reset: ... INSTALLED (6 double words), BOOT
bench_staged_times "$LOG" '
    limit = pages * (22020 + 512 * 81.7) / 1e6
    printf "image: %d bytes (%d pages), staged signed loader\n", size, pages
    printf "download (client transfer, simulated): %.2f s\n", dl
    printf "install (reset after the verdict -> INSTALLED record): %.3f s\n", (t_installed - r_inst) / 1e6
    printf "first boot (reset -> BOOT record, just before the jump): %.3f s\n", (t_boot - r_inst) / 1e6
    printf "install flash limit %d x (page erase + page program): %.3f s; ratio %.2f (limit 1.2)\n",
        pages, limit, (t_installed - r_inst) / 1e6 / limit'
# Normal boot with the verdict recorded: power cut at 2 s (the factory image's first boot has
# recorded its verdict by then), reset -> the loader's VTOR write for the jump. Target 2 ms.
T=$(timeout 120 "$EMU" --flash "$LOADER_STAGED" --flash "$E2E_TMP/v1s.hex" --max-time-us 2010000 \
    --cut-at-time-us 2000000 --cut-kind before --trace periph 2>&1 |
    awk '/CUT fired/ { f = 1 } f && /SCS wr32 0xe000ed08 <- 0x08007000/ { print $3 - 2000000; exit }')
echo "normal boot, reset to the jump (VTOR write), verdict recorded: ${T:-?} us (target 2000 us)"

# Download side by side: `st` mode vs staged mode, same image, same client, same policy.
dl_of() { # dl_of LOADER [client args]: simulated download (s), or nothing when the upload failed
    local l=$1 out
    shift
    e2e_emu_start "$E2E_TMP/pair.log" "$l" "$E2E_TMP/v1s.hex" || return 1
    out=$(timeout 300 "$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/big.bin" --app-name HELLO-v1.0 \
        --expect-name HELLO-v2.5 --quiet "$@")
    e2e_emu_stop
    echo "$out" | sed -n 's/.*sim_transfer_s=\([0-9.]*\).*/\1/p'
}
read -r _ _ LINK <<<"$(python3 "$ROOT/bench/ota_limit.py" --image "$E2E_TMP/big.bin" --chunk 248)"
STAGED_SIGNED=$(echo "$OUT" | sed -n 's/.*sim_transfer_s=\([0-9.]*\).*/\1/p')
status=0
for pol in ${STAGED_PAIRS:-signed st}; do
    case $pol in
        signed) st=$(dl_of "$LOADER_SIGNED"); staged=$STAGED_SIGNED ;;
        # the st-policy staged loader takes the tag too; the st-mode loader knows no resume
        st) st=$(dl_of "$LOADER"); staged=$(dl_of "$LOADER_STAGED_ST" --tag "$TAG"); ST_ST=$st ;;
        *) echo "bench: unknown policy $pol"; exit 1 ;;
    esac
    if [ -z "$st" ] || [ -z "$staged" ]; then
        echo "download, $pol policy: an upload failed"; status=1; continue
    fi
    awk -v p="$pol" -v st="$st" -v sg="$staged" -v b="$SIZE" -v lk="$LINK" 'BEGIN {
        d = b / lk
        printf "download, %s policy, MTU 251 (first FE24 write -> FE23 verdict): st mode %.3f s, staged %.3f s, limit 1.10, ratio %.3f\n", p, st, sg, sg / st
        printf "  of which data at the link limit (%.1f kB/s): %.3f s; after the data (the check at 07): st %.3f s, staged %.3f s\n", lk / 1000, d, st - d, sg - d
    }'
done
# the comparison docs/benchmarks.md made before: staged + signed against st mode + st policy
# (the difference is then mostly the signature check, a matter of policy, not of mode)
if [ -n "${ST_ST:-}" ] && [ -n "$STAGED_SIGNED" ]; then
    awk -v a="$STAGED_SIGNED" -v b="$ST_ST" 'BEGIN { printf "staged + signed against st mode + st policy: %.3f s / %.3f s, limit 1.10, ratio %.3f\n", a, b, a / b }'
fi
exit $status
