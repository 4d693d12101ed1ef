#!/usr/bin/env bash
# Provides Qt 6.4.2 (qtbase: Core, Gui, Widgets, Network, Test; the windows
# and offscreen platform plugins; styles) for x86_64-w64-mingw32 and prints
# its prefix on the last line of standard output. Progress goes to stderr.
#
# Where the Qt comes from, first match wins:
#   1. $PIPESCOPE_QT_WIN_PREFIX: any Qt for mingw-w64, used as it is.
#   2. The cache, $PIPESCOPE_CACHE_DIR (default
#      ${XDG_CACHE_HOME:-$HOME/.cache}/pipescope)/qt-6.4.2-mingw-w64-x86_64,
#      once a previous run completed it.
#   3. A prebuilt tarball, qt-6.4.2-mingw-w64-x86_64.tar.xz with its
#      SHA256SUMS, in $PIPESCOPE_QT_WIN_TARBALL_DIR (default: the
#      qt-mingw folder of the shared/ directory beside the clone). Unpacked
#      into the cache only when its checksum matches.
#   4. Built from Debian bookworm's own source package qt6-base 6.4.2
#      (scripts/qt-source.sh), with Debian's mingw-w64 and Debian's host Qt
#      tools; installed into the cache. 25 to 45 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

qt_version=6.4.2
name=qt-$qt_version-mingw-w64-x86_64

say() { echo "qt-windows: $*" >&2; }

if [[ -n "${PIPESCOPE_QT_WIN_PREFIX:-}" ]]; then
    if [[ ! -f "$PIPESCOPE_QT_WIN_PREFIX/lib/cmake/Qt6/Qt6Config.cmake" ]]; then
        say "PIPESCOPE_QT_WIN_PREFIX=$PIPESCOPE_QT_WIN_PREFIX holds no Qt 6 (no lib/cmake/Qt6/Qt6Config.cmake)"
        exit 1
    fi
    echo "$PIPESCOPE_QT_WIN_PREFIX"
    exit 0
fi

cache=${PIPESCOPE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pipescope}
prefix=$cache/$name
# Written last, so a run that was interrupted is never taken for a Qt.
stamp=$prefix/.pipescope-complete
if [[ -f "$stamp" ]]; then
    echo "$prefix"
    exit 0
fi
mkdir -p "$cache"
# One provider at a time: parallel test runs share the cache.
exec 9>"$cache/$name.lock"
flock 9
if [[ -f "$stamp" ]]; then
    echo "$prefix"
    exit 0
fi
rm -rf "$prefix" "$prefix.partial"

tarballs=${PIPESCOPE_QT_WIN_TARBALL_DIR:-$root/../shared/qt-mingw}
tarball=$tarballs/$name.tar.xz
if [[ -f "$tarball" && -f "$tarballs/SHA256SUMS" ]]; then
    expected=$(awk -v f="$name.tar.xz" '$2 == f || $2 == "*" f { print $1 }' "$tarballs/SHA256SUMS")
    actual=$(sha256sum "$tarball" | cut -d' ' -f1)
    if [[ -n "$expected" && "$expected" == "$actual" ]]; then
        say "unpacking the prebuilt $tarball (sha256 $actual)"
        mkdir -p "$prefix.partial"
        # The tarball holds one folder, qt6-mingw/.
        tar -xJf "$tarball" -C "$prefix.partial" --strip-components=1
        echo "prebuilt $name.tar.xz sha256 $actual" > "$prefix.partial/.pipescope-complete"
        mv "$prefix.partial" "$prefix"
        echo "$prefix"
        exit 0
    fi
    say "ignoring $tarball: its sha256 is $actual, SHA256SUMS says '${expected:-nothing}'"
fi

say "no Qt for mingw-w64 in the cache and no prebuilt copy: building qtbase $qt_version from Debian's source"
say "(25 to 45 minutes on 2 cores; later runs reuse $prefix)"
"$root/scripts/install-deps.sh" --qt-windows-source

work=$cache/$name.build
mkdir -p "$work"

orig=$("$root/scripts/qt-source.sh" "$work" | tail -n 1)

src=$work/qtbase-everywhere-src-$qt_version
if [[ ! -f "$src/CMakeLists.txt" ]]; then
    say "unpacking $orig"
    rm -rf "$src"
    tar -xJf "$orig" -C "$work"
fi

# The toolchain file of the verified recipe (../shared/qt-mingw/README.md):
# the project's own (cmake/mingw-w64-x86_64.cmake) sets the same compilers
# but also runs programs through Wine, which Qt's build must not do.
cat > "$work/mingw-qt.cmake" <<'EOF'
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF

start=$(date +%s)
# What is off, and why: no OpenGL (INPUT_opengl=no and both dynamic-GL
# features off; with FEATURE_opengl=OFF alone the windows plugin fails to
# compile), no tablet events (Debian's source leaves out the wintab headers),
# and every third-party library bundled, since none exists for mingw here.
cmake -S "$src" -B "$work/build" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$work/mingw-qt.cmake" \
    -DQT_HOST_PATH=/usr -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/x86_64-linux-gnu/cmake \
    -DCMAKE_INSTALL_PREFIX="$prefix.partial" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
    -DQT_BUILD_EXAMPLES=OFF -DQT_BUILD_TESTS=OFF -DQT_BUILD_BENCHMARKS=OFF \
    -DQT_QMAKE_TARGET_MKSPEC=win32-g++ \
    -DINPUT_opengl=no -DFEATURE_opengl_dynamic=OFF -DFEATURE_dynamicgl=OFF \
    -DFEATURE_sql=OFF -DFEATURE_dbus=OFF -DFEATURE_opengl=OFF -DFEATURE_printsupport=OFF \
    -DFEATURE_concurrent=OFF -DFEATURE_xml=OFF -DFEATURE_tabletevent=OFF -DFEATURE_openssl=OFF \
    -DFEATURE_system_zlib=OFF -DFEATURE_system_pcre2=OFF -DFEATURE_system_png=OFF \
    -DFEATURE_system_jpeg=OFF -DFEATURE_system_harfbuzz=OFF -DFEATURE_system_freetype=OFF \
    -DFEATURE_system_doubleconversion=OFF -DFEATURE_system_libb2=OFF -DFEATURE_system_md4c=OFF \
    -DFEATURE_vulkan=OFF -DFEATURE_pkg_config=OFF >&2
cmake --build "$work/build" -j2 >&2
cmake --install "$work/build" >&2
echo "built from qt6-base $qt_version in $(( $(date +%s) - start )) s" > "$prefix.partial/.pipescope-complete"
mv "$prefix.partial" "$prefix"
rm -rf "$work/build" "$src"
say "Qt for mingw-w64 is in $prefix"
echo "$prefix"
