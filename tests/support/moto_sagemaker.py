"""Where moto 5.2.5's SageMaker differs from AWS, make it behave like AWS for tests.

Product code follows AWS; these patches bring moto in line so the collectors
are tested on what AWS answers. Each patch says which AWS behaviour it follows.
All are applied with pytest's `monkeypatch`, so they end with the test.

- ListTags on model-package ARNs (`model-package/<group>/<version>`) fails in moto
  (its ARN parser expects one `/`); AWS lists a package's tags. Resources created
  without tags (domains, packages) make moto's ListTags crash on `None`; AWS
  answers an empty list.
- CreateModel ignores EnableNetworkIsolation in moto (always described as false);
  AWS keeps and describes it.
- CreateProcessingJob drops ProcessingResources in moto (a required member that
  AWS describes, with the cluster's VolumeKmsKeyId).
- Monitoring schedules are not implemented at all in moto. CreateMonitoringSchedule,
  DescribeMonitoringSchedule and ListMonitoringSchedules are added here following
  the SageMaker API reference (request/response members, ResourceInUse /
  ResourceNotFound errors, NextToken pagination, the list filters the collector
  and tests use), and their ARNs support ListTags.
- moto runs every training job to Completed at once; `set_training_job` puts a job
  into another state (InProgress, Failed, Stopped) with given start/end times, as
  AWS reports jobs that ran, failed or still run.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

ACCOUNT = "123456789012"


def backend(region: str, account: str = ACCOUNT) -> SageMakerModelBackend:
    return sagemaker_backends[account][region]


# --- ListTags on every taggable ARN -----------------------------------------------------

def _schedules(be: SageMakerModelBackend) -> dict[str, dict]:
    # Kept on the backend instance, so moto's reset between tests clears it.
    if not hasattr(be, "_mlw_monitoring_schedules"):
        be._mlw_monitoring_schedules = {}
    return be._mlw_monitoring_schedules


class _Tagged:
    """The `.tags` holder moto's tag calls expect, for a monitoring schedule."""
    def __init__(self, record: dict):
        self._record = record

    @property
    def tags(self):
        return self._record["Tags"]

    @tags.setter
    def tags(self, value):
        self._record["Tags"] = value


def patch_list_tags(monkeypatch) -> None:
    original = SageMakerModelBackend._get_resource_from_arn

    def get_resource_from_arn(self, arn: str) -> Any:
        kind, _, name = arn.split(":", 5)[-1].partition("/")
        if kind == "model-package":
            resource = self.model_packages.get(arn)
            if resource is None:
                raise ValidationError(message=f"Could not find model-package with arn {arn}")
        elif kind == "monitoring-schedule":
            record = _schedules(self).get(name)
            if record is None:
                raise ValidationError(message=f"Could not find monitoring-schedule with name {name}")
            resource = _Tagged(record)
        else:
            resource = original(self, arn)
        if resource.tags is None:  # created without tags: AWS lists none
            resource.tags = []
        return resource

    monkeypatch.setattr(SageMakerModelBackend, "_get_resource_from_arn", get_resource_from_arn)


# --- CreateModel keeps EnableNetworkIsolation -------------------------------------------

def patch_model_network_isolation(monkeypatch) -> None:
    original = SageMakerResponse.create_model

    def create_model(self) -> ActionResult:
        result = original(self)
        model = self.sagemaker_backend._models[self._get_param("ModelName")]
        model.enable_network_isolation = bool(self._get_param("EnableNetworkIsolation", False))
        return result

    monkeypatch.setattr(SageMakerResponse, "create_model", create_model)


# --- CreateProcessingJob keeps ProcessingResources -------------------------------------

def patch_processing_resources(monkeypatch) -> None:
    original = SageMakerResponse.create_processing_job

    def create_processing_job(self) -> ActionResult:
        result = original(self)
        job = self.sagemaker_backend.processing_jobs[self._get_param("ProcessingJobName")]
        job.processing_resources = self._get_param("ProcessingResources")
        return result

    monkeypatch.setattr(SageMakerResponse, "create_processing_job", create_processing_job)


# --- Monitoring schedules ---------------------------------------------------------------

def _endpoint_of(config: dict) -> str | None:
    for inp in (config.get("MonitoringJobDefinition") or {}).get("MonitoringInputs") or []:
        name = (inp.get("EndpointInput") or {}).get("EndpointName")
        if name:
            return name
    return None


def _create_monitoring_schedule(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("MonitoringScheduleName")
    config = self._get_param("MonitoringScheduleConfig")
    if not name or not config:
        raise ValidationError(message="MonitoringScheduleName and MonitoringScheduleConfig are required")
    schedules = _schedules(self.sagemaker_backend)
    if name in schedules:
        raise ResourceInUseException(message=f"Monitoring schedule {name} already exists")
    be = self.sagemaker_backend
    now = utcnow()
    schedules[name] = {
        "MonitoringScheduleArn": f"arn:aws:sagemaker:{be.region_name}:{be.account_id}:monitoring-schedule/{name}",
        "MonitoringScheduleName": name,
        # AWS answers Pending right after creation and Scheduled soon after.
        "MonitoringScheduleStatus": "Scheduled",
        "MonitoringType": config.get("MonitoringType") or "DataQuality",
        "CreationTime": now,
        "LastModifiedTime": now,
        "MonitoringScheduleConfig": config,
        "EndpointName": _endpoint_of(config),
        "Tags": list(self._get_param("Tags") or []),
    }
    return ActionResult({"MonitoringScheduleArn": schedules[name]["MonitoringScheduleArn"]})


def _describe_monitoring_schedule(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("MonitoringScheduleName")
    record = _schedules(self.sagemaker_backend).get(name)
    if record is None:
        raise ResourceNotFound(message=f"Monitoring schedule {name} not found")
    return ActionResult({k: v for k, v in record.items() if k != "Tags" and v is not None})


def _list_monitoring_schedules(self: SageMakerResponse) -> ActionResult:
    records = list(_schedules(self.sagemaker_backend).values())
    if self._get_param("EndpointName"):
        records = [r for r in records if r.get("EndpointName") == self._get_param("EndpointName")]
    if self._get_param("NameContains"):
        records = [r for r in records if self._get_param("NameContains") in r["MonitoringScheduleName"]]
    if self._get_param("StatusEquals"):
        records = [r for r in records if r["MonitoringScheduleStatus"] == self._get_param("StatusEquals")]
    if self._get_param("MonitoringTypeEquals"):
        records = [r for r in records if r["MonitoringType"] == self._get_param("MonitoringTypeEquals")]
    sort_key = {"Name": "MonitoringScheduleName", "Status": "MonitoringScheduleStatus"}.get(
        self._get_param("SortBy") or "CreationTime", "CreationTime")
    records.sort(key=lambda r: r[sort_key], reverse=(self._get_param("SortOrder") or "Descending") == "Descending")
    start = int(self._get_param("NextToken") or 0)
    size = int(self._get_param("MaxResults") or 10)
    page = records[start:start + size]
    summaries = [{
        "MonitoringScheduleName": r["MonitoringScheduleName"],
        "MonitoringScheduleArn": r["MonitoringScheduleArn"],
        "CreationTime": r["CreationTime"],
        "LastModifiedTime": r["LastModifiedTime"],
        "MonitoringScheduleStatus": r["MonitoringScheduleStatus"],
        "EndpointName": r.get("EndpointName"),
        "MonitoringJobDefinitionName": r["MonitoringScheduleConfig"].get("MonitoringJobDefinitionName"),
        "MonitoringType": r["MonitoringType"],
    } for r in page]
    result: dict = {"MonitoringScheduleSummaries": [{k: v for k, v in s.items() if v is not None}
                                                    for s in summaries]}
    if start + size < len(records):
        result["NextToken"] = str(start + size)
    return ActionResult(result)


def add_monitoring_schedules(monkeypatch) -> None:
    """Give moto the three monitoring-schedule calls the collector and tests use."""
    monkeypatch.setattr(SageMakerResponse, "create_monitoring_schedule", _create_monitoring_schedule,
                        raising=False)
    monkeypatch.setattr(SageMakerResponse, "describe_monitoring_schedule", _describe_monitoring_schedule,
                        raising=False)
    monkeypatch.setattr(SageMakerResponse, "list_monitoring_schedules", _list_monitoring_schedules,
                        raising=False)
    patch_list_tags(monkeypatch)


def like_aws(monkeypatch) -> None:
    """Every patch above."""
    patch_model_network_isolation(monkeypatch)
    patch_processing_resources(monkeypatch)
    add_monitoring_schedules(monkeypatch)  # includes patch_list_tags


# --- Job states ---------------------------------------------------------------------------

def set_training_job(region: str, name: str, *, status: str, start: dt.datetime | None,
                     end: dt.datetime | None, failure_reason: str | None = None) -> None:
    """Put a (moto) training job into a state AWS would report."""
    job = backend(region).training_jobs[name]
    job.training_job_status = status
    job.secondary_status = {"InProgress": "Training"}.get(status, status)
    job.training_start_time = start
    job.training_end_time = end
    if failure_reason is not None:
        job.failure_reason = failure_reason


def search_without_tags(client, arns: set[str]) -> None:
    """Search answers on `client` whose records for `arns` carry no `Tags`: the member
    is optional in SearchRecord, and the collectors then read the tags with ListTags."""
    def drop(parsed, **kwargs):
        for record in parsed.get("Results") or []:
            for entity in record.values():
                entity = entity.get("Model", entity) if isinstance(entity, dict) else entity
                if isinstance(entity, dict) and arns & {v for k, v in entity.items() if k.endswith("Arn")}:
                    entity.pop("Tags", None)
    client.meta.events.register("after-call.sagemaker.Search", drop)
