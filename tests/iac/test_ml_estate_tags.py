"""Required tags reach the buckets, keys and roles ML resources use, and only those."""
from __future__ import annotations

import textwrap

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

TEMPLATE = textwrap.dedent("""\
    Resources:
      Artefacts:
        Type: AWS::S3::Bucket
        Properties: {BucketName: ml-artefacts}
      Logs:
        Type: AWS::S3::Bucket
        Properties: {BucketName: web-logs}
      Exec:
        Type: AWS::IAM::Role
        Properties:
          Tags: [{Key: owner, Value: ml-platform}]
          AssumeRolePolicyDocument:
            Statement: [{Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:AssumeRole}]
      Scorer:
        Type: AWS::SageMaker::Model
        Properties:
          ExecutionRoleArn: !GetAtt Exec.Arn
          PrimaryContainer: {Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/scorer:1, ModelDataUrl: s3://ml-artefacts/model.tar.gz}
          Tags: [{Key: owner, Value: a}, {Key: project, Value: b}, {Key: cost-center, Value: c}, {Key: environment, Value: prod}]
    """)


def test_tags_are_required_on_what_ml_resources_reference(tmp_path):
    t = tmp_path / "stack.yaml"
    t.write_text(TEMPLATE)
    result = scan_iac(IacOptions(paths=(t,), checkov=CHECKOV_OFF), EvalOptions())
    tag = {f.resource["id"]: f for f in result.findings.findings if f.policy_id == "MLW-TAG-001"}
    assert tag["Artefacts"].status == Status.FAIL and "owner" in tag["Artefacts"].message
    assert tag["Exec"].status == Status.FAIL and "project" in tag["Exec"].message
    assert tag["Scorer"].status == Status.PASS
    assert "Logs" not in tag   # not ML work: not judged by the ML estate's tagging rule
    artefacts = next(r for r in result.inventory.resources if r.id == "Artefacts")
    assert artefacts.facts["ml_referenced_by"] == ["cfn://" + str(t) + "#Scorer"]


def test_required_tags_are_configurable_per_type(tmp_path):
    t = tmp_path / "stack.yaml"
    t.write_text(TEMPLATE)
    settings = tmp_path / "settings.yaml"
    settings.write_text('required_tags_by_type:\n  "AWS::IAM::Role": [owner]\n  "AWS::S3::Bucket": []\n')
    result = scan_iac(IacOptions(paths=(t,), checkov=CHECKOV_OFF), EvalOptions(settings_file=settings))
    tag = {f.resource["id"]: f.status for f in result.findings.findings if f.policy_id == "MLW-TAG-001"}
    assert tag["Exec"] == Status.PASS and tag["Artefacts"] == Status.PASS
