"""Every report is written piece by piece (`Renderer.stream`, digested as written); its
bytes must be exactly those the whole-document rendering gave before it was streamed.
The oracles below are those whole-document renderings (for SARIF and ASFF the documents
`build` still returns, encoded whole; for CSV and JUnit the old code, kept here)."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal

import pytest

from mlwarden.evaluate import FindingsDocument
from mlwarden.model import Status
from mlwarden.reports import asff, csv_report, html, junit, sarif
from mlwarden.reports.base import RenderContext, registry
from mlwarden.reports.common import redaction_notice, redaction_summary, resource_label
from mlwarden.reports.write import write_reports

from .conftest import hostile_inventory

AWKWARD = ["NUL\x00byte", "ctl \x01\x1f\x7f", "é ✓ \U0001F600 日本", "line\u2028sep\u2029", "</script><!--",
           "=cmd|' /C calc'!A0", "\ufffe\uffff", "quote \" back \\ tab\t"]


def _generated(doc: FindingsDocument, n: int, *, no_redact: bool = False) -> FindingsDocument:
    """`n` findings made from the real ones, with awkward text, huge and odd numbers, so
    that every long list spans several of the writers' slices and chunks."""
    out = []
    for i in range(n):
        f = doc.findings[i % len(doc.findings)]
        word = AWKWARD[i % len(AWKWARD)]
        res = {**f.resource, "id": f"{f.resource.get('id')}-{i}-{word}"}
        if res.get("arn"):
            res["arn"] = f"{res['arn']}-{i}"
        out.append(dataclasses.replace(
            f, resource=res, message=f"{f.message} #{i} {word}",
            evidence={**f.evidence, "big": 10 ** 40 + i, "neg": -(2 ** 70), "f": 1e308, "tiny": 5e-324,
                      "dec": Decimal("1.10"), "when": dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc),
                      "word": word, "nested": [[{"k": word}], []]}))
    scan = {**doc.scan, "redaction": {"enabled": False}} if no_redact else doc.scan
    return FindingsDocument(scan=scan, findings=out, coverage=doc.coverage, waivers=doc.waivers)


@pytest.fixture(scope="module")
def docs(hostile_doc):
    return {"real": hostile_doc, "generated": _generated(hostile_doc, 3000),
            "no-redact": _generated(hostile_doc, 40, no_redact=True),
            "empty": FindingsDocument(scan=hostile_doc.scan, findings=[], coverage=[])}


# --- the old whole-document renderings ---------------------------------------------------

def _old_csv(doc) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    notice = redaction_notice(doc.scan)
    if notice:
        writer.writerow([f"# {notice}"])
    writer.writerow(csv_report.COLUMNS)
    for f in doc.findings:
        writer.writerow(csv_report.row(f))
    return buf.getvalue().encode("utf-8-sig")


def _old_junit(doc) -> bytes:
    _x = junit._x
    by_cat = defaultdict(list)
    for f in doc.findings:
        by_cat[f.category].append(f)
    root = ET.Element("testsuites", name="mlwarden")
    totals = defaultdict(int)
    for cat in sorted(by_cat):
        findings = by_cat[cat]
        counts = {
            "tests": len(findings),
            "failures": sum(f.status in (Status.FAIL, Status.ERROR) for f in findings),
            "errors": 0,
            "skipped": sum(f.status in (Status.NOT_ASSESSED, Status.WAIVED) for f in findings),
        }
        suite = ET.SubElement(root, "testsuite", name=_x(cat), timestamp=_x(doc.scan.get("finished", "")),
                              **{k: str(v) for k, v in counts.items()})
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="mlwarden.redaction",
                      value=_x(redaction_notice(doc.scan) or redaction_summary(doc.scan)))
        for k, v in counts.items():
            totals[k] += v
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=_x(f"{cat}.{f.policy_id}"),
                                 name=_x(f"{f.policy_id} {resource_label(f.resource)}"))
            if f.status in (Status.FAIL, Status.ERROR):
                fail = ET.SubElement(case, "failure", type=f.status.value,
                                     message=_x(f"[{f.severity.value}] {f.message}"))
                fail.text = _x(f"{f.title}\nresource: {resource_label(f.resource)}\n"
                               f"evidence: {json.dumps(f.evidence, sort_keys=True, default=str)}")
            elif f.status == Status.WAIVED:
                w = f.waiver or {}
                ET.SubElement(case, "skipped", message=_x(
                    f"waived by {w.get('owner', '?')} until {w.get('expires', '?')}: {w.get('reason', '')}"))
            elif f.status == Status.NOT_ASSESSED:
                ET.SubElement(case, "skipped", message=_x(f.message))
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _old_html(doc, ctx) -> bytes:
    template = html._env().get_template("report.html.j2")
    return template.render(**html.template_context(
        doc, ctx, data=html.script_json(html.build_data(doc, ctx)))).encode("utf-8")


OLD = {
    "html": _old_html,
    "sarif": lambda doc, ctx: json.dumps(sarif.build(doc), indent=1, default=str).encode(),
    "asff": lambda doc, ctx: json.dumps(asff.build(doc), indent=1, default=str).encode(),
    "csv": lambda doc, ctx: _old_csv(doc),
    "junit": lambda doc, ctx: _old_junit(doc),
}


@pytest.mark.parametrize("which", ["real", "generated", "no-redact", "empty"])
@pytest.mark.parametrize("fmt", list(OLD))
def test_the_streamed_report_is_the_whole_documents_bytes(fmt, which, docs, previous_doc, tmp_path):
    doc = docs[which]
    ctx = RenderContext(out_dir=tmp_path, previous=previous_doc, inventory=hostile_inventory().to_dict(),
                        options={"findings_sha256": "ab" * 32})
    renderer = registry()[fmt]
    assert renderer.stream is not None
    pieces = list(renderer.stream(doc, ctx))
    whole = OLD[fmt](doc, ctx)
    assert b"".join(pieces) == whole
    if which == "generated":
        assert len(pieces) > 2   # written in pieces, not one
        assert max(map(len, pieces)) < len(whole) / 2


def test_sarif_capped_at_githubs_limit_streams_the_same_bytes(docs, monkeypatch, tmp_path):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 50)
    doc = docs["generated"]
    streamed = b"".join(sarif.stream(doc, RenderContext(out_dir=tmp_path)))
    assert streamed == json.dumps(sarif.build(doc), indent=1, default=str).encode()
    assert json.loads(streamed)["runs"][0]["properties"]["results_left_out"] > 0


def test_the_manifest_holds_the_digests_of_the_streamed_files(docs, tmp_path):
    doc = docs["generated"]
    write_reports(doc, ["json", *OLD], RenderContext(out_dir=tmp_path))
    files = json.loads((tmp_path / "manifest.json").read_text())["files"]
    for fmt in OLD:
        name = registry()[fmt].filename
        assert files[name] == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()


def test_the_pdf_source_page_is_the_streamed_page_with_every_row(docs, tmp_path):
    doc = docs["real"]
    ctx = RenderContext(out_dir=tmp_path)
    page = html.render_html(doc, ctx, print_all=True)
    template = html._env().get_template("report.html.j2")
    assert page == template.render(**html.template_context(
        doc, ctx, print_all=True, data=html.script_json(html.build_data(doc, ctx))))


def test_the_audit_functions_compact_inventory_is_the_whole_documents_text(tmp_path):
    from mlwarden.inventory import Inventory
    inv = hostile_inventory()
    inv.resources[0].properties["odd"] = {"nul": "a\x00b", "big": 10 ** 40, "é": ["✓", 1e308, None]}
    inv.save(tmp_path / "inventory.json", compact=True)
    text = (tmp_path / "inventory.json").read_text()
    assert text == json.dumps(inv.to_dict(), default=str)
    empty = Inventory()
    empty.save(tmp_path / "empty.json", compact=True)
    assert (tmp_path / "empty.json").read_text() == json.dumps(empty.to_dict(), default=str)
