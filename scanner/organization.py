"""Scanning several accounts: assume a role in each member account, collect them
concurrently into one inventory, and record an account that could not be entered
as a coverage gap of that account (never as a clean account)."""
from __future__ import annotations

import dataclasses
from typing import Iterable

import boto3
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials

from .aws.session import AwsContext, AwsOptions, _botocore_session, paginate, run_bounded
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


# AssumeRole's default and the most a role chained from another role may ask for.
SESSION_SECONDS = 3600


def assume(base: AwsContext, account: str, role_name: str, region: str, *,
           duration: int = SESSION_SECONDS) -> AwsContext:
    """A context in `account` whose credentials renew themselves: botocore asks the
    refresh callback for a new AssumeRole session before the current one expires
    (15 minutes ahead), so a scan of a large estate outlives the first session."""
    partition = base.partition(region)
    sts = base.client("sts", region)
    role_arn = f"arn:{partition}:iam::{account}:role/{role_name}"

    def refresh() -> dict:
        creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="mlwarden-scan",
                                DurationSeconds=duration)["Credentials"]
        return {"access_key": creds["AccessKeyId"], "secret_key": creds["SecretAccessKey"],
                "token": creds["SessionToken"], "expiry_time": creds["Expiration"].isoformat()}

    # The first session is taken now, so a role that cannot be assumed is this
    # account's coverage gap (collect_accounts), not a failure of its first read.
    creds = RefreshableCredentials.create_from_metadata(metadata=refresh(), refresh_using=refresh,
                                                        method=_AssumedRole.METHOD)
    bs = _botocore_session()
    bs.register_component("credential_provider", CredentialResolver([_AssumedRole(creds)]))
    options = dataclasses.replace(base.options, credentials=None, profile=None)
    # One scan, one artefact cache and byte budget, whichever account reads.
    ctx = AwsContext(options=options, scan_state=base.scan_state,
                     _session=boto3.session.Session(botocore_session=bs))
    ctx._account = account  # known: no need to ask STS again
    return ctx


class _AssumedRole(CredentialProvider):
    """Hands botocore the member account's self-refreshing credentials."""
    METHOD = "assume-role"

    def __init__(self, creds: RefreshableCredentials):
        super().__init__()
        self._creds = creds

    def load(self) -> RefreshableCredentials:
        return self._creds


def collect_accounts(base_options: AwsOptions, regions: list[str], *, accounts: Iterable[str] = (),
                     organization: bool = False, role_name: str | None = None,
                     types: Iterable[str] | None = None, progress: ProgressFn | None = None,
                     max_accounts_in_parallel: int = 4, redact: bool = True,
                     scan_state: dict | None = None, derived: bool = True) -> Inventory:
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
            # derived=False: a part of an audit split by type, derived when aggregated.
            return collect(ctx, regions, types=types, progress=progress, redact=redact, derived=derived)
        return run

    # Endpoints may serve packages of a central registry account read by this scan,
    # schedules may name job definitions by ARN in another account, and a role or bucket
    # may be used from another account: scanner/derivations.py links them after the merge.
    from .derivations import merge_parts
    merged = merge_parts(run_bounded([scan_one(a) for a in targets], max_accounts_in_parallel),
                         Inventory(started=now(), regions=regions), collected=types or None,
                         rederive=derived)
    merged.accounts = targets
    merged.finished = now()
    return merged
