"""A shadow variant (CreateEndpointConfig ShadowProductionVariants) receives a copy of the
production traffic and runs in the production account: the registry rules hold what it
serves to the production bar, naming the shadow variant, and its model data is sized with
the endpoint's (scanner/endpoint_walk.py). A shadow whose model could not be read leaves
the verdict NOT_ASSESSED naming the call, never a PASS on the production variant alone.

Collected on moto extended per the AWS API reference (scanner/demo/moto_extensions.py:
moto 5.2.5 drops ShadowProductionVariants).
"""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.model import Status
from mlwarden.pipeline import collect

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/exec"
IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1"
TYPES = ["AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Endpoint",
         "AWS::SageMaker::ModelPackage", "AWS::SageMaker::ModelPackageGroup"]
PROD = [{"Key": "environment", "Value": "prod"}]
REGISTRY = ("MLW-REG-003", "MLW-REG-004", "MLW-REG-011")
WEIGHTS = b"w" * 2048


def _package(sm, status: str) -> str:
    return sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus=status,
        InferenceSpecification={"Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://artefacts/fraud/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        ModelLifeCycle={"Stage": "PROD", "StageStatus": "Approved"})["ModelPackageArn"]


def _variant(name: str, model: str) -> dict:
    return {"VariantName": name, "ModelName": model, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}


@pytest.fixture
def estate(aws):
    """Production endpoints, each with an Approved primary model `champion`:
    - `shadow-pending`: its shadow `challenger` serves a package pending approval;
    - `shadow-approved`: its shadow serves an Approved package;
    - `shadow-loose`: its shadow serves a model built from loose model data (no package)."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="artefacts", Key="fraud/model.tar.gz", Body=WEIGHTS)
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="fraud")
    for name, status in (("champion", "Approved"), ("candidate", "Approved"), ("pending", "PendingManualApproval")):
        sm.create_model(ModelName=name, ExecutionRoleArn=ROLE,
                        PrimaryContainer={"Image": IMAGE, "ModelPackageName": _package(sm, status)})
    sm.create_model(ModelName="loose", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://artefacts/fraud/model.tar.gz"})
    for endpoint, shadow in (("shadow-pending", "pending"), ("shadow-approved", "candidate"),
                             ("shadow-loose", "loose")):
        sm.create_endpoint_config(EndpointConfigName=endpoint, ProductionVariants=[_variant("primary", "champion")],
                                  ShadowProductionVariants=[_variant("challenger", shadow)])
        sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=endpoint, Tags=PROD)
    return sm


def verdicts(doc, endpoint: str) -> dict[str, tuple[Status, str]]:
    return {f.policy_id: (f.status, f.message or "") for f in doc.findings
            if f.resource.get("id") == endpoint and f.policy_id in REGISTRY}


def test_a_shadow_serving_an_unapproved_package_fails_naming_the_shadow(estate, aws_context, judge):
    inv = collect(aws_context, [REGION], types=TYPES)
    assert inv.gaps == []
    ep = next(r for r in inv.resources if r.type == "AWS::SageMaker::Endpoint" and r.id == "shadow-pending")
    primary, shadow = sorted(ep.facts["model_packages"], key=lambda e: "shadow_variant" in e)
    assert "shadow_variant" not in primary and primary["ModelApprovalStatus"] == "Approved"
    assert shadow["shadow_variant"] == "challenger" and shadow["ModelApprovalStatus"] == "PendingManualApproval"
    status, message = verdicts(judge(inv), "shadow-pending")["MLW-REG-003"]
    assert status is Status.FAIL
    assert (f"serves model package {shadow['arn']} (on shadow variant challenger), which is PendingManualApproval, "
            "not Approved") in message
    assert primary["arn"] not in message   # the approved primary is not the finding


def test_a_shadow_serving_an_approved_package_passes(estate, aws_context, judge):
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    approved = verdicts(doc, "shadow-approved")
    assert approved["MLW-REG-003"][0] is Status.PASS and approved["MLW-REG-011"][0] is Status.PASS
    # Unsigned (moto packages carry no signature): MLW-REG-004 names the shadow's package too.
    status, message = approved["MLW-REG-004"]
    assert status is Status.FAIL and "(on shadow variant challenger), which is not signed" in message


def test_a_shadow_serving_a_model_from_no_package_fails(estate, aws_context, judge):
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    for policy in ("MLW-REG-003", "MLW-REG-011"):
        status, message = verdicts(doc, "shadow-loose")[policy]
        assert status is Status.FAIL, (policy, message)
        assert "serves model loose (shadow variant challenger), which comes from no registered model package" in message


def test_the_shadow_model_data_is_sized_with_the_endpoint(estate, aws_context):
    inv = collect(aws_context, [REGION], types=TYPES)
    ep = next(r for r in inv.resources if r.type == "AWS::SageMaker::Endpoint" and r.id == "shadow-loose")
    assert ep.facet("artifact_size").read
    sizes = ep.facts["variant_artifacts"]
    assert set(sizes) == {"primary", "challenger"}
    assert sizes["challenger"] == {"Shadow": True, "ModelName": "loose", "bytes": len(WEIGHTS)}
    assert "Shadow" not in sizes["primary"]


def test_a_shadow_model_that_could_not_be_read_is_not_assessed(estate, aws_context, judge):
    def refuse(params, **kwargs):
        if params.get("Resource") == "Model":
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "denied"}}, "Search")
    aws_context.client("sagemaker", REGION).meta.events.register("before-parameter-build.sagemaker.Search", refuse)
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    for policy, (status, message) in verdicts(doc, "shadow-approved").items():
        assert status is Status.NOT_ASSESSED, (policy, status, message)
        # The shadow's model is named with the call that failed, as the primary's is.
        assert "AWS::SageMaker::Model candidate: sagemaker:Search failed with AccessDeniedException" in message


def test_shadow_instances_count_against_the_endpoint_instance_quota(estate, aws_context, judge, monkeypatch):
    """A shadow variant runs on instances of its own: three endpoints with one ml.m5.large
    primary and one ml.m5.large shadow each use six, which is over 80% of a quota of 5
    (the primaries alone, three, are not)."""
    from ..support import moto_servicequotas
    moto_servicequotas.isolate(monkeypatch)
    moto_servicequotas.apply_quota(ACCOUNT, REGION, "L-C1B9A48D", 5.0)   # ml.m5.large for endpoint usage
    inv = collect(aws_context, [REGION], types=TYPES + ["MLW::ServiceQuotas::SageMaker"])
    [usage] = [r for r in inv.resources if r.type == "MLW::SageMaker::ServiceUsage"]
    assert usage.facts["endpoint_instances"] == {"ml.m5.large": 6}
    [(status, message)] = [(f.status, f.message) for f in judge(inv).findings
                           if f.policy_id == "MLW-LIM-002" and f.resource.get("id") == usage.id]
    assert status is Status.FAIL and "use 6 ml.m5.large instances of a quota of 5" in message, message
