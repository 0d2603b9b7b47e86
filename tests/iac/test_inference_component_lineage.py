"""A template's endpoint built on inference components (AWS::SageMaker::InferenceComponent)
is judged by the registry rules through the components the template attaches to it
(scanner/endpoint_walk.py), as a live one is; a component's model that only deployment
knows leaves the verdict NOT_ASSESSED, never a guess."""
from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

TEMPLATE = """
Resources:
  Package:
    Type: AWS::SageMaker::ModelPackage
    Properties:
      ModelPackageGroupName: llm
      ModelApprovalStatus: {status}
      ModelLifeCycle: {{Stage: PROD, StageStatus: Approved}}
      InferenceSpecification:
        Containers:
          - Image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/llm:1
            ModelDataUrl: s3://ml-artefacts-111122223333/llm/model.tar.gz
        SupportedContentTypes: [application/json]
        SupportedResponseMIMETypes: [application/json]
  Model:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::111122223333:role/ml-exec
      PrimaryContainer: {{ModelPackageName: !Ref Package}}
  Config:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      ExecutionRoleArn: arn:aws:iam::111122223333:role/ml-exec
      ProductionVariants:
        - {{VariantName: shared, InstanceType: ml.g5.12xlarge, InitialInstanceCount: 1}}
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: llm-prod
      EndpointConfigName: !GetAtt Config.EndpointConfigName
      Tags: [{{Key: environment, Value: prod}}]
  Component:
    Type: AWS::SageMaker::InferenceComponent
    Properties:
      EndpointName: !GetAtt Endpoint.EndpointName
      VariantName: shared
      Specification:
        ModelName: {model}
        ComputeResourceRequirements: {{MinMemoryRequiredInMb: 1024}}
      RuntimeConfig: {{CopyCount: 1}}
"""


def _registry(tmp_path: Path, status: str, model: str = "!GetAtt Model.ModelName") -> dict[str, tuple[Status, str]]:
    path = tmp_path / "llm.yaml"
    path.write_text(TEMPLATE.format(status=status, model=model))
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF), EvalOptions())
    return {f.policy_id: (f.status, f.message or "") for f in result.findings.findings
            if f.resource.get("id") == "Endpoint" and f.policy_id in ("MLW-REG-003", "MLW-REG-011")}


@pytest.mark.parametrize("status, expected", [("Approved", Status.PASS), ("Rejected", Status.FAIL)])
def test_the_component_model_package_decides(tmp_path, status, expected):
    verdicts = _registry(tmp_path, status)
    assert verdicts["MLW-REG-003"][0] is expected, verdicts
    assert verdicts["MLW-REG-011"][0] is Status.PASS   # in stage PROD either way
    if expected is Status.FAIL:
        assert "which is Rejected, not Approved" in verdicts["MLW-REG-003"][1]


def test_a_component_model_only_deployment_knows_is_not_assessed(tmp_path):
    verdicts = _registry(tmp_path, "Approved", model="!ImportValue shared-llm-model")
    for policy, (status, message) in verdicts.items():
        assert status is Status.NOT_ASSESSED, (policy, message)
        assert "Specification.ModelName: value unknown before deployment" in message
