#!/usr/bin/env bash
# Instructions per request, in-process, for each scenario, fastrs and axum,
# counted by callgrind: the count for 2000 requests minus the count for
# 1000, divided by 1000. Deterministic for a given binary and machine kind.
#
#   bench/instructions.sh               the app alone (App::handle, Router::oneshot,
#                                       poem's Endpoint::call, actix-web's test
#                                       service): fastrs, axum, poem-openapi,
#                                       actix-web
#   bench/instructions.sh connection    over one keep-alive loopback connection,
#                                       hyper's connection handling included:
#                                       fastrs, fastrs_nto (header-read timeout
#                                       off), axum::serve, raw hyper, poem's
#                                       Server and actix-web's HttpServer
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = connection ]; then
  cargo build --release --quiet --bin per_connection
  count() { # server scenario n
    valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/per_connection "$1" "$2" "$3" 2>&1 \
      | awk '/Collected :/ {print $4}'
  }
  per_request() { echo $(( ($(count "$1" "$2" 2000) - $(count "$1" "$2" 1000)) / 1000 )); }
  printf '| scenario | fastrs | fastrs_nto | axum | hyper | poem | actix | axum/fastrs | hyper/fastrs | poem/fastrs | actix/fastrs |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  for scenario in ${SCENARIOS:-plaintext json path_query post_model deps state}; do
    f=$(per_request fastrs "$scenario"); n=$(per_request fastrs_nto "$scenario")
    a=$(per_request axum "$scenario"); h=$(per_request hyper "$scenario")
    p=$(per_request poem "$scenario"); x=$(per_request actix "$scenario")
    printf '| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s |\n' "$scenario" "$f" "$n" "$a" "$h" "$p" "$x" \
      "$(python3 -c "print(f'{$a/$f:.3f}')")" "$(python3 -c "print(f'{$h/$f:.3f}')")" \
      "$(python3 -c "print(f'{$p/$f:.3f}')")" "$(python3 -c "print(f'{$x/$f:.3f}')")"
  done
  exit 0
fi
cargo build --release --quiet --bin per_request
count() { # framework scenario n
  valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/per_request "$1" "$2" "$3" 2>&1 \
    | awk '/Collected :/ {print $4}'
}
per_request() { echo $(( ($(count "$1" "$2" 2000) - $(count "$1" "$2" 1000)) / 1000 )); }
printf '| scenario | fastrs | axum | poem-openapi | actix-web | axum/fastrs | poem/fastrs | actix/fastrs |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
for scenario in ${SCENARIOS:-plaintext json path_query post_model post_validated deps state middleware}; do
  f=$(per_request fastrs "$scenario"); a=$(per_request axum "$scenario")
  p=$(per_request poem "$scenario"); x=$(per_request actix "$scenario")
  printf '| %s | %d | %d | %d | %d | %s | %s | %s |\n' "$scenario" "$f" "$a" "$p" "$x" \
    "$(python3 -c "print(f'{$a/$f:.2f}')")" "$(python3 -c "print(f'{$p/$f:.2f}')")" "$(python3 -c "print(f'{$x/$f:.2f}')")"
done
