#!/usr/bin/env bash
# Load benchmark: fastrs vs axum on the same routes, A/B/A/B.
#
#   bench/run.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds of 10 s)
#
# Each server runs with one tokio worker pinned to CPU 0; wrk (one thread,
# 64 connections) is pinned to CPU 1. Prints requests/s and latency per
# server and round, then the fastrs/axum ratio. Installs wrk if missing.
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
PORT=18080

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet
body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" items.lua)

run_one() { # server -> prints "rps p50 p99 rss_kb"
  local server=$1
  PORT=$PORT taskset -c 0 "target/release/$server" 2>/dev/null &
  local pid=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  # Same answer from every server, byte for byte.
  curl -s -X POST -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$PORT/items" > "/tmp/bench-$server.out"
  taskset -c 1 wrk -t1 -c64 -d1s -s items.lua "http://127.0.0.1:$PORT" >/dev/null  # warm-up
  local out
  out=$(taskset -c 1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" --latency -s items.lua "http://127.0.0.1:$PORT")
  local rss
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  echo "$rps $p50 $p99 $rss"
}

declare -A total
printf '%-8s %-14s %12s %10s %10s %10s\n' round server "requests/s" p50 p99 "rss KiB"
for round in $(seq "$ROUNDS"); do
  for server in fastrs_server axum_server; do
    read -r rps p50 p99 rss < <(run_one "$server")
    printf '%-8s %-14s %12s %10s %10s %10s\n' "$round" "$server" "$rps" "$p50" "$p99" "$rss"
    total[$server]+="$rps "
  done
done
cmp -s /tmp/bench-fastrs_server.out /tmp/bench-axum_server.out \
  && echo "responses: byte-identical" || echo "responses: DIFFER (see /tmp/bench-*.out)"
python3 - "${total[fastrs_server]}" "${total[axum_server]}" <<'PY'
import statistics, sys
f = [float(x) for x in sys.argv[1].split()]
a = [float(x) for x in sys.argv[2].split()]
ratios = [x / y for x, y in zip(f, a)]
print(f"POST /items (10-field model): fastrs {statistics.mean(f):.0f} req/s, axum {statistics.mean(a):.0f} req/s")
print(f"fastrs/axum = {statistics.mean(ratios):.3f} (per round: {', '.join(f'{r:.3f}' for r in ratios)})")
PY
