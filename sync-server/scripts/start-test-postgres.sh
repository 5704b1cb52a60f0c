#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and prints its URL.
#
#   sync-server/scripts/start-test-postgres.sh [DIR] [PORT] [DB]
#   (defaults: /tmp/tutti-test-pg 5433 tutti_test)
#
# Idempotent: reuses the cluster in DIR if it exists and is running, creates
# the database if missing. Installs Debian's `postgresql` package when no
# server binaries are found (as root). Runs the server as the `postgres` user
# when started as root. Trust auth, listening on 127.0.0.1 only: for tests.
# The last line of stdout is the URL, e.g.
#   postgres://postgres@127.0.0.1:5433/tutti_test
# Stop it with: pg_ctl -D DIR stop  (as the same user).
set -euo pipefail

DIR="${1:-/tmp/tutti-test-pg}"
PORT="${2:-5433}"
DB="${3:-tutti_test}"

log() { printf '%s\n' "$*" >&2; }

find_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$d" && -x "$d/initdb" ]]; then
    printf '%s\n' "$d"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

BINDIR="$(find_bindir)"
if [[ -z "$BINDIR" ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    log "PostgreSQL server binaries not found; install the 'postgresql' package"
    exit 1
  fi
  log "installing PostgreSQL (Debian package postgresql)"
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql >&2
  BINDIR="$(find_bindir)"
fi

# Run as the postgres user when we are root (initdb refuses to run as root).
if [[ "$(id -u)" -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  as_pg() { runuser -u postgres -- "$@"; }
  mkdir -p "$DIR"
  chown postgres: "$DIR"
else
  as_pg() { "$@"; }
  mkdir -p "$DIR"
fi
chmod 700 "$DIR"

if [[ ! -f "$DIR/PG_VERSION" ]]; then
  log "initdb $DIR"
  as_pg "$BINDIR/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
    || as_pg "$BINDIR/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
fi

if as_pg "$BINDIR/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  log "PostgreSQL already running in $DIR"
else
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  as_pg "$BINDIR/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >&2
fi

PSQL=("$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
for _ in $(seq 1 30); do
  if as_pg "${PSQL[@]}" -d postgres -c 'SELECT 1' >/dev/null 2>&1; then break; fi
  sleep 1
done
if [[ "$(as_pg "${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]]; then
  log "creating database $DB"
  as_pg "${PSQL[@]}" -d postgres -c "CREATE DATABASE \"$DB\""
fi

echo "postgres://postgres@127.0.0.1:$PORT/$DB"
