"""junit.xml: one test case per (policy, resource), one suite per category, so any CI
system shows compliance like a test run."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from mlwarden.model import Status

from .base import Renderer, register
from .common import redaction_notice, redaction_summary, resource_label

# XML 1.0 cannot carry most control characters; AWS values may hold them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(value) -> str:
    return _INVALID_XML.sub("\ufffd", "" if value is None else str(value))


def build(doc) -> ET.Element:
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
    return root


def render(doc, ctx) -> bytes:
    root = build(doc)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


register(Renderer(name="junit", filename="junit.xml",
                  description="JUnit XML (a test case per policy and resource)", render=render))
