"""SageMaker training and processing jobs, in every status, within a time window.

A completed or failed job still tells what ran, with which role, network isolation
and encryption, and where its data went, so every status is read; but an account
keeps years of finished jobs, so only those of the last `collection.job_window_days`
days (settings; default 30) are read, and every job in progress whatever its age.
The inventory records the window (`Inventory.collection`): a reader knows older
finished jobs were not judged. Jobs have no CloudFormation type, hence `MLW::`.

Training jobs are read in bulk with SageMaker Search (100 complete records per page,
tags included); processing jobs, which Search does not return, are listed (window,
and in progress) and described one by one.
"""
from __future__ import annotations

import datetime as dt

from ..aws_defaults import AwsDefault, apply_defaults
from ..resource_type import CloudTrailEvent, buckets, kms_keys, role, security_groups, subnets
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .sagemaker_search import search_call
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


# A month: every job that finished since the last monthly review, and any training job
# (at most 28 days of runtime) that ran entirely inside the window. 0 reads every job.
DEFAULT_JOB_WINDOW_DAYS = 30
_IN_PROGRESS = ("InProgress", "Stopping")


def job_window_days(scan_state: dict) -> float:
    """The scan's window for finished jobs, in days (0: no window)."""
    return float(scan_state.get("job_window_days", DEFAULT_JOB_WINDOW_DAYS))


def job_window_note(scan_state: dict) -> dict:
    """What the inventory records of the window, for whoever reads the results."""
    days = job_window_days(scan_state)
    return {"job_window_days": days, "jobs_read": (
        "every training and processing job" if not days else
        f"training and processing jobs in progress, and those last modified in the {days:g} days "
        "before the scan; older finished jobs were not read and are not judged "
        "(settings collection.job_window_days)")}


def window_start(scope: Scope, now: dt.datetime | None = None) -> dt.datetime | None:
    days = job_window_days(scope.aws.scan_state)
    if not days:
        return None
    return (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)


def training_queries(scope: Scope) -> list[dict]:
    """Search for training jobs in progress, or last modified (finished) in the window."""
    start = window_start(scope)
    if start is None:
        return [{}]
    filters = [{"Name": "TrainingJobStatus", "Operator": "Equals", "Value": s} for s in _IN_PROGRESS]
    filters.append({"Name": "LastModifiedTime", "Operator": "GreaterThanOrEqualTo",
                    "Value": start.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return [{"SearchExpression": {"Filters": filters, "Operator": "Or"}}]


# A processing job runs at most 777,600 s (ProcessingStoppingCondition.MaxRuntimeInSeconds):
# with a longer window, every job still in progress was created, so modified, inside it.
_PROCESSING_MAX_RUNTIME_DAYS = 9


def processing_queries(scope: Scope) -> list[dict]:
    """Processing jobs last modified in the window; with a window shorter than a job's
    longest run, also those in progress (a stopping job was modified when asked to stop)."""
    start = window_start(scope)
    if start is None:
        return [{}]
    if job_window_days(scope.aws.scan_state) > _PROCESSING_MAX_RUNTIME_DAYS + 1:
        return [{"LastModifiedTimeAfter": start}]
    return [{"LastModifiedTimeAfter": start}, {"StatusEquals": "InProgress"}]


def runtime_seconds(start: dt.datetime | None, end: dt.datetime | None,
                    now: dt.datetime | None = None) -> int:
    """How long a job has run: end (or now, while it runs) minus start; 0 before it starts."""
    if start is None:
        return 0
    end = end or now or dt.datetime.now(dt.timezone.utc)
    return max(0, int((end - start).total_seconds()))


def runtime_facts(d: dict, start: str, end: str) -> dict:
    """`facts.runtime_seconds` of a job whose describe answer names its start and end
    times `start` and `end`, and how it was derived."""
    return {"runtime_seconds": runtime_seconds(d.get(start), d.get(end)),
            "runtime_seconds_derived_by": f"{end} (or the scan time while the job runs) "
                                          f"minus {start}; 0 if the job has not started"}


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
    return Shape(id=d["TrainingJobName"], arn=d["TrainingJobArn"],
                 properties=iso(apply_defaults(TRAINING_DEFAULTS, props, live=True)),
                 facts=runtime_facts(d, "TrainingStartTime", "TrainingEndTime"), relations=references(d))


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
    return Shape(id=d["ProcessingJobName"], arn=d["ProcessingJobArn"], properties=iso(props),
                 facts=runtime_facts(d, "ProcessingStartTime", "ProcessingEndTime"), relations=references(d))


register(
    CollectorSpec(
        type=TRAINING_TYPE, service="sagemaker", iam_prefix="sagemaker",
        # Every status, within the window (training_queries); complete records with tags.
        list_call=search_call("TrainingJob", queries=training_queries),
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
        description="Training jobs (in progress, or finished within the job window): role, isolation, "
                    "encryption, VPC, runtime",
    ),
    CollectorSpec(
        type=PROCESSING_TYPE, service="sagemaker", iam_prefix="sagemaker",
        list_call=ListCall(operation="ListProcessingJobs", result_key="ProcessingJobSummaries",
                           queries=processing_queries, unique_key="ProcessingJobName"),
        describe_call=DescribeCall(operation="DescribeProcessingJob", param="ProcessingJobName",
                                   item_key="ProcessingJobName"),
        normalise=normalise_processing, tags=TAGS_SAGEMAKER, defaults=PROCESSING_DEFAULTS,
        events=(CloudTrailEvent(name="CreateProcessingJob", paths=("requestParameters.processingJobName",)),),
        relations=with_references(
            role("RoleArn"),
            kms_keys("ProcessingResources.ClusterConfig.VolumeKmsKeyId", "ProcessingOutputConfig.KmsKeyId"),
            subnets("NetworkConfig.VpcConfig.Subnets[]"), security_groups("NetworkConfig.VpcConfig.SecurityGroupIds[]"),
            buckets("ProcessingOutputConfig.Outputs[].S3Output.S3Uri", "ProcessingInputs[].S3Input.S3Uri")),
        description="Processing jobs (in progress, or finished within the job window): role, network "
                    "config, volume and output encryption",
    ),
)
