"""Notebook runbooks: a running notebook is stopped, updated and started again; a
stopped one stays stopped; direct internet access is plan-only."""
from __future__ import annotations

import base64

import boto3
import pytest

from mlwarden.remediations.base import ApplyRefused, get

from ..conftest import ACCOUNT, REGION
from .conftest import finding

ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/nb"


@pytest.fixture
def sm(hooks):
    return boto3.client("sagemaker", region_name=REGION)


def nb_finding(name, policy, runbook):
    return finding("AWS::SageMaker::NotebookInstance", name, policy, runbook,
                   arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/{name}")


def test_root_access_disabled_and_notebook_back_in_service(fixer, sm):
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    [plan] = fixer.plan(nb_finding("fraud-nb", "MLW-NET-003", "notebook-root-access"))
    assert [c.operation for c in plan.calls] == ["StopNotebookInstance", "UpdateNotebookInstance",
                                                 "StartNotebookInstance"]
    [result] = fixer.apply([plan])
    d = sm.describe_notebook_instance(NotebookInstanceName="fraud-nb")
    assert d["RootAccess"] == "Disabled" and d["NotebookInstanceStatus"] == "InService"
    assert [c["operation"] for c in result.calls] == ["StopNotebookInstance", "UpdateNotebookInstance",
                                                      "StartNotebookInstance"]
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_stopped_notebook_is_updated_and_left_stopped(fixer, sm):
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    sm.stop_notebook_instance(NotebookInstanceName="fraud-nb")
    [plan] = fixer.plan(nb_finding("fraud-nb", "MLW-NET-003", "notebook-root-access"))
    assert [c.operation for c in plan.calls] == ["UpdateNotebookInstance"]
    fixer.apply([plan], verify=False)
    d = sm.describe_notebook_instance(NotebookInstanceName="fraud-nb")
    assert d["RootAccess"] == "Disabled" and d["NotebookInstanceStatus"] == "Stopped"


def test_failed_update_still_starts_the_notebook_again(fixer, sm, monkeypatch):
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.responses import SageMakerResponse
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    [plan] = fixer.plan(nb_finding("fraud-nb", "MLW-NET-003", "notebook-root-access"))

    def refuse(self):
        raise ValidationError(message="injected: update refused")
    monkeypatch.setattr(SageMakerResponse, "update_notebook_instance", refuse)
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "failed" and "injected" in result.message
    assert sm.describe_notebook_instance(NotebookInstanceName="fraud-nb")["NotebookInstanceStatus"] == "InService"
    outcomes = [(r["call"], r["outcome"]) for r in fixer.audit.records() if r["event"] == "call"]
    assert ("sagemaker:UpdateNotebookInstance", "failed") in outcomes
    assert outcomes[-1] == ("sagemaker:StartNotebookInstance", "succeeded")


def test_idle_stop_lifecycle_created_and_attached(fixer, sm):
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    [plan] = fixer.plan(nb_finding("fraud-nb", "MLW-MON-005", "notebook-lifecycle-idle-stop"))
    assert [c.operation for c in plan.calls] == ["CreateNotebookInstanceLifecycleConfig", "StopNotebookInstance",
                                                 "UpdateNotebookInstance", "StartNotebookInstance"]
    script = base64.b64decode(plan.calls[0].params["OnStart"][0]["Content"]).decode()
    assert "LIMIT = 3600" in script and "stop-notebook-instance" in script
    assert "wget" not in script and "curl" not in script  # starts without internet access
    [result] = fixer.apply([plan])
    d = sm.describe_notebook_instance(NotebookInstanceName="fraud-nb")
    assert d["NotebookInstanceLifecycleConfigName"] == "mlwarden-idle-stop"
    assert d["NotebookInstanceStatus"] == "InService"
    sm.describe_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName="mlwarden-idle-stop")
    assert result.verification["status"] in ("PASS",), result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_idle_stop_leaves_another_lifecycle_configuration_alone(reader, settings, sm):
    from mlwarden.remediations.engine import make_plans
    sm.create_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName="team-setup")
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN,
                                LifecycleConfigName="team-setup")
    [outcome] = make_plans([nb_finding("fraud-nb", "MLW-MON-005", "notebook-lifecycle-idle-stop")], reader, settings)
    assert outcome.plan is None and "team-setup" in outcome.error


def test_direct_internet_access_is_plan_only(fixer, sm):
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    [plan] = fixer.plan(nb_finding("fraud-nb", "MLW-NET-001", "notebook-direct-internet"))
    assert not plan.automatic and len(plan.steps) >= 5
    create = next(c for c in plan.calls if c.operation == "CreateNotebookInstance")
    assert create.params["DirectInternetAccess"] == "Disabled"
    with pytest.raises(ApplyRefused, match="plan-only"):
        get("notebook-direct-internet").apply(plan, fixer.writer, fixer.audit, fixer.settings)
    assert sm.describe_notebook_instance(NotebookInstanceName="fraud-nb")["DirectInternetAccess"] == "Enabled"
    assert [r for r in fixer.audit.records() if r["event"] == "call"] == []
