"""Bulk reads fail loudly and keep their promises: a refused or throttled bulk call is a
gap or a missing facet naming it (never a PASS), a resource the Tagging API does not
list still has its tags read, per-item describes are paced per operation, and the
job window leaves out exactly the finished jobs older than it, saying so."""
from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from mlwarden import settings as settings_mod
from mlwarden.aws.session import AwsContext
from mlwarden.permissions import scan_options
from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_jobs import PROCESSING_TYPE, TRAINING_TYPE
from mlwarden.errors import InputError
from mlwarden.inventory import Inventory
from mlwarden.pipeline import collect
from mlwarden.model import Status

from ..conftest import ACCOUNT, REGION
from ..support.moto_sagemaker import backend
from .test_sagemaker_jobs import create_training_job

ROLE = f"arn:aws:iam::{ACCOUNT}:role/train"
DENIED = {"Error": {"Code": "AccessDenied", "Message": "not allowed"}}
TAGS = [{"Key": "owner", "Value": "ml"}, {"Key": "project", "Value": "fraud"}]
UTC = dt.timezone.utc


@pytest.fixture
def sm(aws):
    return boto3.client("sagemaker", region_name=REGION)


def deny(aws_context, service: str, operation: str, region: str = REGION) -> None:
    def refuse(**kwargs):
        raise ClientError(DENIED, operation)
    aws_context.client(service, region).meta.events.register(f"before-call.{service}.{operation}", refuse)


def count(aws_context, service: str, operation: str, region: str = REGION) -> list:
    seen: list = []
    aws_context.client(service, region).meta.events.register(
        f"before-parameter-build.{service}.{operation}", lambda params, **kw: seen.append(dict(params)))
    return seen


def config(sm, name: str, tags=TAGS) -> None:
    sm.create_model(ModelName=f"{name}-model", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1"})
    sm.create_endpoint_config(EndpointConfigName=name, Tags=tags, ProductionVariants=[{
        "VariantName": "main", "ModelName": f"{name}-model", "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large"}])


def test_refused_role_bulk_read_is_a_gap_and_never_a_pass(aws, aws_context, judge):
    iam = boto3.client("iam", region_name=REGION)
    iam.create_role(RoleName="admin", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="admin", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    clean = judge(collect(aws_context, [REGION], types=["AWS::IAM::Role"]))
    failing = {f.policy_id for f in clean.findings if f.resource["id"] == "admin" and f.status is Status.FAIL}
    assert failing, "a role allowed everything fails least-privilege policies"

    aws = AwsContext(options=scan_options(max_workers=2))
    deny(aws, "iam", "GetAccountAuthorizationDetails", "us-east-1")
    deny(aws, "iam", "GetAccountAuthorizationDetails", REGION)
    inv = collect(aws, [REGION], types=["AWS::IAM::Role"])
    assert [g.operation for g in inv.gaps] == ["iam:GetAccountAuthorizationDetails"]
    doc = judge(inv)
    after = {f.policy_id: f.status for f in doc.findings if f.policy_id in failing}
    assert after and set(after.values()) == {Status.NOT_ASSESSED}


def test_refused_tagging_api_leaves_tags_unread_naming_it(sm, aws_context, judge):
    config(sm, "tagged")
    boto3.client("kms", region_name=REGION).create_key(Description="data", Tags=[
        {"TagKey": "owner", "TagValue": "ml"}])
    deny(aws_context, "resourcegroupstaggingapi", "GetResources")
    inv = collect(aws_context, [REGION], types=["AWS::SageMaker::EndpointConfig", "AWS::KMS::Key"])
    [cfg] = [r for r in inv.resources if r.type == "AWS::SageMaker::EndpointConfig"]
    tags = cfg.facet("tags")
    assert (tags.read, tags.operation, tags.error_code) == (False, "tag:GetResources", "AccessDenied")
    assert cfg.facet("describe").read   # everything else about it was read
    # A KMS key whose tags cannot be read is not collected on a guess: a gap names the call.
    assert {(g.resource_type, g.operation) for g in inv.gaps} == {("AWS::KMS::Key", "tag:GetResources")}
    statuses = {f.policy_id: f.status for f in judge(inv).findings if f.resource.get("id") == "tagged"}
    assert statuses["MLW-TAG-001"] is Status.NOT_ASSESSED


def test_a_resource_the_tagging_api_does_not_list_has_its_tags_read_directly(sm, aws_context):
    config(sm, "tagged")
    config(sm, "untagged", tags=[])
    list_tags = count(aws_context, "sagemaker", "ListTags")
    res = collect_spec(registry()["AWS::SageMaker::EndpointConfig"], _scope(aws_context))
    got = {r.id: r.tags for r in res.resources}
    assert got == {"tagged": {"owner": "ml", "project": "fraud"}, "untagged": {}}
    # Only the resource the Tagging API left out was asked: absence is never "no tags".
    assert [p["ResourceArn"].rsplit("/", 1)[-1] for p in list_tags] == ["untagged"]


def _throttle(client, operation: str) -> None:
    """Answer every attempt of `operation` with AWS's throttling error."""
    class Raw:
        def stream(self, **kwargs):
            yield json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()

    def answer(request, **kwargs):
        return AWSResponse(request.url, 400, {"x-amzn-ErrorType": "ThrottlingException"}, Raw())
    client.meta.events.register(f"before-send.sagemaker.{operation}", answer)


def test_throttled_describes_become_gaps_and_slow_only_their_operation(sm):
    for name in ("prep-a", "prep-b", "prep-c"):
        sm.create_processing_job(
            ProcessingJobName=name, RoleArn=ROLE, AppSpecification={"ImageUri": "img"},
            ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                                                   "VolumeSizeInGB": 10}},
            StoppingCondition={"MaxRuntimeInSeconds": 3600})
    aws = AwsContext(options=scan_options(max_attempts=2, call_deadline=5))
    client = aws.client("sagemaker", REGION)
    _throttle(client, "DescribeProcessingJob")
    res = collect_spec(registry()[PROCESSING_TYPE], _scope(aws))
    assert res.resources == []
    # Retries exhausted, or the call's deadline spent waiting for the rate limiter: a gap
    # naming the throttled call for every job, never a job judged on nothing.
    assert sorted((g.resource_id, g.operation) for g in res.gaps) == [
        (name, "sagemaker:DescribeProcessingJob") for name in ("prep-a", "prep-b", "prep-c")]
    assert {g.error_code for g in res.gaps} <= {"ThrottlingException", "DeadlineExceeded"}
    limiters = client.meta.mlwarden_limiters
    # The throttled operation now runs at a measured rate; the listing was never slowed.
    assert limiters.limiter("DescribeProcessingJob")._enabled
    assert not limiters.limiter("ListProcessingJobs")._enabled


def test_job_window_reads_recent_and_running_jobs_and_says_so(sm, aws_context):
    now = dt.datetime.now(UTC)
    for name in ("recent", "old", "old-running"):
        create_training_job(sm, name)
    jobs = backend(REGION).training_jobs
    for name, status, days_ago in (("recent", "Completed", 3), ("old", "Completed", 90),
                                   ("old-running", "InProgress", 40)):
        job = jobs[name]
        job.training_job_status = status
        job.creation_time = job.last_modified_time = now - dt.timedelta(days=days_ago)
    inv = collect(aws_context, [REGION], types=[TRAINING_TYPE])
    assert sorted(r.id for r in inv.resources if r.type == TRAINING_TYPE) == ["old-running", "recent"]
    assert inv.collection["job_window_days"] == 30
    assert "older finished jobs were not read" in inv.collection["jobs_read"]
    assert Inventory.from_dict(inv.to_dict()).collection == inv.collection   # saved with the inventory

    everything = AwsContext(options=scan_options(max_workers=2), scan_state={"job_window_days": 0})
    assert sorted(r.id for r in collect(everything, [REGION], types=[TRAINING_TYPE]).resources
                  if r.type == TRAINING_TYPE) == ["old", "old-running", "recent"]


def test_job_window_setting_is_validated(tmp_path):
    good = tmp_path / "ok.yaml"
    good.write_text("collection:\n  job_window_days: 7\n")
    assert settings_mod.load(good)["collection"]["job_window_days"] == 7
    bad = tmp_path / "bad.yaml"
    bad.write_text("collection:\n  job_window_days: -1\n")
    with pytest.raises(InputError, match=r"bad.yaml:2: setting 'collection.job_window_days' must not be negative"):
        settings_mod.load(bad)


def test_default_window_matches_the_shipped_settings():
    from mlwarden.collectors.sagemaker_jobs import DEFAULT_JOB_WINDOW_DAYS
    assert settings_mod.defaults()["collection"]["job_window_days"] == DEFAULT_JOB_WINDOW_DAYS


def test_one_scalable_targets_read_per_region_for_all_endpoints(sm, aws_context):
    for i in range(3):
        config(sm, f"cfg-{i}")
        sm.create_endpoint(EndpointName=f"ep-{i}", EndpointConfigName=f"cfg-{i}")
    boto3.client("application-autoscaling", region_name=REGION).register_scalable_target(
        ServiceNamespace="sagemaker", ResourceId="endpoint/ep-1/variant/main",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount", MinCapacity=1, MaxCapacity=4)
    reads = count(aws_context, "application-autoscaling", "DescribeScalableTargets")
    res = collect_spec(registry()["AWS::SageMaker::Endpoint"], _scope(aws_context))
    scaling = {r.id: r.facts["autoscaling"]["main"] for r in res.resources}
    assert scaling["ep-1"] == {"registered": True, "MinCapacity": 1, "MaxCapacity": 4, "SuspendedState": {}}
    assert scaling["ep-0"] == scaling["ep-2"] == {"registered": False}
    assert len(reads) == 1 and "ResourceIds" not in reads[0]


def _scope(aws_context):
    from mlwarden.collectors.base import Scope
    return Scope(aws=aws_context, account=ACCOUNT, region=REGION)
