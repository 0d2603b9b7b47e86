"""What the SageMaker collectors share: timestamps as ISO strings, and relations
read from a describe response.

SageMaker names its references consistently across APIs (`RoleArn`,
`KmsKeyId`, `VpcConfig.Subnets`, `s3://` URIs), so one walk over a describe
response finds the role, keys, subnets, security groups and buckets of any
SageMaker type, including those nested in pipeline steps or monitoring job
definitions. Type-specific relations (models, endpoint_config, ...) are added
by the type's own module.

This module registers no collector.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from ..resource_type import Relation, buckets, kms_keys, role, security_groups, subnets, vpc

# Keys whose string values (or lists of strings) are references of one kind.
_ROLE_KEYS = {"RoleArn", "ExecutionRoleArn", "ExecutionRole"}
_SUBNET_KEYS = {"Subnets", "SubnetIds", "SubnetId"}
_SECURITY_GROUP_KEYS = {"SecurityGroupIds", "SecurityGroups"}
_VPC_KEYS = {"VpcId"}


def iso(value: Any) -> Any:
    """Timestamps (anywhere in a response) as ISO 8601 strings in UTC, as the
    resource model requires; everything else unchanged."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {k: iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso(v) for v in value]
    return value


def bucket_of(uri: str) -> str | None:
    """`s3://bucket/key` → `bucket` (also `https://bucket.s3...amazonaws.com/key`)."""
    if uri.startswith("s3://"):
        return uri[5:].split("/", 1)[0] or None
    if uri.startswith("https://") and ".s3." in uri.split("/", 3)[2]:
        return uri.split("/", 3)[2].split(".s3.", 1)[0] or None
    return None


def s3_key_of(uri: str) -> str:
    return uri[5:].split("/", 1)[1] if uri.startswith("s3://") and "/" in uri[5:] else ""


# The relations `references` may find in any describe answer, whatever the type.
_WALKED = (role(), kms_keys(), subnets(), security_groups(), vpc(), buckets())


def with_references(*declared: Relation) -> tuple[Relation, ...]:
    """A descriptor's relations when its collector walks the answer with `references`:
    those it declares (with their property paths), and every other the walk may find
    (without paths: the IaC documents derive them from the declared paths only)."""
    names = {r.name for r in declared}
    return (*declared, *(r for r in _WALKED if r.name not in names))


def references(detail: Any) -> dict[str, list[str]]:
    """Relations found anywhere in a describe response (see the module docstring).

    Only literal strings count: pipeline definitions also hold expressions such as
    `{"Get": "Parameters.Role"}`, which name nothing until the pipeline runs.
    """
    found: dict[str, list[str]] = {"role": [], "kms_keys": [], "subnets": [], "security_groups": [],
                                   "vpc": [], "buckets": []}

    def strings(v: Any) -> Iterable[str]:
        if isinstance(v, str):
            yield v
        elif isinstance(v, list):
            yield from (s for s in v if isinstance(s, str))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, v in node.items():
                if key in _ROLE_KEYS:
                    found["role"] += [s for s in strings(v) if ":role/" in s]
                elif key.endswith("KmsKeyId") or key.endswith("KmsKeyArn"):
                    found["kms_keys"] += [s for s in strings(v) if s]
                elif key in _SUBNET_KEYS:
                    found["subnets"] += [s for s in strings(v) if s.startswith("subnet-")]
                elif key in _SECURITY_GROUP_KEYS:
                    found["security_groups"] += [s for s in strings(v) if s.startswith("sg-")]
                elif key in _VPC_KEYS:
                    found["vpc"] += [s for s in strings(v) if s.startswith("vpc-")]
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            bucket = bucket_of(node)
            if bucket:
                found["buckets"].append(bucket)

    walk(detail)
    return {k: list(dict.fromkeys(v)) for k, v in found.items() if v}


def merge(*relation_maps: dict[str, list[str]]) -> dict[str, list[str]]:
    """Relations from several sources, each list de-duplicated, empty ones dropped."""
    out: dict[str, list[str]] = {}
    for m in relation_maps:
        for k, v in m.items():
            out.setdefault(k, []).extend(x for x in v if x)
    return {k: list(dict.fromkeys(v)) for k, v in out.items() if v}


def present(value: Any) -> Any:
    """An empty structure as absent: SageMaker omits a VpcConfig that is not set, and
    a policy asking "is there a VpcConfig?" must not be fooled by `{}`."""
    return value if value not in ({}, [], "") else None
