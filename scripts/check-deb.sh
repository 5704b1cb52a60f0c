#!/usr/bin/env bash
# Checks a built Tutti .deb the way a Debian/Ubuntu user's system will see it,
# and unpacks it for the packaged-app E2E test (scripts/test.sh runs this):
#   scripts/check-deb.sh PATH.deb UNPACK_DIR
# - metadata (dpkg-deb -f): package name, version (= tauri.conf.json),
#   architecture, the runtime libraries it depends on (WebKitGTK 4.1, GTK 3…);
# - files: the binary, the desktop entry, icons in every size, nothing else
#   outside /usr;
# - the desktop entry validates (desktop-file-validate) and names the app,
#   its category, the binary it starts and an icon the package installs;
# - the binary is stripped, finds every shared library on this system and
#   contains no path into the source tree it was built from (so it cannot
#   read anything from there at run time).
# Prints what it checked; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=${1:?usage: $0 PATH.deb UNPACK_DIR}
out=${2:?usage: $0 PATH.deb UNPACK_DIR}
fail() { printf 'check-deb: %s\n' "$*" >&2; exit 1; }
ok() { printf 'check-deb: ok  %s\n' "$*"; }

[[ -f "$deb" ]] || fail "no package at $deb"
field() { dpkg-deb -f "$deb" "$1"; }

# Metadata.
want_version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' src-tauri/tauri.conf.json)
[[ "$(field Package)" == tutti ]] || fail "Package is '$(field Package)', not 'tutti'"
ok "Package: tutti"
[[ "$(field Version)" == "$want_version" ]] || fail "Version is '$(field Version)', tauri.conf.json says '$want_version'"
ok "Version: $want_version"
[[ "$(field Architecture)" == "$(dpkg --print-architecture)" ]] || fail "Architecture is '$(field Architecture)'"
ok "Architecture: $(field Architecture)"
depends=$(field Depends)
for lib in libwebkit2gtk-4.1-0 libgtk-3-0; do
  grep -qE "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
ok "Depends: $depends"
[[ -n "$(field Description)" ]] || fail "no Description"
ok "Description: $(field Description | head -n1)"

# Files.
rm -rf "$out"
mkdir -p "$out"
dpkg-deb -x "$deb" "$out"
outside=$(cd "$out" && find . -mindepth 1 -maxdepth 1 ! -name usr)
[[ -z "$outside" ]] || fail "files outside /usr: $outside"
desktop=$(find "$out/usr/share/applications" -name '*.desktop' | head -n1)
[[ -n "$desktop" ]] || fail "no .desktop entry under /usr/share/applications"
ok "desktop entry: ${desktop#"$out"}"

# The desktop entry.
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects ${desktop#"$out"}"
entry() { sed -n "s/^$1=//p" "$desktop" | head -n1; }
[[ "$(entry Name)" == Tutti ]] || fail "Name=$(entry Name)"
grep -q 'Education' <<<"$(entry Categories)" || fail "Categories=$(entry Categories) lacks Education"
[[ -n "$(entry 'Comment\[ko\]')" ]] || fail "no Korean Comment[ko] in the desktop entry"
exec_name=$(entry Exec | awk '{print $1}')
binary="$out/usr/bin/$(basename "$exec_name")"
[[ -x "$binary" ]] || fail "Exec=$(entry Exec) is not an executable in the package"
icon=$(entry Icon)
ok "Name=Tutti, Comment[ko]=$(entry 'Comment\[ko\]'), Categories=$(entry Categories), Exec=$(entry Exec), Icon=$icon"

# Icons in every size the hicolor theme looks up first, and nothing in a
# directory whose name says another size.
for size in 16x16 32x32 48x48 64x64 128x128 256x256 512x512; do
  png="$out/usr/share/icons/hicolor/$size/apps/$icon.png"
  [[ -f "$png" ]] || fail "no ${size} icon (${png#"$out"})"
  [[ "$(identify -format '%wx%h' "$png")" == "$size" ]] || fail "${png#"$out"} is not $size"
done
stray=$(find "$out/usr/share/icons/hicolor" -mindepth 1 -maxdepth 1 -name '*@*' || true)
[[ -z "$stray" ]] || fail "HiDPI icon directories with the wrong size: $stray"
ok "icons: 16–512 px under /usr/share/icons/hicolor"

# The binary.
if file "$binary" | grep -q 'not stripped'; then fail "$binary is not stripped"; fi
missing=$(ldd "$binary" | grep 'not found' || true)
[[ -z "$missing" ]] || fail "shared libraries not found: $missing"
ok "binary: stripped, every shared library found ($(du -h "$binary" | cut -f1))"
repo=$(pwd -P)
if grep -qaF "$repo" "$binary"; then
  fail "the binary contains the source tree's path $repo (it would read it at run time)"
fi
ok "binary: no path into the source tree ($repo)"
