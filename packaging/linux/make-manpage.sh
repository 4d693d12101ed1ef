#!/usr/bin/env bash
# Writes pipescope(1), compressed, from the program's own help: the
# window's options (help2man), then every command's usage and options, so
# the page covers what the program accepts and cannot fall behind it.
#   make-manpage.sh PROGRAM OUTPUT.1.gz
set -euo pipefail
program=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
output=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Run as `pipescope`, so that its usage lines name it so.
mkdir "$work/bin"
ln -s "$program" "$work/bin/pipescope"
export PATH="$work/bin:$PATH" QT_QPA_PLATFORM=offscreen

# roff: backslashes escaped, lines starting with a dot or quote kept as text.
roff() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

commands=$(pipescope --help | sed -n 's/^  pipescope \([a-z][a-z]*\) .*/\1/p; s/^  pipescope \([a-z][a-z]*\)$/\1/p')
[[ -n "$commands" ]] || { echo "make-manpage.sh: no commands in pipescope --help" >&2; exit 1; }
{
    echo "[COMMANDS]"
    echo "Each command runs without the window and without a display."
    for command in $commands; do
        echo ".SS \"pipescope $command\""
        echo ".nf"
        pipescope "$command" --help | grep -v -e '^ *--help-all' -e '^ *-h, --help' | roff
        echo ".fi"
    done
    echo "[FILES]"
    echo ".TP"
    echo ".I ~/.config/PipeScope/PipeScope.conf"
    echo "The window's settings."
    echo ".TP"
    echo ".I ~/.local/share/PipeScope/"
    echo "The window's journals: what it captured, kept as it happens, offered again after a crash."
    echo ".TP"
    echo ".I *.pipescope"
    echo "Session files: JSON lines, described in docs/session-format.md."
    echo "[ENVIRONMENT]"
    echo ".TP"
    echo ".B PIPESCOPE_PROFILE_DIR"
    echo "A directory to keep the window's settings and journals in, instead of the two above."
    echo "[SEE ALSO]"
    echo ".BR wireshark (1),"
    echo ".BR tshark (1),"
    echo ".BR socat (1)"
} > "$work/include"
help2man --no-info --no-discard-stderr --section 1 --name "inspect named pipes and Unix domain sockets" \
    --include "$work/include" --output "$work/pipescope.1" pipescope
gzip -9n < "$work/pipescope.1" > "$output"
