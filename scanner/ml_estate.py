"""Which buckets, KMS keys and IAM roles belong to the ML estate.

Training data, model artefacts and capture buckets, the keys that encrypt them and the
execution roles of notebooks, jobs and models are part of the ML estate's cost and
ownership as much as the SageMaker resources themselves. A bucket, key or role that an
ML resource references (through its relations: `buckets`, `kms_keys`, `role`) gets
`facts.ml_referenced_by`, the ML resources that reference it (the first 20), so the
tagging policies judge it. Idempotent; run after relations are final.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .relations import RelationIndex

if TYPE_CHECKING:
    from .inventory import Inventory

ML_PREFIXES = ("AWS::SageMaker::", "MLW::SageMaker::")
ESTATE_RELATIONS = {"buckets": "AWS::S3::Bucket", "kms_keys": "AWS::KMS::Key", "role": "AWS::IAM::Role"}
# A template names an existing-in-the-file bucket or role by its name property too
# (`s3://ml-artefacts/...` for the bucket whose BucketName is ml-artefacts).
_NAME_PROPERTY = {"AWS::S3::Bucket": "BucketName", "AWS::IAM::Role": "RoleName"}


def mark_ml_estate(inv: "Inventory") -> None:
    index = RelationIndex(inv.resources)
    by_name = {(r.type, r.properties.get(_NAME_PROPERTY[r.type])): r for r in inv.resources
               if r.type in _NAME_PROPERTY and isinstance(r.properties.get(_NAME_PROPERTY[r.type]), str)}
    users: dict[str, set[str]] = {}
    targets = {}
    for r in inv.resources:
        if not r.type.startswith(ML_PREFIXES):
            continue
        for relation, rtype in ESTATE_RELATIONS.items():
            for ref in r.relations.get(relation) or []:
                hit = index.get(ref, r.account, r.region) or by_name.get((rtype, ref))
                if hit is not None and hit.type == rtype:
                    users.setdefault(hit.key, set()).add(r.arn or r.id)
                    targets[hit.key] = hit
    for key, hit in targets.items():
        hit.facts["ml_referenced_by"] = sorted(users[key])[:20]
        hit.facts["ml_referenced_by_derived_by"] = (
            "mlwarden.ml_estate: SageMaker resources whose buckets, kms_keys or role relations name it")
