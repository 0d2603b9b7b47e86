"""Scanning several accounts: assume a role in each member account, collect them
concurrently into one inventory, and record an account that could not be entered
as a coverage gap of that account (never as a clean account)."""
from __future__ import annotations

import dataclasses
from typing import Iterable

from .aws.session import AwsContext, AwsOptions, paginate, run_bounded
from .collectors.base import READ_ERRORS, error_code
from .errors import InputError
from .inventory import Inventory, ProgressFn, collect, now
from .model import CoverageGap

ALL_TYPES = "*"  # a gap that covers every resource type of an account


def organization_accounts(aws: AwsContext, region: str) -> list[str]:
    """Active member accounts of the organisation (run from the management or a
    delegated administrator account)."""
    client = aws.client("organizations", region)
    return [a["Id"] for a in paginate(client, "ListAccounts", "Accounts") if a.get("Status") == "ACTIVE"]


def assume(base: AwsContext, account: str, role_name: str, region: str) -> AwsContext:
    partition = base.partition(region)
    creds = base.client("sts", region).assume_role(
        RoleArn=f"arn:{partition}:iam::{account}:role/{role_name}",
        RoleSessionName="mlwarden-scan")["Credentials"]
    options = dataclasses.replace(base.options, credentials=creds, profile=None)
    # One scan, one artefact cache and byte budget, whichever account reads.
    ctx = AwsContext(options=options, scan_state=base.scan_state)
    ctx._account = account  # known: no need to ask STS again
    return ctx


def collect_accounts(base_options: AwsOptions, regions: list[str], *, accounts: Iterable[str] = (),
                     organization: bool = False, role_name: str | None = None,
                     types: Iterable[str] | None = None, progress: ProgressFn | None = None,
                     max_accounts_in_parallel: int = 4, redact: bool = True,
                     scan_state: dict | None = None) -> Inventory:
    if not role_name:
        raise InputError("--role-name: needed with --accounts or --organization")
    # The read-only guard lets sts:AssumeRole through for this role name only.
    base = AwsContext(options=dataclasses.replace(base_options, assume_role_name=role_name),
                      scan_state={} if scan_state is None else scan_state)
    targets = list(dict.fromkeys(accounts))
    if organization:
        targets = list(dict.fromkeys(targets + organization_accounts(base, regions[0])))
    if not targets:
        raise InputError("--accounts: no account to scan")

    def scan_one(account: str):
        def run() -> Inventory:
            try:
                ctx = assume(base, account, role_name, regions[0])
            except READ_ERRORS as exc:
                inv = Inventory(accounts=[account], regions=regions, started=now(), finished=now())
                inv.gaps.append(CoverageGap(
                    resource_type=ALL_TYPES, account=account, region="*", operation="sts:AssumeRole",
                    error_code=error_code(exc), message=str(exc).splitlines()[0]))
                return inv
            return collect(ctx, regions, types=types, progress=progress, redact=redact)
        return run

    merged = Inventory(started=now(), regions=regions)
    for inv in run_bounded([scan_one(a) for a in targets], max_accounts_in_parallel):
        merged.extend(inv)
    merged.accounts = targets
    # Schedules may name job definitions by ARN in another account read by this scan.
    from .monitoring_links import resolve_job_definitions
    resolve_job_definitions(merged, set(types) if types else None)
    from .ml_estate import mark_ml_estate
    mark_ml_estate(merged)   # a role or bucket in another account the scan read
    merged.finished = now()
    return merged
