"""What the demo's accounts share: the `Estate` record, the client factory, the tags,
images and helpers both the workload account (estate.py) and the registry account
(registry_account.py) seed with. Nothing here creates a resource by itself."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
from dataclasses import dataclass, field

import boto3
from botocore.config import Config

DEMO_REGION = "eu-west-1"
DEMO_ACCOUNT = "123456789012"   # the account moto answers for with fake credentials

# Tags a well-run team puts on everything; some resources below deliberately lack
# owner / cost-center to show the tagging policies failing.
TEAM_TAGS = {"owner": "fraud-ml", "project": "fraud-detection", "cost-center": "cc-4711",
             "environment": "prod"}
DEV_TAGS = {"owner": "research", "project": "llm-assistant", "environment": "dev"}  # no cost-center

# AWS's SageMaker algorithm images (account 141502667606 in eu-west-1, trusted in the
# demo settings) and a Hugging Face deep-learning image from an account nobody listed.
XGB_IMAGE = "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"
SKLEARN_IMAGE = "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
LLM_IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-training:2.1-gpu-py310"
MONITOR_IMAGE = "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"


@dataclass
class Estate:
    """What `seed` created: names tests and the README can point at."""
    account: str
    region: str
    buckets: dict[str, str] = field(default_factory=dict)      # role in the story -> name
    roles: dict[str, str] = field(default_factory=dict)        # role in the story -> ARN
    kms_keys: dict[str, str] = field(default_factory=dict)     # role in the story -> key ARN
    vpc_id: str = ""
    subnets: dict[str, str] = field(default_factory=dict)
    security_groups: dict[str, str] = field(default_factory=dict)
    vpc_endpoints: list[str] = field(default_factory=list)
    notebooks: list[str] = field(default_factory=list)
    training_jobs: list[str] = field(default_factory=list)
    processing_jobs: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    endpoint_configs: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    monitoring_schedules: list[str] = field(default_factory=list)
    job_definitions: list[str] = field(default_factory=list)   # monitoring job definitions
    model_package_groups: list[str] = field(default_factory=list)
    model_packages: dict[str, str] = field(default_factory=dict)  # story -> ARN (notable ones)
    package_count: int = 0
    pipelines: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    signing_profiles: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)          # Lambda functions (functions.py)
    artifact_sha256: dict[str, str] = field(default_factory=dict)  # s3 uri -> sha256
    dataset_sha256: str = ""   # the training data set the fraud packages record
    # The central registry account (registry_account.py) and its packages this account serves.
    registry_account: str = ""
    registry_packages: dict[str, str] = field(default_factory=dict)   # story -> ARN
    alarms: list[str] = field(default_factory=list)   # CloudWatch alarms on monitor metrics (estate_drift.py)
    rules: list[str] = field(default_factory=list)    # EventBridge rules acting on them
    inference_components: list[str] = field(default_factory=list)   # estate_components.py
    catalog: dict[str, str] = field(default_factory=dict)   # Service Catalog (estate_catalog.py)

    @property
    def resource_count(self) -> int:
        return (len(self.buckets) + len(self.roles) + len(self.kms_keys) + 1 + len(self.subnets)
                + len(self.security_groups) + len(self.vpc_endpoints) + len(self.notebooks)
                + len(self.training_jobs) + len(self.processing_jobs) + len(self.models)
                + len(self.endpoint_configs) + len(self.endpoints) + len(self.monitoring_schedules)
                + len(self.job_definitions)
                + len(self.model_package_groups) + self.package_count + len(self.pipelines)
                + len(self.domains) + len(self.signing_profiles) + len(self.functions) + len(self.alarms)
                + len(self.rules) + len(self.inference_components))


def tag_list(d: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in d.items()]


def model_tarball(name: str) -> bytes:
    """A small, byte-for-byte reproducible model.tar.gz (fixed mtimes), so its
    sha256 is stable across runs and can be recorded as the signed digest."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for fname, content in (("model.json", json.dumps({"model": name, "weights": [0.1, 0.2]})),
                               ("code/inference.py", "def predict(x):\n    return x\n")):
            data = content.encode()
            info = tarfile.TarInfo(fname)
            info.size, info.mtime, info.mode = len(data), 1_700_000_000, 0o644
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


class Clients:
    def __init__(self, endpoint_url: str, region: str, session: boto3.session.Session | None = None):
        self.endpoint_url, self.region = endpoint_url, region
        # Fake credentials: the stand-in answers for its default account; another account's
        # session comes from an AssumeRole into it (registry_account.py).
        self._session = session or boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing",
            aws_session_token="testing", region_name=region)
        self._config = Config(inject_host_prefix=False, retries={"max_attempts": 2})

    def __call__(self, service: str):
        return self._session.client(service, endpoint_url=self.endpoint_url, config=self._config)


def tls_only_policy(bucket: str) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    })


def isolated_package_model(sm, e: Estate, name: str, package_arn: str) -> None:
    """The team's well-built model: it serves the model package `package_arn` with the
    execution role, network-isolated in the private subnets."""
    sm.create_model(
        ModelName=name, ExecutionRoleArn=e.roles["execution"],
        PrimaryContainer={"Image": XGB_IMAGE, "ModelPackageName": package_arn},
        VpcConfig={"SecurityGroupIds": [e.security_groups["private"]],
                   "Subnets": [e.subnets["private_a"], e.subnets["private_b"]]},
        EnableNetworkIsolation=True, Tags=tag_list(TEAM_TAGS))


def encrypted_capture(e: Estate, uri: str) -> dict:
    """The demo's well-configured data capture: requests and responses, a 20 % sample,
    written under `uri` with the serving key."""
    return {"EnableCapture": True, "InitialSamplingPercentage": 20, "DestinationS3Uri": uri,
            "KmsKeyId": e.kms_keys["ml-serving"],
            "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]}


def data_quality_schedule(sm, e: Estate, name: str, *, endpoint: str, output: str,
                          constraints: str | None = None) -> None:
    """An hourly data-quality schedule on `endpoint`, encrypted with the serving key,
    writing its reports under `output` (the demo's well-configured monitoring), checked
    against the baseline `constraints` when given (estate_drift.py writes them)."""
    baseline = {"BaselineConfig": {"ConstraintsResource": {"S3Uri": constraints}}} if constraints else {}
    sm.create_monitoring_schedule(
        MonitoringScheduleName=name,
        MonitoringScheduleConfig={
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringType": "DataQuality",
            "MonitoringJobDefinition": {
                **baseline,
                "MonitoringInputs": [{"EndpointInput": {
                    "EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input"}}],
                "MonitoringOutputConfig": {"MonitoringOutputs": [{"S3Output": {
                    "S3Uri": output, "LocalPath": "/opt/ml/processing/output"}}],
                    "KmsKeyId": e.kms_keys["ml-serving"]},
                "MonitoringResources": {"ClusterConfig": {
                    "InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20,
                    "VolumeKmsKeyId": e.kms_keys["ml-serving"]}},
                "MonitoringAppSpecification": {"ImageUri": (
                    MONITOR_IMAGE)},
                "RoleArn": e.roles["execution"],
            }},
        Tags=tag_list(TEAM_TAGS))
    e.monitoring_schedules.append(name)
