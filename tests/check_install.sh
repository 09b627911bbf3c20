#!/bin/sh
# Installs a build into a fresh folder as a user would (cmake --install BUILD --prefix DIR) and
# checks what makes it a desktop application: a valid menu entry whose Exec and Icon name the
# installed program and icon, and programs that run from there.
# Usage: check_install.sh CMAKE BUILD_DIR
set -eu
cmake=$1
build=$2
prefix=$(mktemp -d "${TMPDIR:-/tmp}/parafrac-install-test.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
fail() {
  echo "check_install: $*" >&2
  exit 1
}

"$cmake" --install "$build" --prefix "$prefix" >/dev/null
entry=$prefix/share/applications/parafrac.desktop
icon=$prefix/share/icons/hicolor/256x256/apps/parafrac.png
[ -f "$entry" ] || fail "no menu entry $entry"
[ -f "$icon" ] || fail "no icon $icon"
desktop-file-validate "$entry" || fail "desktop-file-validate refuses $entry"

exec_line=$(sed -n 's/^Exec=//p' "$entry")
program=${exec_line%% *}
[ "$program" = "$prefix/bin/parafrac" ] || fail "Exec runs '$program', not the installed $prefix/bin/parafrac"
icon_name=$(sed -n 's/^Icon=//p' "$entry")
[ "$prefix/share/icons/hicolor/256x256/apps/$icon_name.png" = "$icon" ] ||
  fail "Icon=$icon_name does not name the installed icon"
# A 256x256 PNG: the signature, then the IHDR chunk's width and height.
header=$(od -An -tx1 -N24 "$icon" | tr -d ' \n')
[ "$header" = 89504e470d0a1a0a0000000d494844520000010000000100 ] || fail "$icon is not a 256x256 PNG"

# The installed programs run from there (the app's --version needs no display).
for name in parafrac parafrac-cli parafrac-worker; do
  version=$(env -u DISPLAY -u WAYLAND_DISPLAY "$prefix/bin/$name" --version) || fail "$name --version failed"
  case $version in "$name "*) ;; *) fail "$name --version says '$version'" ;; esac
done
echo "installed into $prefix: a valid menu entry, its icon and the programs it names"
