"""The one walk from an endpoint to what it serves, shared by the lineage
(`scanner/lineage.py`: which model packages) and the artefact sizes
(`scanner/endpoint_artifacts.py`: how much model data each variant downloads).

endpoint → EndpointConfigName → ProductionVariants[] and ShadowProductionVariants[] → either
the variant's ModelName, or,
for a variant without a model of its own, the inference components attached to the
endpoint on that variant (EndpointName, VariantName), each serving
- Specification.ModelName: a model, walked like a variant's;
- no ModelName, Specification.Container (Image, ArtifactUrl): a container of its own,
  whose model data comes from no model (so from no model package);
- Specification.BaseInferenceComponentName: an adapter on a base component of the same
  endpoint, whose adapter artefact (Container.ArtifactUrl) comes from no model package.
(SageMaker API InferenceComponentSpecification / DescribeInferenceComponent.)

Shadow variants (CreateEndpointConfig ShadowProductionVariants, the shadow tests of
CreateInferenceExperiment) are walked like production ones, and what they serve is marked
`shadow`. They are held to the same bar: a shadow model runs in the production account,
on a copy of every production request (customer data), with the endpoint's role and
network, and is the candidate about to be promoted; a compliance scanner that passed an
endpoint whose shadow runs an unapproved or unsigned model would certify exactly the
deployment the registry gate exists to stop. (Prowler and Cloud Custodian judge a
resource on everything it runs, not on the part that answers callers.)

Every link that cannot be followed is a `Gap`, named and explained, never "nothing":
a read that failed or a type not collected (the call and its error), a value a template
knows only once deployed (the IaC marker, `_UNKNOWN`), a component whose specification
names neither a model nor a container (the per-instance-type `Specifications` list is
not read), a resource in the inventory whose own describe failed (a saved or merged
inventory keeps it with the failed facet: its document is not what AWS holds), a
configuration without production variants (the API requires one), a container or a
package relation of the wrong type. A reference simply absent from reads that all completed is `dangling`: the
lineage reports it as "could not determine", the artefact sizes as not in the inventory.
Component reads are per region, not per endpoint: a component listing or describe that
failed hides what any endpoint with a variant without a model serves there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from .model import Resource

if TYPE_CHECKING:
    from .inventory import Inventory

ENDPOINT_TYPE = "AWS::SageMaker::Endpoint"
CONFIG_TYPE = "AWS::SageMaker::EndpointConfig"
MODEL_TYPE = "AWS::SageMaker::Model"
PACKAGE_TYPE = "AWS::SageMaker::ModelPackage"
COMPONENT_TYPE = "AWS::SageMaker::InferenceComponent"
_UNKNOWN = "mlwarden:unknown"   # scanner/iac/unknown.py: MARKER (the Lambda package has no iac)
NOT_READ = ", which this scan did not read"
_FAILED_READ = re.compile(r"(\S+) failed with (\S+)")

# (account, region, type) → why resources of that type there may be missing from the
# inventory: "<type> (listing): <call> failed with <code>", "<type> <id>: …",
# "<type>: not collected in this scan" (scanner/derived.py: _gap_inputs).
UnreadFn = Callable[[str, str, str], list[str]]


@dataclass(frozen=True)
class Gap:
    """A link the walk could not follow: "<type> <ref>: <why>", and the call whose failure
    explains it (empty when nothing failed: a value unknown before deployment)."""
    text: str
    operation: str = ""
    error_code: str = ""


@dataclass
class Served:
    """One thing a variant serves: a model (its own, or an inference component's), or an
    inference component's own container. `slot`: the variant, or `<variant>/<component>`.
    `shadow`: on a shadow variant (ShadowProductionVariants), which receives a copy of
    the production traffic."""
    slot: str
    variant: dict
    shadow: bool = False
    model_name: str | None = None
    model: Resource | None = None        # None with a model_name: a gap or a dangling reference
    component: Resource | None = None
    # Model data a component loads that no model names (its own container, or an adapter's
    # artefact): from no model package.
    own_artefact: str = ""
    base: str = ""                       # an adapter component's base component

    @property
    def variant_name(self) -> str:
        return str(self.variant.get("VariantName"))


@dataclass
class Walk:
    served: list[Served] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    dangling: list[Gap] = field(default_factory=list)


def unknown_reason(value) -> str:
    """Why a reference that is not a name cannot be followed (the IaC marker's reason)."""
    if isinstance(value, dict) and _UNKNOWN in value:
        return f"value unknown before deployment ({value[_UNKNOWN]})"
    return f"not a name ({type(value).__name__})"


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
        return f"in account {account}{NOT_READ}"
    if inv.regions and region and region not in inv.regions:
        return f"in region {region} of account {account}{NOT_READ}"
    return None


def _not_collected(text: str, type_: str) -> bool:
    """The reason "the type was not collected" (scanner/derived.py: _gap_inputs), told from a
    failed read of a resource whose name happens to say "not collected"."""
    return text == f"{type_}: not collected in this scan"


def _gap(text: str) -> Gap:
    m = _FAILED_READ.search(text)
    return Gap(text, m.group(1), m.group(2)) if m else Gap(text)


def unread_document(r: Resource) -> Gap | None:
    """A resource in the inventory whose own describe failed (a saved or merged inventory
    keeps it with the failed facet): its properties and relations are what the listing
    gave, or nothing, so no link can be followed through it (an empty variant list or
    package list there is not "none")."""
    status = r.facet("describe")
    if status.read:
        return None
    return Gap(f"{r.type} {r.id}: {status.reason}", status.operation, status.error_code)


def unknown_package(model: Resource) -> bool:
    """Whether a model (from a template) names its package by a value unknown before deployment."""
    containers = [model.properties.get("PrimaryContainer"), *_as_list(model.properties.get("Containers"))]
    return any(isinstance(c, dict) and isinstance(c.get("ModelPackageName"), dict)
               and _UNKNOWN in c["ModelPackageName"] for c in containers)


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def package_refs(model: Resource) -> tuple[list[str], list[Gap]]:
    """The package ARNs a model names (relations.model_packages), and why one cannot be
    followed: the relation is not a list, or an entry is not a name (a malformed or
    hand-edited inventory). Absent or empty: the model names no package."""
    # The relation is derived from the containers: a container list or container that is
    # not one (a template's Fn::If, a malformed document) hides which packages it names.
    gaps = []
    primary, containers = model.properties.get("PrimaryContainer"), model.properties.get("Containers")
    if primary is not None and (not isinstance(primary, dict) or _UNKNOWN in primary):
        gaps.append(Gap(f"{MODEL_TYPE} {model.id} PrimaryContainer: {unknown_reason(primary)}"))
    if containers is not None and not isinstance(containers, list):
        gaps.append(Gap(f"{MODEL_TYPE} {model.id} Containers: {unknown_reason(containers)}"))
    gaps += [Gap(f"{MODEL_TYPE} {model.id} Containers: {unknown_reason(c)}") for c in _as_list(containers)
             if not isinstance(c, dict) or _UNKNOWN in c]
    refs = model.relations.get("model_packages")
    if refs is None:
        return [], gaps
    if not isinstance(refs, list):
        return [], gaps + [Gap(f"{MODEL_TYPE} {model.id} relations.model_packages: {unknown_reason(refs)}")]
    good = [r for r in refs if isinstance(r, str)]
    return good, gaps + [Gap(f"{MODEL_TYPE} {model.id} relations.model_packages: {unknown_reason(r)}")
                         for r in refs if not isinstance(r, str)]


class EndpointWalker:
    """The inventory indexed once for walking every endpoint."""

    def __init__(self, inv: "Inventory", unread: UnreadFn):
        self.inv, self._unread = inv, unread
        self.by_name: dict[tuple, Resource] = {}
        self.packages_by_arn: dict[str, Resource] = {}
        # Components by the endpoint they name; those whose endpoint or variant a template
        # leaves unknown, by account and region (they may be on any endpoint there).
        self.components: dict[tuple[str, str, str], list[Resource]] = {}
        self.unplaced: dict[tuple[str, str], list[Resource]] = {}
        for r in inv.resources:
            if r.type in (CONFIG_TYPE, MODEL_TYPE, PACKAGE_TYPE):
                self.by_name[(r.type, r.account, r.region, r.id)] = r
                if r.arn:
                    self.by_name[(r.type, r.account, r.region, r.arn)] = r
            if r.type == PACKAGE_TYPE and r.arn:
                self.packages_by_arn.setdefault(r.arn, r)
            if r.type == COMPONENT_TYPE:
                ep_name, variant = r.properties.get("EndpointName"), r.properties.get("VariantName")
                if isinstance(ep_name, str) and (variant is None or isinstance(variant, str)):
                    self.components.setdefault((r.account, r.region, ep_name), []).append(r)
                else:
                    self.unplaced.setdefault((r.account, r.region), []).append(r)

    # --- what explains a missing link -------------------------------------------------
    def unread(self, type_: str, ref: str, account: str, region: str) -> list[Gap]:
        """The failed (or not made) reads that may explain why `ref` of `type_` is not in
        the inventory: its type's listing, its own describe, the type not collected, the
        account not entered. `ref` "": any resource of the type (components)."""
        out = []
        own = f"{type_} {ref}: "
        for w in self._unread(account, region, type_):
            # A describe of `ref` itself: "<type> <ref>: <call> failed with <code>", matched
            # whole (a name may hold ": ", so "a" must not take the failure of "a: b").
            describe = w.startswith(own) and _FAILED_READ.fullmatch(w[len(own):])
            if not ref or w.startswith(f"{type_} (listing)") or describe or _not_collected(w, type_):
                out.append(_gap(own + w.rsplit(": ", 1)[-1] if ref else w))
        return out

    def _absent(self, walk: Walk, type_: str, ref: str, account: str, region: str, describe: str) -> None:
        gaps = self.unread(type_, ref, account, region)
        if gaps:
            walk.gaps.extend(gaps)
        else:
            walk.dangling.append(Gap(f"{type_} {ref}: not in the inventory", describe, "NotInInventory"))

    def package(self, ref: str, account: str, region: str) -> tuple[Resource | None, list[Gap]]:
        """A model's package by ARN, in its own account or any the scan read; else why not:
        the account (or region) it lies in was not read (NOT_READ), a read failed, or no
        reason at all (a dangling reference: the list is empty)."""
        pkg = self.by_name.get((PACKAGE_TYPE, account, region, ref)) or self.packages_by_arn.get(ref)
        if pkg is not None:
            unread_pkg = unread_document(pkg)
            return (None, [unread_pkg]) if unread_pkg else (pkg, [])
        gaps = []
        elsewhere = unscanned(ref, self.inv)
        if elsewhere:
            gaps.append(Gap(f"{PACKAGE_TYPE} {ref}: {elsewhere}", "sagemaker:DescribeModelPackage",
                            "AccountNotScanned"))
        # Also what this scan knows of that place (packages not collected at all).
        gaps.extend(self.unread(PACKAGE_TYPE, ref, *(arn_scope(ref) or (account, region))))
        return None, gaps

    # --- the walk ---------------------------------------------------------------------
    def walk(self, ep: Resource) -> Walk:
        key = (ep.account, ep.region)
        walk = Walk()
        cfg_name = ep.properties.get("EndpointConfigName")
        if not isinstance(cfg_name, str):
            # A template's value only deployment knows (an Fn::ImportValue), or a malformed document.
            walk.gaps.append(Gap(f"{CONFIG_TYPE} EndpointConfigName: {unknown_reason(cfg_name)}"))
            return walk
        cfg = self._read(walk, CONFIG_TYPE, cfg_name, key, "sagemaker:DescribeEndpointConfig")
        if cfg is None:
            return walk
        component_variants: list[tuple[dict, bool]] = []
        for member, shadow in (("ProductionVariants", False), ("ShadowProductionVariants", True)):
            # Shadows absent (None) or empty: none. Every value a template or a describe gives
            # is followed alike, so a shadow that cannot be is a gap too. A configuration
            # without production variants is not one the API returns (CreateEndpointConfig
            # requires at least one): what it serves was not read, not "nothing".
            variants = cfg.properties.get(member)
            if not shadow and variants in (None, []):
                walk.gaps.append(Gap(f"{CONFIG_TYPE} {cfg_name} {member}: none in the document read (an endpoint "
                                     "configuration has at least one)", "sagemaker:DescribeEndpointConfig",
                                     "NotRead"))
                continue
            variants = [] if variants is None else variants
            if not isinstance(variants, list):
                walk.gaps.append(Gap(f"{CONFIG_TYPE} {cfg_name} {member}: {unknown_reason(variants)}"))
                continue
            for variant in variants:
                if not isinstance(variant, dict) or _UNKNOWN in variant:
                    walk.gaps.append(Gap(f"{CONFIG_TYPE} {cfg_name} {member}: {unknown_reason(variant)}"))
                    continue
                model_name = variant.get("ModelName")
                if model_name is None:
                    component_variants.append((variant, shadow))   # serves inference components
                    continue
                slot = str(variant.get("VariantName"))
                if not isinstance(model_name, str):
                    of = f" (shadow variant {slot})" if shadow else ""
                    walk.gaps.append(Gap(f"{MODEL_TYPE} ModelName of {cfg_name}{of}: {unknown_reason(model_name)}"))
                    continue
                walk.served.append(Served(slot=slot, variant=variant, shadow=shadow, model_name=model_name,
                                          model=self._model(walk, model_name, key)))
        if component_variants:
            self._components(ep, cfg_name, component_variants, walk)
        return walk

    def _read(self, walk: Walk, rtype: str, name: str, key: tuple[str, str], call: str) -> Resource | None:
        """The configuration or model `name`, when the walk can rest on it; otherwise its gap
        (absent, or its describe failed) is recorded and None returned."""
        found = self.by_name.get((rtype, *key, name))
        if found is None:
            self._absent(walk, rtype, name, *key, call)
            return None
        unread = unread_document(found)
        if unread:
            walk.gaps.append(unread)
            return None
        return found

    def _model(self, walk: Walk, name: str, key: tuple[str, str]) -> Resource | None:
        return self._read(walk, MODEL_TYPE, name, key, "sagemaker:DescribeModel")

    def _components(self, ep: Resource, cfg_name: str, variants: list[tuple[dict, bool]], walk: Walk) -> None:
        key = (ep.account, ep.region)
        # A component names its endpoint by name; a template's by the endpoint's logical id
        # (its synthetic ARN) or the EndpointName it gives.
        refs = {ep.id, ep.arn, ep.properties.get("EndpointName")} - {None, ""}
        found = {c.key: c for ref in refs if isinstance(ref, str)
                 for c in self.components.get((*key, ref), [])}
        # Any component of the region whose read failed may be this endpoint's. The type not
        # collected (a live scan of other types; a template or a targeted read, which list
        # nothing) explains only a variant for which none was found: the components a
        # template attaches to its endpoint are what it deploys.
        unread = self.unread(COMPONENT_TYPE, "", *key)
        walk.gaps.extend(g for g in unread if not _not_collected(g.text, COMPONENT_TYPE))
        not_collected = [g for g in unread if _not_collected(g.text, COMPONENT_TYPE)]
        for c in self.unplaced.get(key, []):
            ep_name, on = c.properties.get("EndpointName"), c.properties.get("VariantName")
            unread_component = unread_document(c)
            if unread_component:
                walk.gaps.append(unread_component)   # where it is attached was not read
            elif not isinstance(ep_name, str):
                walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} EndpointName: {unknown_reason(ep_name)}"))
            elif on is not None and not isinstance(on, str) and ep_name in refs:
                walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} VariantName: {unknown_reason(on)}"))
        names = [v.get("VariantName") for v, _ in variants]
        by_variant: dict[str, list[Resource]] = {str(n): [] for n in names}
        for c in sorted(found.values(), key=lambda r: r.id):
            on = c.properties.get("VariantName")
            if on is None and len(names) == 1:
                on = names[0]   # no variant named: the endpoint's only one that can host it
            if on not in names:
                walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id}: on variant {on} of endpoint {ep.id}, which is not "
                                     f"a variant without a model of {CONFIG_TYPE} {cfg_name}"))
                continue
            by_variant[str(on)].append(c)
        by_id = {c.id: c for c in found.values()}
        for variant, shadow in variants:
            name = str(variant.get("VariantName"))
            if not by_variant[name] and not walk.gaps:
                # None read: a type not collected, a template whose components are in another
                # stack, or a variant that serves nothing yet. What it serves is unknown.
                walk.gaps.extend(not_collected or [Gap(
                    f"{CONFIG_TYPE} {cfg_name} variant {name}: has no model of its own and no "
                    f"{COMPONENT_TYPE} of it is in the inventory",
                    "sagemaker:ListInferenceComponents", "NotInInventory")])
            for c in by_variant[name]:
                self._component(c, variant, shadow, f"{name}/{c.id}", by_id, walk)

    def _component(self, c: Resource, variant: dict, shadow: bool, slot: str, by_id: dict[str, Resource],
                   walk: Walk) -> None:
        key = (c.account, c.region)
        unread_component = unread_document(c)
        if unread_component:
            walk.gaps.append(unread_component)
            return
        spec = c.properties.get("Specification")
        if not isinstance(spec, dict) or _UNKNOWN in spec:
            walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} Specification: {unknown_reason(spec)}"))
            return
        container = spec.get("Container")
        if container is None:
            container = {}
        elif not isinstance(container, dict) or _UNKNOWN in container:
            # Whether it loads model data of its own (ArtifactUrl) cannot be told.
            walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} Specification.Container: {unknown_reason(container)}"))
            return
        artefact = container.get("ArtifactUrl")
        if artefact is not None and not isinstance(artefact, str):
            walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} Specification.Container.ArtifactUrl: "
                                 f"{unknown_reason(artefact)}"))
            return
        model_name, base = spec.get("ModelName"), spec.get("BaseInferenceComponentName")
        if model_name is not None:
            if not isinstance(model_name, str):
                walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} Specification.ModelName: "
                                     f"{unknown_reason(model_name)}"))
                return
            walk.served.append(Served(slot=slot, variant=variant, shadow=shadow, model_name=model_name, component=c,
                                      model=self._model(walk, model_name, key), own_artefact=artefact or ""))
            return
        if base is not None:
            # An adapter: the base component (walked on its own) serves the model; the
            # adapter's artefact is its own.
            if not isinstance(base, str) or base not in by_id:
                why = (unknown_reason(base) if not isinstance(base, str)
                       else "not attached to this endpoint in the inventory")
                walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id} BaseInferenceComponentName {base}: {why}",
                                     "sagemaker:DescribeInferenceComponent", "NotInInventory"))
                return
            walk.served.append(Served(slot=slot, variant=variant, shadow=shadow, component=c, base=base,
                                      own_artefact=artefact or f"adapter on {base}"))
            return
        if container:
            # Its own container: the artefact it downloads, or (none) the image that holds the
            # model. A template gives Image; DescribeInferenceComponent answers DeployedImage.
            deployed = container.get("DeployedImage")
            image = container.get("Image") or (deployed.get("SpecifiedImage") if isinstance(deployed, dict) else None)
            walk.served.append(Served(slot=slot, variant=variant, shadow=shadow, component=c,
                                      own_artefact=artefact or str(image or "its container")))
            return
        walk.gaps.append(Gap(f"{COMPONENT_TYPE} {c.id}: its Specification names neither a model nor a container "
                             "(a per-instance-type Specifications list is not read by this scan)",
                             "sagemaker:DescribeInferenceComponent", "NotRead"))
