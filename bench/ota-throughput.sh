#!/usr/bin/env bash
# bench/ota-throughput.sh - simulated OTA time and throughput of a 256 KB image (hello-ota v2
# padded with 0xFF) at the radio defaults (2M PHY, DLE 251, 15 ms, 6 packets/event) with MTU
# 251 (248-byte chunks), and the ratio to the link-model limit for the same parameters
# (docs/emulator.md "Virtual radio and link timing"). Needs `make host firmware`.
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
# link limit for 248-byte writes: L2CAP 255 B = LL PDUs of 251 + 4 bytes at 2M
LIMIT=$(awk 'function ex(x) { return (2+4+2+x+3)*4 + 150 + (2+4+2+0+3)*4 + 150 }
BEGIN { itv = 15000; ppe = 6; per_write = 2; writes = int(ppe / per_write);
        t = writes * per_write; if (ex(251) * ppe > itv) { print "n/a"; exit }
        printf "%.1f", writes * 248 / itv * 1000 }')
KBPS=$(echo "$OUT" | sed -n 's/.*throughput_kBps=\([0-9.]*\).*/\1/p')
echo "link limit (model, 248-byte writes): ${LIMIT} kB/s"
awk -v a="$KBPS" -v b="$LIMIT" 'BEGIN { if (b > 0) printf "ratio to the limit: %.2f\n", a / b }'
