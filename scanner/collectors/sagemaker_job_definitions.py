"""SageMaker model monitoring job definitions: data quality, model quality, model bias
and model explainability.

A monitoring schedule either embeds its job definition or names one of these
(MonitoringJobDefinitionName). Each is a resource of its own (its own CloudFormation
type, Terraform resource and Describe call) and the population of several Security Hub
controls (SageMaker.9–.13, .15, .20, .25). The four differ only in the prefix of their
kind-specific members (`<Kind>AppSpecification`, `<Kind>JobInput`, `<Kind>JobOutputConfig`,
`<Kind>BaselineConfig`); JobResources, NetworkConfig, RoleArn and StoppingCondition are
shared, with the same names in the Describe answer and in CloudFormation.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..resource_type import CloudTrailEvent, Relation, TerraformType, buckets, kms_keys, role, security_groups, \
    subnets
from . import monitoring_constraints
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .sagemaker_common import iso, present, references, with_references


@dataclass(frozen=True, kw_only=True)
class JobDefinitionKind:
    kind: str        # "DataQuality": the prefix of the kind-specific members and API operations
    words: str       # "data quality": how messages and docs name it
    terraform: str   # the AWS provider's resource type

    @property
    def type(self) -> str:
        return f"AWS::SageMaker::{self.kind}JobDefinition"


KINDS: tuple[JobDefinitionKind, ...] = (
    JobDefinitionKind(kind="DataQuality", words="data quality",
                      terraform="aws_sagemaker_data_quality_job_definition"),
    JobDefinitionKind(kind="ModelQuality", words="model quality",
                      terraform="aws_sagemaker_model_quality_job_definition"),
    JobDefinitionKind(kind="ModelBias", words="model bias",
                      terraform="aws_sagemaker_model_bias_job_definition"),
    JobDefinitionKind(kind="ModelExplainability", words="model explainability",
                      terraform="aws_sagemaker_model_explainability_job_definition"),
)
JOB_DEFINITION_TYPES = frozenset(k.type for k in KINDS)
BY_TYPE = {k.type: k for k in KINDS}


def monitoring_relations(at: str, output: str, resources: str) -> tuple[Relation, ...]:
    """A monitoring job's references: inline in a schedule (`at` its job definition) or
    in a job definition (output and resources under their kind's names)."""
    return (role(f"{at}RoleArn"),
            kms_keys(f"{at}{resources}.ClusterConfig.VolumeKmsKeyId", f"{at}{output}.KmsKeyId"),
            subnets(f"{at}NetworkConfig.VpcConfig.Subnets[]"),
            security_groups(f"{at}NetworkConfig.VpcConfig.SecurityGroupIds[]"),
            buckets(f"{at}{output}.MonitoringOutputs[].S3Output.S3Uri"))


def terraform_type(k: JobDefinitionKind) -> TerraformType:
    """aws_sagemaker_<kind>_job_definition: the CloudFormation shape of
    AWS::SageMaker::<Kind>JobDefinition (blocks of one become objects; MonitoringOutputs
    stays a list, as in CloudFormation)."""
    snake = k.terraform.removeprefix("aws_sagemaker_").removesuffix("_job_definition")
    return TerraformType(
        name=k.terraform, rename={"name": "JobDefinitionName", "volume_size_in_gb": "VolumeSizeInGB"},
        single=frozenset({f"{snake}_app_specification", f"{snake}_baseline_config", f"{snake}_job_input",
                          f"{snake}_job_output_config", "job_resources", "cluster_config", "network_config",
                          "vpc_config", "stopping_condition", "constraints_resource", "statistics_resource",
                          "endpoint_input", "batch_transform_input", "dataset_format", "csv", "json",
                          "s3_output", "ground_truth_s3_input"}))


def as_monitoring_job_definition(kind: str, props: dict) -> dict:
    """A job definition's properties in the shape a schedule embeds
    (MonitoringScheduleConfig.MonitoringJobDefinition), for the policies that judge a
    schedule by the definition it runs."""
    out = {
        "MonitoringOutputConfig": props.get(f"{kind}JobOutputConfig"),
        "MonitoringResources": props.get("JobResources"),
        "NetworkConfig": props.get("NetworkConfig"),
        "RoleArn": props.get("RoleArn"),
        "StoppingCondition": props.get("StoppingCondition"),
        "BaselineConfig": props.get(f"{kind}BaselineConfig"),
        "MonitoringAppSpecification": props.get(f"{kind}AppSpecification"),
    }
    return {k: v for k, v in out.items() if v is not None}


def endpoint_of(kind: str, props: dict) -> str | None:
    job_input = props.get(f"{kind}JobInput") if isinstance(props.get(f"{kind}JobInput"), dict) else {}
    endpoint = job_input.get("EndpointInput") if isinstance(job_input.get("EndpointInput"), dict) else {}
    return endpoint.get("EndpointName") or props.get("EndpointName")


def named_definition(schedule) -> list[tuple[str, str]]:
    """(type, name) of the job definition a schedule names, for reading it with the schedule."""
    config = schedule.properties.get("MonitoringScheduleConfig") if schedule.type == \
        "AWS::SageMaker::MonitoringSchedule" else None
    if not isinstance(config, dict) or not isinstance(config.get("MonitoringJobDefinitionName"), str):
        return []
    name = config["MonitoringJobDefinitionName"]
    kinds = [k for k in KINDS if k.kind == config.get("MonitoringType")] or list(KINDS)
    return [(k.type, name) for k in kinds]


def _normaliser(k: JobDefinitionKind):
    def normalise(d: dict, scope: Scope) -> Shape:
        props = {
            "JobDefinitionName": d["JobDefinitionName"],
            f"{k.kind}AppSpecification": d.get(f"{k.kind}AppSpecification"),
            f"{k.kind}BaselineConfig": present(d.get(f"{k.kind}BaselineConfig")),
            f"{k.kind}JobInput": d.get(f"{k.kind}JobInput"),
            f"{k.kind}JobOutputConfig": d.get(f"{k.kind}JobOutputConfig"),
            "JobResources": d.get("JobResources"),
            "NetworkConfig": present(d.get("NetworkConfig")),
            "RoleArn": d.get("RoleArn"),
            "StoppingCondition": present(d.get("StoppingCondition")),
            "CreationTime": d.get("CreationTime"),
        }
        # CloudFormation has EndpointName as a property of its own; the API has it in the input.
        props["EndpointName"] = endpoint_of(k.kind, props)
        # A data-quality monitor's baseline constraints decide when it reports drift.
        facets: dict = {}
        constraints = monitoring_constraints.read_constraints(
            scope, monitoring_constraints.constraints_uri(d.get(f"{k.kind}BaselineConfig")), facets) \
            if k.kind == "DataQuality" else None
        return Shape(id=d["JobDefinitionName"], arn=d["JobDefinitionArn"], properties=iso(props),
                     facts={"baseline_constraints": constraints} if constraints else {},
                     relations=references(d), facets=facets)
    return normalise


register(*(CollectorSpec(
    type=k.type, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation=f"List{k.kind}JobDefinitions", result_key="JobDefinitionSummaries"),
    describe_call=DescribeCall(operation=f"Describe{k.kind}JobDefinition", param="JobDefinitionName",
                               item_key="MonitoringJobDefinitionName"),
    normalise=_normaliser(k), tags=TAGS_SAGEMAKER, terraform=(terraform_type(k),),
    events=(CloudTrailEvent(name=f"Create{k.kind}JobDefinition", paths=("requestParameters.jobDefinitionName",)),),
    relations=with_references(*monitoring_relations("", f"{k.kind}JobOutputConfig", "JobResources")),
    **({"facets": (monitoring_constraints.FACET,), "extra_permissions": ("s3:GetObject",)}
       if k.kind == "DataQuality" else {}),
    description=f"Model monitoring {k.words} job definitions: role, network, encryption of the job",
) for k in KINDS))
