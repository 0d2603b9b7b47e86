"""Which regions a scan covers: names checked against botocore's partitions before
any call, `all` as the account's enabled regions, and a default taken from the
user's AWS configuration (profile, AWS_REGION / AWS_DEFAULT_REGION)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

import boto3

from ..errors import InputError

ALL = "all"
FALLBACK_REGION = "us-east-1"
# ec2:DescribeRegions without AllRegions lists the regions enabled for the account:
# opt-in regions appear only once opted in (their OptInStatus is "opted-in").
ENABLED = ("opt-in-not-required", "opted-in")


@dataclass(frozen=True, kw_only=True)
class RegionChoice:
    """The regions to scan, or `all` still to be resolved, and where the choice came from."""
    regions: tuple[str, ...]
    all_enabled: bool = False
    source: str = "--regions"

    def note(self) -> str:
        names = ", ".join(self.regions)
        if self.all_enabled:
            return f"{len(self.regions)} enabled region(s) of the account (--regions all): {names}"
        if self.source == "--regions":
            return f"region(s) {names} (--regions)"
        return f"region {names} ({self.source}; --regions all scans every enabled region)"


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every region botocore's endpoint data knows, in every partition."""
    # On the botocore session every scan context shares its data loader with
    # (session.py): the endpoint data (7 MB once parsed) is read once per process.
    from .session import _botocore_session
    session = boto3.session.Session(botocore_session=_botocore_session())
    names: set[str] = set()
    for partition in session.get_available_partitions():
        for service in ("ec2", "sts"):
            names.update(session.get_available_regions(service, partition_name=partition))
    return frozenset(names)


def choose(value: str | None, *, profile: str | None = None) -> RegionChoice:
    """Parse `--regions` (None: the configured default). Raises InputError on a name
    botocore does not know, with the closest known names as a hint."""
    if value is None:
        configured = boto3.session.Session(profile_name=profile).region_name
        if configured:
            source = f"the region of profile {profile}" if profile else "your AWS configuration"
            return RegionChoice(regions=(configured,), source=source)
        return RegionChoice(regions=(FALLBACK_REGION,), source="no region configured, so the default")
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise InputError("--regions: give at least one region, or 'all'")
    if ALL in (n.lower() for n in names):
        if len(names) > 1:
            raise InputError("--regions: 'all' cannot be combined with region names")
        return RegionChoice(regions=(), all_enabled=True)
    known = known_regions()
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=2)
            hint = f" (did you mean {' or '.join(close)}?)" if close else " (or a newer botocore may know it)"
            raise InputError(f"--regions: unknown region {name!r}{hint}")
    return RegionChoice(regions=tuple(dict.fromkeys(names)))


def enabled_regions(aws, region: str) -> tuple[str, ...]:
    """The account's enabled regions (ec2:DescribeRegions, asked in `region`)."""
    answer = aws.client("ec2", region).describe_regions()
    names = sorted(r["RegionName"] for r in answer.get("Regions") or []
                   if r.get("OptInStatus", "opt-in-not-required") in ENABLED)
    if not names:
        raise InputError("--regions all: ec2:DescribeRegions listed no enabled region")
    return tuple(names)
