"""What each endpoint variant downloads before it serves, and its start-up timeouts.

`facts.variant_artifacts` of an endpoint: per production variant of its configuration,
the model it runs, the total size of that model's data (its own containers' model data
and that of the packages it is deployed from, `facts.artifact_bytes` of each) and the
variant's ModelDataDownloadTimeoutInSeconds and ContainerStartupHealthCheckTimeoutInSeconds
(absent when not set). A variant that serves inference components (no ModelName of its
own) is sized per component, `<variant>/<component>`, with the component's model (and
its own container's artefact) and the timeouts of its Specification.StartupParameters.
Written only when every size is known: a configuration, model or
package that is not in the inventory, or an artefact that could not be sized, leaves the
derived `artifact_size` facet incomplete, naming why, and the fact out, so MLW-MON-011
is NOT_ASSESSED there, never passed on a guess.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lineage import _UNKNOWN, unknown_reason, unscanned
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

TIMEOUTS = ("ModelDataDownloadTimeoutInSeconds", "ContainerStartupHealthCheckTimeoutInSeconds")
COMPONENT_TYPE = "AWS::SageMaker::InferenceComponent"


def annotate(inv: "Inventory") -> None:
    by_name: dict[tuple, Resource] = {}
    for r in inv.resources:
        by_name[(r.type, r.account, r.region, r.id)] = r
        if r.arn:
            by_name[(r.type, r.account, r.region, r.arn)] = r
            # Packages also by ARN alone: an endpoint may serve one from a central
            # registry account (scanner/lineage.py walks the same way).
            by_name.setdefault((r.type, r.arn), r)
    components: dict[tuple, list[Resource]] = {}
    for r in inv.resources:
        if r.type == COMPONENT_TYPE:
            components.setdefault((r.account, r.region, r.properties.get("EndpointName"),
                                   r.properties.get("VariantName")), []).append(r)
    for ep in inv.resources:
        if ep.type == "AWS::SageMaker::Endpoint":
            _annotate(ep, by_name, inv, components)


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


def _model_bytes(model_name, key: tuple, by_name: dict, inv: "Inventory", unknown: list[Unknown]) -> int:
    """The model data of one model: its own containers' and its packages'."""
    model = by_name.get(("AWS::SageMaker::Model", *key, model_name))
    if model is None:
        unknown.append((f"AWS::SageMaker::Model {model_name}: not in the inventory",
                        "sagemaker:DescribeModel", "NotInInventory"))
        return 0
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
    return total


def _component_variants(ep: Resource, variant: str, found: list[Resource], by_name: dict, inv: "Inventory",
                        unknown: list[Unknown]) -> dict[str, dict]:
    """A variant without a model of its own serves inference components: one entry each."""
    key = (ep.account, ep.region)
    gaps = [g for g in inv.gaps if g.resource_type in (COMPONENT_TYPE, "*") and g.account == ep.account
            and g.region in (ep.region, "*")]
    if gaps:
        unknown.append((f"{COMPONENT_TYPE} (listing): {gaps[0].operation} failed with {gaps[0].error_code}",
                        gaps[0].operation, gaps[0].error_code))
    if not found and not gaps:
        # None read: a template, a type not collected, or a variant that serves nothing yet.
        unknown.append((f"variant {variant} has no model of its own and no {COMPONENT_TYPE} of it is in the "
                        "inventory", "sagemaker:ListInferenceComponents", "NotInInventory"))
    out = {}
    for c in sorted(found, key=lambda r: r.id):
        spec = c.properties.get("Specification") if isinstance(c.properties.get("Specification"), dict) else {}
        total = _sized(c, f"{COMPONENT_TYPE} {c.id}", unknown)
        if spec.get("ModelName"):
            total += _model_bytes(spec["ModelName"], key, by_name, inv, unknown)
        startup = spec.get("StartupParameters") if isinstance(spec.get("StartupParameters"), dict) else {}
        out[f"{variant}/{c.id}"] = {"InferenceComponent": c.id, "bytes": total,
                                    **({"ModelName": spec["ModelName"]} if spec.get("ModelName") else {}),
                                    **{t: startup[t] for t in TIMEOUTS if startup.get(t) is not None}}
    return out


def _annotate(ep: Resource, by_name: dict, inv: "Inventory", components: dict) -> None:
    key = (ep.account, ep.region)
    unknown: list[Unknown] = []
    variants: dict[str, dict] = {}
    cfg_name = ep.properties.get("EndpointConfigName")
    # A reference that is not a name (a template's value only deployment knows, see
    # scanner/iac/unknown.py) cannot be followed: the size is unknown, never a crash.
    cfg = (by_name.get(("AWS::SageMaker::EndpointConfig", *key, cfg_name))
           if isinstance(cfg_name, str) else None)
    if cfg is None:
        why = "not in the inventory" if isinstance(cfg_name, str) else unknown_reason(cfg_name)
        unknown.append((f"AWS::SageMaker::EndpointConfig {cfg_name if isinstance(cfg_name, str) else ''}: {why}",
                        "sagemaker:DescribeEndpointConfig", "NotInInventory"))
    variants_given = (cfg.properties.get("ProductionVariants") if cfg else None) or []
    if not isinstance(variants_given, list):
        unknown.append((f"AWS::SageMaker::EndpointConfig {cfg_name} ProductionVariants: "
                        f"{unknown_reason(variants_given)}", "sagemaker:DescribeEndpointConfig", "NotInInventory"))
        variants_given = []
    for variant in variants_given:
        if not isinstance(variant, dict) or _UNKNOWN in variant:
            unknown.append((f"AWS::SageMaker::EndpointConfig {cfg_name} ProductionVariants: "
                            f"{unknown_reason(variant)}", "sagemaker:DescribeEndpointConfig", "NotInInventory"))
            continue
        model_name = variant.get("ModelName")
        if model_name is not None and not isinstance(model_name, str):
            unknown.append((f"AWS::SageMaker::Model ModelName of {cfg_name}: {unknown_reason(model_name)}",
                            "sagemaker:DescribeModel", "NotInInventory"))
            continue
        if not model_name:
            variants.update(_component_variants(
                ep, str(variant.get("VariantName")),
                components.get((*key, ep.id, variant.get("VariantName")), []), by_name, inv, unknown))
            continue
        total = _model_bytes(model_name, key, by_name, inv, unknown)
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
        "mlwarden.endpoint_artifacts: EndpointConfig ProductionVariants → models (and their packages), or the "
        "variant's inference components → facts.artifact_bytes (s3:HeadObject ContentLength)")
    ep.facets["artifact_size"] = READ
