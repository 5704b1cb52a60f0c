#!/usr/bin/env bash
# One command to run Tutti from a fresh Debian/Ubuntu checkout: installs what is
# missing, builds the UI and the Rust binaries, starts a local sync-server and
# opens the desktop app. Stop the app to stop the server too.
#   TUTTI_DATA_DIR   where the app keeps its data (default: the OS app-data dir)
#   TUTTI_SYNC_LISTEN  where the local sync-server listens (default 127.0.0.1:8787);
#                      the app is built with it as its default sync server
#                      (TUTTI_DEFAULT_SERVER overrides, empty = none)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "building the UI"
(cd ui && npm run build)
export TUTTI_SYNC_LISTEN="${TUTTI_SYNC_LISTEN:-127.0.0.1:8787}"
export TUTTI_DEFAULT_SERVER="${TUTTI_DEFAULT_SERVER-http://$TUTTI_SYNC_LISTEN}"
say "building tutti-desktop (default sync server: ${TUTTI_DEFAULT_SERVER:-none}), tutti-sync-server and tutti"
cargo build -p tutti-desktop -p tutti-sync-server -p tutti-cli
target="${CARGO_TARGET_DIR:-target}"

export TUTTI_SYNC_DATA_DIR="${TUTTI_SYNC_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/tutti-sync-server}"
say "starting tutti-sync-server on $TUTTI_SYNC_LISTEN (data in $TUTTI_SYNC_DATA_DIR)"
"$target/debug/tutti-sync-server" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT

if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "No display found (DISPLAY/WAYLAND_DISPLAY unset): run this from a desktop session," >&2
  echo "or under Xvfb: xvfb-run -a scripts/dev.sh" >&2
  exit 1
fi
say "starting Tutti"
"$target/debug/tutti-desktop"
