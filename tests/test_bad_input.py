"""What a user sees when their input is wrong, and when AWS cannot be read.

Bad input (a policy, settings, waivers or inventory file) is one line on stderr
naming the file (and line or option), exit code 2, and nothing already in the
output directory is touched. An AWS service the scan cannot read is a coverage
gap: NOT_ASSESSED findings, never a pass, and the rest of the scan completes.
"""
from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.cli import main

from .conftest import ACCOUNT, REGION

GOOD_POLICY = """\
# METADATA
# title: Notebooks name an owner
# description: Every notebook carries an owner tag.
# custom:
#   id: TEST-TAG-001
#   severity: low
#   category: tagging
#   resource_types: [AWS::SageMaker::NotebookInstance]
package team.owner_tag

import rego.v1

deny contains msg if {
	not input.resource.tags.owner
	msg := "no owner tag"
}
"""

NOTEBOOK = {"type": "AWS::SageMaker::NotebookInstance", "id": "nb-1",
            "arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/nb-1",
            "account": ACCOUNT, "region": REGION, "tags": {},
            "properties": {"NotebookInstanceName": "nb-1", "DirectInternetAccess": "Enabled",
                           "RootAccess": "Enabled"}}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A directory with a valid inventory and an output directory from an earlier run."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inventory.json").write_text(json.dumps(
        {"schema_version": "1.0", "accounts": [ACCOUNT], "regions": [REGION],
         "resources": [NOTEBOOK], "coverage": []}))
    out = tmp_path / "out"
    out.mkdir()
    for name in ("findings.json", "report.html", "inventory.json", "manifest.json"):
        (out / name).write_text(f"earlier {name}\n")
    return tmp_path


def _snapshot(d: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(d.iterdir())}


def _run_bad(args: list[str], workdir: Path, *must_name: str) -> str:
    before = _snapshot(workdir / "out")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, (result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in must_name:
        assert text in lines[0], lines[0]
    assert result.stdout == ""
    assert _snapshot(workdir / "out") == before, "the output directory was touched"
    return lines[0]


def _policy_dir(workdir: Path, text: str) -> Path:
    d = workdir / "team-policies"
    d.mkdir(exist_ok=True)
    (d / "owner_tag.rego").write_text(text)
    return d


def _evaluate(*extra: str) -> list[str]:
    return ["evaluate", "inventory.json", "--out", "out", "--format", "json", *extra]


# --- policies -------------------------------------------------------------------------

def test_good_policy_directory_is_accepted(workdir):
    d = _policy_dir(workdir, GOOD_POLICY)
    result = CliRunner().invoke(main, _evaluate("--policies", str(d), "--fail-on", "critical"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads((workdir / "out" / "findings.json").read_text())
    mine = [f for f in doc["findings"] if f["policy_id"] == "TEST-TAG-001"]
    assert [(f["status"], f["resource"]["id"]) for f in mine] == [("FAIL", "nb-1")]


def test_policy_with_invalid_metadata_yaml(workdir):
    text = GOOD_POLICY.replace("#   severity: low", "#   severity: [low")
    d = _policy_dir(workdir, text)
    # line 7 of the file is the broken severity line
    line = _run_bad(_evaluate("--policies", str(d)), workdir, "owner_tag.rego", "METADATA")
    assert "owner_tag.rego:" in line


def test_policy_without_an_id(workdir):
    d = _policy_dir(workdir, GOOD_POLICY.replace("#   id: TEST-TAG-001\n", ""))
    _run_bad(_evaluate("--policies", str(d)), workdir, "owner_tag.rego:", "id")


@pytest.mark.parametrize("remediation, names", [
    ("{steps: tag it}", "custom.remediation.steps must be a list of sentences"),
    ("{steps: ['']}", "custom.remediation.steps must be a list of sentences"),
    ("{runbook: required-tags, how: by hand}", "custom.remediation has unknown field(s): how"),
])
def test_policy_with_malformed_remediation_steps(workdir, remediation, names):
    text = GOOD_POLICY.replace("#   resource_types:", f"#   remediation: {remediation}\n#   resource_types:")
    d = _policy_dir(workdir, text)
    _run_bad(_evaluate("--policies", str(d)), workdir, "owner_tag.rego:", names)


def test_policy_with_a_rego_syntax_error(workdir):
    d = _policy_dir(workdir, GOOD_POLICY.replace('msg := "no owner tag"', 'msg := "no owner tag" +'))
    _run_bad(_evaluate("--policies", str(d)), workdir, "owner_tag.rego")


def test_policies_option_that_is_not_a_directory(workdir):
    _run_bad(_evaluate("--policies", "nowhere"), workdir, "--policies", "nowhere")


def test_bad_policy_fails_a_scan_before_any_aws_call(workdir):
    """Input is checked first: the endpoint below does not exist and is never called."""
    d = _policy_dir(workdir, GOOD_POLICY.replace("#   id: TEST-TAG-001\n", ""))
    _run_bad(["scan", "--endpoint-url", "http://127.0.0.1:9", "--regions", REGION, "--out", "out",
              "--format", "json", "--policies", str(d)], workdir, "owner_tag.rego:")


# --- settings -------------------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ("required_tags: [owner\nproduction: {}\n", ["settings.yaml:", "YAML"]),
    ("quota_headroom_percent: 80\nrequired_tagz: [owner]\n", ["settings.yaml:2", "required_tagz"]),
    ("quota_headroom_percent: eighty\n", ["settings.yaml:1", "quota_headroom_percent", "number"]),
    ("production:\n  tag: environment\n  values: prod\n", ["settings.yaml:3", "production.values", "list"]),
])
def test_malformed_settings(workdir, text, names):
    (workdir / "settings.yaml").write_text(text)
    _run_bad(_evaluate("--settings", "settings.yaml"), workdir, *names)


def test_missing_settings_file(workdir):
    _run_bad(_evaluate("--settings", "nope.yaml"), workdir, "nope.yaml")


# --- waivers --------------------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ("waivers:\n  - policy_id: MLW-ENC-001\n    resource: [\n", ["waivers.yaml:", "YAML"]),
    ("waivers:\n  - policy_id: MLW-ENC-001\n    resource: nb-1\n    reason: lab\n    owner: me\n",
     ["waivers.yaml:2", "expires"]),
    ("waivers:\n  - policy_id: MLW-ENC-001\n    resource: nb-1\n    reason: lab\n    owner: me\n"
     "    expires: next year\n", ["waivers.yaml:2", "expires"]),
    ("waivers:\n  - policy_id: MLW-ENC-001\n    resource: nb-1\n    reason: lab\n    owner: me\n"
     "    expires: 2027-01-01\n    ticket: SEC-1\n", ["waivers.yaml:2", "ticket"]),
])
def test_malformed_waivers(workdir, text, names):
    (workdir / "waivers.yaml").write_text(text)
    _run_bad(_evaluate("--waivers", "waivers.yaml"), workdir, *names)


# --- inventory ------------------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ('{"resources": [\n  {"type": "AWS::S3::Bucket",\n', ["broken.json:", "JSON"]),
    ('{"schema_version": "1.0", "coverage": []}', ["broken.json", "resources"]),
    ('{"resources": [{"type": "AWS::S3::Bucket"}]}', ["broken.json", "resources[0]", "id"]),
    ("", ["broken.json", "JSON"]),
])
def test_malformed_inventory(workdir, text, names):
    (workdir / "broken.json").write_text(text)
    _run_bad(["evaluate", "broken.json", "--out", "out", "--format", "json"], workdir, *names)


def test_missing_inventory_file(workdir):
    _run_bad(["evaluate", "absent.json", "--out", "out"], workdir, "absent.json")


# --- a policy that fails at evaluation time -------------------------------------------

ERRORING_POLICY = """\
# METADATA
# title: Notebook volume size parses
# description: A policy whose builtin fails at evaluation time.
# custom:
#   id: TEST-ERR-001
#   severity: medium
#   category: tagging
#   resource_types: [AWS::SageMaker::NotebookInstance]
package team.erroring

import rego.v1

deny contains msg if {
	to_number(input.resource.properties.NotebookInstanceName) > 1
	msg := "never"
}
"""


# The Wasm engine judges custom policies with native OPA (strict builtin errors): OPA's
# Wasm ABI makes a failing builtin undefined, which would let this deny rule not fire.
@pytest.mark.parametrize("engine", [pytest.param("opa", marks=pytest.mark.opa), "wasm"])
def test_an_evaluation_error_is_an_error_finding_for_that_policy_only(workdir, engine):
    d = _policy_dir(workdir, GOOD_POLICY)
    (d / "erroring.rego").write_text(ERRORING_POLICY)
    result = CliRunner().invoke(main, _evaluate("--policies", str(d), "--fail-on", "critical",
                                                "--engine", engine))
    doc = json.loads((workdir / "out" / "findings.json").read_text())
    by_policy: dict[str, list[str]] = {}
    for f in doc["findings"]:
        by_policy.setdefault(f["policy_id"], []).append(f["status"])
    # one verdict per (policy, resource): the error stays with the policy that raised it
    assert by_policy["TEST-ERR-001"] == ["ERROR"]
    assert by_policy["TEST-TAG-001"] == ["FAIL"]
    assert by_policy["MLW-ENC-001"] == ["FAIL"]
    assert result.exit_code == 0  # the ERROR is medium, under --fail-on critical


# --- coverage gaps --------------------------------------------------------------------

def test_a_service_that_cannot_be_read_is_not_assessed(moto_server, tmp_path, monkeypatch):
    """KMS answers AccessDenied (as under an SCP); the rest of the scan completes."""
    from moto.kms.exceptions import AccessDeniedException
    from moto.kms.responses import KmsResponse

    from mlwarden.demo import moto_extensions

    moto_extensions.install()  # what moto lacks (monitoring, Signer listing, quotas) answers
    moto_server.reset()

    def denied(self):
        raise AccessDeniedException(
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/audit/scan is not authorized to perform: "
            "kms:ListKeys with an explicit deny in a service control policy")

    monkeypatch.setattr(KmsResponse, "list_keys", denied)
    sm = boto3.client("sagemaker", region_name=REGION, endpoint_url=moto_server.url)
    sm.create_notebook_instance(NotebookInstanceName="plain", InstanceType="ml.t3.medium",
                                RoleArn=f"arn:aws:iam::{ACCOUNT}:role/nb")
    boto3.client("kms", region_name=REGION, endpoint_url=moto_server.url).create_key(
        Description="exists but cannot be listed")

    out = tmp_path / "out"
    # Three types keep the test quick on a cold server; the full estate is tests/e2e's.
    result = CliRunner().invoke(main, [
        "scan", "--endpoint-url", moto_server.url, "--regions", REGION, "--out", str(out),
        "--types", "AWS::SageMaker::NotebookInstance,AWS::KMS::Key,AWS::S3::Bucket",
        "--format", "json", "--fail-on", "high"])
    doc = json.loads((out / "findings.json").read_text())
    gaps = [g for g in doc["coverage"] if g["resource_type"] == "AWS::KMS::Key"]
    assert [g["resource_type"] for g in doc["coverage"]] == ["AWS::KMS::Key"]
    assert gaps[0]["error_code"] == "AccessDeniedException"
    assert gaps[0]["region"] == REGION
    kms_findings = [f for f in doc["findings"] if f["resource"]["type"] == "AWS::KMS::Key"]
    assert kms_findings, "the KMS policies must report the gap"
    assert {f["status"] for f in kms_findings} == {"NOT_ASSESSED"}
    # the rest of the scan went on: the notebook was read and judged
    nb = [f for f in doc["findings"] if f["policy_id"] == "MLW-ENC-001"]
    assert [(f["resource"]["id"], f["status"]) for f in nb] == [("plain", "FAIL")]
    # exit code from the failures (the unencrypted notebook is high), not from the gap
    assert result.exit_code == 1
    assert "NOT ASSESSED" in result.stdout and "AWS::KMS::Key" in result.stdout


# --- AWS credentials ------------------------------------------------------------------

@pytest.fixture
def no_credentials(workdir, monkeypatch):
    for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(workdir / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(workdir / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask an instance metadata service
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)


def test_no_credentials_is_one_line_not_a_traceback(workdir, no_credentials):
    _run_bad(["scan", "--endpoint-url", "http://127.0.0.1:9", "--regions", REGION, "--out", "out",
              "--format", "json"], workdir, "AWS credentials")


def test_unknown_profile_names_the_option(workdir, no_credentials):
    _run_bad(["scan", "--profile", "nosuch", "--regions", REGION, "--out", "out", "--format", "json"],
             workdir, "--profile", "nosuch")
