#!/usr/bin/env bash
# Installs the Debian packages wbota needs, only when one is missing, and fetches the pinned
# mbedTLS 3.6 sources that firmware and host build from (scripts/fetch-mbedtls.sh). Safe to run
# repeatedly; quiet when all is there. openssl: only bench/image-create.sh's reference figure.
set -euo pipefail
PKGS=(cmake make gcc clang llvm gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
      libcmocka-dev libunicorn-dev libelf-dev libsystemd-dev pkg-config
      cppcheck clang-format dpkg-dev xz-utils bzip2 ca-certificates openssl
      dbus-daemon python3-dbus python3-gi) # the last three: tests/bluez (fake bluetoothd)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
exec "$(dirname "$0")/fetch-mbedtls.sh"
