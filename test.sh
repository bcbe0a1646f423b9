#!/usr/bin/env bash
# Install what is missing, build, run every test, and end with the line
# "N passed, N failed" counting individual test cases (GTest cases via TAP).
#
# Two configurations run:
#   build/       the whole project, -Werror, every suite (GUI under Xvfb,
#                remote through a test-owned sshd)
#   build-asan/  core and remote libraries under AddressSanitizer
#                + UBSan, running the suites that read untrusted bytes
#                (session files, the wire stream, folded files)
# HEARTH_SKIP_ASAN=1 skips the second; extra arguments go to `meson test`.
set -uo pipefail
cd "$(dirname "$0")"

fail () {
  echo "$1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

./build-aux/install-deps.sh --test || fail "test.sh: installing dependencies failed"

setup () {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  else
    meson configure "$dir" "$@" >/dev/null || return 1
  fi
  meson compile -C "$dir"
}

logs=()

setup build -Dwerror=true --buildtype=debugoptimized || fail "test.sh: the build failed"
meson test -C build --print-errorlogs --num-processes 2 "$@"
logs+=(build/meson-logs/testlog.json)

if [ -z "${HEARTH_SKIP_ASAN:-}" ]; then
  if setup build-asan -Dwerror=true --buildtype=debug -Dapp=false -Dcollector=false \
       -Db_sanitize=address,undefined -Db_lundef=false; then
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      meson test -C build-asan --print-errorlogs --num-processes 2 --suite core
    logs+=(build-asan/meson-logs/testlog.json)
  else
    echo "test.sh: the sanitizer build failed" >&2
    logs+=(build-asan/does-not-exist.json)
  fi
fi

python3 build-aux/count-tests.py "${logs[@]}"
