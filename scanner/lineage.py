"""Endpoint lineage: endpoint → endpoint configuration → models → model packages.

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

from typing import TYPE_CHECKING, Callable

from .facets import incomplete
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

CONFIG_TYPE = "AWS::SageMaker::EndpointConfig"
MODEL_TYPE = "AWS::SageMaker::Model"
PACKAGE_TYPE = "AWS::SageMaker::ModelPackage"
# The error code of a lineage facet that is incomplete because a package lies in an
# account or region the scan did not read (not because a read failed).
NOT_SCANNED = "AccountNotScanned"
_DERIVED_BY = ("mlwarden.lineage: endpoint → EndpointConfigName → ProductionVariants[].ModelName → "
               "containers' ModelPackageName (looked up by ARN in every scanned account)")

_NOT_READ = ", which this scan did not read"
GapsFn = Callable[[str, str, str, str], list[str]]   # (account, region, type, ref) → why unread


def arn_scope(ref: str) -> tuple[str, str] | None:
    """(account, region) of a SageMaker ARN; None for a bare name."""
    parts = ref.split(":")
    if ref.startswith("arn:") and len(parts) > 5 and parts[4]:
        return parts[4], parts[3]
    return None


def unscanned(ref: str, inv: "Inventory") -> str | None:
    """Why the resource `ref` names cannot be in the inventory: its account or region
    was not read by this scan. None when it was (or when the inventory does not say
    what it read, as for templates)."""
    scope = arn_scope(ref)
    if scope is None:
        return None
    account, region = scope
    if inv.accounts and account not in inv.accounts:
        return f"in account {account}{_NOT_READ}"
    if inv.regions and region and region not in inv.regions:
        return f"in region {region} of account {account}{_NOT_READ}"
    return None


def annotate_lineage(inv: "Inventory", why_unread: GapsFn, *, only_not_scanned: bool = False) -> None:
    """Set facts.model_packages / unregistered_models and the `lineage` facet of every
    endpoint. `why_unread(account, region, type, ref)`: the failed (or not made) reads
    that may explain why `ref` of `type` is not in the inventory.

    `only_not_scanned`: walk again only the endpoints whose lineage stopped at an account
    or region their part of the scan did not read (after merging parts: see
    `derived.relink_endpoints`); every other link of theirs was found in their own part."""
    by_name: dict[tuple[str, str, str, str], Resource] = {}
    packages_by_arn: dict[str, Resource] = {}
    for r in inv.resources:
        if r.type in (CONFIG_TYPE, MODEL_TYPE, PACKAGE_TYPE):
            by_name[(r.type, r.account, r.region, r.id)] = r
            if r.arn:
                by_name[(r.type, r.account, r.region, r.arn)] = r
        if r.type == PACKAGE_TYPE and r.arn:
            packages_by_arn.setdefault(r.arn, r)
    for ep in inv.resources:
        if ep.type != "AWS::SageMaker::Endpoint":
            continue
        if not only_not_scanned or ep.facet("lineage").error_code == NOT_SCANNED:
            _walk(ep, inv, by_name, packages_by_arn, why_unread)


def _walk(ep: Resource, inv: "Inventory", by_name: dict, packages_by_arn: dict[str, Resource],
          why_unread: GapsFn) -> None:
    key = (ep.account, ep.region)
    missing: list[str] = []
    for fact in ("model_packages", "unregistered_models", "model_packages_derived_by"):
        ep.facts.pop(fact, None)   # idempotent: an organisation scan walks again

    def absent(type_: str, ref: str, account: str, region: str) -> None:
        # A link missing because its read failed (or was not made) leaves the lineage
        # unknown; one simply absent from a complete read is a dangling reference,
        # which the registry rules report as "could not determine".
        missing.extend(f"{type_} {ref}: " + w.split(": ", 1)[-1]
                       for w in why_unread(account, region, type_, ref))

    cfg_name = ep.properties.get("EndpointConfigName")
    if not isinstance(cfg_name, str):
        # Not a name: a template's value only deployment knows (an Fn::ImportValue,
        # scanner/iac/unknown.py), or a malformed document. What it serves is unknown.
        _set(ep, [f"{CONFIG_TYPE} EndpointConfigName: {unknown_reason(cfg_name)}"])
        return
    cfg = by_name.get((CONFIG_TYPE, *key, cfg_name))
    if cfg is None:
        absent(CONFIG_TYPE, str(cfg_name), *key)
        _set(ep, missing)
        return
    packages, unregistered, complete = [], [], True
    unknown_models: list[str] = []
    variants = cfg.properties.get("ProductionVariants") or []
    if not isinstance(variants, list):
        _set(ep, [f"{CONFIG_TYPE} {cfg_name} ProductionVariants: {unknown_reason(variants)}"])
        return
    for variant in variants:
        if not isinstance(variant, dict) or _UNKNOWN in variant:
            complete = False
            missing.append(f"{CONFIG_TYPE} {cfg_name} ProductionVariants: {unknown_reason(variant)}")
            continue
        model_name = variant.get("ModelName")
        if model_name is None:
            # A variant without a model of its own serves inference components, which
            # this walk does not follow: what it serves is unknown, not "nothing".
            complete = False
            missing.append(f"{CONFIG_TYPE} {cfg_name} variant {variant.get('VariantName')}: serves inference "
                           "components, whose models the lineage walk does not follow")
            continue
        if not isinstance(model_name, str):
            complete = False
            missing.append(f"{MODEL_TYPE} ModelName of {cfg_name}: {unknown_reason(model_name)}")
            continue
        model = by_name.get((MODEL_TYPE, *key, model_name))
        if model is None:
            complete = False
            absent(MODEL_TYPE, model_name, *key)
            continue
        refs = model.relations.get("model_packages") or []
        if _unknown_package(model):
            unknown_models.append(model.id)
        elif not refs:
            unregistered.append(model.id)
        for ref in refs:
            pkg = by_name.get((PACKAGE_TYPE, *key, ref)) or packages_by_arn.get(ref)
            if pkg is None:
                complete = False
                elsewhere = unscanned(ref, inv)
                if elsewhere:
                    missing.append(f"{PACKAGE_TYPE} {ref}: {elsewhere}")
                # Also what this scan knows of that place (packages not collected at all).
                absent(PACKAGE_TYPE, ref, *(arn_scope(ref) or key))
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


_UNKNOWN = "mlwarden:unknown"   # scanner/iac/unknown.py: MARKER (the Lambda package has no iac)


def _unknown_package(model: Resource) -> bool:
    """Whether a model (from a template) names its package by a value unknown before deployment."""
    containers = [model.properties.get("PrimaryContainer"), *(model.properties.get("Containers") or [])]
    return any(isinstance(c, dict) and isinstance(c.get("ModelPackageName"), dict)
               and _UNKNOWN in c["ModelPackageName"] for c in containers)


def unknown_reason(value) -> str:
    """Why a reference that is not a name cannot be followed (the IaC marker's reason)."""
    if isinstance(value, dict) and _UNKNOWN in value:
        return f"value unknown before deployment ({value[_UNKNOWN]})"
    return f"not a name ({type(value).__name__})"


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
