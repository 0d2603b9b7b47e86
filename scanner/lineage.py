"""Endpoint lineage: endpoint → endpoint configuration → models → model packages.

The walk to the models an endpoint serves, directly or through the inference components
attached to a variant without a model of its own, is `scanner/endpoint_walk.py` (shared
with the artefact sizes); this module follows each model to its packages. An inference
component that loads model data no model names (its own container's artefact, or an
adapter's) serves a model that comes from no package: it is listed in
`facts.unregistered_models` as `<component> (inference component with its own … artefact)`.

Shadow variants (ShadowProductionVariants) are walked too, and held to the same rules
(why: scanner/endpoint_walk.py): a package one serves carries `shadow_variant`, the
variant's name, so a rule's message can say the shadow serves it; a model from no package
on a shadow is listed as `<model> (shadow variant <name>)`.

The registry rules (MLW-REG-003, MLW-REG-004) judge what an endpoint serves from
`facts.model_packages`, each package with its approval status and signature facts,
and `facts.unregistered_models`, the models that come from no package. This module
walks the chain over the whole inventory and records the `lineage` facet of every
endpoint: complete only when every link was read.

Configurations and models are looked up in the endpoint's own account and region
(they are named there). A model names its package by ARN, and a central registry
account commonly holds the packages that workload accounts deploy: a package is found
by its ARN in whichever account the scan read. When the package's account (or region)
was not read by this scan, the lineage is incomplete and the facet says which account
was not read, so the registry rules are NOT_ASSESSED on that endpoint, never a pass
and never "could not determine". An organisation scan runs the walk again after
merging its accounts (`scanner/organization.py`); the walk is idempotent.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .endpoint_walk import (_UNKNOWN, NOT_READ as _NOT_READ, PACKAGE_TYPE, EndpointWalker, UnreadFn, package_refs,
                            unknown_package)
from .facets import incomplete
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

# The error code of a lineage facet that is incomplete because a package lies in an
# account or region the scan did not read (not because a read failed).
NOT_SCANNED = "AccountNotScanned"
_DERIVED_BY = ("mlwarden.lineage: endpoint → EndpointConfigName → ProductionVariants[].ModelName and "
               "ShadowProductionVariants[].ModelName, or the "
               "variant's inference components' Specification.ModelName → containers' ModelPackageName "
               "(looked up by ARN in every scanned account) (scanner/endpoint_walk.py)")


def annotate_lineage(inv: "Inventory", unread: UnreadFn, *, only_not_scanned: bool = False) -> None:
    """Set facts.model_packages / unregistered_models and the `lineage` facet of every
    endpoint. `unread(account, region, type)`: the failed (or not made) reads that may
    explain why a resource of `type` there is not in the inventory.

    `only_not_scanned`: walk again only the endpoints whose lineage stopped at an account
    or region their part of the scan did not read (after merging parts: see
    `derived.relink_endpoints`); every other link of theirs was found in their own part."""
    walker = EndpointWalker(inv, unread)
    for ep in inv.resources:
        if ep.type != "AWS::SageMaker::Endpoint":
            continue
        if not only_not_scanned or ep.facet("lineage").error_code == NOT_SCANNED:
            _walk(ep, walker)


def _walk(ep: Resource, walker: EndpointWalker) -> None:
    for fact in ("model_packages", "unregistered_models", "model_packages_derived_by"):
        ep.facts.pop(fact, None)   # idempotent: an organisation scan walks again
    walk = walker.walk(ep)
    # A link missing because its read failed (or was not made), or unknown before
    # deployment, leaves the lineage unknown; one simply absent from a complete read is a
    # dangling reference, which the registry rules report as "could not determine".
    missing = [g.text for g in walk.gaps]
    complete = not walk.gaps and not walk.dangling
    packages, unregistered, unknown_models = [], [], []
    for served in walk.served:
        if served.component is not None and served.own_artefact:
            # Model data an inference component loads that no model names (its own container,
            # or an adapter's artefact): it comes from no registered package.
            kind = "adapter" if served.base else "container"
            on = f", on shadow variant {served.variant_name}" if served.shadow else ""
            unregistered.append(f"{served.component.id} (inference component with its own {kind} artefact{on})")
        model = served.model
        if model is None:
            continue   # a gap or a dangling reference, recorded by the walk
        refs, bad_refs = package_refs(model)
        if bad_refs:
            complete = False
            missing.extend(g.text for g in bad_refs)
        if unknown_package(model):
            unknown_models.append(model.id)
        elif not refs and not bad_refs:
            unregistered.append(f"{model.id} (shadow variant {served.variant_name})" if served.shadow else model.id)
        for ref in refs:
            pkg, gaps = walker.package(ref, model.account, model.region)
            if pkg is None:
                complete = False
                missing.extend(g.text for g in gaps)
                continue
            if not pkg.facet("signature").read:
                missing.append(f"{PACKAGE_TYPE} {ref}: signature: {pkg.facet('signature').reason}")
            entry = {"arn": pkg.arn,
                     "ModelApprovalStatus": pkg.properties.get("ModelApprovalStatus"),
                     "ModelLifeCycle": pkg.properties.get("ModelLifeCycle"),
                     "signature": pkg.facts.get("signature") or {"present": False}}
            # The package's tags (a lifecycle stage may be a tag), only when read: a tag
            # that was not read is not "no stage".
            if pkg.facet("tags").read:
                entry["tags"] = dict(pkg.tags)
            if served.component is not None:
                entry["inference_component"] = served.component.id
            if served.shadow:
                # Named only for a shadow: a production variant's entries are as before.
                entry["shadow_variant"] = served.variant_name
            packages.append(entry)
    if complete:
        ep.facts["model_packages"] = packages
        ep.facts["unregistered_models"] = sorted(set(unregistered))
        ep.facts["model_packages_derived_by"] = _DERIVED_BY
        if unknown_models:
            # A template's model whose package is a parameter: which package it serves is
            # known only once launched (the marker of scanner/iac/unknown.py), not "none".
            why = {_UNKNOWN: f"the model package of model {', '.join(sorted(set(unknown_models)))} is "
                             "unknown before deployment"}
            ep.facts["model_packages"] = ep.facts["unregistered_models"] = why
    _set(ep, missing)


def _set(ep: Resource, missing: list[str]) -> None:
    if not missing:
        ep.facets["lineage"] = READ
        return
    for fact in ("model_packages", "unregistered_models", "model_packages_derived_by"):
        ep.facts.pop(fact, None)   # a partial list would read as the whole
    if all(m.endswith(_NOT_READ) for m in missing):
        # Nothing failed and nothing else is missing: a package lies where the scan did not
        # look. Say where, and how to look there. (Only this status is walked again when
        # parts of a scan are merged.)
        ref, where = missing[0][len(PACKAGE_TYPE) + 1:].split(": ", 1)
        ep.facets["lineage"] = FacetStatus.failed(
            "", NOT_SCANNED, f"it serves model package {ref}, {where} (scan that account too: "
            "--accounts with --role-name, or --organization)", missing[1:])
        return
    ep.facets["lineage"] = incomplete("model_packages", missing)
