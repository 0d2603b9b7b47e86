"""Model package quarantine and signing (runbook and `mlwarden sign`)."""
from __future__ import annotations

import base64
import hashlib

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.cli import main

from ..conftest import REGION
from .conftest import finding

ARTIFACT = b"model weights \x00\x01" * 1000


@pytest.fixture
def sm(hooks):
    return boto3.client("sagemaker", region_name=REGION)


@pytest.fixture
def package(sm):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="fraud-models", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="fraud-models", Key="v1/model.tar.gz", Body=ARTIFACT)
    sm.create_model_package_group(ModelPackageGroupName="fraud")
    return sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="Approved",
        CustomerMetadataProperties={"dataset_hash": "abc", "training_job": "tj-1", "framework": "xgboost"},
        InferenceSpecification={"Containers": [{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1",
                                                "ModelDataUrl": "s3://fraud-models/v1/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]


@pytest.fixture
def signing_key(hooks, settings):
    arn = boto3.client("kms", region_name=REGION).create_key(
        KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY", Description="model signing")["KeyMetadata"]["Arn"]
    settings["remediation"]["signing_key"] = arn
    settings["trusted_signing_keys"] = [arn]
    return arn


def pkg_finding(arn, policy, runbook, message="fails"):
    return finding("AWS::SageMaker::ModelPackage", arn, policy, runbook, arn=arn, message=message)


def test_quarantine_rejects_with_reason_and_keeps_metadata(fixer, sm, package):
    [plan] = fixer.plan(pkg_finding(package, "MLW-INT-001", "model-package-quarantine",
                                    message="model package has no signature"))
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "applied"
    d = sm.describe_model_package(ModelPackageName=package)
    assert d["ModelApprovalStatus"] == "Rejected"
    assert "MLW-INT-001: model package has no signature" in d["ApprovalDescription"]
    assert d["CustomerMetadataProperties"]["dataset_hash"] == "abc"
    assert fixer.apply([plan], verify=False)[0].status == "already-compliant"


def test_quarantine_back_to_pending_when_configured(fixer, sm, package, settings):
    settings["remediation"]["quarantine_status"] = "PendingManualApproval"
    [plan] = fixer.plan(pkg_finding(package, "MLW-REG-001", "model-package-quarantine"))
    [result] = fixer.apply([plan])
    assert sm.describe_model_package(ModelPackageName=package)["ModelApprovalStatus"] == "PendingManualApproval"
    # MLW-REG-001 judges only Approved packages: it no longer applies, which is a pass
    assert result.verification["status"] == "PASS", result.verification


def _assert_signed(sm, package, key):
    meta = sm.describe_model_package(ModelPackageName=package)["CustomerMetadataProperties"]
    digest = hashlib.sha256(ARTIFACT).hexdigest()
    assert meta["mlwarden:artifact-sha256"] == digest and meta["mlwarden:signing-key"] == key
    assert len(meta["mlwarden:signature"]) <= 256 and meta["dataset_hash"] == "abc"
    ok = boto3.client("kms", region_name=REGION).verify(
        KeyId=key, Message=digest, MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256",
        Signature=base64.b64decode(meta["mlwarden:signature"]))["SignatureValid"]
    assert ok


def test_sign_runbook_signs_the_artifact_digest(fixer, sm, package, signing_key):
    [plan] = fixer.plan(pkg_finding(package, "MLW-INT-001", "model-package-sign"))
    assert [c.operation for c in plan.calls] == ["Sign", "UpdateModelPackage"]
    [result] = fixer.apply([plan])
    _assert_signed(sm, package, signing_key)
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"
    # a new artefact under the same URL makes the signature stale: signing again is planned
    boto3.client("s3", region_name=REGION).put_object(Bucket="fraud-models", Key="v1/model.tar.gz", Body=b"other")
    [again] = fixer.plan(pkg_finding(package, "MLW-INT-001", "model-package-sign"))
    assert not again.compliant


def test_sign_refuses_an_rsa_key(reader, settings, package):
    from mlwarden.remediations.engine import make_plans
    settings["remediation"]["signing_key"] = boto3.client("kms", region_name=REGION).create_key(
        KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    [outcome] = make_plans([pkg_finding(package, "MLW-INT-001", "model-package-sign")], reader, settings)
    assert outcome.plan is None and "ECC_NIST_P256" in outcome.error


def test_mlwarden_sign_command(sm, package, signing_key, tmp_path):
    log = tmp_path / "audit.jsonl"
    result = CliRunner().invoke(main, ["sign", package, "--key", signing_key, "--audit-log", str(log)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("applied:")
    _assert_signed(sm, package, signing_key)
    calls = [ln for ln in log.read_text().splitlines() if '"event": "call"' in ln]
    assert len(calls) == 4  # Sign and UpdateModelPackage, each before and after


def test_mlwarden_sign_rejects_a_bad_arn(hooks):
    result = CliRunner().invoke(main, ["sign", "arn:aws:s3:::bucket", "--key", "k"])
    assert result.exit_code == 2 and "not a SageMaker model package ARN" in result.output
