#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs every test:
# the Linux build natively; the same suites built with AddressSanitizer and
# UndefinedBehaviorSanitizer; then the Win32 backend cross-built with
# mingw-w64 and run under Wine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --tests

build=${PIPESCOPE_BUILD_DIR:-$root/build}
"$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON
(cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600)

# Memory and undefined-behaviour errors fail the run; leaks too.
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
asanbuild=${PIPESCOPE_ASAN_BUILD_DIR:-$root/build-asan}
PIPESCOPE_BUILD_DIR=$asanbuild "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
    -DPIPESCOPE_BUILD_BENCHMARKS=OFF -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_C_FLAGS="$sanitize" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize"
(cd "$asanbuild" && QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=1 \
    ctest --output-on-failure -j2 --timeout 600)

winbuild=${PIPESCOPE_WIN_BUILD_DIR:-$root/build-win}
PIPESCOPE_BUILD_DIR=$winbuild "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake"
# A private Wine prefix, created quietly on first use; no Mono or Gecko.
export WINEPREFIX="$winbuild/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
    echo "Creating the Wine prefix in $WINEPREFIX"
    wineboot --init </dev/null >/dev/null 2>&1
    wineserver --wait
fi
(cd "$winbuild" && ctest --output-on-failure -j2 --timeout 600)
