#!/usr/bin/env bash
# Installs what Tutti needs on Debian/Ubuntu, skipping what is already there.
#   scripts/setup.sh          build + run dependencies
#   scripts/setup.sh --test   also what the test suite needs (Xvfb, WebDriver, fonts, PostgreSQL…)
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

build_pkgs=(pkg-config build-essential libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev
  libxdo-dev libasound2-dev fonts-noto-cjk curl ca-certificates)
# postgresql: the sync server's PostgreSQL backend is tested against a real
# server (sync-server/scripts/start-test-postgres.sh starts a throwaway cluster).
# desktop-file-utils, file: scripts/check-deb.sh checks the built .deb.
test_pkgs=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring libsecret-tools keyutils
  imagemagick xdotool alsa-utils sox python3-venv libxml2-utils postgresql
  desktop-file-utils file)

pkgs=("${build_pkgs[@]}")
(( want_test )) && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing system packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -q
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
else
  say "system packages: all present"
fi

# Node.js ≥ 20.19 (Vite 8). Debian bookworm's nodejs is 18: install a newer one
# from your distribution or nodejs.org if this check fails.
if ! command -v node >/dev/null; then
  say "installing nodejs and npm from the distribution"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get install -y -q nodejs npm
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20 || (a===20 && b<19)) { console.error("Tutti needs Node.js >= 20.19 (found " + process.versions.node + ")"); process.exit(1) }'

if ! command -v cargo >/dev/null; then
  echo "Tutti needs Rust (cargo). Install it with rustup: https://rustup.rs" >&2
  exit 1
fi

if (( want_test )); then
  if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    say "installing tauri-driver 2.1.0 (WebDriver bridge for the E2E test)"
    cargo install tauri-driver --version 2.1.0 --locked
  fi
fi

say "UI packages (npm ci)"
# npm ci is skipped when node_modules already matches the lock file.
if [[ ! -f ui/node_modules/.package-lock.json ]] || ! cmp -s ui/package-lock.json ui/node_modules/.tutti-lock-stamp; then
  (cd ui && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.tutti-lock-stamp)
fi
