"""SageMaker service quotas. moto knows only `vpc` quotas; tests/support/moto_servicequotas.py
adds SageMaker's and ListServiceQuotas."""
from __future__ import annotations

import pytest

from mlwarden.collectors.base import collect_spec, registry

from ..conftest import ACCOUNT, REGION
from ..support import moto_servicequotas

SPEC = registry()["MLW::ServiceQuotas::SageMaker"]


@pytest.fixture
def quotas_api():
    moto_servicequotas.install()
    yield moto_servicequotas
    moto_servicequotas.reset()


def by_name(doc):
    return {q["QuotaName"]: q for q in doc.properties["Quotas"].values()}


def test_default_quotas_overlaid_with_applied_values(aws, scope, quotas_api):
    quotas_api.apply_quota(ACCOUNT, REGION, "L-C1B9A48D", 20.0)  # ml.m5.large for endpoint usage

    result = collect_spec(SPEC, scope)

    assert result.gaps == []
    [doc] = result.resources
    assert (doc.type, doc.id, doc.region) == ("MLW::ServiceQuotas::SageMaker", f"{ACCOUNT}/{REGION}", REGION)
    quotas = by_name(doc)
    assert quotas["ml.m5.large for endpoint usage"] == {
        "QuotaName": "ml.m5.large for endpoint usage", "Value": 20.0, "Adjustable": True, "Applied": True}
    assert quotas["Maximum number of model packages"]["Value"] == 100.0
    assert quotas["Maximum number of model packages"]["Applied"] is False
    assert doc.properties["Quotas"]["L-C1B9A48D"]["Value"] == 20.0


def test_quota_api_missing_is_a_gap_not_an_empty_table(aws, scope, quotas_api, monkeypatch):
    # Take ListServiceQuotas away again (moto as shipped lacks it): the document is not
    # produced and a gap says why, so service-limit rules are NOT_ASSESSED, not passing.
    from moto.servicequotas.responses import ServiceQuotasResponse
    monkeypatch.delattr(ServiceQuotasResponse, "list_service_quotas")
    result = collect_spec(SPEC, scope)
    assert result.resources == []
    [gap] = result.gaps
    assert gap.resource_type == "MLW::ServiceQuotas::SageMaker"
    assert gap.operation == "servicequotas:ListServiceQuotas"
