#!/usr/bin/env bash
# Memory held by idle keep-alive connections: each server (fastrs, axum,
# raw hyper; release builds, one core) gets CONNECTIONS connections (10,000
# by default) that each make one request and then stay open and silent.
# Prints the server's resident memory before and with them, and the cost
# per connection. Not part of CI (bench/README: `bench/idle.sh`).
#
#   bench/idle.sh [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")"
COUNT=${1:-10000}
PORT=18090
ulimit -n $((COUNT + 1000))
cargo build --release --quiet --bin fastrs_server --bin axum_server --bin hyper_server
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
printf 'server\tconnections\trss_before_kib\trss_with_kib\tper_connection_bytes\n'
for server in fastrs axum hyper; do
  PORT=$PORT taskset -c 0 "target/release/${server}_server" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/plaintext" && break; sleep 0.1; done
  before=$(rss "$pid")
  fifo=$(mktemp -u); mkfifo "$fifo"
  taskset -c 1 python3 idle_clients.py "$PORT" "$COUNT" < "$fifo" > target/idle-clients.out &
  client=$!
  exec 3> "$fifo"
  for _ in $(seq 600); do grep -q ready target/idle-clients.out 2>/dev/null && break; sleep 0.1; done
  sleep 1
  with=$(rss "$pid")
  opened=$(awk '{print $2}' target/idle-clients.out)
  exec 3>&-
  wait "$client" || true
  rm -f "$fifo"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%s\t%s\t%s\t%s\t%s\n' "$server" "$opened" "$before" "$with" $(( (with - before) * 1024 / opened ))
done
