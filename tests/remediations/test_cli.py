"""`mlwarden remediate`: a dry run changes nothing; --apply asks first; --yes applies,
logs and verifies."""
from __future__ import annotations

import json

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.evaluate import FindingsDocument

from ..conftest import ACCOUNT, REGION
from .conftest import finding


@pytest.fixture
def findings_file(hooks, tmp_path):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="fraud-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    boto3.client("sagemaker", region_name=REGION).create_notebook_instance(
        NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=f"arn:aws:iam::{ACCOUNT}:role/nb")
    passing = finding("AWS::S3::Bucket", "other", "MLW-ENC-017", "s3-tls-only", arn="arn:aws:s3:::other")
    from mlwarden.model import Status
    passing.status = Status.PASS
    no_runbook = finding("AWS::SageMaker::NotebookInstance", "fraud-nb", "MLW-ENC-001", "",
                         arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/fraud-nb")
    no_runbook.remediation = {}
    doc = FindingsDocument(scan={}, coverage=[], findings=[
        finding("AWS::S3::Bucket", "fraud-data", "MLW-INT-012", "s3-versioning", arn="arn:aws:s3:::fraud-data"),
        finding("AWS::SageMaker::NotebookInstance", "fraud-nb", "MLW-NET-001", "notebook-direct-internet",
                arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/fraud-nb"),
        passing, no_runbook,
    ])
    path = tmp_path / "findings.json"
    doc.save(path)
    return path


def versioning():
    return boto3.client("s3", region_name=REGION).get_bucket_versioning(Bucket="fraud-data").get("Status")


def test_dry_run_prints_plans_and_changes_nothing(findings_file, tmp_path):
    log = tmp_path / "audit.jsonl"
    result = CliRunner().invoke(main, ["remediate", str(findings_file), "--audit-log", str(log)])
    assert result.exit_code == 0, result.output
    assert "s3:PutBucketVersioning" in result.output and '"Status": "Enabled"' in result.output
    assert "plan only" in result.output and "CreateNotebookInstance" in result.output
    assert ("Dry run: nothing was changed. 1 plan(s) can be applied with --apply; "
            "1 finding group(s) have no runbook.") in result.output
    assert "other" not in result.output  # PASS findings are not remediated
    assert versioning() is None and not log.exists()


def test_json_dry_run(findings_file):
    result = CliRunner().invoke(main, ["remediate", str(findings_file), "--json", "--resource", "arn:aws:s3:::fraud-data"])
    assert result.exit_code == 0, result.output
    [plan] = json.loads(result.output)["plans"]
    assert plan["plan"]["calls"][0]["operation"] == "PutBucketVersioning"


def test_apply_asks_and_no_means_nothing_changes(findings_file, tmp_path):
    log = tmp_path / "audit.jsonl"
    result = CliRunner().invoke(main, ["remediate", str(findings_file), "--apply", "--audit-log", str(log)],
                                input="n\n")
    assert result.exit_code == 1 and "Apply 1 plan(s)?" in result.output
    assert versioning() is None and not log.exists()


def test_apply_yes_changes_logs_and_verifies(findings_file, tmp_path):
    log = tmp_path / "audit.jsonl"
    result = CliRunner().invoke(main, ["remediate", str(findings_file), "--apply", "--yes",
                                       "--audit-log", str(log)])
    # the plan-only and the runbook-less findings are for a person: they do not fail the run
    assert result.exit_code == 0, result.output
    assert versioning() == "Enabled"
    assert "applied" in result.output and "verify: PASS" in result.output
    events = [json.loads(ln)["event"] for ln in log.read_text().splitlines()]
    assert events == ["apply-started", "call", "call", "apply-finished", "verified", "apply-summary"]


def test_bad_findings_file_is_an_input_error(hooks, tmp_path):
    bad = tmp_path / "f.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(main, ["remediate", str(bad)])
    assert result.exit_code == 2 and "f.json:1: not valid JSON" in result.output
