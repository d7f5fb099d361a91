#!/usr/bin/env bash
# Instructions per request under load, counted by callgrind: the real
# server binary (one worker) runs under valgrind on CPU 0 while wrk drives
# it with 64 keep-alive connections from CPU 1. Under valgrind the server
# is about 40 times slower than wrk, so it is saturated whatever else the
# machine is doing: every epoll wake finds many connections ready, as in a
# load run, and the count does not move with the neighbours' load the way
# requests/s does.
#
#   bench/under_load.sh [SCENARIO...]      (default: plaintext json)
#   SERVERS="fastrs hyper axum" bench/under_load.sh deps
#   ACCESS_LOG=1 bench/under_load.sh       (fastrs with its access log on:
#                                           uvicorn's line, to /dev/null)
#
# Per server and scenario: 1 s of warm-up, then two measured wrk runs of
# SHORT and LONG seconds (defaults 3 and 9); before each the counters are
# zeroed (callgrind_control -z), after it they are dumped (-d). The
# figure is (instructions of the long run - of the short run) / (requests
# of the long run - of the short run), which cancels what a run costs
# once (wrk's 64 connections being accepted and set up, the dump itself).
# Counts user-space instructions only: the kernel's share (the syscalls)
# is not in them, so the script also prints the server's syscalls per
# request, counted by strace over one run without valgrind.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=wrk_scenarios.sh
. ./wrk_scenarios.sh
SHORT=${SHORT:-3} LONG=${LONG:-9}
PORT=18080
export PORT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v strace >/dev/null || { apt-get update -qq && apt-get install -y -qq strace; }
cargo build --release --quiet --bin fastrs_server --bin hyper_server --bin axum_server
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

wait_ready() {
  for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/json" && return; sleep 0.1; done
  echo "the server did not answer" >&2; exit 1
}

requests() { # seconds wrk-args... -> requests wrk completed
  local seconds=$1; shift
  # shellcheck disable=SC2068
  taskset -c 1 wrk -t1 -c64 -d"${seconds}s" $@ | awk '/ requests in / {print $1}'
}

measured() { # pid dump-number seconds wrk-args... -> "requests instructions"
  local pid=$1 number=$2 seconds=$3; shift 3
  callgrind_control -z "$pid" >/dev/null 2>&1
  local n; n=$(requests "$seconds" "$@")
  callgrind_control -d "$pid" >/dev/null 2>&1
  local file="$out/cg.$pid.$number"
  for _ in $(seq 100); do [ -s "$file" ] && grep -q '^totals:' "$file" && break; sleep 0.1; done
  echo "$n $(awk '/^totals:/ {print $2}' "$file")"
}

instructions() { # server scenario -> instructions per request
  local args; args=$(wrk_args "$2")
  taskset -c 0 valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" \
    "target/release/$1_server" >/dev/null 2>&1 &
  local pid=$!
  wait_ready
  requests 1 "$args" >/dev/null
  local short long
  # shellcheck disable=SC2086
  short=$(measured "$pid" 1 "$SHORT" $args)
  # shellcheck disable=SC2086
  long=$(measured "$pid" 2 "$LONG" $args)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  read -r n1 i1 <<<"$short"; read -r n2 i2 <<<"$long"
  echo $(( (i2 - i1) / (n2 - n1) ))
}

syscalls() { # server scenario -> syscalls per request
  local args; args=$(wrk_args "$2")
  taskset -c 0 "target/release/$1_server" >/dev/null 2>&1 &
  local pid=$!
  wait_ready
  requests 1 "$args" >/dev/null
  strace -qq -c -f -p "$pid" -o "$out/strace" &
  local tracer=$!
  sleep 0.5
  local n; n=$(requests 3 "$args")
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v n="$n" '$NF == "total" {printf "%.2f\n", $4 / n}' "$out/strace"
}

servers=${SERVERS:-fastrs hyper}
[ $# -gt 0 ] || set -- plaintext json
for scenario in "$@"; do wrk_args "$scenario" >/dev/null || exit 1; done
printf '| scenario | server | instructions/request | syscalls/request |\n|---|---|---:|---:|\n'
for scenario in "$@"; do
  for server in $servers; do
    printf '| %s | %s | %d | %s |\n' "$scenario" "$server" \
      "$(instructions "$server" "$scenario")" "$(syscalls "$server" "$scenario")"
  done
done
