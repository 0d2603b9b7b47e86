"""Boolean and numeric properties given as text in a template ("true", "1", a String
parameter's value) are judged as CloudFormation deploys them: booleans and numbers."""
from __future__ import annotations

import textwrap

from mlwarden.api import EvalOptions
from mlwarden.iac.cloudformation import scalars_as_deployed
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.iac.unknown import unknown
from mlwarden.model import Status

TEMPLATE = textwrap.dedent("""\
    Parameters:
      Isolate: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
    Resources:
      ByParameter:
        Type: AWS::SageMaker::Model
        Properties:
          ExecutionRoleArn: arn:aws:iam::123456789012:role/r
          PrimaryContainer: {Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1}
          EnableNetworkIsolation: !Ref Isolate
      QuotedFalse:
        Type: AWS::SageMaker::Model
        Properties:
          ExecutionRoleArn: arn:aws:iam::123456789012:role/r
          PrimaryContainer: {Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1}
          EnableNetworkIsolation: "False"
      OneInstance:
        Type: AWS::SageMaker::EndpointConfig
        Properties:
          ProductionVariants:
            - {VariantName: a, ModelName: m, InstanceType: ml.m5.large, InitialInstanceCount: "1"}
      TwoInstances:
        Type: AWS::SageMaker::EndpointConfig
        Properties:
          ProductionVariants:
            - {VariantName: a, ModelName: m, InstanceType: ml.m5.large, InitialInstanceCount: "2"}
    """)


def _verdicts(path, policy="MLW-NET-008", **kw):
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF, **kw), EvalOptions())
    return {f.resource["id"]: f.status for f in result.findings.findings if f.policy_id == policy}


def test_string_booleans_are_judged_as_deployed(tmp_path):
    t = tmp_path / "models.yaml"
    t.write_text(TEMPLATE)
    assert _verdicts(t) == {"ByParameter": Status.PASS, "QuotedFalse": Status.FAIL}
    assert _verdicts(t, parameters={"Isolate": "false"})["ByParameter"] == Status.FAIL


def test_a_quoted_instance_count_is_counted(tmp_path):
    # "1" passed MLW-MON-003 before: the policy compares numbers and skipped the text.
    t = tmp_path / "configs.yaml"
    t.write_text(TEMPLATE)
    assert _verdicts(t, "MLW-MON-003") == {"OneInstance": Status.FAIL, "TwoInstances": Status.PASS}


def test_only_boolean_properties_of_the_schema_change():
    props = {"NetworkConfig": {"EnableInterContainerTrafficEncryption": "TRUE",
                               "VpcConfig": {"Subnets": ["true"]}},
             "JobDefinitionName": "true",
             "StoppingCondition": {"MaxRuntimeInSeconds": "false"},
             "JobResources": {"ClusterConfig": {"InstanceCount": "+2", "VolumeSizeInGB": "2.5"}}}
    out = scalars_as_deployed("AWS::SageMaker::DataQualityJobDefinition", props)
    assert out["NetworkConfig"]["EnableInterContainerTrafficEncryption"] is True
    assert out["NetworkConfig"]["VpcConfig"]["Subnets"] == ["true"]          # a list of strings
    assert out["JobDefinitionName"] == "true"                                # a string property
    assert out["StoppingCondition"]["MaxRuntimeInSeconds"] == "false"        # not a number: as written
    assert out["JobResources"]["ClusterConfig"] == {"InstanceCount": 2, "VolumeSizeInGB": "2.5"}  # integers only
    # Items of arrays follow the schema's `items`; unknown markers and unknown types stay.
    bucket = scalars_as_deployed("AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"BucketKeyEnabled": "true"}]}, "PublicAccessBlockConfiguration": {"BlockPublicAcls": unknown("a parameter")}})
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["BucketKeyEnabled"] is True
    assert bucket["PublicAccessBlockConfiguration"]["BlockPublicAcls"] == unknown("a parameter")
    assert scalars_as_deployed("Custom::Thing", {"Enabled": "true"}) == {"Enabled": "true"}
    assert scalars_as_deployed("AWS::NoSuch::Type", {"Enabled": "true"}) == {"Enabled": "true"}


def test_enum_text_sagemaker_does_not_accept_fails_saying_so(tmp_path):
    # Unlike "true" for a Boolean, "disabled" is not converted: CloudFormation's schema and
    # SageMaker accept only "Disabled", so the stack does not deploy as written.
    t = tmp_path / "notebook.yaml"
    t.write_text(textwrap.dedent("""\
        Resources:
          Lower:
            Type: AWS::SageMaker::NotebookInstance
            Properties:
              InstanceType: ml.t3.medium
              RoleArn: arn:aws:iam::123456789012:role/r
              DirectInternetAccess: disabled
              RootAccess: DISABLED
        """))
    result = scan_iac(IacOptions(paths=(t,), checkov=CHECKOV_OFF), EvalOptions())
    got = {f.policy_id: (f.status, f.message) for f in result.findings.findings
           if f.policy_id in ("MLW-NET-001", "MLW-NET-003")}
    assert got == {
        "MLW-NET-001": (Status.FAIL, "notebook instance Lower sets DirectInternetAccess to disabled, "
                                     "which SageMaker does not accept (Enabled or Disabled)"),
        "MLW-NET-003": (Status.FAIL, "notebook instance Lower sets RootAccess to DISABLED, "
                                     "which SageMaker does not accept (Enabled or Disabled)")}
