"""Training and processing job collectors against in-process moto."""
from __future__ import annotations

import datetime as dt

import boto3
import pytest

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_jobs import PROCESSING_TYPE, TRAINING_TYPE, runtime_seconds

from ..conftest import ACCOUNT, REGION
from ..support.moto_sagemaker import set_training_job

ROLE = f"arn:aws:iam::{ACCOUNT}:role/train"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1111aaaa-11aa-11aa-11aa-111111111111"
UTC = dt.timezone.utc


@pytest.fixture
def sm(aws):
    return boto3.client("sagemaker", region_name=REGION)


def create_training_job(sm, name: str, **extra) -> None:
    sm.create_training_job(
        TrainingJobName=name, RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgb:1",
                                "TrainingInputMode": "File"},
        InputDataConfig=[{"ChannelName": "train", "DataSource": {"S3DataSource": {
            "S3DataType": "S3Prefix", "S3Uri": "s3://training-data/fraud/"}}}],
        OutputDataConfig={"S3OutputPath": "s3://model-out/fraud", "KmsKeyId": KEY},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50,
                        "VolumeKmsKeyId": KEY},
        StoppingCondition={"MaxRuntimeInSeconds": 86400},
        **extra)


def by_id(result) -> dict:
    return {r.id: r for r in result.resources}


def test_training_job_canonical_properties_tags_and_relations(sm, scope):
    create_training_job(
        sm, "fraud-train",
        VpcConfig={"SecurityGroupIds": ["sg-0aa"], "Subnets": ["subnet-0a", "subnet-0b"]},
        EnableNetworkIsolation=True, EnableInterContainerTrafficEncryption=True,
        CheckpointConfig={"S3Uri": "s3://checkpoints/fraud"},
        Tags=[{"Key": "owner", "Value": "risk-ml"}])
    result = collect_spec(registry()[TRAINING_TYPE], scope)
    assert result.gaps == []
    job = by_id(result)["fraud-train"]
    p = job.properties
    assert job.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/fraud-train"
    assert p["RoleArn"] == ROLE
    assert p["EnableNetworkIsolation"] is True
    assert p["EnableInterContainerTrafficEncryption"] is True
    assert p["VpcConfig"] == {"SecurityGroupIds": ["sg-0aa"], "Subnets": ["subnet-0a", "subnet-0b"]}
    assert p["ResourceConfig"]["VolumeKmsKeyId"] == KEY
    assert p["ResourceConfig"]["InstanceType"] == "ml.m5.xlarge"
    assert p["OutputDataConfig"] == {"S3OutputPath": "s3://model-out/fraud", "KmsKeyId": KEY}
    assert p["StoppingCondition"]["MaxRuntimeInSeconds"] == 86400
    assert p["AlgorithmSpecification"]["TrainingImage"].endswith("/xgb:1")
    assert p["TrainingJobStatus"] == "Completed"
    # timestamps are ISO strings in UTC, never datetime objects
    assert dt.datetime.fromisoformat(p["CreationTime"]).utcoffset() == dt.timedelta(0)
    assert job.tags == {"owner": "risk-ml"}
    assert job.relations["role"] == [ROLE]
    assert job.relations["kms_keys"] == [KEY]
    assert job.relations["subnets"] == ["subnet-0a", "subnet-0b"]
    assert job.relations["security_groups"] == ["sg-0aa"]
    assert set(job.relations["buckets"]) == {"training-data", "model-out", "checkpoints"}


def test_training_job_defaults_filled_when_not_set(sm, scope):
    sm.create_training_job(
        TrainingJobName="bare", RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": "s3://model-out/bare"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600})
    job = by_id(collect_spec(registry()[TRAINING_TYPE], scope))["bare"]
    assert job.properties["EnableNetworkIsolation"] is False
    assert job.properties["EnableInterContainerTrafficEncryption"] is False
    assert "VpcConfig" not in job.properties  # absent, not null: "is a VPC set?" stays honest
    assert "KmsKeyId" not in job.properties["OutputDataConfig"]
    assert "kms_keys" not in job.relations
    assert job.tags == {}


def test_training_jobs_of_every_status_are_collected_with_runtime(sm, scope):
    now = dt.datetime.now(UTC)
    for name in ("done", "broken", "running", "queued"):
        create_training_job(sm, name)
    set_training_job(REGION, "done", status="Completed", start=now - dt.timedelta(hours=3),
                     end=now - dt.timedelta(hours=1))
    set_training_job(REGION, "broken", status="Failed", start=now - dt.timedelta(minutes=30),
                     end=now - dt.timedelta(minutes=20), failure_reason="AlgorithmError: OOM")
    set_training_job(REGION, "running", status="InProgress", start=now - dt.timedelta(hours=50), end=None)
    set_training_job(REGION, "queued", status="InProgress", start=None, end=None)

    jobs = by_id(collect_spec(registry()[TRAINING_TYPE], scope))
    assert set(jobs) == {"done", "broken", "running", "queued"}
    assert jobs["done"].properties["TrainingJobStatus"] == "Completed"
    assert jobs["done"].facts["runtime_seconds"] == 2 * 3600
    assert jobs["broken"].properties["TrainingJobStatus"] == "Failed"
    assert jobs["broken"].properties["FailureReason"] == "AlgorithmError: OOM"
    assert jobs["broken"].facts["runtime_seconds"] == 600
    # still running: measured up to the scan
    assert 50 * 3600 <= jobs["running"].facts["runtime_seconds"] < 50 * 3600 + 120
    assert jobs["queued"].facts["runtime_seconds"] == 0
    assert "runtime_seconds_derived_by" in jobs["done"].facts


def test_training_search_has_no_status_filter_beyond_the_window():
    spec = registry()[TRAINING_TYPE]
    assert "StatusEquals" not in spec.list_call.params and "SearchExpression" not in spec.list_call.params
    assert spec.permissions == ("sagemaker:Search", "sagemaker:DescribeTrainingJob", "sagemaker:ListTags",
                                "tag:GetResources")


def test_runtime_seconds_arithmetic():
    start = dt.datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert runtime_seconds(start, start + dt.timedelta(seconds=90)) == 90
    assert runtime_seconds(start, None, now=start + dt.timedelta(minutes=5)) == 300
    assert runtime_seconds(None, None) == 0


def test_processing_job_network_defaults_and_encryption(sm, scope):
    sm.create_processing_job(
        ProcessingJobName="features", RoleArn=ROLE,
        AppSpecification={"ImageUri": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/proc:2"},
        ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                                               "VolumeSizeInGB": 30, "VolumeKmsKeyId": KEY}},
        ProcessingInputs=[{"InputName": "raw", "S3Input": {
            "S3Uri": "s3://raw-data/in", "LocalPath": "/opt/ml/processing/input",
            "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
        ProcessingOutputConfig={"Outputs": [{"OutputName": "out", "S3Output": {
            "S3Uri": "s3://features/out", "LocalPath": "/opt/ml/processing/output",
            "S3UploadMode": "EndOfJob"}}], "KmsKeyId": KEY},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        Tags=[{"Key": "team", "Value": "features"}])
    sm.create_processing_job(
        ProcessingJobName="isolated", RoleArn=ROLE, AppSpecification={"ImageUri": "img"},
        ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                                               "VolumeSizeInGB": 30}},
        NetworkConfig={"EnableNetworkIsolation": True,
                       "VpcConfig": {"SecurityGroupIds": ["sg-0pp"], "Subnets": ["subnet-0p"]}})
    result = collect_spec(registry()[PROCESSING_TYPE], scope)
    assert result.gaps == []
    jobs = by_id(result)
    f = jobs["features"]
    assert f.properties["NetworkConfig"] == {"EnableNetworkIsolation": False,
                                             "EnableInterContainerTrafficEncryption": False}
    assert f.properties["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"] == KEY
    assert f.properties["ProcessingOutputConfig"]["KmsKeyId"] == KEY
    assert f.properties["AppSpecification"]["ImageUri"].endswith("/proc:2")
    assert f.properties["ProcessingJobStatus"] == "Completed"
    assert f.tags == {"team": "features"}
    assert f.relations["role"] == [ROLE]
    assert set(f.relations["buckets"]) == {"raw-data", "features"}
    i = jobs["isolated"]
    assert i.properties["NetworkConfig"]["EnableNetworkIsolation"] is True
    assert i.properties["NetworkConfig"]["EnableInterContainerTrafficEncryption"] is False
    assert i.relations["subnets"] == ["subnet-0p"]
    assert i.relations["security_groups"] == ["sg-0pp"]
    assert "kms_keys" not in i.relations
