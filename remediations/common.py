"""Choreography shared by runbooks (not a runbook itself)."""
from __future__ import annotations

from mlwarden.aws_defaults import apply_defaults
from mlwarden.collectors.sagemaker_notebooks import DEFAULTS as NOTEBOOK_DEFAULTS

from .base import Call, Executor, Plan, Target, wait_until

# A notebook instance can only be updated while Stopped (AWS UpdateNotebookInstance):
# the runbooks stop it, update it and start it again, so it ends where it began.
NOTEBOOK_ORIGIN_STATES = ("InService", "Stopped")


def notebook_state(t: Target) -> dict:
    d = t.client("sagemaker").describe_notebook_instance(NotebookInstanceName=t.id)
    # The answer may leave out RootAccess and DirectInternetAccess; AWS applies the
    # defaults the scan fills in too (the notebook descriptor's).
    return apply_defaults(NOTEBOOK_DEFAULTS, {
        "NotebookInstanceStatus": d.get("NotebookInstanceStatus"),
        "RootAccess": d.get("RootAccess"),
        "LifecycleConfigName": d.get("NotebookInstanceLifecycleConfigName"),
        "DirectInternetAccess": d.get("DirectInternetAccess"),
        "SubnetId": d.get("SubnetId"), "SecurityGroups": d.get("SecurityGroups") or [],
        "InstanceType": d.get("InstanceType"), "RoleArn": d.get("RoleArn"),
        "KmsKeyId": d.get("KmsKeyId"), "VolumeSizeInGB": d.get("VolumeSizeInGB"),
        "PlatformIdentifier": d.get("PlatformIdentifier"),
    }, live=True)


def around_stop_start(name: str, status: str, updates: list[Call]) -> list[Call]:
    """The exact calls: the updates, wrapped in Stop/Start when the notebook runs."""
    if not updates:
        return []
    if status != "InService":
        return updates
    return [Call(service="sagemaker", operation="StopNotebookInstance",
                 params={"NotebookInstanceName": name}, note="updates need a stopped notebook"),
            *updates,
            Call(service="sagemaker", operation="StartNotebookInstance",
                 params={"NotebookInstanceName": name}, note="return it to InService, as it was")]


def execute_notebook_update(plan: Plan, ex: Executor, t: Target, state: dict, *, changes) -> str:
    """Run the planned calls, waiting for each state change; always start the
    notebook again if it was running, even when the update failed."""
    sm = t.client("sagemaker")

    def status() -> str:
        return sm.describe_notebook_instance(NotebookInstanceName=t.id)["NotebookInstanceStatus"]

    was_running = state["NotebookInstanceStatus"] == "InService"
    stopped = False
    try:
        for call in plan.calls:
            if call.operation == "StopNotebookInstance":
                ex.call(call)
                stopped = True
                wait_until(status, {"Stopped"}, failed={"Failed"}, wait=t.wait, what=f"notebook {t.id}")
            elif call.operation == "StartNotebookInstance":
                continue  # done in `finally`, whatever happened
            else:
                # Re-check the desired state before each change (idempotent apply).
                current = notebook_state(t)
                if not any(c.operation == call.operation and c.params == call.params
                           for c in changes(current, t)):
                    ex.event("skipped-already-done", call=f"{call.service}:{call.operation}")
                    continue
                ex.call(call)
                if call.operation == "UpdateNotebookInstance":
                    wait_until(status, {"Stopped"}, failed={"Failed"}, wait=t.wait, what=f"notebook {t.id}")
    finally:
        if was_running and stopped:
            ex.send("sagemaker", "StartNotebookInstance", NotebookInstanceName=t.id,
                    note="return it to InService, as it was")
            wait_until(status, {"InService"}, failed={"Failed"}, wait=t.wait, what=f"notebook {t.id}")
    return "applied"
