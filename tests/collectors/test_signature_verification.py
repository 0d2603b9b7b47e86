"""Signatures made by `mlwarden sign` verify in the scan; tampered ones do not."""
from __future__ import annotations

import base64
import hashlib

import boto3

from mlwarden.collectors.base import collect_spec, registry

from ..conftest import REGION


def _package(sm, group: str, metadata: dict) -> str:
    return sm.create_model_package(
        ModelPackageGroupName=group, ModelApprovalStatus="Approved",
        InferenceSpecification={"Containers": [{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1",
                                                "ModelDataUrl": "s3://artifacts/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        CustomerMetadataProperties=metadata)["ModelPackageArn"]


def test_kms_signature_verifies_and_a_tampered_digest_does_not(aws, scope):
    body = b"weights"
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="artifacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="artifacts", Key="model.tar.gz", Body=body)
    digest = hashlib.sha256(body).hexdigest()
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    sig = base64.b64encode(kms.sign(KeyId=key, Message=digest.encode(), MessageType="RAW",
                                    SigningAlgorithm="ECDSA_SHA_256")["Signature"]).decode()
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="g")
    good = _package(sm, "g", {"mlwarden:signature": sig, "mlwarden:signing-key": key,
                              "mlwarden:artifact-sha256": digest})
    forged = _package(sm, "g", {"mlwarden:signature": sig, "mlwarden:signing-key": key,
                                "mlwarden:artifact-sha256": "0" * 64})
    profile_only = _package(sm, "g", {"mlwarden:signature": "abc", "mlwarden:signing-profile": "p",
                                      "mlwarden:artifact-sha256": digest})
    res = collect_spec(registry()["AWS::SageMaker::ModelPackage"], scope)
    assert not res.gaps, res.gaps
    sig_of = {r.arn: r.facts["signature"] for r in res.resources}
    assert sig_of[good]["verified"] is True
    assert sig_of[forged]["verified"] is False
    assert "verified" not in sig_of[profile_only] and "Signer" in sig_of[profile_only]["verify_error"]
