#!/bin/sh
# expect.sh STATUS REGEX CMD ARGS... : run CMD, require exit STATUS and a line matching REGEX in
# its combined output (so a test proves the fault/cut/report actually happened).
want=$1; regex=$2; shift 2
out=$("$@" 2>&1); rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$want" ]; then echo "expect.sh: exit status $rc, wanted $want"; exit 1; fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then echo "expect.sh: no line matches: $regex"; exit 1; fi
exit 0
