#!/usr/bin/env bash
# Runs a command with a private, unlocked Secret Service: its own D-Bus session
# bus and a gnome-keyring-daemon whose keyrings live in a throwaway directory.
# Tests that store secrets (API keys, session tokens) then never touch — or
# depend on — the user's real keyring: no leftover entries, no keyring locked
# with another password, no D-Bus-activated second daemon asking for a
# password nobody can type. The E2E harness does the same per test
# (crates/e2e/src/keyring.rs).
#
#   scripts/with-keyring.sh cargo test -p tutti-core
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [[ -z "${TUTTI_PRIVATE_BUS:-}" ]]; then
  exec env TUTTI_PRIVATE_BUS=1 dbus-run-session -- "$0" "$@"
fi
unset TUTTI_PRIVATE_BUS

home=$(mktemp -d)
# The password on stdin creates and unlocks the throwaway login keyring.
printf tutti | HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home" \
  gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>"${TUTTI_KEYRING_LOG:-/dev/null}" &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true; rm -rf "$home"' EXIT

served=
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
      | grep -q 'boolean true'; then
    served=1
    break
  fi
  kill -0 "$keyring_pid" 2>/dev/null || { echo "$0: gnome-keyring-daemon exited at start" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$served" ]] || { echo "$0: gnome-keyring-daemon never served org.freedesktop.secrets" >&2; exit 1; }

status=0
"$@" || status=$?
kill -0 "$keyring_pid" 2>/dev/null || echo "$0: warning: gnome-keyring-daemon was gone when the command ended" >&2
exit "$status"
