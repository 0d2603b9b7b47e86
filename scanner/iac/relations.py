"""Relations of template / plan / pipeline resources, derived from their properties.

Live collectors name related resources by ARN or id. In a template the same property
usually holds a reference to another resource of the same file (`!GetAtt Role.Arn`,
`aws_iam_role.exec.arn`). The loaders turn such a reference into the referenced
resource's synthetic ARN (`cfn://<file>#<LogicalId>`, `tf://<file>#<address>`), which is
also that resource's `arn`, so `RelationIndex` (scanner/relations.py) resolves it exactly as it
resolves a live ARN. A literal ARN or id of something outside the file stays as written
(and lands in `input.related_missing` unless the inventory holds it).

The table says, per type, which property paths hold which relation (relation names from
docs/resource-model.md). `[]` walks a list.
"""
from __future__ import annotations

import re
from typing import Any

from ..collectors.sagemaker_job_definitions import KINDS as JOB_DEFINITION_KINDS
from .synthetic import SCHEMES
from .unknown import is_unknown

def _monitoring_paths(at: str, output: str, resources: str) -> dict[str, tuple[str, ...]]:
    """A monitoring job's references: inline in a schedule (`at` its job definition) or
    in a job definition (output and resources under their kind's names)."""
    return {
        "role": (f"{at}RoleArn",),
        "kms_keys": (f"{at}{resources}.ClusterConfig.VolumeKmsKeyId", f"{at}{output}.KmsKeyId"),
        "subnets": (f"{at}NetworkConfig.VpcConfig.Subnets[]",),
        "security_groups": (f"{at}NetworkConfig.VpcConfig.SecurityGroupIds[]",),
        "buckets": (f"{at}{output}.MonitoringOutputs[].S3Output.S3Uri",),
    }


RELATION_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "AWS::SageMaker::NotebookInstance": {
        "role": ("RoleArn",), "kms_keys": ("KmsKeyId",), "subnets": ("SubnetId",),
        "security_groups": ("SecurityGroupIds[]",),
    },
    "AWS::SageMaker::Model": {
        "role": ("ExecutionRoleArn",),
        "subnets": ("VpcConfig.Subnets[]",), "security_groups": ("VpcConfig.SecurityGroupIds[]",),
        "model_packages": ("PrimaryContainer.ModelPackageName", "Containers[].ModelPackageName"),
        "buckets": ("PrimaryContainer.ModelDataUrl", "Containers[].ModelDataUrl"),
    },
    "AWS::SageMaker::EndpointConfig": {
        "kms_keys": ("KmsKeyId", "DataCaptureConfig.KmsKeyId"),
        "models": ("ProductionVariants[].ModelName",),
        "buckets": ("DataCaptureConfig.DestinationS3Uri",),
    },
    "AWS::SageMaker::Endpoint": {"endpoint_config": ("EndpointConfigName",)},
    "AWS::SageMaker::Domain": {
        "kms_keys": ("KmsKeyId",), "subnets": ("SubnetIds[]",), "vpc": ("VpcId",),
        "role": ("DefaultUserSettings.ExecutionRole",),
        "security_groups": ("DefaultUserSettings.SecurityGroups[]",),
    },
    "AWS::SageMaker::Pipeline": {"role": ("RoleArn",)},
    "AWS::SageMaker::ModelPackage": {"model_package_group": ("ModelPackageGroupName",)},
    "MLW::SageMaker::TrainingJob": {
        "role": ("RoleArn",),
        "kms_keys": ("ResourceConfig.VolumeKmsKeyId", "OutputDataConfig.KmsKeyId"),
        "subnets": ("VpcConfig.Subnets[]",), "security_groups": ("VpcConfig.SecurityGroupIds[]",),
        "buckets": ("OutputDataConfig.S3OutputPath", "CheckpointConfig.S3Uri",
                    "InputDataConfig[].DataSource.S3DataSource.S3Uri"),
    },
    "MLW::SageMaker::ProcessingJob": {
        "role": ("RoleArn",),
        "kms_keys": ("ProcessingResources.ClusterConfig.VolumeKmsKeyId",
                     "ProcessingOutputConfig.KmsKeyId"),
        "subnets": ("NetworkConfig.VpcConfig.Subnets[]",),
        "security_groups": ("NetworkConfig.VpcConfig.SecurityGroupIds[]",),
        "buckets": ("ProcessingOutputConfig.Outputs[].S3Output.S3Uri",
                    "ProcessingInputs[].S3Input.S3Uri"),
    },
    "AWS::SageMaker::MonitoringSchedule": _monitoring_paths("MonitoringScheduleConfig.MonitoringJobDefinition.",
                                                            "MonitoringOutputConfig", "MonitoringResources"),
    **{k.type: _monitoring_paths("", f"{k.kind}JobOutputConfig", "JobResources") for k in JOB_DEFINITION_KINDS},
    "AWS::S3::Bucket": {"kms_keys": (
        "BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.KMSMasterKeyID",)},
    "AWS::EC2::SecurityGroup": {"vpc": ("VpcId",)},
    "AWS::EC2::Subnet": {"vpc": ("VpcId",)},
}

# A synthetic reference inside a longer string, e.g. "s3://cfn://t.yaml#Data/prefix".
_SYNTHETIC = re.compile(rf"(?:{'|'.join(SCHEMES)})://[^#\s]+#[\w.\-\[\]\"]+")


def values_at(props: Any, path: str) -> list[Any]:
    """Every value at a dotted path with `[]` list steps; absent paths give nothing."""
    nodes = [props]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        nxt = []
        for n in nodes:
            if isinstance(n, dict) and key in n:
                v = n[key]
                if many:
                    nxt.extend(v if isinstance(v, list) else [])
                else:
                    nxt.append(v)
        nodes = nxt
    return nodes


def _ref(value: Any, relation: str) -> str | None:
    if not isinstance(value, str) or not value or is_unknown(value):
        return None
    m = _SYNTHETIC.search(value)
    if m and not value.startswith(tuple(f"{s}://" for s in SCHEMES)):
        return m.group(0)   # embedded in a URI: the referenced resource
    if relation == "buckets":
        if value.startswith("s3://"):
            return value[5:].split("/", 1)[0] or None
        return None if "://" in value and not m else value
    return value


def derive_relations(resource_type: str, props: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, paths in RELATION_PATHS.get(resource_type, {}).items():
        refs = [r for p in paths for v in values_at(props, p) if (r := _ref(v, name))]
        if refs:
            out[name] = list(dict.fromkeys(refs))
    return out
