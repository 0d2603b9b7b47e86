"""Account/region documents computed from what was collected.

Service-limit rules (registry size, endpoint instances against quotas) judge
one `MLW::SageMaker::ServiceUsage` document per account and region: the quota
values the Service Quotas collector read (`MLW::ServiceQuotas::SageMaker`), and
the usage counted here from the inventory. Counting is done in Python because a
Rego query over the whole inventory is what the embedded engine is slow at.
"""
from __future__ import annotations

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
