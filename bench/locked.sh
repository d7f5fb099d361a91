#!/usr/bin/env bash
# Locked (atomic read-modify-write) instructions per request, over one
# keep-alive connection, for each server: callgrind's per-instruction counts
# for 2000 requests minus those for 1000, summed over the addresses at which
# objdump shows a `lock`-prefixed instruction or an `xchg` with memory (which
# locks without the prefix). An uncontended locked instruction costs about
# twenty cycles and orders every memory access around it, so two servers
# with the same instruction count can differ by these.
#
#   bench/locked.sh [SCENARIO...]        (default: plaintext deps)
#
# Counts the benchmark binary's own code (fastrs or axum, hyper, tokio,
# bytes), not libc's. The client's share is in every server's figure alike.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet --bin per_connection
binary=target/release/per_connection
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
objdump -d --no-show-raw-insn "$binary" \
  | awk '/^ *[0-9a-f]+:\t(lock |xchg +[^,]*,\(|xchg +%[a-z0-9]+,[^%])/ {sub(":", "", $1); print $1}' >"$out/locked"
count() { # server scenario n -> file of "address count" lines
  valgrind --tool=callgrind --dump-instr=yes --compress-pos=no --compress-strings=no \
    --callgrind-out-file="$out/$1.$2.$3" "$binary" "$1" "$2" "$3" >/dev/null 2>&1
}
per_request() { # server scenario
  count "$1" "$2" 1000
  count "$1" "$2" 2000
  python3 - "$out/locked" "$out/$1.$2.1000" "$out/$1.$2.2000" <<'PY'
import re, sys
locked = {int(a, 16) for a in open(sys.argv[1]).read().split()}
def costs(path):
    total, obj, after_call = 0, "", False
    for line in open(path):
        if line.startswith("ob="):
            obj = line[3:].strip()
        elif line.startswith("calls="):
            after_call = True  # the next cost line is the call's, not the instruction's
        else:
            m = re.match(r"0x([0-9a-f]+) \d+ (\d+)", line)
            if m:
                if not after_call and obj.endswith("per_connection") and int(m.group(1), 16) in locked:
                    total += int(m.group(2))
                after_call = False
    return total
print(f"{(costs(sys.argv[3]) - costs(sys.argv[2])) / 1000:.1f}")
PY
}
printf '| scenario | fastrs | axum | hyper |\n|---|---:|---:|---:|\n'
scenarios=("$@")
(( ${#scenarios[@]} )) || scenarios=(plaintext deps)
for scenario in "${scenarios[@]}"; do
  printf '| %s | %s | %s | %s |\n' "$scenario" \
    "$(per_request fastrs "$scenario")" "$(per_request axum "$scenario")" "$(per_request hyper "$scenario")"
done
