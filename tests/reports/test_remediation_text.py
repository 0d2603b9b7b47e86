"""Every shipped policy tells a reader how to fix what it finds: a runbook mlwarden has,
or steps by hand in its METADATA, for every resource type it judges."""
from __future__ import annotations

import pytest

from mlwarden.model import Finding, Status
from mlwarden.policy.library import load_policies
from mlwarden.reports.remediation_text import advice
from mlwarden.remediations.base import registry


@pytest.mark.parametrize("policy", load_policies().policies, ids=lambda p: p.id)
def test_every_shipped_policy_has_a_runbook_or_steps_by_hand(policy):
    m = policy.metadata
    named = m.remediation.get("runbook")
    assert named is None or named in registry(), f"{policy.id} names runbook {named!r}, which does not exist"
    for rtype in m.resource_types:
        fix = advice(Finding(policy_id=policy.id, title=m.title, severity=m.severity, category=m.category,
                             status=Status.FAIL, resource={"type": rtype}, message="",
                             remediation=dict(m.remediation)))
        assert fix.runbook or fix.steps, f"{policy.id} on {rtype}: no runbook and no custom.remediation.steps"
        assert all(s.endswith(".") for s in fix.steps), fix.steps     # sentences, as the reports print them
