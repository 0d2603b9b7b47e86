"""S3 runbooks: plan → apply → re-scan PASS; a second apply changes nothing; a plan
made before someone else changed the bucket is refused; every call is audited."""
from __future__ import annotations

import json

import boto3
import pytest

from mlwarden.remediations.base import StalePlan

from ..conftest import ACCOUNT, REGION
from .conftest import finding


@pytest.fixture
def s3(hooks):
    return boto3.client("s3", region_name=REGION)


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="fraud-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    return "fraud-data"


@pytest.fixture
def kms_key(hooks, settings):
    arn = boto3.client("kms", region_name=REGION).create_key(Description="data")["KeyMetadata"]["Arn"]
    settings["remediation"]["kms_key"] = arn
    return arn


def bucket_finding(policy, runbook, name="fraud-data"):
    return finding("AWS::S3::Bucket", name, policy, runbook, arn=f"arn:aws:s3:::{name}")


def test_sse_kms_encrypts_with_the_settings_key_and_second_apply_changes_nothing(fixer, s3, bucket, kms_key):
    [plan] = fixer.plan(bucket_finding("MLW-ENC-012", "s3-sse-kms"), bucket_finding("MLW-ENC-013", "s3-sse-kms"))
    assert [c.operation for c in plan.calls] == ["PutBucketEncryption"]
    assert set(plan.policy_ids) == {"MLW-ENC-012", "MLW-ENC-013"}
    [result] = fixer.apply([plan])
    assert result.status == "applied"
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}
    assert rule["BucketKeyEnabled"] is True
    assert result.verification["status"] == "PASS", result.verification

    lines_before = len(fixer.audit.records())
    [again] = fixer.apply([plan])
    assert again.status == "already-compliant" and again.calls == []
    assert not [r for r in fixer.audit.records()[lines_before:] if r["event"] == "call"]
    [fresh] = fixer.plan(bucket_finding("MLW-ENC-012", "s3-sse-kms"))
    assert fresh.compliant


def test_sse_kms_without_a_key_setting_refuses_to_plan(reader, settings, bucket):
    from mlwarden.remediations.engine import make_plans
    [outcome] = make_plans([bucket_finding("MLW-ENC-012", "s3-sse-kms")], reader, settings)
    assert outcome.plan is None and "remediation.kms_key" in outcome.error


def test_public_access_block_all_four_on(fixer, s3, bucket):
    [plan] = fixer.plan(bucket_finding("MLW-NET-019", "s3-public-access-block"))
    [result] = fixer.apply([plan])
    conf = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(conf.values()) and len(conf) == 4
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_versioning_enabled(fixer, s3, bucket):
    [plan] = fixer.plan(bucket_finding("MLW-INT-012", "s3-versioning"))
    [result] = fixer.apply([plan])
    assert result.status == "applied"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan], verify=False)[0].status == "already-compliant"


def _policy(s3, bucket):
    return json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])


def test_tls_only_keeps_every_existing_statement(fixer, s3, bucket):
    existing = {"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadForAnalytics", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(existing))
    [plan] = fixer.plan(bucket_finding("MLW-ENC-017", "s3-tls-only"))
    [result] = fixer.apply([plan])
    statements = _policy(s3, bucket)["Statement"]
    assert statements[0] == existing["Statement"][0]
    deny = statements[1]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"
    assert len(_policy(s3, bucket)["Statement"]) == 2


def test_plan_refused_when_the_bucket_changed_since(fixer, s3, bucket):
    [plan] = fixer.plan(bucket_finding("MLW-ENC-017", "s3-tls-only"))
    # Someone else adds a statement between plan and apply.
    other = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Added", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}]}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(other))
    from mlwarden.remediations.base import get
    with pytest.raises(StalePlan, match="changed since the plan"):
        get("s3-tls-only").apply(plan, fixer.writer, fixer.audit, fixer.settings)
    assert _policy(s3, bucket) == other  # untouched
    events = [r["event"] for r in fixer.audit.records()]
    assert events == ["stale-plan-refused"]
    # the orchestrator reports it as a failed result instead of stopping the batch
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "failed" and "changed since the plan" in result.message


def test_audit_log_records_identity_call_parameters_and_outcome(fixer, s3, bucket, kms_key):
    [plan] = fixer.plan(bucket_finding("MLW-ENC-012", "s3-sse-kms"))
    fixer.apply([plan])
    records = fixer.audit.records()
    calls = [r for r in records if r["event"] == "call"]
    assert [c["outcome"] for c in calls] == ["started", "succeeded"]
    for c in calls:
        assert c["identity"].startswith(f"arn:aws:sts::{ACCOUNT}:") or c["identity"].startswith(f"arn:aws:iam::{ACCOUNT}:")
        assert c["runbook"] == "s3-sse-kms" and c["resource"] == f"arn:aws:s3:::{bucket}"
        assert c["call"] == "s3:PutBucketEncryption"
        assert c["parameters"]["Bucket"] == bucket
        assert c["time"].endswith("+00:00")
    assert [r["event"] for r in records] == ["apply-started", "call", "call", "apply-finished", "verified",
                                              "apply-summary"]


def test_failed_call_is_audited_with_its_error(fixer, s3, bucket, settings):
    settings["remediation"]["kms_key"] = "arn:aws:kms:eu-west-1:123456789012:key/none"
    [plan] = fixer.plan(bucket_finding("MLW-ENC-012", "s3-sse-kms"))
    s3.delete_bucket(Bucket=bucket)
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "failed"
    calls = [r for r in fixer.audit.records() if r["event"] == "call"]
    # the bucket is gone: the re-read fails before any call is made, and nothing is logged as sent
    assert calls == []


def test_model_package_finding_encrypts_its_artifact_bucket(fixer, s3, bucket, kms_key):
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="fraud")
    arn = sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={"Containers": [{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1",
                                                "ModelDataUrl": f"s3://{bucket}/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]
    [plan] = fixer.plan(finding("AWS::SageMaker::ModelPackage", arn, "MLW-ENC-011", "s3-sse-kms", arn=arn))
    assert plan.resource["type"] == "AWS::S3::Bucket" and plan.resource["id"] == bucket
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "applied"
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0][
        "ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
