"""SageMaker inference components for the local AWS stand-in (moto 5.2.5 lacks them).

Installed by moto_extensions.install(). Follows the AWS API reference:
CreateInferenceComponent {InferenceComponentName, EndpointName, VariantName,
Specification, RuntimeConfig {CopyCount}, Tags} → {InferenceComponentArn};
DescribeInferenceComponent → the component with RuntimeConfig {DesiredCopyCount,
CurrentCopyCount} and InferenceComponentStatus; ListInferenceComponents (filters
EndpointNameEquals, VariantNameEquals; MaxResults, NextToken) → {InferenceComponents:
[summaries]}; DeleteInferenceComponent; ListTags on the component's ARN, and tagged
components in the Tagging API's GetResources. Components are
InService as soon as they exist (the stand-in deploys nothing).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any


class FakeInferenceComponent:
    def __init__(self, p: dict, account: str, region: str):
        self.name, self.endpoint, self.variant = p["InferenceComponentName"], p["EndpointName"], p.get("VariantName")
        self.specification, self.tags = p.get("Specification") or {}, list(p.get("Tags") or [])
        self.copies = (p.get("RuntimeConfig") or {}).get("CopyCount", 1)
        self.arn = f"arn:aws:sagemaker:{region}:{account}:inference-component/{self.name}"
        self.endpoint_arn = f"arn:aws:sagemaker:{region}:{account}:endpoint/{self.endpoint}"
        self.created = dt.datetime.now(dt.timezone.utc).isoformat()

    def summary(self) -> dict:
        return {"InferenceComponentName": self.name, "InferenceComponentArn": self.arn,
                "EndpointName": self.endpoint, "EndpointArn": self.endpoint_arn, "VariantName": self.variant,
                "InferenceComponentStatus": "InService", "CreationTime": self.created,
                "LastModifiedTime": self.created}

    def describe(self) -> dict:
        return {**self.summary(), "Specification": self.specification,
                "RuntimeConfig": {"DesiredCopyCount": self.copies, "CurrentCopyCount": self.copies}}


def _components(backend) -> dict[str, FakeInferenceComponent]:
    if not hasattr(backend, "mlw_inference_components"):
        backend.mlw_inference_components = {}
    return backend.mlw_inference_components


def install() -> None:
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse

    def _body(self) -> dict:
        return json.loads(self.body or "{}")

    def _get(self, name: str) -> FakeInferenceComponent:
        c = _components(self.sagemaker_backend).get(name)
        if c is None:
            raise ValidationError(message=f"Could not find inference component {name}")
        return c

    def create_inference_component(self) -> str:
        p = _body(self)
        store = _components(self.sagemaker_backend)
        if p["InferenceComponentName"] in store:
            raise ValidationError(message=f"Inference component {p['InferenceComponentName']} already exists")
        c = FakeInferenceComponent(p, self.current_account, self.region)
        store[c.name] = c
        return json.dumps({"InferenceComponentArn": c.arn})

    def describe_inference_component(self) -> str:
        return json.dumps(_get(self, _body(self)["InferenceComponentName"]).describe())

    def list_inference_components(self) -> str:
        p = _body(self)
        items = sorted(_components(self.sagemaker_backend).values(), key=lambda c: c.created)
        if p.get("EndpointNameEquals"):
            items = [c for c in items if c.endpoint == p["EndpointNameEquals"]]
        if p.get("VariantNameEquals"):
            items = [c for c in items if c.variant == p["VariantNameEquals"]]
        start, size = int(p.get("NextToken") or 0), int(p.get("MaxResults") or 10)
        out: dict[str, Any] = {"InferenceComponents": [c.summary() for c in items[start:start + size]]}
        if start + size < len(items):
            out["NextToken"] = str(start + size)
        return json.dumps(out)

    def delete_inference_component(self) -> str:
        name = _body(self)["InferenceComponentName"]
        _get(self, name)
        del _components(self.sagemaker_backend)[name]
        return "{}"

    for name, fn in {"create_inference_component": create_inference_component,
                     "describe_inference_component": describe_inference_component,
                     "list_inference_components": list_inference_components,
                     "delete_inference_component": delete_inference_component}.items():
        setattr(SageMakerResponse, name, fn)

    # ListTags on an inference-component ARN: moto's ARN table lacks the type.
    original = SageMakerModelBackend._get_resource_from_arn

    def _get_resource_from_arn(self, arn: str):
        kind, _, name = arn.split(":", 5)[-1].partition("/")
        if kind != "inference-component":
            return original(self, arn)
        component = _components(self).get(name)
        if component is None:
            raise ValidationError(message=f"Could not find {kind} with arn {arn}")
        return component

    SageMakerModelBackend._get_resource_from_arn = _get_resource_from_arn

    # The Resource Groups Tagging API lists a tagged component like every tagged SageMaker
    # resource (GetResources, resource type sagemaker:inference-component).
    from moto.core.resource_tagging import TaggedResource
    tagged = SageMakerModelBackend.iter_tagged_resources

    def iter_tagged_resources(self):
        yield from tagged(self)
        for c in _components(self).values():
            if c.tags:
                yield TaggedResource(arn=c.arn, tags={t["Key"]: t["Value"] for t in c.tags},
                                     resource_type="sagemaker:inference-component")

    SageMakerModelBackend.iter_tagged_resources = iter_tagged_resources

    # CreateEndpointConfig: a variant that hosts inference components names no model
    # (AWS API reference, ProductionVariant.ModelName: not required); moto requires one.
    validate = SageMakerModelBackend.validate_production_variants

    def validate_production_variants(self, production_variants):
        return validate(self, [v for v in production_variants if v.get("ModelName")])

    SageMakerModelBackend.validate_production_variants = validate_production_variants
