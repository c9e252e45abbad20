# tests/e2e/lib.sh - shared helpers for the end-to-end scripts (scripts/demo.sh, scripts/sweep.sh,
# bench/ota-throughput.sh, tests/e2e/e2e.sh). Source it; it finds the binaries and images and
# starts/stops one wbota-emu per call. Only processes started here are ever stopped (by pid).
# Exit code 77 = "cannot run here" (CTest SKIP_RETURN_CODE).

E2E_ROOT=${E2E_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
E2E_HOST=${WBOTA_HOST_BUILD:-$E2E_ROOT/build/host}
E2E_FW=${WBOTA_FW_BUILD:-$E2E_ROOT/build/firmware}
E2E_TMP=${E2E_TMP:-$(mktemp -d /tmp/wbota-e2e.XXXXXX)}
EMU_PID=""

e2e_find() { # e2e_find DIR NAME -> first executable/regular file called NAME under DIR
    find "$1" -name "$2" -type f 2>/dev/null | sort | head -n 1
}

e2e_locate() {
    EMU=${WBOTA_EMU:-$(e2e_find "$E2E_HOST" wbota-emu)}
    WBOTA=${WBOTA_TOOL:-$(e2e_find "$E2E_HOST" wbota)}
    UPLOAD=${WBOTA_EMU_UPLOAD:-$(e2e_find "$E2E_HOST" emu_upload)}
    # the st-mode loader (ST behaviour) drives the existing scenarios; staged ones use LOADER_STAGED
    LOADER=$(e2e_find "$E2E_FW" wbota-loader-st.elf)
    LOADER_STAGED=$(e2e_find "$E2E_FW" wbota-loader.elf)
    LOADER_STAGED_ST=$(e2e_find "$E2E_FW" wbota-loader-staged-st.elf)
    LOADER_SWAP=$(e2e_find "$E2E_FW" wbota-loader-swap.elf)
    LOADER_LSE=$(e2e_find "$E2E_FW" wbota-loader-lse.elf)
    # signed loaders of this firmware build hold its development key (firmware/keys/README.md)
    DEV_KEY=$(e2e_find "$E2E_FW" wbota-dev-private.pem)
    LOADER_SIGNED=$(e2e_find "$E2E_FW" wbota-loader-signed.elf)
    V1=$(e2e_find "$E2E_FW" hello-ota-v1.elf)
    V2=$(e2e_find "$E2E_FW" hello-ota-v2.elf)
    HSE=$(e2e_find "$E2E_FW" hello-ota-hse.elf)
    V2BIN=$(e2e_find "$E2E_FW" hello-ota-v2.bin)
    if [ -z "$V2BIN" ] && [ -n "$V2" ] && command -v arm-none-eabi-objcopy >/dev/null; then
        V2BIN=$E2E_TMP/hello-ota-v2.bin
        arm-none-eabi-objcopy -O binary "$V2" "$V2BIN"
    fi
}

e2e_require() { # e2e_require VAR... : skip (77) when one is missing
    local v missing=""
    for v in "$@"; do
        if [ -z "${!v}" ] || [ ! -e "${!v}" ]; then missing="$missing $v"; fi
    done
    if [ -n "$missing" ]; then
        echo "SKIP: not built yet:$missing (host build $E2E_HOST, firmware build $E2E_FW)"
        # `make test` builds everything first and sets WBOTA_NO_SKIP=1: a missing part fails there
        [ "${WBOTA_NO_SKIP:-0}" = 1 ] && exit 1
        exit 77
    fi
}

# e2e_emu_start LOG FLASH... [-- EXTRA EMU ARGS]: starts wbota-emu with a fresh Unix socket.
e2e_emu_start() {
    local log=$1
    shift
    local args=() extra=() f
    while [ $# -gt 0 ]; do
        if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
        args+=(--flash "$1")
        shift
    done
    SOCK=$E2E_TMP/radio.$$.$RANDOM.sock
    "$EMU" "${args[@]}" --radio "$SOCK" "${extra[@]}" >"$log" 2>&1 &
    EMU_PID=$!
    for f in $(seq 1 200); do
        [ -S "$SOCK" ] && return 0
        if ! kill -0 "$EMU_PID" 2>/dev/null; then
            echo "wbota-emu exited at start:"; tail -n 20 "$log"; EMU_PID=""; return 1
        fi
        sleep 0.05
    done
    echo "wbota-emu did not open its radio socket $SOCK"; tail -n 20 "$log"
    return 1
}

e2e_emu_stop() {
    if [ -n "$EMU_PID" ]; then
        kill "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
        EMU_PID=""
    fi
}

# e2e_upload IMAGE IGNORED ARGS...: an update with the client users run, `wbota upload --emu`.
# ARGS use the raw central's names (below) and are translated for the tool. IGNORED: kept so
# older callers that pass an ELF and a .bin still work (the tool reads the ELF).
e2e_upload() {
    local img=$1
    shift 2
    local targs=() a
    while [ $# -gt 0 ]; do
        a=$1
        case "$a" in
            --app-name) targs+=(--name "$2"); shift ;;
            --expect-name) targs+=(--expect-name "$2"); shift ;;
            --reboot) [ "$2" = none ] && targs+=(--loader); shift ;;
            --base) targs+=(--flash-addr "$(printf '0x%08X' $((0x08000000 | $2)))"); shift ;;
            --quiet) targs+=(-q) ;;
            *) targs+=("$a") ;;
        esac
        shift
    done
    E2E_CLIENT="wbota upload"
    timeout 300 "$WBOTA" upload "$img" --emu "$SOCK" "${targs[@]}"
}

# e2e_raw ARGS...: the test-only raw central (emulator/client/emu_upload.c, stable name
# `emu_upload`) on the running emulator, for what the tool must never do. Its options:
#   --image BIN [--base OFF] [--app-name N] [--expect-name N] [--reboot MODE|none] [--quiet]
#                         an FE22 session at any offset OFF (0x08000000 | OFF), any image
#   --reboot MODE --reboot-only --app-name N --expect-name N
#                         a raw 3-byte FE11 reboot request {MODE, 07, pages}; exit 0 iff the
#                         app advertises again and no loader does
#   --erase-pages N|all   page count byte of the reboot request
#   --no-start            FE24 data without an FE22 start
#   --disconnect-after B  drop the link after B bytes (exit 5)
#   --force-loader --expect-name N   mailbox 01 07 FF by debugger write + system reset
#   --scan MS | --stats | --power-cycle
# Exit: 0 ok, 1 usage, 2 not found, 3 refused/protocol error, 4 not back, 5 dropped on purpose.
e2e_raw() {
    timeout 300 "$UPLOAD" --emu "$SOCK" "$@"
}

trap 'e2e_emu_stop; rm -rf "$E2E_TMP"' EXIT
