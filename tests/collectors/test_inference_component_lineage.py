"""The registry rules judge an endpoint built on inference components through what its
components serve (scanner/endpoint_walk.py): a component's model is followed to its
model package; a component with a container of its own serves a model from no package.
A component whose read failed leaves the lineage unknown: NOT_ASSESSED naming the call,
never a PASS on a component that was not read.

Collected on moto extended per the AWS API reference (scanner/demo/moto_extensions.py).
"""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.collectors.sagemaker_inference_components import INFERENCE_COMPONENT_TYPE
from mlwarden.model import Status
from mlwarden.pipeline import collect

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/exec"
IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/llm:1"
TYPES = ["AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Endpoint",
         "AWS::SageMaker::ModelPackage", "AWS::SageMaker::ModelPackageGroup", INFERENCE_COMPONENT_TYPE]
PROD = [{"Key": "environment", "Value": "prod"}]
REGISTRY = ("MLW-REG-003", "MLW-REG-004", "MLW-REG-011")


def _package(sm, status: str) -> str:
    return sm.create_model_package(
        ModelPackageGroupName="llm", ModelApprovalStatus=status,
        InferenceSpecification={"Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://artefacts/llm/model.tar.gz"}],
                                "SupportedContentTypes": ["application/json"],
                                "SupportedResponseMIMETypes": ["application/json"]},
        ModelLifeCycle={"Stage": "PROD", "StageStatus": "Approved"})["ModelPackageArn"]


def _endpoint(sm, name: str, *components: tuple[str, dict]) -> None:
    """A production endpoint whose only variant has no model: it serves `components`."""
    sm.create_endpoint_config(EndpointConfigName=name, ExecutionRoleArn=ROLE, ProductionVariants=[{
        "VariantName": "shared", "InstanceType": "ml.g4dn.12xlarge", "InitialInstanceCount": 1,
        "ManagedInstanceScaling": {"Status": "ENABLED", "MinInstanceCount": 1, "MaxInstanceCount": 2}}])
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name, Tags=PROD)
    for component, spec in components:
        sm.create_inference_component(
            InferenceComponentName=component, EndpointName=name, VariantName="shared",
            Specification={**spec, "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
            RuntimeConfig={"CopyCount": 1})


@pytest.fixture
def estate(aws):
    """`approved` serves, through a component, a model from an Approved package; `rejected`
    one from a Rejected package; `loose` a component with a container of its own."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="artefacts", Key="llm/model.tar.gz", Body=b"weights")
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="llm")
    for name, status in (("approved", "Approved"), ("rejected", "Rejected")):
        sm.create_model(ModelName=f"{name}-model", ExecutionRoleArn=ROLE,
                        PrimaryContainer={"Image": IMAGE, "ModelPackageName": _package(sm, status)})
        _endpoint(sm, name, (f"{name}-llm", {"ModelName": f"{name}-model"}))
    _endpoint(sm, "loose", ("loose-llm", {"Container": {"Image": IMAGE,
                                                        "ArtifactUrl": "s3://artefacts/llm/model.tar.gz"}}))
    return sm


def verdicts(doc, endpoint: str) -> dict[str, tuple[Status, str]]:
    return {f.policy_id: (f.status, f.message or "") for f in doc.findings
            if f.resource.get("id") == endpoint and f.policy_id in REGISTRY}


def test_a_component_model_is_judged_by_its_package(estate, aws_context, judge):
    inv = collect(aws_context, [REGION], types=TYPES)
    assert inv.gaps == []
    eps = {r.id: r for r in inv.resources if r.type == "AWS::SageMaker::Endpoint"}
    [entry] = eps["approved"].facts["model_packages"]
    assert entry["ModelApprovalStatus"] == "Approved" and entry["inference_component"] == "approved-llm"
    assert eps["approved"].facts["unregistered_models"] == []
    doc = judge(inv)
    approved, rejected = verdicts(doc, "approved"), verdicts(doc, "rejected")
    assert approved["MLW-REG-003"][0] is Status.PASS and approved["MLW-REG-011"][0] is Status.PASS
    # Unsigned: MLW-REG-004 fails on the component's package, as on a variant's.
    assert approved["MLW-REG-004"] == (Status.FAIL, approved["MLW-REG-004"][1])
    assert f"serves model package {entry['arn']}, which is not signed" in approved["MLW-REG-004"][1]
    status, message = rejected["MLW-REG-003"]
    assert status is Status.FAIL and "which is Rejected, not Approved" in message


def test_a_component_with_its_own_container_serves_a_model_from_no_package(estate, aws_context, judge):
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    status, message = verdicts(doc, "loose")["MLW-REG-003"]
    assert status is Status.FAIL
    assert ("serves model loose-llm (inference component with its own container artefact), which comes from "
            "no registered model package") in message
    assert verdicts(doc, "loose")["MLW-REG-011"][0] is Status.FAIL


def test_a_component_that_could_not_be_described_is_not_assessed(estate, aws_context, judge):
    def refuse(params, **kwargs):
        if params.get("InferenceComponentName") == "approved-llm":
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}},
                              "DescribeInferenceComponent")
    aws_context.client("sagemaker", REGION).meta.events.register(
        "before-parameter-build.sagemaker.DescribeInferenceComponent", refuse)
    inv = collect(aws_context, [REGION], types=TYPES)
    assert [g.operation for g in inv.gaps] == ["sagemaker:DescribeInferenceComponent"]
    doc = judge(inv)
    # Which endpoint the unread component is on is not known: every endpoint built on
    # components in the region waits for it, with the call that failed.
    for endpoint in ("approved", "rejected", "loose"):
        for policy, (status, message) in verdicts(doc, endpoint).items():
            assert status is Status.NOT_ASSESSED, (endpoint, policy, status, message)
            assert "sagemaker:DescribeInferenceComponent failed with ThrottlingException" in message
