#!/usr/bin/env bash
# Benchmark: `wbota image create` + ECDSA P-256 signing of a 512 KB application image, side by
# side with `openssl dgst -sha256 -sign` on the same bytes with the same key (the reference the
# tool must stay within 1.3x of), plus the absolute target of 100 ms. The two commands run
# alternately, 15 times each, so both see the same machine load; the best run of each is the
# figure (the machine may be shared), the median is printed too. Whole processes, wall clock.
# Usage: bench/image-create.sh [path/to/wbota] (default build/host/tools/wbota; `make bench`
# builds it first). Needs openssl (Debian package `openssl`, installed by scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-${WBOTA:-build/host/tools/wbota}}
[ -x "$W" ] || { echo "bench: $W not built (run make host)"; exit 1; }
command -v openssl >/dev/null || { echo "bench: openssl missing (scripts/deps.sh installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
size=$((512 * 1024))
# A 512 KB image at 0x08007000: SP, Thumb reset vector, filler, tag pointer at +0x140 to the
# magic in the last word.
{
  printf '\x00\x00\x03\x20\x01\x72\x00\x08'
  head -c $((0x140 - 8)) /dev/zero | tr '\0' '\132'
  printf '\xFC\x6F\x08\x08'
  head -c $((size - 0x144 - 4)) /dev/zero | tr '\0' '\245'
  printf '\x29\x8A\x44\x94'
} > "$tmp/app.bin"
"$W" keygen -o "$tmp/key.pem" -q
runs=15
tw=(); to=()
for _ in $(seq $runs); do
  t0=$(date +%s%N)
  "$W" image create "$tmp/app.bin" -o "$tmp/out.bin" --key "$tmp/key.pem" --version 1.0.0 -q
  t1=$(date +%s%N)
  openssl dgst -sha256 -sign "$tmp/key.pem" -out "$tmp/sig.der" "$tmp/app.bin"
  t2=$(date +%s%N)
  tw+=($(( (t1 - t0) / 1000 ))); to+=($(( (t2 - t1) / 1000 )))
done
"$W" image verify "$tmp/out.bin" --pubkey "$tmp/key.pem" -q >/dev/null
openssl dgst -sha256 -verify <(openssl ec -in "$tmp/key.pem" -pubout 2>/dev/null) \
  -signature "$tmp/sig.der" "$tmp/app.bin" >/dev/null
sw=($(printf '%s\n' "${tw[@]}" | sort -n)); so=($(printf '%s\n' "${to[@]}" | sort -n))
mid=$((runs / 2))
ms() { printf '%d.%03d ms' $(($1 / 1000)) $(($1 % 1000)); }
echo "image-create: 512 KB image, best / median of $runs alternating runs"
echo "  wbota image create + sign:       best $(ms "${sw[0]}"), median $(ms "${sw[$mid]}")"
echo "  openssl dgst -sha256 -sign:      best $(ms "${so[0]}"), median $(ms "${so[$mid]}")"
awk -v a="${sw[0]}" -v b="${so[0]}" -v c="${sw[$mid]}" -v d="${so[$mid]}" 'BEGIN {
  printf "  ratio wbota / openssl: best %.2f, median %.2f (limit 1.30)\n", a / b, c / d }'
fail=0
awk -v a="${sw[0]}" -v b="${so[0]}" 'BEGIN { exit !(a / b <= 1.3) }' ||
  { echo "image-create: ratio to openssl above 1.3"; fail=1; }
[ "${sw[0]}" -lt 100000 ] || { echo "image-create: over the 100 ms target"; fail=1; }
exit $fail
