"""What each endpoint variant downloads before it serves, and its start-up timeouts.

`facts.variant_artifacts` of an endpoint: per variant of its configuration, production
or shadow (a shadow variant, `Shadow: true`, downloads its model like any other),
the model it runs, the total size of that model's data (its own containers' model data
and that of the packages it is deployed from, `facts.artifact_bytes` of each) and the
variant's ModelDataDownloadTimeoutInSeconds and ContainerStartupHealthCheckTimeoutInSeconds
(absent when not set). A variant that serves inference components (no ModelName of its
own) is sized per component, `<variant>/<component>`, with the component's model (and
its own container's artefact) and the timeouts of its Specification.StartupParameters.
What each variant serves is the walk the lineage uses (scanner/endpoint_walk.py), with
its reasons for a link it could not follow. Written only when every size is known: a
configuration, model, component or package that is not in the inventory (or could not
be read), or an artefact that could not be sized, leaves the derived `artifact_size`
facet incomplete, naming why, and the fact out, so MLW-MON-011 is NOT_ASSESSED there,
never passed on a guess.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .endpoint_walk import EndpointWalker, UnreadFn, package_refs, unknown_package
from .facets import INCOMPLETE
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

TIMEOUTS = ("ModelDataDownloadTimeoutInSeconds", "ContainerStartupHealthCheckTimeoutInSeconds")


def annotate(inv: "Inventory", unread: UnreadFn) -> None:
    """`unread(account, region, type)`: why resources of `type` there may be missing
    (scanner/endpoint_walk.py: UnreadFn)."""
    walker = EndpointWalker(inv, unread)
    for ep in inv.resources:
        if ep.type == "AWS::SageMaker::Endpoint":
            _annotate(ep, walker)


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
    # ContentLength: a count of bytes. Anything else (a string, a negative or fractional
    # number, a boolean, from a hand-edited or malformed inventory) is no size at all.
    bad = [k for k, v in sizes.items() if isinstance(v, bool) or not isinstance(v, int) or v < 0]
    if bad:
        unknown.append((f"{what}: the size of {bad[0]} is not a byte count ({sizes[bad[0]]!r:.40})",
                        "s3:HeadObject", "NotRead"))
        return 0
    return sum(sizes.values())


def _model_bytes(model: Resource, walker: EndpointWalker, unknown: list[Unknown]) -> int:
    """The model data of one model: its own containers' and its packages'."""
    total = _sized(model, f"AWS::SageMaker::Model {model.id}", unknown)
    refs, bad_refs = package_refs(model)
    if unknown_package(model):
        # A template's model whose package is a parameter: whose model data it loads is
        # known only once deployed.
        unknown.append((f"AWS::SageMaker::Model {model.id}: its model package is unknown before deployment",
                        "", INCOMPLETE))
    unknown.extend((g.text, g.operation or "", g.error_code or INCOMPLETE) for g in bad_refs)
    for ref in refs:
        pkg, gaps = walker.package(ref, model.account, model.region)
        if pkg is None:
            unknown.extend((g.text, g.operation, g.error_code) for g in gaps)
            if not gaps:
                unknown.append((f"AWS::SageMaker::ModelPackage {ref}: not in the inventory",
                                "sagemaker:DescribeModelPackage", "NotInInventory"))
            continue
        total += _sized(pkg, f"AWS::SageMaker::ModelPackage {ref}", unknown)
    return total


def _annotate(ep: Resource, walker: EndpointWalker) -> None:
    walk = walker.walk(ep)
    # Every link the walk could not follow, and every reference absent from the
    # inventory: a size over them would be a guess.
    unknown: list[Unknown] = [(g.text, g.operation, g.error_code or INCOMPLETE)
                              for g in walk.gaps + walk.dangling]
    variants: dict[str, dict] = {}
    for served in walk.served:
        c = served.component
        total = _sized(c, f"{c.type} {c.id}", unknown) if c is not None else 0
        if served.model is not None:
            total += _model_bytes(served.model, walker, unknown)
        elif served.model_name is not None:
            continue   # not in the inventory: a gap or a dangling reference, recorded above
        if c is None:
            settings = served.variant
        else:
            spec = c.properties.get("Specification") or {}
            settings = spec.get("StartupParameters") if isinstance(spec.get("StartupParameters"), dict) else {}
        variants[served.slot] = {
            **({"Shadow": True} if served.shadow else {}),
            **({"InferenceComponent": c.id} if c is not None else {}),
            **({"ModelName": served.model_name} if served.model_name else {}),
            "bytes": total, **{t: settings[t] for t in TIMEOUTS if settings.get(t) is not None}}
    if unknown:
        ep.facts.pop("variant_artifacts", None)
        _, op, code = unknown[0]
        ep.facets["artifact_size"] = FacetStatus.failed(
            op, code, "the size of the endpoint's model data is derived from reads that did not complete",
            [text for text, _, _ in unknown])
        return
    ep.facts["variant_artifacts"] = variants
    ep.facts["variant_artifacts_derived_by"] = (
        "mlwarden.endpoint_artifacts: EndpointConfig ProductionVariants and ShadowProductionVariants → models "
        "(and their packages), or the "
        "variant's inference components → facts.artifact_bytes (s3:HeadObject ContentLength) "
        "(scanner/endpoint_walk.py)")
    ep.facets["artifact_size"] = READ
