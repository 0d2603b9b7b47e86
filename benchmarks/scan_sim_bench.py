"""A full `mlwarden scan` of an account-sized ML estate under AWS-like latency and throttling.

    .venv/bin/python benchmarks/scan_sim_bench.py                     # 3,490 resources, 40 ms, 10 req/s per operation
    .venv/bin/python benchmarks/scan_sim_bench.py --scale 0.1         # a tenth of it, for a quick run
    .venv/bin/python benchmarks/scan_sim_bench.py --rate 5 --latency-ms 80 --op-rate s3=10
    .venv/bin/python benchmarks/scan_sim_bench.py --estate demo --latency-ms 0 --rate 0   # calls per resource, demo
    .venv/bin/python benchmarks/scan_sim_bench.py --baseline-commit 6f19c80   # that commit's scan first, same simulation

The simulation (`benchmarks/aws_sim/`) runs in its own process: a moto server seeded
with the estate (2,000 model packages in 40 groups, 500 training jobs over two years, 300
endpoints with configurations and models, 40 roles, 10 buckets at --scale 1) behind a
proxy that adds --latency-ms to every call and answers calls over --rate per (service,
operation; S3 at its own, much higher rate) with the throttling error AWS sends. The scan is the installed mlwarden's CLI,
run as a child process: whatever collectors are installed are the ones measured.

Prints wall time, peak RSS of the scan process, requests seen by the proxy (all of
them, the throttled ones, and answered requests per resource scanned), coverage gaps,
and the operations with most requests.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.aws_sim.scans import installed_commit, run_mlwarden  # noqa: E402
from benchmarks.aws_sim.stack import SimStack  # noqa: E402


def sim_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--estate", choices=["sim", "demo"], default="sim",
                    help="sim: the account-scale estate (default); demo: the demo's two accounts "
                         "(about 90 resources), scanned as `mlwarden demo` does, through a role in each")
    ap.add_argument("--scale", type=float, default=1.0, help="estate size; 1 = 2,000 packages (3,490 resources)")
    ap.add_argument("--latency-ms", type=float, default=40.0)
    ap.add_argument("--rate", type=float, default=10.0, help="requests/s per (service, operation); 0: unlimited")
    ap.add_argument("--op-rate", action="append", default=[],
                    help="service:Operation=N or service=N (repeatable); S3 is metered at "
                         "5,500 req/s per operation (its documented GET/HEAD rate) unless given here")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--keep", type=Path, help="keep each tool's outputs and log in this directory")


def work_dir(args):
    """--keep DIR, or a temporary directory removed afterwards."""
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return contextlib.nullcontext(str(args.keep))
    return tempfile.TemporaryDirectory(prefix="scan-sim-")


def rate_text(args) -> str:
    return f"{args.rate:g} req/s per operation" if args.rate > 0 else "no rate limit"


def start_sim(args) -> SimStack:
    return SimStack(latency_ms=args.latency_ms, rate=args.rate, scale=args.scale, seed=args.seed,
                    op_rates=tuple(args.op_rate), estate=args.estate)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sim_arguments(ap)
    ap.add_argument("--top", type=int, default=10, help="operations listed by request count")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--compare", type=Path, help="an earlier --json file (e.g. before a change): print the ratios")
    ap.add_argument("--baseline-commit", metavar="REV",
                    help="also scan with mlwarden as it was at git revision REV (built into the work "
                         "directory from `git archive`), first, in the same simulation: both sets of "
                         "figures and the ratios, side by side")
    args = ap.parse_args()

    with work_dir(args) as tmp, start_sim(args) as sim:
        print(f"simulation: {sim.info['resources']} resources seeded in {sim.info['seed_seconds']} s; "
              f"{args.latency_ms:g} ms per call, {rate_text(args)}"
              + (f", {', '.join(args.op_rate)}" if args.op_rate else ""), flush=True)
        runs = []
        if args.baseline_commit:
            site = installed_commit(args.baseline_commit, Path(tmp))
            runs.append(run_mlwarden(sim, Path(tmp), commit_site=site,
                                     label=f"mlwarden {site.name.removeprefix('site-')}"))
            report(runs[-1], sim, args)
        runs.append(run_mlwarden(sim, Path(tmp)))
        figures = report(runs[-1], sim, args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    if len(runs) == 2:
        print(compare(figures_of(runs[0], sim, args), figures))
    if args.compare:
        print(compare(json.loads(args.compare.read_text()), figures))
    return 0 if runs[-1].measured.returncode == 0 else 1


def report(result, sim, args) -> dict:
    """Print one scan's figures (summary, failed reads, top operations); return them."""
    if result.measured.returncode != 0 and result.log is not None:
        print(result.log.read_text()[-2000:], file=sys.stderr)
    print(result.summary())
    if result.incomplete():
        print(result.incomplete())
    ops = sorted(result.stats["operations"].items(), key=lambda kv: -kv[1]["calls"])
    print(f"{'operation':50} {'requests':>9} {'throttled':>9}")
    for name, counts in ops[: args.top]:
        print(f"{name:50} {counts['calls']:>9} {counts['throttled']:>9}")
    print(flush=True)
    return figures_of(result, sim, args)


def figures_of(result, sim, args) -> dict:
    return {
        "tool": result.tool,
        "estate": args.estate, "scale": args.scale, "latency_ms": args.latency_ms, "rate": args.rate,
        "op_rate": args.op_rate,
        "wall_seconds": round(result.measured.wall_seconds, 2),
        "peak_rss_mb": round(result.measured.peak_rss_mb, 1), "resources": result.resources,
        "requests": result.stats["calls"], "throttled": result.stats["throttled"],
        "answered_per_resource": round(result.answered / max(1, result.resources), 3),
        "coverage_gaps": result.gaps,
        "gap_kinds": {f"{op} {code}": n for (op, code), n in result.gap_kinds.items()},
        "estate_resources": sim.info["resources"], "operations": result.stats["operations"]}


def compare(before: dict, after: dict) -> str:
    """Ratios now / before, and whether both ran under the same simulation."""
    same = all(before.get(k) == after.get(k) for k in ("estate", "scale", "latency_ms", "rate", "op_rate"))
    return (f"{after.get('tool', 'now')} vs {'' if same else 'a DIFFERENT simulation: '}"
            f"{before.get('tool', 'before')}: wall "
            f"{after['wall_seconds']:.1f} s / {before['wall_seconds']:.1f} s = "
            f"speed-up {before['wall_seconds'] / after['wall_seconds']:.2f}x; peak RSS "
            f"{after['peak_rss_mb']:.0f} / {before['peak_rss_mb']:.0f} MB; answered requests per resource "
            f"{after['answered_per_resource']:.2f} / {before['answered_per_resource']:.2f}; resources "
            f"{after['resources']} / {before['resources']}; failed reads "
            f"{after['coverage_gaps']} / {before['coverage_gaps']}")


if __name__ == "__main__":
    raise SystemExit(main())
