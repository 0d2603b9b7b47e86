"""Judgement: inventory + policies + settings → findings.

Relations are resolved here (a notebook's policy sees its role, key, subnet and
security groups as `input.related`), each resource is judged by exactly the
policies that declare its type, and coverage gaps become NOT_ASSESSED findings so
a report never looks cleaner than what was seen.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import getpass
from typing import Any

from . import __version__
from .engine.base import Engine, EvalRequest, Verdict
from .derivations import not_derived_by_design
from .facet_catalogue import derived_facet_names
from .findings import FINDINGS_SCHEMA_VERSION, FindingsDocument  # noqa: F401 - re-exported: the document's old home
from .inventory import Inventory, now
from .model import CoverageGap, FacetStatus, Finding, Resource, ResourceRef, Status
from .policy.controls import for_resource as controls_for
from .policy.catalogue import frameworks_used, policies_used
from .policy.library import Policy, PolicySet
from .relations import RelationIndex
from .type_registry import SERVICE_USAGE
from . import json_values
from . import waivers as waivers_mod


# Resources judged per engine call (`evaluate`). Large enough that the engine batches
# and spreads them over its workers as before (wasm_engine.BATCH_SIZE, PARALLEL_THRESHOLD),
# small enough that the input documents of one slice are a fraction of an account's.
EVAL_SLICE = 512


def build_input(r: Resource, index: RelationIndex, account_docs: dict, *,
                related_docs: dict[int, dict] | None = None) -> dict:
    """The input document of `r`. `related_docs` (by id() of the resource) shares one
    document per related resource across the inputs that relate to it: a role's
    document is built once, not once per notebook, and an engine may encode it once."""
    related: dict[str, list[dict]] = {}
    missing: dict[str, list[str]] = {}
    for name, refs in r.relations.items():
        for ref in refs or []:
            hit = index.get(ref, r.account, r.region)
            if hit is not None:
                if related_docs is None:
                    rdoc = _related_doc(hit)
                else:
                    rdoc = related_docs.get(id(hit))
                    if rdoc is None:
                        rdoc = related_docs[id(hit)] = _related_doc(hit)
                related.setdefault(name, []).append(rdoc)
            else:
                missing.setdefault(name, []).append(ref)
    doc = _doc(r)
    return {
        "resource": doc,
        "related": related,
        "related_missing": missing,
        "account": account_docs.get((r.account, r.region)) or {"id": r.account, "region": r.region},
    }


# Facts too large to send along with every resource that relates to their owner
# (a role's managed policy documents travel with every notebook, job and model);
# the owner itself still carries them, and its own policies judge them.
HEAVY_FACTS = frozenset({"managed_policy_documents"})


def _related_doc(r: Resource) -> dict:
    d = _doc(r)
    if HEAVY_FACTS & d["facts"].keys():
        d["facts"] = {k: v for k, v in d["facts"].items() if k not in HEAVY_FACTS}
    return d


def _doc(r: Resource) -> dict:
    d = r.to_dict()
    d.pop("relations", None)
    # Read status is the evaluator's business (facet_blocks), not the policies'.
    d.pop("facets", None)
    return d


NOT_DERIVED = "NotDerived"   # the error code of a derived facet no derivation produced


def facet_blocks(p: Policy, r: Resource) -> tuple[str, FacetStatus] | None:
    """The first facet `p` reads that was not (completely) read on `r`, if any.

    A policy that declares no facets reads all of them: any missing one blocks it. A
    derived facet the policy declares that `r` lacks blocks too: no derivation produced
    it for this source, so the policy would judge values nobody computed. (A derivation
    that does not apply to a source says so: `not_derived` in scanner/derivations.py.)
    """
    wanted = p.metadata.facets
    for name, status in r.facets.items():
        if not status.read and (wanted is None or name in wanted):
            return name, status
    derived = derived_facet_names(r.type)
    for name in sorted(derived.intersection(wanted)) if derived and wanted is not None else ():
        if name not in r.facets and not not_derived_by_design(name, r.source.kind):
            return name, FacetStatus.failed("", NOT_DERIVED, f"not derived for this source ({r.source.kind})")
    return None


@contextlib.contextmanager
def _no_cyclic_gc():
    """Judging allocates millions of small, acyclic objects (input documents, verdicts,
    findings) while the inventory stays alive: every automatic collection walks them
    again, which cost 40% of an evaluation of 10,000 resources. Collections are made
    rarer here, not switched off: a run that traps often (adversarial inputs, each
    failure's traceback holding a batch's JSON text in a cycle) must still free its
    cycles, or memory grows without bound (switching GC off reached 24 GB in a test)."""
    saved = gc.get_threshold()
    gc.set_threshold(max(saved[0], 50_000), max(saved[1], 50), max(saved[2], 50))
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def evaluate(inv: Inventory, policy_set: PolicySet, engine: Engine, settings: dict, *,
             waivers: list | None = None, today: dt.date | None = None,
             scan_meta: dict[str, Any] | None = None) -> FindingsDocument:
    with _no_cyclic_gc():
        return _evaluate(inv, policy_set, engine, settings, waivers=waivers, today=today,
                         scan_meta=scan_meta)


def _evaluate(inv: Inventory, policy_set: PolicySet, engine: Engine, settings: dict, *,
              waivers: list | None, today: dt.date | None,
              scan_meta: dict[str, Any] | None) -> FindingsDocument:
    started = now()
    today = today or dt.date.today()
    if not inv.redaction:
        # An inventory assembled by a path that did not redact (a library caller, a
        # targeted re-scan): nothing unredacted is judged or reported.
        from .redaction import redact_resources
        inv.redaction = redact_resources(inv.resources)
    index = RelationIndex(inv.resources)
    account_docs = {
        (r.account, r.region): {"id": r.account, "region": r.region, **r.facts,
                                "quotas": r.properties.get("Quotas", {})}
        for r in inv.resources if r.type == SERVICE_USAGE.type}
    by_key: dict[str, Resource] = {}
    unread: list[Finding] = []
    findings: list[Finding] = []
    for_type: dict[str, list[Policy]] = {}
    meta = policy_set.by_id()
    engine.load_settings(settings)   # once, as data: not part of any input
    # The inventory is judged a slice at a time: the input documents (a copy of each
    # resource and of what relates to it) and the verdicts exist for one slice, not the
    # whole estate, beside the findings. Relations still reach across the estate (the
    # index and the account documents are the whole inventory's); verdicts do not change.
    for start in range(0, len(inv.resources), EVAL_SLICE):
        requests: list[EvalRequest] = []
        related_docs: dict[int, dict] = {}   # the inventory's resources outlive it: ids are stable
        for r in inv.resources[start:start + EVAL_SLICE]:
            policies = []
            typed = for_type.get(r.type)
            if typed is None:
                typed = for_type[r.type] = policy_set.for_type(r.type)
            # A policy whose facet was not read is not sent to the engine for this resource:
            # it is NOT_ASSESSED, naming the failed call; the others still judge the resource.
            for p in typed:
                blocked = facet_blocks(p, r)
                if blocked is None:
                    policies.append(p)
                else:
                    unread.append(_facet_not_assessed(p, r, *blocked))
            if not policies:
                continue
            key = _unique_key(r, by_key)
            by_key[key] = r
            requests.append(EvalRequest(key=key, input=build_input(r, index, account_docs,
                                                                 related_docs=related_docs),
                                        policy_ids=tuple(p.id for p in policies)))
        if requests:
            verdicts = engine.evaluate(requests)
            del requests, related_docs
            findings.extend(_finding(v, meta[v.policy_id], by_key[v.key]) for v in verdicts if v.applicable)
            del verdicts
    findings.extend(unread)
    findings.extend(_not_assessed(inv.gaps, policy_set))
    waiver_report = waivers_mod.apply(findings, waivers or [], today)
    # Service Catalog product templates: a verdict on a value unknown before launch is
    # NOT_ASSESSED, as `mlwarden iac` makes it (scanner/catalog_templates.py).
    from .catalog_templates import mark_template_unknowns
    mark_template_unknowns(findings, inv.resources, policy_set)
    findings.sort(key=lambda f: (-f.severity.rank, f.policy_id, f.resource.get("arn") or f.resource.get("id")))
    scan = {
        "started": inv.started or started, "finished": now(),
        "inventory_started": inv.started, "inventory_finished": inv.finished,
        "tool": "mlwarden", "tool_version": __version__, "engine": engine.name,
        "accounts": inv.accounts, "regions": inv.regions,
        "policy_count": len(policy_set.policies), "resource_count": len(inv.resources),
        "run_by": _who(),
        "redaction": inv.redaction,
        **(scan_meta or {}),
    }
    return FindingsDocument(scan=scan, findings=findings, coverage=list(inv.gaps),
                            waivers=waiver_report, policies=policies_used(findings, meta),
                            frameworks=frameworks_used(findings))


def _unique_key(r: Resource, seen: dict) -> str:
    key = r.key
    n = 1
    while key in seen:
        n += 1
        key = f"{r.key}#{n}"
    return key


def _finding(v: Verdict, p: Policy, r: Resource) -> Finding:
    m = p.metadata
    if v.error:
        status, message = Status.ERROR, f"policy could not be evaluated: {v.error}"
    elif v.violations:
        status, message = Status.FAIL, "; ".join(sorted({x["msg"] for x in v.violations}))
    else:
        status, message = Status.PASS, f"{m.title}: compliant"
    evidence = {path: _lookup(r, path) for path in m.evidence}
    violations: list[dict] = []
    resource = r.ref()
    if v.violations and not v.error:
        details = [x["details"] for x in v.violations if "details" in x]
        if details:
            evidence["violations"] = details
        violations = _violations(v.violations)
        # In a template, the finding points at the line of the attribute its (first)
        # violation names, or of the closest parent there is; else at the resource.
        line = next((ln for x in violations if (ln := r.source.line_for(x.get("path"))) is not None), None)
        if line is not None:
            resource["source"] = {**resource["source"], "line": line}
    return Finding(
        policy_id=m.id, title=m.title, severity=m.severity, category=m.category, status=status,
        resource=resource, message=message,
        controls=controls_for(m.controls, r.type),
        remediation=dict(m.remediation), evidence=evidence, violations=violations)


def _violations(raw: list[dict]) -> list[dict]:
    """The verdict's violations as a finding reports them: message and path, once each,
    in a stable order (a rule's set has no order of its own)."""
    seen: dict[tuple, dict] = {}
    for x in raw:
        path = x.get("path")
        key = (x["msg"], tuple((type(p).__name__, p) for p in path or ()))
        seen.setdefault(key, {"msg": x["msg"], **({"path": path} if path else {})})
    return [seen[k] for k in sorted(seen)]


def _lookup(r: Resource, path: str) -> Any:
    """Read `properties.VpcConfig.Subnets` style paths from a resource document."""
    node: Any = {"properties": r.properties, "facts": r.facts, "tags": r.tags, "id": r.id}
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def _facet_not_assessed(p: Policy, r: Resource, facet: str, status: FacetStatus) -> Finding:
    m = p.metadata
    return Finding(
        policy_id=m.id, title=m.title, severity=m.severity, category=m.category,
        status=Status.NOT_ASSESSED, resource=r.ref(),
        message=f"not assessed: facet '{facet}' was not read: {status.reason}",
        controls=controls_for(m.controls, r.type), remediation=dict(m.remediation),
        evidence={"facet": {"name": facet, **status.to_dict()}})


def _not_assessed(gaps: list[CoverageGap], policy_set: PolicySet) -> list[Finding]:
    out = []
    for g in gaps:
        # "*": a whole account could not be entered; every policy is unassessed there.
        policies = policy_set.policies if g.resource_type == "*" else policy_set.for_type(g.resource_type)
        for p in policies:
            m = p.metadata
            rid = g.resource_id or "*"
            out.append(Finding(
                policy_id=m.id, title=m.title, severity=m.severity, category=m.category,
                status=Status.NOT_ASSESSED,
                resource={**ResourceRef(type=g.resource_type, id=rid, account=g.account,
                                        region=g.region).to_dict(), "source": {"kind": "live"}},
                message=f"not assessed: {g.operation} failed with {g.error_code}: {g.message}",
                controls=controls_for(m.controls, g.resource_type),
                remediation=dict(m.remediation), evidence={"coverage_gap": g.to_dict()}))
    return out


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database entry (containers, Lambda)
        return "unknown"
