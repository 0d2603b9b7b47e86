"""SageMaker training and processing jobs, in every status.

The list calls carry no `StatusEquals` filter on purpose: a completed or failed
job still tells what ran, with which role, network isolation and encryption,
and where its data went. Jobs have no CloudFormation type, hence `MLW::`.
"""
from __future__ import annotations

import datetime as dt

from ..aws_defaults import AwsDefault, apply_defaults
from ..resource_type import CloudTrailEvent, buckets, kms_keys, role, security_groups, subnets
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .sagemaker_common import iso, present, references, with_references

TRAINING_TYPE = "MLW::SageMaker::TrainingJob"
PROCESSING_TYPE = "MLW::SageMaker::ProcessingJob"

# CreateTrainingJob: the three booleans are false unless the job sets them.
TRAINING_DEFAULTS = tuple(
    AwsDefault(path=name, value=False, reference=f"SageMaker API CreateTrainingJob.{name}")
    for name in ("EnableNetworkIsolation", "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining"))
# NetworkConfig of CreateProcessingJob: both false when left out, with or without a NetworkConfig.
PROCESSING_DEFAULTS = tuple(
    AwsDefault(path=f"NetworkConfig.{name}", value=False, create_parent=True,
               reference=f"SageMaker API NetworkConfig.{name}")
    for name in ("EnableNetworkIsolation", "EnableInterContainerTrafficEncryption"))


def runtime_seconds(start: dt.datetime | None, end: dt.datetime | None,
                    now: dt.datetime | None = None) -> int:
    """How long a job has run: end (or now, while it runs) minus start; 0 before it starts."""
    if start is None:
        return 0
    end = end or now or dt.datetime.now(dt.timezone.utc)
    return max(0, int((end - start).total_seconds()))


def normalise_training(d: dict, scope: Scope) -> Shape:
    props = {
        "TrainingJobName": d["TrainingJobName"],
        "TrainingJobStatus": d.get("TrainingJobStatus"),
        "SecondaryStatus": d.get("SecondaryStatus"),
        "FailureReason": d.get("FailureReason"),
        "RoleArn": d.get("RoleArn"),
        "AlgorithmSpecification": d.get("AlgorithmSpecification"),
        "HyperParameters": d.get("HyperParameters"),
        "InputDataConfig": d.get("InputDataConfig"),
        "OutputDataConfig": d.get("OutputDataConfig"),
        "ResourceConfig": d.get("ResourceConfig"),
        "VpcConfig": present(d.get("VpcConfig")),
        "StoppingCondition": d.get("StoppingCondition"),
        "CheckpointConfig": d.get("CheckpointConfig"),
        "ModelArtifacts": d.get("ModelArtifacts"),
        # AWS answers these booleans; apply_defaults fills those a job did not set.
        "EnableNetworkIsolation": d.get("EnableNetworkIsolation"),
        "EnableInterContainerTrafficEncryption": d.get("EnableInterContainerTrafficEncryption"),
        "EnableManagedSpotTraining": d.get("EnableManagedSpotTraining"),
        "Environment": d.get("Environment"),
        "CreationTime": d.get("CreationTime"),
        "TrainingStartTime": d.get("TrainingStartTime"),
        "TrainingEndTime": d.get("TrainingEndTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
    }
    facts = {
        "runtime_seconds": runtime_seconds(d.get("TrainingStartTime"), d.get("TrainingEndTime")),
        "runtime_seconds_derived_by": "TrainingEndTime (or the scan time while the job runs) "
                                      "minus TrainingStartTime; 0 if the job has not started",
    }
    return Shape(id=d["TrainingJobName"], arn=d["TrainingJobArn"],
                 properties=iso(apply_defaults(TRAINING_DEFAULTS, props, live=True)),
                 facts=facts, relations=references(d))


def normalise_processing(d: dict, scope: Scope) -> Shape:
    # AWS applies NetworkConfig's two booleans (false) when the job leaves them out.
    network = apply_defaults(PROCESSING_DEFAULTS, {"NetworkConfig": dict(d.get("NetworkConfig") or {})},
                             live=True)["NetworkConfig"]
    if "VpcConfig" in network:
        network["VpcConfig"] = present(network["VpcConfig"])
    props = {
        "ProcessingJobName": d["ProcessingJobName"],
        "ProcessingJobStatus": d.get("ProcessingJobStatus"),
        "FailureReason": d.get("FailureReason"),
        "ExitMessage": d.get("ExitMessage"),
        "RoleArn": d.get("RoleArn"),
        "AppSpecification": d.get("AppSpecification"),
        "Environment": d.get("Environment"),
        "NetworkConfig": network,
        "ProcessingInputs": d.get("ProcessingInputs"),
        "ProcessingOutputConfig": d.get("ProcessingOutputConfig"),
        "ProcessingResources": d.get("ProcessingResources"),
        "StoppingCondition": d.get("StoppingCondition"),
        "TrainingJobArn": d.get("TrainingJobArn"),
        "CreationTime": d.get("CreationTime"),
        "ProcessingStartTime": d.get("ProcessingStartTime"),
        "ProcessingEndTime": d.get("ProcessingEndTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
    }
    facts = {
        "runtime_seconds": runtime_seconds(d.get("ProcessingStartTime"), d.get("ProcessingEndTime")),
        "runtime_seconds_derived_by": "ProcessingEndTime (or the scan time while the job runs) "
                                      "minus ProcessingStartTime; 0 if the job has not started",
    }
    return Shape(id=d["ProcessingJobName"], arn=d["ProcessingJobArn"], properties=iso(props),
                 facts=facts, relations=references(d))


register(
    CollectorSpec(
        type=TRAINING_TYPE, service="sagemaker", iam_prefix="sagemaker",
        # No StatusEquals: every status, not only InProgress.
        list_call=ListCall(operation="ListTrainingJobs", result_key="TrainingJobSummaries"),
        describe_call=DescribeCall(operation="DescribeTrainingJob", param="TrainingJobName",
                                   item_key="TrainingJobName"),
        normalise=normalise_training, tags=TAGS_SAGEMAKER, defaults=TRAINING_DEFAULTS,
        usage_counter="training_jobs",
        events=(CloudTrailEvent(name="CreateTrainingJob", paths=("requestParameters.trainingJobName",)),),
        relations=with_references(
            role("RoleArn"), kms_keys("ResourceConfig.VolumeKmsKeyId", "OutputDataConfig.KmsKeyId"),
            subnets("VpcConfig.Subnets[]"), security_groups("VpcConfig.SecurityGroupIds[]"),
            buckets("OutputDataConfig.S3OutputPath", "CheckpointConfig.S3Uri",
                    "InputDataConfig[].DataSource.S3DataSource.S3Uri")),
        description="Training jobs (all statuses): role, isolation, encryption, VPC, runtime",
    ),
    CollectorSpec(
        type=PROCESSING_TYPE, service="sagemaker", iam_prefix="sagemaker",
        list_call=ListCall(operation="ListProcessingJobs", result_key="ProcessingJobSummaries"),
        describe_call=DescribeCall(operation="DescribeProcessingJob", param="ProcessingJobName",
                                   item_key="ProcessingJobName"),
        normalise=normalise_processing, tags=TAGS_SAGEMAKER, defaults=PROCESSING_DEFAULTS,
        events=(CloudTrailEvent(name="CreateProcessingJob", paths=("requestParameters.processingJobName",)),),
        relations=with_references(
            role("RoleArn"),
            kms_keys("ProcessingResources.ClusterConfig.VolumeKmsKeyId", "ProcessingOutputConfig.KmsKeyId"),
            subnets("NetworkConfig.VpcConfig.Subnets[]"), security_groups("NetworkConfig.VpcConfig.SecurityGroupIds[]"),
            buckets("ProcessingOutputConfig.Outputs[].S3Output.S3Uri", "ProcessingInputs[].S3Input.S3Uri")),
        description="Processing jobs (all statuses): role, network config, volume and output encryption",
    ),
)
