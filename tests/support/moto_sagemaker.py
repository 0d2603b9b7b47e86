"""Test knobs on the one AWS emulation, for SageMaker.

What moto 5.2.5 lacks or answers unlike AWS (monitoring schedules, ListTags on
model-package ARNs, CreateModel's EnableNetworkIsolation, CreateProcessingJob's
ProcessingResources, …) is emulated once, following the AWS API reference, in
scanner/demo/moto_extensions.py, installed for the whole session by tests/conftest.py.
Here are only the states a test sets that no API call can produce on a stand-in:

- moto runs every training job to Completed at once; `set_training_job` puts a job
  into another state (InProgress, Failed, Stopped) with given start/end times, as
  AWS reports jobs that ran, failed or still run.
- `search_without_tags`: Search answers whose records carry no `Tags` (an optional
  member of SearchRecord).
"""
from __future__ import annotations

import datetime as dt

from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends

ACCOUNT = "123456789012"


def backend(region: str, account: str = ACCOUNT) -> SageMakerModelBackend:
    return sagemaker_backends[account][region]


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
