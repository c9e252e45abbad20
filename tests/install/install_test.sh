#!/usr/bin/env bash
# tests/install/install_test.sh BUILD_DIR SOURCE_DIR: installs the host build into a temporary
# prefix (as `make install PREFIX=...` does) and checks what a user gets there: the installed
# wbota runs and builds an image, wbota-emu answers --help, the app kit compiles with the one
# include path docs/appkit.md gives (when arm-none-eabi-gcc is present), the docs are there.
set -u
B=$1; SRC=$2
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$B" --prefix "$P" >"$P.log" 2>&1 || { cat "$P.log"; fail "cmake --install"; }
rm -f "$P.log"
for f in bin/wbota bin/wbota-emu share/wbota/appkit/include/wbota_appkit.h \
    share/wbota/appkit/ld/wbota_app.ld share/wbota/appkit/ld/wbota_app_example.ld \
    share/doc/wbota/README.md share/doc/wbota/appkit.md share/doc/wbota/wbota.md; do
    [ -e "$P/$f" ] || fail "$f not installed"
done
W=$P/bin/wbota
"$W" --version | grep -q "^wbota " || fail "installed wbota --version"
# the installed tool works on its own (no build tree): an image from the test input
"$W" image create "$SRC/tests/tools/inputs/good.elf" -o "$P/app.bin" --version 1.0.0 -q ||
    fail "installed wbota image create"
"$W" image verify "$P/app.bin" -q || fail "installed wbota image verify"
"$P/bin/wbota-emu" --help >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] || fail "installed wbota-emu --help (exit $rc)"
if command -v arm-none-eabi-gcc >/dev/null; then
    K=$P/share/wbota/appkit
    for c in "$K"/src/*.c; do
        arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -std=c11 -Wall -Wextra -Werror -ffreestanding \
            -I"$K/include" -c "$c" -o "$P/$(basename "$c").o" ||
            fail "installed app kit source $(basename "$c") does not compile with -I$K/include"
    done
else
    echo "note: arm-none-eabi-gcc not found, app kit compile check skipped"
fi
echo "PASS: installed into $P and ran the installed tools"
