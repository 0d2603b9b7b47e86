"""What each endpoint variant downloads before it serves, and its start-up timeouts.

`facts.variant_artifacts` of an endpoint: per production variant of its configuration,
the model it runs, the total size of that model's data (its own containers' model data
and that of the packages it is deployed from, `facts.artifact_bytes` of each) and the
variant's ModelDataDownloadTimeoutInSeconds and ContainerStartupHealthCheckTimeoutInSeconds
(absent when not set). Written only when every size is known: a configuration, model or
package that is not in the inventory, or an artefact that could not be sized, leaves the
derived `artifact_size` facet incomplete, naming why, and the fact out, so MLW-MON-011
is NOT_ASSESSED there, never passed on a guess.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lineage import unscanned
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

TIMEOUTS = ("ModelDataDownloadTimeoutInSeconds", "ContainerStartupHealthCheckTimeoutInSeconds")


def annotate(inv: "Inventory") -> None:
    by_name: dict[tuple, Resource] = {}
    for r in inv.resources:
        by_name[(r.type, r.account, r.region, r.id)] = r
        if r.arn:
            by_name[(r.type, r.account, r.region, r.arn)] = r
            # Packages also by ARN alone: an endpoint may serve one from a central
            # registry account (scanner/lineage.py walks the same way).
            by_name.setdefault((r.type, r.arn), r)
    for ep in inv.resources:
        if ep.type == "AWS::SageMaker::Endpoint":
            _annotate(ep, by_name, inv)


# Why a size is unknown: (what and why, the call, the error code).
Unknown = tuple[str, str, str]


def _sized(r: Resource, what: str, unknown: list[Unknown]) -> int:
    status = r.facet("artifact_size")
    if not status.read:
        detail = f" ({status.message})" if status.message else ""
        unknown.append((f"{what}: {status.operation} failed with {status.error_code}{detail}",
                        status.operation, status.error_code))
        return 0
    sizes = r.facts.get("artifact_bytes")
    if not isinstance(sizes, dict):   # a template or an older inventory: never sized
        unknown.append((f"{what}: the size of its model data was not read", "s3:HeadObject", "NotRead"))
        return 0
    return sum(int(v) for v in sizes.values())


def _annotate(ep: Resource, by_name: dict, inv: "Inventory") -> None:
    key = (ep.account, ep.region)
    unknown: list[Unknown] = []
    variants: dict[str, dict] = {}
    cfg_name = ep.properties.get("EndpointConfigName")
    cfg = by_name.get(("AWS::SageMaker::EndpointConfig", *key, cfg_name))
    if cfg is None:
        unknown.append((f"AWS::SageMaker::EndpointConfig {cfg_name}: not in the inventory",
                        "sagemaker:DescribeEndpointConfig", "NotInInventory"))
    for variant in (cfg.properties.get("ProductionVariants") if cfg else None) or []:
        model_name = variant.get("ModelName")
        model = by_name.get(("AWS::SageMaker::Model", *key, model_name))
        if model is None:
            unknown.append((f"AWS::SageMaker::Model {model_name}: not in the inventory",
                            "sagemaker:DescribeModel", "NotInInventory"))
            continue
        total = _sized(model, f"AWS::SageMaker::Model {model_name}", unknown)
        for ref in model.relations.get("model_packages") or []:
            pkg = (by_name.get(("AWS::SageMaker::ModelPackage", *key, ref))
                   or by_name.get(("AWS::SageMaker::ModelPackage", ref)))
            if pkg is None:
                elsewhere = unscanned(ref, inv)
                unknown.append((f"AWS::SageMaker::ModelPackage {ref}: {elsewhere or 'not in the inventory'}",
                                "sagemaker:DescribeModelPackage",
                                "AccountNotScanned" if elsewhere else "NotInInventory"))
                continue
            total += _sized(pkg, f"AWS::SageMaker::ModelPackage {ref}", unknown)
        variants[str(variant.get("VariantName"))] = {
            "ModelName": model_name, "bytes": total,
            **{t: variant[t] for t in TIMEOUTS if variant.get(t) is not None}}
    if unknown:
        ep.facts.pop("variant_artifacts", None)
        _, op, code = unknown[0]
        ep.facets["artifact_size"] = FacetStatus.failed(
            op, code, "the size of the endpoint's model data is derived from reads that did not complete",
            [text for text, _, _ in unknown])
        return
    ep.facts["variant_artifacts"] = variants
    ep.facts["variant_artifacts_derived_by"] = (
        "mlwarden.endpoint_artifacts: EndpointConfig ProductionVariants → models (and their packages) → "
        "facts.artifact_bytes (s3:HeadObject ContentLength)")
    ep.facets["artifact_size"] = READ
