"""What one collection run reads once for many resources: the region-wide bulk reads.

A run (`inventory.collect`: one account, every type, every region) gives the scopes
of one region a shared `Scope.run_cache`. `read_once` reads through it: the first
collector that needs a region's tags, scalable targets, VPC endpoint listing or KMS
keys reads them, the others (and their items, on other threads) reuse the answer or
the failure. A failure is raised to every reader named by its call (`mlwarden_action`),
so each marks its own facet or gap; nothing is retried item after item, and a later
run (a remediation's verifying re-scan) reads afresh.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable

from ..aws.readonly import WriteRefused
from ..aws.session import paginate

if TYPE_CHECKING:
    from .base import Scope

TAG_API = "tag:GetResources"      # Resource Groups Tagging API: every tagged resource's tags in bulk

_RUN_LOCK = threading.Lock()


def read_once(scope: Scope, key: Any, read: Callable[[], Any], *, action: str | None = None) -> Any:
    """`read()` once per collection run of the scope's account and region, shared by
    every collector and item of it: a region-wide bulk read in place of one call per
    item. A failure is remembered and raised to every reader (each marks its facet
    missing or records a gap, naming the call: `action`, or the key when it is one),
    never retried item after item."""
    action = action or (key if isinstance(key, str) and ":" in key else None)
    with _RUN_LOCK:
        lock = scope.run_cache.setdefault(("lock", key), threading.Lock())
    with lock:
        if key not in scope.run_cache:
            try:
                scope.run_cache[key] = (True, read())
            except WriteRefused:
                raise
            except Exception as exc:  # noqa: BLE001 - re-raised to every reader below
                if action:   # name the call whichever thread the failure reaches
                    exc.mlwarden_action = action
                scope.run_cache[key] = (False, exc)
        ok, value = scope.run_cache[key]
    if not ok:
        raise value
    return value


# Services whose resources' tags the region's one Tagging API listing serves.
TAGGED_SERVICES = ("sagemaker", "kms", "s3", "lambda")


def region_tags(scope: Scope) -> dict[str, dict[str, str]]:
    """The tags of every tagged SageMaker, KMS, S3 and Lambda resource of the scope's region
    (tag:GetResources, read once per run and shared by every type): by lower-case ARN.
    The API lists only resources that are or were tagged: a resource it leaves out is
    asked directly by its collector (ListTags, ListResourceTags, GetBucketTagging), as
    is every resource of a one-resource read (`Scope.bulk` False)."""
    if not scope.bulk:
        return {}

    def read() -> dict[str, dict[str, str]]:
        client = scope.client("resourcegroupstaggingapi")
        return {m["ResourceARN"].lower(): {t["Key"]: t.get("Value", "") for t in m.get("Tags") or []}
                for m in paginate(client, "GetResources", "ResourceTagMappingList",
                                  ResourceTypeFilters=list(TAGGED_SERVICES), ResourcesPerPage=100)}
    return read_once(scope, TAG_API, read)
