#!/usr/bin/env bash
# bench/ota-timeline.sh [OUT.svg] - one traced 256 KB upload (hello-ota v2 + pseudo-random
# bytes, MTU 247, emulator defaults 2M/DLE/15 ms/6 per event) drawn by bench/timeline.py:
# bytes delivered vs simulated time, connection events, CPU2's Sem 7 holds, CPU1's flash
# operations and lost events. Default output: build/host/ota-timeline.svg (the picture in
# docs/img/ was made with `bench/ota-timeline.sh docs/img/ota-timeline.svg`). Needs `make host
# firmware`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-${WBOTA_HOST_BUILD:-$ROOT/build/host}/ota-timeline.svg}
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
e2e_require EMU LOADER V1 V2BIN UPLOAD
IMG=$E2E_TMP/tl.bin
python3 - "$V2BIN" "$IMG" <<'PY'
import random, sys
d = open(sys.argv[1], 'rb').read()
r = random.Random(12)
open(sys.argv[2], 'wb').write(d + bytes(r.getrandbits(8) for _ in range(262144 - len(d))))
PY
LOG=$E2E_TMP/tl.log
e2e_emu_start "$LOG" "$LOADER" "$V1" -- --trace radio,cpu2,flash || exit 1
out=$(timeout 300 "$UPLOAD" --emu "$SOCK" --image "$IMG" --app-name HELLO-v1.0 \
    --expect-name HELLO-v2.0 --mtu "${TL_MTU:-247}" ${TL_CHUNK:+--chunk $TL_CHUNK} --quiet 2>&1)
rc=$?
e2e_emu_stop
echo "$out" | grep -E "SUMMARY|TOTAL"
[ $rc -eq 0 ] || { echo "timeline: upload failed ($rc)"; exit 1; }
mkdir -p "$(dirname "$OUT")"
python3 "$ROOT/bench/timeline.py" "$LOG" "$OUT" --zoom-ms 60 \
    --title "256 KB upload, MTU 247, 2M PHY, DLE, 15 ms, 6 packets/event (wbota-emu)" &&
    echo "timeline: $OUT"
