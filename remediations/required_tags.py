"""Add the organisation's required tags that a resource lacks.

Values come from settings: `remediation.tag_values` (tag → value), or for the
owner tag `remediation.owners` (resource-name glob → owner). A tag with no value
configured stops the plan: mlwarden never invents an owner. A tag whose value is
not in `allowed_tag_values` is set to the configured value; other tags already on
the resource are never touched.
"""
from __future__ import annotations

import fnmatch

from botocore.exceptions import ClientError

from .base import Call, PlanRefused, Runbook, Target, error_code, register

SAGEMAKER_TYPES = ("AWS::SageMaker::NotebookInstance", "AWS::SageMaker::Endpoint",
                   "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model",
                   "AWS::SageMaker::ModelPackageGroup", "AWS::SageMaker::Pipeline",
                   "AWS::SageMaker::Domain", "AWS::SageMaker::ModelPackage", "AWS::SageMaker::MonitoringSchedule",
                   "MLW::SageMaker::TrainingJob", "MLW::SageMaker::ProcessingJob")
OTHER_TYPES = ("AWS::S3::Bucket", "AWS::IAM::Role", "AWS::KMS::Key", "AWS::EC2::SecurityGroup")


def read_state(t: Target) -> dict:
    if t.type in SAGEMAKER_TYPES:
        resp = t.client("sagemaker").list_tags(ResourceArn=t.arn)
        tags = {x["Key"]: x.get("Value", "") for x in resp.get("Tags") or []}
    elif t.type == "AWS::S3::Bucket":
        try:
            tags = {x["Key"]: x["Value"] for x in t.client("s3").get_bucket_tagging(Bucket=t.id)["TagSet"]}
        except ClientError as exc:
            if error_code(exc) != "NoSuchTagSet":
                raise
            tags = {}
    elif t.type == "AWS::IAM::Role":
        tags = {x["Key"]: x["Value"] for x in t.client("iam").list_role_tags(RoleName=t.id)["Tags"]}
    elif t.type == "AWS::KMS::Key":
        tags = {x["TagKey"]: x["TagValue"] for x in t.client("kms").list_resource_tags(KeyId=t.id)["Tags"]}
    elif t.type == "AWS::EC2::SecurityGroup":
        sg = t.client("ec2").describe_security_groups(GroupIds=[t.id])["SecurityGroups"][0]
        tags = {x["Key"]: x["Value"] for x in sg.get("Tags") or []}
    else:
        raise PlanRefused(f"required-tags cannot tag {t.type}")
    return {"tags": tags}


def _value(tag: str, t: Target) -> str | None:
    values = t.setting("tag_values") or {}
    if values.get(tag):
        return str(values[tag])
    if tag == "owner":
        for pattern, owner in (t.setting("owners") or {}).items():
            if fnmatch.fnmatchcase(t.id, pattern):
                return str(owner)
    return None


def changes(state: dict, t: Target) -> list[Call]:
    allowed = t.settings.get("allowed_tag_values") or {}
    missing = [k for k in t.settings.get("required_tags") or [] if not state["tags"].get(k)]
    disallowed = [k for k, v in state["tags"].items() if k in allowed and v not in allowed[k]]
    if not missing and not disallowed:
        return []
    add, unknown = {}, []
    for k in missing + disallowed:
        v = _value(k, t)
        ok = v is not None and (k not in allowed or v in allowed[k])
        (add.__setitem__(k, v) if ok else unknown.append(k))
    if unknown:
        raise PlanRefused(f"no allowed value for tag(s) {', '.join(unknown)} of {t.id}: set "
                          f"settings remediation.tag_values (or remediation.owners for owner)")
    note = "add " + ", ".join(f"{k}={v}" for k, v in add.items())
    if t.type in SAGEMAKER_TYPES:
        return [Call(service="sagemaker", operation="AddTags", note=note,
                     params={"ResourceArn": t.arn, "Tags": [{"Key": k, "Value": v} for k, v in add.items()]})]
    if t.type == "AWS::S3::Bucket":
        # PutBucketTagging replaces the whole set: send the existing tags too.
        merged = {**state["tags"], **add}
        return [Call(service="s3", operation="PutBucketTagging", note=note,
                     params={"Bucket": t.id, "Tagging": {"TagSet": [{"Key": k, "Value": v} for k, v in merged.items()]}})]
    if t.type == "AWS::IAM::Role":
        return [Call(service="iam", operation="TagRole", note=note,
                     params={"RoleName": t.id, "Tags": [{"Key": k, "Value": v} for k, v in add.items()]})]
    if t.type == "AWS::KMS::Key":
        return [Call(service="kms", operation="TagResource", note=note,
                     params={"KeyId": t.id, "Tags": [{"TagKey": k, "TagValue": v} for k, v in add.items()]})]
    return [Call(service="ec2", operation="CreateTags", note=note,
                 params={"Resources": [t.id], "Tags": [{"Key": k, "Value": v} for k, v in add.items()]})]


register(Runbook(
    id="required-tags", title="Add the organisation's required tags",
    policies=("MLW-TAG-001", "MLW-TAG-002"), resource_types=SAGEMAKER_TYPES + OTHER_TYPES,
    permissions=("sagemaker:ListTags", "sagemaker:AddTags", "s3:GetBucketTagging", "s3:PutBucketTagging",
                 "iam:ListRoleTags", "iam:TagRole", "kms:ListResourceTags", "kms:TagResource",
                 "ec2:DescribeSecurityGroups", "ec2:CreateTags"),
    read_state=read_state, changes=changes,
))
