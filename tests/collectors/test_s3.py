"""S3 bucket collector against in-process moto."""
from __future__ import annotations

import json

import boto3
from moto.core.authorization import enable_iam_authentication

from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.permissions import scan_options
from mlwarden.collectors.base import Scope, collect_spec
from mlwarden.collectors.s3 import SPEC, tls_only

from ..conftest import ACCOUNT, REGION

KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def tls_policy(bucket: str) -> dict:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


def make_hardened_bucket(name: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN},
        "BucketKeyEnabled": True}]})
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(tls_policy(name)))
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "owner", "Value": "ml-platform"}]})


def by_id(result):
    return {r.id: r for r in result.resources}


def test_hardened_and_plain_buckets_read_in_their_own_regions(aws, scope):
    make_hardened_bucket("models-prod")
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="scratch-data")

    result = collect_spec(SPEC, scope)

    assert result.gaps == []
    buckets = by_id(result)
    hard, plain = buckets["models-prod"], buckets["scratch-data"]
    assert hard.region == REGION and plain.region == "us-east-1"
    assert hard.arn == "arn:aws:s3:::models-prod"
    assert hard.properties["BucketEncryption"] == {"ServerSideEncryptionConfiguration": [{
        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN},
        "BucketKeyEnabled": True}]}
    assert hard.properties["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True
    assert hard.properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert hard.properties["PolicyDocument"]["Statement"][0]["Sid"] == "DenyInsecureTransport"
    assert hard.tags == {"owner": "ml-platform"}
    assert hard.facts["tls_only"] is True
    assert hard.relations == {"kms_keys": [KEY_ARN]}

    # What S3 (here moto) answers for a bucket nobody configured: recorded as absent,
    # not invented. (AWS itself would report SSE-S3 default encryption.)
    for prop in ("BucketEncryption", "PublicAccessBlockConfiguration", "VersioningConfiguration",
                 "PolicyDocument"):
        assert prop not in plain.properties
    assert plain.tags == {}
    assert plain.facts["tls_only"] is False
    assert plain.facts["default_encryption_reported"] is False


def test_account_public_access_block_is_a_fact_on_every_bucket(aws, scope):
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket="a-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    none = collect_spec(SPEC, scope).resources[0].facts["account_public_access_block"]
    assert none == {"BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
                    "RestrictPublicBuckets": False}

    boto3.client("s3control", region_name=REGION).put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": False})
    facts = collect_spec(SPEC, scope).resources[0].facts
    assert facts["account_public_access_block"]["BlockPublicPolicy"] is True
    assert facts["account_public_access_block"]["RestrictPublicBuckets"] is False


def test_every_bucket_is_listed_beyond_one_page(aws, scope):
    s3 = boto3.client("s3", region_name=REGION)
    names = {f"bucket-{i:03d}" for i in range(30)}
    for n in names:
        s3.create_bucket(Bucket=n, CreateBucketConfiguration={"LocationConstraint": REGION})
    assert set(by_id(collect_spec(SPEC, scope))) == names


def test_bucket_whose_policy_cannot_be_read_is_a_gap_not_a_clean_bucket(aws):
    make_hardened_bucket("locked-down")
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket="readable", CreateBucketConfiguration={"LocationConstraint": REGION})
    iam = boto3.client("iam", region_name=REGION)
    iam.create_user(UserName="auditor")
    iam.put_user_policy(UserName="auditor", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetBucketPolicy", "Resource": "arn:aws:s3:::locked-down"}]}))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    ctx = AwsContext(options=scan_options(credentials={
        "AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}))

    with enable_iam_authentication():
        result = collect_spec(SPEC, Scope(aws=ctx, account=ACCOUNT, region=REGION))

    assert set(by_id(result)) == {"readable"}
    [gap] = result.gaps
    assert (gap.resource_type, gap.resource_id, gap.error_code) == ("AWS::S3::Bucket", "locked-down",
                                                                   "AccessDenied")
    assert gap.operation == "s3:GetBucketPolicy"


def test_tls_only_needs_a_deny_on_insecure_transport_for_everyone():
    assert tls_only(tls_policy("b"))
    allow = tls_policy("b")
    allow["Statement"][0]["Effect"] = "Allow"
    assert not tls_only(allow)
    one_principal = tls_policy("b")
    one_principal["Statement"][0]["Principal"] = {"AWS": "arn:aws:iam::111122223333:root"}
    assert not tls_only(one_principal)
    bool_value = tls_policy("b")
    bool_value["Statement"][0]["Condition"] = {"Bool": {"aws:SecureTransport": [False]}}
    assert tls_only(bool_value)
    assert not tls_only(None)


def test_buckets_and_account_block_read_over_the_network_path(moto_server):
    # Through an endpoint URL, as `--endpoint-url` scans do: S3 Control's account-id host
    # prefix must not be used (it would not resolve), and per-region clients still work.
    moto_server.reset()
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_server.url)
    s3.create_bucket(Bucket="net-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    # (a writable context: it knows how to reach S3 Control through an endpoint URL)
    writer = AwsContext(options=AwsOptions(endpoint_url=moto_server.url, read_only=False))
    writer.client("s3control", REGION).put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration={
                     "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                     "RestrictPublicBuckets": True})
    ctx = AwsContext(options=scan_options(endpoint_url=moto_server.url))
    result = collect_spec(SPEC, Scope(aws=ctx, account=ACCOUNT, region=REGION))
    assert result.gaps == []
    [bucket] = result.resources
    assert bucket.id == "net-bucket" and bucket.region == REGION
    assert set(bucket.facts["account_public_access_block"].values()) == {True}
