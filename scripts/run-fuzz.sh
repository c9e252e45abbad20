#!/usr/bin/env bash
# Runs every libFuzzer harness built in $1 for $2 seconds each, with its seed corpus
# (tests/fuzz/corpus/<name>), and prints the executions per harness. Fails on any crash.
set -euo pipefail
dir=${1:?build dir}; secs=${2:?seconds}
shopt -s nullglob
mapfile -t harnesses < <(find "$dir/tests" -maxdepth 2 -type f -name 'fuzz_*' -perm -u+x | sort)
if [ ${#harnesses[@]} -eq 0 ]; then echo "fuzz: no harnesses built"; exit 1; fi
for h in "${harnesses[@]}"; do
  [ -x "$h" ] || continue
  name=$(basename "$h")
  seeds="tests/fuzz/corpus/${name#fuzz_}"
  work=$(mktemp -d)
  [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/ 2>/dev/null || true
  log=$(mktemp)
  if ! "$h" -max_total_time="$secs" -print_final_stats=1 "$work" >"$log" 2>&1; then
    tail -40 "$log"; echo "fuzz: $name FAILED"; exit 1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $name ok, $execs executions in ${secs}s"
  rm -rf "$work" "$log"
done
