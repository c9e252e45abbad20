#!/usr/bin/env bash
# bench/swap.sh - the swap strategy (docs/staged.md#swap) with a 256 KB signed image
# (hello-ota-256k) through wbota-loader-swap.elf on wbota-emu, simulated time of: the download
# (client transfer), the swap (the reset after the verdict to the INSTALLED record), the first
# boot (that reset to the BOOT record written just before the jump), the confirm (the app's
# confirm reset to the COUNTER record, then the app runs again); then an image of the same size
# that resets before it confirms (hello-ota-256k-crash): the revert at its 4th boot (that reset
# to the REVERTED record, and to the VERDICT record after the full check of the app swapped
# back). Limit of a swap or a revert: 3 x pages x (page erase + page program) at the emulator's
# timings (22.02 ms per erase, 81.7 us per double word: docs/emulator.md). Set-up shared with
# bench/staged-update.sh (bench/lib/staged.bash). Needs `make host firmware`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib/staged.bash"
bench_staged_setup LOADER_SWAP
CRASH=$(e2e_find "$E2E_FW" hello-ota-256k-crash.elf)
e2e_require CRASH
"$WBOTA" image create "$CRASH" -o "$E2E_TMP/crash.bin" --key "$DEV_KEY" --version 3.0.0 \
    --security-counter 3 -q || exit 1
e2e_emu_start "$LOG" "$LOADER_SWAP" "$E2E_TMP/v1s.hex" -- --trace reset,flash || exit 1
OUT=$("$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/big.bin" --app-name HELLO-v1.0 \
    --expect-name HELLO-v2.5 --quiet)
rc=$?
[ $rc -eq 0 ] || { echo "bench: swap upload failed ($rc)"; grep -v TRACE "$LOG" | tail; exit 1; }
N0=$(wc -l <"$LOG") # the revert part: the lines the emulator writes from here on
"$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/crash.bin" --app-name HELLO-v2.5 --quiet >/dev/null 2>&1
# (the client's wait for the new app fails: it never advertises)
# the swap in, 3 boots, the revert: about 30 s simulated; each scan is bounded, so several
back=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
    if "$UPLOAD" --emu "$SOCK" --scan 10000 2>/dev/null | grep -q " HELLO-v2.5$"; then
        back=1
        break
    fi
done
[ -n "$back" ] || { echo "bench: v2.5 not back after the revert"; exit 1; }
e2e_emu_stop
head -n "$N0" "$LOG" >"$E2E_TMP/update.log"
tail -n +"$((N0 + 1))" "$LOG" >"$E2E_TMP/revert.log"
# record pages: the two pages below SFSA 0xCB (docs/staged.md#slots); the scratch page 0xC8
awk -v size="$SIZE" -v summary="$(echo "$OUT" | grep SUMMARY)" '
function us(line) { split(line, f, " "); return f[3] + 0 }
/reboot request|system reset|power-on reset/ { resets[++nr] = us($0) }
/ program 0x080c9|program 0x080ca/ { rec[++nrec] = us($0) }
END {
    # resets: 1 power-on, 2 the reboot request, 3 after the verdict, 4 the confirm
    r_inst = resets[3]
    # before the confirm reset: ... INSTALLED (7 double words), BOOT; the last after it: COUNTER
    for (i = 1; i <= nrec; i++) {
        if (rec[i] < resets[4]) { t_boot = rec[i]; t_installed = rec[i - 1] }
        else if (nr < 5 || rec[i] < resets[5]) t_counter = rec[i] # stdout may lag the split
    }
    match(summary, /sim_transfer_s=[0-9.]+/); dl = substr(summary, RSTART + 15, RLENGTH - 15)
    pages = int((size + 4095) / 4096)
    limit = 3 * pages * (22020 + 512 * 81.7) / 1e6
    printf "image: %d bytes (%d pages), swap signed loader\n", size, pages
    printf "download (client transfer, simulated): %.2f s\n", dl
    printf "swap (reset after the verdict -> INSTALLED record): %.3f s\n", (t_installed - r_inst) / 1e6
    printf "first boot (reset -> BOOT record, just before the jump): %.3f s\n", (t_boot - r_inst) / 1e6
    printf "confirm (confirm reset -> COUNTER record): %.3f ms\n", (t_counter - resets[4]) / 1e3
    printf "swap flash limit 3 x %d x (page erase + page program): %.3f s; ratio %.2f (limit 1.2)\n",
        pages, limit, (t_installed - r_inst) / 1e6 / limit
}' "$E2E_TMP/update.log"
awk -v size="$SIZE" '
function us(line) { split(line, f, " "); return f[3] + 0 }
/reboot request|system reset|power-on reset/ { r_last = us($0) }
/ program 0x080c9|program 0x080ca/ { rec[++nrec] = us($0) }
END {
    # the last records: REVERTED (2 double words), VERDICT (6) after the full check
    pages = int((size + 4095) / 4096)
    limit = 3 * pages * (22020 + 512 * 81.7) / 1e6
    printf "revert (4th boot of the unconfirmed image: reset -> REVERTED record): %.3f s; ratio %.2f (limit 1.2)\n",
        (rec[nrec - 6] - r_last) / 1e6, (rec[nrec - 6] - r_last) / 1e6 / limit
    printf "revert + full check of the app swapped back (reset -> VERDICT record): %.3f s\n",
        (rec[nrec] - r_last) / 1e6
}' "$E2E_TMP/revert.log"
