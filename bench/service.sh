#!/usr/bin/env bash
# The users/items service under load, beside the same API built plainly in
# FastAPI (bench/service/fastapi_service.py: SQLAlchemy sessions in `def`
# endpoints, PyJWT, pwdlib), on SQLite and, when a server answers on
# 127.0.0.1:5432, PostgreSQL.
#
#   bench/service.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds of 10 s)
#
# Each server runs on CPU 0 (one core: tokio's one worker, uvicorn's one
# worker), access log off (LOG_FORMAT=off, uvicorn --no-access-log); wrk
# (one thread, 64 connections) runs on CPU 1. Each database is new and
# seeded the same way: a reader with 50 items, a writer who adds items.
# Scenarios: GET /users/me, GET /items?limit=20, GET /items/{id} and
# POST /items, each with the reader's (or writer's) bearer token. The
# servers take turns (A/B) each round. Prints requests/s and p99 latency
# (medians over the rounds) and the ratio users-items / FastAPI; fails
# when a server answers anything but success under load.
#
# BACKENDS="sqlite", SERVERS="fastrs" or SCENARIOS="me list" run only those. Installs wrk
# and a virtualenv (bench/.venv-service) if missing.
set -euo pipefail
cd "$(dirname "$0")"
bench=$PWD
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
PORT=18090
SCENARIOS=${SCENARIOS:-me list read create}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}
out=target/service
rm -rf "$out"
mkdir -p "$out"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
venv=.venv-service
if [ ! -x "$venv/bin/uvicorn" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "fastapi" "uvicorn[standard]" \
    "sqlalchemy==2.0.*" "psycopg[binary]" pyjwt "pwdlib[argon2]" email-validator python-multipart
fi
(cd .. && cargo build --release --quiet -p users-items)
binary=$bench/../target/release/users-items

if [ -z "${BACKENDS:-}" ]; then
  BACKENDS=sqlite
  if command -v psql >/dev/null && psql "$PG_ADMIN" -qAtc 'select 1' >/dev/null 2>&1; then
    BACKENDS="sqlite postgres"
  else
    echo "service: no PostgreSQL on 127.0.0.1:5432; SQLite only" >&2
  fi
fi

server_pid=""
cleanup() { [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

# A fresh database for `server` on `backend`; its URL (in each one's form).
fresh() { # backend server
  local dir=$bench/$out/$2-$1
  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$1" = postgres ]; then
    psql "$PG_ADMIN" -qAtc "DROP DATABASE IF EXISTS bench_$2" >/dev/null
    psql "$PG_ADMIN" -qAtc "CREATE DATABASE bench_$2" >/dev/null
    case $2 in
      fastrs) echo "postgres://postgres@127.0.0.1:5432/bench_fastrs" ;;
      fastapi) echo "postgresql+psycopg://postgres@127.0.0.1:5432/bench_fastapi" ;;
    esac
  else
    case $2 in
      fastrs) echo "" ;;  # users-items' default: a SQLite file in DATA_DIR
      fastapi) echo "sqlite:///$dir/app.db" ;;
    esac
  fi
}

start() { # server backend url
  local dir=$bench/$out/$1-$2
  case $1 in
    fastrs)
      (cd "$dir" && export DATA_DIR=$dir LOG_FORMAT=off WORKER=off PORT=$PORT \
        JWT_SECRET=bench-secret-bench-secret-bench-secret \
        && if [ -n "$3" ]; then export DATABASE_URL=$3; fi \
        && exec taskset -c 0 "$binary" > server.log 2>&1) &
      ;;
    fastapi)
      (cd service && DATABASE_URL=$3 JWT_SECRET=bench-secret-bench-secret-bench-secret \
        exec taskset -c 0 "$bench/$venv/bin/uvicorn" fastapi_service:app --port $PORT --workers 1 \
        --log-level warning --no-access-log > "$dir/server.log" 2>&1) &
      ;;
  esac
  server_pid=$!
  for _ in $(seq 200); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/openapi.json" && return
    sleep 0.1
  done
  echo "service: $1 on $2 did not start" >&2
  cat "$dir/server.log" >&2
  exit 1
}

stop() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# Registers `email` and prints a bearer token for it.
token() { # email
  curl -sf "http://127.0.0.1:$PORT/users" -H 'content-type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"correct horse\"}" > /dev/null
  curl -sf "http://127.0.0.1:$PORT/token" -d "username=$1&password=correct horse" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

seed() { # -> sets READER, WRITER, ITEM
  READER=$(token reader@example.com)
  WRITER=$(token writer@example.com)
  for i in $(seq 50); do
    curl -sf "http://127.0.0.1:$PORT/items" -H "authorization: Bearer $READER" \
      -H 'content-type: application/json' \
      -d "{\"title\": \"Item $i\", \"description\": \"The item number $i\"}" > /dev/null
  done
  ITEM=$(curl -sf "http://127.0.0.1:$PORT/items?limit=1" -H "authorization: Bearer $READER" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
}

load() { # scenario -> "requests/s p99_ms"
  local script=$bench/$out/$1.lua url
  case $1 in
    me) url=/users/me; printf 'wrk.headers["authorization"] = "Bearer %s"\n' "$READER" > "$script" ;;
    list) url="/items?limit=20"; printf 'wrk.headers["authorization"] = "Bearer %s"\n' "$READER" > "$script" ;;
    read) url="/items/$ITEM"; printf 'wrk.headers["authorization"] = "Bearer %s"\n' "$READER" > "$script" ;;
    create)
      url=/items
      cat > "$script" <<LUA
wrk.method = "POST"
wrk.headers["authorization"] = "Bearer $WRITER"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"title": "Milk", "description": "Two litres, semi-skimmed"}'
LUA
      ;;
  esac
  cat >> "$script" <<'LUA'
done = function(summary, latency, requests)
  local bad = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, bad))
end
LUA
  taskset -c 1 wrk -t1 -c64 --timeout 30s -d1s -s "$script" "http://127.0.0.1:$PORT$url" > /dev/null
  local result
  result=$(taskset -c 1 wrk -t1 -c64 --timeout 30s -d"${SECONDS_PER_RUN}s" -s "$script" "http://127.0.0.1:$PORT$url" \
    | sed -n 's/^RESULT //p')
  read -r rps p99 bad <<<"$result"
  if [ "$bad" != 0 ]; then
    echo "service: $bad requests failed on $1" >&2
    exit 1
  fi
  echo "$rps $p99"
}

results=$out/results.tsv
: > "$results"
for backend in $BACKENDS; do
  for round in $(seq "$ROUNDS"); do
    for server in ${SERVERS:-fastrs fastapi}; do
      url=$(fresh "$backend" "$server")
      start "$server" "$backend" "$url"
      seed
      for scenario in $SCENARIOS; do
        read -r rps p99 <<<"$(load "$scenario")"
        [ -n "$rps" ] || exit 1
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$scenario" "$server" "$round" "$rps" "$p99" >> "$results"
        echo "$backend $scenario $server round $round: $rps requests/s, p99 $p99 ms"
      done
      stop
    done
  done
done

python3 - "$results" <<'PY'
import statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    backend, scenario, server, _, rps, p99 = line.split("\t")
    runs[(backend, scenario, server)].append((float(rps), float(p99)))
names = {"me": "GET /users/me", "list": "GET /items?limit=20", "read": "GET /items/{id}", "create": "POST /items"}
print()
print("| database | route | users-items req/s (p99 ms) | FastAPI req/s (p99 ms) | ratio |")
print("|---|---|---:|---:|---:|")
for (backend, scenario, server) in sorted(runs):
    if server != "fastrs" or (backend, scenario, "fastapi") not in runs:
        continue
    ours, theirs = runs[(backend, scenario, "fastrs")], runs[(backend, scenario, "fastapi")]
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    ratios = [a[0] / b[0] for a, b in zip(ours, theirs)]
    print(f"| {backend} | `{names[scenario]}` | {med(ours, 0):,.0f} ({med(ours, 1):.1f}) | "
          f"{med(theirs, 0):,.0f} ({med(theirs, 1):.1f}) | {statistics.median(ratios):.1f}x "
          f"({min(ratios):.1f}-{max(ratios):.1f}) |")
PY
