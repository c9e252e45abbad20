#!/usr/bin/env bash
# mbedTLS 3.6 LTS sources for the firmware and the host build: Debian 13 (trixie)'s source package
# `mbedtls`, pinned by the upstream version and the SHA-256 of its orig tarball (any Debian
# revision of that tarball will do), cached outside the tree (WBOTA_CACHE, default
# ~/.cache/wbota). Prints nothing when the cache is already good. Both builds
# (cmake/mbedtls.cmake) fail with a clear message when the extracted tree is missing.
set -euo pipefail
VERSION=3.6.6
SUITE=trixie
SHA256=8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a
CACHE="${WBOTA_CACHE:-$HOME/.cache/wbota}"
DEST="$CACHE/mbedtls-$VERSION"
TARBALL="$CACHE/mbedtls_$VERSION.orig.tar.bz2"
if [ -f "$DEST/.wbota-ok" ]; then exit 0; fi
mkdir -p "$CACHE"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
fail() {
  echo "error: cannot get mbedTLS $VERSION from Debian's source package mbedtls ($SUITE): $1" >&2
  echo "       The firmware and host builds need it. Check network access to deb.debian.org," >&2
  echo "       or put mbedtls_$VERSION.orig.tar.bz2 (SHA-256 $SHA256) into $CACHE." >&2
  exit 1
}
if [ ! -f "$TARBALL" ] || ! echo "$SHA256  $TARBALL" | sha256sum -c --status; then
  # Debian 12 hosts only know bookworm's 2.28: add a deb-src entry for the Debian 13 suite.
  have_src=no
  for f in /etc/apt/sources.list.d/*.sources; do
    if grep -qs '^Types:.*deb-src' "$f" && grep -qs "^Suites:.*\b$SUITE\b" "$f"; then have_src=yes; fi
  done
  if grep -qs "^deb-src .* $SUITE " /etc/apt/sources.list; then have_src=yes; fi
  if [ "$have_src" = no ]; then
    echo "deps: adding a deb-src entry for $SUITE (for apt-get source mbedtls)"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$SUITE" | $SUDO tee "/etc/apt/sources.list.d/wbota-src-$SUITE.sources" >/dev/null
    $SUDO apt-get update -qq || true
  fi
  # The pin is on the upstream tarball: take whichever Debian revision of $VERSION apt knows.
  debver=$(apt-cache showsrc mbedtls 2>/dev/null | sed -n "s/^Version: \($VERSION-.*\)/\1/p" | head -n1)
  [ -n "$debver" ] || { $SUDO apt-get update -qq || true
    debver=$(apt-cache showsrc mbedtls 2>/dev/null | sed -n "s/^Version: \($VERSION-.*\)/\1/p" | head -n1); }
  [ -n "$debver" ] || fail "apt knows no source version $VERSION-*"
  tmp=$(mktemp -d)
  ( cd "$tmp" && apt-get source --download-only "mbedtls=$debver" >/dev/null 2>&1 ) || {
    rm -rf "$tmp"; fail "apt-get source mbedtls=$debver failed"; }
  cp "$tmp/mbedtls_$VERSION.orig.tar.bz2" "$TARBALL" 2>/dev/null || {
    rm -rf "$tmp"; fail "mbedtls=$debver has no mbedtls_$VERSION.orig.tar.bz2"; }
  rm -rf "$tmp"
fi
if ! echo "$SHA256  $TARBALL" | sha256sum -c --status; then
  echo "error: $TARBALL does not match the pinned SHA-256 $SHA256" >&2
  exit 1
fi
rm -rf "$DEST" && mkdir -p "$DEST"
tar -xjf "$TARBALL" -C "$DEST" --strip-components=1
touch "$DEST/.wbota-ok"
echo "deps: mbedTLS $VERSION ready in $DEST"
