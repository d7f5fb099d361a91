#!/usr/bin/env bash
# Load benchmark: fastrs, axum 0.8, raw hyper 1.x, poem-openapi 5,
# actix-web 4 and FastAPI (uvicorn, one worker) serving the same five
# routes, in turn (A/B/A/B), several rounds. SERVERS="fastrs poem" picks
# some of them.
#
#   bench/run.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds of 10 s)
#
# `fastrs_nto` is fastrs with `header_read_timeout(None)`, the configuration
# axum and hyper have by default. Each server runs with one worker pinned to CPU 0; wrk (one thread, 64
# connections) is pinned to CPU 1, after a 1 s warm-up. Prints requests/s,
# p50 and p99 latency and peak RSS per server and scenario, then the ratios
# fastrs/axum, fastrs/hyper and fastrs/FastAPI with their spread over the
# rounds. Checks first that every server answers every route with the same
# body, and fails when a server answers anything but success under load.
# SCENARIOS="deps json" runs only those. Installs wrk and a FastAPI
# virtualenv (bench/.venv) if missing.
#
# CORES=2 bench/run.sh ...: the multi-core scenario. Each server gets two
# worker threads and both cores (not pinned); wrk (two threads, 128
# connections) runs at the lowest priority (nice 19), so the server has
# the cores first. FastAPI is left out there (it is compared on one core).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=wrk_scenarios.sh
. ./wrk_scenarios.sh
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
PORT=18080
CORES=${CORES:-1}
OUT=target/bench-results-${CORES}core.tsv

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ "$CORES" != 1 ] || [ -x .venv/bin/uvicorn ] || { python3 -m venv .venv && .venv/bin/pip install -q "fastapi" "uvicorn[standard]"; }
cargo build --release --quiet

if [ "$CORES" = 1 ]; then
  SERVERS=${SERVERS:-fastrs fastrs_nto axum hyper poem actix fastapi}
  SERVER_CPUS="taskset -c 0"
  LOAD="taskset -c 1 wrk -t1 -c64"
else
  SERVERS=${SERVERS:-fastrs fastrs_nto axum hyper poem actix}
  SERVER_CPUS=""
  LOAD="nice -n 19 wrk -t2 -c128"
  export WORKERS=$CORES
fi
SCENARIOS=${SCENARIOS:-plaintext json path_query post_model deps}
item_body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" items.lua)

start() { # server
  case $1 in
    fastapi) $SERVER_CPUS .venv/bin/uvicorn fastapi_app:app --port $PORT --workers 1 \
               --log-level warning --no-access-log >/dev/null 2>&1 & ;;
    # fastrs with its header-read timeout off: the configuration axum and
    # hyper have by default (no timer armed per request).
    fastrs_nto) NO_HEADER_TIMEOUT=1 PORT=$PORT $SERVER_CPUS target/release/fastrs_server >/dev/null 2>&1 & ;;
    *) PORT=$PORT $SERVER_CPUS "target/release/$1_server" >/dev/null 2>&1 & ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/json" && return; sleep 0.1; done
  echo "$1 did not start" >&2; exit 1
}

stop() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

fetch() { # scenario -> body
  case $1 in
    plaintext) curl -s "http://127.0.0.1:$PORT/plaintext" ;;
    json) curl -s "http://127.0.0.1:$PORT/json" ;;
    path_query) curl -s "http://127.0.0.1:$PORT/items/42?q=hello" ;;
    post_model) curl -s -X POST -H 'Content-Type: application/json' -d "$item_body" "http://127.0.0.1:$PORT/items" ;;
    deps) curl -s -H 'x-token: secret-token' "http://127.0.0.1:$PORT/deps" ;;
  esac
}

echo "== same answers"
for server in $SERVERS; do
  start "$server"
  for scenario in $SCENARIOS; do fetch "$scenario" > "target/answer-$scenario-$server"; done
  stop
done
for scenario in $SCENARIOS; do
  for server in $SERVERS; do
    cmp -s "target/answer-$scenario-fastrs" "target/answer-$scenario-$server" \
      || { echo "$scenario: $server answers differently:"; cat "target/answer-$scenario-$server"; echo; exit 1; }
  done
  echo "$scenario: byte-identical bodies from $SERVERS"
done

echo "== load: $ROUNDS rounds of ${SECONDS_PER_RUN}s per server and scenario"
printf 'round\tscenario\tserver\trps\tp50\tp99\trss_kib\n' > "$OUT"
for round in $(seq "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    for server in $SERVERS; do
      start "$server"
      # shellcheck disable=SC2046
      $LOAD -d1s $(wrk_args "$scenario") >/dev/null
      # shellcheck disable=SC2046
      out=$($LOAD -d"${SECONDS_PER_RUN}s" --latency $(wrk_args "$scenario"))
      # Every answer under load must be a success: an error path is not
      # the scenario (wrk counts the others).
      if grep -q "Non-2xx" <<<"$out"; then
        stop
        echo "$scenario: $server answered errors under load:" >&2
        echo "$out" >&2
        exit 1
      fi
      rss=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
      stop
      rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
      p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$scenario" "$server" "$rps" "$p50" "$p99" "$rss" | tee -a "$OUT"
    done
  done
done
python3 report.py "$OUT"
