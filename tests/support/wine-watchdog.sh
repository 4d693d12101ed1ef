#!/usr/bin/env bash
# Runs a Windows test program under Wine: the cross build's
# CMAKE_CROSSCOMPILING_EMULATOR (cmake/mingw-w64-x86_64.cmake).
#
# A suite still running after PIPESCOPE_WINE_TEST_LIMIT seconds (300 by
# default; the longest, tst_cli, takes 120 s on a busy machine) is taken
# for hung: every thread in the Wine prefix is backtraced by winedbg, then
# the suite is killed and fails with 124, as timeout(1) does. Wine's own frames are named, so
# a thread left waiting in a system call says which. Without this a hang
# was only CTest's time-out ten minutes later, with nothing to go on.
set -u
limit=${PIPESCOPE_WINE_TEST_LIMIT:-300}
program=$(basename "$1")

wine "$@" &
child=$!
sleep "$limit" </dev/null >/dev/null 2>&1 &
sleeper=$!
first=
status=0
wait -n -p first "$child" "$sleeper" || status=$?
if [[ $first != "$child" ]] && kill -0 "$child" 2>/dev/null; then
    # Every thread of every process in the prefix: the suite's, and those
    # of the programs it started or talks to.
    echo "wine-watchdog: $program still running after $limit s; the threads of the prefix:" >&2
    timeout 120 winedbg --command "bt all" >&2 2>&1
    kill -KILL "$child" 2>/dev/null
    wait "$child" 2>/dev/null
    status=124
fi
kill "$sleeper" 2>/dev/null
exit "$status"
