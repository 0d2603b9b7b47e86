"""report.html in real headless Chromium: it opens offline, makes no request, filters,
searches, sorts, opens evidence, and shows hostile AWS values as text."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path

import pytest

from mlwarden.model import Status
from mlwarden.reports.base import RenderContext
from mlwarden.reports.common import compare
from mlwarden.reports.html import script_json
from mlwarden.reports.write import write_reports

from .browser import Watched, browser, page, sync_api  # noqa: F401 (fixtures)
from .conftest import ACCOUNT, ATTR_TAG, SCRIPT_BREAK, XSS_TAG, hostile_inventory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def out(tmp_path_factory, hostile_doc, previous_doc) -> Path:
    d = tmp_path_factory.mktemp("html")
    write_reports(hostile_doc, ["json", "html"], RenderContext(
        out_dir=d, previous=previous_doc, inventory=hostile_inventory().to_dict()))
    return d


def test_overview_shows_scan_coverage_first_and_integrity(page, out, hostile_doc):
    pg = page.page
    sections = pg.eval_on_selector_all("main > section", "els => els.map(e => e.id)")
    assert sections[0] == "coverage"                        # gaps come before everything else
    assert "AccessDenied" in pg.locator("#coverage").inner_text()
    assert "User is not authorized <b>here</b>" in pg.locator("#coverage").inner_text()
    meta = pg.locator("#scan-meta").inner_text()
    for text in (ACCOUNT, "eu-west-1", "wasm", "Policies\n2", hostile_doc.scan["run_by"]):
        assert text in meta
    fails = sum(f.status == Status.FAIL for f in hostile_doc.findings)
    assert pg.locator('[data-status-count="FAIL"]').inner_text() == str(fails)
    assert pg.locator("#pass-rate").inner_text() == "27.3%"   # 3 PASS of 11 judged (1 waived left out)
    assert pg.locator('#compliance tr[data-control="NIST-800-53 SC-28"]').inner_text().split("\t")[:2] == \
        ["SC-28\nProtection of Information at Rest", "TST-ENC-001"]
    assert "NIST SP 800-53 Rev. 5 (NIST-800-53)" in pg.locator("#compliance").inner_text()
    digest = hashlib.sha256((out / "findings.json").read_bytes()).hexdigest()
    assert pg.locator("#findings-sha256").inner_text() == digest
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "report-overview.png"), full_page=False)


def test_filters_and_search_change_the_visible_rows(page, hostile_doc):
    pg, n = page.page, len(hostile_doc.findings)
    assert page.count() == f"{n} of {n} findings match" and len(page.rows()) == n
    page.choose("f-status", "FAIL")
    fails = [f for f in hostile_doc.findings if f.status == Status.FAIL]
    assert len(page.rows()) == len(fails) and all(r.startswith("FAIL") for r in page.rows())
    page.choose("f-category", "tagging")
    assert len(page.rows()) == sum(f.category == "tagging" for f in fails)
    pg.click("#f-reset")
    page.choose("f-region", "us-east-1")
    assert {c[4].split("\n")[0] for c in page.cells()} == {"nb-east"}
    pg.click("#f-reset")
    page.choose("f-control", "ISO-42001 A.3.2 — AI roles and responsibilities")
    assert all("TST-TAG-001" in r for r in page.rows()) and len(page.rows()) == \
        sum(f.policy_id == "TST-TAG-001" for f in hostile_doc.findings)
    pg.click("#f-reset")
    pg.fill("#f-search", "NB-XSS")                    # case-insensitive, over ids and messages
    page.wait_count(2)
    assert all("nb-xss" in r for r in page.rows())
    pg.fill("#f-search", "no such thing")
    page.wait_count(0)
    assert page.rows() == []


def test_sorting_by_severity_and_back(page):
    pg = page.page
    pg.click('th[data-sort="severity"]')
    order = ["critical", "high", "medium", "low", "info"]
    first = [c[1] for c in page.cells()]
    assert first == sorted(first, key=order.index) and first[0] == "high" and first[-1] == "medium"
    pg.click('th[data-sort="severity"]')
    again = [c[1] for c in page.cells()]
    assert again == sorted(again, key=order.index, reverse=True)
    assert pg.get_attribute('th[data-sort="severity"]', "aria-sort") == "descending"


def test_clicking_a_finding_opens_its_evidence_rationale_and_remediation(page):
    pg = page.page
    pg.fill("#f-search", "owner tag is not a plain name: <script>")
    page.wait_count(1)
    assert pg.locator("#detail").is_hidden()
    pg.locator("#findings-body tr").first.click()
    assert pg.locator("#detail").is_visible()
    assert pg.locator("#d-policy").inner_text() == "TST-TAG-001"
    assert pg.locator("#d-message").inner_text() == "owner tag is not a plain name: " + XSS_TAG
    evidence = json.loads(pg.locator("#d-evidence").inner_text())
    assert evidence == {"tags.note": ATTR_TAG, "tags.owner": XSS_TAG}
    # a policy of a --policies directory: its description travels in the findings document
    assert pg.locator("#d-description").inner_text() == "The owner tag names who answers for the notebook."
    # no runbook: the fix in words, and no command that would do nothing
    assert pg.locator("#d-remedy").inner_text() == "No runbook for this policy: fix it by hand."
    assert pg.locator("#d-command-box").is_hidden()
    assert "ISO-42001 A.3.2" in pg.locator("#d-controls").inner_text()


def test_a_not_assessed_finding_says_why_and_offers_no_runbook(page):
    pg = page.page
    page.choose("f-status", "NOT_ASSESSED")
    page.wait_count(2)
    assert all(c[0] == "NOT_ASSESSED" and c[5] == f"{ACCOUNT} / ap-south-1" for c in page.cells())
    pg.locator("#findings-body tr").first.click()
    assert "AccessDenied" in pg.locator("#d-message").inner_text()
    assert "ListNotebookInstances" in pg.locator("#d-evidence").inner_text()
    assert pg.locator("#d-command-box").is_hidden()


def test_hostile_values_show_literally_and_run_nothing(page, out):
    pg = page.page
    html = (out / "report.html").read_text()
    assert html.count("<script") == 2                     # the data blob and our own code
    assert SCRIPT_BREAK not in html and ATTR_TAG not in html
    assert pg.evaluate("document.scripts.length") == 2
    assert pg.evaluate("document.querySelectorAll('[onmouseover]').length") == 0
    texts = "\n".join(page.rows())
    assert XSS_TAG in texts and SCRIPT_BREAK in texts
    # Everything about nb-xss, including its tags from the inventory.
    pg.fill("#f-search", "nb-xss")
    page.wait_count(2)
    pg.locator("#findings-body tr").first.click()
    pg.click("#d-open-resource")
    assert pg.locator("#resource-view").is_visible()
    tags = dict(r.split("\t") for r in pg.locator("#rv-tags tr").all_inner_texts())
    assert tags == {"note": ATTR_TAG, "owner": XSS_TAG}
    assert len(pg.locator("#rv-findings tr").all()) == 2
    pg.hover("#rv-tags tr >> nth=0")                       # an onmouseover would fire here
    assert pg.evaluate("document.querySelectorAll('[onmouseover]').length") == 0
    pg.click("#rv-close")
    assert pg.locator("#resource-view").is_hidden()


def test_the_page_references_nothing_outside_itself(out):
    html = (out / "report.html").read_text()
    assert re.findall(r"\bsrc\s*=", html) == []
    assert set(re.findall(r'href="([^"]*)"', html)) <= {f"#{s}" for s in (
        "coverage", "overview", "compliance", "findings", "waivers", "changes", "integrity")}
    assert "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html                      # and the browser is told to refuse any


def test_script_json_cannot_close_its_script_element():
    text = str(script_json({"v": SCRIPT_BREAK, "w": "<!-- x -->"}))
    assert "<" not in text
    assert json.loads(text) == {"v": SCRIPT_BREAK, "w": "<!-- x -->"}


def test_waivers_and_changes_since_previous_scan(page, hostile_doc, previous_doc):
    pg = page.page
    waivers = pg.locator("#waivers tbody tr").all_inner_texts()
    assert len(waivers) == 3
    expired = next(w for w in waivers if "bob" in w)
    assert "EXPIRED" in expired
    assert "legacy <owner>" in pg.locator("#waivers").inner_text()
    unused = next(w for w in waivers if "carol" in w)
    assert unused.endswith("0 (unused)")
    ch = compare(hostile_doc, previous_doc)
    assert pg.locator("#changes-new").inner_text() == str(len(ch.new)) == "2"       # nb-xss appeared
    assert pg.locator("#changes-resolved").inner_text() == str(len(ch.resolved)) == "1"  # nb-good fixed
    assert pg.locator("#changes-waived").inner_text() == str(len(ch.waived)) == "1"    # nb-east owner tag
    assert pg.locator("#changes-open").inner_text() == str(len(ch.still_open))


def _bench():
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "report_bench.py"
    spec = importlib.util.spec_from_file_location("report_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_twenty_thousand_findings_open_page_and_filter(browser, tmp_path):
    """A scaled-down version of benchmarks/report_bench.py (100,000) that CI can afford."""
    bench = _bench()
    doc = bench.synthetic_document(20_000)
    write_reports(doc, ["html"], RenderContext(out_dir=tmp_path))
    report = tmp_path / "report.html"
    assert report.stat().st_size < 3_000_000
    pg = browser.new_page()
    w = Watched(pg)
    pg.goto(report.as_uri())
    pg.wait_for_selector("body[data-ready]", timeout=10_000)
    assert w.count() == "20000 of 20000 findings match" and len(w.rows()) == 100
    pg.click("#page-next")
    assert pg.locator("#page-info").inner_text().startswith("rows 101–200")
    w.choose("f-status", "ERROR")
    errors = sum(f.status == Status.ERROR for f in doc.findings)
    assert w.count() == f"{errors} of 20000 findings match"
    assert w.errors == [] and w.dialogs == []
    pg.close()
