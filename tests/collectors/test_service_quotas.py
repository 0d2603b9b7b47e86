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


def test_aws_defaults_are_read_once_per_scan_and_a_failed_read_is_not_shared(aws, quotas_api):
    # AWS's default quotas are the same for every account: an organisation scan reads
    # them once per region. An account that may not read them is a gap of its own; the
    # next account reads them with its own credentials.
    from botocore.exceptions import ClientError

    from mlwarden.aws.session import AwsContext
    from mlwarden.permissions import scan_options
    from mlwarden.collectors.base import Scope
    shared: dict = {}
    contexts = [AwsContext(options=scan_options(), scan_state=shared) for _ in range(3)]
    calls = []
    for i, ctx in enumerate(contexts):
        events = ctx.client("service-quotas", REGION).meta.events
        events.register("before-call.service-quotas.ListAWSDefaultServiceQuotas",
                        lambda i=i, **kw: calls.append(i))
    def deny(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}},
                          "ListAWSDefaultServiceQuotas")
    contexts[0].client("service-quotas", REGION).meta.events.register(
        "before-call.service-quotas.ListAWSDefaultServiceQuotas", deny)
    denied, first, second = (collect_spec(SPEC, Scope(aws=ctx, account=ACCOUNT, region=REGION))
                             for ctx in contexts)
    assert denied.resources == [] and [g.operation for g in denied.gaps] == [
        "servicequotas:ListAWSDefaultServiceQuotas"]
    assert calls == [0, 1]   # the denied read, then one read that the third account reuses
    assert by_name(first.resources[0]) == by_name(second.resources[0])
    assert by_name(second.resources[0])["Maximum number of model packages"]["Value"] == 100.0
