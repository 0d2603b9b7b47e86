"""Where a full `mlwarden scan`'s memory goes, phase by phase, under the AWS simulation.

    .venv/bin/python benchmarks/scan_memory_phases.py                 # full estate (3,490 resources)
    .venv/bin/python benchmarks/scan_memory_phases.py --scale 0.25
    .venv/bin/python benchmarks/scan_memory_phases.py --url http://127.0.0.1:PORT   # a running `python -m benchmarks.aws_sim serve`

The scan runs as a child process (`mlwarden scan` as the CLI runs it, through the
simulation's proxy), with a thread sampling its resident memory (/proc/self/status
VmRSS, every 10 ms) and the pipeline's phases marked by wrapping its functions:
start-up (imports, policies), collection (`LiveAccount.read`), derivation and redaction
(the rest of `pipeline.gather`), evaluation (`pipeline.judge`) and writing the reports
(`Run.finish`). For each phase: resident memory when it starts and ends, the highest
sample inside it, and the process's high-water mark (VmHWM) when it ends: the phase in
which VmHWM rises last holds the scan's peak. Memory figures are stable on a shared
machine; wall times are not.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REGION = "eu-west-1"


def _status(field: str) -> float:
    """A /proc/self/status figure in MB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(out: Path, scan_args: list[str]) -> int:
    """Run the CLI in this process with the phases marked; write them to `out`."""
    import threading

    trace = int(os.environ.get("SCAN_MEM_TRACE", "0") or 0)   # --trace N: top N lines per phase
    if trace:
        import tracemalloc
        tracemalloc.start()
    phases: list[dict] = []
    state = {"max": 0.0}
    t0 = time.perf_counter()

    def sample() -> None:
        while True:
            rss = _status("VmRSS")
            if rss > state["max"]:
                state["max"] = rss
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()

    def begin(name: str) -> dict:
        rss = _status("VmRSS")
        state["max"] = rss
        ph = {"phase": name, "start_mb": round(rss, 1), "t_start": round(time.perf_counter() - t0, 2)}
        phases.append(ph)
        return ph

    def end(ph: dict) -> None:
        if trace:
            import tracemalloc
            snap = tracemalloc.take_snapshot()
            ph["traced_mb"] = round(sum(s.size for s in snap.statistics("filename")) / 2**20, 1)
            ph["top"] = [f"{s.size / 2**20:7.1f} MB {s.traceback[0].filename.split('site-packages/')[-1]}:"
                         f"{s.traceback[0].lineno}" for s in snap.statistics("lineno")[:trace]]
        ph["end_mb"] = round(_status("VmRSS"), 1)
        ph["max_mb"] = round(max(state["max"], ph["end_mb"]), 1)
        ph["hwm_mb"] = round(_status("VmHWM"), 1)
        ph["seconds"] = round(time.perf_counter() - t0 - ph["t_start"], 2)
        state["max"] = ph["end_mb"]

    startup = begin("start-up (imports, policies, preflight)")

    def marked(name: str, fn):
        def wrapper(*a, **kw):
            if startup.get("end_mb") is None:
                end(startup)
            ph = begin(name)
            try:
                return fn(*a, **kw)
            finally:
                end(ph)
        return wrapper

    from mlwarden import pipeline, run as run_mod
    from mlwarden.cli import main as cli_main

    read = pipeline.LiveAccount.read
    pipeline.LiveAccount.read = marked("collection", read)
    gather = pipeline.gather

    def gather_marked(source):
        # gather = source.read() (collection, marked above) + derivations + redaction
        got_read = source.read
        box: dict = {}

        def read_then_mark():
            got = got_read()
            box["ph"] = begin("derivations, redaction")
            return got
        try:
            source.read = read_then_mark
        except (AttributeError, TypeError):
            pass
        try:
            return gather(source)
        finally:
            if "ph" in box:
                end(box["ph"])
    pipeline.gather = gather_marked
    pipeline.judge = marked("evaluation", pipeline.judge)
    run_mod.Run.finish = marked("writing reports", run_mod.Run.finish)

    code = 0
    try:
        cli_main.main(args=["scan", *scan_args], standalone_mode=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out.write_text(json.dumps({"phases": phases, "peak_mb": round(_status("VmHWM"), 1),
                               "wall_seconds": round(time.perf_counter() - t0, 2)}))
    return code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--latency-ms", type=float, default=40.0)
    ap.add_argument("--rate", type=float, default=10.0)
    ap.add_argument("--url", help="the proxy of a simulation already running (else one is started)")
    ap.add_argument("--keep", type=Path, help="keep the scan's outputs here")
    ap.add_argument("--format", default="json", help="the scan's --format (default json, as the other benchmarks)")
    ap.add_argument("--json", type=Path, help="also write the phases here")
    ap.add_argument("--trace", type=int, default=0, metavar="N",
                    help="also trace Python allocations (tracemalloc; slower, more memory): the N lines "
                         "holding most at the end of each phase")
    ap.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        return child(Path(args.child[0]), args.child[1:])

    from benchmarks.aws_sim.stack import SimStack, scan_env
    with contextlib.ExitStack() as stack:
        if args.url:
            url = args.url
        else:
            sim = stack.enter_context(SimStack(latency_ms=args.latency_ms, rate=args.rate, scale=args.scale))
            url = sim.url
            print(f"simulation: {sim.info['resources']} resources seeded in {sim.info['seed_seconds']} s",
                  flush=True)
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scan-mem-")))
        out = args.keep or tmp / "out"
        report = tmp / "phases.json"
        cmd = [sys.executable, __file__, "--child", str(report), "--endpoint-url", url, "--regions", REGION,
               "--out", str(out), "--format", args.format, "--fail-on", "none", "-q"]
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=scan_env({"SCAN_MEM_TRACE": str(args.trace)}), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        code = os.waitstatus_to_exitcode(status)
        if not report.exists():
            print(err[-3000:], file=sys.stderr)
            return 1
        figures = json.loads(report.read_text())
        figures["ru_maxrss_mb"] = round(usage.ru_maxrss / 1024, 1)
        figures["exit"] = code
        doc = json.loads((out / "findings.json").read_text()) if (out / "findings.json").exists() else {}
        figures["resources"] = (doc.get("scan") or {}).get("resource_count")
        figures["findings"] = len(doc.get("findings") or [])
        print(f"{'phase':42} {'start':>7} {'max':>7} {'end':>7} {'VmHWM':>7} {'seconds':>8}")
        for ph in figures["phases"]:
            print(f"{ph['phase']:42} {ph['start_mb']:>7.0f} {ph['max_mb']:>7.0f} {ph['end_mb']:>7.0f} "
                  f"{ph['hwm_mb']:>7.0f} {ph['seconds']:>8.1f}")
            if ph.get("top"):
                print(f"    traced Python allocations held at its end: {ph['traced_mb']} MB")
                for line in ph["top"]:
                    print(f"    {line}")
        print(f"peak RSS (wait4) {figures['ru_maxrss_mb']:.0f} MB, wall {wall:.1f} s, exit {code}, "
              f"{figures['resources']} resources, {figures['findings']} findings (MB; seconds are indicative)")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
