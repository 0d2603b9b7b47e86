"""junit.xml: one test case per (policy, resource), one suite per category, so any CI
system shows compliance like a test run."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Iterator

from mlwarden.json_stream import chunks
from mlwarden.model import Status

from .base import Renderer, register
from .common import redaction_notice, redaction_summary, resource_label

# XML 1.0 cannot carry most control characters; AWS values may hold them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value) -> str:
    return _INVALID_XML.sub("\ufffd", "" if value is None else str(value))


def _suites(doc) -> tuple[list[tuple[str, list, dict]], dict]:
    """(category, its findings, its counts) per suite, and the totals."""
    by_cat = defaultdict(list)
    for f in doc.findings:
        by_cat[f.category].append(f)
    suites = []
    totals = defaultdict(int)
    for cat in sorted(by_cat):
        findings = by_cat[cat]
        counts = {
            "tests": len(findings),
            "failures": sum(f.status in (Status.FAIL, Status.ERROR) for f in findings),
            "errors": 0,
            "skipped": sum(f.status in (Status.NOT_ASSESSED, Status.WAIVED) for f in findings),
        }
        for k, v in counts.items():
            totals[k] += v
        suites.append((cat, findings, counts))
    return suites, dict(totals)


def _case(cat: str, f) -> ET.Element:
    case = ET.Element("testcase", classname=_x(f"{cat}.{f.policy_id}"),
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
    return case


def _start_tag(elem: ET.Element) -> str:
    # ElementTree writes an element without text or children as `<tag attrs />`.
    return ET.tostring(ET.Element(elem.tag, elem.attrib), encoding="unicode")[:-len(" />")] + ">"


_BATCH = 500   # test cases serialised at a time


def _pieces(elems: list[ET.Element], last: bool) -> str:
    """Children of a <testsuite> as `ET.indent` of the whole tree lays them out, `last`
    if they end the suite. They are serialised inside a stand-in parent, whose own tags
    are cut off: one `tostring` per batch rather than per element."""
    box = ET.Element("x")
    box.extend(elems)
    ET.indent(box, level=1)   # box stands where the suite is, at level 1
    if not last:
        elems[-1].tail = box.text   # a sibling follows: indented as one
    text = ET.tostring(box, encoding="unicode")
    return text[len("<x>") + len(box.text):-len("</x>")]


def iter_xml(doc) -> Iterator[str]:
    """What `ET.indent` and `ET.tostring(encoding="utf-8", xml_declaration=True)` write
    for the whole tree, `_BATCH` test cases at a time (an account's findings were 32 MB of
    elements and text)."""
    suites, totals = _suites(doc)
    root = ET.Element("testsuites", name="mlwarden")
    for k, v in totals.items():
        root.set(k, str(v))
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    if not suites:
        yield ET.tostring(root, encoding="unicode")
        return
    yield _start_tag(root) + "\n  "
    notice = _x(redaction_notice(doc.scan) or redaction_summary(doc.scan))
    for n, (cat, findings, counts) in enumerate(suites):
        suite = ET.Element("testsuite", name=_x(cat), timestamp=_x(doc.scan.get("finished", "")),
                           **{k: str(v) for k, v in counts.items()})
        yield _start_tag(suite) + "\n    "
        props = ET.Element("properties")
        ET.SubElement(props, "property", name="mlwarden.redaction", value=notice)
        for i in range(0, len(findings), _BATCH):
            elems = [_case(cat, f) for f in findings[i:i + _BATCH]]
            yield _pieces([props, *elems] if i == 0 else elems, last=i + _BATCH >= len(findings))
        yield "</testsuite>" + ("\n  " if n < len(suites) - 1 else "\n")
    yield "</testsuites>"


def stream(doc, ctx) -> Iterator[bytes]:
    for chunk in chunks(iter_xml(doc)):
        # as ElementTree's utf-8 writer: a character UTF-8 cannot carry becomes a reference
        yield chunk.encode("utf-8", "xmlcharrefreplace")


def render(doc, ctx) -> bytes:
    return b"".join(stream(doc, ctx))


register(Renderer(name="junit", filename="junit.xml",
                  description="JUnit XML (a test case per policy and resource)", render=render,
                  stream=stream))
