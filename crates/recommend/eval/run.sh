#!/usr/bin/env bash
# Quality benchmark of tutti-recommend against the `implicit` library on
# MovieLens-100k (see README.md). Needs Python 3.10+ and the PyPI registry on
# first run; everything downloaded stays under ~/.cache/tutti (or
# $TUTTI_CACHE), nothing is written to the repository.
#
#   crates/recommend/eval/run.sh            # tune every method, then test
#   crates/recommend/eval/run.sh --quick    # defaults only (~10 s)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cache="${TUTTI_CACHE:-$HOME/.cache/tutti}"
venv="$cache/recvenv"
wheels="$cache/recwheels"
recbole_version="1.2.1"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"

wheel="$wheels/recbole-$recbole_version-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
    mkdir -p "$wheels"
    "$venv/bin/pip" download -q --disable-pip-version-check --no-deps \
        "recbole==$recbole_version" -d "$wheels"
fi

(cd "$root" && cargo build --release -q -p tutti-recommend --bin tutti-recommend-eval)
binary="${CARGO_TARGET_DIR:-$root/target}/release/tutti-recommend-eval"

# implicit's ALS warns (and slows down) when OpenBLAS runs its own threads.
export OPENBLAS_NUM_THREADS=1
exec "$venv/bin/python" "$here/movielens.py" --wheel "$wheel" --tutti "$binary" "$@"
