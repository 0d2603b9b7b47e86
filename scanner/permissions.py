"""IAM policies derived from the registries, never written by hand."""
from __future__ import annotations

from .collectors.base import registry


# Organisation scans list the member accounts, then assume one named role in each.
ORGANIZATION_ACTIONS = ("organizations:ListAccounts",)


def scanner_actions() -> list[str]:
    """Every IAM action a scan of one account needs: what the collectors declare."""
    actions = {"sts:GetCallerIdentity"}
    for spec in registry().values():
        actions.update(spec.permissions)
    return sorted(actions)


def guard_actions(assume_role_name: str | None = None) -> list[str]:
    """The read-only guard's allow-list: the scan's actions, plus what an organisation
    scan needs when it has a role name (sts:AssumeRole is checked against that name
    by the guard itself)."""
    actions = scanner_actions()
    if assume_role_name:
        actions = sorted({*actions, *ORGANIZATION_ACTIONS, "sts:AssumeRole"})
    return actions


def scanner_policy(assume_role_name: str | None = None) -> dict:
    """The policy `mlwarden permissions` prints. With a role name, the statements an
    organisation scan adds: listing accounts, and assuming only that role."""
    statements = [{"Sid": "MlwardenReadOnlyScan", "Effect": "Allow",
                   "Action": scanner_actions(), "Resource": "*"}]
    if assume_role_name:
        statements += [
            {"Sid": "MlwardenListAccounts", "Effect": "Allow", "Action": list(ORGANIZATION_ACTIONS),
             "Resource": "*"},
            {"Sid": "MlwardenAssumeScanRole", "Effect": "Allow", "Action": ["sts:AssumeRole"],
             "Resource": f"arn:aws:iam::*:role/{assume_role_name}"},
        ]
    return {"Version": "2012-10-17", "Statement": statements}


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
