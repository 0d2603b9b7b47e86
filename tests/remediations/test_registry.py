"""Every runbook is declared completely, and runbooks and policies name each other
consistently (the policy library is written in parallel: a mismatch here is a
reconciliation to make, not a flake)."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.policy.library import load_policies
from mlwarden.remediations.base import registry

ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")
EXPECTED = {"s3-sse-kms", "s3-public-access-block", "s3-versioning", "s3-tls-only", "required-tags",
            "kms-rotation", "sg-revoke-world-ingress", "notebook-root-access", "notebook-lifecycle-idle-stop",
            "notebook-direct-internet", "model-package-quarantine", "model-package-sign", "quota-increase",
            "role-least-privilege", "endpoint-redeploy"}


def test_every_runbook_is_registered_and_declares_what_it_needs():
    runbooks = registry()
    assert set(runbooks) == EXPECTED
    for rb in runbooks.values():
        assert rb.title and rb.policies and rb.resource_types, rb.id
        assert all(ACTION.match(a) for a in rb.permissions), (rb.id, rb.permissions)
    assert runbooks["notebook-direct-internet"].automatic is False
    assert runbooks["role-least-privilege"].requires_flag == "allow-iam"


def test_runbook_policies_exist_in_the_shipped_library():
    library = load_policies().by_id()
    missing = {rb.id: [p for p in rb.policies if p not in library] for rb in registry().values()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_policy_remediation_names_a_runbook_that_declares_it():
    runbooks = registry()
    problems = []
    for p in load_policies().policies:
        rid = p.metadata.remediation.get("runbook")
        if not rid:
            continue
        if rid not in runbooks:
            problems.append(f"{p.id}: no runbook {rid}")
        elif p.id not in runbooks[rid].policies:
            problems.append(f"{p.id}: runbook {rid} does not declare it")
    assert problems == []


def test_permissions_command_lists_every_runbook_action():
    result = CliRunner().invoke(main, ["permissions", "--remediation"])
    assert result.exit_code == 0
    actions = set(json.loads(result.output)["Statement"][0]["Action"])
    for rb in registry().values():
        assert set(rb.permissions) <= actions, rb.id
    assert "sagemaker:UpdateEndpoint" in actions and "kms:Sign" in actions
