#!/usr/bin/env bash
# Paired load runs: two servers on one scenario, alternating, many short
# rounds, and the median of the per-round ratios. On a machine whose cores
# are shared with other guests, requests/s swing by 10-20% from one
# minute to the next; two runs a few seconds apart see nearly the same
# conditions, so the ratio within a pair is steadier than either figure,
# and the median discards the rounds a burst of outside load hit.
#
#   bench/pairs.sh SCENARIO A B [PAIRS] [SECONDS]    (defaults: 15 pairs of 4 s)
#   bench/pairs.sh deps fastrs axum
#   bench/pairs.sh plaintext fastrs hyper 21 4
#
# Servers and scenarios as in run.sh (one worker pinned to CPU 0, wrk with
# one thread and 64 connections on CPU 1, 1 s of warm-up per run). The
# order within a pair alternates (A B, B A, ...). Prints each pair, then
# the median ratio A/B with its quartiles. Builds the servers first.
set -euo pipefail
cd "$(dirname "$0")"
SCENARIO=$1 A=$2 B=$3 PAIRS=${4:-15} SECONDS_PER_RUN=${5:-4}
PORT=18080
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

case $SCENARIO in
  plaintext) target="http://127.0.0.1:$PORT/plaintext" ;;
  json) target="http://127.0.0.1:$PORT/json" ;;
  path_query) target="http://127.0.0.1:$PORT/items/42?q=hello" ;;
  post_model) target="-s items.lua http://127.0.0.1:$PORT" ;;
  deps) target="-s deps.lua http://127.0.0.1:$PORT" ;;
  *) echo "unknown scenario $SCENARIO" >&2; exit 1 ;;
esac

measure() { # server -> requests/s
  PORT=$PORT taskset -c 0 "target/release/$1_server" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/json" && break; sleep 0.1; done
  # shellcheck disable=SC2086
  taskset -c 1 wrk -t1 -c64 -d1s $target >/dev/null
  # shellcheck disable=SC2086
  taskset -c 1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" $target | awk '/Requests\/sec/ {print $2}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

ratios=()
for pair in $(seq "$PAIRS"); do
  if (( pair % 2 )); then a=$(measure "$A"); b=$(measure "$B"); else b=$(measure "$B"); a=$(measure "$A"); fi
  ratio=$(python3 -c "print(f'{$a/$b:.3f}')")
  ratios+=("$ratio")
  printf '%s pair %2d: %s %.0f, %s %.0f, %s/%s %s\n' "$SCENARIO" "$pair" "$A" "$a" "$B" "$b" "$A" "$B" "$ratio"
done
python3 - "$SCENARIO" "$A" "$B" "${ratios[@]}" <<'EOF'
import statistics, sys
scenario, a, b, *ratios = sys.argv[1:]
r = sorted(float(x) for x in ratios)
q1, median, q3 = statistics.quantiles(r, n=4) if len(r) > 1 else (r[0], r[0], r[0])
print(f"{scenario}: {a}/{b} median {median:.3f} (quartiles {q1:.3f}-{q3:.3f}, {len(r)} pairs, min {r[0]:.3f}, max {r[-1]:.3f})")
EOF
