"""SageMaker models: execution role, network isolation, VPC, containers, and the size
of their model data (`artifact_size` facet, collectors/artefact_size.py)."""
from __future__ import annotations

from ..aws_defaults import AwsDefault, apply_defaults
from ..resource_type import CloudTrailEvent, Relation, TerraformType, buckets, role, security_groups, subnets
from . import artefact_size
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, Scope, Shape, register
from .sagemaker_search import search_call
from .sagemaker_common import iso, merge, present, references, with_references

MODEL_TYPE = "AWS::SageMaker::Model"

# CreateModel EnableNetworkIsolation: false unless set.
DEFAULTS = (AwsDefault(path="EnableNetworkIsolation", value=False,
                       reference="SageMaker API CreateModel.EnableNetworkIsolation"),)


def normalise(d: dict, scope: Scope) -> Shape:
    containers = [c for c in ([d.get("PrimaryContainer")] + list(d.get("Containers") or [])) if c]
    props = {
        "ModelName": d["ModelName"],
        "ExecutionRoleArn": d.get("ExecutionRoleArn"),
        # AWS answers EnableNetworkIsolation on every model; apply_defaults covers one that does not.
        "EnableNetworkIsolation": d.get("EnableNetworkIsolation"),
        "VpcConfig": present(d.get("VpcConfig")),
        "PrimaryContainer": present(d.get("PrimaryContainer")),
        "Containers": present(d.get("Containers")),
        "InferenceExecutionConfig": d.get("InferenceExecutionConfig"),
        "DeploymentRecommendation": d.get("DeploymentRecommendation"),
        "CreationTime": d.get("CreationTime"),
    }
    apply_defaults(DEFAULTS, props, live=True)
    # A container deployed from the registry names its package (by name or ARN).
    packages = [c["ModelPackageName"] for c in containers if c.get("ModelPackageName")]
    # Containers from a package carry no model data of their own: the package's is sized.
    facets: dict = {}
    sizes = artefact_size.artifact_bytes(scope, [c for c in containers if not c.get("ModelPackageName")], facets)
    return Shape(id=d["ModelName"], arn=d["ModelArn"], properties=iso(props),
                 facts={"artifact_bytes": sizes},
                 relations=merge(references(d), {"model_packages": packages}), facets=facets)


register(CollectorSpec(
    type=MODEL_TYPE, service="sagemaker", iam_prefix="sagemaker",
    list_call=search_call("Model"),   # complete records with tags, 100 per page
    describe_call=DescribeCall(operation="DescribeModel", param="ModelName", item_key="ModelName"),
    normalise=normalise, tags=TAGS_SAGEMAKER, facets=(artefact_size.FACET,),
    # HeadObject is authorised by s3:GetObject; it asks for the stored checksum (shared
    # with the packages' digest check), which S3 gives for an SSE-KMS object only to a
    # reader allowed kms:Decrypt.
    extra_permissions=("s3:GetObject", "kms:Decrypt"),
    defaults=DEFAULTS, usage_counter="models",
    terraform=(TerraformType(
        name="aws_sagemaker_model", rename={"name": "ModelName", "container": "Containers"},
        single=frozenset({"primary_container", "vpc_config", "inference_execution_config", "image_config",
                          "model_data_source", "multi_model_config"})),),
    events=(CloudTrailEvent(name="CreateModel", paths=("requestParameters.modelName",)),),
    relations=with_references(
        role("ExecutionRoleArn"), subnets("VpcConfig.Subnets[]"), security_groups("VpcConfig.SecurityGroupIds[]"),
        Relation(name="model_packages", target="AWS::SageMaker::ModelPackage",
                 paths=("PrimaryContainer.ModelPackageName", "Containers[].ModelPackageName")),
        buckets("PrimaryContainer.ModelDataUrl", "Containers[].ModelDataUrl")),
    description="Models: execution role, network isolation, VPC, container images and artifacts",
))
