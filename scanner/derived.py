"""Account/region documents computed from what was collected.

Service-limit rules (registry size, endpoint instances against quotas) judge
one `MLW::SageMaker::ServiceUsage` document per account and region: the quota
values the Service Quotas collector read (`MLW::ServiceQuotas::SageMaker`), and
the usage counted here from the inventory. Counting is done in Python because a
Rego query over the whole inventory would be one huge input per account (the
engines judge one resource at a time).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from .model import Resource

if TYPE_CHECKING:
    from .inventory import Inventory

USAGE_TYPE = "MLW::SageMaker::ServiceUsage"
QUOTAS_TYPE = "MLW::ServiceQuotas::SageMaker"

_COUNTED = {
    "AWS::SageMaker::ModelPackage": "model_packages",
    "AWS::SageMaker::ModelPackageGroup": "model_package_groups",
    "AWS::SageMaker::Endpoint": "endpoints",
    "AWS::SageMaker::NotebookInstance": "notebook_instances",
    "MLW::SageMaker::TrainingJob": "training_jobs",
    "AWS::SageMaker::Model": "models",
}


def derive_account_documents(inv: "Inventory", account: str, regions: list[str]) -> list[Resource]:
    by_region: dict[str, list[Resource]] = defaultdict(list)
    for r in inv.resources:
        if r.account == account:
            by_region[r.region].append(r)
    docs = []
    for region in regions:
        resources = by_region.get(region, [])
        counts = Counter(_COUNTED[r.type] for r in resources if r.type in _COUNTED)
        quotas = next((r for r in resources if r.type == QUOTAS_TYPE), None)
        docs.append(Resource(
            type=USAGE_TYPE, id=f"{account}/{region}",
            arn=f"arn:aws:sagemaker:{region}:{account}:mlwarden-usage",
            account=account, region=region,
            properties={"Quotas": (quotas.properties.get("Quotas") if quotas else {}) or {}},
            facts={
                "usage": {name: counts.get(name, 0) for name in _COUNTED.values()},
                "endpoint_instances": endpoint_instance_usage(resources),
                "quotas_read": quotas is not None,
                "derived_by": "mlwarden.derived: counts of collected resources per account/region",
            },
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
    gap_regions = {(g.account, g.region) for g in inv.gaps
                   if g.resource_type.startswith(ML_PREFIXES) or g.resource_type == "*"}
    subnet_vpc = {(r.account, r.id): r.properties.get("VpcId") for r in inv.resources
                  if r.type == "AWS::EC2::Subnet"}
    hosting: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in inv.resources:
        if not r.type.startswith(ML_PREFIXES):
            continue
        vpcs = set(r.relations.get("vpc") or [])
        vpcs.update(subnet_vpc.get((r.account, s)) for s in r.relations.get("subnets") or [])
        for vpc in vpcs - {None}:
            hosting[(r.account, vpc)].append(f"{r.type} {r.id}")
    for vpc in inv.resources:
        if vpc.type != "AWS::EC2::VPC":
            continue
        users = hosting.get((vpc.account, vpc.id), [])
        if users:
            vpc.facts["hosts_ml_work"] = True
            vpc.facts["ml_resources"] = sorted(users)[:20]
        elif (vpc.account, vpc.region) not in gap_regions:
            vpc.facts["hosts_ml_work"] = False
        else:
            continue
        vpc.facts["hosts_ml_work_derived_by"] = (
            "mlwarden.derived: SageMaker resources whose subnets or VPC lie in this VPC")


def annotate_endpoints(inv: "Inventory", collected_types: set[str]) -> None:
    """What each endpoint serves and how it is watched, from the whole inventory.

    - facts.model_packages: endpoint → configuration → models → packages, each with its
      approval status and signature facts; facts.unregistered_models: models that come
      from no package. Left out when a link of the chain is missing from the inventory
      (the registry rules then say "could not determine", never pass).
    - facts.monitoring_schedules: the schedules watching the endpoint, only when every
      schedule of the region could be read.
    """
    by_name: dict[tuple[str, str, str, str], Resource] = {}
    for r in inv.resources:
        by_name[(r.type, r.account, r.region, r.id)] = r
        if r.arn:
            by_name[(r.type, r.account, r.region, r.arn)] = r
    schedules_known = "AWS::SageMaker::MonitoringSchedule" in collected_types
    gap_regions = {(g.account, g.region) for g in inv.gaps
                   if g.resource_type in ("AWS::SageMaker::MonitoringSchedule", "*")}
    watching: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in inv.resources:
        if r.type == "AWS::SageMaker::MonitoringSchedule" and r.properties.get("EndpointName"):
            watching[(r.account, r.region, r.properties["EndpointName"])].append(r.id)

    for ep in inv.resources:
        if ep.type != "AWS::SageMaker::Endpoint":
            continue
        key = (ep.account, ep.region)
        if schedules_known and key not in gap_regions:
            ep.facts["monitoring_schedules"] = sorted(watching.get((*key, ep.id), []))
        cfg = by_name.get(("AWS::SageMaker::EndpointConfig", *key, ep.properties.get("EndpointConfigName")))
        if cfg is None:
            continue
        packages, unregistered, complete = [], [], True
        for variant in cfg.properties.get("ProductionVariants") or []:
            model = by_name.get(("AWS::SageMaker::Model", *key, variant.get("ModelName")))
            if model is None:
                complete = False
                continue
            refs = model.relations.get("model_packages") or []
            if not refs:
                unregistered.append(model.id)
            for ref in refs:
                pkg = by_name.get(("AWS::SageMaker::ModelPackage", *key, ref))
                if pkg is None:
                    complete = False
                    continue
                packages.append({"arn": pkg.arn,
                                 "ModelApprovalStatus": pkg.properties.get("ModelApprovalStatus"),
                                 "signature": pkg.facts.get("signature") or {"present": False}})
        if complete:
            ep.facts["model_packages"] = packages
            ep.facts["unregistered_models"] = sorted(set(unregistered))
            ep.facts["model_packages_derived_by"] = (
                "mlwarden.derived: endpoint → EndpointConfigName → ProductionVariants[].ModelName → "
                "containers' ModelPackageName")


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
    """Instances in service per instance type, from endpoints' current configurations."""
    configs = {r.properties.get("EndpointConfigName"): r for r in resources
               if r.type == "AWS::SageMaker::EndpointConfig"}
    usage: Counter = Counter()
    for ep in resources:
        if ep.type != "AWS::SageMaker::Endpoint":
            continue
        cfg = configs.get(ep.properties.get("EndpointConfigName"))
        for variant in (cfg.properties.get("ProductionVariants") if cfg else None) or []:
            if variant.get("InstanceType"):
                usage[variant["InstanceType"]] += int(variant.get("InitialInstanceCount") or 0)
    return dict(usage)
