"""A failing finding names the attribute it is about, and in a template points at its line.

Each violation of the shipped policies carries the path of the attribute it judges
(policies/lib/util.rego `violation`); `mlwarden iac` points the finding's file:line at
that attribute, or at the closest parent the template has (a missing attribute belongs
under Properties), and a passing finding at the resource. The reports show the path.
"""
from __future__ import annotations

import json
import textwrap

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

TEMPLATE = textwrap.dedent("""\
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Notebook:
        Type: AWS::SageMaker::NotebookInstance
        Properties:
          InstanceType: ml.t3.medium
          RoleArn: arn:aws:iam::111122223333:role/notebook
          KmsKeyId: alias/aws/sagemaker
          DirectInternetAccess: Enabled
          RootAccess: Disabled
          SubnetId: subnet-1
          Tags:
            - {Key: owner, Value: ml}
    """)


def _findings(tmp_path):
    path = tmp_path / "notebook.yaml"
    path.write_text(TEMPLATE)
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF), EvalOptions())
    return {f.policy_id: f for f in result.findings.findings if f.resource["id"] == "Notebook"}


def test_a_violation_points_at_its_attribute_a_missing_one_at_properties_a_pass_at_the_resource(tmp_path):
    f = _findings(tmp_path)
    aws_key = f["MLW-ENC-001"]
    assert aws_key.status == Status.FAIL
    assert aws_key.violations == [{
        "msg": "notebook instance Notebook uses the AWS managed key alias/aws/sagemaker instead of a "
               "customer-managed KMS key",
        "path": ["properties", "KmsKeyId"]}]
    assert aws_key.resource["source"]["line"] == 8
    assert f["MLW-NET-001"].resource["source"]["line"] == 9            # DirectInternetAccess
    idle = f["MLW-MON-005"]                                              # no LifecycleConfigName
    assert idle.violations[0]["path"] == ["properties", "LifecycleConfigName"]
    assert idle.resource["source"]["line"] == 5                         # Properties:
    tags = f["MLW-TAG-001"]                                              # tags judged: the Tags property
    assert tags.violations[0]["path"] == ["tags"] and tags.resource["source"]["line"] == 12
    subnet = f["MLW-NET-013"]                                            # a related resource: the property naming it
    assert subnet.violations[0]["path"] == ["related_missing", "subnets", 0]
    assert subnet.resource["source"]["line"] == 11                      # SubnetId
    root = f["MLW-NET-003"]
    assert root.status == Status.PASS and not root.violations
    assert root.resource["source"]["line"] == 3                         # the resource itself


def test_reports_show_the_path_and_point_sarif_at_the_attribute(tmp_path):
    from click.testing import CliRunner
    from mlwarden.cli import main
    (tmp_path / "notebook.yaml").write_text(TEMPLATE)
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["iac", "--no-checkov", str(tmp_path / "notebook.yaml"), "--out", str(out),
                                    "--format", "json,sarif,html"], catch_exceptions=False)
    assert run.exit_code == 1, run.output      # high-severity failures
    doc = json.loads((out / "findings.json").read_text())
    assert doc["schema_version"] == "1.2"
    enc = next(f for f in doc["findings"] if f["policy_id"] == "MLW-ENC-001")
    assert enc["violations"][0]["path"] == ["properties", "KmsKeyId"]
    sarif = json.loads((out / "findings.sarif").read_text())
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "MLW-ENC-001")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    assert result["message"]["text"].endswith("(at properties.KmsKeyId)")
    html = (out / "report.html").read_text()
    assert "(at properties.KmsKeyId)" in html and "notebook.yaml:8" in html
