"""Every registered resource type, and the tables the rest of mlwarden derives from them.

The descriptors (`scanner/resource_type.py`) are declared where the type is read: each
collector module registers a `CollectorSpec`, which is a `ResourceType`. Documents that
are computed from the inventory rather than read are declared here (`COMPUTED`).
Nothing holds a per-type table by hand: which relation points at which type, which
types are global, which CloudTrail events touch what, which Terraform type becomes
which CloudFormation type, what counts against a quota, and the AWS defaults are all
read off the descriptors by the functions below. `tests/architecture/test_descriptors.py`
lints every descriptor.
"""
from __future__ import annotations

from .aws_defaults import AwsDefault
from .collectors import base as collectors
from .resource_type import CloudTrailEvent, ResourceType, TerraformType

# MLW::SageMaker::ServiceUsage: one per account and region, counted by scanner/derived.py.
SERVICE_USAGE = ResourceType(
    type="MLW::SageMaker::ServiceUsage",
    live_only="computed from the inventory's counts and the account's quotas; a template declares neither",
    description="SageMaker usage counted against the region's quotas")

COMPUTED: tuple[ResourceType, ...] = (SERVICE_USAGE,)


_cache: tuple[int, dict[str, ResourceType]] | None = None


def resource_types() -> dict[str, ResourceType]:
    """Every type by its CloudFormation (or MLW::) name: the collectors' and the computed ones."""
    global _cache
    if _cache is None or _cache[0] != len(collectors.registered()):
        # The first call imports every collector module; later ones only see registrations since.
        specs = collectors.registry() if _cache is None else collectors.registered()
        out: dict[str, ResourceType] = dict(specs)
        for d in COMPUTED:
            out.setdefault(d.type, d)
        _cache = (len(specs), out)
    return dict(_cache[1])


def relation_types() -> dict[str, str]:
    """Relation name → the type it points at (`role` → AWS::IAM::Role), over every descriptor.

    A relation name means one target type wherever it is used (the descriptor lint
    checks it), so the targeted scan and remediation can follow a relation by name."""
    out: dict[str, str] = {}
    for d in resource_types().values():
        for r in d.relations:
            out.setdefault(r.name, r.target)
    return out


def global_types() -> frozenset[str]:
    """Types whose ids are unique per account, not per region."""
    return frozenset(t for t, d in resource_types().items() if d.global_service)


def cloudtrail_events() -> dict[str, tuple[ResourceType, CloudTrailEvent]]:
    """eventName → (the type it touches, the event as its descriptor declares it)."""
    out: dict[str, tuple[ResourceType, CloudTrailEvent]] = {}
    for d in resource_types().values():
        for e in d.events:
            out.setdefault(e.name, (d, e))
    return out


def event_source(d: ResourceType, e: CloudTrailEvent) -> str:
    """The eventSource CloudTrail records for `e`: declared, or the spec's service's."""
    return e.source or f"{getattr(d, 'iam_prefix', '')}.amazonaws.com"


def terraform_types() -> dict[str, tuple[str, TerraformType]]:
    """Terraform provider type → (CloudFormation type, how its attributes translate)."""
    return {t.name: (d.type, t) for d in resource_types().values() for t in d.terraform}


def usage_counters() -> dict[str, str]:
    """Type → the key of `facts.usage` that counts it (scanner/derived.py)."""
    return {t: d.usage_counter for t, d in resource_types().items() if d.usage_counter}


def defaults_for(resource_type: str) -> tuple[AwsDefault, ...]:
    """The AWS defaults the type's descriptor declares (none for an unknown type)."""
    d = resource_types().get(resource_type)
    return d.defaults if d is not None else ()
