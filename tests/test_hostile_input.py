"""Hostile and malformed input, generated: every file the CLI reads and every option
with a bad value gives exit code 2 and ONE line on stderr that names the file (or
option), never a traceback, and never takes long (alias bombs, deep nesting and
oversized files are refused before they are built).

Each case is (files to write, command line, text the error line must contain).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main

from .conftest import ACCOUNT, REGION
from .test_bad_input import GOOD_POLICY, NOTEBOOK

SPARSE = object()       # a file of 600 MiB that takes no disk: only its size is read


@dataclass(frozen=True, kw_only=True)
class Case:
    id: str
    args: tuple[str, ...]
    names: str                      # the error line must contain this (file or option)
    files: dict = field(default_factory=dict)


BOMB = ('a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + "".join(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")))
DEEP_YAML = "a: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_JSON = "[" * 100_000 + "]" * 100_000
FINDINGS_OK = {"schema_version": "1.0", "scan": {}, "findings": [], "coverage": [], "waivers": []}
FINDING = {"policy_id": "MLW-X-001", "title": "t", "severity": "high", "category": "c", "status": "FAIL",
           "message": "m", "resource": {"type": "AWS::S3::Bucket", "id": "b", "arn": "arn:aws:s3:::b",
                                        "account": ACCOUNT, "region": REGION}}
WAIVER = {"policy_id": "MLW-TAG-001", "resource": "*", "reason": "r", "owner": "o", "expires": "2030-01-01"}


def _yaml_file_cases(what: str, args_for, name: str) -> list[Case]:
    """What any YAML file can get wrong."""
    bad = {
        "alias-bomb": BOMB,
        "deep-nesting": DEEP_YAML,
        "too-many-aliases": "a: &a 1\nb: [" + ",".join(["*a"] * 150) + "]\n",
        "unclosed-bracket": "a: [1, 2\n",
        "tab-indent": "a:\n\tb: 1\n",
        "bad-mapping": "a: b: c\n",
        "python-tag": "a: !!python/object/apply:os.system ['true']\n",
        "two-documents": "a: 1\n---\nb: 2\n",
        "unhashable-key": "? [a, b]\n: 1\n",
        "undefined-alias": "a: *nowhere\n",
        "binary": b"\xff\xfe\x00\x01garbage\x80\x81",
        "latin1": "a: caf\xe9\n".encode("latin-1"),
        "oversized": "a: " + "x" * (17 * 1024 * 1024) + "\n",
    }
    cases = [Case(id=f"{what}-{k}", files={name: v}, args=args_for(name), names=name) for k, v in bad.items()]
    cases.append(Case(id=f"{what}-missing", args=args_for("nowhere.yaml"), names="nowhere.yaml"))
    cases.append(Case(id=f"{what}-directory", files={"adir/x": "a: 1\n"}, args=args_for("adir"), names="adir"))
    return cases


def _json_file_cases(what: str, args_for, name: str) -> list[Case]:
    """What any JSON file can get wrong."""
    bad = {
        "not-json": "{not json",
        "truncated": '{"schema_version": "1.0", "resources": [',
        "empty": "",
        "deep-nesting": DEEP_JSON,
        "deep-objects": '{"a":' * 300 + "1" + "}" * 300,
        "binary": b"\x00\x01\x02\xff\xfe",
        "latin1": '{"a": "caf\xe9"}'.encode("latin-1"),
        "top-level-list": "[]",
        "top-level-string": '"inventory"',
        "trailing-garbage": '{"a": 1} x',
        "oversized": SPARSE,
    }
    cases = [Case(id=f"{what}-{k}", files={name: v}, args=args_for(name), names=name) for k, v in bad.items()]
    cases.append(Case(id=f"{what}-missing", args=args_for("nowhere.json"), names="nowhere.json"))
    cases.append(Case(id=f"{what}-directory", files={"jdir/x": "{}"}, args=args_for("jdir"), names="jdir"))
    return cases


def _inventory(**over) -> str:
    return json.dumps({"schema_version": "1.0", "accounts": [ACCOUNT], "regions": [REGION],
                       "resources": [NOTEBOOK], "coverage": [], **over})


def _findings(**over) -> str:
    return json.dumps({**FINDINGS_OK, **over})


def _evaluate(*extra):
    return ("evaluate", "inventory.json", "--out", "out", "--format", "json", *extra)


def _cases() -> list[Case]:
    cases: list[Case] = []
    # --- settings ---------------------------------------------------------------------
    settings_args = lambda f: ("settings", "show", "--settings", f)      # noqa: E731
    cases += _yaml_file_cases("settings", settings_args, "team.yaml")
    for k, text in {
        "top-level-list": "- a\n", "top-level-scalar": "just text\n",
        "unknown-key": "no_such_option: 1\n", "unknown-nested": "remediation:\n  no_such: 1\n",
        "number-as-string": "remediation:\n  poll_seconds: soon\n",
        "mapping-as-list": "remediation: [1, 2]\n", "list-as-mapping": "required_tags: {a: 1}\n",
        "bool-as-number": "remediation:\n  poll_seconds: true\n",
        "negative-number": "remediation:\n  poll_seconds: -5\n",
        "nan-number": "remediation:\n  poll_seconds: .nan\n",
        "infinite-number": "remediation:\n  poll_seconds: .inf\n",
        "number-as-bool": "remediation:\n  poll_seconds: []\n",
    }.items():
        cases.append(Case(id=f"settings-{k}", files={"team.yaml": text}, args=settings_args("team.yaml"),
                          names="team.yaml"))
    cases.append(Case(id="settings-bomb-on-evaluate", files={"team.yaml": BOMB},
                      args=_evaluate("--settings", "team.yaml"), names="team.yaml"))
    # --- waivers ----------------------------------------------------------------------
    waiver_args = lambda f: _evaluate("--waivers", f)                    # noqa: E731
    cases += _yaml_file_cases("waivers", waiver_args, "waivers.yaml")
    waiver_bad = {
        "not-a-list": "waivers: 5\n", "scalar": "hello\n", "item-not-mapping": "- just a string\n",
        "unknown-field": json.dumps([{**WAIVER, "color": "red"}]),
        "bad-date": json.dumps([{**WAIVER, "expires": "2027-13-45"}]),
        "date-as-number": json.dumps([{**WAIVER, "expires": 20270101}]),
        "date-as-list": json.dumps([{**WAIVER, "expires": [2027]}]),
        "waivers-mapping": "waivers: {a: 1}\n",
    }
    waiver_bad.update({f"missing-{k}": json.dumps([{x: v for x, v in WAIVER.items() if x != k}]) for k in WAIVER})
    for k, text in waiver_bad.items():
        cases.append(Case(id=f"waivers-{k}", files={"waivers.yaml": text}, args=waiver_args("waivers.yaml"),
                          names="waivers.yaml"))
    # --- inventory --------------------------------------------------------------------
    inv_args = lambda f: ("evaluate", f, "--out", "out", "--format", "json")   # noqa: E731
    cases += _json_file_cases("inventory", inv_args, "inv.json")
    inv_bad = {
        "no-resources": json.dumps({"schema_version": "1.0"}), "resources-not-list": _inventory(resources={}),
        "resource-not-object": _inventory(resources=[5]),
        "resource-no-type": _inventory(resources=[{k: v for k, v in NOTEBOOK.items() if k != "type"}]),
        "type-not-string": _inventory(resources=[{**NOTEBOOK, "type": 7}]),
        "tags-not-object": _inventory(resources=[{**NOTEBOOK, "tags": [1]}]),
        "properties-not-object": _inventory(resources=[{**NOTEBOOK, "properties": "x"}]),
        "relations-not-object": _inventory(resources=[{**NOTEBOOK, "relations": 3}]),
        "id-is-list": _inventory(resources=[{**NOTEBOOK, "id": ["a"]}]),
        "accounts-not-list": _inventory(accounts=5), "regions-not-list": _inventory(regions={"a": 1}),
        "coverage-not-list": _inventory(coverage=3), "coverage-item-not-object": _inventory(coverage=["x"]),
        "coverage-item-empty": _inventory(coverage=[{}]),
    }
    for k, text in inv_bad.items():
        cases.append(Case(id=f"inventory-{k}", files={"inv.json": text}, args=inv_args("inv.json"), names="inv.json"))
    # --- findings (report, remediate, --previous) -------------------------------------
    report_args = lambda f: ("report", f, "--out", "out", "--format", "json")   # noqa: E731
    cases += _json_file_cases("findings", report_args, "f.json")
    findings_bad = {
        "no-schema": json.dumps({"findings": []}), "wrong-major": _findings(schema_version="9.0"),
        "findings-not-list": _findings(findings=5), "finding-not-object": _findings(findings=["x"]),
        "finding-no-policy": _findings(findings=[{k: v for k, v in FINDING.items() if k != "policy_id"}]),
        "bad-severity": _findings(findings=[{**FINDING, "severity": "apocalyptic"}]),
        "bad-status": _findings(findings=[{**FINDING, "status": "MAYBE"}]),
        "resource-not-object": _findings(findings=[{**FINDING, "resource": "b"}]),
        "coverage-item-not-object": _findings(coverage=[1]), "scan-not-object": _findings(scan=[1]),
        "waivers-not-list": _findings(waivers=7),
    }
    for k, text in findings_bad.items():
        cases.append(Case(id=f"findings-{k}", files={"f.json": text}, args=report_args("f.json"), names="f.json"))
    for k in ("not-json", "bad-status", "wrong-major"):
        text = {"not-json": "{", "bad-status": findings_bad["bad-status"], "wrong-major": findings_bad["wrong-major"]}[k]
        cases.append(Case(id=f"remediate-{k}", files={"f.json": text}, args=("remediate", "f.json"), names="f.json"))
        cases.append(Case(id=f"previous-{k}", files={"prev.json": text},
                          args=_evaluate("--previous", "prev.json"), names="prev.json"))
    cases.append(Case(id="remediate-settings-bomb", files={"f.json": _findings(findings=[FINDING]), "s.yaml": BOMB},
                      args=("remediate", "f.json", "--settings", "s.yaml"), names="s.yaml"))
    # --- policies ---------------------------------------------------------------------
    pol_args = ("policies", "list", "--policies", "team")
    policy_bad = {
        "metadata-yaml": GOOD_POLICY.replace("#   severity: low", "#   severity: [low"),
        "metadata-alias-bomb": GOOD_POLICY.replace("# custom:\n", "".join(f"# {ln}\n" for ln in BOMB.splitlines())
                                                   + "# custom:\n"),
        "no-id": GOOD_POLICY.replace("#   id: TEST-TAG-001\n", ""),
        "bad-severity": GOOD_POLICY.replace("severity: low", "severity: apocalyptic"),
        "custom-not-mapping": GOOD_POLICY.replace("# custom:\n", "# custom: 5\n# other:\n"),
        "metadata-a-list": GOOD_POLICY.replace("# title: Notebooks name an owner\n", "# - a list\n"),
        "shipped-id": GOOD_POLICY.replace("TEST-TAG-001", "MLW-TAG-001"),
        "no-package": GOOD_POLICY.replace("package team.owner_tag", ""),
        "no-deny": GOOD_POLICY.replace("deny contains msg if", "allow contains msg if"),
        "binary": b"\xff\xfe\x00package x\n",
        "resource-types-not-list": GOOD_POLICY.replace("[AWS::SageMaker::NotebookInstance]", "5"),
    }
    for k, text in policy_bad.items():
        cases.append(Case(id=f"policy-{k}", files={"team/owner_tag.rego": text}, args=pol_args, names="owner_tag.rego"))
    cases.append(Case(id="policy-rego-syntax", files={"team/owner_tag.rego": GOOD_POLICY.replace(
        'msg := "no owner tag"', 'msg := "no owner tag" +')}, args=_evaluate("--policies", "team"),
        names="owner_tag.rego"))
    cases.append(Case(id="policy-dir-missing", args=pol_args, names="team"))
    cases.append(Case(id="policy-dir-is-file", files={"team": "x"}, args=pol_args, names="team"))
    # --- IaC: CloudFormation, Terraform plans, pipeline definitions --------------------
    iac = lambda f: ("iac", f, "--no-checkov", "--out", "out", "--format", "json")   # noqa: E731
    cfn = {
        "yaml-syntax": "Resources:\n  B: [\n", "alias-bomb": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n" + BOMB,
        "deep-yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: " + "[" * 3000 + "]" * 3000,
        "no-type": "Resources:\n  B:\n    Properties: {}\n", "type-not-string": "Resources:\n  B:\n    Type: [1]\n",
        "resources-list": "AWSTemplateFormatVersion: '2010-09-09'\nResources: [1]\n",
        "properties-list": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: [1]\n",
        "binary": b"Resources:\n  \xff\xfe: 1\n", "oversized": "Resources:\n" + "#" * (17 * 1024 * 1024),
        "bad-ref": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref [a, b]\n",
    }
    for k, text in cfn.items():
        cases.append(Case(id=f"cfn-{k}", files={"t.yaml": text}, args=iac("t.yaml"), names="t.yaml"))
    cases.append(Case(id="cfn-json-syntax", files={"t.json": '{"Resources": {'}, args=iac("t.json"), names="t.json"))
    cases.append(Case(id="cfn-json-deep", files={"t.json": DEEP_JSON}, args=iac("t.json"), names="t.json"))
    cases.append(Case(id="cfn-pipeline-body-not-json", files={"t.yaml": (
        "Resources:\n  P:\n    Type: AWS::SageMaker::Pipeline\n    Properties:\n      PipelineName: p\n"
        "      RoleArn: arn:aws:iam::123456789012:role/r\n      PipelineDefinition:\n"
        "        PipelineDefinitionBody: '{not json'\n")}, args=iac("t.yaml"), names="t.yaml"))
    tf = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}},
          "resource_changes": []}
    for k, doc in {
        "rc-not-list": {**tf, "resource_changes": 5}, "rc-item-not-object": {**tf, "resource_changes": ["x"]},
        "planned-not-object": {**tf, "planned_values": [1]}, "root-module-not-object": {**tf, "planned_values": {"root_module": 3}},
        "resources-not-list": {**tf, "planned_values": {"root_module": {"resources": {"a": 1}}}},
    }.items():
        cases.append(Case(id=f"terraform-{k}", files={"plan.json": json.dumps(doc)}, args=iac("plan.json"),
                          names="plan.json"))
    pipe = {"Version": "2020-12-01", "Steps": []}
    for k, doc in {"steps-not-list": {**pipe, "Steps": 4}, "step-not-object": {**pipe, "Steps": ["x"]},
                   "step-no-type": {**pipe, "Steps": [{"Name": "s", "Arguments": {}}]},
                   "arguments-not-object": {**pipe, "Steps": [{"Name": "s", "Type": "Training", "Arguments": 3}]},
                   "parameters-not-list": {**pipe, "Parameters": 3}}.items():
        cases.append(Case(id=f"pipeline-{k}", files={"pipe.json": json.dumps(doc)}, args=iac("pipe.json"),
                          names="pipe.json"))
    deep_policy = {**tf, "planned_values": {"root_module": {"resources": [{
        "address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
        "values": {"name": "r", "assume_role_policy": "[" * 5000 + "]" * 5000}}]}}}
    cases.append(Case(id="terraform-deep-policy-string", files={"plan.json": json.dumps(deep_policy)},
                      args=iac("plan.json"), names="plan.json"))
    cases.append(Case(id="pipeline-describe-definition-not-json", files={"pipe.json": json.dumps(
        {"PipelineName": "p", "PipelineDefinition": "{nope"})}, args=iac("pipe.json"), names="pipe.json"))
    cases.append(Case(id="pipeline-describe-definition-deep", files={"pipe.json": json.dumps(
        {"PipelineName": "p", "PipelineDefinition": DEEP_JSON})}, args=iac("pipe.json"), names="pipe.json"))
    cases.append(Case(id="iac-unknown-json", files={"x.json": '{"hello": 1}'}, args=iac("x.json"), names="x.json"))
    cases.append(Case(id="iac-missing", args=iac("nowhere.yaml"), names="nowhere.yaml"))
    cases.append(Case(id="iac-inventory-bad", files={"t.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
                                                     "inv.json": "{"},
                      args=(*iac("t.yaml"), "--inventory", "inv.json"), names="inv.json"))
    # --- options ----------------------------------------------------------------------
    for k, args, names in [
        ("fail-on", _evaluate("--fail-on", "bogus"), "--fail-on"), ("workers-zero", _evaluate("--workers", "0"), "--workers"),
        ("workers-text", _evaluate("--workers", "many"), "--workers"), ("engine", _evaluate("--engine", "v8"), "--engine"),
        ("format", _evaluate("--format", "docx"), "docx"), ("report-format", (*report_args("f.json")[:-1], "pdfx"), "pdfx"),
        ("unknown-option", _evaluate("--colour"), "--colour"), ("missing-argument", ("evaluate",), "INVENTORY_FILE"),
        ("unknown-command", ("scna",), "scna"), ("parameter-no-equals", (*iac("t.yaml"), "--parameter", "Env"), "--parameter"),
        ("parameter-unknown", (*iac("t.yaml"), "--parameter", "Nope=1"), "--parameter"),
        ("pipeline-bad-module", (*iac("t.yaml"), "--pipeline", "no_such_module_xyz:pipe"), "--pipeline"),
        ("pipeline-no-colon", (*iac("t.yaml"), "--pipeline", "nocolon"), "--pipeline"),
        ("types-unknown", ("inventory", "--types", "AWS::Nope::Thing", "--regions", REGION), "--types"),
        ("remediate-unknown-policy-file", ("remediate", "f.json", "--policies", "nowhere"), "nowhere"),
        ("remediate-audit-log-unwritable", ("remediate", "f.json", "--apply", "--yes", "--audit-log", "out"),
         "--audit-log"),
    ]:
        files = {"t.yaml": "Resources:\n  B:\n    Type: AWS::S3::Bucket\n", "f.json": _findings(findings=[FINDING])}
        cases.append(Case(id=f"option-{k}", files=files, args=args, names=names))
    return cases


CASES = _cases()


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inventory.json").write_text(_inventory())
    (tmp_path / "out").mkdir()
    return tmp_path


def _write(workdir: Path, files: dict) -> None:
    for name, content in files.items():
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is SPARSE:
            with open(path, "wb") as f:
                f.truncate(600 * 1024 * 1024)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def test_there_are_at_least_100_cases():
    assert len(CASES) >= 100 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_and_exit_2(case, workdir):
    _write(workdir, case.files)
    start = time.monotonic()
    result = CliRunner().invoke(main, list(case.args))
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, (result.exit_code, result.stdout[-500:], result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert case.names in lines[0], lines[0]
    assert elapsed < 20, f"took {elapsed:.1f}s"


_LEVELS = ("a: &a [x,x,x,x,x,x,x,x,x]\n"
           + "".join(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh")))
COMPACT_BOMB = "#" * (288 - len(_LEVELS)) + "\n" + _LEVELS    # 9**8 strings from 289 bytes


def test_a_289_byte_alias_bomb_fails_in_well_under_a_second(workdir):
    (workdir / "bomb.yaml").write_text(COMPACT_BOMB)
    assert len(COMPACT_BOMB.encode()) == 289
    start = time.monotonic()
    result = CliRunner().invoke(main, ["settings", "show", "--settings", "bomb.yaml"])
    assert time.monotonic() - start < 1.0
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("mlwarden: error: bomb.yaml:8: settings file expands to more than 1,000,000 nodes"), line


def test_ordinary_anchors_and_aliases_still_work(workdir):
    (workdir / "team.yaml").write_text("required_tags: &tags [owner, project]\n"
                                       "remediation:\n  poll_seconds: &p 5\n  endpoint_bake_seconds: *p\n")
    result = CliRunner().invoke(main, ["settings", "show", "--settings", "team.yaml"])
    assert result.exit_code == 0, result.stderr
    assert "endpoint_bake_seconds: 5" in result.stdout and "- project" in result.stdout


def test_a_group_without_a_command_still_shows_its_help():
    result = CliRunner().invoke(main, ["policies"])
    assert "Commands:" in result.output and "lint" in result.output
    assert "mlwarden: error" not in result.output
