"""Ask AWS for a higher SageMaker service quota (Service Quotas
RequestServiceQuotaIncrease).

Which quota: the quota codes in the finding's evidence (`quota_code`), else the
quotas its policy is about (the model-package quota for MLW-LIM-001; the
"<type> for endpoint usage" quotas the endpoints' instances, production and shadow
variants', crowd for MLW-LIM-002),
else settings remediation.quota_codes. How much: the current value times
remediation.quota_increase_factor. The request is the fix mlwarden can make; the
quota itself rises when AWS approves it, so a re-scan right after still fails and
the result says the request is pending.
"""
from __future__ import annotations

from typing import Any, Iterator

from botocore.exceptions import ClientError

from .base import Call, PlanRefused, Runbook, Target, error_code, register

SERVICE_CODE = "sagemaker"
OPEN = ("PENDING", "CASE_OPENED")


def _codes_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("quota_code", "QuotaCode") and isinstance(v, str):
                yield v
            else:
                yield from _codes_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _codes_in(v)


def _sagemaker_quotas(sq) -> dict[str, dict]:
    quotas: dict[str, dict] = {}
    for operation in ("list_aws_default_service_quotas", "list_service_quotas"):
        for page in sq.get_paginator(operation).paginate(ServiceCode=SERVICE_CODE):
            for q in page.get("Quotas") or []:
                quotas[q["QuotaCode"]] = q
    return quotas


# MLW-LIM-001's quota, by its exact name: "model package" alone also matches "Maximum
# number of model package groups", a quota of its own that a registry-size finding must
# not raise.
MODEL_PACKAGES_QUOTA = "maximum number of model packages"


def _registry_quotas(t: Target, quotas: dict[str, dict]) -> list[str]:
    """MLW-LIM-001: the model-package quota."""
    return [c for c, q in quotas.items()
            if " ".join(str(q.get("QuotaName") or "").lower().split()) == MODEL_PACKAGES_QUOTA]


def _endpoint_instance_quotas(t: Target, quotas: dict[str, dict]) -> list[str]:
    """MLW-LIM-002: '<type> for endpoint usage' quotas the endpoints' instances crowd."""
    sm = t.client("sagemaker")
    used: dict[str, int] = {}
    for page in sm.get_paginator("list_endpoints").paginate():
        for e in page["Endpoints"]:
            ep = sm.describe_endpoint(EndpointName=e["EndpointName"])
            cfg = sm.describe_endpoint_config(EndpointConfigName=ep["EndpointConfigName"])
            # Shadow variants too: they run on instances of their own, of their own type,
            # that count against the same quota (DescribeEndpoint answers them, like the
            # production ones, as ProductionVariantSummary with CurrentInstanceCount).
            for member in ("ProductionVariants", "ShadowProductionVariants"):
                types = {v["VariantName"]: v.get("InstanceType") for v in cfg.get(member) or []}
                for v in ep.get(member) or []:
                    itype = types.get(v["VariantName"])
                    if itype:
                        used[itype] = used.get(itype, 0) + int(v.get("CurrentInstanceCount") or 0)
    headroom = float(t.settings.get("quota_headroom_percent") or 80)
    out = []
    for code, q in quotas.items():
        name = q.get("QuotaName") or ""
        itype = name[:-len(" for endpoint usage")] if name.endswith(" for endpoint usage") else None
        if itype and used.get(itype) and used[itype] * 100 >= (q.get("Value") or 0) * headroom:
            out.append(code)
    return out


# Which quotas a failing policy is about, where its finding names no quota code.
SELECTORS = {"MLW-LIM-001": _registry_quotas, "MLW-LIM-002": _endpoint_instance_quotas}


def quota_codes(t: Target) -> list[str]:
    codes = [c for f in t.findings for c in _codes_in(f.evidence)]
    selectors = [SELECTORS[f.policy_id] for f in t.findings if f.policy_id in SELECTORS]
    if not codes and selectors:
        quotas = _sagemaker_quotas(t.client("service-quotas"))
        codes = [c for sel in selectors for c in sel(t, quotas)]
    codes = codes or list(t.setting("quota_codes") or [])
    if not codes:
        raise PlanRefused("cannot tell which quota to raise: the finding names none, no quota matches its "
                          "policy, and settings remediation.quota_codes is empty")
    return list(dict.fromkeys(codes))


def read_state(t: Target) -> dict:
    sq = t.client("service-quotas")
    quotas = {}
    for code in quota_codes(t):
        try:
            q = sq.get_service_quota(ServiceCode=SERVICE_CODE, QuotaCode=code)["Quota"]
        except ClientError as exc:
            if error_code(exc) != "NoSuchResourceException":
                raise
            q = sq.get_aws_default_service_quota(ServiceCode=SERVICE_CODE, QuotaCode=code)["Quota"]
        history = sq.list_requested_service_quota_change_history_by_quota(
            ServiceCode=SERVICE_CODE, QuotaCode=code).get("RequestedQuotas") or []
        quotas[code] = {"Value": q.get("Value"), "Adjustable": q.get("Adjustable", False),
                        "QuotaName": q.get("QuotaName"),
                        "open_requests": sorted(r.get("DesiredValue") for r in history if r.get("Status") in OPEN)}
    return {"quotas": quotas}


def changes(state: dict, t: Target) -> list[Call]:
    factor = float(t.setting("quota_increase_factor") or 2)
    calls = []
    for code, q in state["quotas"].items():
        if q["open_requests"]:
            continue  # one request at a time per quota: AWS refuses a second
        if not q["Adjustable"]:
            raise PlanRefused(f"quota {code} ({q['QuotaName']}) is not adjustable; ask AWS Support")
        desired = float(int((q["Value"] or 0) * factor + 0.5)) or 1.0
        calls.append(Call(service="service-quotas", operation="RequestServiceQuotaIncrease",
                          note=f"{q['QuotaName']}: {q['Value']:g} → {desired:g}",
                          params={"ServiceCode": SERVICE_CODE, "QuotaCode": code, "DesiredValue": desired}))
    return calls


register(Runbook(
    id="quota-increase", title="Request a SageMaker service quota increase",
    policies=("MLW-LIM-001", "MLW-LIM-002"), resource_types=("MLW::SageMaker::ServiceUsage", "MLW::ServiceQuotas::SageMaker"),
    permissions=("servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas",
                 "sagemaker:ListEndpoints", "sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig",
                 "servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota",
                 "servicequotas:ListRequestedServiceQuotaChangeHistoryByQuota",
                 "servicequotas:RequestServiceQuotaIncrease"),
    read_state=read_state, changes=changes, verifiable=False,
))
