"""A template's endpoint configuration with ShadowProductionVariants: the shadow's model is
followed to its package like the production variant's (scanner/endpoint_walk.py), and the
registry rules name the shadow variant; a shadow model only deployment knows leaves the
verdicts NOT_ASSESSED, never a PASS on the production variant alone."""
from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

PACKAGE = """
  {name}:
    Type: AWS::SageMaker::ModelPackage
    Properties:
      ModelPackageGroupName: fraud
      ModelApprovalStatus: {status}
      ModelLifeCycle: {{Stage: PROD, StageStatus: Approved}}
      InferenceSpecification:
        Containers:
          - Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:1
            ModelDataUrl: s3://ml-artefacts-111122223333/fraud/{name}.tar.gz
        SupportedContentTypes: [text/csv]
        SupportedResponseMIMETypes: [text/csv]
  {name}Model:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::111122223333:role/ml-exec
      PrimaryContainer: {{ModelPackageName: !Ref {name}}}
"""

TEMPLATE = """
Resources:
{packages}
  Config:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      ExecutionRoleArn: arn:aws:iam::111122223333:role/ml-exec
      ProductionVariants:
        - {{VariantName: primary, ModelName: !GetAtt ChampionModel.ModelName,
            InstanceType: ml.m5.large, InitialInstanceCount: 1}}
      ShadowProductionVariants:
        - {{VariantName: challenger, ModelName: {shadow_model}, InstanceType: ml.m5.large, InitialInstanceCount: 1}}
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: fraud-prod
      EndpointConfigName: !GetAtt Config.EndpointConfigName
      Tags: [{{Key: environment, Value: prod}}]
"""


def _registry(tmp_path: Path, shadow_status: str,
              shadow_model: str = "!GetAtt ChallengerModel.ModelName") -> dict[str, tuple[Status, str]]:
    packages = "".join(PACKAGE.format(name=n, status=s)
                       for n, s in (("Champion", "Approved"), ("Challenger", shadow_status)))
    path = tmp_path / "fraud.yaml"
    path.write_text(TEMPLATE.format(packages=packages, shadow_model=shadow_model))
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF), EvalOptions())
    return {f.policy_id: (f.status, f.message or "") for f in result.findings.findings
            if f.resource.get("id") == "Endpoint" and f.policy_id in ("MLW-REG-003", "MLW-REG-011")}


@pytest.mark.parametrize("status, expected", [("Approved", Status.PASS), ("PendingManualApproval", Status.FAIL)])
def test_the_shadow_model_package_decides(tmp_path, status, expected):
    verdicts = _registry(tmp_path, status)
    assert verdicts["MLW-REG-003"][0] is expected, verdicts
    assert verdicts["MLW-REG-011"][0] is Status.PASS   # in stage PROD either way
    if expected is Status.FAIL:
        message = verdicts["MLW-REG-003"][1]
        assert "(on shadow variant challenger), which is PendingManualApproval, not Approved" in message


def test_a_shadow_model_only_deployment_knows_is_not_assessed(tmp_path):
    verdicts = _registry(tmp_path, "Approved", shadow_model="!ImportValue challenger-model")
    for policy, (status, message) in verdicts.items():
        assert status is Status.NOT_ASSESSED, (policy, message)
        assert ("Config (shadow variant challenger): value unknown before deployment (Fn::ImportValue "
                "challenger-model)") in message
