"""Notebook instances (scanner/collectors/sagemaker_notebooks.py): the IMDS setting read
live on moto (with the emulation of scanner/demo/moto_extensions.py, which keeps the
member as AWS does) and loaded from a template and a Terraform plan into the same
document, SageMaker's default ("1", IMDSv1) filled where it is left out."""
from __future__ import annotations

import json

import boto3
import pytest

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.iac.loader import load

from ..conftest import ACCOUNT, REGION

NOTEBOOK = "AWS::SageMaker::NotebookInstance"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ml-exec"
IMDS = "InstanceMetadataServiceConfiguration"


@pytest.fixture
def notebooks(aws):
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_notebook_instance(NotebookInstanceName="hardened", InstanceType="ml.t3.medium", RoleArn=ROLE,
                                InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "2"})
    sm.create_notebook_instance(NotebookInstanceName="plain", InstanceType="ml.t3.medium", RoleArn=ROLE)


def test_the_imds_version_is_read_live_and_defaults_to_imdsv1(notebooks, scope):
    result = collect_spec(registry()[NOTEBOOK], scope)
    assert result.gaps == []
    by_id = {r.id: r for r in result.resources}
    assert by_id["hardened"].properties[IMDS] == {"MinimumInstanceMetadataServiceVersion": "2"}
    assert by_id["plain"].properties[IMDS] == {"MinimumInstanceMetadataServiceVersion": "1"}


def test_an_answer_without_the_member_gets_sagemaker_s_default(notebooks, scope, monkeypatch):
    """An older answer (or another emulator) leaving the member out: the documented default
    applies, not a verdict on an absent value and not NOT_ASSESSED."""
    from moto.sagemaker.models import FakeSagemakerNotebookInstance
    shown = FakeSagemakerNotebookInstance.to_dict

    def without(self):
        return {k: v for k, v in shown(self).items() if k != IMDS}
    monkeypatch.setattr(FakeSagemakerNotebookInstance, "to_dict", without)
    result = collect_spec(registry()[NOTEBOOK], scope)
    assert {r.id: r.properties[IMDS] for r in result.resources} == {
        "hardened": {"MinimumInstanceMetadataServiceVersion": "1"},
        "plain": {"MinimumInstanceMetadataServiceVersion": "1"}}


def test_a_template_and_a_plan_give_the_live_document_s_imds_setting(tmp_path):
    (tmp_path / "stack.json").write_text(json.dumps({"Resources": {
        "Hardened": {"Type": NOTEBOOK, "Properties": {
            "NotebookInstanceName": "hardened", "InstanceType": "ml.t3.medium", "RoleArn": ROLE,
            IMDS: {"MinimumInstanceMetadataServiceVersion": "2"}}},
        "Plain": {"Type": NOTEBOOK, "Properties": {
            "NotebookInstanceName": "plain", "InstanceType": "ml.t3.medium", "RoleArn": ROLE}}}}))
    resources = []
    for name, extra in (("hardened", {"instance_metadata_service_configuration": [
            {"minimum_instance_metadata_service_version": "2"}]}), ("plain", {})):
        resources.append({"address": f"aws_sagemaker_notebook_instance.{name}", "mode": "managed",
                          "type": "aws_sagemaker_notebook_instance", "name": name,
                          "values": {"name": name, "instance_type": "ml.t3.medium", "role_arn": ROLE, **extra}})
    (tmp_path / "plan.json").write_text(json.dumps({
        "format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}}))
    loaded = load([tmp_path / "stack.json", tmp_path / "plan.json"], account=ACCOUNT, region=REGION)
    assert not loaded.errors
    got = {(r.source.kind, r.properties["NotebookInstanceName"]): r.properties[IMDS]
           for r in loaded.resources if r.type == NOTEBOOK}
    want = {"hardened": {"MinimumInstanceMetadataServiceVersion": "2"},
            "plain": {"MinimumInstanceMetadataServiceVersion": "1"}}
    assert got == {(kind, name): want[name] for kind in ("cloudformation", "terraform") for name in want}


# --- lifecycle configurations, a type of their own (scanner/collectors/sagemaker_lifecycle_configs.py) ---

LIFECYCLE = "AWS::SageMaker::NotebookInstanceLifecycleConfig"
KEY = "AKIAZ7LIFECYCLETEST42"
PASSWORD = "hunter2-LIFECYCLE-COLLECTOR"
SCRIPT = f"#!/bin/bash\nexport DB_PASSWORD={PASSWORD}\nexport AWS_ACCESS_KEY_ID={KEY}\n"


def _b64(text: str) -> str:
    import base64
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def configs(aws):
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName="leaky",
                                                 OnStart=[{"Content": _b64(SCRIPT)}])
    sm.create_notebook_instance_lifecycle_config(NotebookInstanceLifecycleConfigName="clean",
                                                 OnCreate=[{"Content": _b64("#!/bin/bash\necho ready\n")}])


def test_lifecycle_configurations_are_listed_and_described(configs, scope):
    result = collect_spec(registry()[LIFECYCLE], scope)
    assert result.gaps == []
    by_id = {r.id: r for r in result.resources}
    assert set(by_id) == {"leaky", "clean"}
    leaky = by_id["leaky"]
    assert leaky.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance-lifecycle-config/leaky"
    assert leaky.properties["OnStart"] == [{"Content": _b64(SCRIPT)}] and leaky.properties["OnCreate"] == []
    assert by_id["clean"].properties["OnStart"] == []


def test_a_live_scan_names_hook_line_and_kind_and_keeps_no_secret(configs, aws_context):
    """Through the pipeline (collect, redact, judge): MLW-IAM-009 fails the leaky one on
    its OnStart hook and passes the clean one; neither the script nor a value from it
    is in the inventory or the findings."""
    from mlwarden.pipeline import EvalOptions, LiveAccount, run_scan
    result = run_scan(LiveAccount(aws=aws_context, regions=(REGION,), types=(LIFECYCLE,)), EvalOptions())
    dumped = json.dumps(result.inventory.to_dict()) + json.dumps(result.findings.to_dict())
    assert PASSWORD not in dumped and KEY not in dumped and _b64(SCRIPT) not in dumped
    verdicts = {f.resource["id"]: f for f in result.findings.findings if f.policy_id == "MLW-IAM-009"}
    assert verdicts["clean"].status.value == "PASS"
    assert verdicts["leaky"].status.value == "FAIL"
    assert verdicts["leaky"].message == ("notebook lifecycle configuration leaky has hard-coded secrets in its "
                                         "OnStart script: Secret Keyword (line 2), AWS Access Key (line 3)")


def test_a_template_and_a_plan_give_the_live_document_s_hooks(tmp_path):
    content = _b64("#!/bin/bash\necho ready\n")
    (tmp_path / "stack.json").write_text(json.dumps({"Resources": {"Start": {"Type": LIFECYCLE, "Properties": {
        "NotebookInstanceLifecycleConfigName": "start", "OnStart": [{"Content": content}]}}}}))
    values = {"name": "start", "on_start": content}
    (tmp_path / "plan.json").write_text(json.dumps({
        "format_version": "1.2", "planned_values": {"root_module": {"resources": [
            {"address": "aws_sagemaker_notebook_instance_lifecycle_configuration.start", "mode": "managed",
             "type": "aws_sagemaker_notebook_instance_lifecycle_configuration", "name": "start",
             "values": values}]}}}))
    loaded = load([tmp_path / "stack.json", tmp_path / "plan.json"], account=ACCOUNT, region=REGION)
    assert not loaded.errors
    docs = {r.source.kind: r for r in loaded.resources if r.type == LIFECYCLE}
    assert set(docs) == {"cloudformation", "terraform"}
    for doc in docs.values():
        assert doc.properties["NotebookInstanceLifecycleConfigName"] == "start"
        assert doc.properties["OnStart"] == [{"Content": content}]
        assert doc.properties.get("OnCreate") in (None, [])


def test_a_lifecycle_configuration_change_in_cloudtrail_rescans_it():
    from mlwarden.audit.events import touched_resource
    event = {"account": ACCOUNT, "region": REGION, "detail": {
        "eventSource": "sagemaker.amazonaws.com", "eventName": "UpdateNotebookInstanceLifecycleConfig",
        "awsRegion": REGION, "requestParameters": {"notebookInstanceLifecycleConfigName": "leaky"}}}
    touched = touched_resource(event)
    assert (touched.resource_type, touched.identifier) == (LIFECYCLE, "leaky")


def test_the_printed_policy_allows_listing_and_describing_them():
    from mlwarden.permissions import scanner_policy
    allowed = set(scanner_policy()["Statement"][0]["Action"])
    assert {"sagemaker:ListNotebookInstanceLifecycleConfigs",
            "sagemaker:DescribeNotebookInstanceLifecycleConfig"} <= allowed


def test_a_template_script_unknown_before_deployment_is_not_assessed(tmp_path):
    """A script imported from another stack cannot be scanned: NOT_ASSESSED naming the
    value, never a PASS on a script nobody read (the policy's pass_evidence); a literal
    one with a key beside it still fails."""
    from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
    from mlwarden.pipeline import EvalOptions
    (tmp_path / "stack.json").write_text(json.dumps({"Resources": {
        "Imported": {"Type": LIFECYCLE, "Properties": {
            "OnStart": [{"Content": {"Fn::Base64": {"Fn::ImportValue": "shared-start-script"}}}]}},
        "Literal": {"Type": LIFECYCLE, "Properties": {"OnStart": [{"Content": {"Fn::Base64": SCRIPT}}]}}}}))
    result = scan_iac(IacOptions(paths=(tmp_path / "stack.json",), checkov=CHECKOV_OFF), EvalOptions())
    verdicts = {f.resource["id"]: f for f in result.findings.findings if f.policy_id == "MLW-IAM-009"}
    assert verdicts["Imported"].status.value == "NOT_ASSESSED"
    assert "shared-start-script" in verdicts["Imported"].message
    assert verdicts["Literal"].status.value == "FAIL"
    dumped = json.dumps(result.inventory.to_dict()) + json.dumps(result.findings.to_dict())
    assert PASSWORD not in dumped and KEY not in dumped
