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
# the median ratio A/B with its quartiles, twice: by requests/s, and by the
# server's CPU time (user + system, from /proc) per request, B's over A's,
# so that above 1 means A is cheaper in both. The CPU time counts only
# what the server process ran, so a round in which the server's core was
# taken away from it moves it less than requests/s. Builds the servers
# first.
set -euo pipefail
cd "$(dirname "$0")"
SCENARIO=$1 A=$2 B=$3 PAIRS=${4:-15} SECONDS_PER_RUN=${5:-4}
PORT=18080
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet

# shellcheck source=wrk_scenarios.sh
. ./wrk_scenarios.sh
target=$(wrk_args "$SCENARIO") || exit 1

cpu_ticks() { # pid -> the process's user + system time, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

measure() { # server -> "requests/s cpu-microseconds-per-request"
  PORT=$PORT taskset -c 0 "target/release/$1_server" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/json" && break; sleep 0.1; done
  # shellcheck disable=SC2086
  taskset -c 1 wrk -t1 -c64 -d1s $target >/dev/null
  local before out after
  before=$(cpu_ticks "$pid")
  # shellcheck disable=SC2086
  out=$(taskset -c 1 wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" $target)
  after=$(cpu_ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    / requests in / {requests = $1}
    /Requests\/sec/ {rps = $2}
    END {printf "%s %.3f\n", rps, ticks / hz * 1e6 / requests}' <<<"$out"
}

ratios=() cpu_ratios=()
for pair in $(seq "$PAIRS"); do
  if (( pair % 2 )); then a=$(measure "$A"); b=$(measure "$B"); else b=$(measure "$B"); a=$(measure "$A"); fi
  read -r a_rps a_cpu <<<"$a"; read -r b_rps b_cpu <<<"$b"
  ratio=$(python3 -c "print(f'{$a_rps/$b_rps:.3f}')")
  cpu_ratio=$(python3 -c "print(f'{$b_cpu/$a_cpu:.3f}')")
  ratios+=("$ratio") cpu_ratios+=("$cpu_ratio")
  printf '%s pair %2d: %s %.0f/s %.2f us, %s %.0f/s %.2f us, %s/%s %s, by CPU time %s\n' \
    "$SCENARIO" "$pair" "$A" "$a_rps" "$a_cpu" "$B" "$b_rps" "$b_cpu" "$A" "$B" "$ratio" "$cpu_ratio"
done
python3 - "$SCENARIO" "$A" "$B" "${ratios[*]}" "${cpu_ratios[*]}" <<'EOF'
import statistics, sys
scenario, a, b, ratios, cpu_ratios = sys.argv[1:]
def summary(values):
    r = sorted(float(x) for x in values.split())
    q1, median, q3 = statistics.quantiles(r, n=4) if len(r) > 1 else (r[0], r[0], r[0])
    return f"median {median:.3f} (quartiles {q1:.3f}-{q3:.3f}, {len(r)} pairs, min {r[0]:.3f}, max {r[-1]:.3f})"
print(f"{scenario}: {a}/{b} requests/s {summary(ratios)}")
print(f"{scenario}: {a}/{b} by server CPU time per request ({b}'s / {a}'s) {summary(cpu_ratios)}")
EOF
