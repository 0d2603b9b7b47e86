"""YAML scalars reach the policies as CloudFormation would see them, and one bad file
never costs the findings of the others."""
from __future__ import annotations

import json
import textwrap

import pytest

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

from .test_iac_scan import _cli

# A valid template as people write it: unquoted dates, a time of day, YAML 1.1 booleans.
TEMPLATE = textwrap.dedent("""\
    AWSTemplateFormatVersion: 2010-09-09
    Resources:
      Data:
        Type: AWS::S3::Bucket
        Properties:
          BucketName: ml-data
          Tags:
            - Key: created
              Value: 2024-01-02T03:04:05Z
            - Key: backup-window
              Value: 12:30:00
            - Key: reviewed
              Value: YES
      TlsOnly:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Data
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Deny
                Principal: "*"
                Action: s3:*
                Resource: [arn:aws:s3:::ml-data, arn:aws:s3:::ml-data/*]
                Condition: {Bool: {aws:SecureTransport: false}}
    """)


def _scan(*paths):
    return scan_iac(IacOptions(paths=tuple(paths), checkov=CHECKOV_OFF), EvalOptions())


def test_unquoted_dates_times_and_booleans_are_judged_as_cloudformation_sees_them(tmp_path):
    t = tmp_path / "bucket.yaml"
    t.write_text(TEMPLATE)
    result = _scan(t)
    bucket = next(r for r in result.inventory.resources if r.id == "Data")
    assert bucket.properties["PolicyDocument"]["Version"] == "2012-10-17"
    assert bucket.tags == {"created": "2024-01-02T03:04:05Z", "backup-window": "12:30:00", "reviewed": "true"}
    verdicts = {f.policy_id: f.status for f in result.findings.findings if f.resource.get("id") == "Data"}
    # The TLS-only bucket policy was read and judged (it would crash the engine as a date).
    assert verdicts["MLW-ENC-017"] == Status.PASS
    assert not [f for f in result.findings.findings if f.status == Status.ERROR]


def test_cli_exits_by_findings_not_by_crash(tmp_path):
    t = tmp_path / "bucket.yaml"
    t.write_text(TEMPLATE)
    proc = _cli("iac", str(t), "--no-checkov", "--format", "json", "--out", str(tmp_path / "out"),
                "--fail-on", "critical")
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert any(f["policy_id"] == "MLW-ENC-017" and f["status"] == "PASS" for f in doc["findings"])
    critical = [f for f in doc["findings"] if f["severity"] == "critical" and f["status"] in ("FAIL", "ERROR")]
    assert proc.returncode == (1 if critical else 0), proc.stderr


@pytest.mark.parametrize("value, line, message", [
    ("!!binary aGVsbG8=", 5, "does not support YAML !!binary"),
    (".nan", 5, "'.nan' is not a number"),
    ("!!set {a, b}", 5, "does not support YAML !!set"),
])
def test_values_the_engines_cannot_take_are_one_line_errors(tmp_path, value, line, message):
    t = tmp_path / "odd.yaml"
    t.write_text(f"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {value}\n")
    proc = _cli("iac", str(t), "--no-checkov", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"odd.yaml:{line}: " in lines[0] and message in lines[0], proc.stderr


def test_nan_in_a_terraform_plan_is_an_error_naming_the_file(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": '
                    '"aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", '
                    '"values": {"bucket": "b", "policy": "{\\"Version\\": NaN}"}}]}}}')
    proc = _cli("iac", str(plan), "--no-checkov", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "plan.json:1: aws_s3_bucket.b: value nan cannot be judged" in proc.stderr, proc.stderr


def test_one_bad_template_keeps_the_others_findings(tmp_path):
    (tmp_path / "iac").mkdir()
    (tmp_path / "iac" / "a_good.yaml").write_text(TEMPLATE)
    (tmp_path / "iac" / "b_bad.yaml").write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !!binary aGVsbG8=\n")
    result = _scan(tmp_path / "iac")
    assert [f.display for f in result.loaded.files] == [str(tmp_path / "iac" / "a_good.yaml")]
    assert any(f.resource.get("id") == "Data" and f.status == Status.PASS for f in result.findings.findings)
    # The bad file is a gap of the scan, with its line and reason.
    gap, = result.findings.coverage
    assert gap.resource_id == str(tmp_path / "iac" / "b_bad.yaml") and "b_bad.yaml:5:" in gap.message
    proc = _cli("iac", str(tmp_path / "iac"), "--no-checkov", "--format", "json", "--out", str(tmp_path / "out"),
                "--fail-on", "critical")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("mlwarden: error: ") and "b_bad.yaml:5:" in proc.stderr
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert any(f["resource"].get("id") == "Data" for f in doc["findings"])
    assert doc["scan"]["file_errors"][0]["file"].endswith("b_bad.yaml")
