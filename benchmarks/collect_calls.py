"""AWS API calls per resource of a scan's collection, counted with botocore's events.

    .venv/bin/python benchmarks/collect_calls.py [--scale 1] [--top 15]

Starts a moto server on 127.0.0.1, seeds the demo estate and collects it exactly as
`mlwarden demo` does (both accounts, through the scan role), then adds a mass of
ordinary resources (`benchmarks/aws_sim/call_count.py: seed_scale`, ×`--scale`) to the
workload account and collects that account alone, before and after. Every call is
counted by a `before-call` handler on each botocore session the scan creates (retries
are not calls; the HTTP requests including retries are shown beside). Prints, per
estate: calls, calls per resource, the top operations; and the calls per added
resource between the workload account alone and the grown one.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1, help="multiply the added estate (1: about 1,000 resources)")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()

    from mlwarden.api import collect_inventory
    from mlwarden.demo import moto_extensions
    from mlwarden.demo.estate import DEMO_REGION, seed
    from mlwarden.demo.run import SCAN_ROLE
    from mlwarden.demo.server import MotoServer, fake_credentials
    from mlwarden.permissions import scan_options
    from benchmarks.aws_sim.call_count import CallCount, ScaleSpec, seed_scale

    moto_extensions.install()
    server = MotoServer().start()

    def count(**kwargs):
        counter = CallCount()
        started = time.perf_counter()
        with counter.counting():
            inv = collect_inventory(scan_options(endpoint_url=server.url), [DEMO_REGION], **kwargs)
        return counter, inv, time.perf_counter() - started

    try:
        with fake_credentials():
            estate = seed(server.url, (DEMO_REGION,))
            demo, inv, secs = count(accounts=[estate.account, estate.registry_account], role_name=SCAN_ROLE)
            print(f"(a) demo estate, as `mlwarden demo` collects it (2 accounts), {secs:.1f} s, "
                  f"{len(inv.gaps)} gaps")
            print(demo.report(len(inv.resources), args.top))

            alone, inv_alone, _ = count()
            spec = ScaleSpec()
            spec = dataclasses.replace(spec, **{f.name: getattr(spec, f.name) * args.scale
                                                for f in dataclasses.fields(spec)})
            t = time.perf_counter()
            seed_scale(server.url, DEMO_REGION, spec)
            print(f"\nseeded {spec.resources} more resources in {time.perf_counter() - t:.1f} s")
            big, inv_big, secs = count()
            print(f"(b) workload account grown to {len(inv_big.resources)} resources, {secs:.1f} s, "
                  f"{len(inv_big.gaps)} gaps")
            print(big.report(len(inv_big.resources), args.top))
            added = len(inv_big.resources) - len(inv_alone.resources)
            print(f"\nworkload account alone: {alone.total} calls for {len(inv_alone.resources)} resources; "
                  f"per added resource: ({big.total} - {alone.total}) / {added} = "
                  f"{(big.total - alone.total) / max(added, 1):.2f}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
