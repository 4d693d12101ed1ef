#!/usr/bin/env bash
# Installs what building and testing PipeScope needs on Debian 12, and only
# what is missing. Safe to run again; needs root or sudo for apt-get.
set -euo pipefail

packages=(
    build-essential cmake
    qt6-base-dev qt6-base-dev-tools libqt6test6 libgl-dev
    libqt6svg6  # the SVG icon engine: toolbar and window icons
    doctest-dev
    librsvg2-bin help2man  # the installed icons as PNG, the man page
)
# Building QtCore with ThreadSanitizer from Debian's source package: apt-get
# source and dpkg-source, and what debian/rules configures QtCore with; the
# private headers to check the build's configuration against.
qt_tsan_source=(build-essential cmake ninja-build xz-utils dpkg-dev debian-archive-keyring
                qt6-base-dev qt6-base-dev-tools qt6-base-private-dev libglib2.0-dev libicu-dev
                libpcre2-dev libdouble-conversion-dev zlib1g-dev libzstd-dev libb2-dev)
# The Windows packages (scripts/test-windows-packages.sh): CPack's zip and
# NSIS installer, and Wine drawing the installed app on a virtual display.
windows_packages=(nsis zip unzip file xvfb xauth wine wine64)
case "${1:-}" in
--tests)
    # The Windows app: cross-built with mingw-w64 against Qt for mingw-w64
    # (scripts/qt-windows.sh), tested under Wine (which windows_packages
    # brings); its icon packed as .ico; then packaged.
    packages+=(g++-mingw-w64-x86-64-posix ninja-build xz-utils icoutils)
    # Linking the test builds: lld (cmake/PipeScopeWarnings.cmake).
    packages+=(lld)
    packages+=("${windows_packages[@]}")
    # Its icons as PNG renditions of the SVGs; fonts for its offscreen tests.
    packages+=(fonts-dejavu-core)
    # The .deb checked as Debian checks packages, installed and removed.
    packages+=(lintian desktop-file-utils appstream bash-completion man-db)
    # The session loader's fuzzer: clang with libFuzzer and the sanitizers.
    packages+=(clang libclang-rt-14-dev)
    # pcapng exports read back as Wireshark reads them (files only; no
    # capture privileges are asked for).
    packages+=(tshark)
    # The ThreadSanitizer stage: QtCore from Debian's source (scripts/qt-tsan.sh).
    packages+=("${qt_tsan_source[@]}")
    ;;
--windows-packages)
    packages=("${windows_packages[@]}")
    ;;
--release)
    # scripts/release.sh: both builds and their packages, no tests.
    packages+=(g++-mingw-w64-x86-64-posix icoutils nsis zip xz-utils git)
    ;;
--screenshot-windows)
    # The Windows app drawn by Wine on a virtual X display.
    packages+=(xvfb xauth)
    ;;
--qt-tsan-source)
    packages=("${qt_tsan_source[@]}")
    ;;
--qt-windows-source)
    # Building Qt for mingw-w64 from Debian's source package: apt-get
    # source, the cross compiler, and the host Qt tools (moc, rcc, uic).
    packages=(build-essential cmake ninja-build xz-utils dpkg-dev debian-archive-keyring
              g++-mingw-w64-x86-64-posix qt6-base-dev qt6-base-dev-tools)
    ;;
esac

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q </dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
