"""Which buckets, KMS keys and IAM roles belong to the ML estate.

Training data, model artefacts and capture buckets, the keys that encrypt them and the
execution roles of notebooks, jobs and models are part of the ML estate's cost and
ownership as much as the SageMaker resources themselves. A bucket, key or role that an
ML resource references (through its relations: `buckets`, `kms_keys`, `role`) gets
`facts.ml_referenced_by`, the ML resources that reference it (the first 20), so the
tagging policies judge it. Idempotent; run after relations are final.

This is a derived facet (`ml_estate`) of every bucket, key and role: "referenced by no
ML resource" is known only when every ML type of that account was read. When one could
not be read (or was not collected), a resource no read ML resource references has the
facet incomplete, naming the failed reads, and the policies that read it are
NOT_ASSESSED there instead of skipping it as outside the ML estate.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .collectors.base import registry
from .facets import Facet, incomplete
from .model import READ
from .relations import RelationIndex

if TYPE_CHECKING:
    from .inventory import Inventory

ML_PREFIXES = ("AWS::SageMaker::", "MLW::SageMaker::")
ESTATE_RELATIONS = {"buckets": "AWS::S3::Bucket", "kms_keys": "AWS::KMS::Key", "role": "AWS::IAM::Role"}
# A template names an existing-in-the-file bucket or role by its name property too
# (`s3://ml-artefacts/...` for the bucket whose BucketName is ml-artefacts).
_NAME_PROPERTY = {"AWS::S3::Bucket": "BucketName", "AWS::IAM::Role": "RoleName"}

ML_ESTATE_FACET = Facet(
    name="ml_estate", derived=True,
    paths=("resource.facts.ml_referenced_by", "resource.facts.ml_referenced_by_derived_by"),
    description="the ML resources whose buckets, kms_keys or role relations name it; "
                "incomplete when an ML type of its account could not be read")


def mark_ml_estate(inv: "Inventory", collected_types: set[str] | None = None) -> None:
    """`collected_types`: the types this collection read (None: whatever the inventory
    holds, as for templates, or every type)."""
    index = RelationIndex(inv.resources)
    by_name = {(r.type, r.properties.get(_NAME_PROPERTY[r.type])): r for r in inv.resources
               if r.type in _NAME_PROPERTY and isinstance(r.properties.get(_NAME_PROPERTY[r.type]), str)}
    users: dict[str, set[str]] = {}
    for r in inv.resources:
        if not r.type.startswith(ML_PREFIXES):
            continue
        for relation, rtype in ESTATE_RELATIONS.items():
            for ref in r.relations.get(relation) or []:
                hit = index.get(ref, r.account, r.region) or by_name.get((rtype, ref))
                if hit is not None and hit.type == rtype:
                    users.setdefault(hit.key, set()).add(r.arn or r.id)
    unread = _unread_ml_types(inv, collected_types)
    estate_types = set(ESTATE_RELATIONS.values())
    for r in inv.resources:
        if r.type not in estate_types:
            continue
        r.facts.pop("ml_referenced_by", None)
        r.facts.pop("ml_referenced_by_derived_by", None)
        if r.key in users:
            r.facts["ml_referenced_by"] = sorted(users[r.key])[:20]
            r.facts["ml_referenced_by_derived_by"] = (
                "mlwarden.ml_estate: SageMaker resources whose buckets, kms_keys or role relations name it")
            r.facets["ml_estate"] = READ
            continue
        missing = unread.get(r.account, [])
        r.facets["ml_estate"] = _incomplete(r, missing) if missing else READ


def _unread_ml_types(inv: "Inventory", collected_types: set[str] | None) -> dict[str, list[str]]:
    """Per account: the ML reads that failed (any region) or ML types not collected."""
    out: dict[str, list[str]] = {}
    for g in inv.gaps:
        if g.resource_type.startswith(ML_PREFIXES) or g.resource_type == "*":
            what = f"{g.resource_type} {g.resource_id}" if g.resource_id else f"{g.resource_type} (listing)"
            out.setdefault(g.account, []).append(f"{what} in {g.region}: {g.operation} failed with {g.error_code}")
    if collected_types is not None:
        skipped = sorted(t for t in registry() if t.startswith(ML_PREFIXES) and t not in collected_types)
        for account in set(inv.accounts) | {r.account for r in inv.resources}:
            out.setdefault(account, []).extend(f"{t}: not collected in this scan" for t in skipped)
    return {a: list(dict.fromkeys(why)) for a, why in out.items() if why}


def _incomplete(r, missing: list[str]):
    return incomplete(f"whether {r.type} {r.id} belongs to the ML estate", missing)
