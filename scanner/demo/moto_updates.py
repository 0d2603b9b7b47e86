"""Extends moto's backend following the AWS API reference: the update calls the
remediation runbooks make.

moto 5.2.5 (our local AWS stand-in) lacks (NotImplementedError):
- SageMaker UpdateNotebookInstance
  (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateNotebookInstance.html):
  only a Stopped (or Failed) instance may be updated; it is Stopped afterwards.
- SageMaker UpdateEndpoint
  (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html):
  only an InService endpoint may be updated; it goes InService → Updating → InService
  on the new EndpointConfigName. With a DeploymentConfig.AutoRollbackConfiguration,
  an alarm in ALARM during the deployment rolls it back: InService again on the old
  configuration, with FailureReason. A failed deployment rolls back the same way.
  Time passes here through DescribeEndpoint calls: an update stays Updating for
  `describes_until_done` of them (each one a runbook's poll), then finishes.
- Service Quotas GetAWSDefaultServiceQuota, RequestServiceQuotaIncrease and
  ListRequestedServiceQuotaChangeHistoryByQuota: a request is PENDING (AWS reviews
  it later; nothing here approves it) and only one may be open per quota
  (ResourceAlreadyExistsException).

moto answers wrongly:
- SageMaker AddTags appends a duplicate of an existing key (AWS overwrites its value).
- UpdateModelPackage with only a status wipes CustomerMetadataProperties and
  ApprovalDescription (AWS keeps them; it merges CustomerMetadataProperties).

One implementation, two users: `install()` patches moto for good, for the demo's
in-process server (`mlwarden demo`, the end-to-end tests); the remediation tests
apply the same `patches(state)` with pytest's monkeypatch (and add what they need to
observe or break, outside the product). Nothing here is used when remediating a real
account.
"""
from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class UpdateState:
    """What the emulated operations remember."""
    # DescribeEndpoint calls an update stays Updating for (each one is a poll).
    describes_until_done: int = 1
    # Service quota increase requests, as ListRequestedServiceQuotaChangeHistory answers them.
    quota_requests: list[dict] = field(default_factory=list)
    _pending: dict[str, dict] = field(default_factory=dict)   # endpoint arn → update in flight


def patches(state: UpdateState) -> list[tuple[type, str, Any]]:
    """(class, attribute, replacement) for every addition and fix above. The
    originals wrapped are read now, so apply the result right away."""
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult, EmptyResult
    from moto.core.utils import utcnow
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse
    from moto.servicequotas.models import ServiceQuotasBackend
    from moto.servicequotas.responses import ServiceQuotasResponse

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
        # UpdateNotebookInstance takes InstanceMetadataServiceConfiguration too ("If passed as
        # part of UpdateNotebookInstance, there is no default": absent leaves it unchanged).
        imds = self._get_param("InstanceMetadataServiceConfiguration")
        if imds and imds.get("MinimumInstanceMetadataServiceVersion") in ("1", "2"):
            nb.instance_metadata_service_configuration = {
                "MinimumInstanceMetadataServiceVersion": imds["MinimumInstanceMetadataServiceVersion"]}
        if self._get_param("DisassociateLifecycleConfig"):
            nb.lifecycle_config_name = None
        nb.last_modified_time = utcnow()
        nb.status = "Stopped"
        return EmptyResult()

    # --- UpdateEndpoint -------------------------------------------------------------
    def update_endpoint(self) -> ActionResult:
        backend = self.sagemaker_backend
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
        state._pending[ep.arn] = {"config": config_name, "deployment": deployment,
                                  "left": state.describes_until_done}
        ep.endpoint_status = "Updating"
        ep.failure_reason = None
        ep.last_modified_time = utcnow()
        return ActionResult({"EndpointArn": ep.arn})

    original_describe = SageMakerModelBackend.describe_endpoint

    def describe_endpoint(self, endpoint_name: str):
        ep = self.endpoints.get(endpoint_name)
        pending = state._pending.get(ep.arn) if ep is not None else None
        if pending is not None:
            pending["left"] -= 1
            if pending["left"] <= 0:
                del state._pending[ep.arn]
                finish_update(self, ep, pending)
        return original_describe(self, endpoint_name)

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

    # --- AddTags: AWS overwrites the value of an existing key; moto appends a duplicate
    def add_tags(self, arn, tags):
        resource = self._get_resource_from_arn(arn)
        new = {t["Key"] for t in tags}
        resource.tags = [t for t in (resource.tags or []) if t["Key"] not in new] + list(tags)
        return resource.tags

    # --- Service Quotas: defaults, increase requests and their history --------------
    # The quotas themselves come from the backend's get_service_quota (the demo's
    # table in moto_extensions, or a test's).
    def get_aws_default_service_quota(self) -> str:
        params = json.loads(self.body)
        return json.dumps({"Quota": self.backend.get_service_quota(params["ServiceCode"], params["QuotaCode"])})

    def request_service_quota_increase(self) -> str:
        params = json.loads(self.body)
        q = self.backend.get_service_quota(params["ServiceCode"], params["QuotaCode"])
        if any(r["QuotaCode"] == q["QuotaCode"] and r["Status"] in ("PENDING", "CASE_OPENED")
               for r in state.quota_requests):
            raise JsonRESTError("ResourceAlreadyExistsException",
                                "Only one open service quota increase request is allowed per quota.")
        req = {"Id": uuid.uuid4().hex, "ServiceCode": q["ServiceCode"], "QuotaCode": q["QuotaCode"],
               "QuotaName": q.get("QuotaName"), "DesiredValue": float(params["DesiredValue"]),
               "Status": "PENDING", "Created": utcnow().timestamp(), "Requester": self.current_account,
               "QuotaArn": q.get("QuotaArn"), "GlobalQuota": False, "Unit": "None"}
        state.quota_requests.append(req)
        return json.dumps({"RequestedQuota": req})

    def list_requested_service_quota_change_history_by_quota(self) -> str:
        params = json.loads(self.body)
        reqs = [r for r in state.quota_requests
                if r["ServiceCode"] == params["ServiceCode"] and r["QuotaCode"] == params["QuotaCode"]]
        return json.dumps({"RequestedQuotas": reqs})

    return [
        (SageMakerResponse, "update_notebook_instance", update_notebook_instance),
        (SageMakerResponse, "update_endpoint", update_endpoint),
        (SageMakerModelBackend, "describe_endpoint", describe_endpoint),
        (SageMakerModelBackend, "update_model_package", update_model_package),
        (SageMakerModelBackend, "add_tags", add_tags),
        *((ServiceQuotasResponse, fn.__name__, fn) for fn in (
            get_aws_default_service_quota, request_service_quota_increase,
            list_requested_service_quota_change_history_by_quota)),
    ]


def finish_update(backend, ep, pending: dict) -> bool:
    """The end of a deployment: switch to the new configuration (True), or roll back
    when an alarm of its AutoRollbackConfiguration is in ALARM (False)."""
    from moto.cloudwatch.models import cloudwatch_backends
    from moto.core.utils import utcnow

    alarms = [a["AlarmName"] for a in
              (pending["deployment"].get("AutoRollbackConfiguration") or {}).get("Alarms") or []]
    cw = cloudwatch_backends[backend.account_id][backend.region_name]
    fired = [n for n in alarms if n in cw.alarms and cw.alarms[n].state_value == "ALARM"]
    ep.last_modified_time = utcnow()
    ep.endpoint_status = "InService"
    if fired:
        ep.failure_reason = (f"Deployment rolled back: alarm(s) {', '.join(fired)} in ALARM state "
                             "during the deployment")
        return False
    config = backend.endpoint_configs[pending["config"]]
    ep.endpoint_config_name = pending["config"]
    ep.production_variants = ep._process_production_variants(config.production_variants)
    shadows = getattr(config, "shadow_production_variants", None)   # moto_extensions.py keeps them
    ep.shadow_production_variants = ep._process_production_variants(shadows) if shadows else None
    ep.data_capture_config = config.data_capture_config
    ep.failure_reason = None
    return True


# --- The demo's installation ---------------------------------------------------------

DEMO_STATE = UpdateState()
_installed = False
_lock = threading.Lock()


def install() -> UpdateState:
    """Patch moto for the rest of the process (idempotent); the demo's state."""
    global _installed
    with _lock:
        if not _installed:
            for cls, name, fn in patches(DEMO_STATE):
                setattr(cls, name, fn)
            _installed = True
    return DEMO_STATE
