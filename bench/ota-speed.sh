#!/usr/bin/env bash
# bench/ota-speed.sh - OTA transfer speed on the emulator against the computed limit
# (bench/ota_limit.py: link, flash and Sem 7 time-sharing, the rules of the models), for the
# cases of docs/benchmarks.md#speed. Images are hello-ota v2 followed by pseudo-random bytes
# (every double word must be programmed: the worst case for the flash) unless named "ff"
# (padded with 0xFF, as the old benchmark). Prints per case: transfer time, throughput, limit,
# ratio, and reboot request -> new app running. Needs `make host firmware`. SPEED_CASES selects
# cases by name (default: all).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
e2e_require EMU LOADER V1 V2BIN UPLOAD
mkimg() { # size kind out
    python3 - "$V2BIN" "$1" "$2" "$3" <<'PY'
import random, sys
d = open(sys.argv[1], 'rb').read()
n = int(sys.argv[2]) - len(d)
r = random.Random(12)
pad = b'\xff' * n if sys.argv[3] == 'ff' else bytes(r.getrandbits(8) for _ in range(n))
open(sys.argv[4], 'wb').write(d + pad)
PY
}
# name size(bytes) kind mtu chunk phy ppe
CASES="256k-mtu247 262144 rnd 247 244 2 6
256k-mtu251 262144 rnd 251 248 2 6
256k-ff-mtu251 262144 ff 251 248 2 6
largest-mtu247 802816 rnd 247 244 2 6
256k-1m-mtu247 262144 rnd 247 244 1 6
256k-ppe20-mtu247 262144 rnd 247 244 2 20
64k-mtu23 65536 rnd 23 20 2 6"
printf '%-18s %9s %8s %9s %9s %6s %9s\n' case transfer kB/s limit link ratio 'reboot->app'
status=0
while read -r name size kind mtu chunk phy ppe; do
    if [ -n "${SPEED_CASES:-}" ] && ! echo " $SPEED_CASES " | grep -q " $name "; then continue; fi
    img=$E2E_TMP/$name.bin
    mkimg "$size" "$kind" "$img"
    log=$E2E_TMP/$name.log
    e2e_emu_start "$log" "$LOADER" "$V1" -- --phy "$phy" --ppe "$ppe" || { status=1; continue; }
    out=$(timeout 600 "$UPLOAD" --emu "$SOCK" --image "$img" --app-name HELLO-v1.0 \
        --expect-name HELLO-v2.0 --mtu "$mtu" --chunk "$chunk" --quiet 2>&1)
    rc=$?
    e2e_emu_stop
    if [ $rc -ne 0 ]; then
        echo "$name: upload failed ($rc)"; echo "$out" | tail -3; status=1; continue
    fi
    secs=$(echo "$out" | sed -n 's/.*sim_transfer_s=\([0-9.]*\).*/\1/p')
    total=$(echo "$out" | sed -n 's/.*reboot_request_to_app_s=\([0-9.]*\).*/\1/p')
    read -r link shared limit <<<"$(python3 "$ROOT/bench/ota_limit.py" --image "$img" \
        --chunk "$chunk" --phy "$phy" --ppe "$ppe")"
    awk -v n="$name" -v s="$secs" -v b="$size" -v lim="$limit" -v lk="$link" -v t="$total" \
        'BEGIN { r = b / s; printf "%-18s %8.2fs %8.1f %9.1f %9.1f %6.2f %8ss\n", n, s, r / 1000,
                 lim / 1000, lk / 1000, r / lim, t }'
done <<<"$CASES"
echo "limit = min(link, chunk / (air time + flash time per write)); link = link alone (kB/s)"
exit $status
