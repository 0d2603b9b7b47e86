"""Every shipped policy tells a reader how to fix what it finds: a runbook mlwarden has,
or steps by hand in its METADATA, for every resource type it judges. Reports take the
runbook from the findings document, as evaluation recorded it."""
from __future__ import annotations

import pytest

from mlwarden.findings import FindingsDocument
from mlwarden.model import Finding, Status
from mlwarden.policy.catalogue import policies_used
from mlwarden.policy.library import load_policies
from mlwarden.reports.remediation_text import advice
from mlwarden.remediations.base import registry


def _finding(policy, rtype: str) -> Finding:
    m = policy.metadata
    return Finding(policy_id=policy.id, title=m.title, severity=m.severity, category=m.category,
                   status=Status.FAIL, resource={"type": rtype}, message="", remediation=dict(m.remediation))


@pytest.mark.parametrize("policy", load_policies().policies, ids=lambda p: p.id)
def test_every_shipped_policy_has_a_runbook_or_steps_by_hand(policy):
    m = policy.metadata
    named = m.remediation.get("runbook")
    assert named is None or named in registry(), f"{policy.id} names runbook {named!r}, which does not exist"
    for rtype in m.resource_types:
        f = _finding(policy, rtype)
        doc = FindingsDocument(scan={}, findings=[f], coverage=[], policies=policies_used([f], {policy.id: policy}))
        fix = advice(doc, f)
        assert fix.runbook or fix.steps, f"{policy.id} on {rtype}: no runbook and no custom.remediation.steps"
        assert all(s.endswith(".") for s in fix.steps), fix.steps     # sentences, as the reports print them


def test_the_advice_is_what_the_document_recorded_not_the_runbook_registry():
    """A findings file from an mlwarden whose runbook differed says what that mlwarden
    recorded; a file that recorded no runbook offers the steps by hand."""
    policy = next(p for p in load_policies().policies if p.metadata.remediation.get("runbook"))
    rtype = policy.metadata.resource_types[0]
    f = _finding(policy, rtype)
    recorded = policies_used([f], {policy.id: policy})
    rb = registry()[policy.metadata.remediation["runbook"]]
    assert recorded[policy.id]["runbooks"][rtype]["id"] == rb.id

    recorded[policy.id]["runbooks"][rtype] = {"id": "fix-it-elsewhere", "title": "Fix it elsewhere.",
                                              "description": "Changes what that mlwarden changed.",
                                              "automatic": False, "requires_flag": ""}
    fix = advice(FindingsDocument(scan={}, findings=[f], coverage=[], policies=recorded), f)
    assert (fix.runbook, fix.runbook_title, fix.automatic) == ("fix-it-elsewhere", "Fix it elsewhere", False)
    assert "a person carries the plan out" in fix.text()

    older = FindingsDocument(scan={}, findings=[f], coverage=[], policies={
        policy.id: {"title": policy.metadata.title, "description": policy.metadata.description}})
    fix = advice(older, f)
    assert not fix.runbook and fix.missing_runbook == rb.id
    assert fix.text().startswith(f"No runbook for this policy (it names {rb.id!r}")
