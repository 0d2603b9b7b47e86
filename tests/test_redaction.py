"""Redaction: one pass over resource documents from every source; keyed, stable markers;
detector verdicts kept as facts; pipeline parameters that policies judge kept."""
from __future__ import annotations

import base64
import json
import stat

import pytest

from mlwarden.errors import InputError
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.api import EvalOptions
from mlwarden.inventory import Inventory
from mlwarden.model import Resource
from mlwarden.redaction import MARKER, RedactionKey, load_key, redact_resources

KEY = RedactionKey(secret=b"k" * 32, scope="installation")
KMS = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _job(env: dict) -> Resource:
    return Resource(type="MLW::SageMaker::TrainingJob", id="j", arn="arn:j", account="1", region="eu-west-1",
                    properties={"Environment": dict(env), "RoleArn": "arn:aws:iam::1:role/r"})


def test_the_key_is_kept_per_installation(tmp_path, monkeypatch):
    path = tmp_path / "cfg" / "redaction.key"
    monkeypatch.setenv("MLWARDEN_REDACTION_KEY_FILE", str(path))
    first = load_key()
    assert first.scope == "installation" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key().secret == first.secret            # the next scan marks values the same way
    monkeypatch.setenv("MLWARDEN_REDACTION_KEY", "00" * 32)
    assert load_key().scope == "environment" and load_key().secret == bytes(32)
    monkeypatch.setenv("MLWARDEN_REDACTION_KEY", "not hex")
    with pytest.raises(InputError, match="MLWARDEN_REDACTION_KEY"):
        load_key()


def test_markers_are_stable_keyed_and_show_changes():
    a, b, c = _job({"PW": "hunter2"}), _job({"PW": "hunter2"}), _job({"PW": "hunter3"})
    redact_resources([a, b, c], key=KEY)
    other = _job({"PW": "hunter2"})
    redact_resources([other], key=RedactionKey(secret=b"x" * 32, scope="installation"))
    assert a.properties["Environment"]["PW"] == b.properties["Environment"]["PW"]
    assert a.properties["Environment"]["PW"] != c.properties["Environment"]["PW"]
    assert a.properties["Environment"]["PW"] != other.properties["Environment"]["PW"]   # keyed
    assert MARKER.match(a.properties["Environment"]["PW"]) and "hunter2" not in json.dumps(a.to_dict())
    assert a.properties["RoleArn"] == "arn:aws:iam::1:role/r"


def test_a_second_pass_changes_nothing_and_keeps_the_verdicts():
    r = _job({"AWS_ACCESS_KEY_ID": "AKIAZ7SECRETSEEDED42"})
    redact_resources([r], key=KEY)
    once = json.dumps(r.to_dict(), sort_keys=True)
    redact_resources([r], key=KEY)
    assert json.dumps(r.to_dict(), sort_keys=True) == once
    assert r.facts["secret_findings"] == [{"path": "properties.Environment.AWS_ACCESS_KEY_ID",
                                          "detector": "AWS Access Key"}]


def test_references_are_not_secrets_and_not_values():
    r = _job({"DB": "{{resolve:secretsmanager:prod/db:SecretString:password}}",
              "FROM_PARAM": {"Get": "Parameters.Db"}, "LATER": {"mlwarden:unknown": "Fn::ImportValue x"}})
    redact_resources([r], key=KEY)
    env = r.properties["Environment"]
    assert "secret_findings" not in r.facts
    assert MARKER.match(env["DB"]) and env["FROM_PARAM"] == {"Get": "Parameters.Db"}
    assert env["LATER"] == {"mlwarden:unknown": "Fn::ImportValue x"}


def test_pipeline_parameters_policies_judge_are_kept_the_rest_redacted():
    definition = {
        "Parameters": [{"Name": "Key", "Type": "String", "DefaultValue": KMS},
                       {"Name": "Isolate", "Type": "Boolean", "DefaultValue": True},
                       {"Name": "DbPassword", "Type": "String", "DefaultValue": "hunter2-x"},
                       {"Name": "Both", "Type": "String", "DefaultValue": "shared-value"}],
        "Steps": [{"Name": "T", "Type": "Training", "Arguments": {
            "OutputDataConfig": {"KmsKeyId": {"Get": "Parameters.Key"}},
            "EnableNetworkIsolation": {"Get": "Parameters.Isolate"},
            "ResourceConfig": {"VolumeKmsKeyId": {"Get": "Parameters.Both"}},
            "Environment": {"PW": {"Get": "Parameters.DbPassword"}, "B": {"Get": "Parameters.Both"}}}}]}
    r = Resource(type="AWS::SageMaker::Pipeline", id="p", arn="arn:p", account="1", region="eu-west-1",
                 properties={"PipelineDefinition": definition})
    redact_resources([r], key=KEY)
    defaults = {p["Name"]: p["DefaultValue"] for p in r.properties["PipelineDefinition"]["Parameters"]}
    assert defaults["Key"] == KMS and defaults["Isolate"] is True
    assert MARKER.match(defaults["DbPassword"]) and MARKER.match(defaults["Both"])


def test_no_redact_keeps_values_and_still_runs_the_detector():
    r = _job({"DB_PASSWORD": "hunter2-SECRET"})
    meta = redact_resources([r], enabled=False, key=KEY)
    assert meta["enabled"] is False and "do not share" in meta["warning"]
    assert r.properties["Environment"]["DB_PASSWORD"] == "hunter2-SECRET"
    assert r.facts["secret_findings"][0]["detector"] == "Secret Keyword"


def test_a_saved_unredacted_inventory_is_redacted_when_read(tmp_path):
    r = _job({"DB_PASSWORD": "hunter2-SECRET"})
    inv = Inventory(resources=[r], accounts=["1"], regions=["eu-west-1"])
    inv.redaction = redact_resources(inv.resources, enabled=False, key=KEY)
    inv.save(tmp_path / "inventory.json")
    assert "hunter2-SECRET" in (tmp_path / "inventory.json").read_text()
    again = Inventory.load(tmp_path / "inventory.json")
    assert again.redaction["enabled"] is True
    assert "hunter2-SECRET" not in json.dumps(again.to_dict())


def test_iac_documents_are_redacted(tmp_path):
    script = base64.b64encode(b"#!/bin/bash\nexport API_TOKEN=hunter2-CFN\n").decode()
    (tmp_path / "stack.yaml").write_text(f"""
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DbPassword: {{Type: String, NoEcho: true, Default: hunter2-CFN-PARAM}}
Resources:
  Model:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      PrimaryContainer:
        Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1
        Environment: {{DB_PASSWORD: !Ref DbPassword, PLAIN: hunter2-CFN-LITERAL}}
  Lifecycle:
    Type: AWS::SageMaker::NotebookInstanceLifecycleConfig
    Properties:
      OnStart: [{{Content: {script}}}]
""")
    result = scan_iac(IacOptions(paths=(tmp_path / "stack.yaml",), checkov=CHECKOV_OFF), EvalOptions())
    dumped = json.dumps(result.inventory.to_dict()) + json.dumps(result.findings.to_dict())
    assert "hunter2-CFN" not in dumped and script not in dumped
    lifecycle = next(r for r in result.inventory.resources if r.id == "Lifecycle")
    assert [(f["line"], f["detector"]) for f in lifecycle.facts["secret_findings"]] == [(2, "Secret Name")]
    assert result.findings.scan["redaction"]["enabled"] is True
