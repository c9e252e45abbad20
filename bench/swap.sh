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
bench_staged_upload "$LOADER_SWAP"
[ $RC -eq 0 ] || { echo "bench: swap upload failed ($RC)"; grep -v TRACE "$LOG" | tail; exit 1; }
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
# the scratch page 0xC8 is not a record page; before the confirm reset: ... INSTALLED (7 double
# words), BOOT; the last after it: COUNTER
bench_staged_times "$E2E_TMP/update.log" '
    limit = 3 * pages * (22020 + 512 * 81.7) / 1e6
    printf "image: %d bytes (%d pages), swap signed loader\n", size, pages
    printf "download (client transfer, simulated): %.2f s\n", dl
    printf "swap (reset after the verdict -> INSTALLED record): %.3f s\n", (t_installed - r_inst) / 1e6
    printf "first boot (reset -> BOOT record, just before the jump): %.3f s\n", (t_boot - r_inst) / 1e6
    printf "confirm (confirm reset -> COUNTER record): %.3f ms\n", (t_counter - resets[4]) / 1e3
    printf "swap flash limit 3 x %d x (page erase + page program): %.3f s; ratio %.2f (limit 1.2)\n",
        pages, limit, (t_installed - r_inst) / 1e6 / limit'
# the revert: from the last reset; the last records: REVERTED (2 double words), VERDICT (6)
# after the full check
bench_staged_times "$E2E_TMP/revert.log" '
    r_last = resets[nr]
    limit = 3 * pages * (22020 + 512 * 81.7) / 1e6
    printf "revert (4th boot of the unconfirmed image: reset -> REVERTED record): %.3f s; ratio %.2f (limit 1.2)\n",
        (rec[nrec - 6] - r_last) / 1e6, (rec[nrec - 6] - r_last) / 1e6 / limit
    printf "revert + full check of the app swapped back (reset -> VERDICT record): %.3f s\n",
        (rec[nrec] - r_last) / 1e6'
