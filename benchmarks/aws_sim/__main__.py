"""`python -m benchmarks.aws_sim serve`: moto on a free port, the seeded estate on it,
and the simulation proxy in front; writes where they listen (and how large the estate
is) to --ready-file as JSON, then serves until interrupted or terminated."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from .estate import EstateSize, seed_estate
from .proxy import SimProxy
from .throttle import RateLimits

# S3 serves "at least 5,500 GET/HEAD requests per second per partitioned prefix" (S3 user
# guide, "Best practices design patterns: optimizing Amazon S3 performance"), far above
# the control-plane APIs' rates: a scan's HeadObject per artefact is not held to --rate.
S3_RATE = {"s3": 5500.0}


def parse_rates(values: list[str]) -> dict[str, float]:
    """--op-rate sagemaker:ListTags=5 (or sagemaker=5 for the whole service)."""
    out = {}
    for v in values:
        name, sep, rate = v.partition("=")
        try:
            out[name] = float(rate)
        except ValueError:
            sep = ""
        if not sep or not name:
            raise SystemExit(f"--op-rate {v!r}: expected service:Operation=N or service=N")
    return out


def seed(estate: str, url: str, scale: float, seed: int) -> tuple[dict, int, list[str]]:
    """Seed the estate; return its counts, its resource count and the arguments a scan
    of it needs besides the endpoint (the demo is read as an organisation scan)."""
    if estate == "demo":
        from mlwarden.demo.estate import DEMO_REGION
        from mlwarden.demo.estate import seed as seed_demo
        from mlwarden.demo.run import SCAN_ROLE
        e = seed_demo(url, (DEMO_REGION,))
        return ({"accounts": 2}, e.resource_count,
                ["--accounts", f"{e.account},{e.registry_account}", "--role-name", SCAN_ROLE])
    size = EstateSize().scaled(scale)
    return seed_estate(url, size, seed=seed), size.resources, []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.aws_sim")
    sub = ap.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="moto + seeded estate + simulation proxy")
    serve.add_argument("--latency-ms", type=float, default=40.0, help="added to every call (default 40)")
    serve.add_argument("--rate", type=float, default=10.0,
                       help="requests/s per (service, operation); 0 = unlimited (default 10)")
    serve.add_argument("--burst-seconds", type=float, default=1.0, help="bucket size in seconds of rate")
    serve.add_argument("--op-rate", action="append", default=[], help="service:Operation=N or service=N (repeatable; S3 defaults to s3=5500)")
    serve.add_argument("--estate", choices=["sim", "demo"], default="sim",
                       help="sim: the seeded account-scale estate; demo: `mlwarden demo`'s two accounts")
    serve.add_argument("--scale", type=float, default=1.0, help="estate size relative to 2,000 packages")
    serve.add_argument("--seed", type=int, default=17)
    serve.add_argument("--port", type=int, default=0, help="the proxy's port (default: a free one)")
    serve.add_argument("--ready-file", type=Path, help="JSON with the URLs once serving")
    args = ap.parse_args(argv)
    if args.scale <= 0:
        ap.error("--scale: must be > 0")

    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing"})
    from mlwarden.demo import moto_extensions
    from mlwarden.demo.server import MotoServer
    moto_extensions.install()
    moto = MotoServer().start()
    try:
        t = time.perf_counter()
        counts, resources, scan_args = seed(args.estate, moto.url, args.scale, args.seed)
        seeded = time.perf_counter() - t
        limits = RateLimits(default=args.rate, burst_seconds=args.burst_seconds,
                            per_operation={**S3_RATE, **parse_rates(args.op_rate)})
        with SimProxy(moto.url, latency=args.latency_ms / 1000, limits=limits, port=args.port) as proxy:
            info = {"proxy": proxy.url, "moto": moto.url, "pid": os.getpid(), "counts": counts,
                    "resources": resources, "scan_args": scan_args, "seed_seconds": round(seeded, 1),
                    "latency_ms": args.latency_ms, "rate": args.rate}
            if args.ready_file:
                tmp = args.ready_file.with_suffix(".tmp")
                tmp.write_text(json.dumps(info))
                tmp.replace(args.ready_file)   # whole or absent: the reader polls for it
            print(json.dumps(info), file=sys.stderr, flush=True)
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            try:
                stop.wait()
            except KeyboardInterrupt:
                pass
    finally:
        moto.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
