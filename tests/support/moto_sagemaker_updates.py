"""moto 5.2.5 extensions for the remediation tests, following the AWS API reference.

The emulation itself (UpdateNotebookInstance, UpdateEndpoint with blue/green and
rollback, the Service Quotas increase requests and their history, the AddTags and
UpdateModelPackage fixes) is product demo code, `mlwarden.demo.moto_updates`, shared
with `mlwarden demo`; here it is applied with pytest's monkeypatch so it ends with
the test, and its failure-injection members (`fail_next_update`, `during_update`,
`after_update`) are the tests' controls.

Test-only: the sagemaker quotas a test declares (`sagemaker_quotas`, per region and
code) stand in for moto's, which knows only `vpc`. ListAWSDefaultServiceQuotas,
ListServiceQuotas and GetServiceQuota answer them with AWS's Quota shape.

`install(monkeypatch)` patches moto's classes for one test (after the collectors'
`moto_sagemaker.like_aws` patches, so a re-scan reads what AWS would answer) and
returns `Hooks`, the failure-injection controls.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from moto.servicequotas.models import ServiceQuotasBackend
from moto.servicequotas.responses import ServiceQuotasResponse

from mlwarden.demo.moto_updates import UpdateState, patches

from .moto_sagemaker import like_aws


@dataclass
class Hooks(UpdateState):
    """The demo's update state, polled twice per update, plus the test's quotas."""
    describes_until_done: int = 2
    # Service quotas per (region, code): {"QuotaName", "Value", "Adjustable"}.
    sagemaker_quotas: dict[tuple[str, str], dict] = field(default_factory=dict)


HOOKS: Hooks | None = None


def install(monkeypatch) -> Hooks:
    global HOOKS
    hooks = HOOKS = Hooks()
    like_aws(monkeypatch)
    for cls, name, fn in patches(hooks):
        monkeypatch.setattr(cls, name, fn, raising=False)

    # --- The test's sagemaker quotas ------------------------------------------------
    original_get_quota = ServiceQuotasBackend.get_service_quota

    def quota(self, service_code: str, quota_code: str) -> dict:
        q = hooks.sagemaker_quotas.get((self.region_name, quota_code)) if service_code == "sagemaker" else None
        if q is None:
            return original_get_quota(self, service_code, quota_code)
        return {"ServiceCode": service_code, "QuotaCode": quota_code, "ServiceName": "Amazon SageMaker",
                "QuotaArn": f"arn:aws:servicequotas:{self.region_name}:{self.account_id}:{service_code}/{quota_code}",
                "GlobalQuota": False, "Unit": "None", **q}

    original_list_defaults = ServiceQuotasResponse.list_aws_default_service_quotas

    def list_aws_default_service_quotas(self) -> str:
        params = json.loads(self.body)
        if params.get("ServiceCode") != "sagemaker":
            return original_list_defaults(self)
        return json.dumps({"Quotas": [self.backend.get_service_quota("sagemaker", code)
                                      for (region, code) in hooks.sagemaker_quotas if region == self.region]})

    def list_service_quotas(self) -> str:
        # Applied values: in this stand-in, the same as the defaults.
        return list_aws_default_service_quotas(self)

    monkeypatch.setattr(ServiceQuotasBackend, "get_service_quota", quota)
    monkeypatch.setattr(ServiceQuotasResponse, "list_aws_default_service_quotas", list_aws_default_service_quotas)
    monkeypatch.setattr(ServiceQuotasResponse, "list_service_quotas", list_service_quotas, raising=False)
    return hooks
