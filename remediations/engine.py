"""Plan and apply orchestration: findings → plans → (approved) apply → re-scan.

- `select` keeps the FAIL findings the user asked about (--policy, --resource);
- `make_plans` groups them per (runbook, resource) — an endpoint failing three
  policies gets one redeployment — and plans each group on a read-only AwsContext;
- `apply_plans` applies the plans on a read-write context, every mutating call
  through the audited `Executor`, and ends with `verify`: the resource's region is
  collected again and the fixed policies re-evaluated on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from botocore.exceptions import BotoCoreError, ClientError

from mlwarden.aws.session import AwsContext
from mlwarden.derived import QUOTAS_TYPE, USAGE_TYPE
from mlwarden.model import Finding, ResourceRef, Status
from mlwarden.permissions import remediation_read_actions, scan_options

from .base import (ApplyResult, AuditLog, Plan, RemediationError, Runbook, Wait, region_of, registry,
                   runbook_for)


@dataclass
class PlanOutcome:
    """A plan, or why there is none, for the findings of one resource."""
    runbook: str | None
    findings: list[Finding]
    plan: Plan | None = None
    error: str | None = None
    target: dict | None = None      # the resource acted on, when not the findings' own

    @property
    def resource(self) -> dict:
        return self.target or self.findings[0].resource

    def to_dict(self) -> dict:
        d = {"runbook": self.runbook, "resource": self.resource,
             "policy_ids": sorted({f.policy_id for f in self.findings})}
        if self.plan is not None:
            d["plan"] = self.plan.to_dict()
        if self.error:
            d["error"] = self.error
        return d


def select(findings: Iterable[Finding], *, policies: Sequence[str] = (),
           resources: Sequence[str] = ()) -> list[Finding]:
    out = []
    for f in findings:
        if f.status != Status.FAIL:
            continue
        if policies and f.policy_id not in policies:
            continue
        if resources and not ({f.resource.get("arn"), f.resource.get("id")} & set(resources)):
            continue
        out.append(f)
    return out


def make_plans(findings: Iterable[Finding], aws: AwsContext, settings: dict, *,
               wait: Wait = Wait()) -> list[PlanOutcome]:
    runbooks = registry()
    aws = aws.reading(*remediation_read_actions())   # the runbooks' declared reads, nothing else
    groups: dict[tuple, PlanOutcome] = {}
    for f in findings:
        rb = runbook_for(f, runbooks)
        rid = rb.id if rb else (f.remediation or {}).get("runbook")
        targets = [f.resource]
        if rb is not None and f.resource.get("type") not in rb.resource_types and rb.retarget:
            try:
                targets = rb.retarget(f, aws)
            except (RemediationError, ClientError, BotoCoreError) as exc:
                groups[(rid, id(f))] = PlanOutcome(runbook=rid, findings=[f],
                                                   error=f"cannot find what to fix: {str(exc).splitlines()[0]}")
                continue
            if not targets:
                groups[(rid, id(f))] = PlanOutcome(runbook=rid, findings=[f],
                                                   error=f"runbook {rid}: nothing to act on for this resource")
                continue
        for ref in targets:
            key = (rid, ref.get("type"), ref.get("arn") or ref.get("id"), ref.get("region"))
            outcome = groups.setdefault(key, PlanOutcome(runbook=rid, findings=[], target=ref))
            outcome.findings.append(f)
    for outcome in groups.values():
        if outcome.error:
            continue
        rb = runbooks.get(outcome.runbook or "")
        if rb is None:
            outcome.error = (f"no runbook {outcome.runbook!r}" if outcome.runbook
                             else "no runbook fixes this policy")
            continue
        try:
            outcome.plan = rb.plan(outcome.findings, aws, settings, resource=outcome.target, wait=wait)
        except RemediationError as exc:
            outcome.error = str(exc)
        except (ClientError, BotoCoreError) as exc:
            outcome.error = f"could not read the resource: {str(exc).splitlines()[0]}"
    return list(groups.values())


@dataclass
class Verification:
    status: str            # PASS | FAIL | PENDING | NOT_VERIFIED
    message: str
    findings: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"status": self.status, "message": self.message, "findings": self.findings}


def apply_plans(plans: Sequence[Plan], aws: AwsContext, audit: AuditLog, settings: dict, *,
                scan_aws: AwsContext | None = None, flags: frozenset[str] = frozenset(),
                wait: Wait = Wait(), verify: bool = True, policy_dirs: Sequence = (),
                engine: str = "wasm", opa_url: str | None = None) -> list[ApplyResult]:
    """Apply each plan, then re-scan with the policy engine the user chose (`engine`,
    `opa_url` as for a scan). A known failure of one plan (AWS refused, a stale plan, a
    lost answer the re-read could not settle) does not stop the others; an unexpected
    exception stops the apply, the rest are `not-attempted`. Whatever happens, the last
    audit record is `apply-summary`."""
    if aws.options.read_only:
        raise ValueError("apply needs an AwsContext with read_only=False")
    runbooks = registry()
    reader = (scan_aws or AwsContext(options=_read_only(aws))).reading(*remediation_read_actions())
    results: list[ApplyResult] = []
    changed: set[str] = set()       # resources an earlier plan of this run has changed (ResourceRef keys)
    done: list[Plan] = []
    stopped: BaseException | None = None
    for plan in plans:
        rb = runbooks[plan.runbook]
        try:
            if ResourceRef.key_of(plan.resource) in changed:
                plan = _replan(plan, rb, reader, aws, audit, settings, wait)
            result = rb.apply(plan, aws, audit, settings, flags=flags, wait=wait)
        except (RemediationError, ClientError, BotoCoreError) as exc:
            # Known failures of one plan (stale, refused, AWS said no): the others go on.
            result = ApplyResult(runbook=plan.runbook, resource=plan.resource, status="failed",
                                 message=_line(exc))
        except BaseException as exc:
            # Anything unexpected (a bug, an interrupt) ends the whole apply: what was
            # and was not applied goes to the audit log and the summary first.
            results.append(ApplyResult(runbook=plan.runbook, resource=plan.resource, status="failed",
                                       message=f"{type(exc).__name__}: {_line(exc)} (apply stopped here)"))
            done.append(plan)
            stopped = exc
            break
        if result.status == "applied":
            changed.add(ResourceRef.key_of(plan.resource))
        results.append(result)
        done.append(plan)
    for plan in plans[len(done):]:
        results.append(ApplyResult(runbook=plan.runbook, resource=plan.resource, status="not-attempted",
                                   message="not attempted: the apply stopped at an earlier plan"))
    if stopped is not None and not isinstance(stopped, Exception):
        _write_summary(audit, aws, plans, results, stopped)
        raise stopped           # KeyboardInterrupt / SystemExit: the CLI's exit code
    if verify and done:
        try:
            checks = verify_plans(done, reader, settings, policy_dirs=policy_dirs, engine=engine,
                                  opa_url=opa_url)
        except Exception as exc:    # the changes stand; only their check is missing
            checks = {id(p): Verification(status="NOT_VERIFIED", message=f"re-scan failed: "
                                          f"{type(exc).__name__}: {_line(exc)}") for p in done}
        for plan, result in zip(done, results):
            v = checks[id(plan)]
            if not runbooks[plan.runbook].verifiable and v.status == "FAIL":
                v = Verification(status="PENDING", message="change requested; it takes effect when AWS "
                                 "carries it out, so the policy still fails for now", findings=v.findings)
            result.verification = v.to_dict()
            audit.write({"identity": audit.identity(aws, region_of(plan.resource)),
                         "runbook": plan.runbook, "policy_ids": list(plan.policy_ids),
                         "resource": plan.resource.get("arn") or plan.resource.get("id"),
                         "event": "verified", "status": v.status, "message": v.message})
    _write_summary(audit, aws, plans, results, stopped)
    return results


def summary(results: Sequence[ApplyResult]) -> str:
    """One line: how many plans were applied, failed, rolled back, not attempted."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"{len(results)} plan(s): {parts or 'none'}"


def _write_summary(audit: AuditLog, aws: AwsContext, plans: Sequence[Plan], results: Sequence[ApplyResult],
                   stopped: BaseException | None) -> None:
    """The apply's last audit record, written whatever happened."""
    record = {"event": "apply-summary", "summary": summary(results),
              "applied": [_ref_label(r) for r in results if r.status in ("applied", "already-compliant")],
              "not_applied": [{"resource": _ref_label(r), "status": r.status, "message": r.message}
                              for r in results if r.status not in ("applied", "already-compliant")]}
    checked = [r.verification.get("status") for r in results if r.verification]
    if checked:
        record["verification"] = {s: checked.count(s) for s in sorted(set(checked))}
    if stopped is not None:
        record["stopped_by"] = f"{type(stopped).__name__}: {_line(stopped)}"
    try:
        record["identity"] = audit.identity(aws, region_of(plans[0].resource)) if plans else ""
    except Exception as exc:    # the summary must not be lost to an identity lookup
        record["identity"] = f"unknown ({type(exc).__name__})"
    audit.write(record)


def _ref_label(r: ApplyResult) -> str:
    return f"{r.runbook} {r.resource.get('arn') or r.resource.get('id')}"


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _replan(plan: Plan, rb: Runbook, reader: AwsContext, aws: AwsContext, audit: AuditLog,
            settings: dict, wait: Wait) -> Plan:
    """Plan again from the resource as it is now. Two runbooks on one resource (a
    notebook's root access and its idle-stop configuration) would otherwise refuse the
    second plan as stale, since the first changed the state it was planned from; the
    change was ours, made a moment ago and in the audit log, not someone else's."""
    findings = [Finding.from_dict(f) for f in plan.findings]
    fresh = rb.plan(findings, reader, settings, resource=plan.resource, wait=wait)
    audit.write({"identity": audit.identity(aws, region_of(plan.resource)), "runbook": plan.runbook,
                 "policy_ids": list(plan.policy_ids), "resource": plan.resource.get("arn") or plan.resource.get("id"),
                 "event": "replanned-after-earlier-change", "planned": plan.fingerprint,
                 "fingerprint": fresh.fingerprint})
    return fresh


def _read_only(aws: AwsContext):
    return scan_options(aws.options, read_only=True)


def verify_plans(plans: Sequence[Plan], aws: AwsContext, settings: dict, *,
                 policy_dirs: Sequence = (), engine: str = "wasm",
                 opa_url: str | None = None) -> dict[int, Verification]:
    """Re-scan: collect each region the plans touch (every type, so relations
    resolve), evaluate the policies the plans fix, and read each resource's verdicts."""
    from mlwarden.collectors.base import registry as collectors
    from mlwarden.pipeline import EvalOptions, judge
    from mlwarden.policy.library import PolicySet, load_policies

    out: dict[int, Verification] = {}
    runbooks = registry()
    specs = collectors()
    library = load_policies(policy_dirs)
    by_id = library.by_id()
    todo = []
    for plan in plans:
        rtypes = {f["resource"].get("type") for f in plan.findings}
        missing = [p for p in plan.policy_ids if p not in by_id]
        unread = sorted(t for t in rtypes if t not in specs and t not in DERIVED_TYPES)
        if unread:
            out[id(plan)] = Verification(status="NOT_VERIFIED", message=f"no collector reads {', '.join(unread)}")
        elif missing:
            out[id(plan)] = Verification(status="NOT_VERIFIED",
                                         message=f"policy {', '.join(missing)} is not in the policy library")
        else:
            todo.append(plan)
    regions = sorted({region_of(p.resource) for p in todo})
    for region in regions:
        in_region = [p for p in todo if region_of(p.resource) == region]
        inv = _collect_around(aws, region, {f["resource"].get("type") for p in in_region for f in p.findings},
                              set(specs))
        wanted = {pid for p in in_region for pid in p.policy_ids}
        policy_set = PolicySet(policies=[p for p in library.policies if p.id in wanted],
                               modules=library.modules)
        # Judged as the findings were: the engine the user chose (or the one that made them).
        doc = judge(inv, EvalOptions(engine=engine, opa_url=opa_url, workers=1), loaded=(policy_set, settings, []))
        for plan in in_region:
            rb = runbooks[plan.runbook]
            refs = (rb.verify_refs(plan, aws) if rb.verify_refs
                    else list({ResourceRef.key_of(f): f for f in plan.findings}.values()))
            out[id(plan)] = _verdict(plan, refs, doc.findings, inv.resources)
    return out


# Documents computed from a whole region's inventory, not read by one collector.
DERIVED_TYPES = {USAGE_TYPE}


def _collect_around(aws: AwsContext, region: str, types: set[str], known: set[str]):
    """Collect `types`, then the types their relations point at, until nothing new
    (scanner/pipeline.py `TypesAndRelated`), so the fixed resource's policies see
    `input.related` as a scan would. Account documents (MLW::… usage) are computed from
    everything: collect it all."""
    from mlwarden.pipeline import TypesAndRelated, collect, gather
    if types & (DERIVED_TYPES | {QUOTAS_TYPE}):
        return collect(aws, [region])
    wanted = {t for t in types if t in known}
    # Whether a bucket, key or role belongs to the ML estate (the tagging rule's population,
    # the ml_estate facet) is known only once every SageMaker type was read: read them too.
    from mlwarden.ml_estate import ESTATE_RELATIONS, ML_PREFIXES
    if wanted & set(ESTATE_RELATIONS.values()):
        wanted |= {t for t in known if t.startswith(ML_PREFIXES)}
    return gather(TypesAndRelated(aws=aws, region=region, types=sorted(wanted)))


def _verdict(plan: Plan, refs: list[dict], findings: list[Finding], resources: list) -> Verification:
    # A runbook may name what it checks by type and id alone (endpoint_redeploy.py: the new
    # configuration): matched by `ResourceRef.match_keys`, not the full key.
    wanted = frozenset().union(*(ResourceRef.of(r).match_keys for r in refs))
    mine = [f for f in findings if f.policy_id in plan.policy_ids
            and ResourceRef.of(f.resource).match_keys & wanted]
    summary = [{"policy_id": f.policy_id, "status": f.status.value, "message": f.message,
                "resource": f.resource.get("id")} for f in mine]
    if not mine:
        seen = frozenset().union(*(r.ident.match_keys for r in resources))
        if wanted & seen:
            # Read again, and the policies no longer apply to it (a package no longer
            # Approved is not judged by approval rules): nothing fails any more.
            return Verification(status="PASS", message="re-scan: the fixed policies no longer apply to the resource")
        return Verification(status="NOT_VERIFIED", message="the re-scan did not find the fixed resource")
    bad = [f for f in mine if f.status not in (Status.PASS, Status.WAIVED)]
    if bad:
        return Verification(status="FAIL", findings=summary,
                            message="; ".join(f"{f.policy_id} {f.status.value}: {f.message}" for f in bad))
    return Verification(status="PASS", findings=summary,
                        message=f"re-scan: {', '.join(sorted({f.policy_id for f in mine}))} pass")
