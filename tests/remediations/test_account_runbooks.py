"""KMS rotation, security-group ingress, required tags, least-privilege roles."""
from __future__ import annotations

import json

import boto3
import pytest

from mlwarden.remediations.engine import make_plans

from ..conftest import ACCOUNT, REGION
from .conftest import finding

ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/fraud-exec"


def test_kms_rotation_enabled(fixer):
    kms = boto3.client("kms", region_name=REGION)
    meta = kms.create_key(Description="fraud")["KeyMetadata"]
    [plan] = fixer.plan(finding("AWS::KMS::Key", meta["KeyId"], "MLW-ENC-018", "kms-rotation", arn=meta["Arn"]))
    assert [c.operation for c in plan.calls] == ["EnableKeyRotation"] and plan.origin_state == "Enabled"
    [result] = fixer.apply([plan])
    assert kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"] is True
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_kms_rotation_refuses_a_disabled_key(reader, settings, hooks):
    kms = boto3.client("kms", region_name=REGION)
    meta = kms.create_key(Description="old")["KeyMetadata"]
    kms.disable_key(KeyId=meta["KeyId"])
    [outcome] = make_plans([finding("AWS::KMS::Key", meta["KeyId"], "MLW-ENC-018", "kms-rotation",
                                    arn=meta["Arn"])], reader, settings)
    assert outcome.plan is None and "Disabled" in outcome.error and "starts only from Enabled" in outcome.error


@pytest.fixture
def open_group(hooks):
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sg = ec2.create_security_group(GroupName="fraud-nb", Description="nb", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.1.0.0/16"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
    ])
    return sg


def _ingress(sg):
    perms = boto3.client("ec2", region_name=REGION).describe_security_groups(GroupIds=[sg])["SecurityGroups"][0][
        "IpPermissions"]
    return sorted((p.get("FromPort"), r.get("CidrIp") or r.get("CidrIpv6"))
                  for p in perms for r in p.get("IpRanges", []) + p.get("Ipv6Ranges", []))


def test_security_group_world_ingress_revoked_other_ranges_kept(fixer, open_group):
    sg = open_group
    [plan] = fixer.plan(finding("AWS::EC2::SecurityGroup", sg, "MLW-NET-011", "sg-revoke-world-ingress",
                                arn=f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{sg}"))
    [result] = fixer.apply([plan])
    assert _ingress(sg) == [(22, "10.1.0.0/16"), (443, "10.0.0.0/8")]
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_notebook_finding_retargets_its_security_group(fixer, open_group):
    sm = boto3.client("sagemaker", region_name=REGION)
    subnet = boto3.client("ec2", region_name=REGION).create_subnet(
        VpcId=boto3.client("ec2", region_name=REGION).describe_security_groups(GroupIds=[open_group])[
            "SecurityGroups"][0]["VpcId"], CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    sm.create_notebook_instance(NotebookInstanceName="fraud-nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN,
                                SubnetId=subnet, SecurityGroupIds=[open_group])
    [plan] = fixer.plan(finding("AWS::SageMaker::NotebookInstance", "fraud-nb", "MLW-NET-012",
                                "sg-revoke-world-ingress",
                                arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/fraud-nb"))
    assert plan.resource["id"] == open_group
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "applied" and "0.0.0.0/0" not in {c for _, c in _ingress(open_group)}


def _nb(sm, name, **kw):
    arn = sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN,
                                      **kw)["NotebookInstanceArn"]
    return arn


def test_required_tags_added_from_settings_and_owner_mapping(fixer, hooks):
    sm = boto3.client("sagemaker", region_name=REGION)
    arn = _nb(sm, "fraud-nb", Tags=[{"Key": "project", "Value": "keep-me"}, {"Key": "environment", "Value": "production"}])
    [plan] = fixer.plan(finding("AWS::SageMaker::NotebookInstance", "fraud-nb", "MLW-TAG-001", "required-tags", arn=arn),
                        finding("AWS::SageMaker::NotebookInstance", "fraud-nb", "MLW-TAG-002", "required-tags", arn=arn))
    [result] = fixer.apply([plan])
    tags = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}
    # existing value kept, missing ones added, a disallowed value replaced by the allowed one
    assert tags == {"project": "keep-me", "owner": "team-fraud", "cost-center": "cc-42", "environment": "prod"}
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_required_tags_refuse_to_invent_an_owner(reader, settings, hooks):
    sm = boto3.client("sagemaker", region_name=REGION)
    arn = _nb(sm, "misc-nb")
    [outcome] = make_plans([finding("AWS::SageMaker::NotebookInstance", "misc-nb", "MLW-TAG-001", "required-tags",
                                    arn=arn)], reader, settings)
    assert outcome.plan is None and "owner" in outcome.error and "remediation.owners" in outcome.error


def test_required_tags_on_a_bucket_keep_its_other_tags(fixer, hooks):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="fraud-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket="fraud-data", Tagging={"TagSet": [{"Key": "team-note", "Value": "x"}]})
    [plan] = fixer.plan(finding("AWS::S3::Bucket", "fraud-data", "MLW-TAG-001", "required-tags",
                                arn="arn:aws:s3:::fraud-data"))
    fixer.apply([plan], verify=False)
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="fraud-data")["TagSet"]}
    assert tags == {"team-note": "x", "owner": "team-fraud", "project": "fraud", "cost-center": "cc-42",
                    "environment": "prod"}


@pytest.fixture
def broad_role(hooks):
    iam = boto3.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": ["sagemaker.amazonaws.com", "ec2.amazonaws.com"]},
         "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="fraud-exec", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="fraud-exec", PolicyName="work", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "s3:GetObject", "s3:PutObject"],
             "Resource": ["arn:aws:s3:::fraud-data/*"]},
            {"Effect": "Allow", "Action": ["sagemaker:CreateTrainingJob", "iam:PassRole", "logs:PutLogEvents"],
             "Resource": "*"}]}))
    admin = iam.create_policy(PolicyName="EverythingAccess", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="fraud-exec", PolicyArn=admin)
    return admin


def test_least_privilege_needs_the_iam_flag(fixer, broad_role):
    iam = boto3.client("iam")
    [plan] = fixer.plan(finding("AWS::IAM::Role", "fraud-exec", "MLW-IAM-002", "role-least-privilege", arn=ROLE_ARN,
                                region="us-east-1"))
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "failed" and "--allow-iam" in result.message
    assert iam.list_attached_role_policies(RoleName="fraud-exec")["AttachedPolicies"]  # untouched


def test_least_privilege_replacement_keeps_explicit_actions_only(fixer, broad_role):
    iam = boto3.client("iam")
    [plan] = fixer.plan(*[finding("AWS::IAM::Role", "fraud-exec", p, "role-least-privilege", arn=ROLE_ARN,
                                  region="us-east-1") for p in ("MLW-IAM-002", "MLW-IAM-003", "MLW-IAM-004",
                                                                "MLW-IAM-007")])
    ops = [c.operation for c in plan.calls]
    assert ops == ["PutRolePolicy", "DetachRolePolicy", "DeleteRolePolicy", "UpdateAssumeRolePolicy"]
    assert any("s3:*" in s for s in plan.steps) and any("ec2.amazonaws.com" in s for s in plan.steps)
    [result] = fixer.apply([plan], flags=frozenset({"allow-iam"}))
    assert result.status == "applied"
    assert iam.list_role_policies(RoleName="fraud-exec")["PolicyNames"] == ["mlwarden-least-privilege"]
    assert iam.list_attached_role_policies(RoleName="fraud-exec")["AttachedPolicies"] == []
    doc = iam.get_role_policy(RoleName="fraud-exec", PolicyName="mlwarden-least-privilege")["PolicyDocument"]
    assert doc["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::fraud-data/*"]},
        {"Effect": "Allow", "Action": ["logs:PutLogEvents", "sagemaker:CreateTrainingJob"], "Resource": "*"}]
    trust = iam.get_role(RoleName="fraud-exec")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan], flags=frozenset({"allow-iam"}))[0].status == "already-compliant"
