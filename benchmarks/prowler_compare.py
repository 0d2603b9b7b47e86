"""mlwarden and Prowler's SageMaker checks, side by side on one simulated estate.

    .venv/bin/python benchmarks/prowler_compare.py                 # full estate, 40 ms, 10 req/s per operation
    .venv/bin/python benchmarks/prowler_compare.py --scale 0.1

Prowler (pinned, from PyPI) is installed on first use into its own virtual environment,
benchmarks/.venvs/prowler-<version>/ (git-ignored), and runs `prowler aws --services
sagemaker` under `benchmarks/aws_sim/local_only.py`, which answers every name lookup
with 127.0.0.1 and refuses connections elsewhere: with AWS_ENDPOINT_URL botocore sends
each service to the proxy, but builds `<account>.127.0.0.1` hosts for S3 Control, and
nothing may leave the machine. mlwarden runs its full scan (every collector, all
policies) through the same proxy; each tool starts with full token buckets. Prints both
tools' figures and the ratios mlwarden / Prowler of wall time and peak memory.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.aws_sim.scans import prowler_python, run_mlwarden, run_prowler  # noqa: E402
from benchmarks.scan_sim_bench import rate_text, sim_arguments, start_sim, work_dir  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sim_arguments(ap)
    args = ap.parse_args()
    python = prowler_python()
    with work_dir(args) as tmp, start_sim(args) as sim:
        print(f"simulation: {sim.info['resources']} resources; {args.latency_ms:g} ms per call, "
              f"{rate_text(args)}", flush=True)
        ours = run_mlwarden(sim, Path(tmp))
        print(ours.summary(), flush=True)
        theirs = run_prowler(sim, Path(tmp), python)
        print(theirs.summary(), flush=True)
    wall = ours.measured.wall_seconds / theirs.measured.wall_seconds
    rss = ours.measured.peak_rss_mb / theirs.measured.peak_rss_mb
    print(f"mlwarden / Prowler: wall time {wall:.2f}x, peak memory {rss:.2f}x "
          f"(mlwarden judged {ours.resources} resources with all its policies, "
          f"Prowler {theirs.resources} with its SageMaker checks)")
    for result in (ours, theirs):
        if result.incomplete():
            print(result.incomplete())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
