"""IAM policies derived from the registries, never written by hand."""
from __future__ import annotations

from .collectors.base import registry

# Calls a scan makes itself, outside any collector: who am I (the pre-flight check
# and the account id), and which regions are enabled (`--regions all`). Read-only
# guards and the printed policy take them from here, beside the collectors' own.
SCAN_LEVEL_PERMISSIONS: tuple[str, ...] = ("sts:GetCallerIdentity", "ec2:DescribeRegions")


def scanner_actions() -> list[str]:
    actions = set(SCAN_LEVEL_PERMISSIONS)
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
