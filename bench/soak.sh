#!/usr/bin/env bash
# Soak: the `security` example under a mixed load for SECONDS (default 600):
# wrk sends valid and invalid requests (bench/soak.lua) on 32 connections
# while bench/soak_clients.py keeps 24 misbehaving connections going (silent,
# half a head, a stalled body, no reading, dropped, garbage). Samples the
# server's RSS every 10 s and fails if it grows by more than 10% after the
# first minute or if the server logged an error. Not part of CI.
#
#   bench/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-600}
PORT=18090
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet --example security
mkdir -p target
PORT=$PORT target/release/examples/security > target/soak-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/openapi.json" && break; sleep 0.1; done

wrk -t1 -c32 -d"${DURATION}s" -s bench/soak.lua "http://127.0.0.1:$PORT" > target/soak-wrk.txt &
WRK=$!
python3 bench/soak_clients.py "$PORT" "$DURATION" > target/soak-clients.txt &
CLIENTS=$!

printf 'second\trss_kib\n' > target/soak-rss.tsv
for ((t = 0; t <= DURATION; t += 10)); do
  printf '%s\t%s\n' "$t" "$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)" >> target/soak-rss.tsv
  sleep 10
done
wait $WRK $CLIENTS
cat target/soak-wrk.txt target/soak-clients.txt
python3 - <<'PY'
import sys
rows = [line.split("\t") for line in open("target/soak-rss.tsv").read().split("\n")[1:] if line]
rss = [(int(t), int(r)) for t, r in rows]
settled = [r for t, r in rss if t >= 60]
print(f"RSS (KiB): start {rss[0][1]}, after 1 min {settled[0]}, min {min(settled)}, max {max(settled)}, end {settled[-1]}")
grew = max(settled) / settled[0] - 1
print(f"growth after the first minute: {grew:.1%}")
errors = [l for l in open("target/soak-server.log") if "ERROR" in l]
print(f"errors in the server log: {len(errors)}")
for line in errors[:10]:
    print("  " + line.rstrip())
sys.exit(1 if grew > 0.10 or errors else 0)
PY
