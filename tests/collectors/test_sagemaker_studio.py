"""Pipeline and domain collectors against in-process moto."""
from __future__ import annotations

import json

import boto3
import pytest

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_domains import DOMAIN_TYPE
from mlwarden.collectors.sagemaker_pipelines import PIPELINE_TYPE

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/pipeline"
STEP_ROLE = f"arn:aws:iam::{ACCOUNT}:role/train-step"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/5555eeee-55ee-55ee-55ee-555555555555"

DEFINITION = {
    "Version": "2020-12-01",
    "Parameters": [{"Name": "InputData", "Type": "String", "DefaultValue": "s3://pipeline-input/raw"}],
    "Steps": [
        {"Name": "Train", "Type": "Training", "Arguments": {
            "RoleArn": STEP_ROLE,
            "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
            "OutputDataConfig": {"S3OutputPath": "s3://pipeline-models/out", "KmsKeyId": KEY},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
            "VpcConfig": {"Subnets": ["subnet-0s"], "SecurityGroupIds": ["sg-0s"]},
            "EnableNetworkIsolation": False,
            "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": {"Get": "Parameters.InputData"}}}}]}},
        {"Name": "Register", "Type": "RegisterModel", "Arguments": {"ModelPackageGroupName": "fraud"}},
    ],
}


@pytest.fixture
def sm(aws):
    return boto3.client("sagemaker", region_name=REGION)


def test_pipeline_definition_is_parsed_with_step_relations(sm, scope):
    sm.create_pipeline(PipelineName="fraud-train", RoleArn=ROLE, PipelineDefinition=json.dumps(DEFINITION),
                       PipelineDescription="nightly", Tags=[{"Key": "owner", "Value": "risk-ml"}])
    result = collect_spec(registry()[PIPELINE_TYPE], scope)
    assert result.gaps == []
    [p] = result.resources
    assert (p.id, p.arn) == ("fraud-train", f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/fraud-train")
    assert p.properties["RoleArn"] == ROLE
    definition = p.properties["PipelineDefinition"]
    assert isinstance(definition, dict)  # an object for policies, not the JSON text
    train = definition["Steps"][0]["Arguments"]
    assert train["OutputDataConfig"]["KmsKeyId"] == KEY
    assert train["EnableNetworkIsolation"] is False
    assert p.facts["steps"] == [{"Name": "Train", "Type": "Training"},
                                {"Name": "Register", "Type": "RegisterModel"}]
    assert p.tags == {"owner": "risk-ml"}
    assert p.relations["role"] == [ROLE, STEP_ROLE]
    assert p.relations["kms_keys"] == [KEY]
    assert p.relations["subnets"] == ["subnet-0s"] and p.relations["security_groups"] == ["sg-0s"]
    # literal URIs only; the parameter expression is not a bucket
    assert set(p.relations["buckets"]) == {"pipeline-input", "pipeline-models"}


def test_domain_network_encryption_and_default_user_settings(sm, scope):
    sm.create_domain(
        DomainName="studio", AuthMode="IAM", AppNetworkAccessType="VpcOnly", KmsKeyId=KEY,
        SubnetIds=["subnet-0d1", "subnet-0d2"], VpcId="vpc-0d",
        DefaultUserSettings={"ExecutionRole": ROLE, "SecurityGroups": ["sg-0d"],
                             "SharingSettings": {"NotebookOutputOption": "Allowed",
                                                 "S3OutputPath": "s3://studio-share/out"}},
        Tags=[{"Key": "environment", "Value": "prod"}])
    sm.create_domain(DomainName="sandbox", AuthMode="IAM", SubnetIds=["subnet-0x"], VpcId="vpc-0x",
                     DefaultUserSettings={"ExecutionRole": ROLE})
    result = collect_spec(registry()[DOMAIN_TYPE], scope)
    assert result.gaps == []
    domains = {r.properties["DomainName"]: r for r in result.resources}
    d = domains["studio"]
    assert d.id == d.properties["DomainId"]
    assert d.arn.startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:domain/")
    assert d.properties["AppNetworkAccessType"] == "VpcOnly"
    assert d.properties["KmsKeyId"] == KEY
    assert d.properties["SubnetIds"] == ["subnet-0d1", "subnet-0d2"]
    assert d.properties["VpcId"] == "vpc-0d"
    assert d.properties["DefaultUserSettings"]["ExecutionRole"] == ROLE
    assert d.properties["DefaultUserSettings"]["SecurityGroups"] == ["sg-0d"]
    assert d.tags == {"environment": "prod"}
    assert d.relations == {"role": [ROLE], "kms_keys": [KEY], "subnets": ["subnet-0d1", "subnet-0d2"],
                           "security_groups": ["sg-0d"], "vpc": ["vpc-0d"], "buckets": ["studio-share"]}
    s = domains["sandbox"]
    assert s.properties["AppNetworkAccessType"] == "PublicInternetOnly"  # the AWS default
    assert "KmsKeyId" not in s.properties
    assert s.tags == {}
