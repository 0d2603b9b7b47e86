"""Lambda functions, added as one descriptor (scanner/collectors/lambda_functions.py):
read live on moto, loaded from a template and a Terraform plan into the same document,
rescanned on their CloudTrail events, and asked for in the printed IAM policy."""
from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest

from mlwarden.audit.events import touched_resource
from mlwarden.collectors.base import collect_spec, registry
from mlwarden.iac.loader import load
from mlwarden.permissions import scanner_policy

from ..conftest import ACCOUNT, REGION

FUNCTION = "AWS::Lambda::Function"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buf.getvalue()


@pytest.fixture
def deployed(aws):
    """Two functions: one with a VPC and a customer key for its environment, one bare."""
    role = boto3.client("iam").create_role(
        RoleName="pipeline-step", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    )["Role"]["Arn"]
    key = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(VpcId=vpc, GroupName="fn", Description="fn")["GroupId"]
    lam = boto3.client("lambda", region_name=REGION)
    lam.create_function(FunctionName="prepare-features", Runtime="python3.12", Role=role, Handler="app.handler",
                        Code={"ZipFile": _zip()}, KMSKeyArn=key, Environment={"Variables": {"STAGE": "prod"}},
                        VpcConfig={"SubnetIds": [subnet], "SecurityGroupIds": [sg]},
                        Tags={"owner": "ml-platform"})
    lam.create_function(FunctionName="notify", Runtime="python3.12", Role=role, Handler="app.handler",
                        Code={"ZipFile": _zip()})
    return {"role": role, "key": key, "subnet": subnet, "sg": sg}


def test_functions_are_collected_with_their_role_key_network_and_tags(deployed, scope):
    result = collect_spec(registry()[FUNCTION], scope)
    assert result.gaps == []
    by_id = {r.id: r for r in result.resources}
    assert set(by_id) == {"prepare-features", "notify"}
    fn = by_id["prepare-features"]
    assert fn.arn == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:prepare-features"
    assert fn.properties["KmsKeyArn"] == deployed["key"]
    assert fn.properties["VpcConfig"] == {"SubnetIds": [deployed["subnet"]], "SecurityGroupIds": [deployed["sg"]]}
    assert fn.relations == {"role": [deployed["role"]], "kms_keys": [deployed["key"]],
                            "subnets": [deployed["subnet"]], "security_groups": [deployed["sg"]]}
    assert fn.tags == {"owner": "ml-platform"}
    assert fn.facets["tags"].read and fn.facets["describe"].read
    bare = by_id["notify"]
    # No key and no VPC: absent, as CloudFormation has them, not empty objects a rule could mistake.
    assert "KmsKeyArn" not in bare.properties and "VpcConfig" not in bare.properties
    assert bare.relations == {"role": [deployed["role"]]}


def test_a_template_and_a_plan_give_the_live_document_s_relations(tmp_path):
    role, key = f"arn:aws:iam::{ACCOUNT}:role/pipeline-step", f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k-1"
    (tmp_path / "stack.json").write_text(json.dumps({"Resources": {"Fn": {"Type": FUNCTION, "Properties": {
        "FunctionName": "prepare-features", "Role": role, "Runtime": "python3.12", "Handler": "app.handler",
        "KmsKeyArn": key, "VpcConfig": {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]},
        "Code": {"ZipFile": "def handler(e, c): return e"}}}}}))
    values = {"function_name": "prepare-features", "role": role, "runtime": "python3.12", "handler": "app.handler",
              "kms_key_arn": key, "filename": "fn.zip", "source_code_hash": "abc",
              "vpc_config": [{"subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"], "vpc_id": "vpc-1"}]}
    (tmp_path / "plan.json").write_text(json.dumps({
        "format_version": "1.2", "planned_values": {"root_module": {"resources": [
            {"address": "aws_lambda_function.prepare", "mode": "managed", "type": "aws_lambda_function",
             "name": "prepare", "values": values}]}},
        "resource_changes": [{"address": "aws_lambda_function.prepare", "type": "aws_lambda_function",
                              "change": {"actions": ["create"], "after": values, "after_unknown": {}}}]}))
    loaded = load([tmp_path / "stack.json", tmp_path / "plan.json"], account=ACCOUNT, region=REGION)
    assert not loaded.errors
    docs = {r.source.kind: r for r in loaded.resources if r.type == FUNCTION}
    assert set(docs) == {"cloudformation", "terraform"}
    for doc in docs.values():
        assert doc.relations == {"role": [role], "kms_keys": [key], "subnets": ["subnet-1"],
                                 "security_groups": ["sg-1"]}
        assert doc.properties["VpcConfig"] == {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}
        assert doc.properties["Role"] == role and doc.properties["KmsKeyArn"] == key
    assert "Filename" not in docs["terraform"].properties   # the deployment package is not configuration


def test_a_configuration_change_in_cloudtrail_rescans_the_function():
    event = {"account": ACCOUNT, "region": REGION, "detail": {
        "eventSource": "lambda.amazonaws.com", "eventName": "UpdateFunctionConfiguration20150331v2",
        "awsRegion": REGION, "requestParameters": {"functionName": "prepare-features"}}}
    touched = touched_resource(event)
    assert (touched.resource_type, touched.identifier) == (FUNCTION, "prepare-features")


def test_the_printed_policy_allows_listing_functions_and_their_tags():
    allowed = scanner_policy()["Statement"][0]["Action"]
    assert {"lambda:ListFunctions", "lambda:ListTags"} <= set(allowed)
