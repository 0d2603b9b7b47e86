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
