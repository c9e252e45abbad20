# bench/lib/staged.bash - what the staged-mode benchmarks share (bench/staged-update.sh,
# bench/swap.sh): sourced, not run.
# bench_staged_setup LOADER_VAR: locates the tools and the firmware, requires the loader named by
# LOADER_VAR, signs hello-ota v1 (counter 1) into $E2E_TMP/v1s.hex and the 256 KB
# hello-ota-256k (2.5.0, counter 2) into $E2E_TMP/big.bin, and sets SIZE (bytes of big.bin),
# BIG (the 256 KB ELF) and LOG. bench_staged_upload and bench_staged_times (below): the timed
# upload of big.bin and the times read from the emulator's log.
bench_staged_setup() {
    . "$ROOT/tests/e2e/lib.sh"
    e2e_locate
    BIG=$(e2e_find "$E2E_FW" hello-ota-256k.elf)
    e2e_require EMU "$1" V1 BIG UPLOAD WBOTA DEV_KEY
    "$WBOTA" image create "$V1" -o "$E2E_TMP/v1s.hex" --key "$DEV_KEY" --version 1.0.0 \
        --security-counter 1 -q || exit 1
    "$WBOTA" image create "$BIG" -o "$E2E_TMP/big.bin" --key "$DEV_KEY" --version 2.5.0 \
        --security-counter 2 -q || exit 1
    SIZE=$(stat -c %s "$E2E_TMP/big.bin")
    LOG=$E2E_TMP/emu.log
}

# bench_staged_upload LOADER [client args]: starts wbota-emu (log $LOG, resets and flash traced)
# with LOADER and the signed v1, and uploads big.bin with the test client, which waits for
# HELLO-v2.5 to come up. Sets OUT (the client's output: its SUMMARY line) and RC (its exit
# code); the emulator keeps running (e2e_emu_stop ends it).
bench_staged_upload() {
    local loader=$1
    shift
    e2e_emu_start "$LOG" "$loader" "$E2E_TMP/v1s.hex" -- --trace reset,flash || exit 1
    OUT=$("$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/big.bin" --app-name HELLO-v1.0 \
        --expect-name HELLO-v2.5 "$@" --quiet)
    RC=$?
}

# bench_staged_times LOGFILE 'awk statements': times from an emulator log of a staged update.
# The statements run at the end of an awk pass over LOGFILE and print what the bench reports
# from: us(line) (a trace line's simulated time, us); resets[1..nr] (power-on, system and
# reboot-request resets: 1 power-on, 2 the reboot request, 3 after the verdict, 4 the confirm);
# rec[1..nrec] (programs of the record pages, the two pages below SFSA 0xCB:
# docs/staged.md#slots); r_inst = resets[3]; t_installed and t_boot (the last two record
# programs before the confirm reset: the INSTALLED record's last double word, then BOOT),
# t_counter (the last after it, until a 5th reset: COUNTER); dl (the client's simulated transfer
# in s, from $OUT's SUMMARY line) and pages (of big.bin, $SIZE bytes).
bench_staged_times() {
    awk -v size="$SIZE" -v summary="$(echo "$OUT" | grep SUMMARY)" '
function us(line) { split(line, f, " "); return f[3] + 0 }
/reboot request|system reset|power-on reset/ { resets[++nr] = us($0) }
/ program 0x080c9|program 0x080ca/ { rec[++nrec] = us($0) }
END {
    r_inst = resets[3]
    for (i = 1; i <= nrec; i++) {
        if (rec[i] < resets[4]) { t_boot = rec[i]; t_installed = rec[i - 1] }
        else if (nr < 5 || rec[i] < resets[5]) t_counter = rec[i] # stdout may lag the split
    }
    match(summary, /sim_transfer_s=[0-9.]+/); dl = substr(summary, RSTART + 15, RLENGTH - 15)
    pages = int((size + 4095) / 4096)
'"$2"'
}' "$1"
}
