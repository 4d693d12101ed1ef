#!/usr/bin/env bash
# Provides QtCore 6.4.2 built with ThreadSanitizer, a drop-in for Debian's
# libQt6Core.so.6, and prints the directory that holds it on the last line
# of standard output (put it first in LD_LIBRARY_PATH). Progress goes to
# stderr.
#
# Why: Qt's threads meet in QtCore (QMutex on futexes, QWaitCondition,
# QThread, posted events, atomics). Uninstrumented, TSan sees none of that
# and reports every hand-over between PipeScope's threads as a race (843
# reports in the core and ui suites). Instrumented, with the annotations Qt
# carries for it (qtsan_impl.h), TSan sees exactly what Qt synchronises.
# Only QtCore is rebuilt: Gui, Widgets, Network and Test stay Debian's, and
# tests/tsan.supp names what that leaves TSan blind to, each with its reason.
#
# It must be the same library as Debian's, or Debian's QtGui would call into
# something else: built from Debian's own source package of the installed
# version (patches applied), configured as debian/rules configures it, and
# refused unless its configuration headers equal the installed ones.
#
# Where it comes from, first match wins:
#   1. $PIPESCOPE_QT_TSAN_DIR: a directory holding such a libQt6Core.so.6.
#   2. The cache, $PIPESCOPE_CACHE_DIR (default
#      ${XDG_CACHE_HOME:-$HOME/.cache}/pipescope)/qt-6.4.2-tsan-core, once a
#      previous run completed it.
#   3. Built: about 5 minutes on 2 cores (316 steps).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

qt_version=6.4.2
debian_version=6.4.2+dfsg-10
name=qt-$qt_version-tsan-core
multiarch=x86_64-linux-gnu

say() { echo "qt-tsan: $*" >&2; }

if [[ -n "${PIPESCOPE_QT_TSAN_DIR:-}" ]]; then
    if [[ ! -f "$PIPESCOPE_QT_TSAN_DIR/libQt6Core.so.6" ]]; then
        say "PIPESCOPE_QT_TSAN_DIR=$PIPESCOPE_QT_TSAN_DIR holds no libQt6Core.so.6"
        exit 1
    fi
    echo "$PIPESCOPE_QT_TSAN_DIR"
    exit 0
fi

installed=$(dpkg-query -W -f='${Version}' "libqt6core6:amd64" 2>/dev/null || true)
if [[ "$installed" != "$debian_version" ]]; then
    say "Debian's QtCore here is '${installed:-not installed}'; this builds a drop-in for $debian_version only"
    exit 1
fi

cache=${PIPESCOPE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pipescope}
prefix=$cache/$name
stamp=$prefix/.pipescope-complete
if [[ -f "$stamp" ]]; then
    echo "$prefix/lib"
    exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/$name.lock"
flock 9
if [[ -f "$stamp" ]]; then
    echo "$prefix/lib"
    exit 0
fi
rm -rf "$prefix" "$prefix.partial"

"$root/scripts/install-deps.sh" --qt-tsan-source
work=$cache/$name.build
orig=$("$root/scripts/qt-source.sh" "$work" | tail -n 1)
src=$work/qtbase
if [[ ! -f "$src/debian/rules" ]]; then
    say "unpacking $(basename "$orig") with Debian's patches"
    rm -rf "$src"
    # The checksums in the .dsc are checked; its signature cannot be here
    # (no keyring of Debian's developers), which dpkg-source says and skips.
    (cd "$work" && dpkg-source -x "qt6-base_$debian_version.dsc" qtbase >&2)
fi

start=$(date +%s)
# debian/rules's configuration where it touches QtCore; SQL is off because
# the dfsg source has no bundled SQLite and only QtCore is built anyway.
cmake -S "$src" -B "$work/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-g1 -DCMAKE_CXX_FLAGS=-g1 \
    -DCMAKE_INSTALL_PREFIX=/usr -DINSTALL_BINDIR=lib/qt6/bin -DINSTALL_LIBDIR=lib/$multiarch \
    -DINSTALL_LIBEXECDIR=lib/qt6/libexec -DINSTALL_ARCHDATADIR=lib/$multiarch/qt6 \
    -DINSTALL_DATADIR=share/qt6 -DINSTALL_HOSTDATADIR=lib/$multiarch/qt6 -DINSTALL_DOCDIR=share/qt6/doc \
    -DINSTALL_SYSCONFDIR=/etc/xdg -DINSTALL_INCLUDEDIR=include/$multiarch/qt6 \
    -DINSTALL_PLUGINDIR=lib/$multiarch/qt6/plugins -DINSTALL_TRANSLATIONDIR=share/qt6/translations \
    -DINSTALL_MKSPECSDIR=lib/$multiarch/qt6/mkspecs -DINSTALL_PUBLICBINDIR=bin \
    -DQT_BUILD_EXAMPLES=OFF -DQT_BUILD_TESTS=OFF \
    -DFEATURE_mimetype_database=OFF -DFEATURE_doubleconversion=ON -DFEATURE_glib=ON -DFEATURE_icu=ON \
    -DFEATURE_pcre2=ON -DFEATURE_system_pcre2=ON -DFEATURE_zlib=ON -DFEATURE_system_libb2=ON \
    -DFEATURE_rpath=OFF -DFEATURE_relocatable=OFF -DFEATURE_sql=OFF \
    -DFEATURE_sanitize_thread=ON \
    -DQT_HOST_PATH=/usr -DQT_HOST_PATH_CMAKE_DIR=/usr/lib/$multiarch/cmake >&2

# The same configuration as Debian's, or no library.
headers=/usr/include/$multiarch/qt6/QtCore
for header in qconfig.h qtcore-config.h "$qt_version/QtCore/private/qtcore-config_p.h"; do
    built=$(find "$work/build/src/corelib" -name "$(basename "$header")" | head -n 1)
    if [[ -z "$built" ]] || ! diff -u "$headers/$header" "$built" >&2; then
        say "the configuration differs from Debian's in $(basename "$header") (above): not a drop-in"
        exit 1
    fi
done

cmake --build "$work/build" -j2 --target Core >&2
mkdir -p "$prefix.partial/lib"
cp -P "$work/build/lib/$multiarch"/libQt6Core.so.6* "$prefix.partial/lib/"
echo "built from qt6-base $debian_version in $(( $(date +%s) - start )) s" > "$prefix.partial/.pipescope-complete"
mv "$prefix.partial" "$prefix"
rm -rf "$work/build" "$src"
say "QtCore with ThreadSanitizer is in $prefix/lib"
echo "$prefix/lib"
