"""Evaluation cost per engine: the Wasm engine (1 and 2 workers) and native OPA.

    .venv/bin/python -m benchmarks.bench_engines [--sizes 10000,50000]
                                                 [--engines wasm:1,wasm:2,opa]

Each inventory is the demo estate as the collectors read it, copied under new account
ids up to the size (benchmarks/evaluate_bench.py), saved as inventory.json and judged
the way `mlwarden evaluate` judges it (Inventory.load, evaluate_inventory with the
shipped library). Prints seconds and ms/resource per (engine, size) and, per engine,
the ratio of the largest to the smallest size's time (linear would be the ratio of
the sizes). Native OPA needs an `opa` binary (.tools/bin/opa or PATH).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.evaluate_bench import demo_templates, synthetic_inventory


def judge(path: Path, engine: str, workers: int | None) -> tuple[int, int, float]:
    from mlwarden.api import EvalOptions, evaluate_inventory
    from mlwarden.inventory import Inventory

    start = time.perf_counter()
    inv = Inventory.load(path)
    doc = evaluate_inventory(inv, EvalOptions(engine=engine, workers=workers))
    return len(inv.resources), len(doc.findings), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--engines", default="wasm:1,wasm:2,opa",
                    help="comma-separated engine[:workers] (workers: Wasm engine only)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [(e.split(":")[0], int(e.split(":")[1]) if ":" in e else None) for e in args.engines.split(",")]

    templates = demo_templates()
    print(f"demo estate: {len(templates)} resource documents per copy", flush=True)
    timings: dict[tuple[str, int | None], dict[int, float]] = {}
    with tempfile.TemporaryDirectory(prefix="mlw-bench-engines-") as tmp:
        paths = {}
        for n in sizes:
            paths[n] = Path(tmp) / f"inventory-{n}.json"
            paths[n].write_text(json.dumps(synthetic_inventory(templates, n)))
        print(f"{'engine':<16} {'resources':>9} {'findings':>9} {'seconds':>8} {'ms/resource':>12}")
        for engine, workers in engines:
            label = f"{engine}" + (f", {workers} worker{'s' if workers > 1 else ''}" if workers else "")
            for n in sizes:
                resources, findings, seconds = judge(paths[n], engine, workers)
                timings.setdefault((engine, workers), {})[n] = seconds
                print(f"{label:<16} {resources:>9} {findings:>9} {seconds:>8.1f} "
                      f"{seconds / resources * 1000:>12.3f}", flush=True)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for (engine, workers), t in timings.items():
            label = f"{engine}" + (f", {workers} worker{'s' if workers > 1 else ''}" if workers else "")
            print(f"{label:<16} ratio {large // 1000}k/{small // 1000}k: {t[large] / t[small]:.2f} "
                  f"(linear: {large / small:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
