"""S3 buckets: default encryption, public access blocks, versioning, bucket policy, tags.

Buckets are listed once per account (ListBuckets is global, with each bucket's
region); each bucket is then read in its own region, and the resource carries that
region. An S3 "not configured" answer (no policy, no tags, no public access
block) is a fact about the bucket, recorded as an absent property; any other
error on a bucket is a coverage gap for that bucket.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

from botocore.exceptions import ClientError

from ..aws import calls
from ..aws.session import paginate, run_bounded
from ..model import CoverageGap, Resource
from ..resource_type import CloudTrailEvent, TerraformType, kms_keys
from .base import READ_ERRORS, CollectorSpec, Scope, compact, error_code, gap_for, register, tag_list_to_dict
from .bulk import TAG_API, region_tags

BUCKET_TYPE = "AWS::S3::Bucket"

# Error codes that mean "this bucket has no such configuration".
_NOT_CONFIGURED = {
    "get_bucket_encryption": "ServerSideEncryptionConfigurationNotFoundError",
    "get_public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "get_bucket_policy": "NoSuchBucketPolicy",
    "get_bucket_tagging": "NoSuchTagSet",
}

_PAB_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def _get(client, method: str, **params) -> dict | None:
    """One Get call; None when S3 answers that the configuration does not exist."""
    try:
        resp = getattr(client, method)(**params)
    except ClientError as exc:
        if error_code(exc) == _NOT_CONFIGURED.get(method):
            return None
        raise
    resp.pop("ResponseMetadata", None)
    return resp


def bucket_region(location: str | None) -> str:
    # GetBucketLocation answers null for us-east-1 and the legacy "EU" for eu-west-1.
    if not location:
        return "us-east-1"
    return "eu-west-1" if location == "EU" else location


def encryption_property(resp: dict | None) -> dict | None:
    """GetBucketEncryption → CloudFormation's BucketEncryption shape."""
    if resp is None:
        return None
    rules = (resp.get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    return {"ServerSideEncryptionConfiguration": [{
        "ServerSideEncryptionByDefault": {
            "SSEAlgorithm": (r.get("ApplyServerSideEncryptionByDefault") or {}).get("SSEAlgorithm"),
            "KMSMasterKeyID": (r.get("ApplyServerSideEncryptionByDefault") or {}).get("KMSMasterKeyID"),
        },
        "BucketKeyEnabled": r.get("BucketKeyEnabled", False),
    } for r in rules]}


def tls_only(policy: dict | None) -> bool:
    """Does the bucket policy deny every request that is not sent over TLS?

    The AWS-recommended statement: Effect Deny, Principal everyone, Action s3:* (or *),
    Condition Bool (or BoolIfExists) aws:SecureTransport = false.
    """
    for stmt in _as_list((policy or {}).get("Statement")):
        if stmt.get("Effect") != "Deny" or not _everyone(stmt.get("Principal")):
            continue
        if not {"s3:*", "*"} & {str(a).lower() for a in _as_list(stmt.get("Action"))}:
            continue
        for operator in ("Bool", "BoolIfExists"):
            block = (stmt.get("Condition") or {}).get(operator) or {}
            values = next((v for k, v in block.items() if k.lower() == "aws:securetransport"), None)
            if values is not None and any(str(v).lower() == "false" for v in _as_list(values)):
                return True
    return False


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def account_public_access_block(scope: Scope) -> dict:
    """The account-wide S3 public access block (S3 Control). No configuration means
    every setting is off, which is what AWS enforces then."""
    resp = _get(scope.client("s3control"), "get_public_access_block", AccountId=scope.account)
    config = (resp or {}).get("PublicAccessBlockConfiguration") or {}
    return {k: bool(config.get(k, False)) for k in _PAB_KEYS}


def read_bucket(scope: Scope, name: str, region: str | None = None) -> Resource:
    """One bucket's configuration, read in its region (`region` as ListBuckets gave it;
    asked of GetBucketLocation when not given)."""
    if not region:
        region = bucket_region(scope.client("s3").get_bucket_location(Bucket=name).get("LocationConstraint"))
    s3 = scope.aws.client("s3", region)
    enc = encryption_property(_get(s3, "get_bucket_encryption", Bucket=name))
    pab = _get(s3, "get_public_access_block", Bucket=name)
    versioning = _get(s3, "get_bucket_versioning", Bucket=name) or {}
    policy_resp = _get(s3, "get_bucket_policy", Bucket=name)
    policy = json.loads(policy_resp["Policy"]) if policy_resp else None
    # Tags from the scope region's Tagging API listing (collectors.base.region_tags) for a
    # bucket of that region it lists; GetBucketTagging otherwise.
    listed = region_tags(scope).get(f"arn:{scope.partition}:s3:::{name}") if region == scope.region else None
    tagging = ({"TagSet": [{"Key": k, "Value": v} for k, v in listed.items()]} if listed is not None
               else _get(s3, "get_bucket_tagging", Bucket=name))
    props = {
        "BucketName": name,
        "BucketEncryption": enc,
        "PublicAccessBlockConfiguration": (pab or {}).get("PublicAccessBlockConfiguration"),
        # A never-versioned bucket has no Status, as a template without VersioningConfiguration.
        "VersioningConfiguration": {"Status": versioning["Status"]} if versioning.get("Status") else None,
        "PolicyDocument": policy,
    }
    kms = [r["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]
           for r in (enc or {}).get("ServerSideEncryptionConfiguration", [])
           if r["ServerSideEncryptionByDefault"].get("KMSMasterKeyID")]
    return Resource(
        type=BUCKET_TYPE, id=name, arn=f"arn:{scope.partition}:s3:::{name}", account=scope.account,
        region=region, tags=tag_list_to_dict((tagging or {}).get("TagSet")), properties=compact(props),
        facts={"tls_only": tls_only(policy),
               "tls_only_derived_by": "mlwarden.collectors.s3.tls_only: bucket policy has a Deny for "
                                      "everyone on s3:* when aws:SecureTransport is false",
               "default_encryption_reported": enc is not None},
        relations={"kms_keys": kms} if kms else {})


def collect_buckets(scope: Scope) -> Iterator[Resource | CoverageGap]:
    # paginate asks for pages of MaxBuckets=10000: S3 then pages by ContinuationToken
    # (an account whose bucket quota is over 10,000 is refused a ListBuckets without it)
    # and answers each bucket's BucketRegion, so no GetBucketLocation per bucket. An
    # answer without BucketRegion (an S3-compatible endpoint) falls back to that call.
    listed = {b["Name"]: b.get("BucketRegion") for b in paginate(scope.client("s3"), "ListBuckets", "Buckets")}
    names = list(listed)
    account_pab = None
    if names:
        try:
            account_pab = account_public_access_block(scope)
        except READ_ERRORS as exc:
            yield gap_for(SPEC, scope, "GetPublicAccessBlock", exc, resource_id="account public access block")

    def one(name: str) -> Resource | CoverageGap | None:
        try:
            bucket = read_bucket(scope, name, listed[name])
        except READ_ERRORS as exc:
            if error_code(exc) == "NoSuchBucket":
                return None  # deleted while we read it
            return gap_for(SPEC, scope, getattr(exc, "operation_name", "GetBucket"), exc, resource_id=name)
        if account_pab is not None:
            bucket.facts["account_public_access_block"] = account_pab
            bucket.facts["account_public_access_block_derived_by"] = (
                "s3control:GetPublicAccessBlock; no configuration is recorded as every setting false")
        return bucket

    # Five reads per bucket and no bulk read of them: a few buckets at a time, in list order.
    read = calls.on_this_collector(one)
    for outcome in run_bounded([lambda name=name: read(name) for name in names], scope.aws.options.item_workers):
        if outcome is not None:
            yield outcome


def lookup_bucket(scope: Scope, identifier: str) -> Iterator[Resource]:
    """One bucket by name or ARN, for event-driven scans."""
    bucket = read_bucket(scope, identifier.removeprefix(f"arn:{scope.partition}:s3:::"))
    bucket.facts["account_public_access_block"] = account_public_access_block(scope)
    bucket.facts["account_public_access_block_derived_by"] = (
        "s3control:GetPublicAccessBlock; no configuration is recorded as every setting false")
    yield bucket


SPEC = CollectorSpec(
    type=BUCKET_TYPE, service="s3", iam_prefix="s3", custom=collect_buckets, global_service=True,
    lookup=lookup_bucket,
    # IAM action names, which differ from the API names for several S3 calls.
    extra_permissions=("s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetEncryptionConfiguration",
                       "s3:GetBucketPublicAccessBlock", "s3:GetBucketVersioning", "s3:GetBucketPolicy",
                       "s3:GetBucketTagging", "s3:GetAccountPublicAccessBlock", TAG_API),
    terraform=(TerraformType(name="aws_s3_bucket"),),   # settings come from attachments (scanner/iac/normalise.py)
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.bucketName",)) for n in (
        "CreateBucket", "PutBucketEncryption", "DeleteBucketEncryption", "PutBucketPolicy", "DeleteBucketPolicy",
        "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketVersioning", "PutBucketTagging")),
    relations=(kms_keys(
        "BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.KMSMasterKeyID"),),
    description="S3 buckets: encryption, public access blocks, versioning, policy, tags",
)
register(SPEC)
