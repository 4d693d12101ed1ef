#!/usr/bin/env bash
# Builds the Windows packages (the portable zip and the NSIS installer) from
# the Windows build with CPack, and proves them under Wine, in a fresh Wine
# prefix with no Qt and no compiler runtime on any path:
#
# - the zip holds the programs, the Qt plugins they load by name, and the
#   DLLs they import: every DLL any file of it imports is in it or is
#   Windows' own, and every DLL in it is imported by one of them. Unpacked,
#   the programs run from it: --version, a serve/send round trip, and
#   --screenshot drawn by Qt's real `windows` platform on a virtual display;
# - the installer, silent (/S), for all users: the same files plus the
#   uninstaller, a Start menu shortcut, the Apps & features entry, the
#   .pipescope session type opening in the installed program; the
#   installed programs run as above; installed again over itself (the old
#   copy is removed first); while it runs, the uninstaller and the
#   installer refuse and change nothing; the silent uninstaller leaves
#   nothing;
# - for the current user only, with /AddToPath: installed under
#   %LOCALAPPDATA%\Programs, the user's PATH gains the folder and keeps
#   what it had, `pipescope` typed in cmd.exe runs the console companion;
#   the uninstaller, run with no option, finds its mode and puts PATH back;
# - a PATH longer than the installer can hold is left as it was (this
#   install into a folder given with /D=).
#
#   scripts/test-windows-packages.sh [BUILD_DIR [PACKAGE_DIR]]
#
# BUILD_DIR is the Windows build (default: build-win); the packages are
# made from it with CPack, or taken from PACKAGE_DIR when given (the
# release folder that scripts/release.sh made from that build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build-win}" && pwd)
fail() { echo "test-windows-packages: $*" >&2; exit 1; }
"$root/scripts/install-deps.sh" --windows-packages

packages=${2:-}
if [[ -z "$packages" ]]; then
    # Configure again, so the packages' version is this commit's.
    cmake "$build" >/dev/null
    cmake --build "$build" -j2 --target pipescope pipescope_console
    rm -rf "$build/packages"
    (cd "$build" && cpack -G ZIP >/dev/null && cpack -G NSIS >/dev/null)
    packages=$build/packages
fi
zip=$(ls "$packages"/pipescope-*-windows-x64.zip)
setup=$(ls "$packages"/pipescope-*-windows-x64-setup.exe)
version=$(sed -n 's/^#define PIPESCOPE_VERSION "\(.*\)"$/\1/p' "$build/app/version/pipescope_version.h")
for package in "$zip" "$setup"; do
    echo "== $(basename "$package"): $(stat -c %s "$package") bytes"
done
[[ $(file -b "$setup") == "PE32+ executable (GUI) x86-64"* ]] || fail "the installer is not a 64-bit Windows program"

work=$(mktemp -d)
# A fresh prefix; no Mono or Gecko; no Linux menu entries for the
# shortcuts (winemenubuilder would write them into this user's home).
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset WINEPATH
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
wineboot --init </dev/null >/dev/null 2>&1
wineserver --wait
system32="$WINEPREFIX/drive_c/windows/system32"

# A registry value as `reg query` prints it, without the name and type.
reg_value() {
    wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | sed -n "s/^    $2    REG_[A-Z_]*    //p"
}
reg_has_key() { wine reg query "$1" >/dev/null 2>&1; }
reg_default() { wine reg query "$1" /ve 2>/dev/null | tr -d '\r' | sed -n 's/^    (Default)    REG_[A-Z_]*    //p'; }

# The .pipescope session type, registered under ROOT for the folder DIR.
check_sessions_open_in() {
    local root=$1 dir=$2 what=$3
    [[ $(reg_default "$root\\Software\\Classes\\.pipescope") == PipeScope.Session ]] ||
        fail "$what: .pipescope files are not PipeScope sessions"
    [[ $(reg_default "$root\\Software\\Classes\\PipeScope.Session\\shell\\open\\command") == "\"$dir\\pipescope.exe\" \"%1\"" ]] ||
        fail "$what: sessions do not open with $dir\\pipescope.exe"
}
uninstall_key='Software\Microsoft\Windows\CurrentVersion\Uninstall\PipeScope'

# Every DLL a file imports, as named in its import table (case kept).
imports() { x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/^\tDLL Name: //p'; }

# The folder holds the two programs, the two plugins, and DLLs; each DLL
# any file imports is in the folder or in Wine's system32 (Windows' own);
# each DLL in the folder is imported by some file in it.
check_folder() {
    local dir=$1 file dll
    local -A present=() imported=()
    [[ -f "$dir/pipescope.exe" && -f "$dir/pipescope.com" ]] || fail "$dir: no pipescope.exe and pipescope.com"
    while IFS= read -r file; do
        present[${file,,}]=1
    done < <(cd "$dir" && find . -type f -printf '%P\n')
    local plugins
    plugins=$(cd "$dir" && find . -mindepth 2 -type f -printf '%P\n' | sort | tr '\n' ' ')
    [[ "$plugins" == "platforms/qwindows.dll styles/qwindowsvistastyle.dll " ]] ||
        fail "$dir: plugins are \"$plugins\", not the platform and style plugins"
    while IFS= read -r file; do
        [[ "$file" == *.dll || "$file" == *.exe || "$file" == *.com ]] || fail "$dir: $file is not a program or DLL"
        while IFS= read -r dll; do
            imported[${dll,,}]=1
            [[ -n "${present[${dll,,}]:-}" ]] && continue
            # API sets (api-ms-win-…) are names the Windows loader maps to
            # its own DLLs; they are no files.
            [[ "${dll,,}" == api-ms-win-* || "${dll,,}" == ext-ms-* ]] && continue
            [[ -n $(find "$system32" -maxdepth 1 -iname "$dll" -print -quit) ]] ||
                fail "$dir: $file imports $dll, which is neither in the folder nor Windows' own"
        done < <(imports "$dir/$file")
    done < <(cd "$dir" && find . -type f -printf '%P\n' | grep -v '^Uninstall\.exe$')
    for file in "${!present[@]}"; do
        [[ "$file" == */* || "$file" != *.dll || -n "${imported[$file]:-}" ]] && continue
        fail "$dir: $file is shipped, but nothing imports it"
    done
}

# The programs in a folder run: the version, a round trip through a server
# answering "pong", and a screenshot on Qt's windows platform (Wine draws
# on a virtual X display).
check_runs() {
    local dir=$1 name=pipescope-package-test-$$-$2 reply said
    said=$(wine "$dir/pipescope.com" --version | tr -d '\r')
    [[ "$said" == "pipescope $version (commit "* ]] || fail "$dir: --version says \"$said\", not version $version"
    wine "$dir/pipescope.com" serve "$name" --reply pong --count 1 >"$work/serve.out" 2>"$work/serve.err" </dev/null &
    local server=$!
    for _ in $(seq 300); do
        grep -q "listening on" "$work/serve.err" && break
        sleep 0.1
    done
    grep -q "listening on" "$work/serve.err" || fail "$dir: serve did not start: $(cat "$work/serve.err")"
    reply=$(wine "$dir/pipescope.com" send "$name" ping </dev/null | tr -d '\r')
    wait "$server" || fail "$dir: serve failed: $(cat "$work/serve.err")"
    grep -q pong <<<"$reply" || fail "$dir: send got \"$reply\", not the server's pong"
    rm -f "$work/shot.png"
    # (Wine's processes gone before the display is.)
    xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24" \
        sh -c 'wine "$1" --screenshot "Z:$2" --size 800x600 >/dev/null && wineserver --wait' \
        - "$dir/pipescope.exe" "$work/shot.png" </dev/null
    [[ $(file -b "$work/shot.png") == "PNG image data, 800 x 600,"* ]] || fail "$dir: --screenshot made no 800x600 PNG"
    cp "$work/shot.png" "$build/package-test-$2.png"
    echo "$dir: --version, serve/send, --screenshot: ok"
}

# Uninstalls the copy in DIR silently, and checks that its folder, its
# Start menu shortcut MENU and its Apps & features entry under ROOT are gone.
uninstall() {
    local dir=$1 menu=$2 root=$3 what=$4
    wine "$dir/Uninstall.exe" /S </dev/null
    wineserver --wait
    [[ ! -e "$dir" ]] || fail "$what: the uninstaller left $(cd "$dir" && find . | tr '\n' ' ')"
    [[ ! -e "$menu" ]] || fail "$what: the uninstaller left the Start menu shortcut"
    if reg_has_key "$root\\$uninstall_key"; then
        fail "$what: the uninstaller left the Apps & features entry"
    fi
    if reg_has_key "$root\\Software\\Classes\\.pipescope" || reg_has_key "$root\\Software\\Classes\\PipeScope.Session"; then
        fail "$what: the uninstaller left the .pipescope session type"
    fi
}

# --- The zip -------------------------------------------------------------
unzip -q "$zip" -d "$work/zip"
unpacked="$work/zip/$(basename "$zip" .zip)"
[[ -d "$unpacked" && $(ls "$work/zip" | wc -l) -eq 1 ]] || fail "the zip does not unpack to one folder $(basename "$zip" .zip)"
check_folder "$unpacked"
check_runs "$unpacked" zip
zip_files=$(cd "$unpacked" && find . -type f -printf '%P\n' | sort)
echo "zip: $(wc -l <<<"$zip_files") files, every import in it or Windows' own"

# --- The installer, for all users, installed twice, then removed ---------
machine_dir="$WINEPREFIX/drive_c/Program Files/PipeScope"
machine_menu="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/PipeScope.lnk"
machine_path_before=$(reg_value 'HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' Path)
for round in 1 2; do
    wine "$setup" /S </dev/null
    wineserver --wait
    [[ -d "$machine_dir" ]] || fail "install $round: nothing in C:\\Program Files\\PipeScope"
    installed=$(cd "$machine_dir" && find . -type f -printf '%P\n' | sort)
    [[ "$installed" == "$(printf '%s\nUninstall.exe' "$zip_files" | sort)" ]] ||
        fail "install $round: installed files differ from the zip's: $(diff <(echo "$zip_files") <(echo "$installed"))"
    [[ -f "$machine_menu" ]] || fail "install $round: no Start menu shortcut"
    [[ $(reg_value "HKLM\\$uninstall_key" DisplayVersion) == "${version/\~/-}" ]] ||
        fail "install $round: Apps & features has no PipeScope ${version/\~/-} for all users"
    [[ $(reg_value "HKLM\\$uninstall_key" QuietUninstallString) == *'Uninstall.exe" /S /AllUsers' ]] ||
        fail "install $round: no quiet uninstall command"
    check_sessions_open_in HKLM 'C:\Program Files\PipeScope' "install $round"
done
check_folder "$machine_dir"
check_runs "$machine_dir" machine
# While it runs from its folder, the uninstaller and the installer refuse
# (exit code 2) and change nothing. The uninstaller runs in place (_?=),
# so that its exit code is its own; NSIS reads _?= only unquoted, so the
# folder is given by its short name, which has no space.
wine "$machine_dir/pipescope.com" serve pipescope-package-busy-$$ --count 1 >/dev/null 2>"$work/busy.err" </dev/null &
busy=$!
for _ in $(seq 300); do
    grep -q "listening on" "$work/busy.err" && break
    sleep 0.1
done
set +e
wine "$machine_dir/Uninstall.exe" /S "_?=$(winepath -s 'C:\Program Files\PipeScope' | tr -d '\r')" </dev/null
uninstall_status=$?
wine "$setup" /S </dev/null
install_status=$?
set -e
[[ $uninstall_status -eq 2 && $install_status -eq 2 ]] ||
    fail "with PipeScope running, the uninstaller exited $uninstall_status and the installer $install_status, not 2"
[[ $(cd "$machine_dir" && find . -type f -printf '%P\n' | sort) == "$installed" ]] ||
    fail "the uninstaller or installer changed the folder while PipeScope ran from it"
reg_has_key "HKLM\\$uninstall_key" || fail "the uninstaller removed the Apps & features entry while PipeScope ran"
wine "$machine_dir/pipescope.com" send pipescope-package-busy-$$ done --no-reply >/dev/null </dev/null
wait "$busy" || fail "the server running during the refused uninstall failed: $(cat "$work/busy.err")"
uninstall "$machine_dir" "$machine_menu" HKLM "all users"
[[ $(reg_value 'HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' Path) == "$machine_path_before" ]] ||
    fail "install and uninstall for all users changed the machine's PATH"
echo "installer, all users: installed twice, ran, removed"

# --- For the current user, with the PATH entry ---------------------------
user_path='C:\tools;%USERPROFILE%\bin'
wine reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d "$user_path" /f >/dev/null
wine "$setup" /S /CurrentUser /AddToPath </dev/null
wineserver --wait
local_app_data=$(wine cmd /c 'echo %LOCALAPPDATA%' </dev/null | tr -d '\r')
user_dir=$(winepath -u "$local_app_data\\Programs\\PipeScope" 2>/dev/null)
user_menu=$(winepath -u "$(wine cmd /c 'echo %APPDATA%' </dev/null | tr -d '\r')\\Microsoft\\Windows\\Start Menu\\Programs\\PipeScope.lnk" 2>/dev/null)
[[ -f "$user_dir/pipescope.exe" ]] || fail "per-user install: nothing in $local_app_data\\Programs\\PipeScope"
[[ ! -e "$machine_dir" ]] || fail "per-user install wrote to C:\\Program Files"
[[ -f "$user_menu" ]] || fail "per-user install: no Start menu shortcut in the user's menu"
reg_has_key "HKLM\\$uninstall_key" && fail "per-user install wrote the machine's Apps & features entry"
[[ $(reg_value "HKCU\\$uninstall_key" InstallLocation) == "$local_app_data\\Programs\\PipeScope" ]] ||
    fail "per-user install: no Apps & features entry for the user"
check_sessions_open_in HKCU "$local_app_data\\Programs\\PipeScope" "per-user install"
if reg_has_key 'HKLM\Software\Classes\PipeScope.Session'; then
    fail "per-user install registered the session type for all users"
fi
[[ $(reg_value 'HKCU\Environment' Path) == "$user_path;$local_app_data\\Programs\\PipeScope" ]] ||
    fail "per-user install with /AddToPath: PATH is \"$(reg_value 'HKCU\Environment' Path)\""
# A console finds the console companion by name (.COM before .EXE).
said=$(wine cmd /c 'pipescope --version' </dev/null | tr -d '\r')
[[ "$said" == "pipescope $version (commit "* ]] || fail "\"pipescope --version\" typed in cmd.exe said \"$said\""
check_folder "$user_dir"
uninstall "$user_dir" "$user_menu" HKCU "current user"
[[ $(reg_value 'HKCU\Environment' Path) == "$user_path" ]] ||
    fail "per-user uninstall left PATH as \"$(reg_value 'HKCU\Environment' Path)\", not \"$user_path\""
echo "installer, current user: installed, on PATH, removed, PATH as before"

# --- A PATH longer than the installer's strings --------------------------
long_path=$(printf 'C:\\tools\\long-path-entry-%04d;' $(seq 60))
long_path=${long_path%;}
wine reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d "$long_path" /f >/dev/null
# (Into a folder of its own, given with /D=, which comes last.)
wine "$setup" /S /CurrentUser /AddToPath '/D=C:\PipeScopeElsewhere' </dev/null
wineserver --wait
elsewhere="$WINEPREFIX/drive_c/PipeScopeElsewhere"
[[ -f "$elsewhere/pipescope.exe" ]] || fail "with a long PATH and /D=C:\\PipeScopeElsewhere, nothing was installed there"
[[ ! -e "$user_dir" ]] || fail "with /D=, the per-user folder was written all the same"
[[ $(reg_value "HKCU\\$uninstall_key" InstallLocation) == 'C:\PipeScopeElsewhere' ]] ||
    fail "with /D=, Apps & features does not name C:\\PipeScopeElsewhere"
[[ $(reg_value 'HKCU\Environment' Path) == "$long_path" ]] || fail "a PATH of ${#long_path} characters was changed"
uninstall "$elsewhere" "$user_menu" HKCU "long PATH"
[[ $(reg_value 'HKCU\Environment' Path) == "$long_path" ]] || fail "the uninstaller changed a PATH of ${#long_path} characters"
echo "installer: a PATH of ${#long_path} characters left as it was"
echo "test-windows-packages: $(basename "$zip") and $(basename "$setup"): installed, ran, removed"
