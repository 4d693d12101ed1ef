#!/usr/bin/env bash
# Installs what is missing, builds, and launches the PipeScope window.
# Extra arguments go to pipescope (e.g. scripts/run.sh serve NAME).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
app=${PIPESCOPE_BUILD_DIR:-$root/build}/app/pipescope
if [[ $# -eq 0 && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    echo "Built $app, but no display is available (DISPLAY and WAYLAND_DISPLAY are unset)." >&2
    echo "Headless use: $app serve NAME ...   $app send NAME MESSAGE..." >&2
    exit 1
fi
exec "$app" "$@"
