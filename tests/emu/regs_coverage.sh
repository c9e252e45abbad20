#!/bin/sh
# regs_coverage.sh HEADER_DIR TEST_C - every register field and every _Msk macro of the firmware's
# register headers for the blocks the emulator models must be listed in the header-vs-table test
# (test_emu_regs_vs_headers.c), so a constant added to a header cannot escape the comparison.
set -eu
dir=$1
test_c=$2
missing=0
for h in exti flash gpio hsem ipcc pka pwr rcc; do
    for m in $(grep -o '#define WB_[A-Z0-9_]*_Msk\b' "$dir/$h.h" | awk '{print $2}'); do
        if ! grep -q "[(, ]$m)" "$test_c"; then
            echo "not compared: $m ($h.h)"
            missing=$((missing + 1))
        fi
    done
    for f in $(grep -o 'volatile uint32_t [A-Z0-9]*' "$dir/$h.h" | awk '{print $3}'); do
        if ! grep -q "[ ,]$f[),\[]" "$test_c"; then
            echo "not compared: register $f ($h.h)"
            missing=$((missing + 1))
        fi
    done
done
echo "regs_coverage: $missing header constants not compared"
[ "$missing" -eq 0 ]
