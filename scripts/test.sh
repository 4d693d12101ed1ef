#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs every test:
# the Linux build natively; the same suites built with AddressSanitizer and
# UndefinedBehaviorSanitizer, and with ThreadSanitizer against QtCore built
# with it (scripts/qt-tsan.sh); the session loader's libFuzzer target for a
# bounded time; then the whole Windows app cross-built with mingw-w64
# against Qt for Windows, and every suite run under Wine; last, a release's
# packages made from the Linux and Windows builds, installed, run, removed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# Each stage's time, said as it ends and again at the end.
stage_start=$SECONDS
stage_times=()
stage_done() {
    stage_times+=("$1 $((SECONDS - stage_start)) s")
    echo "== stage done: $1 in $((SECONDS - stage_start)) s"
    stage_start=$SECONDS
}
# The Windows stage's wineserver, stopped however the run ends.
stop_wineserver=false
on_exit() {
    if $stop_wineserver; then wineserver -k 2>/dev/null; fi
    if [[ ${#stage_times[@]} -gt 0 ]]; then printf "== stage times: %s\n" "$(IFS=,; echo "${stage_times[*]}")"; fi
}
trap on_exit EXIT

"$root/scripts/install-deps.sh" --tests
stage_done "packages"

build=${PIPESCOPE_BUILD_DIR:-$root/build}
"$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON
(cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600)
stage_done "linux"

# Memory and undefined-behaviour errors fail the run; leaks too.
sanitize="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
asanbuild=${PIPESCOPE_ASAN_BUILD_DIR:-$root/build-asan}
PIPESCOPE_BUILD_DIR=$asanbuild "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
    -DPIPESCOPE_BUILD_BENCHMARKS=OFF -DPIPESCOPE_DESKTOP_INTEGRATION=OFF -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_C_FLAGS="$sanitize" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize"
(cd "$asanbuild" && QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=1 \
    ctest --output-on-failure -j2 --timeout 600)
stage_done "sanitizers"

# Races: every suite built with ThreadSanitizer (gcc), run against QtCore
# built with it too (scripts/qt-tsan.sh), since TSan cannot see the hand-overs
# inside an uninstrumented Qt. Any report fails its suite (exit code 66);
# tests/tsan.supp names, with reasons, what the uninstrumented rest of Qt
# makes TSan misread. die_after_fork=0: the suites start programs
# (QProcess forks, then execs), which TSan otherwise refuses in a process
# with threads. history_size=7 (the most): a race's earlier access keeps its
# stack, which is what tests/tsan.supp matches, rather than "failed to
# restore the stack".
tsanbuild=${PIPESCOPE_TSAN_BUILD_DIR:-$root/build-tsan}
qttsan=$("$root/scripts/qt-tsan.sh" | tail -n 1)
tsan="-fsanitize=thread -fno-omit-frame-pointer"
PIPESCOPE_BUILD_DIR=$tsanbuild "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPIPESCOPE_BUILD_BENCHMARKS=OFF -DPIPESCOPE_DESKTOP_INTEGRATION=OFF -DCMAKE_CXX_FLAGS="$tsan" -DCMAKE_C_FLAGS="$tsan" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread"
(cd "$tsanbuild" && QT_QPA_PLATFORM=offscreen LD_LIBRARY_PATH="$qttsan" \
    TSAN_OPTIONS="exitcode=66 second_deadlock_stack=1 die_after_fork=0 history_size=7 suppressions=$root/tests/tsan.supp" \
    ctest --output-on-failure -j2 --timeout 900)
stage_done "thread-sanitizer"

# The session loader under libFuzzer (clang, ASan, UBSan), from the seed
# corpus, for a bounded time; any crash, hang or sanitizer report fails.
fuzzbuild=${PIPESCOPE_FUZZ_BUILD_DIR:-$root/build-fuzz}
fuzzflags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$fuzzbuild" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DPIPESCOPE_BUILD_FUZZERS=ON -DPIPESCOPE_BUILD_BENCHMARKS=OFF \
    -DPIPESCOPE_DESKTOP_INTEGRATION=OFF \
    -DCMAKE_CXX_FLAGS="$fuzzflags" -DCMAKE_C_FLAGS="$fuzzflags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$fuzzbuild" -j2 --target fuzz_session
mkdir -p "$fuzzbuild/corpus"
"$fuzzbuild/tests/fuzz/fuzz_session" -max_total_time="${PIPESCOPE_FUZZ_SECONDS:-30}" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$fuzzbuild/" \
    "$fuzzbuild/corpus" "$root/tests/fuzz/corpus"
stage_done "fuzzing"

# The Windows app: Qt for mingw-w64 (the cache, the prebuilt copy beside the
# clone, or built from Debian's source: scripts/qt-windows.sh), the whole
# project cross-built against it, and every suite run under Wine.
winbuild=${PIPESCOPE_WIN_BUILD_DIR:-$root/build-win}
qtwin=$("$root/scripts/qt-windows.sh" | tail -n 1)
stage_done "qt-for-windows"
# No debug information: nobody debugs these executables under Wine, and
# without it the cross build is faster and its objects smaller.
PIPESCOPE_BUILD_DIR=$winbuild "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON -DPIPESCOPE_DEBUG_INFO=none \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake" -DPIPESCOPE_QT_WIN_PREFIX="$qtwin"
# A private Wine prefix, created quietly on first use; no Mono or Gecko.
export WINEPREFIX="$winbuild/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [[ ! -f "$WINEPREFIX/system.reg" ]]; then
    echo "Creating the Wine prefix in $WINEPREFIX"
    wineboot --init </dev/null >/dev/null 2>&1
    wineserver --wait
fi
# One wineserver for the whole run, and the prefix's services (started by
# the first program) started here with no output: Wine's services inherit
# the standard output of the program whose start launched them, and CTest
# waits for a test's output to close, so whichever suite came first seemed
# to run until the last one ended (tst_endpoints: 175 s for 19 s of work),
# holding one of the two slots; and a wineserver that exits between suites
# is started again for each (about a second).
stop_wineserver=true
wineserver -p </dev/null >/dev/null 2>&1
wine cmd /c exit </dev/null >/dev/null 2>&1
# A suite that fails under Wine runs once more, and the stage passes only
# if it then passes (CTest prints both runs). Suites have hung under Wine
# with the GUI thread still turning in QEventDispatcherWin32 (the
# watchdog's backtraces: tst_endpointdialogs, tst_trafficview,
# tst_endpointcontrol, tst_mainwindow, each once in some dozens of runs,
# never twice in a row, never natively); until that is found, a second run
# tells such a hang from a failure of ours, and the first run's backtraces
# stay in the log.
(cd "$winbuild" && ctest --output-on-failure -j2 --timeout 600 --repeat until-pass:2)
wineserver -k
wineserver --wait
stop_wineserver=false
stage_done "windows"

# A release made from the two builds tested above (scripts/release.sh: the
# .deb, the Windows zip and installer, the source, checksums), then each
# package proven: the .deb installed here, run and removed; the Windows
# packages unpacked and installed under Wine in a fresh prefix, run and
# removed.
release=$root/build-release/test
"$root/scripts/release.sh" --linux-build "$build" --windows-build "$winbuild" --output "$release" --allow-dirty
stage_done "release"
"$root/scripts/test-deb.sh" "$build" "$release"/pipescope_*.deb
stage_done "package-linux"
"$root/scripts/test-windows-packages.sh" "$winbuild" "$release"
stage_done "package-windows"
