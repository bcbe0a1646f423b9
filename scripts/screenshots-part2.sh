#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Regenerate the screenshots of the timeline and comparison views from the
# real app, in a private Xvfb (scripts/screenshots.sh runs this too):
#   timeline-brush.png  the timeline with range A brushed over a phase
#   heatmap.png         the subsecond heat map with the same range
#   diff.png            the differential flame graph of a sleep-heavy
#                       phase (A) against a CPU-heavy phase (B)
#   side-by-side.png    the same two ranges as two icicles
#   sunburst.png        the sunburst of range A
#
#   scripts/screenshots-part2.sh [BUILDDIR]      (default: build)
#
# The session is a 12 s recording of the demo (3 s phases) made with this
# build's hearth-collector. Ranges are brushed with the timeline's keys
# (each Right is 1% of the window), so they land on the phases whatever
# the window's geometry.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
builddir=$(realpath "${1:-${HEARTH_BUILDDIR:-build}}")
hearth="$builddir/src/app/hearth"
collector="$builddir/src/collector/hearth-collector"
demo="$builddir/demo/hearth-demo"
out="$root/screenshots"

for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots-part2: $tool is missing" >&2; exit 1; }
done
for bin in "$hearth" "$collector" "$demo"; do
  [ -x "$bin" ] || { echo "screenshots-part2: build first (meson compile -C $builddir)" >&2; exit 1; }
done

if [ -z "${HEARTH_SCREENSHOTS_IN_XVFB:-}" ]; then
  export HEARTH_SCREENSHOTS_IN_XVFB=1
  exec "$root/tests/app/run-with-xvfb.sh" "$0" "$builddir"
fi

tmp=$(mktemp -d /tmp/hearth-shots2-XXXXXX)
app_pid=
cleanup () {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "screenshots-part2: failed at line $LINENO" >&2' ERR

export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export GSETTINGS_BACKEND=keyfile GDK_BACKEND=x11 NO_AT_BRIDGE=1 GTK_A11Y=none
export GSETTINGS_SCHEMA_DIR="$builddir/data"
unset DBUS_SESSION_BUS_ADDRESS HEARTH_COLLECTOR
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME/glib-2.0/settings" "$out"

settings () {
  # $1: view-orientation, $2: timeline-mode
  cat > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<EOF
[io/github/hearthprof/Hearth]
window-width=1280
window-height=800
view-orientation='$1'
timeline-mode='$2'
EOF
}

xdo () { xdotool "$@"; sleep 0.3; }
wait_window () { timeout 20 xdotool search --sync --onlyvisible --name "$1" | head -1; }
shot () { xdo mousemove 0 0; sleep 0.8; import -window "$win" "$out/$1"; echo "screenshots-part2: $out/$1"; }

session="$tmp/demo.profsession"
"$collector" record -r 199 -d 12 -o "$session" -- "$demo" --duration 12 --phase 3 >/dev/null 2>&1

open_session () {
  "$hearth" "$session" >/dev/null 2>&1 &
  app_pid=$!
  win=$(wait_window '\.profsession — Hearth$')
  xdo windowfocus --sync "$win"
  sleep 2.5
}

quit () {
  xdo key ctrl+q
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

# Range A over the first sleep-heavy phase (0.5–2.5 s of 12 s): from the
# timeline (Ctrl+L), Home, 4 steps right, then 17 with Shift.
brush_a () {
  xdo key ctrl+l
  xdo key Home
  xdo key --repeat 4 --delay 20 Right
  xdo key --repeat 17 --delay 20 shift+Right
}

# Range B over the CPU-heavy phase after it (3.5–5.5 s): Alt+Shift.
brush_b () {
  xdo key --repeat 8 --delay 20 Right
  xdo key --repeat 17 --delay 20 alt+shift+Right
}

# 1. The lanes with range A.
settings icicle lanes
open_session
brush_a
sleep 1.5
shot timeline-brush.png
quit

# 2. The heat map, same range (brushed on the lanes, then Ctrl+Shift+H).
settings icicle lanes
open_session
brush_a
xdo key ctrl+shift+h
sleep 1.5
shot heatmap.png
xdo key ctrl+shift+h
quit

# 3. The differential flame graph, then 4. side by side.
settings icicle lanes
open_session
brush_a
brush_b
sleep 2
shot diff.png
xdo key ctrl+shift+d
sleep 1.5
shot side-by-side.png
quit

# 5. The sunburst of range A.
settings sunburst lanes
open_session
brush_a
sleep 1.5
shot sunburst.png
quit
