"""IAM policies derived from the registries, never written by hand."""
from __future__ import annotations

from .collectors.base import registry


def scanner_actions() -> list[str]:
    actions = {"sts:GetCallerIdentity"}
    for spec in registry().values():
        actions.update(spec.permissions)
    return sorted(actions)


def scanner_policy() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "MlwardenReadOnlyScan", "Effect": "Allow",
                       "Action": scanner_actions(), "Resource": "*"}],
    }


def remediation_actions() -> list[str]:
    try:
        from mlwarden.remediations.base import registry as runbooks
    except ImportError:
        return []
    actions = set()
    for rb in runbooks().values():
        actions.update(rb.permissions)
    return sorted(actions)


def remediation_policy() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "MlwardenRemediation", "Effect": "Allow",
                       "Action": remediation_actions(), "Resource": "*"}],
    }
