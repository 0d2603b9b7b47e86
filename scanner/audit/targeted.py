"""Scan one touched resource and what it relates to, in seconds.

The event-driven audit does not re-read the account: it reads the touched
resource, follows its relations a few hops (endpoint → config → models →
packages; notebook → role, key, subnet, security groups) and judges those.
"""
from __future__ import annotations

from ..aws.session import AwsContext
from ..collectors.base import Scope, collect_one, registry
from ..inventory import Inventory, now
from ..model import Resource
from ..type_registry import relation_types

MAX_HOPS = 3


def read_targeted(aws: AwsContext, resource_type: str, identifier: str, region: str,
                  *, max_hops: int = MAX_HOPS) -> Inventory:
    """The resources as read; scanner/pipeline.py (`TargetedLive`) derives what a full
    scan derives from them."""
    specs = registry()
    account = aws.account_id(region)
    scope = Scope(aws=aws, account=account, region=region, partition=aws.partition(region))
    inv = Inventory(started=now(), accounts=[account], regions=[region])
    seen: set[tuple[str, str]] = set()
    frontier = [(resource_type, identifier)]
    for _hop in range(max_hops + 1):
        next_frontier = []
        for rtype, ident in frontier:
            if (rtype, ident) in seen or rtype not in specs:
                continue
            seen.add((rtype, ident))
            res = collect_one(specs[rtype], scope, ident)
            inv.gaps.extend(res.gaps)
            for r in res.resources:
                inv.resources.append(r)
                next_frontier.extend(_related_refs(r))
        frontier = next_frontier
        if not frontier:
            break
    return inv


def _related_refs(r: Resource) -> list[tuple[str, str]]:
    from ..collectors.sagemaker_job_definitions import named_definition
    out = list(named_definition(r))   # a schedule's job definition, read with it
    targets = relation_types()
    for name, refs in r.relations.items():
        rtype = targets.get(name)
        if rtype:
            out.extend((rtype, ref) for ref in refs or [])
    return out
