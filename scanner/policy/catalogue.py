"""The policies' metadata a findings document carries, so reports need nothing else.

A report names each policy's rationale and each framework control's title; reading
them from the policy library at render time would report the shipped library's text
for a scan judged by other `--policies`, and tie every renderer to the policy loader.
So evaluation records, for the policies and controls its findings use, exactly the
text it judged with (`FindingsDocument.policies` and `.frameworks`, scanner/evaluate.py).
How a finding is fixed is recorded the same way: per policy, the runbook that fixes it
on each resource type its findings have (the one its METADATA names, else one that
declares the policy), so reports advise from the document, not the runbook registry.
"""
from __future__ import annotations

from typing import Iterable

from mlwarden.remediations.base import Runbook, registry as runbook_registry, runbook_for

from ..model import Finding
from .controls import framework_name, title as control_title
from .library import Policy


def policies_used(findings: Iterable[Finding], policies: dict[str, Policy]) -> dict[str, dict]:
    """Policy id → its title and description, for every policy a finding names, and
    `runbooks`: resource type → the runbook that fixes the policy's findings on it."""
    out: dict[str, dict] = {}
    runbooks = runbook_registry()
    for f in findings:
        p = policies.get(f.policy_id)
        if p is None:
            continue
        entry = out.get(f.policy_id)
        if entry is None:
            entry = out[f.policy_id] = {"title": p.metadata.title, "description": p.metadata.description,
                                        "runbooks": {}}
        rtype = str(f.resource.get("type") or "")
        if rtype not in entry["runbooks"]:
            rb = runbook_for(f, runbooks)
            if rb is not None:
                entry["runbooks"][rtype] = runbook_entry(rb)
    for entry in out.values():
        entry["runbooks"] = dict(sorted(entry["runbooks"].items()))
    return dict(sorted(out.items()))


def runbook_entry(rb: Runbook) -> dict:
    """What a report says about a runbook: its id, title, what it changes, how it is applied."""
    return {"id": rb.id, "title": rb.title, "description": rb.description,
            "automatic": rb.automatic, "requires_flag": rb.requires_flag or ""}


def frameworks_used(findings: Iterable[Finding]) -> dict[str, dict]:
    """Framework → its full name and the titles of the controls the findings list."""
    out: dict[str, dict] = {}
    for f in findings:
        for fw, ids in f.controls.items():
            entry = out.setdefault(fw, {"name": framework_name(fw), "controls": {}})
            for c in ids:
                entry["controls"].setdefault(c, control_title(c, fw))
    return dict(sorted(out.items()))
