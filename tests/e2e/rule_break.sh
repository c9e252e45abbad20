#!/usr/bin/env bash
# rule_break.sh ELF: runs the rule-breaking firmware with the CPU2 model (created with --radio;
# a short scan lets the lockstep device run); passes iff wbota-emu exits 41 (rule broken,
# docs/wbota.md#exit-codes) naming the rule CMD_BEFORE_READY.
set -u
. "$(dirname "$0")/lib.sh"
e2e_locate
e2e_require EMU UPLOAD
LOG=$E2E_TMP/emu.log
e2e_emu_start "$LOG" "$1" -- --max-time-us 2000000 || exit 1
timeout 30 "$UPLOAD" --emu "$SOCK" --scan 100 >/dev/null 2>&1
timeout 30 tail --pid="$EMU_PID" -f /dev/null
wait "$EMU_PID"
rc=$?
EMU_PID=""
tail -n 3 "$LOG"
if [ $rc -eq 41 ] && grep -q "EMU RULE CMD_BEFORE_READY" "$LOG"; then
    echo "PASS: the CPU2 rule fired (exit 41)"
    exit 0
fi
echo "FAIL: expected exit 41 with EMU RULE CMD_BEFORE_READY, got exit $rc"
exit 1
