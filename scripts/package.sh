#!/usr/bin/env bash
# Builds Tutti's installable packages (release build) with the Tauri CLI
# pinned in ui/package.json (no global install), into Tauri's usual place:
#   <target dir>/release/bundle/deb/Tutti_<version>_amd64.deb
#   <target dir>/release/bundle/appimage/Tutti_<version>_amd64.AppImage
# where <target dir> is $CARGO_TARGET_DIR, else ./target.
#
#   scripts/package.sh              the .deb and the AppImage
#   scripts/package.sh deb          the .deb only (what CI builds and tests)
#   scripts/package.sh appimage     the AppImage only
#   TUTTI_DEFAULT_SERVER=https://sync.example.com scripts/package.sh
#                                   the sync server the app uses until the
#                                   user chooses one (empty: none)
#
# The AppImage step downloads Tauri's AppImage tools (AppRun, linuxdeploy and
# its AppImage plugin) from GitHub the first time and caches them in
# ~/.cache/tauri; without GitHub it cannot be built (see the message below).
set -euo pipefail
cd "$(dirname "$0")/.."

want=("${@:-deb appimage}")
read -r -a bundles <<<"${want[*]}"
for b in "${bundles[@]}"; do
  case "$b" in
    deb | appimage) ;;
    *) echo "usage: $0 [deb] [appimage]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scripts/setup.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"
[[ "$target" = /* ]] || target="$PWD/$target"
export CARGO_TARGET_DIR="$target"
tauri=(ui/node_modules/.bin/tauri)
say "Tauri CLI $("${tauri[@]}" --version) (pinned in ui/package.json)"

say "building the UI"
(cd ui && npm run build)

bundle() {
  # `tauri build` compiles the release binary with the embedded UI, then
  # bundles it; a second bundle reuses the binary.
  (cd src-tauri && "../${tauri[@]}" build --ci --bundles "$1")
}

status=0
for b in "${bundles[@]}"; do
  say "building the $b package (TUTTI_DEFAULT_SERVER=${TUTTI_DEFAULT_SERVER:-<none>})"
  if [[ "$b" == appimage ]]; then
    if ! bundle appimage; then
      cat >&2 <<'EOF'

The AppImage could not be built. Tauri's AppImage bundler (tauri-cli 2.12)
downloads its tools from GitHub on first use and keeps them in ~/.cache/tauri:
  AppRun-x86_64                 github.com/tauri-apps/binary-releases (apprun-old)
  linuxdeploy-x86_64.AppImage   github.com/tauri-apps/binary-releases (linuxdeploy)
  linuxdeploy-plugin-appimage   github.com/linuxdeploy/linuxdeploy-plugin-appimage
                                (continuous; Tauri has a built-in fallback)
None of them is on crates.io, npm, PyPI or Debian. On a machine that cannot
reach GitHub, copy ~/.cache/tauri from a machine where `scripts/package.sh
appimage` worked, or build the AppImage there. The .deb needs none of this.
EOF
      status=1
    fi
  else
    bundle "$b"
  fi
done

say "packages"
for dir in "$target/release/bundle/deb" "$target/release/bundle/appimage"; do
  [[ -d "$dir" ]] || continue
  find "$dir" -maxdepth 1 -type f \( -name '*.deb' -o -name '*.AppImage' \) -printf '%s bytes\t%p\n'
done
exit "$status"
