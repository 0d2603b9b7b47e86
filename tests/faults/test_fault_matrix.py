"""The fault matrix: every AWS operation the collectors declare × every fault kind.

One demo estate is seeded into a moto server; a clean scan through the fault proxy
is the baseline. Each case faults one operation and re-scans: no FAIL may turn
PASS, no FAIL may vanish without a NOT_ASSESSED (or ERROR) in its place, nothing
may crash, and the fault must show as a coverage gap naming the operation.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.support import fault_matrix as fm
from tests.support.demo_estate import seeded_demo_server
from tests.support.fault_proxy import FAULT_KINDS, FaultProxy

REGIONS = ["eu-west-1"]
# Worker processes: the cases are mostly waiting on moto, the proxy and retry back-off.
WORKERS = 4
# `make test` runs every declared operation under 7 fault kinds with 3 attempts per
# call; `make faults` (MLWARDEN_FAULT_MATRIX=full) adds the hang and the HTML 502 (the
# slowest kinds: a hang outlasts the read timeout) with the scan's default 8 attempts.
FULL = os.environ.get("MLWARDEN_FAULT_MATRIX") == "full"
KINDS = FAULT_KINDS if FULL else tuple(k for k in FAULT_KINDS if k not in ("hang", "html_502"))
MAX_ATTEMPTS = None if FULL else 3


@pytest.fixture(scope="module")
def estate():
    with seeded_demo_server(REGIONS) as (server, _):
        yield server.url


@pytest.fixture(scope="module")
def baseline(estate):
    ops = fm.declared_operations()
    services = sorted({s for s, _ in ops} | {s for s, _ in fm.SCAN_OPERATIONS})
    from mlwarden.demo.server import fake_credentials
    with fake_credentials(), FaultProxy(estate, services) as proxy:
        raw = fm.collect_raw(proxy.url, REGIONS, clean=True)
        seen, unknown = set(proxy.seen), set(proxy.unknown)
    assert raw.gaps == [], "the clean scan must read everything"
    doc = fm.Evaluator()(fm.derived(raw))
    return {"raw": raw, "ops": ops, "services": services, "seen": seen, "unknown": unknown,
            "verdicts": fm.verdicts(doc)}


@pytest.mark.aws   # a scan of the demo estate on moto (through the `baseline` fixture)
def test_every_call_the_scan_makes_is_declared(baseline):
    undeclared = baseline["seen"] - set(baseline["ops"]) - fm.SCAN_OPERATIONS
    assert not undeclared, f"collectors call operations they do not declare: {sorted(undeclared)}"
    assert not baseline["unknown"], f"requests the proxy could not name: {baseline['unknown']}"
    # The baseline has findings to lose: a matrix over an estate without FAILs proves nothing.
    assert sum(s == "FAIL" for s in baseline["verdicts"].values()) > 50


@pytest.mark.aws
def test_the_bulk_reads_are_exercised_so_the_matrix_faults_them(baseline):
    # The calls most resources now depend on: a fault in one must show up as gaps or
    # missing facets on all they serve, which the matrix checks only if the clean scan
    # makes them.
    bulk = {("sagemaker", "Search"), ("iam", "GetAccountAuthorizationDetails"),
            ("resourcegroupstaggingapi", "GetResources"), ("application-autoscaling", "DescribeScalableTargets")}
    assert bulk <= baseline["seen"] and bulk <= set(baseline["ops"])


def _cases(ops: dict, seen: set) -> list[fm.Case]:
    """Every operation × every kind, plus one full-scan spot check per kind (on
    operations the estate exercises, a different one for each kind)."""
    cases = [fm.Case(service=s, operation=o, kind=k, types=tuple(sorted(ops[(s, o)])))
             for (s, o) in sorted(ops) for k in KINDS]
    exercised = sorted(op for op in ops if op in seen)
    for i, kind in enumerate(KINDS):
        s, o = exercised[(i * 7) % len(exercised)]
        cases.append(fm.Case(service=s, operation=o, kind=kind, types=tuple(sorted(ops[(s, o)])),
                             full=True))
    return cases


@pytest.mark.slow
def test_fault_matrix(estate, baseline, capsys):
    cases = _cases(baseline["ops"], baseline["seen"])
    # Whole operations per worker (its evaluation memo serves an operation's kinds, and
    # a full-scan spot check follows its spliced twin).
    ops = sorted({(c.service, c.operation) for c in cases})
    chunks = [sorted((c for c in cases if ops.index((c.service, c.operation)) % WORKERS == w),
                     key=lambda c: (c.service, c.operation, c.kind, c.full)) for w in range(WORKERS)]
    started = time.monotonic()
    raw_doc = baseline["raw"].to_dict()
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(fm.run_cases, estate, REGIONS, baseline["services"], raw_doc,
                               baseline["verdicts"], chunk, fm.HANG_SECONDS, MAX_ATTEMPTS) for chunk in chunks]
        results = [r for f in futures for r in f.result()]
    elapsed = time.monotonic() - started
    runs = [r for r in results if "case" in r]
    problems = [p for r in runs for p in r["problems"]]
    evaluations = sum(r.get("evaluations", 0) for r in results)
    slowest = sorted(runs, key=lambda r: -r["seconds"])[:3]
    with capsys.disabled():
        print(f"\nfault matrix: {len(runs)} cases ({len(baseline['ops'])} operations × "
              f"{len(KINDS)} kinds + {len(KINDS)} full-scan spot checks), "
              f"{evaluations} evaluations, {elapsed:.0f} s; "
              f"slowest {[(r['case'], r['seconds']) for r in slowest]}; {len(problems)} problems")
    assert len(runs) == len(cases) and len(KINDS) >= 7
    # Every kind was injected somewhere: a proxy that stopped faulting would pass everything.
    assert {r["case"].split(" × ")[1].split(" ")[0] for r in runs if r["injected"]} == set(KINDS)
    assert not problems, "\n".join(problems)
