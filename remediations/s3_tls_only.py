"""A bucket policy statement denying requests without TLS, merged into the existing
policy: every statement already there is kept as it is."""
from __future__ import annotations

import json

from botocore.exceptions import ClientError

from .base import Call, Runbook, Target, error_code, register

SID = "MlwardenDenyInsecureTransport"


def read_state(t: Target) -> dict:
    try:
        text = t.client("s3").get_bucket_policy(Bucket=t.id)["Policy"]
    except ClientError as exc:
        if error_code(exc) != "NoSuchBucketPolicy":
            raise
        return {"Policy": None}
    return {"Policy": json.loads(text)}


def _denies_insecure(stmt: dict) -> bool:
    if stmt.get("Effect") != "Deny":
        return False
    actions = stmt.get("Action")
    actions = [actions] if isinstance(actions, str) else actions or []
    principal = stmt.get("Principal")
    cond = (stmt.get("Condition") or {}).get("Bool") or {}
    return (any(a in ("s3:*", "*") for a in actions) and principal in ("*", {"AWS": "*"})
            and str(cond.get("aws:SecureTransport")).lower() == "false")


def changes(state: dict, t: Target) -> list[Call]:
    policy = state["Policy"] or {"Version": "2012-10-17", "Statement": []}
    statements = policy.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    if any(_denies_insecure(s) for s in statements):
        return []
    bucket_arn = f"arn:aws:s3:::{t.id}"
    merged = {**policy, "Statement": [*statements, {
        "Sid": SID, "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    return [Call(service="s3", operation="PutBucketPolicy",
                 note=f"add statement {SID}, keeping the {len(statements)} existing statement(s)",
                 params={"Bucket": t.id, "Policy": json.dumps(merged)})]


register(Runbook(
    id="s3-tls-only", title="Deny S3 requests that do not use TLS",
    policies=("MLW-ENC-017",), resource_types=("AWS::S3::Bucket",),
    permissions=("s3:GetBucketPolicy", "s3:PutBucketPolicy"),
    read_state=read_state, changes=changes,
))
