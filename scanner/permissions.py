"""IAM policies derived from the registries, never written by hand."""
from __future__ import annotations

import dataclasses

from .aws.session import AwsOptions
from .collectors.base import registry

# Calls a scan makes itself, outside any collector: who am I (the pre-flight check
# and the account id), and which regions are enabled (`--regions all`). Read-only
# guards and the printed policy take them from here, beside the collectors' own.
SCAN_LEVEL_PERMISSIONS: tuple[str, ...] = ("sts:GetCallerIdentity", "ec2:DescribeRegions")


# Organisation scans list the member accounts, then assume one named role in each.
ORGANIZATION_ACTIONS = ("organizations:ListAccounts",)

# Declared because AWS checks them when a service acts for the scanner (S3 decrypting an
# SSE-KMS artefact that the scan reads), never sent by the scanner itself: the printed
# policy allows them only through that service, and the read-only guard refuses them.
ON_BEHALF = {"kms:Decrypt": "s3.*.amazonaws.com"}


def scanner_actions() -> list[str]:
    """Every IAM action a scan of one account needs: what the collectors declare,
    and the scan's own calls (SCAN_LEVEL_PERMISSIONS)."""
    actions = set(SCAN_LEVEL_PERMISSIONS)
    for spec in registry().values():
        actions.update(spec.permissions)
    return sorted(actions)


def guard_actions(assume_role_name: str | None = None) -> list[str]:
    """The read-only guard's allow-list: the scan's actions, plus what an organisation
    scan needs when it has a role name (sts:AssumeRole is checked against that name
    by the guard itself)."""
    actions = [a for a in scanner_actions() if a not in ON_BEHALF]
    if assume_role_name:
        actions = sorted({*actions, *ORGANIZATION_ACTIONS, "sts:AssumeRole"})
    return actions


def scan_options(options: AwsOptions | None = None, /, **fields) -> AwsOptions:
    """Options for a read-only context that may send what a scan sends: `options` (or
    `AwsOptions(**fields)`, or `options` with `fields` changed) with the scan's allow-list
    for its organisation role name (`guard_actions`)."""
    base = dataclasses.replace(options, **fields) if options else AwsOptions(**fields)
    return dataclasses.replace(base, allow_list=frozenset(guard_actions(base.assume_role_name)))


def scanner_policy(assume_role_name: str | None = None) -> dict:
    """The policy `mlwarden permissions` prints. With a role name, the statements an
    organisation scan adds: listing accounts, and assuming only that role."""
    declared = scanner_actions()
    statements = [{"Sid": "MlwardenReadOnlyScan", "Effect": "Allow",
                   "Action": [a for a in declared if a not in ON_BEHALF], "Resource": "*"}]
    for action, service in ON_BEHALF.items():
        if action in declared:
            statements.append({"Sid": "MlwardenReadSseKmsArtefacts", "Effect": "Allow", "Action": [action],
                               "Resource": "*", "Condition": {"StringLike": {"kms:ViaService": service}}})
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


def remediation_read_actions() -> list[str]:
    """The reads runbooks declare: what a remediation's read-only context may send
    beside the scan's allow-list (planning reads alarms, lifecycle scripts, quotas)."""
    from .aws.readonly import is_read_operation
    return [a for a in remediation_actions() if is_read_operation(a.split(":", 1)[1])]


def remediation_policy() -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "MlwardenRemediation", "Effect": "Allow",
                       "Action": remediation_actions(), "Resource": "*"}],
    }
