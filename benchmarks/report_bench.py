"""Report benchmark: render 100,000 synthetic findings to report.html and open it.

    .venv/bin/python benchmarks/report_bench.py [--findings 100000] [--out DIR]

Prints the HTML file size, the render time, and the time headless Chromium takes to
show the first view (navigation start → findings table drawn), then the time one
status filter takes. Floors: < 15 MB, first view < 5 s.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from mlwarden.evaluate import FindingsDocument
from mlwarden.model import CoverageGap, Finding, Severity, Status

FRAMEWORKS = {"NIST-800-53": ["SC-28", "SC-12", "AC-6", "SC-7", "AU-2", "CM-6"],
              "ISO-42001": ["A.7.2", "A.4.4", "A.6.2.6", "A.8.3"], "AWS-FSBP": ["SageMaker.1", "S3.5"]}
TYPES = ["AWS::SageMaker::NotebookInstance", "AWS::SageMaker::Endpoint", "AWS::S3::Bucket",
         "AWS::IAM::Role", "AWS::KMS::Key", "AWS::EC2::SecurityGroup", "AWS::SageMaker::Model"]
CATEGORIES = ["encryption", "network", "least-privilege", "model-integrity", "registry-governance",
              "tagging", "monitoring"]
STATUS_WEIGHTS = [(Status.PASS, 80), (Status.FAIL, 12), (Status.WAIVED, 3), (Status.ERROR, 3),
                  (Status.NOT_ASSESSED, 2)]


def synthetic_document(n: int, *, seed: int = 7) -> FindingsDocument:
    """n findings over ~n/5 resources, 35 policies, 3 accounts, 4 regions."""
    rnd = random.Random(seed)
    accounts = ["111122223333", "444455556666", "777788889999"]
    regions = ["eu-west-1", "us-east-1", "us-west-2", "ap-south-1"]
    policies = []
    for i in range(35):
        fw = {k: rnd.sample(v, 2) for k, v in FRAMEWORKS.items() if rnd.random() < 0.7}
        policies.append(dict(policy_id=f"MLW-BEN-{i:03d}", title=f"Benchmark policy {i} keeps things safe",
                             severity=rnd.choice(list(Severity)), category=CATEGORIES[i % len(CATEGORIES)],
                             controls=fw, remediation={"runbook": f"runbook-{i % 9}"} if i % 3 else {},
                             type=TYPES[i % len(TYPES)]))
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    findings = []
    i = 0
    while len(findings) < n:
        acct, region = accounts[i % 3], regions[(i // 3) % 4]
        typ = TYPES[i % len(TYPES)]
        rid = f"res-{i:06d}"
        arn = f"arn:aws:{typ.split('::')[1].lower()}:{region}:{acct}:{typ.split('::')[2].lower()}/{rid}"
        resource = {"type": typ, "id": rid, "arn": arn, "account": acct, "region": region,
                    "source": {"kind": "live"}}
        for p in (p for p in policies if p["type"] == typ):
            if len(findings) >= n:
                break
            status = rnd.choice(statuses)
            msg = (f"{p['title']}: compliant" if status == Status.PASS
                   else f"{typ.split('::')[2]} {rid} violates {p['policy_id']}: setting is {rnd.randint(0, 9)}")
            findings.append(Finding(
                policy_id=p["policy_id"], title=p["title"], severity=p["severity"], category=p["category"],
                status=status, resource=resource, message=msg, controls=p["controls"],
                remediation=p["remediation"], evidence={"properties.Setting": rnd.randint(0, 9)},
                waiver={"policy_id": p["policy_id"], "resource": "*", "reason": "accepted", "owner": "bench",
                        "expires": "2099-01-01", "expired": False} if status == Status.WAIVED else None))
        i += 1
    scan = {"started": "2026-11-27T10:00:00+00:00", "finished": "2026-11-27T10:20:00+00:00",
            "tool": "mlwarden", "tool_version": "bench", "engine": "wasm", "accounts": accounts,
            "regions": regions, "policy_count": len(policies), "resource_count": i, "run_by": "bench"}
    gaps = [CoverageGap(resource_type="AWS::SageMaker::Endpoint", account=accounts[0], region="ap-south-1",
                        operation="ListEndpoints", error_code="AccessDenied", message="not authorized")]
    return FindingsDocument(scan=scan, findings=findings, coverage=gaps, waivers=[])


CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def first_view_seconds(report: Path, total: int, executable: str = "/usr/bin/chromium") -> tuple[float, float, int]:
    """(seconds to the first view, seconds for one status filter, rows shown)."""
    from playwright.sync_api import expect, sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(report.as_uri(), wait_until="domcontentloaded", timeout=60_000)
        page.wait_for_selector("#findings-body tr", timeout=60_000)
        first = time.perf_counter() - start
        start = time.perf_counter()
        page.select_option("#f-status", "FAIL")
        # expect() polls without eval (the report's Content-Security-Policy forbids eval).
        expect(page.locator("#match-count")).not_to_have_text(re.compile(rf"^{total} of "))
        filtered = time.perf_counter() - start
        rows = page.locator("#findings-body tr").count()
        browser.close()
    return first, filtered, rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--findings", type=int, default=100_000)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    from mlwarden.reports.base import RenderContext
    from mlwarden.reports.html import render

    out = args.out or Path(tempfile.mkdtemp(prefix="mlwarden-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    doc = synthetic_document(args.findings)
    start = time.perf_counter()
    data = render(doc, RenderContext(out_dir=out, options={"findings_sha256": "0" * 64}))
    render_s = time.perf_counter() - start
    report = out / "report.html"
    report.write_bytes(data)
    print(f"findings         {len(doc.findings):,}")
    print(f"report.html      {len(data) / 1e6:.2f} MB  (floor < 15 MB)")
    print(f"render time      {render_s:.2f} s")
    if not args.no_browser:
        first, filtered, rows = first_view_seconds(report, len(doc.findings))
        print(f"first view       {first:.2f} s in headless Chromium  (floor < 5 s)")
        print(f"status filter    {filtered:.2f} s  ({rows} rows on the page)")
    print(f"written to       {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
