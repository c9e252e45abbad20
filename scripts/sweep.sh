#!/usr/bin/env bash
# scripts/sweep.sh sampled|full - power-cut sweep of a full update (docs/flash-rules.md): for flash
# operation N of the update and cut kind before|after|torn, wbota-emu cuts power (power-on reset)
# at that operation and keeps running; the device must then be running v1, running v2, or be in
# the loader, and a fresh upload with the tool users run (`wbota upload`) must bring it to v2.
# The interrupted upload itself is the raw test central's (e2e_raw options). Every cut is proved
# by the emulator's "EMU CUT fired" line. The client asks for the pages the image spans
# (01 07 <n>, as ST's iOS client does); sampled adds a few cuts of a 01 07 FF update
# (whole-area erase).
# sampled: ops 1, 3, 7, 15, ... and the last (make test). full: every operation when it fits
# SWEEP_BUDGET_S (default 1650 s); otherwise every operation of the dense set (the first 16, the
# last 16, every erase and +-4 around every page boundary) and every k-th of the rest, and it says
# so. SWEEP_STRIDE=k forces k; SWEEP_JOBS (default 2) cuts run in parallel.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
e2e_require EMU LOADER V1 V2 V2BIN UPLOAD WBOTA
MODE=${1:-sampled}
JOBS=${SWEEP_JOBS:-2}
if [ "$MODE" = full ]; then BUDGET=${SWEEP_BUDGET_S:-1650}; else BUDGET=${SWEEP_BUDGET_S:-600}; fi
if ! "$EMU" --help 2>&1 | grep -q -- "--cut-at-flash-op"; then
    echo "SKIP: wbota-emu has no --cut-at-flash-op"
    exit 77
fi
START=$(date +%s)
# A small device: SFSA 0x10 leaves an application area of pages 7..15, so the whole-area erase
# the loader runs after a cut (mailbox 01 07 FF, app invalid) takes 9 page erases instead of 196.
# The update itself is identical; only the wall time per cut shrinks. SWEEP_SFSA overrides it.
SFSA=${SWEEP_SFSA:-0x10}

state_of() { # state_of SOCK: app-v1 | app-v2 | loader | none
    local out
    # 10 s simulated: the loader erases the application area before it advertises
    out=$("$UPLOAD" --emu "$1" --scan 10000 2>/dev/null)
    if grep -q " HELLO-v2.0$" <<<"$out"; then echo app-v2
    elif grep -q " HELLO-v1.0$" <<<"$out"; then echo app-v1
    elif grep -q " STM_OTA$" <<<"$out"; then echo loader
    else echo none; fi
}

# one_cut N KIND ERASE LOG -> 0 ok, 1 failure, 2 cut did not fire. Runs in a worker subshell,
# which has its own SOCK/EMU_PID and stops its own emulator.
one_cut() {
    local n=$1 kind=$2 erase=$3 log=$4 st rc=0
    e2e_emu_start "$log" "$LOADER" "$V1" -- --sfsa "$SFSA" --cut-at-flash-op "$n" \
        --cut-kind "$kind" || return 1
    "$UPLOAD" --emu "$SOCK" --image "$V2BIN" --app-name HELLO-v1.0 --erase-pages "$erase" \
        --quiet >/dev/null 2>&1
    if ! grep -q "EMU CUT fired" "$log"; then
        e2e_emu_stop
        return 2
    fi
    st=$(state_of "$SOCK")
    case "$st" in
        app-v2) ;; # the update had finished: a second upload would only repeat the clean run
        app-v1) e2e_upload "$V2" "" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 --quiet \
                    >/dev/null 2>&1 || rc=1 ;;
        loader) e2e_upload "$V2" "" --reboot none --expect-name HELLO-v2.0 --quiet \
                    >/dev/null 2>&1 || rc=1 ;;
        *) rc=1 ;;
    esac
    if grep -q "EMU RULE" "$log"; then rc=1; fi
    if [ $rc -ne 0 ]; then
        echo "FAIL: cut at op $n ($kind, erase $erase): state after power-on '$st'"
        grep -E "EMU (CUT|RULE)" "$log" | head -n 3
    fi
    e2e_emu_stop
    return $rc
}

# worker W LIST: runs the "N KIND ERASE" lines W, W+JOBS, ... of LIST; appends "N KIND ERASE RC"
worker() {
    local w=$1 list=$2 i=0 n kind erase r
    while read -r n kind erase; do
        i=$((i + 1))
        [ $(((i - 1) % JOBS)) -eq "$w" ] || continue
        if [ $(($(date +%s) - START)) -ge "$BUDGET" ]; then
            echo "$n $kind $erase budget" >>"$list.res$w"
            continue
        fi
        one_cut "$n" "$kind" "$erase" "$E2E_TMP/emu.$w.log"
        r=$?
        echo "$n $kind $erase $r" >>"$list.res$w"
    done <"$list"
}

run_list() { # run_list FILE: all cuts of FILE on JOBS workers; results in FILE.res*
    local w pids=()
    for ((w = 0; w < JOBS; w++)); do
        : >"$1.res$w"
        (trap - EXIT; worker "$w" "$1") &
        pids+=($!)
    done
    wait "${pids[@]}"
}

# A clean update first: how many flash operations it makes and how long one run takes.
LOG=$E2E_TMP/emu.log
T0=$(date +%s.%N)
e2e_emu_start "$LOG" "$LOADER" "$V1" -- --sfsa "$SFSA" || exit 1
"$UPLOAD" --emu "$SOCK" --image "$V2BIN" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 \
    --quiet >/dev/null 2>&1 || { echo "sweep: the clean update fails"; tail -n 20 "$LOG"; exit 1; }
e2e_emu_stop
OPS=$(sed -n 's/.*flash ops \([0-9]*\).*/\1/p' "$LOG" | tail -n 1)
RUN_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ -z "$OPS" ]; then echo "sweep: no flash-operation count in the EMU REPORT"; exit 1; fi
PAGES=$(( ($(stat -c %s "$V2BIN") + 4095) / 4096 ))
echo "sweep ($MODE): a clean update makes $OPS flash operations ($PAGES page erases," \
    "${RUN_S}s wall); $JOBS cuts in parallel, budget ${BUDGET}s"

# Operation N of a clean update: 1..PAGES erase the pages, then double words in address order,
# 512 per page. The dense set: the start, the end, and around every page boundary.
dense_ops() {
    local p b d
    seq 1 $((OPS < 16 ? OPS : 16))
    seq $((OPS > 16 ? OPS - 15 : 1)) "$OPS"
    for ((p = 1; p < PAGES; p++)); do
        b=$((PAGES + 1 + p * 512))
        for ((d = -4; d <= 4; d++)); do
            [ $((b + d)) -ge 1 ] && [ $((b + d)) -le "$OPS" ] && echo $((b + d))
        done
    done
}
cuts_of() { # cuts_of ERASE OPS...: "N KIND ERASE" lines
    local e=$1 n kind
    shift
    for n in "$@"; do for kind in before after torn; do echo "$n $kind $e"; done; done
}

L1=$E2E_TMP/cuts1; L2=$E2E_TMP/cuts2
: >"$L2"
COVER=""
if [ "$MODE" = full ]; then
    mapfile -t DENSE < <(dense_ops | sort -n -u)
    cuts_of "$PAGES" "${DENSE[@]}" >"$L1"
    T1=$(date +%s)
    run_list "$L1"
    per=$(awk -v t=$(($(date +%s) - T1)) -v c="$(wc -l <"$L1")" -v j="$JOBS" \
        'BEGIN { printf "%.3f", t / c }')
    # the rest: every operation, or every k-th when that does not fit the remaining budget
    mapfile -t REST < <(seq 1 "$OPS" | awk 'NR == FNR { d[$1] = 1; next } !($1 in d)' \
        <(printf '%s\n' "${DENSE[@]}") -)
    left=$((BUDGET - ($(date +%s) - START) - 30))
    STRIDE=${SWEEP_STRIDE:-$(awk -v n="${#REST[@]}" -v p="$per" -v l="$left" \
        'BEGIN { k = (l <= 0) ? n + 1 : int(3 * n * p * 1.15 / l) + 1; print (k < 1 ? 1 : k) }')}
    SEL=()
    for ((i = 0; i < ${#REST[@]}; i += STRIDE)); do SEL+=("${REST[i]}"); done
    cuts_of "$PAGES" "${SEL[@]}" >"$L2"
    if [ "$STRIDE" -eq 1 ]; then
        COVER="every operation 1..$OPS"
    else
        COVER="${#DENSE[@]} dense operations (first/last 16, page boundaries +-4) and every ${STRIDE}. of the other ${#REST[@]} (${per}s wall per cut)"
    fi
    echo "sweep (full): $COVER"
    run_list "$L2"
else
    ops=()
    for ((n = 1; n < OPS; n = n * 2 + 1)); do ops+=("$n"); done
    ops+=("$OPS")
    cuts_of "$PAGES" "${ops[@]}" >"$L1"
    # with 01 07 FF the loader erases the whole area first: cut among those erases too
    cuts_of all 1 100 >>"$L1"
    COVER="ops ${ops[*]}, plus ops 1 and 100 of a 01 07 FF update"
    echo "sweep (sampled): $COVER"
    run_list "$L1"
fi

tried=0; fired=0; failures=0; skipped=0; notfired=""
while read -r n kind erase r; do
    if [ "$r" = budget ]; then skipped=$((skipped + 1)); continue; fi
    tried=$((tried + 1))
    if [ "$r" = 2 ]; then notfired="$notfired $n/$kind/$erase"; continue; fi
    fired=$((fired + 1))
    [ "$r" != 0 ] && failures=$((failures + 1))
done < <(cat "$L1".res* "$L2".res* 2>/dev/null)
[ -n "$notfired" ] && echo "sweep: cuts that did not fire:$notfired"
[ $skipped -gt 0 ] && echo "sweep: wall-time budget of ${BUDGET}s reached, $skipped cuts not run"
echo "sweep ($MODE): tried $tried cuts, $fired fired, $failures failed, $(($(date +%s) - START)) s"
[ $tried -gt 0 ] && [ $failures -eq 0 ] && [ $tried -eq $fired ] && [ $skipped -eq 0 ]
