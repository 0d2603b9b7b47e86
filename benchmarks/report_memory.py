"""What writing each report format adds to memory, rendered alone from a scan's findings.

    .venv/bin/python benchmarks/report_memory.py FINDINGS_JSON [--formats html,sarif,...]

Each format is written (`reports.write.write_reports`, as `mlwarden scan` writes it:
streamed where the renderer streams) in a process of its own, after loading the
findings document; printed per format: resident memory before writing, the high-water
mark (VmHWM) after, their difference (what writing added), the file's size and the
seconds writing took. The findings.json of a full simulated scan
(`scan_memory_phases.py --keep DIR`) is what docs/scale.md's figures come from.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ["html", "sarif", "asff", "csv", "junit", "pdf"]


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(findings: Path, fmt: str) -> dict:
    from mlwarden.findings import FindingsDocument
    from mlwarden.reports.base import RenderContext, registry
    from mlwarden.reports.write import write_reports

    registry()
    doc = FindingsDocument.load(findings)
    before = _status("VmRSS")
    # The high-water mark so far must not hide what writing adds: reset it (Linux >= 4.0).
    Path("/proc/self/clear_refs").write_text("5")
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        written = write_reports(doc, [fmt], RenderContext(out_dir=Path(out)))
        seconds = time.perf_counter() - t0
        size = written[fmt].stat().st_size
    return {"format": fmt, "before_mb": before, "hwm_mb": _status("VmHWM"), "size_mb": size / 1e6,
            "seconds": seconds, "findings": len(doc.findings)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("findings", type=Path)
    ap.add_argument("--formats", default=",".join(FORMATS[:-1]))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.findings.is_file():
        print(f"report_memory: no findings file {args.findings}", file=sys.stderr)
        return 2
    if args.child:
        print(json.dumps(child(args.findings, args.child)))
        return 0
    print(f"{'format':8} {'before':>7} {'VmHWM':>7} {'added':>7} {'size MB':>8} {'seconds':>8}")
    for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
        # json (findings.json) is always written first, as in a scan: measured alone too.
        proc = subprocess.run([sys.executable, __file__, str(args.findings), "--child", fmt],
                              capture_output=True, text=True, env=os.environ)
        if proc.returncode:
            print(f"{fmt:8} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout)
        print(f"{fmt:8} {r['before_mb']:7d} {r['hwm_mb']:7d} {r['hwm_mb'] - r['before_mb']:7d} "
              f"{r['size_mb']:8.1f} {r['seconds']:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
