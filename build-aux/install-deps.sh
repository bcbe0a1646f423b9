#!/usr/bin/env bash
# Install the Debian 12 packages Hearth needs to build (and, with --test,
# to run its tests), skipping what is already there. Root or sudo.
set -euo pipefail

build_pkgs=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libsqlite3-dev
  libunwind-dev libelf-dev liblzma-dev libiberty-dev
  libgtk-4-dev libcairo2-dev libpango1.0-dev
  desktop-file-utils appstream libglib2.0-bin
)
test_pkgs=(
  xvfb xauth xdotool
  openssh-server openssh-client
  python3 python3-flask
  libxml2-utils
  imagemagick
  sqlite3
  util-linux
  groff-base shared-mime-info librsvg2-common
)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then
  want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
