#!/usr/bin/env bash
# Builds the .deb from a build directory, checks it as Debian would
# (lintian, desktop-file-validate, appstreamcli), installs it on this
# machine, runs the installed program, removes it, and checks that
# nothing it installed is left.
#
#   scripts/test-deb.sh [BUILD_DIR [DEB]]
#
# BUILD_DIR is the Linux build (default: build); the .deb is made from it
# with CPack, or is DEB when given (the one scripts/release.sh made from
# that build).
#
# Where it installs: this machine, restored afterwards, rather than a
# debootstrap chroot. A chroot would download and unpack a Debian base and
# Qt's runtime (hundreds of MB, minutes) on every run, and would still
# share this kernel; what the test must show is that the package's files,
# dependencies and removal are right on a Debian 12 system, and this is
# one. It refuses to run where pipescope is already installed by any other
# means than this test, so that it never removes a user's copy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
fail() { echo "test-deb: $*" >&2; exit 1; }
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)

if dpkg-query -W -f='${Status}' pipescope 2>/dev/null | grep -q "install ok installed"; then
    fail "pipescope is already installed here (dpkg -s pipescope); this test installs and removes it: remove it first"
fi

deb=${2:-}
if [[ -z "$deb" ]]; then
    # Configure again, so the package's version is this commit's.
    cmake "$build" >/dev/null
    cmake --build "$build" -j2 --target pipescope pipescope_desktop_files pipescope_changelogs
    rm -rf "$build/packages"
    (cd "$build" && cpack -G DEB >/dev/null)
    deb=$(ls "$build"/packages/pipescope_*.deb)
fi
deb=$(realpath "$deb")
echo "== $deb"
dpkg-deb -f "$deb" Package Version Installed-Size Depends Recommends Suggests

# What Debian's checkers say: errors fail the test; warnings are shown.
lintian --tag-display-limit 0 "$deb" | tee "$build/lintian.txt"
if grep -q '^E:' "$build/lintian.txt"; then
    fail "lintian reports errors (above)"
fi
contents=$(mktemp -d)
trap 'rm -rf "$contents"' EXIT
dpkg-deb -x "$deb" "$contents"
desktop-file-validate "$contents/usr/share/applications/io.github.pipescope.PipeScope.desktop"
appstreamcli validate --no-net "$contents/usr/share/metainfo/io.github.pipescope.PipeScope.metainfo.xml"
for size in 16 24 32 48 64 128 256; do
    png="$contents/usr/share/icons/hicolor/${size}x${size}/apps/io.github.pipescope.PipeScope.png"
    [[ $(file -b "$png") == "PNG image data, $size x $size,"* ]] || fail "$png is not a ${size}x${size} PNG"
done
# Every command has its section in the man page.
man_text=$(MANWIDTH=100 man -l "$contents/usr/share/man/man1/pipescope.1.gz" 2>/dev/null)
for command in $("$build/app/pipescope" --help | sed -n 's/^  pipescope \([a-z][a-z]*\).*/\1/p'); do
    grep -q "^   pipescope $command\$" <<<"$man_text" || fail "the man page has no section for $command"
done

# Installed, with what it depends on, as a user would.
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y --no-install-recommends "$deb" >/dev/null
installed=$(dpkg -L pipescope)
restore() {
    if dpkg-query -W -f='${Status}' pipescope 2>/dev/null | grep -q "install ok installed"; then
        "${sudo[@]}" apt-get purge -y pipescope >/dev/null || true
    fi
}
trap 'restore; rm -rf "$contents"' EXIT

[[ $(command -v pipescope) == /usr/bin/pipescope ]] || fail "pipescope is not /usr/bin/pipescope once installed"
pipescope --version
version=$(pipescope --version)
[[ "$version" == "pipescope $(dpkg-query -W -f='${Version}' pipescope) (commit "* ]] ||
    fail "the installed program says \"$version\", not the package's version"
pipescope list >/dev/null
# A round trip through the installed program: a server answering "pong".
name=pipescope-deb-test-$$
pipescope serve "$name" --reply pong --count 1 >"$contents/serve.out" 2>&1 &
server=$!
for _ in $(seq 50); do
    pipescope list | grep -q "$name" && break
    sleep 0.1
done
reply=$(pipescope send "$name" ping --wait 5000)
wait "$server" || fail "serve failed: $(cat "$contents/serve.out")"
grep -q pong <<<"$reply" || fail "send got \"$reply\", not the server's pong"
QT_QPA_PLATFORM=offscreen pipescope --screenshot "$contents/shot.png" --size 800x600
[[ $(file -b "$contents/shot.png") == "PNG image data, 800 x 600,"* ]] || fail "--screenshot made no 800x600 PNG"
# Completion for the installed program: commands, options, choices.
completion=$(bash -c '
    source /usr/share/bash-completion/bash_completion
    source /usr/share/bash-completion/completions/pipescope
    complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                       _pipescope pipescope; echo "${COMPREPLY[*]}"; }
    complete_words pipescope se
    complete_words pipescope serve --ty
    complete_words pipescope serve x --type ""
    complete_words pipescope export a b --format p')
[[ "$completion" == $'serve send\n--type\nmessage byte\npcapng' ]] || fail "bash completion gave: $completion"

# Removed: nothing of it is left.
"${sudo[@]}" apt-get purge -y pipescope >/dev/null
dpkg-query -W -f='${Status}' pipescope 2>/dev/null | grep -q "install ok installed" && fail "pipescope is still installed"
left=()
while IFS= read -r path; do
    [[ -f "$path" || -L "$path" ]] && left+=("$path")
done <<<"$installed"
[[ ${#left[@]} -eq 0 ]] || fail "left behind after purge: ${left[*]}"
echo "test-deb: $(basename "$deb"): installed, ran, removed; $(grep -c . <<<"$installed") paths checked"
