#!/usr/bin/env bash
# scripts/sweep.sh sampled|full - power-cut sweep of a full update (issue 4 "Tests"): for flash
# operation N of the update and cut kind before|after|torn, wbota-emu cuts power (power-on reset)
# at that operation and keeps running; the device must then be running v1, running v2, or be in
# the loader, and a fresh upload must bring it to v2. Every cut is proved by the emulator's
# "EMU CUT fired" line. sampled: a geometric subset (make test); full: every operation
# (SWEEP_STRIDE=k for every k-th), bounded by SWEEP_BUDGET_S of wall time.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
e2e_require EMU LOADER V1 V2BIN UPLOAD
MODE=${1:-sampled}
STRIDE=${SWEEP_STRIDE:-1}
if [ "$MODE" = full ]; then BUDGET=${SWEEP_BUDGET_S:-1700}; else BUDGET=${SWEEP_BUDGET_S:-600}; fi
if ! "$EMU" --help 2>&1 | grep -q -- "--cut-at-flash-op"; then
    echo "SKIP: wbota-emu has no --cut-at-flash-op"
    exit 77
fi
START=$(date +%s)
tried=0; fired=0; failures=0
LOG=$E2E_TMP/emu.log

state_of() { # prints app-v1 | app-v2 | loader | none
    local out
    out=$("$UPLOAD" --emu "$SOCK" --scan 10000 2>/dev/null) # the loader erases before it advertises
    if grep -q " HELLO-v2.0$" <<<"$out"; then echo app-v2
    elif grep -q " HELLO-v1.0$" <<<"$out"; then echo app-v1
    elif grep -q " STM_OTA$" <<<"$out"; then echo loader
    else echo none; fi
}

one_cut() { # one_cut N KIND -> 0 ok, 1 failure, 2 cut did not fire (N beyond the last op)
    local n=$1 kind=$2 st rc=0
    e2e_emu_start "$LOG" "$LOADER" "$V1" -- --cut-at-flash-op "$n" --cut-kind "$kind" || return 1
    "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --app-name HELLO-v1.0 --quiet >/dev/null 2>&1
    if ! grep -q "EMU CUT fired" "$LOG"; then
        e2e_emu_stop
        return 2
    fi
    st=$(state_of)
    case "$st" in
        app-v2) ;;
        app-v1) "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --app-name HELLO-v1.0 \
                    --expect-name HELLO-v2.0 --quiet >/dev/null 2>&1 || rc=1 ;;
        loader) "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --reboot none \
                    --expect-name HELLO-v2.0 --quiet >/dev/null 2>&1 || rc=1 ;;
        *) rc=1 ;;
    esac
    if grep -q "EMU RULE" "$LOG"; then rc=1; fi
    if [ $rc -ne 0 ]; then
        echo "FAIL: cut at op $n ($kind): state after power-on '$st'"
        grep -E "EMU (CUT|RULE)" "$LOG" | head -n 3
    fi
    e2e_emu_stop
    return $rc
}

# A clean update first: how many flash operations it makes and how long one run takes.
T0=$(date +%s.%N)
e2e_emu_start "$LOG" "$LOADER" "$V1" || exit 1
"$UPLOAD" --emu "$SOCK" --image "$V2BIN" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 \
    --quiet >/dev/null 2>&1 || { echo "sweep: the clean update fails"; tail -n 20 "$LOG"; exit 1; }
e2e_emu_stop
OPS=$(sed -n 's/.*flash ops \([0-9]*\).*/\1/p' "$LOG" | tail -n 1)
RUN_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%d", b - a + 1 }')
if [ "$MODE" = full ] && [ -z "${SWEEP_STRIDE:-}" ] && [ -n "$OPS" ]; then
    # fit 3 kinds x OPS/stride runs (about 1.5 clean runs each) into the budget
    STRIDE=$(awk -v n="$OPS" -v t="$RUN_S" -v b="$BUDGET" \
        'BEGIN { k = int(3 * n * t * 1.5 / b) + 1; print (k < 1 ? 1 : k) }')
fi
echo "sweep ($MODE): a clean update makes ${OPS:-?} flash operations (${RUN_S}s wall per run);" \
    "$([ "$MODE" = full ] && echo "cutting at every ${STRIDE}. operation" || echo "cutting at 1,3,7,15,... and the last")"

# the operations to cut at: sampled = 1, 3, 7, 15, ... plus the last one (a cut after the last
# operation is the case MCUboot's sweep missed); full = every STRIDE-th, plus the last one
ops_list() {
    local n=1
    while [ -z "$OPS" ] || [ "$n" -lt "$OPS" ]; do
        echo "$n"
        if [ "$MODE" = full ]; then n=$((n + STRIDE)); else n=$((n * 2 + 1)); fi
        [ -z "$OPS" ] && [ "$n" -gt 100000 ] && break
    done
    [ -n "$OPS" ] && echo "$OPS"
}
for kind in before after torn; do
    for n in $(ops_list); do
        if [ $(( $(date +%s) - START )) -ge "$BUDGET" ]; then
            echo "sweep: wall-time budget of ${BUDGET}s reached"
            break 2
        fi
        one_cut "$n" "$kind"
        r=$?
        tried=$((tried + 1))
        [ $r -eq 2 ] && { echo "note: cut at op $n ($kind) did not fire"; continue; }
        fired=$((fired + 1))
        [ $r -ne 0 ] && failures=$((failures + 1))
    done
done
echo "sweep ($MODE): tried $tried cuts, $fired fired, $failures failed, $(( $(date +%s) - START )) s"
[ $tried -gt 0 ] && [ $failures -eq 0 ]
