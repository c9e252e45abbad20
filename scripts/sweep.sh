#!/usr/bin/env bash
# scripts/sweep.sh sampled|full [PROFILE...] - power-cut sweep of a full update
# (docs/flash-rules.md): for flash operation N of the update and cut kind before|after|torn,
# wbota-emu cuts power (power-on reset) at that operation and keeps running; the device must then
# be in a state its profile allows, and a fresh upload with the tool users run (`wbota upload`)
# must bring it to v2. The interrupted upload itself is the raw test central's (e2e_raw options).
# Every cut is proved by the emulator's "EMU CUT fired" line.
# Profiles (one line each in profile_setup; default: all of SWEEP_LOADERS="st staged swap"):
#   st      wbota-loader-st.elf, plain v1/v2: v1, v2 or the loader (erase-first: ST's semantics)
#           are allowed after a cut. The client asks for the pages the image spans (01 07 <n>,
#           as ST's iOS client does); sampled adds a few cuts of a 01 07 FF update.
#   staged  wbota-loader.elf (staged, signed), v1/v2 signed with the build's development key:
#           download, verify, install, confirm and counter writes are all cut; after every cut
#           the device must run v1 or v2 (docs/staged.md#recovery): a device in the loader is
#           a device without an app, and the sweep fails.
#   swap    wbota-loader-swap.elf (staged, signed, swap strategy), the same signed images and the
#           same rule: download, verify, the page exchange, test boot, confirm and counter.
# sampled: st: ops 1, 3, 7, 15, ... and the last; staged: one cut per phase (download, verify,
# install, confirm, counter) of a traced clean update (make test). full: every operation when it
# fits SWEEP_BUDGET_S per profile (default 1650 s); otherwise every operation of the dense set
# (the first 16, the last 16, every erase and +-4 around every page boundary; staged: around
# every change of page or boot in the trace) and every k-th of the rest, and it says so.
# SWEEP_STRIDE=k forces k; SWEEP_JOBS (default 2) cuts run in parallel.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
e2e_require EMU V1 V2 V2BIN UPLOAD WBOTA
MODE=${1:-sampled}
shift $(($# > 0 ? 1 : 0))
PROFILES=${*:-${SWEEP_LOADERS:-st staged swap}}
JOBS=${SWEEP_JOBS:-2}
if [ "$MODE" = full ]; then BUDGET=${SWEEP_BUDGET_S:-1650}; else BUDGET=${SWEEP_BUDGET_S:-600}; fi
if ! "$EMU" --help 2>&1 | grep -q -- "--cut-at-flash-op"; then
    echo "SKIP: wbota-emu has no --cut-at-flash-op"
    exit 77
fi
# A small device: SFSA 0x10 leaves an application area of pages 7..15, so the whole-area erase
# the loader runs after a cut (mailbox 01 07 FF, app invalid) takes 9 page erases instead of 196.
# The update itself is identical; only the wall time per cut shrinks. SWEEP_SFSA overrides it.
# (staged: records 14-15, active 7-9, staging 10-13: v2 fits the 3-page active slot)
SFSA=${SWEEP_SFSA:-0x10}

# profile_setup NAME: the loader ELF and images of a profile. LOADER_ELF, V1_FLASH (what the
# emulator starts with), V2_UP (what the raw central uploads), V2_TOOL (what `wbota upload`
# sends to recover), LOADER_OK (a device in the loader after a cut is allowed: 1), PICK (how
# sampled cuts are chosen: pow2 | phases) and STATE_MS (the scan that finds the state after the
# cut: an `st` loader erases the app area before it advertises, a staged one boots the app at
# once). A new loader (swap) is one more line.
profile_setup() {
    case "$1" in
        st) LOADER_ELF=$LOADER; V1_FLASH=$V1; V2_UP=$V2BIN; V2_TOOL=$V2; LOADER_OK=1; PICK=pow2
            STATE_MS=10000 ;;
        staged) LOADER_ELF=$LOADER_STAGED; signed_images; LOADER_OK=0; PICK=phases; STATE_MS=3000 ;;
        swap) LOADER_ELF=$LOADER_SWAP; signed_images; LOADER_OK=0; PICK=phases; STATE_MS=3000 ;;
        *) echo "sweep: unknown profile $1"; return 1 ;;
    esac
    [ -n "$LOADER_ELF" ] && [ -e "$LOADER_ELF" ] ||
        { echo "sweep: the $1 loader is not built"; return 1; }
}

# v1 (counter 1) and v2 (counter 2) signed with the firmware build's development key
signed_images() {
    e2e_require DEV_KEY
    "$WBOTA" image create "$V1" -o "$E2E_TMP/v1s.hex" --key "$DEV_KEY" --version 1.0.0 \
        --security-counter 1 -q || exit 1
    "$WBOTA" image create "$V2" -o "$E2E_TMP/v2s.bin" --key "$DEV_KEY" --version 2.0.0 \
        --security-counter 2 -q || exit 1
    V1_FLASH=$E2E_TMP/v1s.hex; V2_UP=$E2E_TMP/v2s.bin; V2_TOOL=$E2E_TMP/v2s.bin
}

state_of() { # state_of SOCK: app-v1 | app-v2 | loader | none
    local out
    out=$("$UPLOAD" --emu "$1" --scan "$STATE_MS" 2>/dev/null)
    if grep -q " HELLO-v2.0$" <<<"$out"; then echo app-v2
    elif grep -q " HELLO-v1.0$" <<<"$out"; then echo app-v1
    elif grep -q " STM_OTA$" <<<"$out"; then echo loader
    else echo none; fi
}

# one_cut N KIND ERASE LOG -> 0 ok, 1 failure, 2 cut did not fire, 3 no app (failure). Runs in
# a worker subshell, which has its own SOCK/EMU_PID and stops its own emulator.
one_cut() {
    local n=$1 kind=$2 erase=$3 log=$4 st rc=0
    e2e_emu_start "$log" "$LOADER_ELF" "$V1_FLASH" -- --sfsa "$SFSA" --cut-at-flash-op "$n" \
        --cut-kind "$kind" || return 1
    "$UPLOAD" --emu "$SOCK" --image "$V2_UP" --app-name HELLO-v1.0 --erase-pages "$erase" \
        --quiet >/dev/null 2>&1
    # a staged install and the confirmation run after the upload: give them simulated time
    grep -q "EMU CUT fired" "$log" || "$UPLOAD" --emu "$SOCK" --scan 2000 >/dev/null 2>&1
    if ! grep -q "EMU CUT fired" "$log"; then
        e2e_emu_stop
        return 2
    fi
    st=$(state_of "$SOCK")
    case "$st" in
        app-v2) ;; # the update had finished: a second upload would only repeat the clean run
        app-v1) e2e_upload "$V2_TOOL" "" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 --quiet \
                    >/dev/null 2>&1 || rc=1 ;;
        loader) if [ "$LOADER_OK" = 1 ]; then
                    e2e_upload "$V2_TOOL" "" --reboot none --expect-name HELLO-v2.0 --quiet \
                        >/dev/null 2>&1 || rc=1
                else
                    rc=3 # the loader advertising after a power-on: no app to boot
                fi ;;
        *) rc=3 ;;
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

# clean_run: a traced update without a cut, until the new image has confirmed: OPS (its flash
# operations), TRACE (one "op page kind" line per operation, "reset" between boots), RUN_S.
clean_run() {
    local log=$E2E_TMP/emu.clean.log t0
    t0=$(date +%s.%N)
    e2e_emu_start "$log" "$LOADER_ELF" "$V1_FLASH" -- --sfsa "$SFSA" --trace flash,reset || return 1
    "$UPLOAD" --emu "$SOCK" --image "$V2_UP" --app-name HELLO-v1.0 --expect-name HELLO-v2.0 \
        --quiet >/dev/null 2>&1 || { echo "sweep: the clean update fails"; tail -n 20 "$log"; return 1; }
    # a staged image confirms at its first start; a scan gives it the simulated time to do so
    "$UPLOAD" --emu "$SOCK" --scan 3000 >/dev/null 2>&1
    e2e_emu_stop
    OPS=$(sed -n 's/.*flash ops \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    RUN_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    TRACE=$E2E_TMP/trace.$PROFILE
    sed -n -E -e 's/^EMU TRACE .* us (erase page|program) 0x([0-9a-f]+) .*op ([0-9]+)\).*/\3 \2 \1/p' \
        -e 's/^EMU TRACE .* us (system|power-on) reset.*/reset/p' "$log" |
        awk 'function hex(h,  i, n) { n = 0; for (i = 1; i <= length(h); i++)
                 n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return n }
             $1 == "reset" { print; next }
             { printf "%d %d %s\n", $1, int((hex($2) - 134217728) / 4096), $3 }' >"$TRACE"
    [ -n "$OPS" ] || { echo "sweep: no flash-operation count in the EMU REPORT"; return 1; }
}

# Operation N of a clean st update: 1..PAGES erase the pages, then double words in address order,
# 512 per page. The dense set: the start, the end, and around every page boundary.
dense_ops() {
    local p b d
    seq 1 $((OPS < 16 ? OPS : 16))
    seq $((OPS > 16 ? OPS - 15 : 1)) "$OPS"
    if [ "$PICK" = phases ]; then
        # from the trace: every erase, +-4 around every change of page or boot
        awk '$1 == "reset" { b = 1; next }
             { if (b || $2 != pg || $3 == "erase") for (d = -4; d <= 4; d++) print $1 + d
               b = 0; pg = $2 }' "$TRACE" | awk -v n="$OPS" '$1 >= 1 && $1 <= n'
        return
    fi
    for ((p = 1; p < PAGES; p++)); do
        b=$((PAGES + 1 + p * 512))
        for ((d = -4; d <= 4; d++)); do
            [ $((b + d)) -ge 1 ] && [ $((b + d)) -le "$OPS" ] && echo $((b + d))
        done
    done
}

# Sampled cuts of a staged loader, one per phase of the traced clean update (boots are separated
# by resets): boot 2 = download + VERIFIED, boot 3 = install, boot 4 = CONFIRMED + COUNTER (the
# last record). Prints "N KIND" lines; before, after and torn are each used.
phase_cuts() {
    awk -v rec="$REC_PAGES" '
        BEGIN { split(rec, rp, " ") }
        $1 == "reset" { boot++; first_of_boot = 1; next }
        { op = $1; r = ($2 >= rp[1] && $2 <= rp[2]); a = !r
          if (boot == 2 && a && !dl) { print op, "torn"; dl = 1 }          # first staging write
          if (boot == 2 && r && dl && !ver) { print op, "torn"; ver = 1 } # VERIFIED record
          if (boot == 3 && $3 == "erase" && !er) { print op, "after"; er = 1 } # first active erase
          if (boot == 3 && r && er && !pm) { print op, "torn"; pm = 1 }   # first progress mark
          if (boot >= 4 && first_of_boot) print op, "torn"                # CONFIRMED record
          first_of_boot = 0; last = op }
        END { print last - 1, "before" }                                  # COUNTER record
    ' "$TRACE" | awk '!seen[$1]++'
}

cuts_of() { # cuts_of ERASE OPS...: "N KIND ERASE" lines
    local e=$1 n kind
    shift
    for n in "$@"; do for kind in before after torn; do echo "$n $kind $e"; done; done
}

# sweep_profile NAME: the clean run, the cut list of MODE, the cuts, the counts. Sets FAILED=1
# when a cut failed, did not fire, or the budget cut the list short.
sweep_profile() {
    PROFILE=$1
    profile_setup "$PROFILE" || { FAILED=1; return; }
    START=$(date +%s)
    clean_run || { FAILED=1; return; }
    PAGES=$(( ($(stat -c %s "$V2_UP") + 4095) / 4096 ))
    # the record pages of this layout (docs/staged.md#slots: at the top or in the loader pages)
    REC_PAGES=$("$WBOTA" layout --sfsa "$SFSA" --json |
        sed -n 's/.*"records":\[\([0-9]*\),\([0-9]*\)\].*/\1 \2/p')
    echo "sweep ($MODE, $PROFILE): a clean update makes $OPS flash operations ($PAGES pages," \
        "${RUN_S}s wall); $JOBS cuts in parallel, budget ${BUDGET}s"
    local L1=$E2E_TMP/cuts1.$PROFILE L2=$E2E_TMP/cuts2.$PROFILE cover
    : >"$L2"
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
            cover="every operation 1..$OPS"
        else
            cover="${#DENSE[@]} dense operations (first/last 16, page boundaries +-4) and every ${STRIDE}. of the other ${#REST[@]} (${per}s wall per cut)"
        fi
        echo "sweep (full, $PROFILE): $cover"
        run_list "$L2"
    elif [ "$PICK" = phases ]; then
        phase_cuts | awk -v e="$PAGES" '{ print $1, $2, e }' >"$L1"
        echo "sweep (sampled, $PROFILE): ops $(cut -d' ' -f1-2 "$L1" | tr '\n' ',' | sed 's/,$//;s/,/, /g')" \
            "(download, verify, install, confirm, counter)"
        run_list "$L1"
    else
        ops=()
        for ((n = 1; n < OPS; n = n * 2 + 1)); do ops+=("$n"); done
        ops+=("$OPS")
        cuts_of "$PAGES" "${ops[@]}" >"$L1"
        # with 01 07 FF the loader erases the whole area first: cut among those erases too
        cuts_of all 1 100 >>"$L1"
        echo "sweep (sampled, $PROFILE): ops ${ops[*]}, plus ops 1 and 100 of a 01 07 FF update"
        run_list "$L1"
    fi

    local tried=0 fired=0 failures=0 noapp=0 skipped=0 notfired="" n kind erase r
    while read -r n kind erase r; do
        if [ "$r" = budget ]; then skipped=$((skipped + 1)); continue; fi
        tried=$((tried + 1))
        if [ "$r" = 2 ]; then notfired="$notfired $n/$kind/$erase"; continue; fi
        fired=$((fired + 1))
        [ "$r" = 3 ] && noapp=$((noapp + 1))
        [ "$r" != 0 ] && failures=$((failures + 1))
    done < <(cat "$L1".res* "$L2".res* 2>/dev/null)
    [ -n "$notfired" ] && echo "sweep ($PROFILE): cuts that did not fire:$notfired"
    [ $skipped -gt 0 ] && echo "sweep ($PROFILE): wall-time budget of ${BUDGET}s reached, $skipped cuts not run"
    echo "sweep ($MODE, $PROFILE): tried $tried cuts, $fired fired, $failures failed," \
        "$noapp devices without an app, $(($(date +%s) - START)) s"
    [ $tried -gt 0 ] && [ $failures -eq 0 ] && [ $tried -eq $fired ] && [ $skipped -eq 0 ] ||
        FAILED=1
}

FAILED=0
for p in $PROFILES; do sweep_profile "$p"; done
[ $FAILED -eq 0 ]
