"""The policies' metadata a findings document carries, so reports need nothing else.

A report names each policy's rationale and each framework control's title; reading
them from the policy library at render time would report the shipped library's text
for a scan judged by other `--policies`, and tie every renderer to the policy loader.
So evaluation records, for the policies and controls its findings use, exactly the
text it judged with (`FindingsDocument.policies` and `.frameworks`, scanner/evaluate.py).
"""
from __future__ import annotations

from typing import Iterable

from ..model import Finding
from .controls import framework_name, title as control_title
from .library import Policy


def policies_used(findings: Iterable[Finding], policies: dict[str, Policy]) -> dict[str, dict]:
    """Policy id → its title and description, for every policy a finding names."""
    out: dict[str, dict] = {}
    for f in findings:
        p = policies.get(f.policy_id)
        if p is not None and f.policy_id not in out:
            out[f.policy_id] = {"title": p.metadata.title, "description": p.metadata.description}
    return dict(sorted(out.items()))


def frameworks_used(findings: Iterable[Finding]) -> dict[str, dict]:
    """Framework → its full name and the titles of the controls the findings list."""
    out: dict[str, dict] = {}
    for f in findings:
        for fw, ids in f.controls.items():
            entry = out.setdefault(fw, {"name": framework_name(fw), "controls": {}})
            for c in ids:
                entry["controls"].setdefault(c, control_title(c, fw))
    return dict(sorted(out.items()))
