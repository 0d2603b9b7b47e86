"""SageMaker endpoint configurations and endpoints.

An endpoint's encryption, instance types and data capture live in its endpoint
configuration (relation `endpoint_config`); the endpoint itself carries its
status, deployment guardrails and, as a fact, how each variant autoscales
(Application Auto Scaling, `sagemaker:variant:DesiredInstanceCount`).
"""
from __future__ import annotations

from ..aws.session import paginate
from ..aws_defaults import AwsDefault, apply_defaults
from ..facets import Facet
from ..resource_type import CloudTrailEvent, Relation, TerraformType, buckets, kms_keys
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, read_facet, register
from .bulk import read_once
from .sagemaker_search import search_call
from .sagemaker_common import iso, merge, present, references, with_references

ENDPOINT_CONFIG_TYPE = "AWS::SageMaker::EndpointConfig"
ENDPOINT_TYPE = "AWS::SageMaker::Endpoint"

CONFIG_DEFAULTS = (
    # ProductionVariant InitialVariantWeight: "If unspecified, it defaults to 1.0" (shadow
    # variants share the ProductionVariant shape).
    AwsDefault(path="ProductionVariants[].InitialVariantWeight", value=1.0,
               reference="SageMaker API ProductionVariant.InitialVariantWeight"),
    AwsDefault(path="ShadowProductionVariants[].InitialVariantWeight", value=1.0,
               reference="SageMaker API ProductionVariant.InitialVariantWeight"),
    # DataCaptureConfig EnableCapture: "defaults to enabled" -- only where capture is configured.
    AwsDefault(path="DataCaptureConfig.EnableCapture", value=True,
               reference="SageMaker API DataCaptureConfig.EnableCapture"),
)

SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
AUTOSCALING_CALL = "application-autoscaling:DescribeScalableTargets"

# Facets of an endpoint beyond describe and tags. The derived ones are computed by
# scanner/derived.py from the whole inventory (configuration, models, packages,
# monitoring schedules) and are complete only when all of those were read.
ENDPOINT_FACETS = (
    Facet(name="autoscaling", operations=(AUTOSCALING_CALL,),
          paths=("resource.facts.autoscaling", "resource.facts.autoscaling_derived_by"),
          description="Application Auto Scaling targets of each variant"),
    Facet(name="lineage", derived=True,
          paths=("resource.facts.model_packages", "resource.facts.unregistered_models",
                 "resource.facts.model_packages_derived_by"),
          description="endpoint → configuration → models → model packages, with approval and signature"),
    Facet(name="monitoring", derived=True, paths=("resource.facts.monitoring_schedules",),
          description="the monitoring schedules watching the endpoint"),
    Facet(name="artifact_size", derived=True,
          paths=("resource.facts.variant_artifacts", "resource.facts.variant_artifacts_derived_by"),
          description="per variant: the size of the model data it downloads and its start-up timeouts "
                      "(scanner/endpoint_artifacts.py)"),
)


def normalise_config(d: dict, scope: Scope) -> Shape:
    props = {
        "EndpointConfigName": d["EndpointConfigName"],
        "KmsKeyId": d.get("KmsKeyId"),
        # Copies: apply_defaults fills the variants' weights and capture's EnableCapture in place.
        "ProductionVariants": [dict(v) for v in d.get("ProductionVariants") or []],
        "ShadowProductionVariants": present([dict(v) for v in d.get("ShadowProductionVariants") or []]),
        "DataCaptureConfig": dict(d.get("DataCaptureConfig") or {}) or None,
        "AsyncInferenceConfig": d.get("AsyncInferenceConfig"),
        "ExplainerConfig": d.get("ExplainerConfig"),
        "ExecutionRoleArn": d.get("ExecutionRoleArn"),
        "VpcConfig": present(d.get("VpcConfig")),
        "EnableNetworkIsolation": d.get("EnableNetworkIsolation"),
        "CreationTime": d.get("CreationTime"),
    }
    apply_defaults(CONFIG_DEFAULTS, props, live=True)
    variants = list(d.get("ProductionVariants") or []) + list(d.get("ShadowProductionVariants") or [])
    models = [v["ModelName"] for v in variants if v.get("ModelName")]
    return Shape(id=d["EndpointConfigName"], arn=d["EndpointConfigArn"], properties=iso(props),
                 relations=merge(references(d), {"models": models}))


def autoscaling(scope: Scope, endpoint: str, variants: list[str]) -> dict[str, dict]:
    """Per variant: is it registered as a scalable target, and its capacity bounds.

    The region's SageMaker scalable targets are read once per collection run (one
    DescribeScalableTargets listing, not one call per endpoint) and shared by its
    endpoints. A read error propagates to every endpoint: each marks its
    `autoscaling` facet missing rather than reporting "no autoscaling" nobody checked.
    """
    out = {v: {"registered": False} for v in variants}
    if not variants:
        return out
    ids = [f"endpoint/{endpoint}/variant/{v}" for v in variants]
    targets = (read_once(scope, AUTOSCALING_CALL, lambda: region_scalable_targets(scope)) if scope.bulk
               else region_scalable_targets(scope, ids))
    for variant in variants:
        target = targets.get(f"endpoint/{endpoint}/variant/{variant}")
        if target is None:
            continue
        out[variant] = {
            "registered": True,
            "MinCapacity": target.get("MinCapacity"),
            "MaxCapacity": target.get("MaxCapacity"),
            "SuspendedState": target.get("SuspendedState") or {},
        }
    return out


def region_scalable_targets(scope: Scope, resource_ids: list[str] | None = None) -> dict[str, dict]:
    """Every SageMaker variant registered with Application Auto Scaling in the region
    (or those of `resource_ids`, for a one-endpoint read), by ResourceId. The dimension
    is filtered here: the API accepts ScalableDimension only together with ResourceIds."""
    client = scope.client("application-autoscaling")
    only = {"ResourceIds": resource_ids} if resource_ids else {}
    return {t.get("ResourceId"): t
            for t in paginate(client, "DescribeScalableTargets", "ScalableTargets", ServiceNamespace="sagemaker",
                              **only)
            if t.get("ScalableDimension") == SCALABLE_DIMENSION}


def normalise_endpoint(d: dict, scope: Scope) -> Shape:
    props = {
        "EndpointName": d["EndpointName"],
        "EndpointConfigName": d.get("EndpointConfigName"),
        "EndpointStatus": d.get("EndpointStatus"),
        "FailureReason": d.get("FailureReason"),
        # The running state: instance counts and weights per variant as deployed.
        "ProductionVariants": d.get("ProductionVariants"),
        "ShadowProductionVariants": d.get("ShadowProductionVariants"),
        "DataCaptureConfig": d.get("DataCaptureConfig"),
        "AsyncInferenceConfig": d.get("AsyncInferenceConfig"),
        "ExplainerConfig": d.get("ExplainerConfig"),
        "DeploymentConfig": d.get("LastDeploymentConfig"),
        "PendingDeploymentSummary": d.get("PendingDeploymentSummary"),
        "CreationTime": d.get("CreationTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
    }
    variants = [v["VariantName"] for v in d.get("ProductionVariants") or [] if v.get("VariantName")]
    facets: dict = {}
    scaling = read_facet(facets, "autoscaling", AUTOSCALING_CALL,
                         lambda: autoscaling(scope, d["EndpointName"], variants))
    facts = {} if scaling is None else {
        "autoscaling": scaling,
        "autoscaling_derived_by": (f"{AUTOSCALING_CALL}, "
                                   f"namespace sagemaker, dimension {SCALABLE_DIMENSION}, per variant"),
    }
    relations = merge(references(d), {"endpoint_config": [d.get("EndpointConfigName")]})
    return Shape(id=d["EndpointName"], arn=d["EndpointArn"], properties=iso(props), facts=iso(facts),
                 relations=relations, facets=facets)


register(
    CollectorSpec(
        type=ENDPOINT_CONFIG_TYPE, service="sagemaker", iam_prefix="sagemaker",
        list_call=ListCall(operation="ListEndpointConfigs", result_key="EndpointConfigs"),
        describe_call=DescribeCall(operation="DescribeEndpointConfig", param="EndpointConfigName",
                                   item_key="EndpointConfigName"),
        normalise=normalise_config, tags=TAGS_SAGEMAKER, defaults=CONFIG_DEFAULTS,
        terraform=(TerraformType(
            name="aws_sagemaker_endpoint_configuration",
            rename={"name": "EndpointConfigName", "kms_key_arn": "KmsKeyId"},
            single=frozenset({"data_capture_config", "async_inference_config", "capture_content_type_header",
                              "core_dump_config", "serverless_config", "explainer_config"}),
            drop=frozenset({"name_prefix"})),),
        events=(CloudTrailEvent(name="CreateEndpointConfig", paths=("requestParameters.endpointConfigName",)),),
        relations=with_references(
            kms_keys("KmsKeyId", "DataCaptureConfig.KmsKeyId"),
            # A shadow variant's model too, as normalise_config relates it (it serves traffic).
            Relation(name="models", target="AWS::SageMaker::Model",
                     paths=("ProductionVariants[].ModelName", "ShadowProductionVariants[].ModelName")),
            buckets("DataCaptureConfig.DestinationS3Uri")),
        description="Endpoint configurations: KMS key, production variants, data capture",
    ),
    CollectorSpec(
        type=ENDPOINT_TYPE, service="sagemaker", iam_prefix="sagemaker",
        # Search's endpoint record lacks the deployment configuration and async/explainer
        # settings DescribeEndpoint answers: each endpoint is described, its tags come along.
        list_call=search_call("Endpoint", complete=False),
        describe_call=DescribeCall(operation="DescribeEndpoint", param="EndpointName",
                                   item_key="EndpointName"),
        normalise=normalise_endpoint, tags=TAGS_SAGEMAKER, facets=ENDPOINT_FACETS,
        extra_permissions=(AUTOSCALING_CALL,), usage_counter="endpoints",
        terraform=(TerraformType(
            name="aws_sagemaker_endpoint", rename={"name": "EndpointName"},
            single=frozenset({"deployment_config", "blue_green_update_policy", "auto_rollback_configuration",
                              "traffic_routing_configuration"})),),
        events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.endpointName",))
                     for n in ("CreateEndpoint", "UpdateEndpoint")),
        relations=with_references(
            Relation(name="endpoint_config", target=ENDPOINT_CONFIG_TYPE, paths=("EndpointConfigName",))),
        description="Endpoints: status, deployment config, autoscaling of each variant",
    ),
)
