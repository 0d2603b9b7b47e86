"""SageMaker inference components: models deployed onto an endpoint's variant as units of
their own, each with its copies, compute and start-up settings.

An endpoint built on inference components has variants without a ModelName; what it
serves and how long each copy may take to start are the components':
Specification.ModelName (or Specification.Container with its ArtifactUrl) and
Specification.StartupParameters {ModelDataDownloadTimeoutInSeconds,
ContainerStartupHealthCheckTimeoutInSeconds}. scanner/endpoint_walk.py follows an
endpoint to its components, for the lineage the registry rules judge (a component's
model and its packages) and for scanner/endpoint_artifacts.py, which sizes each
component's model data for MLW-MON-011 (the `artifact_size` facet, as for models).
"""
from __future__ import annotations

from . import artefact_size
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from ..resource_type import CloudTrailEvent, Relation, buckets
from .sagemaker_common import iso, merge, present, references, with_references

INFERENCE_COMPONENT_TYPE = "AWS::SageMaker::InferenceComponent"


def normalise(d: dict, scope: Scope) -> Shape:
    spec = d.get("Specification") or {}
    runtime = d.get("RuntimeConfig") or {}
    props = {
        "InferenceComponentName": d["InferenceComponentName"],
        "EndpointName": d.get("EndpointName"),
        "VariantName": d.get("VariantName"),
        "Specification": present(spec),
        # CloudFormation's RuntimeConfig.CopyCount is what DescribeInferenceComponent calls DesiredCopyCount.
        "RuntimeConfig": present({"CopyCount": runtime.get("DesiredCopyCount")}
                                 if runtime.get("DesiredCopyCount") is not None else {}),
        "InferenceComponentStatus": d.get("InferenceComponentStatus"),
        "FailureReason": d.get("FailureReason"),
        "CreationTime": d.get("CreationTime"),
    }
    facets: dict = {}
    # A component with a container of its own downloads that container's artefact.
    artifact = (spec.get("Container") or {}).get("ArtifactUrl")
    sizes = artefact_size.artifact_bytes(scope, [{"ModelDataUrl": artifact}] if artifact else [], facets)
    models = [spec["ModelName"]] if spec.get("ModelName") else []
    return Shape(id=d["InferenceComponentName"], arn=d["InferenceComponentArn"], properties=iso(props),
                 facts={"artifact_bytes": sizes}, relations=merge(references(d), {"models": models}),
                 facets=facets)


register(CollectorSpec(
    type=INFERENCE_COMPONENT_TYPE, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListInferenceComponents", result_key="InferenceComponents"),
    describe_call=DescribeCall(operation="DescribeInferenceComponent", param="InferenceComponentName",
                               item_key="InferenceComponentName"),
    normalise=normalise, tags=TAGS_SAGEMAKER, facets=(artefact_size.FACET,),
    extra_permissions=("s3:GetObject",),   # HeadObject is authorised by s3:GetObject
    events=(CloudTrailEvent(name="CreateInferenceComponent", paths=("requestParameters.inferenceComponentName",)),),
    relations=with_references(
        buckets("Specification.Container.ArtifactUrl"),
        Relation(name="models", target="AWS::SageMaker::Model", paths=("Specification.ModelName",))),
    description="Inference components: endpoint and variant, model, copies, start-up timeouts",
))
