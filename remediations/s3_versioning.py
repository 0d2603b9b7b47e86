"""S3 versioning on, so an overwritten or deleted model artefact can be recovered."""
from __future__ import annotations

from .base import Call, Runbook, Target, register


def read_state(t: Target) -> dict:
    v = t.client("s3").get_bucket_versioning(Bucket=t.id)
    return {"Status": v.get("Status") or "Unversioned"}


def changes(state: dict, t: Target) -> list[Call]:
    if state["Status"] == "Enabled":
        return []
    return [Call(service="s3", operation="PutBucketVersioning", note="turn versioning on",
                 params={"Bucket": t.id, "VersioningConfiguration": {"Status": "Enabled"}})]


register(Runbook(
    id="s3-versioning", title="Enable S3 versioning",
    policies=("MLW-INT-012",), resource_types=("AWS::S3::Bucket",),
    permissions=("s3:GetBucketVersioning", "s3:PutBucketVersioning"),
    read_state=read_state, changes=changes,
))
