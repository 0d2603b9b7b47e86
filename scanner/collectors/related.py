"""Read resources, or whole types, and what they relate to: the one relation-following loop.

Two callers, one loop (`follow`):

- the event-driven scan (scanner/pipeline.py `TargetedLive`, via `read_around`) reads
  the one resource a CloudTrail event names, then the resources its relations name, a
  few hops (endpoint → config → models → packages; notebook → role, key, subnet,
  security groups), each by its identifier (`collect_one`). Nothing is listed.
- remediation's verifying re-scan (scanner/pipeline.py `TypesAndRelated`, used by
  remediations/engine.py) reads whole types of one region, then every type the
  resources read point at, until no new type turns up, so the fixed resource's
  policies see `input.related` as a full scan would.

What a resource relates to is `references`: its relations (the descriptors' relation
names, `type_registry.relation_types`) and, for a monitoring schedule, the job
definition it names. tests/architecture/test_one_relation_loop.py holds that no other
module follows relations itself.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from ..aws.session import AwsContext
from ..inventory import Inventory, now
from ..model import Resource
from ..type_registry import relation_types
from .base import Scope, collect_one, registry
from .sagemaker_job_definitions import named_definition

# A target: (type, identifier) for one resource, (type, None) for every resource of the type.
Target = tuple[str, "str | None"]
# How far the event-driven scan follows relations from the touched resource.
MAX_HOPS = 3


def references(r: Resource) -> list[tuple[str, str]]:
    """(type, identifier) of each resource `r` relates to. A relation a collector emits
    without its descriptor declaring it has no target type and is not followed."""
    out = list(named_definition(r))   # a schedule's job definition, read with it
    targets = relation_types()
    for name, refs in r.relations.items():
        rtype = targets.get(name)
        if rtype:
            out.extend((rtype, ref) for ref in refs or [])
    return out


def follow(first: Iterable[Target], read: Callable[[list[Target]], Iterable[Resource]], *,
           whole_types: bool, max_hops: int | None = None) -> list[Target]:
    """Read `first`, then what the resources read relate to, then what those relate to,
    each target once, until nothing new (or after `max_hops` hops), and return the
    targets read in order. `read` gets each hop's new targets, only of types a collector
    reads. `whole_types`: a related resource widens to its whole type, (type, None)."""
    known = registry()
    seen: set[Target] = set()
    done: list[Target] = []
    frontier = list(first)
    hop = 0
    while frontier and (max_hops is None or hop <= max_hops):
        batch = [t for t in dict.fromkeys(frontier) if t not in seen and t[0] in known]
        if not batch:
            break
        seen.update(batch)
        done.extend(batch)
        frontier = [(rtype, None if whole_types else ident)
                    for r in read(batch) for rtype, ident in references(r)]
        hop += 1
    return done


def read_around(aws: AwsContext, resource_type: str, identifier: str, region: str, *,
                max_hops: int = MAX_HOPS) -> Inventory:
    """One named resource and what it relates to, each read by its identifier, as read
    (scanner/pipeline.py `TargetedLive` derives them). Nothing is listed, so what a
    listing would tell (no schedule watches it, no ML resource uses it) stays unknown."""
    specs = registry()
    account = aws.account_id(region)
    scope = Scope(aws=aws, account=account, region=region, partition=aws.partition(region))
    inv = Inventory(started=now(), accounts=[account], regions=[region])

    def read(batch: Sequence[Target]) -> list[Resource]:
        got = []
        for rtype, ident in batch:
            res = collect_one(specs[rtype], scope, str(ident))
            inv.gaps.extend(res.gaps)
            got.extend(res.resources)
        inv.resources.extend(got)
        return got

    follow([(resource_type, identifier)], read, whole_types=False, max_hops=max_hops)
    return inv
