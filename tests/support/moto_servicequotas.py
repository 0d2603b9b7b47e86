"""moto 5.2.5 implements Service Quotas only for the `vpc` service code and has no
ListServiceQuotas; this adds SageMaker quotas and ListServiceQuotas, following the
Service Quotas API reference.

- ListAWSDefaultServiceQuotas(ServiceCode="sagemaker") answers AWS's default values.
- ListServiceQuotas answers the applied values. AWS returns a quota there only when
  an applied value is available for it; tests set one with `apply_quota(...)`.

Quota names follow AWS's wording for SageMaker quotas; the codes are stand-ins in
AWS's `L-XXXXXXXX` format (AWS assigns the real ones).
"""
from __future__ import annotations

import json

from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.models import ServiceQuotasBackend, servicequotas_backends
from moto.servicequotas.responses import ServiceQuotasResponse

# One table of SageMaker quotas for the demo server and the tests.
from mlwarden.demo.moto_extensions import SAGEMAKER_DEFAULTS, _quota  # noqa: E402

_applied: dict[tuple[str, str], dict[str, float]] = {}  # (account, region) -> {code: value}


_original_defaults = ServiceQuotasBackend.list_aws_default_service_quotas


def _list_defaults(self: ServiceQuotasBackend, service_code: str) -> list[dict]:
    if service_code == "sagemaker":
        return [_quota(self.account_id, self.region_name, *q) for q in SAGEMAKER_DEFAULTS]
    return _original_defaults(self, service_code)


def _list_applied(self: ServiceQuotasBackend, service_code: str) -> list[dict]:
    if service_code not in ("sagemaker", "vpc"):
        raise NoSuchResource
    values = _applied.get((self.account_id, self.region_name), {})
    return [{**q, "Value": values[q["QuotaCode"]]} for q in self.list_aws_default_service_quotas(service_code)
            if q["QuotaCode"] in values]


def _response_list_applied(self: ServiceQuotasResponse) -> str:
    params = json.loads(self.body)
    return json.dumps({"Quotas": self.backend.list_service_quotas(str(params.get("ServiceCode")))})


def apply_quota(account: str, region: str, code: str, value: float) -> None:
    """Give a quota an applied value, as an approved quota increase would."""
    _applied.setdefault((account, region), {})[code] = value


def reset() -> None:
    _applied.clear()


def install() -> None:
    reset()
    ServiceQuotasBackend.list_aws_default_service_quotas = _list_defaults
    ServiceQuotasBackend.list_service_quotas = _list_applied
    ServiceQuotasResponse.list_service_quotas = _response_list_applied
