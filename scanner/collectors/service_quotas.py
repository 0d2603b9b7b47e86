"""SageMaker service quotas: one document per account and region.

`derived.py` joins this document with counts of what the scan found into
`MLW::SageMaker::ServiceUsage`, which the service-limit policies judge.
"""
from __future__ import annotations

import threading
from typing import Iterator

from botocore.exceptions import ClientError

from ..aws.session import paginate
from ..model import CoverageGap, Resource
from .base import READ_ERRORS, CollectorSpec, Scope, error_code, gap_for, register

QUOTAS_TYPE = "MLW::ServiceQuotas::SageMaker"
SERVICE_CODE = "sagemaker"


def _quotas(client, operation: str) -> list[dict]:
    try:
        return list(paginate(client, operation, "Quotas", ServiceCode=SERVICE_CODE))
    except ClientError as exc:
        if error_code(exc) == "NoSuchResourceException":
            return []  # the service has no quotas of this kind in this region
        raise


_DEFAULTS_LOCK = threading.Lock()


def _aws_defaults(scope: Scope, client) -> list[dict]:
    """AWS's default quotas of the region (ListAWSDefaultServiceQuotas): AWS's, the same
    for every account, so read once per scan and region, by the first account that can
    (an organisation scan would otherwise read the same pages for each account). A failed
    read is not shared: the next account reads them with its own credentials."""
    state = scope.aws.scan_state
    key = (scope.partition, scope.region)
    with _DEFAULTS_LOCK:
        entry = state.setdefault("aws_default_quotas", {}).setdefault(key, {"lock": threading.Lock()})
    with entry["lock"]:
        if "quotas" not in entry:
            entry["quotas"] = _quotas(client, "ListAWSDefaultServiceQuotas")
        return entry["quotas"]


def collect_quotas(scope: Scope) -> Iterator[Resource | CoverageGap]:
    client = scope.client("service-quotas")
    # ListServiceQuotas gives applied values, but only for quotas that have one
    # available; AWS's defaults fill in the rest. Any other error is a gap for the
    # whole document: a quota table with holes would read as "no such limit".
    quotas: dict[str, dict] = {}
    for applied, operation in ((False, "ListAWSDefaultServiceQuotas"), (True, "ListServiceQuotas")):
        try:
            listed = _quotas(client, operation) if applied else _aws_defaults(scope, client)
        except READ_ERRORS as exc:
            yield gap_for(SPEC, scope, operation, exc)
            return
        for q in listed:
            quotas[q["QuotaCode"]] = {"QuotaName": q.get("QuotaName"), "Value": q.get("Value"),
                                      "Adjustable": q.get("Adjustable", False), "Applied": applied}
    yield Resource(
        type=QUOTAS_TYPE, id=f"{scope.account}/{scope.region}",
        arn=scope.arn("servicequotas", SERVICE_CODE), account=scope.account, region=scope.region,
        properties={"ServiceCode": SERVICE_CODE, "Quotas": quotas},
        facts={"derived_by": "servicequotas:ListAWSDefaultServiceQuotas overlaid with "
                             "servicequotas:ListServiceQuotas (Applied: true where an applied value exists)"})


SPEC = CollectorSpec(
    type=QUOTAS_TYPE, service="service-quotas", iam_prefix="servicequotas", custom=collect_quotas,
    extra_permissions=("servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas"),
    live_only="the quotas are the account's, read from Service Quotas; no template declares them",
    description="SageMaker service quotas per account and region",
)
register(SPEC)
