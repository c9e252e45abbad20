# bench/lib/staged_images.sh - sourced (not run) by the benchmarks of the staged signed loader
# (bench/resume.sh, bench/staged-update.sh): locates the build through tests/e2e/lib.sh, requires
# what they run, and signs the two images with the development key: the running app v1.0.0
# ($E2E_TMP/v1s.hex, security counter 1) and the 256 KB update v2.5.0 (hello-ota-256k,
# $E2E_TMP/big.bin, SIZE bytes, security counter 2). Exits 1 when signing fails.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
e2e_locate
BIG=$(e2e_find "$E2E_FW" hello-ota-256k.elf)
e2e_require EMU LOADER_STAGED V1 BIG UPLOAD WBOTA DEV_KEY
"$WBOTA" image create "$V1" -o "$E2E_TMP/v1s.hex" --key "$DEV_KEY" --version 1.0.0 \
    --security-counter 1 -q || exit 1
"$WBOTA" image create "$BIG" -o "$E2E_TMP/big.bin" --key "$DEV_KEY" --version 2.5.0 \
    --security-counter 2 -q || exit 1
SIZE=$(stat -c %s "$E2E_TMP/big.bin")
LOG=$E2E_TMP/emu.log
