"""The findings document (findings.json): what an evaluation produced, and everything a
report needs to render it (the policies' and frameworks' metadata it was judged with).

Written by scanner/evaluate.py, read back by `mlwarden report`, `mlwarden remediate`
and `--previous`; its schema is reports/schemas/findings.schema.json. Reports depend on
this module and scanner/model.py only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .json_stream import iter_document, write_text
from .jsonload import load_json
from .model import CoverageGap, Finding, Severity, Status, expect_types

# 1.1: policies and frameworks (the metadata judged with); 1.2: each finding's violations
# with their attribute paths, its resource's key (`ResourceRef` in scanner/model.py), and
# per policy and resource type the runbook that fixes it.
FINDINGS_SCHEMA_VERSION = "1.2"


@dataclass
class FindingsDocument:
    """The content of findings.json. Other tools read it: keep it stable and versioned."""
    scan: dict
    findings: list[Finding]
    coverage: list[CoverageGap]
    waivers: list[dict] = field(default_factory=list)
    # The metadata the findings were judged with (scanner/policy/catalogue.py): policy id →
    # {title, description, runbooks: {resource type → runbook}}; framework → {name, controls: {id: title}}. Reports read only these.
    policies: dict[str, dict] = field(default_factory=dict)
    frameworks: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**self._head(), "findings": [f.to_dict() for f in self.findings]}

    def _head(self) -> dict:
        """The document with its findings left out (their place kept)."""
        return {
            "schema_version": FINDINGS_SCHEMA_VERSION,
            "scan": self.scan,
            "findings": None,
            "coverage": [g.to_dict() for g in self.coverage],
            "waivers": self.waivers,
            "policies": self.policies,
            "frameworks": self.frameworks,
        }

    def iter_json(self) -> Iterator[str]:
        """The text of `json.dumps(self.to_dict(), indent=1, default=str)`, a finding at
        a time: the findings are never all held as dicts at once (json_stream.py)."""
        return iter_document(self._head(), {"findings": lambda: (f.to_dict() for f in self.findings)})

    def save(self, path: Path) -> None:
        with path.open("w") as fh:
            write_text(fh, self.iter_json())

    @classmethod
    def load(cls, path: Path) -> "FindingsDocument":
        doc = load_json(path, "findings file")   # strict: NaN or a lone surrogate is refused
        if not isinstance(doc, dict) or "findings" not in doc or "schema_version" not in doc:
            raise InputError(f"{path}: not an mlwarden findings file (no schema_version/findings)")
        major = str(doc["schema_version"]).split(".")[0]
        if major != FINDINGS_SCHEMA_VERSION.split(".")[0]:
            raise InputError(f"{path}: findings schema_version {doc['schema_version']} is not "
                             f"supported (this mlwarden reads {FINDINGS_SCHEMA_VERSION})")
        try:
            expect_types(doc, {"findings": list, "scan": dict, "coverage": list, "waivers": list}, "findings file")
            findings = [Finding.from_dict(f) for f in doc["findings"]]
            coverage = [CoverageGap.from_dict(g) if isinstance(g, dict) else _not_object("coverage gap")
                        for g in doc.get("coverage") or []]
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(f"{path}: malformed finding: {exc}") from None
        # A file written before the document carried its metadata has none: reports then
        # show the finding's title where the policy's description would be.
        return cls(scan=doc.get("scan") or {}, findings=findings, coverage=coverage,
                   waivers=doc.get("waivers") or [], policies=_objects(doc.get("policies")),
                   frameworks=_objects(doc.get("frameworks")))

    def failed_at_or_above(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings
                if f.status in (Status.FAIL, Status.ERROR) and f.severity.rank >= threshold.rank]


def _objects(value) -> dict[str, dict]:
    """A mapping of names to objects from a findings file; anything else is dropped."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, dict)}


def _not_object(what: str):
    raise ValueError(f"a {what} must be an object")
