"""Boolean properties given as text in a template ("true", a String parameter's value)
are judged as CloudFormation deploys them: booleans."""
from __future__ import annotations

import textwrap

from mlwarden.api import EvalOptions
from mlwarden.iac.cloudformation import booleans_as_deployed
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
    """)


def _verdicts(path, **kw):
    result = scan_iac(IacOptions(paths=(path,), checkov=CHECKOV_OFF, **kw), EvalOptions())
    return {f.resource["id"]: f.status for f in result.findings.findings if f.policy_id == "MLW-NET-008"}


def test_string_booleans_are_judged_as_deployed(tmp_path):
    t = tmp_path / "models.yaml"
    t.write_text(TEMPLATE)
    assert _verdicts(t) == {"ByParameter": Status.PASS, "QuotedFalse": Status.FAIL}
    assert _verdicts(t, parameters={"Isolate": "false"})["ByParameter"] == Status.FAIL


def test_only_boolean_properties_of_the_schema_change():
    props = {"NetworkConfig": {"EnableInterContainerTrafficEncryption": "TRUE",
                               "VpcConfig": {"Subnets": ["true"]}},
             "JobDefinitionName": "true",
             "StoppingCondition": {"MaxRuntimeInSeconds": "false"}}
    out = booleans_as_deployed("AWS::SageMaker::DataQualityJobDefinition", props)
    assert out["NetworkConfig"]["EnableInterContainerTrafficEncryption"] is True
    assert out["NetworkConfig"]["VpcConfig"]["Subnets"] == ["true"]          # a list of strings
    assert out["JobDefinitionName"] == "true"                                # a string property
    assert out["StoppingCondition"]["MaxRuntimeInSeconds"] == "false"        # not Boolean: as written
    # Items of arrays follow the schema's `items`; unknown markers and unknown types stay.
    bucket = booleans_as_deployed("AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        {"BucketKeyEnabled": "true"}]}, "PublicAccessBlockConfiguration": {"BlockPublicAcls": unknown("a parameter")}})
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["BucketKeyEnabled"] is True
    assert bucket["PublicAccessBlockConfiguration"]["BlockPublicAcls"] == unknown("a parameter")
    assert booleans_as_deployed("Custom::Thing", {"Enabled": "true"}) == {"Enabled": "true"}
    assert booleans_as_deployed("AWS::NoSuch::Type", {"Enabled": "true"}) == {"Enabled": "true"}
