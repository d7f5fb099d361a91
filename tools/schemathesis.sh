#!/usr/bin/env bash
# Runs schemathesis (`--checks all`, deterministic, a bounded number of
# cases per operation) against each example's /openapi.json and fails on
# any finding that is not in the example's allow-list,
# tools/schemathesis/<example>.json: schemathesis's baseline format, each
# entry with a `reason` saying why the behaviour is FastAPI's own (the
# ports answer exactly as the FastAPI apps they port; the same findings
# show when schemathesis is run against FastAPI). users-items has an
# empty list; catalog, native too, lists only what Pydantic's types do in
# FastAPI as well. Installs schemathesis from PyPI into target/schemathesis-venv.
#
#   tools/schemathesis.sh            (after `cargo test --workspace` built the examples)
#   tools/schemathesis.sh --update   (records new findings; give each a reason)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi

examples="catalog first_steps params errors body response_model dependencies advanced_dependencies lifecycle background bigger_app middleware forms security models2 streaming mount metadata users-items"
port=18900
status=0
for example in $examples; do
  binary=target/debug/examples/$example
  [ "$example" = users-items ] && binary=target/debug/users-items
  [ -x "$binary" ] || binary=target/release/examples/$example
  [ -x "$binary" ] || { echo "schemathesis: build the examples first (cargo test --workspace): no $example" >&2; exit 1; }
  port=$((port + 1))
  # users-items keeps its data in a fresh directory (a SQLite file).
  data_dir=$(mktemp -d)
  env -u DATABASE_URL -u JWT_SECRET DATA_DIR="$data_dir" PORT=$port "$binary" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/openapi.json" >/dev/null 2>&1 && break
    sleep 0.1
  done
  # A server that could not bind (the port taken) has exited: fail rather
  # than test whatever else listens there.
  kill -0 "$server" 2>/dev/null || { echo "schemathesis: $example did not start on port $port" >&2; exit 1; }
  auth=()
  if [ "$example" = users-items ]; then
    # Authenticated: a registered user's bearer token on every request.
    curl -sf "http://127.0.0.1:$port/users" -H 'content-type: application/json' \
      -d '{"email": "schemathesis@example.com", "password": "correct horse"}' >/dev/null
    token=$(curl -sf "http://127.0.0.1:$port/token" -d 'username=schemathesis@example.com&password=correct horse' \
      | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
    auth=(--header "Authorization: Bearer $token")
  fi
  allow=tools/schemathesis/$example.json
  [ -f "$allow" ] || printf '{"format_version": 1, "schemathesis_version": "4.32.5", "entries": []}\n' > "$allow"
  args=(run "http://127.0.0.1:$port/openapi.json" --checks all --max-examples 10
        --generation-deterministic --no-color --workers 1 --request-timeout 10
        --baseline "$allow" "${auth[@]}")
  [ "${1:-}" = "--update" ] && args+=(--baseline-update)
  if "$venv/bin/schemathesis" "${args[@]}" > "target/schemathesis-$example.log" 2>&1; then
    echo "schemathesis: $example: no finding outside its allow-list"
  else
    echo "schemathesis: $example: findings outside tools/schemathesis/$example.json:" >&2
    sed -n '/FAILURES/,$p' "target/schemathesis-$example.log" | head -60 >&2
    status=1
  fi
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data_dir"
done
exit $status
