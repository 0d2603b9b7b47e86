"""A seeded ML estate at account scale for the simulation: by default 2,000 model
packages in 40 groups, 500 training jobs spread over two years, 300 endpoints each
with its configuration and model, 40 execution roles and 10 buckets (3,490 resources
the scan reads). Every choice is drawn from one seeded random generator, so two runs
with the same seed and size build the same estate.

Seeding talks to the moto server directly (never through the proxy) and, for the job
histories moto cannot be told through its API, to its backend: the server must run
in this process (`__main__`).
"""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

import boto3
from botocore.config import Config

from mlwarden.demo.estate import DEMO_ACCOUNT as ACCOUNT

REGION = "eu-west-1"
IMAGES = [f"763104351884.dkr.ecr.{REGION}.amazonaws.com/{name}" for name in
          ("xgboost-inference:1.7-1", "pytorch-inference:2.3-cpu-py311", "sklearn-inference:1.2-1")]
OWNERS = ["fraud-ml", "growth-ml", "search-ml", "risk-ml", "platform-ml"]


@dataclass(frozen=True, kw_only=True)
class EstateSize:
    packages: int = 2000
    package_groups: int = 40
    training_jobs: int = 500
    endpoints: int = 300     # each with its own endpoint configuration and model
    roles: int = 40
    buckets: int = 10

    def scaled(self, factor: float) -> "EstateSize":
        def part(n: int) -> int:
            return max(1, round(n * factor))
        return EstateSize(packages=part(self.packages), package_groups=part(self.package_groups),
                          training_jobs=part(self.training_jobs), endpoints=part(self.endpoints),
                          roles=part(self.roles), buckets=part(self.buckets))

    @property
    def resources(self) -> int:
        """What the scan inventories from this estate (three per endpoint: it, its
        configuration, its model), besides the two KMS keys and the account documents."""
        return (self.packages + self.package_groups + self.training_jobs + 3 * self.endpoints
                + self.roles + self.buckets)


def _tags(rng: random.Random) -> list[dict]:
    """Most resources carry the organisation's tags; some lack one, as in any estate."""
    tags = {"owner": rng.choice(OWNERS), "project": f"p{rng.randrange(20)}",
            "environment": rng.choice(["prod", "staging", "dev"])}
    if rng.random() < 0.15:
        tags.pop(rng.choice(sorted(tags)))
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def seed_estate(endpoint_url: str, size: EstateSize = EstateSize(), *, seed: int = 17) -> dict[str, int]:
    """Create the estate on the moto server at `endpoint_url`; return counts per kind."""
    rng = random.Random(seed)
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    aws_session_token="testing", region_name=REGION)
    cfg = Config(inject_host_prefix=False, retries={"max_attempts": 2}, max_pool_connections=4)

    def client(service: str):
        return session.client(service, endpoint_url=endpoint_url, config=cfg)

    sm, s3, iam, kms = client("sagemaker"), client("s3"), client("iam"), client("kms")
    keys = [kms.create_key(Description=f"ml key {i}")["KeyMetadata"]["Arn"] for i in range(2)]
    kms.enable_key_rotation(KeyId=keys[0])

    buckets = [f"ml-sim-{i:02d}-{ACCOUNT}" for i in range(size.buckets)]
    for name in buckets:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        if rng.random() < 0.7:
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                        "KMSMasterKeyID": keys[0]}}]})
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tags(rng)})

    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    roles = []
    for i in range(size.roles):
        name = f"SageMakerExecution-{i:03d}"
        roles.append(iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust,
                                     Tags=_tags(rng))["Role"]["Arn"])
        bucket = rng.choice(buckets)
        actions = ["s3:*"] if rng.random() < 0.2 else ["s3:GetObject", "s3:PutObject"]
        iam.put_role_policy(RoleName=name, PolicyName="data", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions,
                                                    "Resource": f"arn:aws:s3:::{bucket}/*"}]}))

    packages: list[str] = []
    groups = [f"model-{i:03d}" for i in range(size.package_groups)]
    for g in groups:
        sm.create_model_package_group(ModelPackageGroupName=g, Tags=_tags(rng))
    for i in range(size.packages):
        group = groups[i % len(groups)]
        bucket, key = rng.choice(buckets), f"models/{group}/v{i // len(groups) + 1}/model.tar.gz"
        s3.put_object(Bucket=bucket, Key=key, Body=f"model {i}".encode())
        extra = {"ModelMetrics": {"ModelQuality": {"Statistics": {
            "ContentType": "application/json", "S3Uri": f"s3://{bucket}/{key}.metrics.json"}}}} \
            if rng.random() < 0.5 else {}
        packages.append(sm.create_model_package(
            ModelPackageGroupName=group, ModelApprovalStatus=rng.choice(
                ["Approved", "Rejected", "PendingManualApproval"]),
            InferenceSpecification={"Containers": [{"Image": rng.choice(IMAGES),
                                                    "ModelDataUrl": f"s3://{bucket}/{key}"}],
                                    "SupportedContentTypes": ["text/csv"],
                                    "SupportedResponseMIMETypes": ["text/csv"]},
            CustomerMetadataProperties={"training_job": f"train-{i % max(1, size.training_jobs):05d}"},
            **extra)["ModelPackageArn"])

    for i in range(size.training_jobs):
        secure = rng.random() < 0.6
        args = dict(
            TrainingJobName=f"train-{i:05d}", RoleArn=rng.choice(roles),
            AlgorithmSpecification={"TrainingImage": rng.choice(IMAGES), "TrainingInputMode": "File"},
            OutputDataConfig={"S3OutputPath": f"s3://{rng.choice(buckets)}/training-output/"},
            ResourceConfig={"InstanceType": rng.choice(["ml.m5.xlarge", "ml.g5.2xlarge"]),
                            "InstanceCount": 1, "VolumeSizeInGB": 50},
            StoppingCondition={"MaxRuntimeInSeconds": 86400}, Tags=_tags(rng))
        if secure:
            args["OutputDataConfig"]["KmsKeyId"] = keys[0]
            args["ResourceConfig"]["VolumeKmsKeyId"] = keys[0]
            args["EnableNetworkIsolation"] = True
        sm.create_training_job(**args)
    _spread_job_history(size.training_jobs, rng)

    for i in range(size.endpoints):
        model = f"serve-{i:04d}"
        container = {"Image": rng.choice(IMAGES)}
        if rng.random() < 0.5:
            container["ModelPackageName"] = rng.choice(packages)
        else:
            bucket, key = rng.choice(buckets), f"models/adhoc/{model}.tar.gz"
            s3.put_object(Bucket=bucket, Key=key, Body=model.encode())
            container["ModelDataUrl"] = f"s3://{bucket}/{key}"
        sm.create_model(ModelName=model, ExecutionRoleArn=rng.choice(roles), PrimaryContainer=container,
                        EnableNetworkIsolation=rng.random() < 0.5, Tags=_tags(rng))
        config = {"EndpointConfigName": f"{model}-config", "Tags": _tags(rng), "ProductionVariants": [{
            "VariantName": "primary", "ModelName": model, "InstanceType": "ml.m5.xlarge",
            "InitialInstanceCount": rng.choice([1, 2]), "InitialVariantWeight": 1.0}]}
        if rng.random() < 0.6:
            config["KmsKeyId"] = keys[1]
        sm.create_endpoint_config(**config)
        sm.create_endpoint(EndpointName=f"{model}-endpoint", EndpointConfigName=f"{model}-config",
                           Tags=_tags(rng))
    return {"model_package_groups": size.package_groups, "model_packages": size.packages,
            "training_jobs": size.training_jobs, "models": size.endpoints,
            "endpoint_configs": size.endpoints, "endpoints": size.endpoints, "roles": size.roles,
            "buckets": size.buckets, "kms_keys": len(keys)}


def _spread_job_history(count: int, rng: random.Random) -> None:
    """Jobs ended over the last two years, a few still running: moto completes every
    job at once, so their times are set on its backend."""
    from moto.sagemaker.models import sagemaker_backends

    jobs = sagemaker_backends[ACCOUNT][REGION].training_jobs
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(count):
        job = jobs[f"train-{i:05d}"]
        end = now - dt.timedelta(days=rng.uniform(0, 730))
        start = end - dt.timedelta(hours=rng.uniform(0.2, 30))
        job.creation_time, job.training_start_time = start - dt.timedelta(minutes=5), start
        if rng.random() < 0.02:
            job.training_job_status = job.secondary_status = "InProgress"
            job.training_end_time = None
            job.last_modified_time = start
        else:
            job.training_job_status = job.secondary_status = rng.choice(["Completed"] * 9 + ["Failed"])
            job.training_end_time = job.last_modified_time = end
