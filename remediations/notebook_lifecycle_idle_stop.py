"""Attach a lifecycle configuration that stops an idle notebook instance.

The configuration (name: settings remediation.idle_stop_lifecycle_config) is
created when it does not exist, with an on-start script that installs a small
idle check on a cron schedule. A notebook that already has another
lifecycle configuration is left alone: replacing it would drop its on-start steps.
"""
from __future__ import annotations

import base64
from functools import partial

from botocore.exceptions import ClientError

from .base import Call, PlanRefused, Runbook, Target, error_code, register
from .common import NOTEBOOK_ORIGIN_STATES, around_stop_start, execute_notebook_update, notebook_state

# Self-contained (no download: a notebook without internet access must still start,
# and a failing on-start script would leave it Failed). Every 5 minutes cron asks the
# local Jupyter server for its kernels' last activity and stops the instance when all
# have been idle longer than the limit, as AWS's published auto-stop sample does.
ON_START = """#!/bin/bash
# mlwarden: stop this notebook instance after {minutes} idle minutes.
cat > /home/ec2-user/mlwarden-idle-stop.py <<'PY'
import datetime, json, ssl, subprocess, sys, urllib.request
LIMIT = {seconds}
ctx = ssl._create_unverified_context()  # the local Jupyter server's self-signed certificate
try:
    kernels = json.load(urllib.request.urlopen("https://localhost:8443/api/kernels", context=ctx, timeout=10))
except Exception:
    sys.exit(0)  # Jupyter not up yet: try again next time
now = datetime.datetime.now(datetime.timezone.utc)
def idle(k):
    last = datetime.datetime.fromisoformat(k["last_activity"].replace("Z", "+00:00"))
    return k.get("execution_state") == "idle" and (now - last).total_seconds() > LIMIT
if all(idle(k) for k in kernels):
    name = json.load(open("/opt/ml/metadata/resource-metadata.json"))["ResourceName"]
    subprocess.run(["aws", "sagemaker", "stop-notebook-instance", "--notebook-instance-name", name])
PY
(crontab -l 2>/dev/null | grep -v mlwarden-idle-stop; echo "*/5 * * * * /usr/bin/python3 /home/ec2-user/mlwarden-idle-stop.py") | crontab -
exit 0
"""


def config_name(t: Target) -> str:
    return t.setting("idle_stop_lifecycle_config") or "mlwarden-idle-stop"


def read_state(t: Target) -> dict:
    state = notebook_state(t)
    try:
        t.client("sagemaker").describe_notebook_instance_lifecycle_config(
            NotebookInstanceLifecycleConfigName=config_name(t))
        state["config_exists"] = True
    except ClientError as exc:
        if error_code(exc) not in ("ValidationException", "ResourceNotFound"):
            raise
        state["config_exists"] = False
    return state


def updates(state: dict, t: Target) -> list[Call]:
    name = config_name(t)
    current = state["LifecycleConfigName"]
    if current == name:
        return []
    if current:
        raise PlanRefused(f"notebook {t.id} has lifecycle configuration {current}; add the idle-stop "
                          f"script to it (mlwarden does not replace another configuration)")
    calls = []
    if not state["config_exists"]:
        minutes = int(t.setting("idle_stop_minutes") or 60)
        script = ON_START.format(minutes=minutes, seconds=minutes * 60)
        calls.append(Call(service="sagemaker", operation="CreateNotebookInstanceLifecycleConfig",
                          note=f"on-start script stopping the instance after {minutes} idle minutes",
                          params={"NotebookInstanceLifecycleConfigName": name,
                                  "OnStart": [{"Content": base64.b64encode(script.encode()).decode()}]}))
    calls.append(Call(service="sagemaker", operation="UpdateNotebookInstance", note=f"attach {name}",
                      params={"NotebookInstanceName": t.id, "LifecycleConfigName": name}))
    return calls


def changes(state: dict, t: Target) -> list[Call]:
    calls = updates(state, t)
    # The configuration can be created while the notebook runs; only the update needs it stopped.
    create = [c for c in calls if c.operation == "CreateNotebookInstanceLifecycleConfig"]
    update = [c for c in calls if c.operation == "UpdateNotebookInstance"]
    return create + around_stop_start(t.id, state["NotebookInstanceStatus"], update)


def _recheck(state: dict, t: Target) -> list[Call]:
    state = {**state, "config_exists": read_state(t)["config_exists"]}
    return updates(state, t)


register(Runbook(
    id="notebook-lifecycle-idle-stop", title="Attach an idle-stop lifecycle configuration",
    policies=("MLW-MON-005",), resource_types=("AWS::SageMaker::NotebookInstance",),
    permissions=("sagemaker:DescribeNotebookInstance", "sagemaker:DescribeNotebookInstanceLifecycleConfig",
                 "sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance",
                 "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"),
    read_state=read_state, changes=changes,
    valid_origin_states=NOTEBOOK_ORIGIN_STATES, origin=lambda s: s["NotebookInstanceStatus"] or "",
    execute=partial(execute_notebook_update, changes=_recheck),
))
