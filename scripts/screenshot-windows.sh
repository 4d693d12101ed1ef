#!/usr/bin/env bash
# Renders the window running the sample as the Windows app draws it: the
# cross-built pipescope.exe under Wine, on Qt's real `windows` platform
# (the Windows style, GDI fonts, the PNG icons), on a virtual X display.
# Writes docs/images/pipescope-windows.png, or the FILE given; further
# arguments go to --screenshot (--size WxH, --theme light|dark).
# Needs the Windows build from scripts/test.sh (build-win/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/docs/images/pipescope-windows.png}")
shift $(($# > 0 ? 1 : 0))
winbuild=${PIPESCOPE_WIN_BUILD_DIR:-$root/build-win}
if [[ ! -f "$winbuild/pipescope.com" ]]; then
    echo "no Windows build in $winbuild: run scripts/test.sh first (or see README.md, Windows)" >&2
    exit 1
fi
"$root/scripts/install-deps.sh" --screenshot-windows

# The DLL path CTest runs the suites with (cmake/PipeScopeTesting.cmake).
# (awk reads to the end: `head` would leave grep a broken pipe, which
# pipefail makes this script's failure.)
winepath=$(grep -rho 'WINEPATH=[^"]*' "$winbuild/tests" | awk 'NR == 1' | sed 's/^WINEPATH=//; s/\\\\;/;/g')
export WINEPREFIX="$winbuild/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEPATH="$winepath"
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
    wineboot --init </dev/null >/dev/null 2>&1
    wineserver --wait
fi
# Wine passes no QT_* variable on, so the app picks its own platform:
# `windows`, drawing on the X display that Wine opens.
xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" \
    wine "$winbuild/pipescope.com" --screenshot "Z:$out" "$@" </dev/null
wineserver --wait
echo "$out"
