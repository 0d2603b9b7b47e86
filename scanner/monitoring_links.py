"""Monitoring schedules linked to the job definitions they name.

A schedule either embeds its job definition or names a data-quality, model-quality,
bias or explainability job definition (MonitoringScheduleConfig.MonitoringJobDefinitionName,
with MonitoringType saying which kind). The encryption and network policies judge a
schedule by the job it runs, so the named definition is resolved here, over the whole
inventory, into the schedule's `facts.job_definition` (in the embedded shape, see
`sagemaker_job_definitions.as_monitoring_job_definition`), with `job_definition_arn`
naming what was used. The definition's relations (role, keys, buckets, subnets) are
added to the schedule's, so its related resources are judged with it.

The name is looked up in the schedule's own account and region (names are unique per
account and region). A reference by ARN (a template's `!Ref`/`!GetAtt`, a Terraform
reference, or a full ARN) is looked up in every account the inventory holds. What
cannot be resolved is said in `facts.job_definition_unresolved`, with the reason.

These facts are the derived facet `job_definition` of the schedule. A definition that
could not be resolved because its read failed, its type was not collected or its
account was not scanned makes the facet incomplete, naming that read or account: the
policies that judge the job are NOT_ASSESSED. One simply absent from a complete read
(a dangling name) is a fact: those policies report "could not determine", never a pass.

Idempotent: an organization scan runs it again after merging the accounts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .collectors.sagemaker_job_definitions import BY_TYPE, JOB_DEFINITION_TYPES, KINDS, as_monitoring_job_definition
from .collectors.sagemaker_common import merge
from .facets import Facet
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

SCHEDULE_TYPE = "AWS::SageMaker::MonitoringSchedule"
_KIND_BY_MONITORING_TYPE = {k.kind: k for k in KINDS}
NOT_SCANNED = "AccountNotScanned"
NOT_COLLECTED = "NotCollected"

JOB_DEFINITION_FACET = Facet(
    name="job_definition", derived=True,
    paths=("resource.facts.job_definition", "resource.facts.job_definition_arn",
           "resource.facts.job_definition_unresolved", "resource.facts.job_definition_derived_by"),
    description="the job definition a schedule names, resolved from the scanned inventory; incomplete "
                "when its read failed, its type was not collected or its account was not scanned")


def _index(resources: list[Resource]) -> dict[tuple, Resource]:
    by: dict[tuple, Resource] = {}
    for r in resources:
        if r.type not in JOB_DEFINITION_TYPES:
            continue
        if r.arn:
            by[("arn", r.arn)] = r
        for name in {r.id, r.properties.get("JobDefinitionName")} - {None}:
            if isinstance(name, str):
                by.setdefault((r.type, r.account, r.region, name), r)
    return by


def _arn_account(ref: str) -> str | None:
    parts = ref.split(":")
    return parts[4] if ref.startswith("arn:") and len(parts) > 5 else None


def resolve_job_definitions(inv: "Inventory", collected_types: set[str] | None = None, *,
                            only_not_scanned: bool = False) -> None:
    """Fill facts.job_definition (or facts.job_definition_unresolved) of every schedule that
    names its definition. `collected_types`: the types this collection read (None: the
    inventory holds whatever there is, as for templates and plans). `only_not_scanned`:
    after merging the parts of a scan, resolve again only the schedules that named a
    definition in an account their part did not read."""
    by = _index(inv.resources)
    gaps: dict[tuple[str, str, str], object] = {}
    for g in inv.gaps:
        gaps.setdefault((g.resource_type, g.account, g.region), g)
    accounts = set(inv.accounts) | {r.account for r in inv.resources}
    for s in inv.resources:
        if s.type != SCHEDULE_TYPE:
            continue
        if only_not_scanned and s.facet("job_definition").error_code != NOT_SCANNED:
            continue
        config = s.properties.get("MonitoringScheduleConfig")
        s.facets["job_definition"] = READ
        if not isinstance(config, dict) or isinstance(config.get("MonitoringJobDefinition"), dict):
            continue   # inline definition: nothing to resolve
        ref = config.get("MonitoringJobDefinitionName")
        if not isinstance(ref, str) or not ref:
            continue
        kind = _KIND_BY_MONITORING_TYPE.get(config.get("MonitoringType") or s.properties.get("MonitoringType"))
        types = [kind.type] if kind else sorted(JOB_DEFINITION_TYPES)
        hit = by.get(("arn", ref)) or next(
            (by[k] for t in types if (k := (t, s.account, s.region, ref)) in by), None)
        for stale in ("job_definition", "job_definition_arn", "job_definition_unresolved"):
            s.facts.pop(stale, None)
        if hit is not None:
            s.facts["job_definition"] = as_monitoring_job_definition(BY_TYPE[hit.type].kind, hit.properties)
            s.facts["job_definition_arn"] = hit.arn
            s.facts["job_definition_derived_by"] = (
                "mlwarden.monitoring_links: MonitoringJobDefinitionName (and MonitoringType) looked up "
                "among the collected job definitions")
            s.relations = merge(s.relations, hit.relations)
            continue
        s.facts["job_definition_unresolved"], s.facets["job_definition"] = _why(
            ref, s, types, gaps, accounts, collected_types)


def _why(ref: str, s: Resource, types: list[str], gaps: dict, accounts: set[str],
         collected_types: set[str] | None) -> tuple[str, FacetStatus]:
    """Why `ref` did not resolve, and the facet status that follows: incomplete when a read
    was missing, read (a dangling name is a fact the policies judge) otherwise."""
    account = _arn_account(ref) or s.account
    if account and account not in accounts:
        why = f"{ref} is in account {account}, which this scan did not read"
        return why, FacetStatus.failed("", NOT_SCANNED, why)
    unread = [(t, g) for t in types
              if (g := gaps.get((t, account, s.region)) or gaps.get(("*", account, s.region))
                  or gaps.get(("*", account, "*")))]
    if unread:
        why = f"{ref}: the {', '.join(t for t, _ in unread)} of {account}/{s.region} could not be read"
        first = unread[0][1]
        return why, FacetStatus.failed(first.operation, first.error_code, why)
    not_collected = [t for t in types if collected_types is not None and t not in collected_types]
    if not_collected and len(not_collected) == len(types):
        why = f"{ref}: job definitions ({', '.join(not_collected)}) were not collected in this scan"
        return why, FacetStatus.failed("", NOT_COLLECTED, why)
    where = f"{account}/{s.region}" if account else "the scanned files"
    return f"no job definition {ref} ({' or '.join(types)}) in {where}", READ
