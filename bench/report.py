"""Summarises bench/run.sh's measurements: a table per scenario and the
ratios of fastrs to the others, with their spread over the rounds."""
import statistics
import sys
from collections import defaultdict


def millis(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


rows = defaultdict(list)
with open(sys.argv[1]) as f:
    next(f)
    for line in f:
        rnd, scenario, server, rps, p50, p99, rss = line.split()
        rows[(scenario, server)].append((float(rps), millis(p50), millis(p99), int(rss)))

scenarios = list(dict.fromkeys(s for s, _ in rows))
servers = list(dict.fromkeys(v for _, v in rows))
print("| scenario | server | requests/s | p50 ms | p99 ms | peak RSS MiB |")
print("|---|---|---:|---:|---:|---:|")
for scenario in scenarios:
    for server in servers:
        runs = rows[(scenario, server)]
        print(f"| {scenario} | {server} | {statistics.mean(r[0] for r in runs):,.0f} | "
              f"{statistics.median(r[1] for r in runs):.3f} | {statistics.median(r[2] for r in runs):.3f} | "
              f"{max(r[3] for r in runs) / 1024:.1f} |")
for variant in [v for v in ("fastrs", "fastrs_nto") if v in servers]:
    print()
    print(f"Ratios of {variant} (mean over rounds, min-max in brackets):")
    print()
    peers = ("axum", "hyper", "poem", "actix", "fastapi")
    others = [o for o in peers if o in servers]
    names = {"axum": "axum", "hyper": "hyper", "poem": "poem-openapi", "actix": "actix-web", "fastapi": "FastAPI"}
    print(f"| scenario | {' | '.join(f'{variant}/{names[o]}' for o in others)} | peak RSS {variant}/axum |")
    print("|---|" + "---|" * len(others) + "---:|")
    for scenario in scenarios:
        cells = []
        for other in others:
            ratios = [f[0] / o[0] for f, o in zip(rows[(scenario, variant)], rows[(scenario, other)])]
            cells.append(f"{statistics.mean(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})")
        rss = max(r[3] for r in rows[(scenario, variant)]) / max(r[3] for r in rows[(scenario, "axum")])
        print(f"| {scenario} | {' | '.join(cells)} | {rss:.2f} |")
