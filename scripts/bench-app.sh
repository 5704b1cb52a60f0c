#!/usr/bin/env bash
# Start-up, memory and size of the packaged app (the release build inside the
# .deb). Prints numbers; asserts nothing (goals: cold start < 1 s, idle PSS
# < 150 MB, .deb < 15 MB).
#
#   scripts/bench-app.sh [RUNS]        (default 5)
#
# Needs the .deb from `scripts/package.sh deb` (the AppImage is measured when
# it exists) and an X display: it starts its own Xvfb.
# - cold start: from just before the app is exec'd to the UI's first-paint
#   signal (the UI invokes app_first_paint two animation frames after its
#   first screen renders; the shell logs the wall clock then). Every run
#   starts a new installation (empty data dir: the first-run screen). When
#   the page cache can be dropped (root), the first run starts cold from disk.
# - idle memory: 10 s after first paint, the PSS (/proc/PID/smaps_rollup) of
#   the app and every process it started (WebKit's web and network
#   processes), summed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
target="${CARGO_TARGET_DIR:-$PWD/target}"
deb=$(ls -t "$target"/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)
[[ -n "$deb" ]] || { echo "no .deb under $target/release/bundle/deb: run scripts/package.sh deb" >&2; exit 1; }
appimage=$(ls -t "$target"/release/bundle/appimage/*.AppImage 2>/dev/null | head -n1 || true)

work=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dpkg-deb -x "$deb" "$work/pkg"
# The app's home for all runs: its keyring, WebKit and font caches stay out of
# the user's own (the first run fills them, as on a first launch).
mkdir -p "$work/home"
chmod 700 "$work/home"
binary=$(find "$work/pkg/usr/bin" -type f -perm -u+x | head -n1)

display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 50); do
  [[ -e "/tmp/.X11-unix/X${display#:}" ]] && break
  sleep 0.1
done

now_ms() { date +%s%3N; }
# $1 / $2 with one decimal.
mb() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

# The PIDs of $1 and all its descendants.
tree() {
  local pids=("$1") i=0
  while ((i < ${#pids[@]})); do
    for child in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do
      pids+=("$child")
    done
    i=$((i + 1))
  done
  echo "${pids[@]}"
}

pss_kb() {
  local total=0 kb
  for pid in $(tree "$1"); do
    kb=$(awk '/^Pss:/ {print $2}' /proc/"$pid"/smaps_rollup 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

cold=()
pss=()
for run in $(seq 1 "$runs"); do
  data="$work/data-$run"
  log="$work/app-$run.log"
  note=""
  if ((run == 1)) && sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
    note=" (page cache dropped: from disk)"
  fi
  start=$(now_ms)
  HOME="$work/home" XDG_RUNTIME_DIR="$work/home" \
    DISPLAY="$display" NO_AT_BRIDGE=1 NO_COLOR=1 TUTTI_DATA_DIR="$data" TUTTI_LOG=info \
    dbus-run-session -- "$binary" 2>"$log" &
  app_pid=$!
  painted=
  for _ in $(seq 1 300); do
    painted=$(sed -n 's/.*first screen painted.*unix_ms=\([0-9]*\).*/\1/p' "$log" | head -n1)
    [[ -n "$painted" ]] && break
    sleep 0.05
  done
  if [[ -z "$painted" ]]; then
    echo "run $run: no first-paint signal within 15 s; the app's log:" >&2
    cat "$log" >&2
    exit 1
  fi
  ms=$((painted - start))
  cold+=("$ms")
  sleep 10
  # dbus-run-session's child is the app: measure from the app process.
  app=$(pgrep -P "$app_pid" -f "$binary" | head -n1 || true)
  kb=$(pss_kb "${app:-$app_pid}")
  pss+=("$kb")
  printf 'run %d: first paint after %d ms%s; idle PSS after 10 s: %s MB (%s processes)\n' \
    "$run" "$ms" "$note" "$(mb "$kb" 1024)" "$(tree "${app:-$app_pid}" | wc -w)"
  # Stop the app; dbus-run-session then ends its bus (and what the bus
  # started) by itself.
  [[ -n "$app" ]] && kill "$app" 2>/dev/null || kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
size_mb() { mb "$(stat -c %s "$1")" 1048576; }

echo
echo "Tutti $(dpkg-deb -f "$deb" Version), $(nproc) cores, $runs runs"
printf 'cold start to first paint: median %s ms (min %s, max %s)\n' \
  "$(median "${cold[@]}")" "$(printf '%s\n' "${cold[@]}" | sort -n | head -n1)" "$(printf '%s\n' "${cold[@]}" | sort -n | tail -n1)"
printf 'idle PSS (app + WebKit processes): median %s MB\n' "$(mb "$(median "${pss[@]}")" 1024)"
printf '.deb: %s MB (%s), installed size %s MB\n' "$(size_mb "$deb")" "$(basename "$deb")" \
  "$(mb "$(dpkg-deb -f "$deb" Installed-Size)" 1024)"
if [[ -n "$appimage" ]]; then
  printf 'AppImage: %s MB (%s)\n' "$(size_mb "$appimage")" "$(basename "$appimage")"
else
  echo "AppImage: not built (scripts/package.sh appimage)"
fi
