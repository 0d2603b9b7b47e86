"""Inference components: collected on moto extended per the AWS API reference
(scanner/demo/moto_inference_components.py), and judged by MLW-MON-011 per component on an
endpoint whose variant has no model of its own: the component's model data and its
StartupParameters. A listing that fails leaves the sizes unknown: NOT_ASSESSED, never PASS."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_inference_components import INFERENCE_COMPONENT_TYPE
from mlwarden.pipeline import collect
from mlwarden.model import Status

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/exec"
IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/llm:1"
TYPES = ["AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Endpoint",
         INFERENCE_COMPONENT_TYPE]
STARTUP = {"ModelDataDownloadTimeoutInSeconds": 3600, "ContainerStartupHealthCheckTimeoutInSeconds": 1800}


@pytest.fixture
def estate(aws):
    """Two endpoints on inference components: `tuned` starts its 60 GB model with fitting
    StartupParameters, `default` does not; both also host a small component."""
    from mlwarden.demo import moto_extensions
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="artefacts", Key="llm/model.tar.gz", Body=b"weights")
    s3.put_object(Bucket="artefacts", Key="small/model.tar.gz", Body=b"w")
    moto_extensions.fake_object_size(ACCOUNT, "artefacts", "llm/model.tar.gz", 60_000_000_000)
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model(ModelName="llm", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://artefacts/llm/model.tar.gz"})
    for name, startup in (("tuned", STARTUP), ("default", {})):
        sm.create_endpoint_config(EndpointConfigName=name, ExecutionRoleArn=ROLE, ProductionVariants=[{
            "VariantName": "shared", "InstanceType": "ml.g4dn.12xlarge", "InitialInstanceCount": 1,
            "ManagedInstanceScaling": {"Status": "ENABLED", "MinInstanceCount": 1, "MaxInstanceCount": 2}}])
        sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
        sm.create_inference_component(
            InferenceComponentName=f"{name}-llm", EndpointName=name, VariantName="shared",
            Specification={"ModelName": "llm", "StartupParameters": startup,
                           "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
            RuntimeConfig={"CopyCount": 1}, Tags=[{"Key": "owner", "Value": "llm-team"}])
        sm.create_inference_component(
            InferenceComponentName=f"{name}-small", EndpointName=name, VariantName="shared",
            Specification={"Container": {"Image": IMAGE, "ArtifactUrl": "s3://artefacts/small/model.tar.gz"},
                           "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 512}},
            RuntimeConfig={"CopyCount": 2})
    return sm


def verdict(doc, resource_id: str, policy: str = "MLW-MON-011") -> tuple[Status, str]:
    return next((f.status, f.message) for f in doc.findings
                if f.resource.get("id") == resource_id and f.policy_id == policy)


def test_components_are_collected_with_model_startup_and_artefact_size(estate, scope):
    result = collect_spec(registry()[INFERENCE_COMPONENT_TYPE], scope)
    assert result.gaps == []
    got = {r.id: r for r in result.resources}
    assert sorted(got) == ["default-llm", "default-small", "tuned-llm", "tuned-small"]
    llm = got["tuned-llm"]
    assert llm.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:inference-component/tuned-llm"
    assert llm.properties["EndpointName"] == "tuned" and llm.properties["VariantName"] == "shared"
    assert llm.properties["Specification"]["StartupParameters"] == STARTUP
    assert llm.properties["RuntimeConfig"] == {"CopyCount": 1}
    assert llm.relations["models"] == ["llm"] and llm.tags == {"owner": "llm-team"}
    assert got["tuned-small"].facts["artifact_bytes"] == {"s3://artefacts/small/model.tar.gz": 1}


def test_a_large_component_needs_its_startup_parameters(estate, aws_context, judge):
    inv = collect(aws_context, [REGION], types=TYPES)
    assert inv.gaps == []
    ep = next(r for r in inv.resources if r.id == "tuned" and r.type == "AWS::SageMaker::Endpoint")
    assert ep.facts["variant_artifacts"]["shared/tuned-llm"] == {
        "ModelName": "llm", "InferenceComponent": "tuned-llm", "bytes": 60_000_000_000, **STARTUP}
    doc = judge(inv)
    assert verdict(doc, "tuned")[0] is Status.PASS
    status, message = verdict(doc, "default")
    assert status is Status.FAIL
    assert ("endpoint default inference component default-llm (shared/default-llm) serves 60 GB of model data "
            "(model llm) without StartupParameters.ModelDataDownloadTimeoutInSeconds") in message
    assert "default-small" not in message   # 1 byte: out of scope


def test_unlisted_components_leave_the_sizes_unknown(estate, aws_context, judge):
    def refuse(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListInferenceComponents")
    aws_context.client("sagemaker", REGION).meta.events.register(
        "before-call.sagemaker.ListInferenceComponents", refuse)
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    for endpoint in ("tuned", "default"):
        status, message = verdict(doc, endpoint)
        assert status is Status.NOT_ASSESSED
        assert "sagemaker:ListInferenceComponents failed with AccessDeniedException" in message
