#!/usr/bin/env bash
# Golden test of the `wbota` command line: regenerates the test inputs and checks they equal
# the checked-in ones, then runs each case and compares stdout+stderr and the exit code with
# tests/tools/expected/<case>.txt. WBOTA_GOLDEN_UPDATE=1 rewrites the expected files.
# usage: golden.sh WBOTA GEN_INPUTS TESTS_TOOLS_DIR WORKDIR
set -uo pipefail
W=$1; GEN=$2; SRC=$3; WORK=$4
IN=$SRC/inputs; EXP=$SRC/expected; OUT=$WORK/out
rm -rf "$WORK"; mkdir -p "$WORK/gen" "$OUT"
fail=0

"$GEN" "$WORK/gen" || { echo "gen_inputs failed"; exit 1; }
for f in "$WORK"/gen/*; do
  b=$(basename "$f")
  if ! cmp -s "$f" "$IN/$b"; then
    echo "FAIL: generated input $b differs from tests/tools/inputs/$b (rerun gen_inputs)"
    fail=1
  fi
done

run() { # run NAME ARGS...
  local name=$1; shift
  local got
  got=$( (cd "$WORK" && "$W" "$@") 2>&1; echo "exit=$?")
  got=${got//$IN/<inputs>}
  got=${got//$OUT/<out>}
  got=${got//$WORK/<work>}
  if [ "${WBOTA_GOLDEN_UPDATE:-0}" = 1 ]; then
    printf '%s\n' "$got" > "$EXP/$name.txt"
  elif ! diff -u "$EXP/$name.txt" <(printf '%s\n' "$got") > "$WORK/$name.diff"; then
    echo "FAIL: $name (wbota $*)"; cat "$WORK/$name.diff"; fail=1
  else
    echo "ok: $name"
  fi
}

# help texts (docs/wbota.md reproduces them)
run help_main --help
for c in "image create" "image verify" "image inspect" keygen "key export" layout merge upload scan; do
  # shellcheck disable=SC2086
  run "help_${c// /_}" $c --help
done

# groups answer --help with exit 0; a group alone is a usage error; options that do not apply
run help_image image --help
run help_key key --help
run group_alone image
run option_not_for_command layout --key "$IN/test-key.pem"
run group_unknown_sub image frob

# round trip: create -> verify -> inspect, ELF / HEX / BIN give the same image
run create_elf image create "$IN/good.elf" -o "$OUT/good.bin" --version 1.2.3+4 --security-counter 5
run create_hex image create "$IN/good.hex" -o "$OUT/good_hex.bin" --version 1.2.3+4 --security-counter 5
run create_bin image create "$IN/good.bin" -o "$OUT/good_bin.hex" --version 1.2.3+4 --security-counter 5
cmp -s "$OUT/good.bin" "$OUT/good_hex.bin" || { echo "FAIL: ELF and HEX inputs gave different images"; fail=1; }
run verify_good image verify "$OUT/good.bin"
run verify_good_hexout image verify "$OUT/good_bin.hex"
run inspect_good image inspect "$OUT/good.bin"
run inspect_good_json image inspect "$OUT/good.bin" --json
run create_json image create "$IN/good.elf" -o "$OUT/good2.bin" --json

# signing
run create_signed image create "$IN/good.hex" -o "$OUT/signed.bin" --key "$IN/test-key.pem" --version 2.0.0+7 --security-counter 2
run verify_signed_pubkey image verify "$OUT/signed.bin" --pubkey "$IN/test-key.pem"
run verify_signed_other_key image verify "$OUT/signed.bin" --pubkey "$IN/other-key.pem"
run inspect_signed_nokey image inspect "$OUT/signed.bin"
run inspect_signed_key image inspect "$OUT/signed.bin" --key "$IN/test-key.pem"
cp "$OUT/signed.bin" "$OUT/tampered.bin"
printf '\x00' | dd of="$OUT/tampered.bin" bs=1 seek=1000 conv=notrunc status=none
run verify_tampered image verify "$OUT/tampered.bin" --pubkey "$IN/test-key.pem"
run create_with_public_key image create "$IN/good.elf" -o "$OUT/x.bin" --key "$IN/test-key.pub.pem"
run key_export_c key export "$IN/test-key.pem"
run key_export_pem key export "$IN/test-key.pem" --format pem
run verify_with_pub_pem image verify "$OUT/signed.bin" --pubkey "$IN/test-key.pub.pem"
run key_export_openssl key export "$IN/openssl-key.pem" --json

# placement
run create_st_gcc image create "$IN/st_gcc_magic_not_last.elf" -o "$OUT/st.bin"
run create_st_gcc_strict image create "$IN/st_gcc_magic_not_last.elf" -o "$OUT/st2.bin" --strict
run verify_st_gcc_input image verify "$IN/st_gcc_magic_not_last.bin"
run create_room image create "$IN/room_before_magic.hex" -o "$OUT/room.bin"
run create_magic_missing image create "$IN/bad_magic_missing.bin" -o "$OUT/mm.bin"

# one broken input per check
run check_link_addr image create "$IN/bad_link_addr.hex" -o "$OUT/x.bin"
run check_sp_outside image create "$IN/bad_sp_outside.bin" -o "$OUT/x.bin"
run check_sp_mailbox image create "$IN/bad_sp_mailbox.bin" -o "$OUT/x.bin"
run check_ram_mailbox image create "$IN/bad_ram_mailbox.elf" -o "$OUT/x.bin"
run check_reset_arm image create "$IN/bad_reset_arm.bin" -o "$OUT/x.bin"
run check_reset_outside image create "$IN/bad_reset_outside.bin" -o "$OUT/x.bin"
run check_tag_ptr image create "$IN/bad_tag_ptr.bin" -o "$OUT/x.bin"
run check_tag_short image create "$IN/bad_tag_short.bin" -o "$OUT/x.bin"
run check_magic_missing image verify "$IN/bad_magic_missing.bin"
run check_magic_not_last image verify "$IN/st_gcc_magic_not_last.bin" --strict
run check_cpu2_too_large image create "$IN/big_40k.bin" -o "$OUT/x.bin" --sfsa 0x0F
run check_outside_flash image create "$IN/bad_outside_flash.hex" -o "$OUT/x.bin"
run not_firmware image create "$IN/readme.txt" -o "$OUT/x.bin"
run loader_as_app image create "$IN/loader_stub.bin" --base 0x08000000 -o "$OUT/x.bin"
run ctors_in_ram image create "$IN/ctor_in_ram.elf" -o "$OUT/x.bin" --strict
run cpu2_in_sram1 image create "$IN/cpu2_in_sram1.elf" -o "$OUT/x.bin" --strict
run missing_key_file image create "$IN/good.elf" -o "$OUT/x.bin" --key "$OUT/no-such-key.pem"
[ -e "$OUT/x.bin" ] && { echo "FAIL: a refused image was written"; fail=1; }
run create_big image create "$IN/big_40k.bin" -o "$OUT/big.bin" -q
run verify_too_large image verify "$OUT/big.bin" --sfsa 0x0F

# malformed inputs
printf ':0400100001020304E2\n:0400140001020304E0\n:00000001FF\n' > "$OUT/badsum.hex"
run hex_bad_checksum image verify "$OUT/badsum.hex"
printf ':0400100001020304E2\n' > "$OUT/noeof.hex"
run hex_no_eof image verify "$OUT/noeof.hex"
run missing_file image verify "$OUT/does-not-exist.bin"

# layout
run layout_default layout
run layout_sfsa layout --sfsa 0x10 --app-page 8 --json
run layout_loader layout --loader "$IN/loader_stub.bin"
run layout_bad layout --sfsa 5

# merge
run merge merge --loader "$IN/loader_stub.bin" --app "$OUT/good.bin" -o "$OUT/prod"
run inspect_merged image inspect "$OUT/prod.hex"
run verify_merged_bin image verify "$OUT/prod.bin"
run merge_unsigned_needs_key merge --loader "$IN/loader_stub.bin" --app "$OUT/good.bin" -o "$OUT/prod2" --pubkey "$IN/test-key.pem"

# upload: argument parsing and transport errors (the real path is tests/e2e)
run upload_no_transport upload "$OUT/good.bin" --name X
run upload_no_target upload "$OUT/good.bin" --emu 127.0.0.1:1
run upload_adapter_without_ble upload "$OUT/good.bin" --emu 127.0.0.1:1 --adapter hci0 --name X
run scan_no_transport scan
run scan_bad_duration scan --ble --duration-ms 0
run scan_option_not_for_command scan --emu 127.0.0.1:1 --name HELLO
run upload_bad_addr upload "$OUT/good.bin" --emu 127.0.0.1:1 --addr 11:22
run upload_refused upload "$OUT/good.bin" --emu 127.0.0.1:1 --name HELLO
run upload_no_manifest upload "$IN/good.bin" --emu 127.0.0.1:1 --name HELLO
run upload_invalid_image upload "$IN/bad_sp_outside.bin" --emu 127.0.0.1:1 --name HELLO
run upload_invalid_forced upload "$IN/bad_sp_outside.bin" --emu 127.0.0.1:1 --name HELLO --force -q
run upload_refused_json upload "$OUT/good.bin" --emu "$WORK/none.sock" --loader --json
run unknown_command frobnicate
run unknown_option image verify "$OUT/good.bin" --frob

# docs/wbota.md reproduces every --help text verbatim
doc=$(cat "$SRC/../../docs/wbota.md")
for h in "$EXP"/help_*.txt; do
  text=$(sed '$d' "$h") # drop the exit=0 line
  if [[ "$doc" != *"$text"* ]]; then
    echo "FAIL: docs/wbota.md does not contain the text of $(basename "$h" .txt)"; fail=1
  fi
done

exit $fail
