"""S3 default encryption with the organisation's KMS key (SSE-KMS, S3 Bucket Key on)."""
from __future__ import annotations

from botocore.exceptions import ClientError

from .base import Call, Runbook, Target, error_code, register


def read_state(t: Target) -> dict:
    s3 = t.client("s3")
    try:
        rules = s3.get_bucket_encryption(Bucket=t.id)["ServerSideEncryptionConfiguration"]["Rules"]
    except ClientError as exc:
        if error_code(exc) != "ServerSideEncryptionConfigurationNotFoundError":
            raise
        rules = []
    return {"rules": [{**r.get("ApplyServerSideEncryptionByDefault", {}),
                       "BucketKeyEnabled": bool(r.get("BucketKeyEnabled"))} for r in rules]}


def changes(state: dict, t: Target) -> list[Call]:
    key = t.required_setting("kms_key")
    for rule in state["rules"]:
        if (rule.get("SSEAlgorithm") in ("aws:kms", "aws:kms:dsse") and rule["BucketKeyEnabled"]
                and rule.get("KMSMasterKeyID") in (key, _key_id(key))):
            return []
    return [Call(service="s3", operation="PutBucketEncryption", note=f"default encryption: SSE-KMS with {key}",
                 params={"Bucket": t.id, "ServerSideEncryptionConfiguration": {"Rules": [{
                     "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
                     "BucketKeyEnabled": True}]}})]


def _key_id(key: str) -> str:
    return key.rsplit("/", 1)[-1] if key.startswith("arn:") and ":key/" in key else key


def retarget(f, aws) -> list[dict]:
    """A model package's finding (its artefact bucket is not encrypted) → that bucket."""
    r = f.resource
    sm = aws.client("sagemaker", r.get("region") or "us-east-1")
    pkg = sm.describe_model_package(ModelPackageName=r.get("arn") or r.get("id"))
    buckets = []
    for c in (pkg.get("InferenceSpecification") or {}).get("Containers") or []:
        url = c.get("ModelDataUrl") or ""
        if url.startswith("s3://"):
            buckets.append(url[5:].split("/", 1)[0])
    out = []
    for b in dict.fromkeys(buckets):
        loc = aws.client("s3", r.get("region") or "us-east-1").get_bucket_location(Bucket=b)
        out.append({"type": "AWS::S3::Bucket", "id": b, "arn": f"arn:aws:s3:::{b}", "account": r.get("account"),
                    "region": loc.get("LocationConstraint") or "us-east-1"})
    return out


register(Runbook(
    id="s3-sse-kms", title="Encrypt the bucket by default with the organisation's KMS key",
    policies=("MLW-ENC-011", "MLW-ENC-012", "MLW-ENC-013"), resource_types=("AWS::S3::Bucket",),
    permissions=("s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetBucketLocation",
                 "sagemaker:DescribeModelPackage"),
    retarget=retarget,
    read_state=read_state, changes=changes,
    description="Sets default encryption to SSE-KMS with settings remediation.kms_key. Objects "
                "already in the bucket keep their encryption; new writes use the key.",
))
