"""Values that broke engines before: refused at load when a user's file holds them,
never able to stop a scan when AWS returns them."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import traceback
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.api import collect_inventory
from mlwarden.cli import main
from mlwarden.permissions import scan_options
from mlwarden.inventory import Inventory, clean_collected
from mlwarden.json_values import NOT_A_NUMBER
from mlwarden.model import Resource

from ..support import synthetic

REGION = "eu-west-1"


def _evaluate(inventory: Path, *extra: str) -> subprocess.CompletedProcess:
    """`mlwarden evaluate` as a user runs it: its own process, exit code and stderr."""
    return subprocess.run([str(Path(sys.executable).parent / "mlwarden"), "evaluate", str(inventory),
                           "--out", str(inventory.parent / "out"), "--format", "json", *extra],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "XDG_CACHE_HOME": str(inventory.parent / "cache")})


def _evaluate_in_process(inventory: Path, *extra: str) -> subprocess.CompletedProcess:
    """The same command through click's runner, without a Python start-up and a library
    load per case (the file checks are the subject here, not the process; one refusal
    below still runs as its own process). An exception escaping the command shows as
    a traceback on stderr, which every caller rules out."""
    return _in_process("evaluate", str(inventory), "--out", str(inventory.parent / "out"), "--format", "json",
                       *extra)


def _in_process(*args: str) -> subprocess.CompletedProcess:
    result = CliRunner().invoke(main, list(args))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, stderr)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """What a command compiles goes to this test's cache, as for the subprocess above."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _inventory_text(value_json: str) -> str:
    """A valid one-resource inventory with `value_json` as a property's JSON text."""
    doc = synthetic.inventory(1, seed=1).to_dict()
    doc["resources"] = doc["resources"][:1]
    doc["resources"][0]["properties"]["Odd"] = "@@ODD@@"
    return json.dumps(doc, indent=1).replace('"@@ODD@@"', value_json)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", '"a\\ud800b"', '"\\udc00"'])
def test_an_inventory_file_with_a_value_that_is_not_json_is_refused_in_one_line(tmp_path, value):
    path = tmp_path / "inventory.json"
    path.write_text(_inventory_text(value))
    out = _evaluate_in_process(path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert str(path) in lines[0]
    if value in ("NaN", "Infinity", "-Infinity"):   # the line of the value is named too
        line = path.read_text().splitlines().index(next(x for x in path.read_text().splitlines()
                                                        if '"Odd"' in x)) + 1
        assert f"{path}:{line}:" in lines[0]


def test_an_inventory_file_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    path = tmp_path / "inventory.json"
    path.write_bytes(_inventory_text('"caf\u00e9"').encode("latin-1"))
    out = _evaluate(path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert str(path) in out.stderr and "UTF-8" in out.stderr


def test_a_previous_findings_file_with_nan_is_refused_in_one_line(tmp_path):
    inventory = tmp_path / "inventory.json"
    inventory.write_text(_inventory_text('"fine"'))
    previous = tmp_path / "previous.json"
    previous.write_text('{"schema_version": "1.0", "scan": {"score": NaN}, "findings": []}')
    out = _evaluate_in_process(inventory, "--previous", str(previous))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"{previous}:1:" in out.stderr and "NaN" in out.stderr


def _poisoned_estate() -> tuple[Inventory, dict[str, str]]:
    """The synthetic estate with, on four resources, what an API might return: a
    backslash in an IAM action, NaN, a lone surrogate and an integer beyond 64 bits."""
    inv = synthetic.inventory(200, seed=3)
    by_type: dict[str, list[Resource]] = {}
    for r in inv.resources[sum(len(v) for v in synthetic.RELATED_IDS.values()):]:
        by_type.setdefault(r.type, []).append(r)
    role = next(r for r in inv.resources if r.type == "AWS::IAM::Role")
    role.properties["RoleName"] = "DataScientist-poison"
    role.properties["Policies"] = [{"PolicyName": "p", "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": ["iam:Create\\*", "iam:Put\\"], "Resource": "*"}]}}]
    role.facts["actions"] = {"write_actions": ["iam:Create\\*"], "admin_star": False}
    job = by_type["MLW::SageMaker::TrainingJob"][0]
    job.properties["StoppingCondition"] = {"MaxRuntimeInSeconds": math.nan}
    job.facts["runtime_seconds"] = math.inf
    notebook = by_type["AWS::SageMaker::NotebookInstance"][0]
    notebook.tags = {"owner": "ana\ud800", "environment\udc00": "prod"}
    big = by_type["MLW::SageMaker::TrainingJob"][1]
    big.properties["StoppingCondition"] = {"MaxRuntimeInSeconds": 2 ** 64}
    poisoned = {"role": role.key, "nan": job.key, "surrogate": notebook.key, "huge": big.key}
    return inv, poisoned


# The native-OPA variant runs the opa binary (a Go tool): the opa tier, not `make check`.
@pytest.mark.parametrize("engine", [[], pytest.param(["--engine", "opa"], marks=pytest.mark.opa)],
                         ids=["default", "opa"])
def test_poison_values_from_a_scan_never_stop_mlwarden_evaluate(tmp_path, engine, request):
    if engine:
        request.getfixturevalue("opa_binary")
    inv, poisoned = _poisoned_estate()
    inv.resources = [clean_collected(r) for r in inv.resources]   # what collect() does to every resource
    path = tmp_path / "inventory.json"
    inv.save(path)
    out = _evaluate_in_process(path, *engine, "--fail-on", "critical")
    assert out.returncode in (0, 1), out.stderr
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]
    judged: dict[str, list[dict]] = {}
    for f in findings:
        judged.setdefault(f["resource"].get("arn") or f["resource"]["id"], []).append(f)
    for what, key in poisoned.items():
        assert judged.get(key), f"the resource with the {what} value got no verdict"
    others = [r.key for r in inv.resources if r.key not in poisoned.values() and r.key in judged]
    assert len(others) >= 40
    assert not [f for k in others for f in judged[k] if f["status"] == "ERROR"], \
        "a poisoned resource turned another resource's verdict into an ERROR"
    role = {f["policy_id"]: f for f in judged[poisoned["role"]]}
    assert role["MLW-IAM-008"]["status"] == "FAIL"   # iam:Create\* is a literal action, still a Create
    nb = next(r for r in inv.resources if r.key == poisoned["surrogate"])
    assert nb.tags == {"owner": "ana\ufffd", "environment\ufffd": "prod"}
    job = next(r for r in inv.resources if r.key == poisoned["nan"])
    assert job.properties["StoppingCondition"]["MaxRuntimeInSeconds"] == NOT_A_NUMBER.format(math.nan)


def test_a_lone_surrogate_returned_by_aws_is_replaced_at_collection(moto_server):
    """SageMaker's JSON may carry any escaped code point; the scan keeps going and the
    value is marked instead of breaking the inventory file or an engine."""
    moto_server.reset()
    sm = boto3.client("sagemaker", region_name=REGION, endpoint_url=moto_server.url)
    sm.create_notebook_instance(NotebookInstanceName="poison", InstanceType="ml.t3.medium",
                                RoleArn="arn:aws:iam::123456789012:role/r",
                                Tags=[{"Key": "owner", "Value": "ana\ud800"}])
    inv = collect_inventory(scan_options(endpoint_url=moto_server.url), [REGION],
                            types=["AWS::SageMaker::NotebookInstance"])
    nb = next(r for r in inv.resources if r.id == "poison")
    assert nb.tags["owner"] == "ana\ufffd"
    text = json.dumps(inv.to_dict(), ensure_ascii=False)
    text.encode("utf-8")   # the inventory is valid Unicode, so inventory.json can be written and read


@pytest.mark.parametrize("name, text", [
    ("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
                      "    Properties:\n      BucketName: b\n      X: .nan\n"),
    ("template.json", '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": Infinity}}}}'),
    ("template.json", '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"X": "\\udc00"}}}}'),
    ("pipeline.json", '{"Version": "2020-12-01", "Steps": [{"Name": "a", "Type": "Training", '
                      '"Arguments": {"X": NaN}}]}'),
])
def test_an_iac_file_with_a_value_that_is_not_json_is_refused_in_one_line(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    out = _in_process("iac", str(path), "--out", str(tmp_path / "out"))
    assert out.returncode == 2, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr, out.stderr
    assert str(path) in out.stderr
