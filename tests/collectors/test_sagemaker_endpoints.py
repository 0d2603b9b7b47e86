"""Model, endpoint configuration and endpoint collectors against in-process moto."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_endpoints import ENDPOINT_CONFIG_TYPE, ENDPOINT_TYPE, SCALABLE_DIMENSION
from mlwarden.collectors.sagemaker_models import MODEL_TYPE

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/serve"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/2222bbbb-22bb-22bb-22bb-222222222222"
CAPTURE_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/3333cccc-33cc-33cc-33cc-333333333333"
PACKAGE = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud/3"


@pytest.fixture
def sm(aws):
    return boto3.client("sagemaker", region_name=REGION)


def by_id(result) -> dict:
    assert result.gaps == []
    return {r.id: r for r in result.resources}


def make_estate(sm) -> None:
    sm.create_model(ModelName="fraud-v3", ExecutionRoleArn=ROLE, EnableNetworkIsolation=True,
                    PrimaryContainer={"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
                                      "ModelDataUrl": "s3://models/fraud/model.tar.gz"},
                    VpcConfig={"SecurityGroupIds": ["sg-0m"], "Subnets": ["subnet-0m"]},
                    Tags=[{"Key": "owner", "Value": "risk-ml"}])
    sm.create_model(ModelName="from-registry", ExecutionRoleArn=ROLE,
                    Containers=[{"ModelPackageName": PACKAGE}])
    sm.create_endpoint_config(
        EndpointConfigName="fraud-cfg", KmsKeyId=KEY,
        ProductionVariants=[
            {"VariantName": "blue", "ModelName": "fraud-v3", "InstanceType": "ml.m5.large",
             "InitialInstanceCount": 2},
            {"VariantName": "green", "ModelName": "from-registry", "InstanceType": "ml.c5.xlarge",
             "InitialInstanceCount": 1, "InitialVariantWeight": 0.5}],
        DataCaptureConfig={"InitialSamplingPercentage": 20, "DestinationS3Uri": "s3://capture/fraud",
                           "KmsKeyId": CAPTURE_KEY, "CaptureOptions": [{"CaptureMode": "Input"}]},
        Tags=[{"Key": "environment", "Value": "prod"}])
    sm.create_endpoint_config(
        EndpointConfigName="plain-cfg",
        ProductionVariants=[{"VariantName": "only", "ModelName": "fraud-v3",
                             "InstanceType": "ml.t2.medium", "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="fraud", EndpointConfigName="fraud-cfg",
                       Tags=[{"Key": "environment", "Value": "prod"}])


def test_model_properties_isolation_and_relations(sm, scope):
    make_estate(sm)
    models = by_id(collect_spec(registry()[MODEL_TYPE], scope))
    m = models["fraud-v3"]
    assert m.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/fraud-v3"
    assert m.properties["ExecutionRoleArn"] == ROLE
    assert m.properties["EnableNetworkIsolation"] is True
    assert m.properties["VpcConfig"] == {"SecurityGroupIds": ["sg-0m"], "Subnets": ["subnet-0m"]}
    assert m.properties["PrimaryContainer"]["ModelDataUrl"] == "s3://models/fraud/model.tar.gz"
    assert m.tags == {"owner": "risk-ml"}
    assert m.relations == {"role": [ROLE], "subnets": ["subnet-0m"], "security_groups": ["sg-0m"],
                           "buckets": ["models"]}
    r = models["from-registry"]
    assert r.properties["EnableNetworkIsolation"] is False
    # moto describes an empty VpcConfig / no PrimaryContainer; absent stays absent
    assert "VpcConfig" not in r.properties and "PrimaryContainer" not in r.properties
    assert r.properties["Containers"] == [{"ModelPackageName": PACKAGE}]
    assert r.relations["model_packages"] == [PACKAGE]


def test_endpoint_config_kms_variants_data_capture(sm, scope):
    make_estate(sm)
    configs = by_id(collect_spec(registry()[ENDPOINT_CONFIG_TYPE], scope))
    c = configs["fraud-cfg"]
    assert c.properties["EndpointConfigName"] == "fraud-cfg"  # derived usage joins on this
    assert c.properties["KmsKeyId"] == KEY
    assert [(v["VariantName"], v["ModelName"], v["InstanceType"], v["InitialInstanceCount"],
             v["InitialVariantWeight"]) for v in c.properties["ProductionVariants"]] == [
        ("blue", "fraud-v3", "ml.m5.large", 2, 1.0), ("green", "from-registry", "ml.c5.xlarge", 1, 0.5)]
    # EnableCapture defaults to enabled in AWS when a DataCaptureConfig leaves it out
    assert c.properties["DataCaptureConfig"] == {
        "EnableCapture": True, "InitialSamplingPercentage": 20, "DestinationS3Uri": "s3://capture/fraud",
        "KmsKeyId": CAPTURE_KEY, "CaptureOptions": [{"CaptureMode": "Input"}]}
    assert c.tags == {"environment": "prod"}
    assert c.relations["models"] == ["fraud-v3", "from-registry"]
    assert set(c.relations["kms_keys"]) == {KEY, CAPTURE_KEY}
    assert c.relations["buckets"] == ["capture"]
    plain = configs["plain-cfg"]
    assert "KmsKeyId" not in plain.properties and "DataCaptureConfig" not in plain.properties
    assert "kms_keys" not in plain.relations


def test_endpoint_status_relation_and_autoscaling_per_variant(sm, scope):
    make_estate(sm)
    aas = boto3.client("application-autoscaling", region_name=REGION)
    aas.register_scalable_target(ServiceNamespace="sagemaker", ResourceId="endpoint/fraud/variant/blue",
                                 ScalableDimension=SCALABLE_DIMENSION, MinCapacity=2, MaxCapacity=6)
    # another endpoint's target must not leak into this one
    aas.register_scalable_target(ServiceNamespace="sagemaker", ResourceId="endpoint/other/variant/green",
                                 ScalableDimension=SCALABLE_DIMENSION, MinCapacity=1, MaxCapacity=2)
    ep = by_id(collect_spec(registry()[ENDPOINT_TYPE], scope))["fraud"]
    assert ep.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/fraud"
    assert ep.properties["EndpointConfigName"] == "fraud-cfg"
    assert ep.properties["EndpointStatus"] == "InService"
    assert ep.tags == {"environment": "prod"}
    assert ep.relations["endpoint_config"] == ["fraud-cfg"]
    auto = ep.facts["autoscaling"]
    assert auto["blue"]["registered"] is True
    assert (auto["blue"]["MinCapacity"], auto["blue"]["MaxCapacity"]) == (2, 6)
    assert auto["green"] == {"registered": False}
    assert "DescribeScalableTargets" in ep.facts["autoscaling_derived_by"]


def test_endpoint_declares_autoscaling_permission():
    assert "application-autoscaling:DescribeScalableTargets" in registry()[ENDPOINT_TYPE].permissions


def test_unreadable_autoscaling_keeps_the_endpoint_with_that_facet_missing(sm, scope, aws_context):
    make_estate(sm)
    client = aws_context.client("application-autoscaling", REGION)

    def deny(params, **kwargs):
        from botocore.exceptions import ClientError
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}},
                          "DescribeScalableTargets")
    client.meta.events.register("before-call.application-autoscaling.DescribeScalableTargets", deny)
    result = collect_spec(registry()[ENDPOINT_TYPE], scope)
    assert result.gaps == []
    [ep] = result.resources
    # The endpoint is still judged on what was read; "no autoscaling" is never claimed.
    assert ep.id == "fraud" and ep.properties["EndpointStatus"] == "InService"
    assert "autoscaling" not in ep.facts
    status = ep.facet("autoscaling")
    assert (status.read, status.operation, status.error_code) == (
        False, "application-autoscaling:DescribeScalableTargets", "AccessDeniedException")
    assert ep.facet("tags").read and ep.facet("describe").read
