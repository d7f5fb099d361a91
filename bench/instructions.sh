#!/usr/bin/env bash
# Instructions per request, in-process, for each scenario, fastrs and axum,
# counted by callgrind: the count for 2000 requests minus the count for
# 1000, divided by 1000. Deterministic for a given binary and machine kind.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet --bin per_request
count() { # framework scenario n
  valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/per_request "$1" "$2" "$3" 2>&1 \
    | awk '/Collected :/ {print $4}'
}
printf '| scenario | fastrs instructions/request | axum instructions/request | fastrs/axum |\n|---|---:|---:|---:|\n'
for scenario in ${SCENARIOS:-plaintext json path_query post_model post_validated deps middleware}; do
  f=$(( ($(count fastrs "$scenario" 2000) - $(count fastrs "$scenario" 1000)) / 1000 ))
  a=$(( ($(count axum "$scenario" 2000) - $(count axum "$scenario" 1000)) / 1000 ))
  printf '| %s | %d | %d | %s |\n' "$scenario" "$f" "$a" "$(python3 -c "print(f'{$f/$a:.2f}')")"
done
