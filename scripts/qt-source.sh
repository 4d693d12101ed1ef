#!/usr/bin/env bash
# Fetches Debian bookworm's source package qt6-base 6.4.2+dfsg-10 into DIR
# (created if missing) and prints, on the last line of standard output, the
# path of its upstream tarball, checked against its known sha256; the .dsc
# and Debian's changes are beside it. Progress goes to stderr.
#
# Through a private apt configuration: one deb-src entry, in DIR/apt, for
# the archive the system already uses for bookworm's main. The system's
# sources are read, never changed. A tarball already in DIR with the right
# checksum is not fetched again.
#
# Usage: scripts/qt-source.sh DIR
set -euo pipefail

qt_version=6.4.2
debian_version=6.4.2+dfsg-10
orig_sha256=4f14b89a9463a540fd84a6718b8519a2297119b454ef547721015a9e9019ae9e

say() { echo "qt-source: $*" >&2; }

[[ $# -eq 1 ]] || { say "usage: $0 DIR"; exit 2; }
work=$1
mkdir -p "$work"

apt_dir=$work/apt
mkdir -p "$apt_dir/sources" "$apt_dir/lists/partial"
if [[ ! -f "$apt_dir/sources/qt6-base.sources" ]]; then
    uri=$(awk '
        /^[[:space:]]*$/ { if (deb && main && uri != "") { print uri; exit } deb = main = 0; uri = "" }
        /^Types:/ && /[[:space:]]deb([[:space:]]|$)/ { deb = 1 }
        /^URIs:/ { uri = $2 }
        /^Suites:/ && /[[:space:]]bookworm([[:space:]]|$)/ { main = 1 }
        END { if (deb && main && uri != "") print uri }
    ' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    if [[ -z "$uri" && -f /etc/apt/sources.list ]]; then
        uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
    fi
    if [[ -z "$uri" ]]; then
        say "cannot find the system's apt source for bookworm in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
        exit 1
    fi
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' "$uri" "$keyring" \
        > "$apt_dir/sources/qt6-base.sources"
fi
apt_private=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt_dir/sources"
             -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::srcpkgcache=)
orig=$work/qt6-base_$qt_version+dfsg.orig.tar.xz
dsc=$work/qt6-base_$debian_version.dsc
if [[ ! -f "$orig" || ! -f "$dsc" ]] || ! echo "$orig_sha256  $orig" | sha256sum --check --status; then
    say "fetching the source package qt6-base=$debian_version"
    apt-get "${apt_private[@]}" -q update </dev/null >&2
    (cd "$work" && apt-get "${apt_private[@]}" -q source --download-only "qt6-base=$debian_version" </dev/null >&2)
fi
if ! echo "$orig_sha256  $orig" | sha256sum --check --status; then
    say "$orig does not have the sha256 $orig_sha256"
    exit 1
fi

echo "$orig"
