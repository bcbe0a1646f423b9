#!/usr/bin/env bash
# Install what is missing, build, run every test, and end with the line
# "N passed, N failed" counting individual test cases (GTest cases via TAP).
#
#   ./test.sh              debug build with -Werror
#   HEARTH_SANITIZE=1 ./test.sh   the same under AddressSanitizer + UBSan
set -uo pipefail
cd "$(dirname "$0")"

./build-aux/install-deps.sh --test || { echo "0 passed, 1 failed"; exit 1; }

builddir=${HEARTH_BUILDDIR:-build}
opts=(-Dwerror=true --buildtype=debugoptimized)
if [ -n "${HEARTH_SANITIZE:-}" ]; then
  builddir=${HEARTH_BUILDDIR:-build-asan}
  opts+=(-Db_sanitize=address,undefined -Db_lundef=false)
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "${opts[@]}" || { echo "0 passed, 1 failed"; exit 1; }
else
  meson configure "$builddir" "${opts[@]}" >/dev/null
fi
if ! meson compile -C "$builddir"; then
  echo "0 passed, 1 failed"
  exit 1
fi

meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
rc=$?

python3 build-aux/count-tests.py "$builddir/meson-logs/testlog.json"
crc=$?
if [ $rc -ne 0 ] || [ $crc -ne 0 ]; then
  exit 1
fi
exit 0
