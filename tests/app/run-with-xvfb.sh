#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run a GUI test program in its own Xvfb: pick a free display number, start
# `Xvfb :N -screen 0 1280x800x24 -nolisten tcp`, run the program with
# DISPLAY=:N and GDK_BACKEND=x11, then stop that Xvfb (and only it).
set -u

if ! command -v Xvfb >/dev/null 2>&1; then
  echo "1..0 # SKIP Xvfb is not installed"
  exit 0
fi

xpid=
# Start somewhere different per run so parallel tests rarely collide.
n=$((90 + $$ % 60))
while [ $n -lt 250 ]; do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    xpid=$!
    i=0
    while [ $i -lt 100 ] && [ ! -e "/tmp/.X11-unix/X$n" ] && kill -0 "$xpid" 2>/dev/null; do
      sleep 0.05
      i=$((i + 1))
    done
    # Another test may have raced us to this number: the lock file names
    # the Xvfb that won, and ours gives up.
    if [ -e "/tmp/.X11-unix/X$n" ] && kill -0 "$xpid" 2>/dev/null &&
       [ "$(tr -d ' \n' < "/tmp/.X$n-lock" 2>/dev/null)" = "$xpid" ]; then
      break
    fi
    kill "$xpid" 2>/dev/null
    wait "$xpid" 2>/dev/null
    xpid=
  fi
  n=$((n + 1))
done

if [ -z "$xpid" ]; then
  echo "Bail out! could not start Xvfb on any display below :250"
  exit 1
fi

DISPLAY=":$n" GDK_BACKEND=x11 "$@"
rc=$?

kill "$xpid" 2>/dev/null
wait "$xpid" 2>/dev/null
exit $rc
