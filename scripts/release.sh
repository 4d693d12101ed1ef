#!/usr/bin/env bash
# Makes every artifact of a release, in one command, into one folder:
#
#   pipescope-VERSION.tar.xz                     the source (git archive)
#   pipescope_VERSION_amd64.deb                  Debian 12 package
#   pipescope-VERSION-windows-x64.zip            portable Windows folder
#   pipescope-VERSION-windows-x64-setup.exe      Windows installer
#   SHA256SUMS                                   their checksums
#
#   scripts/release.sh [--output DIR] [--linux-build DIR] [--windows-build DIR] [--allow-dirty]
#
# By default it configures and builds its own builds, as the test command
# builds (RelWithDebInfo, warnings as errors; the packages are stripped)
# but without tests or benchmarks (build-release/linux,
# build-release/windows), and writes to release/VERSION/. Given the build directories that the test
# command has built and tested (scripts/test.sh does this), it packs those:
# what is released is then exactly what was tested. A work tree with
# uncommitted changes is refused (its version would say -dirty and match no
# commit) unless --allow-dirty. Packages are checked by
# scripts/test-deb.sh and scripts/test-windows-packages.sh; this script
# makes them and checks only that each is there and its checksum holds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "release: $*" >&2; exit 1; }

output='' linux_build='' windows_build='' allow_dirty=''
while [[ $# -gt 0 ]]; do
    case "$1" in
    --output) output=$2; shift 2 ;;
    --linux-build) linux_build=$2; shift 2 ;;
    --windows-build) windows_build=$2; shift 2 ;;
    --allow-dirty) allow_dirty=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument \"$1\" (see --help)" ;;
    esac
done

# Before anything else: on a fresh machine even cmake and git are missing.
"$root/scripts/install-deps.sh" --release

if [[ -z "$allow_dirty" && -n $(git -C "$root" status --porcelain --untracked-files=no) ]]; then
    fail "the work tree has uncommitted changes; commit them, or pass --allow-dirty for a snapshot"
fi
version=$(cmake -DSOURCE_DIR="$root" -DPROJECT_VERSION="$(sed -n 's/^project(PipeScope VERSION \([0-9.]*\).*/\1/p' \
          "$root/CMakeLists.txt")" -DPRINT=ON -P "$root/cmake/PipeScopeVersion.cmake")
windows_version=${version/\~/-}
# At a release tag: the tag and the version in CMakeLists.txt agree, and
# the release is written down where users read about it.
if tag=$(git -C "$root" describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
    [[ "$tag" == "v$version" ]] ||
        fail "HEAD is tagged $tag, but CMakeLists.txt's project() says version ${version%%~*}: make them agree"
    grep -Eq "^## $version — [0-9]{4}-[0-9]{2}-[0-9]{2}\$" "$root/CHANGELOG.md" ||
        fail "CHANGELOG.md has no heading \"## $version — YYYY-MM-DD\" for this release"
    metainfo=$root/packaging/linux/io.github.pipescope.PipeScope.metainfo.xml
    grep -q "<release version=\"$version\" date=\"[0-9-]*\" type=\"stable\"" "$metainfo" ||
        fail "$(basename "$metainfo") has no <release version=\"$version\" date=… type=\"stable\"> entry"
fi
output=$(realpath -m "${output:-$root/release/$windows_version}")
echo "release: PipeScope $version ($(git -C "$root" rev-parse --short=12 HEAD)) into $output"
rm -rf "$output"
mkdir -p "$output"

# Linux: the .deb.
if [[ -z "$linux_build" ]]; then
    linux_build=$root/build-release/linux
    PIPESCOPE_BUILD_DIR=$linux_build "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON -DPIPESCOPE_BUILD_TESTS=OFF \
        -DPIPESCOPE_BUILD_BENCHMARKS=OFF
fi
cmake "$linux_build" >/dev/null
cmake --build "$linux_build" -j2
rm -rf "$linux_build/packages"
(cd "$linux_build" && cpack -G DEB >/dev/null)
cp "$linux_build"/packages/pipescope_*.deb "$output/"

# Windows: the zip and the installer, against Qt for mingw-w64.
if [[ -z "$windows_build" ]]; then
    windows_build=$root/build-release/windows
    qtwin=$("$root/scripts/qt-windows.sh" | tail -n 1)
    PIPESCOPE_BUILD_DIR=$windows_build "$root/scripts/build.sh" -DPIPESCOPE_WERROR=ON -DPIPESCOPE_BUILD_TESTS=OFF \
        -DPIPESCOPE_BUILD_BENCHMARKS=OFF -DPIPESCOPE_DEBUG_INFO=none \
        -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake" -DPIPESCOPE_QT_WIN_PREFIX="$qtwin"
fi
cmake "$windows_build" >/dev/null
cmake --build "$windows_build" -j2
rm -rf "$windows_build/packages"
(cd "$windows_build" && cpack -G ZIP >/dev/null && cpack -G NSIS >/dev/null)
cp "$windows_build"/packages/pipescope-*-windows-x64.zip "$windows_build"/packages/pipescope-*-windows-x64-setup.exe "$output/"

# The source, as git has it at this commit.
git -C "$root" archive --format=tar --prefix="pipescope-$windows_version/" HEAD | xz -9 >"$output/pipescope-$windows_version.tar.xz"

# Every artifact is there, of this version, once; then the checksums.
expected=("pipescope-$windows_version.tar.xz" "pipescope_${version}_amd64.deb"
          "pipescope-$windows_version-windows-x64.zip" "pipescope-$windows_version-windows-x64-setup.exe")
for artifact in "${expected[@]}"; do
    [[ -s "$output/$artifact" ]] || fail "$artifact was not made (the folder has: $(ls "$output" | tr '\n' ' '))"
done
[[ $(ls "$output" | wc -l) -eq ${#expected[@]} ]] || fail "unexpected files in $output: $(ls "$output" | tr '\n' ' ')"
(cd "$output" && sha256sum "${expected[@]}" >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo "release: $output"
(cd "$output" && ls -l "${expected[@]}" SHA256SUMS | awk '{printf "  %10d  %s\n", $5, $9}')
