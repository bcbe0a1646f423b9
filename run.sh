#!/usr/bin/env bash
# Install what is missing, build, and run the main job:
#  - with a display: the Hearth app, profiling the bundled demo workload;
#  - without one: record the demo for a few seconds with hearth-collector,
#    print what the time went to, and export an SVG and a PNG flamegraph.
set -euo pipefail
cd "$(dirname "$0")"

./build-aux/install-deps.sh

builddir=${HEARTH_BUILDDIR:-build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dwerror=true --buildtype=debugoptimized
fi
meson compile -C "$builddir"

hearth="$builddir/src/app/hearth"
collector="$builddir/src/collector/hearth-collector"
demo="$builddir/demo/hearth-demo"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${HEARTH_HEADLESS:-}" ]; then
  exec "$hearth" --demo "$@"
fi

outdir=${HEARTH_OUT:-$PWD/hearth-output}
mkdir -p "$outdir"
session="$outdir/demo.profsession"
seconds=${HEARTH_SECONDS:-6}

echo "No display: recording the demo workload for ${seconds} s."
"$demo" --duration $((seconds + 4)) &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null || true' EXIT
sleep 0.5

"$collector" record --pid "$demo_pid" --duration "$seconds" -o "$session"

"$hearth" export "$session" --view icicle --width 1600 --height 900 -o "$outdir/demo.svg"
"$hearth" export "$session" --view icicle --width 1600 --height 900 -o "$outdir/demo.png"
"$hearth" export "$session" -o "$outdir/demo.folded"

echo
echo "Heaviest wall-clock stacks:"
sort -t' ' -k2 -n -r "$outdir/demo.folded" | head -3 | sed 's/^/  /'
echo
echo "Session: $session"
echo "SVG:     $outdir/demo.svg"
echo "PNG:     $outdir/demo.png"
