#!/usr/bin/env bash
# Generated clients work unchanged: the users/items service is started, its
# /openapi.json fetched, and two clients generated from it as FastAPI's
# "Generate Clients" chapter does, each then driving a scenario through
# every operation and every documented error (tools/clients/):
#
# - Python: openapi-python-client (PyPI, in target/clients-venv), whose
#   output must come without a warning;
# - TypeScript: openapi-typescript's types and the openapi-fetch client
#   (npm, tools/clients/ts), checked by tsc, run by tsx;
# - Rust: the service's own typed client, through its command line
#   (users-items-cli), as a user runs it.
#
# Needs the service built (cargo test --workspace builds it), python3 with
# venv, node and npm.
#
#     tools/clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
binary=target/debug/users-items
cli=target/debug/users-items-cli
for built in "$binary" "$cli"; do
  [ -x "$built" ] || { echo "clients: build the service first (cargo build -p users-items --bins)" >&2; exit 1; }
done
out=target/clients
rm -rf "$out"
mkdir -p "$out/data"

venv=target/clients-venv
if [ ! -x "$venv/bin/openapi-python-client" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    openapi-python-client==0.29.1 ruff==0.17.6
fi
(cd tools/clients/ts && npm ci --no-audit --no-fund --loglevel=error)

# The service, on a port of its own, with its data in target/clients.
(cd "$out/data" && PORT=0 WORKER=off exec "$root/$binary" > access.log 2> server.log) &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
address=""
for _ in $(seq 100); do
  address=$(sed -n 's|.*listening on http://\([^ ]*\) .*|\1|p' "$out/data/server.log")
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { echo "clients: the service did not start" >&2; cat "$out/data/server.log" >&2; exit 1; }
curl -sf "http://$address/openapi.json" -o "$out/openapi.json"

# Python: generated without a warning, then the scenario.
(cd "$out" && PATH="$root/$venv/bin:$PATH" openapi-python-client generate \
  --path openapi.json > python-generate.log 2>&1) \
  || { cat "$out/python-generate.log" >&2; exit 1; }
if grep -qi "warning" "$out/python-generate.log"; then
  echo "clients: openapi-python-client warned:" >&2
  cat "$out/python-generate.log" >&2
  exit 1
fi
PYTHONPATH="$out/users-items-client" "$venv/bin/python" tools/clients/scenario.py "http://$address"

# TypeScript: the types, checked with the scenario by tsc, then run. A
# field with a default is optional (openapi-typescript 7 would make it
# required, in request bodies too: the login form's `scope`).
cd tools/clients/ts
npx openapi-typescript "$root/$out/openapi.json" --default-non-nullable false \
  -o generated/schema.d.ts --silent
npx tsc -p .
npx tsx scenario.ts "http://$address"
cd "$root"

# Rust: the typed client's command line; each answer checked.
expect() { # expect PATTERN COMMAND...: runs it, its whole output must match
  local pattern=$1 output
  shift
  output=$("$@" 2>&1) || true
  if ! [[ $output =~ $pattern ]]; then
    echo "clients: '$*' printed '$output', not /$pattern/" >&2
    exit 1
  fi
}
export API_URL="http://$address"
expect '^registered user [0-9]+ \(cli@example.com\)$' "$cli" register cli@example.com rust-client-1
expect '^users-items-cli: 409 Conflict: "Email already registered"$' "$cli" register cli@example.com rust-client-1
expect '^users-items-cli: 422 Unprocessable Entity: body.password: String should have at least 8 characters$' \
  "$cli" register other@example.com short
expect '^users-items-cli: 400 Bad Request: "Incorrect email or password"$' "$cli" login cli@example.com wrong-password
API_TOKEN=$("$cli" login cli@example.com rust-client-1)
export API_TOKEN
expect '^added item [0-9]+: Milk$' "$cli" add Milk "two litres"
expect '^added item [0-9]+: Bread$' "$cli" add Bread
tab=$'\t' newline=$'\n'
expect "^[0-9]+${tab}Milk${newline}[0-9]+${tab}Bread\$" "$cli" list
expect "^[0-9]+${tab}Bread\$" "$cli" list rea
API_TOKEN=not-a-token expect '^users-items-cli: 401 Unauthorized: "Could not validate credentials"$' "$cli" list
echo "rust client: every command and every documented error parsed"
