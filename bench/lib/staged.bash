# bench/lib/staged.bash - set-up shared by the staged-mode benchmarks (bench/staged-update.sh,
# bench/swap.sh): sourced, not run. bench_staged_setup LOADER_VAR: locates the tools and the
# firmware, requires the loader named by LOADER_VAR, signs hello-ota v1 (counter 1) into
# $E2E_TMP/v1s.hex and the 256 KB hello-ota-256k (2.5.0, counter 2) into $E2E_TMP/big.bin, and
# sets SIZE (bytes of big.bin), BIG (the 256 KB ELF) and LOG.
bench_staged_setup() {
    . "$ROOT/tests/e2e/lib.sh"
    e2e_locate
    BIG=$(e2e_find "$E2E_FW" hello-ota-256k.elf)
    e2e_require EMU "$1" V1 BIG UPLOAD WBOTA DEV_KEY
    "$WBOTA" image create "$V1" -o "$E2E_TMP/v1s.hex" --key "$DEV_KEY" --version 1.0.0 \
        --security-counter 1 -q || exit 1
    "$WBOTA" image create "$BIG" -o "$E2E_TMP/big.bin" --key "$DEV_KEY" --version 2.5.0 \
        --security-counter 2 -q || exit 1
    SIZE=$(stat -c %s "$E2E_TMP/big.bin")
    LOG=$E2E_TMP/emu.log
}
