"""Account/region documents computed from what was collected.

Service-limit rules (registry size, endpoint instances against quotas) judge
one `MLW::SageMaker::ServiceUsage` document per account and region: the quota
values the Service Quotas collector read (`MLW::ServiceQuotas::SageMaker`), and
the usage counted here from the inventory. Counting is done in Python because a
Rego query over the whole inventory would be one huge input per account (the
engines judge one resource at a time).

Every derived fact is recorded as a derived facet (scanner/facets.py) of the
document it is written on, complete only when all its inputs were read: a count
over a type whose listing failed in that region is "incomplete", never a smaller
number, and the policies that read it are NOT_ASSESSED naming the failed reads.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from . import endpoint_artifacts
from .facets import Facet, incomplete
from .lineage import annotate_lineage
from .model import READ, CoverageGap, FacetStatus, Resource
from .type_registry import SERVICE_USAGE, usage_counters

if TYPE_CHECKING:
    from .inventory import Inventory

USAGE_TYPE = SERVICE_USAGE.type
QUOTAS_TYPE = "MLW::ServiceQuotas::SageMaker"

_REGISTRY_TYPES = ("AWS::SageMaker::ModelPackage", "AWS::SageMaker::ModelPackageGroup")
_ENDPOINT_TYPES = ("AWS::SageMaker::Endpoint", "AWS::SageMaker::EndpointConfig")

# The facets of the derived usage document: which counts come from which types.
USAGE_FACETS = (
    Facet(name="registry_usage", derived=True,
          paths=("resource.facts.usage.model_packages", "resource.facts.usage.model_package_groups"),
          description="model packages and groups counted in the region (" + ", ".join(_REGISTRY_TYPES) + ")"),
    Facet(name="endpoint_usage", derived=True,
          paths=("resource.facts.endpoint_instances", "resource.facts.usage.endpoints"),
          description="endpoint instances in service per instance type (" + ", ".join(_ENDPOINT_TYPES) + ")"),
    Facet(name="usage", derived=True, paths=("resource.facts.usage", "resource.facts.derived_by"),
          description="counts of the other SageMaker types in the region"),
    Facet(name="quotas", derived=True, operations=("servicequotas:ListServiceQuotas",),
          paths=("resource.properties.Quotas", "resource.facts.quotas_read"),
          description="the region's SageMaker quotas as Service Quotas reports them"),
)

# The derived facets of every type are gathered in scanner/facet_catalogue.py.


def gap_index(gaps: list[CoverageGap]) -> dict[tuple[str, str, str], list[CoverageGap]]:
    """Gaps by (account, region, type); a "*" gap (account not entered) is under type "*"."""
    out: dict[tuple[str, str, str], list[CoverageGap]] = defaultdict(list)
    for g in gaps:
        out[(g.account, g.region, g.resource_type)].append(g)
    return out


def _gap_inputs(index, account: str, region: str, types, collected: set[str] | None = None) -> list[str]:
    """Why the resources of `types` in one region may be incomplete: each gap, or "not collected"."""
    why = []
    for t in types:
        if collected is not None and t not in collected:
            why.append(f"{t}: not collected in this scan")
        # A "*" type: the region could not be read; region "*" too: the account could not be entered.
        for g in (index.get((account, region, t), []) + index.get((account, region, "*"), [])
                  + index.get((account, "*", "*"), [])):
            what = f"{t} {g.resource_id}" if g.resource_id else f"{t} (listing)"
            why.append(f"{what}: {g.operation} failed with {g.error_code}")
    return list(dict.fromkeys(why))


def derive_account_documents(inv: "Inventory", account: str, regions: list[str],
                             collected_types: set[str] | None = None) -> list[Resource]:
    gaps = gap_index(inv.gaps)
    counted = usage_counters()   # type → its key in facts.usage, from the descriptors
    by_region: dict[str, list[Resource]] = defaultdict(list)
    for r in inv.resources:
        if r.account == account:
            by_region[r.region].append(r)
    docs = []
    for region in regions:
        resources = by_region.get(region, [])
        counts = Counter(counted[r.type] for r in resources if r.type in counted)
        quotas = next((r for r in resources if r.type == QUOTAS_TYPE), None)
        facets = {}
        for facet, types in (("registry_usage", _REGISTRY_TYPES), ("endpoint_usage", _ENDPOINT_TYPES),
                             ("usage", tuple(counted)), ("quotas", (QUOTAS_TYPE,))):
            missing = _gap_inputs(gaps, account, region, types, collected_types)
            if facet == "quotas" and quotas is None and not missing:
                missing = [f"{QUOTAS_TYPE}: no quota document was collected"]
            facets[facet] = incomplete(f"{facet} in {region}", missing) if missing else READ
        docs.append(Resource(
            type=USAGE_TYPE, id=f"{account}/{region}",
            arn=f"arn:aws:sagemaker:{region}:{account}:mlwarden-usage",
            account=account, region=region,
            properties={"Quotas": (quotas.properties.get("Quotas") if quotas else {}) or {}},
            facts={
                "usage": {name: counts.get(name, 0) for name in counted.values()},
                "endpoint_instances": endpoint_instance_usage(resources),
                "quotas_read": quotas is not None,
                "derived_by": "mlwarden.derived: counts of collected resources per account/region",
            },
            facets={"describe": READ, **facets},
        ))
    return docs


ML_PREFIXES = ("AWS::SageMaker::", "MLW::SageMaker::")


def annotate_vpcs(inv: "Inventory", collected_types: set[str]) -> None:
    """Set facts.hosts_ml_work on every VPC: does any ML resource run in it?

    The VPC-endpoint rules apply only to VPCs that host ML work. "No" is written only
    when it is known: every SageMaker type was collected in that region without a gap.
    Otherwise the fact is left out and those rules judge the VPC (never a silent skip).
    """
    sagemaker_types = {t for t in collected_types if t.startswith(ML_PREFIXES)}
    if not sagemaker_types:
        return
    gaps = gap_index(inv.gaps)
    subnet_vpc = {(r.account, r.id): r.properties.get("VpcId") for r in inv.resources
                  if r.type == "AWS::EC2::Subnet"}
    hosting: dict[tuple[str, str], list[str]] = defaultdict(list)
    # Per region: ML resources whose subnet could not be placed in a VPC ("no" is then unknown).
    unplaced: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in inv.resources:
        if not r.type.startswith(ML_PREFIXES):
            continue
        vpcs = set(r.relations.get("vpc") or [])
        for s in r.relations.get("subnets") or []:
            if (r.account, s) in subnet_vpc:
                vpcs.add(subnet_vpc[(r.account, s)])
            else:
                unplaced[(r.account, r.region)].append(f"{r.type} {r.id}: subnet {s} not in the inventory")
        for vpc in vpcs - {None}:
            hosting[(r.account, vpc)].append(f"{r.type} {r.id}")
    ml_types = sorted(sagemaker_types
                      | {g.resource_type for g in inv.gaps if g.resource_type.startswith(ML_PREFIXES)})
    for vpc in inv.resources:
        if vpc.type != "AWS::EC2::VPC":
            continue
        users = hosting.get((vpc.account, vpc.id), [])
        missing = [] if users else (
            _gap_inputs(gaps, vpc.account, vpc.region, ml_types + ["AWS::EC2::Subnet"])
            + unplaced.get((vpc.account, vpc.region), []))
        vpc.facets["ml_usage"] = incomplete(f"whether VPC {vpc.id} hosts ML work", missing) if missing else READ
        if users:
            vpc.facts["hosts_ml_work"] = True
            vpc.facts["ml_resources"] = sorted(users)[:20]
        elif not missing:
            vpc.facts["hosts_ml_work"] = False
        else:
            continue
        vpc.facts["hosts_ml_work_derived_by"] = (
            "mlwarden.derived: SageMaker resources whose subnets or VPC lie in this VPC")


def annotate_endpoints(inv: "Inventory", collected_types: set[str] | None) -> None:
    """What each endpoint serves and how it is watched, from the whole inventory.

    - facts.model_packages, facts.unregistered_models and the `lineage` facet: the walk
      endpoint → configuration → models (a variant's own, or its inference components')
      → packages (`scanner/endpoint_walk.py`, `scanner/lineage.py`); packages are found by
      ARN in every account the scan read.
    - facts.monitoring_schedules: the schedules watching the endpoint, only when every
      schedule of the region could be read.

    `collected_types`: the types this collection read (None: every collected type).
    """
    gaps = gap_index(inv.gaps)
    watching: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in inv.resources:
        if r.type == "AWS::SageMaker::MonitoringSchedule" and r.properties.get("EndpointName"):
            watching[(r.account, r.region, r.properties["EndpointName"])].append(r.id)
    for ep in inv.resources:
        if ep.type != "AWS::SageMaker::Endpoint":
            continue
        key = (ep.account, ep.region)
        missing = _gap_inputs(gaps, *key, ["AWS::SageMaker::MonitoringSchedule"], collected_types)
        ep.facets["monitoring"] = incomplete("monitoring_schedules", missing) if missing else READ
        ep.facts.pop("monitoring_schedules", None)
        if not missing:
            ep.facts["monitoring_schedules"] = sorted(watching.get((*key, ep.id), []))

    unread = _unread(gaps, collected_types)
    annotate_lineage(inv, unread)
    endpoint_artifacts.annotate(inv, unread)


def relink_endpoints(inv: "Inventory") -> None:
    """After the parts of a scan (accounts, or regions) are merged into one inventory:
    walk again the lineage of the endpoints that stopped at a model package in an account
    or region their part did not read, now that the merged inventory may hold it."""
    unread = _unread(gap_index(inv.gaps), None)
    annotate_lineage(inv, unread, only_not_scanned=True)
    # The sizes of what endpoints serve, now that packages of other accounts are here.
    endpoint_artifacts.annotate(inv, unread)


def _unread(gaps, collected_types: set[str] | None):
    def unread(account: str, region: str, type_: str) -> list[str]:
        # The failed reads (or types not collected) that could hide a resource of `type_`:
        # its listing, a describe, or the whole account (scanner/endpoint_walk.py picks
        # those about the resource it looks for).
        return _gap_inputs(gaps, account, region, [type_], collected_types)
    return unread


def annotate_package_ages(inv: "Inventory", now: dt.datetime | None = None) -> None:
    """facts.age_days of model packages, from CreationTime (Rego's time functions differ
    between engines; the arithmetic is done here)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    for r in inv.resources:
        if r.type != "AWS::SageMaker::ModelPackage" or not r.properties.get("CreationTime"):
            continue
        try:
            created = dt.datetime.fromisoformat(str(r.properties["CreationTime"]))
        except ValueError:
            continue
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.timezone.utc)
        r.facts["age_days"] = round((now - created).total_seconds() / 86400, 2)


def endpoint_instance_usage(resources: list[Resource]) -> dict[str, int]:
    """Instances in service per instance type, from endpoints' current configurations:
    production and shadow variants alike. A shadow variant runs on instances of its own
    (its InstanceType and InitialInstanceCount, provisioned and billed like a production
    variant's: SageMaker developer guide, "Create a shadow test": for each variant you
    control the model, instance type and instance count), so it draws on the same
    '<type> for endpoint usage' quota."""
    configs = {r.properties.get("EndpointConfigName"): r for r in resources
               if r.type == "AWS::SageMaker::EndpointConfig"}
    usage: Counter = Counter()
    for ep in resources:
        if ep.type != "AWS::SageMaker::Endpoint":
            continue
        cfg = configs.get(ep.properties.get("EndpointConfigName"))
        props = cfg.properties if cfg else {}
        for member in ("ProductionVariants", "ShadowProductionVariants"):
            variants = props.get(member)
            for variant in variants if isinstance(variants, list) else []:
                if isinstance(variant, dict) and variant.get("InstanceType"):
                    usage[variant["InstanceType"]] += int(variant.get("InitialInstanceCount") or 0)
    return dict(usage)
