#!/usr/bin/env bash
# Checks that the repository stands alone (scripts/test.sh runs it first):
#  - every tracked shell script, .ci/run and every tracked file that starts
#    with `#!` is committed with its run bit (mode 100755);
#  - no tracked file reads from a sibling `shared/` folder or another absolute
#    path of the machine it was written on;
#  - the real-singing evaluation set (no licence) was never committed.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
fail() { printf 'check-repo: %s\n' "$*" >&2; failed=1; }

# git ls-files -s: "<mode> <object> <stage>\t<path>"
while IFS=$'\t' read -r meta path; do
  mode=${meta%% *}
  wants_x=0
  case "$path" in
    *.sh | .ci/run) wants_x=1 ;;
    *) [[ -f "$path" ]] && [[ "$(head -c 2 "$path")" == '#!' ]] && wants_x=1 ;;
  esac
  if ((wants_x)) && [[ "$mode" != 100755 ]]; then
    fail "$path is committed without its run bit (mode $mode): git update-index --chmod=+x $path"
  fi
done < <(git ls-files -s)

# Paths outside the repository: a sibling shared/ folder or this machine's /work.
outside=$(git grep -nE '\.\./(\.\./)*shared/|/work/(shared|main|wt-)' -- ':!scripts/check-repo.sh' || true)
if [[ -n "$outside" ]]; then
  fail "tracked files refer to paths outside the repository:"
  printf '%s\n' "$outside" >&2
fi

if git ls-files | grep -q 'transcription-real-dev'; then
  fail "eval data without a licence (transcription-real-dev) is tracked; it must stay outside the repository"
fi

if ((failed)); then
  exit 1
fi
echo "check-repo: run bits set, nothing read from outside the repository"
