#!/usr/bin/env bash
# The wbota tool on the project's real example application and loader (built by the firmware
# preset into build/firmware). Skipped (exit 77) when that build does not exist, so a host-only
# build never depends on it. usage: example_app.sh WBOTA REPO_ROOT WORKDIR [FIRMWARE_BUILD_DIR]
set -uo pipefail
W=$1; ROOT=$2; WORK=$3; FW=${4:-$ROOT/build/firmware}
APP=$FW/examples/hello-ota-v1.elf
LDR=$FW/firmware/wbota-loader-signed.elf
KEY=$FW/dev-key/wbota-dev-private.pem # the firmware build's development key
if [ ! -f "$APP" ] || [ ! -f "$LDR" ] || [ ! -f "$KEY" ]; then
  echo "skip: no firmware build at $FW (make firmware)"
  [ "${WBOTA_NO_SKIP:-0}" = 1 ] && exit 1
  exit 77
fi
rm -rf "$WORK"; mkdir -p "$WORK"
fail=0
check() { # check EXPECTED_EXIT DESCRIPTION CMD...
  local want=$1 what=$2; shift 2
  "$@" > "$WORK/last.log" 2>&1; local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: $what: exit $rc, expected $want"; cat "$WORK/last.log"; fail=1
  else
    echo "ok: $what"
  fi
}
check 0 "example ELF passes --strict and is signed" \
  "$W" image create "$APP" -o "$WORK/app.bin" --strict --key "$KEY" --version 1.0.0 --security-counter 1
check 0 "verifies with the development public key" "$W" image verify "$WORK/app.bin" --key "$KEY"
"$W" image create "$APP" -o "$WORK/app-unsigned.bin" --version 1.0.0 -q
"$W" keygen -o "$WORK/other.pem" --force >/dev/null 2>&1
"$W" image create "$APP" -o "$WORK/app-other.bin" --key "$WORK/other.pem" --version 1.0.0 -q
check 1 "rejected by another key" "$W" image verify "$WORK/app.bin" --pubkey "$ROOT/tests/tools/inputs/other-key.pem"
check 0 "merge with the signed loader" \
  "$W" merge --loader "$LDR" --app "$WORK/app.bin" -o "$WORK/prod" --pubkey "$KEY" --strict
check 1 "merge refuses an unsigned app for the signed loader" \
  "$W" merge --loader "$LDR" --app "$WORK/app-unsigned.bin" -o "$WORK/prod-u"
grep -q "application is not signed" "$WORK/last.log" || { echo "FAIL: no clear line"; fail=1; }
check 1 "merge refuses an app signed by a key the loader does not hold" \
  "$W" merge --loader "$LDR" --app "$WORK/app-other.bin" -o "$WORK/prod-o"
grep -q "the loader holds key id" "$WORK/last.log" || { echo "FAIL: no clear line"; fail=1; }
check 0 "merged image inspects as signed-policy loader + valid app" \
  "$W" image inspect "$WORK/prod.hex" --pubkey "$KEY"
grep -q "policy signed" "$WORK/last.log" || { echo "FAIL: loader info not shown"; fail=1; }
grep -q "signature:  valid" "$WORK/last.log" || { echo "FAIL: signature not valid"; fail=1; }
check 0 "layout from the loader info block" "$W" layout --loader "$LDR"

EMU=${WBOTA_EMU:-}
if [ -n "$EMU" ] && [ -x "$EMU" ]; then
  EMU_PID=""
  stop_emu() { if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null; wait "$EMU_PID" 2>/dev/null; EMU_PID=""; fi; }
  trap stop_emu EXIT
  start_emu() { # start_emu FLASH...
    local args=() f
    for f in "$@"; do args+=(--flash "$f"); done
    SOCK=$WORK/radio.$RANDOM.sock
    "$EMU" "${args[@]}" --radio "$SOCK" > "$WORK/emu.log" 2>&1 &
    EMU_PID=$!
    for _ in $(seq 1 100); do [ -S "$SOCK" ] && return 0; sleep 0.1; done
    echo "FAIL: wbota-emu did not start"; cat "$WORK/emu.log"; fail=1; return 1
  }
  V1=$FW/examples/hello-ota-v1.elf; V2=$FW/examples/hello-ota-v2.elf
  "$W" image create "$V2" -o "$WORK/v2.bin" --version 2.0.0 -q
  "$W" image create "$V2" -o "$WORK/v2s.bin" --version 2.0.0 --key "$KEY" -q
  "$W" image create "$V1" -o "$WORK/v1s.bin" --version 1.0.0 --key "$KEY" -q
  if start_emu "$FW/firmware/wbota-loader-st.elf" "$V1"; then
    check 0 "upload v2 over the emulator, new image seen running" \
      timeout 300 "$W" upload "$WORK/v2.bin" --emu "$SOCK" --name HELLO-v1.0 --expect-name HELLO-v2.0
    grep -q "new image running" "$WORK/last.log" || { echo "FAIL: not confirmed"; fail=1; }
    stop_emu
  fi
  if start_emu "$FW/firmware/wbota-loader-lse.elf" "$FW/examples/hello-ota-hse.elf"; then
    check 17 "RF wake-up trap (HSE/1024 app, LSE-only loader) is diagnosed (loader never appeared)" \
      timeout 300 "$W" upload "$WORK/v2.bin" --emu "$SOCK" --name HELLO-v1.0
    grep -q "loader gave up" "$WORK/last.log" || { echo "FAIL: no diagnosis"; cat "$WORK/last.log"; fail=1; }
    stop_emu
  fi
  if start_emu "$LDR" "$WORK/v1s.bin@0x08007000"; then
    check 13 "signed loader rejects an unsigned image with its reason" \
      timeout 300 "$W" upload "$WORK/v2.bin" --emu "$SOCK" --name HELLO-v1.0
    grep -q "E_SIG_MISSING" "$WORK/last.log" || { echo "FAIL: reason not in words"; fail=1; }
    check 0 "signed loader accepts the signed image (device already in the loader)" \
      timeout 300 "$W" upload "$WORK/v2s.bin" --emu "$SOCK" --loader --expect-name HELLO-v2.0
    stop_emu
  fi
fi
exit $fail
