#!/usr/bin/env bash
# The performance regression gate: instructions per request of each
# benchmark scenario (fastrs only, counted by callgrind: the count for 2000
# requests minus the count for 1000, over 1000), compared with
# tools/perf-gate/baseline.tsv. Every scenario runs in process
# (App::handle); plaintext and json also run over one keep-alive loopback
# connection (connection_*), which adds what the in-process count does not
# see: fastrs's server (the connection's clock, its I/O wrapper, the
# service hyper calls) and hyper's HTTP/1 handling; the app has no access
# log there, as in the load benchmark, except in connection_plaintext_logged,
# which counts what the access log (on by default) adds, over two connections
# taking turns (under load, consecutive lines rarely share a client). Fails
# when a scenario costs more than 3% above its baseline. Instruction counts do not depend on machine load,
# so the gate is stable on a shared CI machine.
#
#   tools/perf_gate.sh            check (what .ci/run runs)
#   tools/perf_gate.sh --update   write the current counts as the baseline;
#                                 commit it with the change that moved them,
#                                 and say why in the commit message
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "perf gate: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
cargo build --profile perf-gate -p fastrs-perf-gate --quiet
binary=target/perf-gate/fastrs-perf-gate
baseline=tools/perf-gate/baseline.tsv
tolerance=3
rustc_version=$(rustc --version)

count() { # scenario requests -> instructions
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$1" "$2" 2>&1 \
    | awk '/Collected :/ {print $4}'
}
per_request() { # scenario
  echo $(( ($(count "$1" 2000) - $(count "$1" 1000)) / 1000 ))
}

scenarios="plaintext json path_query post_model post_validated deps deps_named state middleware connection_plaintext connection_json connection_plaintext_logged"
if [ "${1:-}" = "--update" ]; then
  {
    echo "# instructions per request, $rustc_version; tools/perf_gate.sh --update"
    for scenario in $scenarios; do printf '%s\t%s\n' "$scenario" "$(per_request "$scenario")"; done
  } > "$baseline.new"
  mv "$baseline.new" "$baseline"
  cat "$baseline"
  exit 0
fi

# Code an app links only when it uses it: the gate's app declares no
# pattern and no WebSocket route, so it must not carry the regex parser
# and its Unicode tables, nor the WebSocket protocol (each reached only
# through a function pointer that a pattern or a WebSocket route sets;
# about 0.5 MiB of code and relocations between them).
symbols=$(nm -C "$binary")
for unused in 'regex_syntax::ast::parse' 'regex_syntax::unicode' 'tungstenite::'; do
  if grep -q "$unused" <<<"$symbols"; then
    echo "perf gate: an app with no pattern and no WebSocket route links $unused; reach it through Pattern's engine or a response's CompleteWithRequest, not by a direct call" >&2
    exit 1
  fi
done
echo "perf gate: code for patterns and WebSockets is linked only when used"

[ -f "$baseline" ] || { echo "perf gate: no baseline; run tools/perf_gate.sh --update" >&2; exit 1; }
recorded=$(head -1 "$baseline" | sed 's/^# instructions per request, //; s/;.*//')
if [ "$recorded" != "$rustc_version" ]; then
  echo "perf gate: the baseline was counted with $recorded, this is $rustc_version; counts may shift with the compiler"
fi
status=0
printf '%-28s %10s %10s %8s\n' scenario baseline now change
for scenario in $scenarios; do
  base=$(awk -v s="$scenario" '$1 == s {print $2}' "$baseline")
  [ -n "$base" ] || { echo "perf gate: $scenario has no baseline; run tools/perf_gate.sh --update" >&2; status=1; continue; }
  now=$(per_request "$scenario")
  change=$(python3 -c "print(f'{($now - $base) * 100 / $base:+.1f}%')")
  printf '%-28s %10d %10d %8s\n' "$scenario" "$base" "$now" "$change"
  if [ $(( now * 100 )) -gt $(( base * (100 + tolerance) )) ]; then
    echo "perf gate: $scenario costs $change instructions per request (more than +$tolerance%)" >&2
    status=1
  fi
done
[ $status = 0 ] && echo "perf gate: every scenario within +$tolerance% of its baseline"
exit $status
