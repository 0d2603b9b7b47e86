"""moto 5.2.5 extensions for the remediation tests, following the AWS API reference.

moto lacks (NotImplementedError in process):
- SageMaker UpdateNotebookInstance
  (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateNotebookInstance.html):
  only a Stopped (or Failed) instance may be updated; it is Stopped afterwards.
- SageMaker UpdateEndpoint
  (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html):
  only an InService endpoint may be updated; it goes InService → Updating → InService
  on the new EndpointConfigName. With a DeploymentConfig.AutoRollbackConfiguration,
  an alarm in ALARM during the deployment rolls it back: InService again on the old
  configuration, with FailureReason. A failed deployment rolls back the same way.
- Service Quotas for sagemaker: ListAWSDefaultServiceQuotas, ListServiceQuotas,
  GetServiceQuota, GetAWSDefaultServiceQuota,
  RequestServiceQuotaIncrease, ListRequestedServiceQuotaChangeHistoryByQuota.

moto answers wrongly:
- SageMaker AddTags appends a duplicate of an existing key (AWS overwrites its value).
- UpdateModelPackage with only a status wipes CustomerMetadataProperties and
  ApprovalDescription (AWS keeps them; it merges CustomerMetadataProperties).

`install(monkeypatch)` patches moto's classes for one test (after the collectors'
`moto_sagemaker.like_aws` patches, so a re-scan reads what AWS would answer) and
returns `Hooks`, the failure-injection controls.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Callable

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.servicequotas.models import ServiceQuotasBackend
from moto.servicequotas.responses import ServiceQuotasResponse

from .moto_sagemaker import like_aws


@dataclass
class Hooks:
    """Failure injection for the emulated operations."""
    # DescribeEndpoint calls an update stays Updating for (each one is a poll).
    describes_until_done: int = 2
    # Set: the next endpoint update fails with this FailureReason and rolls back.
    fail_next_update: str | None = None
    # Called on the first DescribeEndpoint while Updating (e.g. to put an alarm in ALARM
    # while traffic shifts, as a real bad model would).
    during_update: list[Callable[[], None]] = field(default_factory=list)
    # Called when an update has finished on the new configuration (e.g. an alarm that
    # fires only once all traffic is on the new model, during the bake).
    after_update: list[Callable[[], None]] = field(default_factory=list)
    # Service quotas per (region, code): {"QuotaName", "Value", "Adjustable"}.
    sagemaker_quotas: dict[tuple[str, str], dict] = field(default_factory=dict)
    quota_requests: list[dict] = field(default_factory=list)
    _pending: dict[str, dict] = field(default_factory=dict)   # endpoint arn → update in flight
    updates_seen: list[dict] = field(default_factory=list)     # UpdateEndpoint requests, as sent


HOOKS: Hooks | None = None


def install(monkeypatch) -> Hooks:
    global HOOKS
    hooks = HOOKS = Hooks()
    like_aws(monkeypatch)

    # --- UpdateNotebookInstance -----------------------------------------------------
    def update_notebook_instance(self) -> ActionResult:
        nb = self.sagemaker_backend.get_notebook_instance(self._get_param("NotebookInstanceName"))
        if nb.status not in ("Stopped", "Failed"):
            raise ValidationError(message=f"Status ({nb.status}) not in ([Stopped, Failed]). Unable to "
                                          f"transition to (Updating) for Notebook Instance ({nb.arn})")
        mapping = {"InstanceType": "instance_type", "RoleArn": "role_arn", "RootAccess": "root_access",
                   "LifecycleConfigName": "lifecycle_config_name", "VolumeSizeInGB": "volume_size_in_gb",
                   "DefaultCodeRepository": "default_code_repository",
                   "AdditionalCodeRepositories": "additional_code_repositories",
                   "AcceleratorTypes": "accelerator_types"}
        for param, attr in mapping.items():
            value = self._get_param(param)
            if value is not None:
                setattr(nb, attr, value)
        if self._get_param("DisassociateLifecycleConfig"):
            nb.lifecycle_config_name = None
        nb.last_modified_time = utcnow()
        nb.status = "Stopped"
        return EmptyResult()

    monkeypatch.setattr(SageMakerResponse, "update_notebook_instance", update_notebook_instance, raising=False)

    # --- UpdateEndpoint -------------------------------------------------------------
    def update_endpoint(self) -> ActionResult:
        backend: SageMakerModelBackend = self.sagemaker_backend
        name = self._get_param("EndpointName")
        config_name = self._get_param("EndpointConfigName")
        ep = backend.endpoints.get(name)
        if ep is None:
            arn = FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)
            raise ValidationError(message=f"Could not find endpoint \"{arn}\".")
        if ep.endpoint_status != "InService":
            raise ValidationError(message=f"Cannot update in-progress endpoint \"{ep.arn}\".")
        if config_name not in backend.endpoint_configs:
            raise ValidationError(message=f"Could not find endpoint configuration \"{config_name}\".")
        deployment = self._get_param("DeploymentConfig") or {}
        hooks.updates_seen.append({"EndpointName": name, "EndpointConfigName": config_name,
                                   "DeploymentConfig": deployment})
        hooks._pending[ep.arn] = {"config": config_name, "deployment": deployment,
                                  "left": hooks.describes_until_done, "hooked": False,
                                  "fail": hooks.fail_next_update}
        hooks.fail_next_update = None
        ep.endpoint_status = "Updating"
        ep.failure_reason = None
        ep.last_modified_time = utcnow()
        return ActionResult({"EndpointArn": ep.arn})

    original_describe = SageMakerModelBackend.describe_endpoint

    def describe_endpoint(self, endpoint_name: str):
        ep = self.endpoints.get(endpoint_name)
        pending = hooks._pending.get(ep.arn) if ep is not None else None
        if pending is not None:
            if not pending["hooked"]:
                pending["hooked"] = True
                for fn in hooks.during_update:
                    fn()
            pending["left"] -= 1
            if pending["left"] <= 0:
                del hooks._pending[ep.arn]
                if _finish_update(self, ep, pending):
                    for fn in hooks.after_update:
                        fn()
        return original_describe(self, endpoint_name)

    monkeypatch.setattr(SageMakerResponse, "update_endpoint", update_endpoint, raising=False)
    monkeypatch.setattr(SageMakerModelBackend, "describe_endpoint", describe_endpoint)

    # --- UpdateModelPackage: keep what the request does not mention -----------------
    original_update_package = SageMakerModelBackend.update_model_package

    def update_model_package(self, model_package_arn, model_approval_status, approval_description,
                             customer_metadata_properties, customer_metadata_properties_to_remove,
                             additional_inference_specifications_to_add):
        pkg = self.describe_model_package(model_package_arn)
        status = model_approval_status or pkg.model_approval_status
        description = approval_description if approval_description is not None else pkg.approval_description
        metadata = {**(pkg.customer_metadata_properties or {}), **(customer_metadata_properties or {})}
        return original_update_package(self, model_package_arn, status, description, metadata,
                                       customer_metadata_properties_to_remove,
                                       additional_inference_specifications_to_add)

    monkeypatch.setattr(SageMakerModelBackend, "update_model_package", update_model_package)

    # --- AddTags: AWS overwrites the value of an existing key; moto appends a duplicate
    def add_tags(self, arn, tags):
        resource = self._get_resource_from_arn(arn)
        new = {t["Key"] for t in tags}
        resource.tags = [t for t in resource.tags if t["Key"] not in new] + list(tags)
        return resource.tags

    monkeypatch.setattr(SageMakerModelBackend, "add_tags", add_tags)

    # --- Service Quotas for sagemaker -----------------------------------------------
    original_get_quota = ServiceQuotasBackend.get_service_quota

    def quota(self, service_code: str, quota_code: str) -> dict:
        q = hooks.sagemaker_quotas.get((self.region_name, quota_code)) if service_code == "sagemaker" else None
        if q is None:
            return original_get_quota(self, service_code, quota_code)
        return {"ServiceCode": service_code, "QuotaCode": quota_code, "ServiceName": "Amazon SageMaker",
                "QuotaArn": f"arn:aws:servicequotas:{self.region_name}:{self.account_id}:{service_code}/{quota_code}",
                "GlobalQuota": False, "Unit": "None", **q}

    def get_aws_default_service_quota(self) -> str:
        params = json.loads(self.body)
        return json.dumps({"Quota": self.backend.get_service_quota(params["ServiceCode"], params["QuotaCode"])})

    def request_service_quota_increase(self) -> str:
        params = json.loads(self.body)
        q = self.backend.get_service_quota(params["ServiceCode"], params["QuotaCode"])
        if any(r["QuotaCode"] == q["QuotaCode"] and r["Status"] in ("PENDING", "CASE_OPENED")
               for r in hooks.quota_requests):
            raise JsonRESTError("ResourceAlreadyExistsException",
                                "Only one open service quota increase request is allowed per quota.")
        req = {"Id": uuid.uuid4().hex, "ServiceCode": q["ServiceCode"], "QuotaCode": q["QuotaCode"],
               "QuotaName": q.get("QuotaName"), "DesiredValue": float(params["DesiredValue"]),
               "Status": "PENDING", "Created": utcnow().timestamp(), "Requester": self.current_account,
               "QuotaArn": q.get("QuotaArn"), "GlobalQuota": False, "Unit": "None"}
        hooks.quota_requests.append(req)
        return json.dumps({"RequestedQuota": req})

    def list_requested_service_quota_change_history_by_quota(self) -> str:
        params = json.loads(self.body)
        reqs = [r for r in hooks.quota_requests
                if r["ServiceCode"] == params["ServiceCode"] and r["QuotaCode"] == params["QuotaCode"]]
        return json.dumps({"RequestedQuotas": reqs})

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
    for fn in (get_aws_default_service_quota, request_service_quota_increase,
               list_requested_service_quota_change_history_by_quota):
        monkeypatch.setattr(ServiceQuotasResponse, fn.__name__, fn, raising=False)
    return hooks


def _finish_update(backend: SageMakerModelBackend, ep: FakeEndpoint, pending: dict) -> bool:
    """The end of a deployment: switch to the new configuration, or roll back."""
    alarms = [a["AlarmName"] for a in
              (pending["deployment"].get("AutoRollbackConfiguration") or {}).get("Alarms") or []]
    cw = cloudwatch_backends[backend.account_id][backend.region_name]
    fired = [n for n in alarms if n in cw.alarms and cw.alarms[n].state_value == "ALARM"]
    ep.last_modified_time = utcnow()
    ep.endpoint_status = "InService"
    if pending["fail"]:
        ep.failure_reason = pending["fail"]
        return False
    if fired:
        ep.failure_reason = (f"Deployment rolled back: alarm(s) {', '.join(fired)} in ALARM state "
                             "during the deployment")
        return False
    config = backend.endpoint_configs[pending["config"]]
    ep.endpoint_config_name = pending["config"]
    ep.production_variants = ep._process_production_variants(config.production_variants)
    ep.data_capture_config = config.data_capture_config
    ep.failure_reason = None
    return True
