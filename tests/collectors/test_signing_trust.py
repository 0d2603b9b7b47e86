"""Signing trust cannot be spoofed: a package is trusted (MLW-INT-002) only if its
signature verifies against an enabled key the settings trust, resolved in KMS by the
scan. Real KMS signatures on moto, the real collectors, the real policy engine."""
from __future__ import annotations

import base64
import hashlib

import boto3
import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.collectors.base import collect_spec, registry
from mlwarden.inventory import Inventory
from mlwarden.model import Status

from ..conftest import ACCOUNT, REGION

BODY = b"the model as it was reviewed"
DIGEST = hashlib.sha256(BODY).hexdigest()
PROFILE = "ml_release_signer"
ALIAS = "alias/ml-release-signing"
ALIAS_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:{ALIAS}"


def _key(kms) -> str:
    return kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]


def _sign(kms, key: str) -> str:
    return base64.b64encode(kms.sign(KeyId=key, Message=DIGEST.encode(), MessageType="RAW",
                                     SigningAlgorithm="ECDSA_SHA_256")["Signature"]).decode()


@pytest.fixture
def estate(aws, tmp_path):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="artefacts", Key="model.tar.gz", Body=BODY)
    boto3.client("signer", region_name=REGION).put_signing_profile(
        profileName=PROFILE, platformId="AWSLambda-SHA384-ECDSA")
    kms = boto3.client("kms", region_name=REGION)
    genuine, rogue, retired = _key(kms), _key(kms), _key(kms)
    kms.create_alias(AliasName=ALIAS, TargetKeyId=genuine)
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="g")

    def package(signing_key: str, signed_with: str, profile: str | None = None) -> str:
        metadata = {"mlwarden:signature": _sign(kms, signed_with), "mlwarden:signing-key": signing_key,
                    "mlwarden:artifact-sha256": DIGEST}
        if profile:
            metadata["mlwarden:signing-profile"] = profile
        return sm.create_model_package(
            ModelPackageGroupName="g", ModelApprovalStatus="Approved",
            InferenceSpecification={"Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/m:1",
                                                    "ModelDataUrl": "s3://artefacts/model.tar.gz"}],
                                    "SupportedContentTypes": ["text/csv"],
                                    "SupportedResponseMIMETypes": ["text/csv"]},
            CustomerMetadataProperties=metadata)["ModelPackageArn"]

    cases = {
        "genuine": package(genuine, genuine, PROFILE),
        "genuine_by_alias": package(ALIAS_ARN, genuine),
        # Signed with a key of the attacker's, naming the real, trusted, Active profile.
        "rogue_key_real_profile": package(rogue, rogue, PROFILE),
        # Claims the trusted alias, but was signed with another key than it points to.
        "trusted_alias_other_key": package(ALIAS_ARN, rogue),
        # Signed with a key that is trusted but has since been disabled.
        "disabled_trusted_key": package(retired, retired),
    }
    kms.disable_key(KeyId=retired.rsplit("/", 1)[-1])   # moto takes the key id here, as AWS does too
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"trusted_signing_keys: ['{ALIAS_ARN}', '{retired}']\n"
                        f"trusted_signing_profiles: ['{PROFILE}']\n")
    return cases, settings


def _findings(scope, settings) -> dict:
    resources, gaps = [], []
    for t in ("AWS::SageMaker::ModelPackage", "AWS::SageMaker::ModelPackageGroup", "AWS::KMS::Key",
              "AWS::Signer::SigningProfile"):
        res = collect_spec(registry()[t], scope)
        resources += res.resources
        gaps += res.gaps
    assert not gaps, gaps
    doc = evaluate_inventory(Inventory(resources=resources, accounts=[ACCOUNT], regions=[REGION]),
                             EvalOptions(settings_file=settings))
    return {(f.policy_id, f.resource["arn"]): f for f in doc.findings}


def test_only_the_genuine_signatures_are_trusted(estate, scope):
    cases, settings = estate
    findings = _findings(scope, settings)
    trust = {name: findings[("MLW-INT-002", arn)] for name, arn in cases.items()}
    assert trust["genuine"].status == Status.PASS, trust["genuine"].message
    assert trust["genuine_by_alias"].status == Status.PASS, trust["genuine_by_alias"].message
    for name in ("rogue_key_real_profile", "trusted_alias_other_key", "disabled_trusted_key"):
        assert trust[name].status == Status.FAIL, (name, trust[name].message)
    assert "naming a profile is not evidence" in trust["rogue_key_real_profile"].message
    assert "not verified" in trust["trusted_alias_other_key"].message
    # Each is still "signed" (MLW-INT-001 says only that); the integrity verdicts that
    # depend on the key fail: does not verify (INT-004) where the key that signed is not
    # the one the alias names.
    assert findings[("MLW-INT-004", cases["trusted_alias_other_key"])].status == Status.FAIL
    assert findings[("MLW-INT-004", cases["genuine"])].status == Status.PASS


def test_the_key_is_resolved_by_the_scan_not_taken_from_the_package(estate, scope):
    cases, _ = estate
    packages = {r.arn: r for r in collect_spec(registry()["AWS::SageMaker::ModelPackage"], scope).resources}
    by_alias = packages[cases["genuine_by_alias"]].facts["signature"]
    genuine = packages[cases["genuine"]].facts["signature"]
    assert by_alias["key_id"] == ALIAS_ARN and by_alias["key_arn"] == genuine["key_arn"] != ALIAS_ARN
    assert by_alias["key_aliases"] == [ALIAS_ARN] and by_alias["key_state"] == "Enabled"
    assert packages[cases["disabled_trusted_key"]].facts["signature"]["key_state"] == "Disabled"
