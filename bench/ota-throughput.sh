#!/usr/bin/env bash
# bench/ota-throughput.sh - simulated OTA time and throughput of a 256 KB image (hello-ota v2
# padded with 0xFF) at the radio defaults (2M PHY, DLE 251, 15 ms, 6 packets/event) with MTU
# 251 (248-byte chunks; BENCH_MTU=247 for 244), and the ratio to the limit computed by the
# models' rules (bench/ota_limit.py, docs/benchmarks.md#speed). Needs `make host firmware`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
e2e_require EMU LOADER V1 V2BIN UPLOAD
IMG=$E2E_TMP/ota-256k.bin
cp "$V2BIN" "$IMG"
# pad with 0xFF, not zeros: erased flash reads 0xFF
python3 - "$V2BIN" "$IMG" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(data + b'\xff' * (262144 - len(data)))
PY
LOG=$E2E_TMP/emu.log
e2e_emu_start "$LOG" "$LOADER" "$V1" || exit 1
OUT=$("$UPLOAD" --emu "$SOCK" --image "$IMG" --app-name HELLO-v1.0 --quiet ${BENCH_MTU:+--mtu $BENCH_MTU})
rc=$?
e2e_emu_stop
echo "$OUT" | grep SUMMARY
[ $rc -eq 0 ] || { echo "bench: upload failed ($rc)"; tail -n 20 "$LOG"; exit 1; }
# limit by the models' rules (bench/ota_limit.py): link, flash and Sem 7 time-sharing
MTU=${BENCH_MTU:-251}
CHUNK=$((MTU - 3 > 248 ? 248 : MTU - 3))
read -r LINK SHARED LIM <<<"$(python3 "$ROOT/bench/ota_limit.py" --image "$IMG" --chunk "$CHUNK")"
KBPS=$(echo "$OUT" | sed -n 's/.*throughput_kBps=\([0-9.]*\).*/\1/p')
awk -v a="$KBPS" -v l="$LIM" -v k="$LINK" -v c="$CHUNK" 'BEGIN {
    printf "limit (%d-byte writes): %.1f kB/s (link alone %.1f)\n", c, l / 1000, k / 1000
    if (l > 0) printf "ratio to the limit: %.2f\n", a * 1000 / l }'
