"""Disable root access on a notebook instance (stop, update, start again)."""
from __future__ import annotations

from functools import partial

from .base import Call, Runbook, Target, register
from .common import NOTEBOOK_ORIGIN_STATES, around_stop_start, execute_notebook_update, notebook_state


def updates(state: dict, t: Target) -> list[Call]:
    if state["RootAccess"] == "Disabled":
        return []
    return [Call(service="sagemaker", operation="UpdateNotebookInstance", note="disable root access",
                 params={"NotebookInstanceName": t.id, "RootAccess": "Disabled"})]


def changes(state: dict, t: Target) -> list[Call]:
    return around_stop_start(t.id, state["NotebookInstanceStatus"], updates(state, t))


register(Runbook(
    id="notebook-root-access", title="Disable root access on the notebook instance",
    policies=("MLW-NET-003",), resource_types=("AWS::SageMaker::NotebookInstance",),
    permissions=("sagemaker:DescribeNotebookInstance", "sagemaker:StopNotebookInstance",
                 "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"),
    read_state=notebook_state, changes=changes,
    valid_origin_states=NOTEBOOK_ORIGIN_STATES, origin=lambda s: s["NotebookInstanceStatus"] or "",
    execute=partial(execute_notebook_update, changes=updates),
    description="A running notebook is stopped for the update and started again afterwards.",
))
