#!/usr/bin/env bash
# Prints arm-none-eabi-size for every firmware ELF in $1 (the budget itself is enforced by the
# firmware build: see firmware/CMakeLists.txt).
set -euo pipefail
dir=${1:?build dir}
mapfile -t elfs < <(find "$dir" -name '*.elf' | sort)
if [ ${#elfs[@]} -eq 0 ]; then echo "no firmware ELFs built yet"; exit 0; fi
arm-none-eabi-size "${elfs[@]}" | sed "s#$dir/##"
