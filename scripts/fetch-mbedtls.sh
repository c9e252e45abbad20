#!/usr/bin/env bash
# Firmware-side mbedTLS: Debian's source package, pinned by version and SHA-256 of the upstream
# tarball, cached outside the tree (WBOTA_CACHE, default ~/.cache/wbota). Prints nothing when the
# cache is already good. The firmware build (cmake/firmware-mbedtls.cmake) fails with a clear
# message when the extracted tree is missing.
set -euo pipefail
VERSION=2.28.3
DEBREV=1
SHA256=3b4953aa55a681e084d31892d9904cc5328d6b4958ea57b90ae4b4f94ae69a8d
CACHE="${WBOTA_CACHE:-$HOME/.cache/wbota}"
DEST="$CACHE/mbedtls-$VERSION"
TARBALL="$CACHE/mbedtls_$VERSION.orig.tar.gz"
if [ -f "$DEST/.wbota-ok" ]; then exit 0; fi
mkdir -p "$CACHE"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if [ ! -f "$TARBALL" ] || ! echo "$SHA256  $TARBALL" | sha256sum -c --status; then
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    echo "deps: adding a deb-src entry for bookworm (for apt-get source mbedtls)"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | $SUDO tee /etc/apt/sources.list.d/wbota-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  tmp=$(mktemp -d)
  ( cd "$tmp" && apt-get source --download-only "mbedtls=$VERSION-$DEBREV" >/dev/null 2>&1 ) || {
    echo "error: cannot download Debian source package mbedtls=$VERSION-$DEBREV (apt-get source)." >&2
    echo "       The firmware build needs it; check network access to deb.debian.org." >&2
    rm -rf "$tmp"; exit 1; }
  cp "$tmp/mbedtls_$VERSION.orig.tar.gz" "$TARBALL"
  rm -rf "$tmp"
fi
if ! echo "$SHA256  $TARBALL" | sha256sum -c --status; then
  echo "error: $TARBALL does not match the pinned SHA-256 $SHA256" >&2
  exit 1
fi
rm -rf "$DEST" && mkdir -p "$DEST"
tar -xzf "$TARBALL" -C "$DEST" --strip-components=1
touch "$DEST/.wbota-ok"
echo "deps: firmware mbedTLS $VERSION ready in $DEST"
