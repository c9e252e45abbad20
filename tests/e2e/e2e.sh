#!/usr/bin/env bash
# tests/e2e/e2e.sh SCENARIO - end-to-end tests on wbota-emu: the real loader and hello-ota ELFs,
# driven over the virtual radio. Scenarios (issue 4 "Tests"):
#   update        loader + v1, ST client sequence uploads v2, device then advertises HELLO-v2.0
#   plain_reboot  FE11 `00 07 FF`: the app comes straight back, no loader advertises
#   rf_trap_adaptive  app on HSE/1024 + adaptive loader: the update succeeds
#   rf_trap_lse   app on HSE/1024 + fixed-LSE loader: the app refuses the reboot (stays up)
#   rf_trap_forced  same pair, the loader forced anyway (mailbox 01 07 FF + system reset through
#                 the radio's debug requests): CPU2 hangs in BLE_INIT, the loader gives up within
#                 its bound, erases nothing, goes back to the app with a reason recorded; after a
#                 power cycle the app runs normally
#   bad_base      upload to the loader's own pages (0x000000) is refused, then a fresh upload works
#   bad_inputs    one device, in the loader: misaligned base, writes before a start, upload
#                 finished with nothing written, truncated image, corrupted byte, disconnect
#                 mid-upload: each refused (or dropped), then a good upload succeeds
#   st_manifest   `st` policy: an image with a wbota manifest (unsigned) is accepted
#   signed        `signed` policy (signed v1 running): an unsigned v2 is refused and the device
#                 stays recoverable; a v2 signed with the demo key is accepted
#   wireless_update  `wbota upload --wireless` of a dummy 8 KB CPU2 image (FE22 command 0x01):
#                 accepted, stored just below SFSA and nowhere else, the CPU2 model sees the FUS
#                 sequence (2x FUS_GET_STATE, FUS_FW_UPGRADE, polling, FUS_START_WS), the app
#                 (untouched) comes back, and a later app update to v2 still works
#   wireless_resume  system reset while the mailbox says 0x02 and FUS is busy (fus_resume
#                 client): the loader resumes the FUS polling, starts the stack, back to the app
#   chip_selftest wb-chip-selftest.elf on wbota-emu --exit-on-idle: every step passes
# Exit 77 (skipped) when the emulator or the firmware is not built.
set -u
. "$(dirname "$0")/lib.sh"
e2e_locate
S=${1:-update}
CHIP=$(e2e_find "$E2E_FW" wb-chip-selftest.elf)
if [ "$S" = chip_selftest ]; then e2e_require EMU CHIP; else e2e_require EMU LOADER V1; fi
LOG=$E2E_TMP/emu.log
fail() { echo "FAIL ($S): $*"; echo "--- wbota-emu log (tail) ---"; tail -n 40 "$LOG"; exit 1; }

case "$S" in
update)
    e2e_require V2BIN
    e2e_emu_start "$LOG" "$LOADER" "$V1" || fail "emulator start"
    # bounded by CTest's TIMEOUT and the clients' own simulated-time bounds
    e2e_upload "$V2" "$V2BIN" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 --quiet ||
        fail "update cycle ($E2E_CLIENT)"
    ;;
plain_reboot)
    e2e_require UPLOAD
    e2e_emu_start "$LOG" "$LOADER" "$V1" || fail "emulator start"
    timeout 60 "$UPLOAD" --emu "$SOCK" --reboot 00 --reboot-only --app-name HELLO-v1.0 \
        --expect-name HELLO-v1.0 || fail "plain reboot did not come back to the app"
    ;;
rf_trap_adaptive)
    e2e_require HSE V2BIN UPLOAD
    e2e_emu_start "$LOG" "$LOADER" "$HSE" || fail "emulator start"
    timeout 120 "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --app-name HELLO-v1.0 \
        --expect-name HELLO-v2.0 --quiet || fail "adaptive loader did not take the update"
    ;;
rf_trap_lse)
    e2e_require HSE LOADER_LSE UPLOAD
    e2e_emu_start "$LOG" "$LOADER_LSE" "$HSE" || fail "emulator start"
    timeout 60 "$UPLOAD" --emu "$SOCK" --reboot 01 --reboot-only --app-name HELLO-v1.0 \
        --expect-name HELLO-v1.0 || fail "app did not refuse the reboot into a fixed-LSE loader"
    if grep -q "BLE_INIT hangs" "$LOG"; then fail "CPU2 trap reached: the reboot was not refused"; fi
    ;;
rf_trap_forced)
    e2e_require HSE LOADER_LSE UPLOAD
    e2e_emu_start "$LOG" "$LOADER_LSE" "$HSE" || fail "emulator start"
    "$UPLOAD" --emu "$SOCK" --scan 3000 | grep -q " HELLO-v1.0$" || fail "app not running"
    "$UPLOAD" --emu "$SOCK" --force-loader --expect-name HELLO-v1.0 >"$E2E_TMP/f.out" 2>&1
    rc=$?
    cat "$E2E_TMP/f.out"
    [ $rc -eq 0 ] || fail "app did not come back (or a loader advertised) after the forced reboot"
    grep -q "BLE_INIT hangs" "$LOG" || fail "the CPU2 trap was not reached: the test proves nothing"
    reason=$(sed -n 's/^STATUS \(..\) \(..\) \(..\) \(..\)$/\3/p' "$E2E_TMP/f.out")
    [ -n "$reason" ] && [ "$reason" != 00 ] || fail "no loader reason recorded (status: $reason)"
    "$UPLOAD" --emu "$SOCK" --power-cycle >/dev/null || fail "power cycle"
    "$UPLOAD" --emu "$SOCK" --scan 3000 | grep -q " HELLO-v1.0$" ||
        fail "app not running after the power cycle"
    ;;
bad_base)
    e2e_require V2BIN UPLOAD
    e2e_emu_start "$LOG" "$LOADER" "$V1" || fail "emulator start"
    timeout 60 "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --base 0x000000 --app-name HELLO-v1.0 \
        --quiet
    rc=$?
    [ $rc -eq 3 ] || fail "upload to 0x08000000 was not refused by the loader (exit $rc)"
    timeout 120 "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --reboot none --expect-name HELLO-v2.0 \
        --quiet || fail "device not recoverable after a refused upload"
    ;;
bad_inputs)
    e2e_require V2 UPLOAD WBOTA
    "$WBOTA" image create "$V2" -o "$E2E_TMP/v2m.bin" --version 2.0.0 -q || fail "image create"
    M=$E2E_TMP/v2m.bin
    size=$(stat -c %s "$M")
    head -c $((size / 2)) "$M" >"$E2E_TMP/trunc.bin"
    cp "$M" "$E2E_TMP/corrupt.bin"
    printf '\x5a' | dd of="$E2E_TMP/corrupt.bin" bs=1 seek=1000 conv=notrunc status=none
    : >"$E2E_TMP/empty.bin"
    e2e_emu_start "$LOG" "$LOADER" "$V1" || fail "emulator start"
    step() { # step NAME WANT_EXIT ARGS...
        local name=$1 want=$2
        shift 2
        "$UPLOAD" --emu "$SOCK" --quiet "$@" >"$E2E_TMP/step.out" 2>&1
        local got=$?
        echo "  $name: exit $got ($(grep -o 'verdict 0x[0-9A-F]*' "$E2E_TMP/step.out"))"
        [ "$got" -eq "$want" ] || { cat "$E2E_TMP/step.out"; fail "$name: exit $got, want $want"; }
    }
    step "misaligned base 0x007004" 3 --image "$M" --base 0x007004 --app-name HELLO-v1.0
    step "writes before a start" 3 --image "$M" --no-start --reboot none
    step "finished with nothing written" 3 --image "$E2E_TMP/empty.bin" --reboot none
    step "truncated image" 3 --image "$E2E_TMP/trunc.bin" --reboot none
    step "corrupted byte" 3 --image "$E2E_TMP/corrupt.bin" --reboot none
    step "disconnect mid-upload" 5 --image "$M" --reboot none --disconnect-after 2048
    step "good upload afterwards" 0 --image "$M" --reboot none --expect-name HELLO-v2.0
    ;;
st_manifest)
    e2e_require V2 UPLOAD WBOTA
    "$WBOTA" image create "$V2" -o "$E2E_TMP/v2m.bin" --version 2.0.0 -q || fail "image create"
    e2e_emu_start "$LOG" "$LOADER" "$V1" || fail "emulator start"
    "$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/v2m.bin" --app-name HELLO-v1.0 \
        --expect-name HELLO-v2.0 --quiet || fail "manifest image refused under the st policy"
    ;;
signed)
    e2e_require LOADER_SIGNED V2 V2BIN UPLOAD WBOTA
    KEY=$E2E_ROOT/firmware/keys/demo-insecure-private.pem
    "$WBOTA" image create "$V1" -o "$E2E_TMP/v1s.hex" --key "$KEY" --version 1.0.0 -q &&
        "$WBOTA" image create "$V2" -o "$E2E_TMP/v2s.bin" --key "$KEY" --version 2.0.0 -q ||
        fail "image create"
    e2e_emu_start "$LOG" "$LOADER_SIGNED" "$E2E_TMP/v1s.hex" || fail "emulator start"
    if "$UPLOAD" --emu "$SOCK" --scan 3000 | grep -q " HELLO-v1.0$"; then
        how=(--app-name HELLO-v1.0)
    else
        echo "note: signed v1 is not running; the device is in the loader"
        how=(--reboot none)
    fi
    "$UPLOAD" --emu "$SOCK" --image "$V2BIN" "${how[@]}" --quiet
    rc=$?
    [ $rc -eq 3 ] || fail "unsigned image not refused under the signed policy (exit $rc)"
    "$UPLOAD" --emu "$SOCK" --image "$E2E_TMP/v2s.bin" --reboot none --expect-name HELLO-v2.0 \
        --quiet || fail "signed image refused, or device not recoverable"
    ;;
wireless_update)
    e2e_require WBOTA V2 V2BIN UPLOAD
    # a dummy CPU2 image (the model's FUS accepts any bytes), deterministic
    WS=$E2E_TMP/ws.bin
    LC_ALL=C awk 'BEGIN { srand(7); for (i = 0; i < 8192; i++) printf "%c", int(rand() * 256) }' >"$WS"
    [ "$(stat -c %s "$WS")" = 8192 ] || fail "dummy image is not 8192 bytes"
    e2e_emu_start "$LOG" "$LOADER" "$V1" -- --trace cpu2,flash || fail "emulator start"
    timeout 120 "$WBOTA" upload "$WS" --wireless --emu "$SOCK" --name HELLO-v1.0 \
        >"$E2E_TMP/w.out" 2>&1
    rc=$?
    cat "$E2E_TMP/w.out"
    [ $rc -eq 0 ] && grep -q "to 0x080C9000 .*device verdict OK" "$E2E_TMP/w.out" ||
        fail "wireless upload not accepted at 0x080C9000 (exit $rc)"
    # section 8: free flash just below SFSA (0xCB): pages 0xC9-0xCA; the app region is untouched
    ops=$(sed -n -E 's/^EMU TRACE .* us (erase page|program) (0x[0-9a-f]+) .*/\2/p' "$LOG")
    # a fresh device: both pages read erased, so the loader programs without erasing them
    [ "$(echo "$ops" | wc -l)" -eq $((8192 / 8)) ] || fail "expected 1024 writes, no erase"
    if grep -q -E "^EMU TRACE .* us erase page" "$LOG"; then fail "a blank page was erased"; fi
    bad=$(echo "$ops" | grep -v -E '^0x080c[9a][0-9a-f]{3}$')
    [ -z "$bad" ] || fail "flash touched outside 0x080C9000-0x080CAFFF: $(echo "$bad" | head -3)"
    # the CPU2 model saw the FUS sequence, in order
    seq=$(grep -o -E "sys cmd 0xFC5[24A]|restart into FUS|CPU2 ready \((FUS|stack)\)|restart into the wireless stack" "$LOG" |
        sed -n '/sys cmd 0xFC52/,$p' | tr '\n' ' ')
    echo "CPU2 saw: $seq"
    echo "$seq" | grep -q -E "^sys cmd 0xFC52 sys cmd 0xFC52 restart into FUS CPU2 ready \(FUS\) sys cmd 0xFC52 sys cmd 0xFC54 (sys cmd 0xFC52 )+sys cmd 0xFC5A restart into the wireless stack CPU2 ready \(stack\)" ||
        fail "FUS sequence (2x GET_STATE, ready FUS, FW_UPGRADE, polling, START_WS) not seen"
    polls=$(echo "$seq" | sed 's/.*0xFC54//' | grep -o "0xFC52" | wc -l)
    [ "$polls" -ge 2 ] || fail "FUS_GET_STATE polled $polls times after FUS_FW_UPGRADE"
    # the app region was not touched: the loader goes back to the app, not to STM_OTA
    "$UPLOAD" --emu "$SOCK" --scan 3000 >"$E2E_TMP/scan.out" || fail "scan"
    cat "$E2E_TMP/scan.out"
    grep -q " HELLO-v1.0$" "$E2E_TMP/scan.out" || fail "the app did not come back after the update"
    if grep -q " STM_OTA$" "$E2E_TMP/scan.out"; then fail "still in the loader"; fi
    # and the device stays updatable (the stack came back up in the loader and in the app)
    e2e_upload "$V2" "$V2BIN" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 --quiet ||
        fail "app update after the wireless update ($E2E_CLIENT)"
    ;;
wireless_resume)
    RESUME=$(e2e_find "$E2E_HOST" e2e_fus_resume)
    e2e_require RESUME
    WS=$E2E_TMP/ws.bin
    LC_ALL=C awk 'BEGIN { srand(7); for (i = 0; i < 8192; i++) printf "%c", int(rand() * 256) }' >"$WS"
    e2e_emu_start "$LOG" "$LOADER" "$V1" -- --trace cpu2,reset || fail "emulator start"
    timeout 120 "$RESUME" "$SOCK" "$WS" HELLO-v1.0 || fail "resume client (see its message)"
    # after the reset (mailbox 02, phase 1 = FUS_FW_UPGRADE sent): FUS comes up again, the loader
    # polls FUS_GET_STATE (no second 2x trigger, no second FUS_FW_UPGRADE), then FUS_START_WS
    seq=$(grep -o -E "sys cmd 0xFC5[24A]|restart into FUS|CPU2 ready \((FUS|stack)\)|restart into the wireless stack|system reset" "$LOG" |
        tr '\n' ' ')
    echo "CPU2 saw: $seq"
    echo "$seq" | grep -q -E "sys cmd 0xFC54 (sys cmd 0xFC52 )*[^C]*system reset[^C]*CPU2 ready \(FUS\) (sys cmd 0xFC52 )+sys cmd 0xFC5A restart into the wireless stack CPU2 ready \(stack\)" ||
        fail "the loader did not resume the FUS polling after the reset"
    after=$(echo "$seq" | sed 's/.*system reset[^C]*CPU2 ready (FUS)//')
    if echo "$after" | grep -q "0xFC54"; then fail "FUS_FW_UPGRADE sent again after the reset"; fi
    ;;
chip_selftest)
    # exit 0 alone also means "--max-time-us reached": require the idle exit and the pass marker
    timeout 120 "$EMU" --flash "$CHIP" --exit-on-idle --max-time-us 10000000 --trace periph 2>&1 |
        grep -v -F ' rd32 ' |
        awk '!/^EMU TRACE/ || /GPIOA wr32 0x48000014/' >"$LOG"
    rc=${PIPESTATUS[0]}
    grep -v "EMU TRACE" "$LOG"
    steps=$(grep -c "GPIOA wr32 0x48000014" "$LOG")
    last=$(grep "GPIOA wr32 0x48000014" "$LOG" | tail -n 1 | awk '{ print $NF }')
    echo "self-test: $steps GPIOA_ODR writes, last $last, emulator exit $rc"
    [ $rc -eq 0 ] || fail "wb-chip-selftest failed (emulator exit $rc; last step $last)"
    grep -q "^EMU idle" "$LOG" || fail "did not finish (no idle exit within 10 s simulated)"
    [ "$last" = 0x0000ff00 ] || fail "pass marker 0xFF00 not written (last $last)"
    [ "$steps" -ge 20 ] || fail "only $steps steps ran"
    ;;
st_chunks)
    # ST's clients: 20-byte chunks at MTU 23, 182 (MTU 185), 244 (MTU 247), 248 (MTU 251), all
    # writes without response sent with no pacing. A 64 KB image (v2 padded with 0xFF) each
    # time: the loader's flow control must hold every client back without a single error.
    e2e_require V2BIN UPLOAD
    IMG=$E2E_TMP/st-64k.bin
    python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d + b"\xff" * (65536 - len(d)))' "$V2BIN" "$IMG" ||
        fail "image"
    e2e_emu_start "$LOG" "$LOADER" "$V1" || fail "emulator start"
    name=HELLO-v1.0
    for mc in 23:20 185:182 247:244 251:248; do
        out=$(timeout 120 "$UPLOAD" --emu "$SOCK" --image "$IMG" --app-name "$name" \
            --expect-name HELLO-v2.0 --mtu "${mc%%:*}" --chunk "${mc##*:}" --quiet 2>&1)
        rc=$?
        echo "MTU ${mc%%:*} chunk ${mc##*:}: $(echo "$out" | grep SUMMARY)"
        [ $rc -eq 0 ] || { echo "$out" | tail -5; fail "chunk ${mc##*:} at MTU ${mc%%:*} (exit $rc)"; }
        name=HELLO-v2.0
    done
    ;;
*)
    echo "unknown scenario $S"; exit 2 ;;
esac
if grep -q "EMU RULE" "$LOG"; then fail "an emulator rule fired"; fi
echo "PASS ($S)"
exit 0
