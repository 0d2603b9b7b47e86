"""Everything computed from collected resources: one ordered list, run from one place.

Sources differ in what they read, never in what is derived from it. The scan pipeline
(scanner/pipeline.py) calls `derive` with the scope each source gives (a live account
scan, a targeted, event-driven read, templates and plans); merging the parts of a scan
(accounts of an organisation, regions of a fanned-out audit) calls `merge_parts`, which keeps one copy of each global resource and re-runs the
derivations that link resources across parts. Before this list, each of the five
entry points ran its own subset, and two of them left a derived facet unset, which a
policy then took as read (a bucket another region's job writes to judged as outside
the ML estate).

A derivation names the sources it applies to and why, the derived facets it fills, and
what it re-runs after a merge. Add one here and every entry point runs it. A resource
of a type that has a derived facet but lacks it was not derived, which is not read: the
policies that declare it are NOT_ASSESSED there (scanner/evaluate.py: facet_blocks),
unless the derivation says, in `not_derived`, that it does not apply to resources of
that source and why (a template's VPCs, a template's provenance). `collected` is what the source read:
the types of a live collection (None: every type, as for an inventory that holds
whatever there is), or the empty set for a targeted read, which lists nothing, so
"none exists" is never concluded from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from . import catalog_templates, derived, drift_links, ml_estate, monitoring_links, provenance
from .collectors.base import registry
from .model import Resource

if TYPE_CHECKING:
    from .inventory import Inventory

LIVE = "live"            # a full collection of one account (all or some types)
TARGETED = "targeted"    # the resources an event names, and what they reference
IAC = "iac"              # templates, plans and pipeline definitions
SOURCES = (LIVE, TARGETED, IAC)


@dataclass(frozen=True, kw_only=True)
class DeriveScope:
    source: str
    # Types read; None: every type (a template: whatever the inventory holds); empty for
    # a targeted read, which lists nothing.
    collected: frozenset[str] | None
    account: str = ""                     # LIVE: the account collected
    regions: tuple[str, ...] = ()         # LIVE: the regions collected


@dataclass(frozen=True, kw_only=True)
class Derivation:
    name: str
    sources: tuple[str, ...]
    run: Callable[["Inventory", DeriveScope], Iterable[Resource] | None]
    # Re-run after parts are merged (`collected` of the whole scan); None: part-local.
    after_merge: Callable[["Inventory", frozenset[str] | None], None] | None = None
    why: str
    # The derived facets it fills (scanner/facet_catalogue.py lists each type's).
    facets: tuple[str, ...] = ()
    # Sources it does not run for whose resources policies judge without its facets
    # (source → why; the policies' `applies` must then not need them). Any other source
    # whose resources lack a facet above makes the policies reading it NOT_ASSESSED.
    not_derived: dict[str, str] = field(default_factory=dict)


def _set_or_none(scope: DeriveScope) -> set[str] | None:
    return None if scope.collected is None else set(scope.collected)


def _vpcs(inv, scope):
    derived.annotate_vpcs(inv, set(scope.collected) if scope.collected is not None else set(registry()))


def _endpoints(inv, scope):
    # Only a live collection lists schedules: elsewhere "no schedule watches it" is unknown.
    derived.annotate_endpoints(inv, _set_or_none(scope) if scope.source == LIVE else set())


def _job_definitions(inv, scope):
    # A targeted read follows a schedule to the definition it names: what it did not read
    # is said per reference (read failed, not collected), so "every type" is right here.
    monitoring_links.resolve_job_definitions(inv, None if scope.source != LIVE else _set_or_none(scope))


def _drift_response(inv, scope):
    # Alarms and rules are listed only by a live collection (a template rarely holds them).
    drift_links.annotate_drift_response(inv, _set_or_none(scope) if scope.source == LIVE else set())


def _ml_estate(inv, scope):
    ml_estate.mark_ml_estate(inv, _set_or_none(scope))


def _provenance(inv, scope):
    # Provisioned products are listed only by a live collection: elsewhere "by hand" is unknown.
    provenance.annotate_provenance(inv, _set_or_none(scope) if scope.source == LIVE else set())


def _product_templates(inv, scope):
    added = catalog_templates.scan_product_templates(inv)
    if added:   # derived as `mlwarden iac` derives a template, on these resources alone
        derive(type(inv)(resources=added), DeriveScope(source=IAC, collected=None))
    return added


def _account_documents(inv, scope):
    return derived.derive_account_documents(inv, scope.account, list(scope.regions), _set_or_none(scope))


DERIVATIONS: tuple[Derivation, ...] = (
    Derivation(name="vpc_ml_usage", sources=(LIVE,), run=_vpcs, facets=("ml_usage",),
               why="whether a VPC hosts ML work, for the VPC-endpoint rules",
               not_derived={IAC: "a template's VPCs are judged as if they hosted ML work (the fact is "
                                 "left out, never 'no')"}),
    Derivation(name="endpoint_lineage", sources=SOURCES, run=_endpoints,
               facets=("lineage", "monitoring", "artifact_size"),
               after_merge=lambda inv, collected: derived.relink_endpoints(inv),
               why="what each endpoint serves (configuration, models, packages, artefact sizes) "
                   "and which schedules watch it; packages may live in another account"),
    Derivation(name="package_ages", sources=SOURCES, run=lambda inv, scope: derived.annotate_package_ages(inv),
               why="model package ages, computed here because Rego's time functions differ between engines"),
    Derivation(name="monitoring_job_definitions", sources=SOURCES, run=_job_definitions, facets=("job_definition",),
               after_merge=lambda inv, collected: monitoring_links.resolve_job_definitions(
                   inv, None if collected is None else set(collected), only_not_scanned=True),
               why="the job definition a monitoring schedule runs; it may be named by ARN in another account"),
    Derivation(name="drift_response", sources=SOURCES, run=_drift_response,
               facets=("drift_response", "drift_constraints"),
               after_merge=lambda inv, collected: drift_links.annotate_drift_response(
                   inv, None if collected is None else set(collected)),
               why="what a production endpoint's drift monitors trigger (alarms, rules and their "
                   "targets); after the job definitions, which name the baselines"),
    Derivation(name="ml_estate", sources=SOURCES, run=_ml_estate, facets=("ml_estate",),
               after_merge=lambda inv, collected: ml_estate.mark_ml_estate(
                   inv, None if collected is None else set(collected)),
               why="the buckets, keys and roles ML resources use; the user may be in another account "
                   "or region's part"),
    Derivation(name="account_documents", sources=(LIVE,), run=_account_documents,
               facets=("registry_usage", "endpoint_usage", "usage", "quotas"),
               why="per-region usage against Service Quotas, counted over the account's collection"),
    Derivation(name="provenance", sources=(LIVE, TARGETED), run=_provenance, facets=("provenance",),
               not_derived={IAC: "how a template will be launched is not in it: the provenance policies "
                                 "judge deployed resources only"},
               after_merge=lambda inv, collected: provenance.annotate_provenance(
                   inv, None if collected is None else set(collected)),
               why="which Service Catalog product (and version) created an endpoint or notebook, or "
                   "that none did; the product may live in the portfolio account"),
    Derivation(name="product_templates", sources=(LIVE,), run=_product_templates,
               why="the templates of Service Catalog products, judged like any template; last, so "
                   "their resources are counted and linked by none of the above"),
)


# Where a resource document came from (`Resource.source.kind`) → the source it was derived as.
IAC_KINDS = frozenset({"cloudformation", "terraform", "pipeline"})


def not_derived_by_design(facet: str, source_kind: str) -> str:
    """Why the derivation filling `facet` does not apply to resources whose source is
    `source_kind` ("" when it does: a resource without the facet was not derived)."""
    source = IAC if source_kind in IAC_KINDS else None
    for d in DERIVATIONS:
        if facet in d.facets and source in d.not_derived:
            return d.not_derived[source]
    return ""


def derive(inv: "Inventory", scope: DeriveScope) -> None:
    """Run every derivation that applies to `scope.source`, in order, on `inv`."""
    if scope.source not in SOURCES:
        raise ValueError(f"unknown source {scope.source!r}")
    for d in DERIVATIONS:
        if scope.source in d.sources:
            added = d.run(inv, scope)
            if added:
                inv.resources.extend(added)


def merge_parts(parts: Iterable["Inventory"], merged: "Inventory",
                collected: Iterable[str] | None = None, *, rederive: bool = True) -> "Inventory":
    """Merge the parts of one scan into `merged` and derive what crosses parts.

    A global resource (an IAM role, an S3 bucket) read by several parts is kept once,
    the first copy whose facets were all read (else the first): its findings must not
    be doubled. Coverage gaps are all kept, deduplicated: a read that failed in one part
    failed. `rederive=False`: parts that derived nothing (an audit split by type), which
    the caller derives whole."""
    seen: dict[str, int] = {r.key: i for i, r in enumerate(merged.resources)}
    gap_keys: set[tuple] = {(g.resource_type, g.account, g.region, g.operation, g.resource_id)
                            for g in merged.gaps}
    for part in parts:
        resources, gaps = part.resources, part.gaps
        part.resources, part.gaps = [], []
        merged.extend(part)              # accounts, regions, redaction note
        for r in resources:
            at = seen.get(r.key)
            if at is None:
                seen[r.key] = len(merged.resources)
                merged.resources.append(r)
            elif not _all_read(merged.resources[at]) and _all_read(r):
                merged.resources[at] = r
        for g in gaps:
            k = (g.resource_type, g.account, g.region, g.operation, g.resource_id)
            if k not in gap_keys:
                gap_keys.add(k)
                merged.gaps.append(g)
    if not rederive:
        return merged
    whole = None if collected is None else frozenset(collected)
    for d in DERIVATIONS:
        if d.after_merge is not None:
            d.after_merge(merged, whole)
    return merged


def _all_read(r: Resource) -> bool:
    return all(status.read for status in r.facets.values())
