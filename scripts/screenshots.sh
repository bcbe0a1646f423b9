#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Regenerate screenshots/*.png from the real app, in a private Xvfb:
#   start-page.png      the start page
#   picker.png          the process picker, filtered to the demo's PID
#   live-icicle.png     a live recording of the demo (icicle)
#   flame-search.png    the recorded session as a flame graph, zoomed into
#                       the report thread, searching "retry"
#   functions-table.png the functions table, one function selected and
#                       highlighted in the graph
#
#   scripts/screenshots.sh [BUILDDIR]      (default: build)
#
# Needs Xvfb, xdotool and ImageMagick (import, convert). Drives the app with
# real input events, like tests/app/test-e2e.c.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
builddir=$(realpath "${1:-${HEARTH_BUILDDIR:-build}}")
hearth="$builddir/src/app/hearth"
demo="$builddir/demo/hearth-demo"
out="$root/screenshots"

for tool in Xvfb xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing" >&2; exit 1; }
done
[ -x "$hearth" ] && [ -x "$demo" ] || { echo "screenshots: build first (meson compile -C $builddir)" >&2; exit 1; }

# Re-run inside our own X server.
if [ -z "${HEARTH_SCREENSHOTS_IN_XVFB:-}" ]; then
  export HEARTH_SCREENSHOTS_IN_XVFB=1
  exec "$root/tests/app/run-with-xvfb.sh" "$0" "$builddir"
fi

tmp=$(mktemp -d /tmp/hearth-shots-XXXXXX)
pids=()
cleanup () {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "screenshots: failed at line $LINENO" >&2' ERR

export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export GSETTINGS_BACKEND=keyfile GDK_BACKEND=x11 NO_AT_BRIDGE=1 GTK_A11Y=none
export GSETTINGS_SCHEMA_DIR="$builddir/data"
unset DBUS_SESSION_BUS_ADDRESS HEARTH_COLLECTOR
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME/glib-2.0/settings" "$out"

settings () {
  # $1: view-orientation
  cat > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<EOF
[io/github/hearthprof/Hearth]
window-width=1280
window-height=800
view-orientation='$1'
EOF
}

xdo () { xdotool "$@"; sleep 0.25; }
wait_window () { timeout 20 xdotool search --sync --onlyvisible --name "$1" | head -1; }
shot_window () { import -window "$1" "$out/$2"; echo "screenshots: $out/$2"; }
shot_root () { import -window root "$out/$1"; echo "screenshots: $out/$1"; }

# y of the first (or last) row holding flame colours at x, from a capture.
graph_edge () {
  local file=$1 x=$2 from=$3 to=$4 step=$5 y
  for ((y = from; y != to; y += step)); do
    local rgb
    rgb=$(convert "$file" -format "%[fx:int(255*p{$x,$y}.r)] %[fx:int(255*p{$x,$y}.g)] %[fx:int(255*p{$x,$y}.b)]" info:)
    set -- $rgb
    if [ "$1" -gt 150 ] && [ "$3" -lt 110 ] && [ $(($1 - $3)) -gt 90 ]; then
      echo "$y"
      return 0
    fi
  done
  return 1
}

"$demo" --duration 120 >/dev/null &
pids+=($!)
demo_pid=$!

# 1. Start page, with one recent session listed.
settings icicle
"$hearth" >/dev/null 2>&1 &
pids+=($!)
app_pid=$!
win=$(wait_window '^Hearth$')
xdo windowfocus --sync "$win"
sleep 1
shot_window "$win" start-page.png

# 2. The picker, filtered to the demo.
xdo key ctrl+r
picker=$(wait_window '^Attach to Process$')
xdo windowfocus --sync "$picker"
sleep 1.5
xdo type --delay 40 "$demo_pid"
sleep 2
shot_root picker.png

# 3. Live icicle.
xdo key Return
sleep 7
xdo mousemove 0 799
shot_window "$win" live-icicle.png
xdo windowfocus --sync "$win"
xdo key ctrl+period
sleep 2
session=$(ls "$XDG_DATA_HOME"/hearth/sessions/*.profsession | head -1)
xdo key ctrl+q
wait "$app_pid" 2>/dev/null || true

# 4. Flame graph of the saved session, zoomed, with a search.
settings flame
"$hearth" "$session" >/dev/null 2>&1 &
pids+=($!)
app_pid=$!
win=$(wait_window '\.profsession — Hearth$')
xdo windowfocus --sync "$win"
eval "$(xdotool getwindowgeometry --shell "$win")"
for attempt in 1 2 3 4 5 6 7 8 9 10; do   # the session loads in the background
  sleep 1.5
  import -window "$win" "$tmp/flame.png"
  bottom=$(graph_edge "$tmp/flame.png" 30 $((HEIGHT - 40)) 100 -1) && break
done
# the report thread's column is the leftmost; its 5th frame is "main"
xdo mousemove $((X + 30)) $((Y + bottom - 20 * 4 - 10)) click 1
sleep 1
xdo key ctrl+f
xdo type --delay 30 "retry"
xdo key Return
sleep 1
xdo mousemove $((X + 300)) $((Y + bottom - 20 * 9 - 8))
sleep 1.5
shot_window "$win" flame-search.png

# 5. The functions table with a row selected and highlighted in the
# (icicle) graph. The table starts level with the
# graph's root row, which is found on a capture.
xdo key ctrl+q
wait "$app_pid" 2>/dev/null || true
settings icicle
"$hearth" "$session" >/dev/null 2>&1 &
pids+=($!)
app_pid=$!
win=$(wait_window '\.profsession — Hearth$')
xdo windowfocus --sync "$win"
eval "$(xdotool getwindowgeometry --shell "$win")"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  sleep 1.5
  import -window "$win" "$tmp/icicle.png"
  top=$(graph_edge "$tmp/icicle.png" 30 60 $((HEIGHT - 40)) 1) && break
done
# the 4th row (by total: clone3, start_thread, clock_nanosleep, nanosleep):
# nanosleep, called from two threads, lights up in both columns
xdo mousemove $((X + WIDTH / 2 + 100)) $((Y + top + 24 + 32 * 3 + 16)) click 1
sleep 1
xdo mousemove $((X + WIDTH - 300)) $((Y + HEIGHT - 5))
sleep 0.5
shot_window "$win" functions-table.png
xdo key ctrl+q
wait "$app_pid" 2>/dev/null || true

# 6. Part 2: timeline, heat map, diff, side by side, sunburst.
"$root/scripts/screenshots-part2.sh" "$builddir"
