"""S3 Block Public Access: all four settings on the bucket."""
from __future__ import annotations

from botocore.exceptions import ClientError

from .base import Call, Runbook, Target, error_code, register

ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
          "RestrictPublicBuckets": True}


def read_state(t: Target) -> dict:
    try:
        conf = t.client("s3").get_public_access_block(Bucket=t.id)["PublicAccessBlockConfiguration"]
    except ClientError as exc:
        if error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
            raise
        conf = {}
    return {"PublicAccessBlockConfiguration": {k: bool(conf.get(k)) for k in ALL_ON}}


def changes(state: dict, t: Target) -> list[Call]:
    if state["PublicAccessBlockConfiguration"] == ALL_ON:
        return []
    return [Call(service="s3", operation="PutPublicAccessBlock", note="block every form of public access",
                 params={"Bucket": t.id, "PublicAccessBlockConfiguration": dict(ALL_ON)})]


register(Runbook(
    id="s3-public-access-block", title="Turn on all four S3 Block Public Access settings",
    policies=("MLW-NET-019",), resource_types=("AWS::S3::Bucket",),
    permissions=("s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    read_state=read_state, changes=changes,
))
