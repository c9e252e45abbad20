#!/usr/bin/env bash
# bench/resume.sh - resume after a disconnect at 50 % compared with a restart from zero
# (docs/staged.md#resume): a 256 KB signed image (hello-ota-256k) through the staged signed
# loader; the raw central sends a tagged upload and drops the link at 50 %, then `wbota upload`
# finishes it once resuming (default) and once from byte 0 (--no-resume), each on a fresh
# emulator. Figure: simulated client time from the start write to the FE23 verdict (sim_us of
# `wbota upload --json`, which includes the full hash of the staged image at `07`); limit: the
# resumed upload takes at most 60 % of the restart. Needs `make host firmware`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib/staged.bash"
bench_staged_setup LOADER_STAGED # the build, v1s.hex, big.bin, SIZE, LOG
TAG=$(sha256sum "$E2E_TMP/big.bin" | cut -c1-8)
run() { # run EXTRA_ARG... -> sim_us of the completing upload
    e2e_emu_start "$LOG" "$LOADER_STAGED" "$E2E_TMP/v1s.hex" || exit 1
    e2e_raw --scan 3000 >/dev/null
    e2e_raw --image "$E2E_TMP/big.bin" --app-name HELLO-v1.0 --tag "$TAG" \
        --disconnect-after $((SIZE / 2)) --quiet >/dev/null 2>&1
    out=$(timeout 300 "$WBOTA" upload "$E2E_TMP/big.bin" --emu "$SOCK" --name HELLO-v1.0 \
        --expect-name HELLO-v2.5 --json "$@" 2>/dev/null)
    e2e_emu_stop
    echo "$out" | sed -n 's/.*"ok":true.*"sim_us":\([0-9]*\),"resume_from":\([0-9]*\).*/\1 \2/p'
}
R=$(run)
Z=$(run --no-resume)
[ -n "$R" ] && [ -n "$Z" ] || { echo "bench: an upload failed"; exit 1; }
awk -v r="$R" -v z="$Z" -v size="$SIZE" 'BEGIN {
    split(r, a, " "); split(z, b, " ")
    printf "image: %d bytes, link dropped at 50 %% of a tagged upload\n", size
    printf "resume (kept %d bytes): %.2f s simulated, start write to verdict\n", a[2], a[1] / 1e6
    printf "restart from zero (--no-resume): %.2f s\n", b[1] / 1e6
    printf "ratio resume/restart %.2f (limit 0.60)\n", a[1] / b[1]
    exit (a[1] / b[1] <= 0.60) ? 0 : 1
}'
