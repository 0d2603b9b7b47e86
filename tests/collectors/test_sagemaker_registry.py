"""Model Registry collectors (package groups, packages, signature facts) against in-process moto."""
from __future__ import annotations

import base64
import hashlib

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_registry import GROUP_TYPE, PACKAGE_TYPE

from ..conftest import ACCOUNT, REGION
from ..support.moto_sagemaker import search_without_tags

ARTIFACT = b"pretend this is model.tar.gz" * 100
ARTIFACT_SHA = hashlib.sha256(ARTIFACT).hexdigest()
SIGNING_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/4444dddd-44dd-44dd-44dd-444444444444"
IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgb:1"


@pytest.fixture
def sm(aws):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="registry-artifacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    # uploaded with a SHA-256 checksum, as a signing pipeline would
    s3.put_object(Bucket="registry-artifacts", Key="fraud/v1/model.tar.gz", Body=ARTIFACT,
                  ChecksumAlgorithm="SHA256")
    # uploaded without one: the collector hashes the (small) object itself
    s3.put_object(Bucket="registry-artifacts", Key="fraud/v2/model.tar.gz", Body=ARTIFACT + b"tampered")
    return boto3.client("sagemaker", region_name=REGION)


def inference(url: str) -> dict:
    return {"Containers": [{"Image": IMAGE, "ModelDataUrl": url}],
            "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}


def make_registry(sm) -> dict[str, str]:
    sm.create_model_package_group(ModelPackageGroupName="fraud", ModelPackageGroupDescription="fraud scoring",
                                  Tags=[{"Key": "owner", "Value": "risk-ml"}])
    arns = {}
    arns["signed"] = sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="Approved",
        InferenceSpecification=inference("s3://registry-artifacts/fraud/v1/model.tar.gz"),
        CustomerMetadataProperties={
            "mlwarden:signature": base64.b64encode(b"sig").decode(),
            "mlwarden:signing-profile": "ml_release_signer",
            "mlwarden:artifact-sha256": "SHA256:" + ARTIFACT_SHA.upper(),
            "team": "risk"},
        ModelMetrics={"ModelQuality": {"Statistics": {
            "ContentType": "application/json", "S3Uri": "s3://registry-metrics/fraud/v1/stats.json"}}},
        Tags=[{"Key": "stage", "Value": "release"}])["ModelPackageArn"]
    arns["tampered"] = sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="Rejected",
        InferenceSpecification=inference("s3://registry-artifacts/fraud/v2/model.tar.gz"),
        CustomerMetadataProperties={"mlwarden:signature": "c2ln", "mlwarden:signing-key": SIGNING_KEY,
                                    "mlwarden:artifact-sha256": ARTIFACT_SHA})["ModelPackageArn"]
    arns["unsigned"] = sm.create_model_package(
        ModelPackageGroupName="fraud",
        InferenceSpecification=inference("s3://registry-artifacts/fraud/v3/model.tar.gz"))["ModelPackageArn"]
    arns["missing-artifact"] = sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification=inference("s3://registry-artifacts/fraud/gone/model.tar.gz"),
        CustomerMetadataProperties={"mlwarden:signature": "c2ln",
                                    "mlwarden:artifact-sha256": ARTIFACT_SHA})["ModelPackageArn"]
    return arns


def by_arn(result) -> dict:
    return {r.arn: r for r in result.resources}


def test_model_package_group_properties_and_tags(sm, scope):
    make_registry(sm)
    result = collect_spec(registry()[GROUP_TYPE], scope)
    assert result.gaps == []
    [g] = result.resources
    assert (g.id, g.arn) == ("fraud", f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package-group/fraud")
    assert g.properties["ModelPackageGroupDescription"] == "fraud scoring"
    assert g.properties["ModelPackageGroupStatus"] == "Completed"
    assert g.tags == {"owner": "risk-ml"}


def test_model_package_properties_relations_and_tags(sm, scope):
    arns = make_registry(sm)
    result = collect_spec(registry()[PACKAGE_TYPE], scope)
    assert result.gaps == []
    packages = by_arn(result)
    assert set(packages) == set(arns.values())
    p = packages[arns["signed"]]
    assert p.id == p.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud/1"
    props = p.properties
    assert props["ModelPackageGroupName"] == "fraud"
    assert props["ModelPackageVersion"] == 1
    assert props["ModelApprovalStatus"] == "Approved"
    assert props["CustomerMetadataProperties"]["team"] == "risk"
    assert props["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"].startswith("s3://registry-metrics/")
    assert props["InferenceSpecification"]["Containers"] == [
        {"Image": IMAGE, "ModelDataUrl": "s3://registry-artifacts/fraud/v1/model.tar.gz"}]
    assert "UserProfileArn" in props["CreatedBy"]
    assert p.tags == {"stage": "release"}  # ListTags on a model-package ARN
    assert p.relations["model_package_group"] == ["fraud"]
    assert set(p.relations["buckets"]) == {"registry-artifacts", "registry-metrics"}
    assert p.relations["signing_profiles"] == ["ml_release_signer"]
    # a versioned package registered without a status is waiting for approval
    assert packages[arns["unsigned"]].properties["ModelApprovalStatus"] == "PendingManualApproval"
    assert packages[arns["unsigned"]].tags == {}


def test_approval_description_and_last_modified_by(sm, scope):
    arns = make_registry(sm)
    sm.update_model_package(ModelPackageArn=arns["unsigned"], ModelApprovalStatus="Approved",
                            ApprovalDescription="reviewed by risk board 2026-11-20")
    p = by_arn(collect_spec(registry()[PACKAGE_TYPE], scope))[arns["unsigned"]]
    assert p.properties["ModelApprovalStatus"] == "Approved"
    assert p.properties["ApprovalDescription"] == "reviewed by risk board 2026-11-20"
    assert "UserProfileArn" in p.properties["LastModifiedBy"]
    assert p.properties["LastModifiedTime"].endswith("+00:00")


def test_lifecycle_stage_and_who_set_it(sm, scope):
    # moto drops ModelLifeCycle; the demo's emulation (one for demo and tests) keeps it
    # as the API reference describes.
    from mlwarden.demo import moto_extensions
    moto_extensions.install()
    arns = make_registry(sm)
    sm.update_model_package(ModelPackageArn=arns["signed"], ModelLifeCycle={
        "Stage": "PROD", "StageStatus": "Approved", "StageDescription": "CAB-1142"})
    packages = by_arn(collect_spec(registry()[PACKAGE_TYPE], scope))
    p = packages[arns["signed"]]
    assert p.properties["ModelLifeCycle"] == {"Stage": "PROD", "StageStatus": "Approved",
                                              "StageDescription": "CAB-1142"}
    assert "UserProfileArn" in p.properties["LastModifiedBy"]
    assert packages[arns["unsigned"]].properties.get("ModelLifeCycle") is None


def test_signature_facts_and_actual_artifact_digest(sm, scope):
    arns = make_registry(sm)
    packages = by_arn(collect_spec(registry()[PACKAGE_TYPE], scope))

    signed = packages[arns["signed"]].facts
    assert {k: v for k, v in signed["signature"].items() if k not in ("derived_by", "verify_error")} == {
        "present": True, "signing_profile": "ml_release_signer", "artifact_digest_claimed": ARTIFACT_SHA}
    # a Signer-profile signature cannot be checked offline: it is never reported as verified
    assert "verified" not in signed["signature"] and "Signer" in signed["signature"]["verify_error"]
    assert signed["artifact_sha256_actual"] == ARTIFACT_SHA  # from S3's ChecksumSHA256
    assert "HeadObject" in signed["artifact_sha256_actual_derived_by"]

    tampered = packages[arns["tampered"]]
    assert tampered.facts["signature"]["key_id"] == SIGNING_KEY
    assert tampered.relations["kms_keys"] == [SIGNING_KEY]
    # no checksum stored: the small object was hashed, and differs from the claim
    assert tampered.facts["artifact_sha256_actual"] == hashlib.sha256(ARTIFACT + b"tampered").hexdigest()
    assert tampered.facts["artifact_sha256_actual"] != tampered.facts["signature"]["artifact_digest_claimed"]
    assert "GetObject" in tampered.facts["artifact_sha256_actual_derived_by"]

    unsigned = packages[arns["unsigned"]].facts
    assert unsigned["signature"]["present"] is False
    assert "signing_profile" not in unsigned["signature"]  # absent, not null
    assert "artifact_sha256_actual" not in unsigned and "artifact_check" not in unsigned

    missing = packages[arns["missing-artifact"]].facts
    assert "artifact_sha256_actual" not in missing
    assert missing["artifact_check"]["error"].startswith("404")


def test_unversioned_packages_are_collected_too(sm, scope):
    make_registry(sm)
    sm.create_model_package(ModelPackageName="legacy-churn",
                            InferenceSpecification=inference("s3://registry-artifacts/churn/model.tar.gz"))
    packages = {r.id.rsplit("/", 1)[-1]: r for r in collect_spec(registry()[PACKAGE_TYPE], scope).resources}
    assert "legacy-churn" in packages
    legacy = packages["legacy-churn"]
    assert legacy.properties["ModelPackageName"] == "legacy-churn"
    assert "ModelApprovalStatus" not in legacy.properties  # does not apply to unversioned packages
    assert "model_package_group" not in legacy.relations


def test_list_tags_failure_keeps_the_package_with_its_tags_facet_missing(sm, scope, aws_context):
    arns = make_registry(sm)
    client = aws_context.client("sagemaker", REGION)
    # Search gives every other package's tags; this one's record comes without them,
    # and ListTags of it is refused.
    search_without_tags(client, {arns["tampered"]})

    def deny_for_v2(params, **kwargs):
        if params.get("ResourceArn") == arns["tampered"]:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no ListTags"}}, "ListTags")
    client.meta.events.register("before-parameter-build.sagemaker.ListTags", deny_for_v2)
    result = collect_spec(registry()[PACKAGE_TYPE], scope)
    assert result.gaps == []
    packages = by_arn(result)
    assert set(packages) == set(arns.values())
    tampered = packages[arns["tampered"]]
    status = tampered.facet("tags")
    assert (status.read, status.operation, status.error_code) == (
        False, "sagemaker:ListTags", "AccessDeniedException")
    # everything else about the package was read
    assert tampered.facet("describe").read and tampered.properties["ModelApprovalStatus"] == "Rejected"
    assert tampered.facts["signature"]["present"] is True
    assert all(p.facet("tags").read for arn, p in packages.items() if arn != arns["tampered"])


def test_package_permissions_include_artifact_read():
    perms = registry()[PACKAGE_TYPE].permissions
    assert perms == ("sagemaker:Search", "sagemaker:DescribeModelPackage", "sagemaker:ListTags",
                     "tag:GetResources", "s3:GetObject", "kms:Decrypt", "kms:DescribeKey", "kms:ListAliases", "kms:GetPublicKey")
    # Every package, versioned or not: Search has no ModelPackageType filter to forget.
    assert registry()[PACKAGE_TYPE].list_call.params["Resource"] == "ModelPackage"


def test_one_package_is_read_by_its_arn(sm, scope):
    """Event-driven scans read one touched package; its ARN has two path segments."""
    from mlwarden.collectors.base import collect_one
    arns = make_registry(sm)
    result = collect_one(registry()[PACKAGE_TYPE], scope, arns["tampered"])
    assert result.gaps == []
    assert [r.arn for r in result.resources] == [arns["tampered"]]
    assert result.resources[0].properties["ModelApprovalStatus"] == "Rejected"
