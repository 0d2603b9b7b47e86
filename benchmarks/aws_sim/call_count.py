"""Counting a scan's AWS API calls, and a larger estate to count them on.

`CallCount` registers botocore's own `before-call` event (one per API call, retries
not included; `before-send` counts the HTTP attempts) on every botocore session the
scan creates (`mlwarden.aws.session.session_hook`), so the count does not depend on
the scanner's own call hooks being right.

`seed_scale` adds a deterministic mass of ordinary resources to an AWS stand-in
(model packages, training and processing jobs, models, endpoint configurations,
endpoints, roles, buckets), the way an account grows: most of it unremarkable.
Used by `benchmarks/collect_calls.py` and `tests/collectors/test_call_budget.py` (here,
outside the shipped package, so that benchmarks import no test code).
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import boto3
from botocore.config import Config


@dataclass
class CallCount:
    calls: Counter = field(default_factory=Counter)      # "service:Operation" → API calls
    attempts: int = 0                                    # HTTP requests, retries included
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def counting(self) -> Iterator["CallCount"]:
        from mlwarden.aws.session import session_hook

        def hook(session) -> None:
            session.register("before-call", self._on_call)
            session.register("before-send", self._on_send)

        with session_hook(hook):
            yield self

    def _on_call(self, model, **kwargs) -> None:
        with self._lock:
            self.calls[f"{model.service_model.service_name}:{model.name}"] += 1

    def _on_send(self, **kwargs) -> None:
        with self._lock:
            self.attempts += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def report(self, resources: int, top: int = 12) -> str:
        lines = [f"{self.total} calls ({self.attempts} HTTP requests) for {resources} resources: "
                 f"{self.total / max(resources, 1):.2f} calls per resource"]
        lines += [f"  {n:6d}  {op}" for op, n in self.calls.most_common(top)]
        return "\n".join(lines)


@dataclass(frozen=True, kw_only=True)
class ScaleSpec:
    """How many of each ordinary resource `seed_scale` adds."""
    groups: int = 4
    packages: int = 400
    training_jobs: int = 200
    processing_jobs: int = 100
    endpoints: int = 60          # each with its own model and endpoint configuration
    roles: int = 80
    buckets: int = 40
    artefacts: int = 20          # distinct model artefacts the packages share

    @property
    def resources(self) -> int:
        return (self.groups + self.packages + self.training_jobs + self.processing_jobs
                + 3 * self.endpoints + self.roles + self.buckets)


IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/xgboost:1.7-1"


def seed_scale(endpoint_url: str, region: str, spec: ScaleSpec = ScaleSpec(), *,
               prefix: str = "bulk") -> int:
    """Add `spec`'s resources in the stand-in's default account; returns how many."""
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    aws_session_token="testing", region_name=region)
    config = Config(inject_host_prefix=False, retries={"max_attempts": 2})
    sm, s3, iam = (session.client(s, endpoint_url=endpoint_url, config=config)
                   for s in ("sagemaker", "s3", "iam"))
    account = session.client("sts", endpoint_url=endpoint_url, config=config).get_caller_identity()["Account"]
    tags = [{"Key": "owner", "Value": "ml-platform"}, {"Key": "project", "Value": "bulk"}]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    role_arn = f"arn:aws:iam::{account}:role/{prefix}-role-0"

    for i in range(spec.roles):
        name = f"{prefix}-role-{i}"
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, Tags=tags)
        iam.put_role_policy(RoleName=name, PolicyName="data", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                                                    "Resource": f"arn:aws:s3:::{prefix}-bucket-{i % 7}/*"}]}))
        iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")

    loc = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    artefact_bucket = f"{prefix}-bucket-0-{account}"
    for i in range(spec.buckets):
        name = f"{prefix}-bucket-{i}-{account}"
        s3.create_bucket(Bucket=name, **loc)
        if i % 2 == 0:
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tags})
    artefacts = [f"s3://{artefact_bucket}/models/m{i}/model.tar.gz" for i in range(spec.artefacts)]
    for i, url in enumerate(artefacts):
        s3.put_object(Bucket=artefact_bucket, Key=url.split("/", 3)[3], Body=f"model {i}".encode())

    groups = [f"{prefix}-group-{g}" for g in range(spec.groups)]
    for g in groups:
        sm.create_model_package_group(ModelPackageGroupName=g, Tags=tags)
    for i in range(spec.packages):
        url = artefacts[i % len(artefacts)]
        metadata = {"owner": "ml-platform"}
        if i % 3 == 0:   # some claim a digest, so their artefact is read
            metadata["mlwarden:artifact-sha256"] = "0" * 64
        sm.create_model_package(
            ModelPackageGroupName=groups[i % len(groups)], ModelApprovalStatus="Approved",
            InferenceSpecification={"Containers": [{"Image": IMAGE, "ModelDataUrl": url}],
                                    "SupportedContentTypes": ["text/csv"],
                                    "SupportedResponseMIMETypes": ["text/csv"]},
            CustomerMetadataProperties=metadata, Tags=tags)

    for i in range(spec.training_jobs):
        sm.create_training_job(
            TrainingJobName=f"{prefix}-train-{i}", RoleArn=role_arn,
            AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
            OutputDataConfig={"S3OutputPath": f"s3://{artefact_bucket}/out/"},
            ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
            StoppingCondition={"MaxRuntimeInSeconds": 3600}, Tags=tags)
    for i in range(spec.processing_jobs):
        sm.create_processing_job(
            ProcessingJobName=f"{prefix}-proc-{i}", RoleArn=role_arn,
            AppSpecification={"ImageUri": IMAGE},
            ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge",
                                                   "VolumeSizeInGB": 10}},
            StoppingCondition={"MaxRuntimeInSeconds": 3600}, Tags=tags)

    for i in range(spec.endpoints):
        model = f"{prefix}-model-{i}"
        sm.create_model(ModelName=model, ExecutionRoleArn=role_arn, Tags=tags,
                        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": artefacts[i % len(artefacts)]})
        sm.create_endpoint_config(EndpointConfigName=f"{prefix}-config-{i}", Tags=tags, ProductionVariants=[{
            "VariantName": "main", "ModelName": model, "InitialInstanceCount": 1,
            "InstanceType": "ml.m5.large"}])
        sm.create_endpoint(EndpointName=f"{prefix}-endpoint-{i}", EndpointConfigName=f"{prefix}-config-{i}",
                           Tags=tags)
    return spec.resources
