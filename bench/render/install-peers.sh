#!/usr/bin/env bash
# Install the peer renderer bench-render compares with: stackvis (npm),
# Joyent's port of flamegraph.pl, which reads folded ("collapsed") stacks.
# Installs under ${XDG_CACHE_HOME:-~/.cache}/hearth-bench and prints the
# path to pass as HEARTH_STACKVIS.
set -euo pipefail
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/hearth-bench"
mkdir -p "$prefix"
if [ ! -x "$prefix/node_modules/.bin/stackvis" ]; then
  npm install --prefix "$prefix" --no-audit --no-fund stackvis@0.5.0 >&2
fi
echo "$prefix/node_modules/.bin/stackvis"
