"""Revoke security-group ingress rules open to the whole internet (0.0.0.0/0, ::/0).

Only the world-open ranges are revoked; other ranges and source groups of the same
rule stay."""
from __future__ import annotations

from .base import Call, Runbook, Target, register

WORLD_V4, WORLD_V6 = "0.0.0.0/0", "::/0"


def read_state(t: Target) -> dict:
    sg = t.client("ec2").describe_security_groups(GroupIds=[t.id])["SecurityGroups"][0]
    return {"GroupId": sg["GroupId"], "IpPermissions": sg.get("IpPermissions") or []}


def _world_open(perm: dict) -> dict | None:
    v4 = [r for r in perm.get("IpRanges") or [] if r.get("CidrIp") == WORLD_V4]
    v6 = [r for r in perm.get("Ipv6Ranges") or [] if r.get("CidrIpv6") == WORLD_V6]
    if not v4 and not v6:
        return None
    out = {"IpProtocol": perm["IpProtocol"]}
    for k in ("FromPort", "ToPort"):
        if k in perm:
            out[k] = perm[k]
    if v4:
        out["IpRanges"] = [{"CidrIp": WORLD_V4}]
    if v6:
        out["Ipv6Ranges"] = [{"CidrIpv6": WORLD_V6}]
    return out


def changes(state: dict, t: Target) -> list[Call]:
    revoke = [p for p in (_world_open(perm) for perm in state["IpPermissions"]) if p]
    if not revoke:
        return []
    return [Call(service="ec2", operation="RevokeSecurityGroupIngress",
                 note=f"revoke {len(revoke)} rule(s) open to 0.0.0.0/0 or ::/0",
                 params={"GroupId": state["GroupId"], "IpPermissions": revoke})]


def _groups_of(t: str, sm, rid: str) -> list[str]:
    if t == "AWS::SageMaker::NotebookInstance":
        return sm.describe_notebook_instance(NotebookInstanceName=rid).get("SecurityGroups") or []
    if t == "AWS::SageMaker::Model":
        return (sm.describe_model(ModelName=rid).get("VpcConfig") or {}).get("SecurityGroupIds") or []
    if t == "MLW::SageMaker::TrainingJob":
        return (sm.describe_training_job(TrainingJobName=rid).get("VpcConfig") or {}).get("SecurityGroupIds") or []
    if t == "MLW::SageMaker::ProcessingJob":
        d = sm.describe_processing_job(ProcessingJobName=rid)
        return ((d.get("NetworkConfig") or {}).get("VpcConfig") or {}).get("SecurityGroupIds") or []
    if t == "AWS::SageMaker::Domain":
        d = sm.describe_domain(DomainId=rid)
        return [*((d.get("DefaultUserSettings") or {}).get("SecurityGroups") or []),
                *((d.get("DomainSettings") or {}).get("SecurityGroupIds") or [])]
    return []


def retarget(f, aws) -> list[dict]:
    """An ML resource's finding (it sits in a world-open group) → its security groups."""
    r = f.resource
    sm = aws.client("sagemaker", r.get("region") or "us-east-1")
    return [{"type": "AWS::EC2::SecurityGroup", "id": g, "arn": f"arn:aws:ec2:{r.get('region')}:{r.get('account')}:security-group/{g}",
             "account": r.get("account"), "region": r.get("region")}
            for g in dict.fromkeys(_groups_of(r.get("type"), sm, r.get("id")))]


register(Runbook(
    id="sg-revoke-world-ingress", title="Revoke security-group ingress from 0.0.0.0/0 and ::/0",
    policies=("MLW-NET-011", "MLW-NET-012"), resource_types=("AWS::EC2::SecurityGroup",),
    permissions=("ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupIngress",
                 "sagemaker:DescribeNotebookInstance", "sagemaker:DescribeModel", "sagemaker:DescribeTrainingJob",
                 "sagemaker:DescribeProcessingJob", "sagemaker:DescribeDomain"),
    retarget=retarget,
    read_state=read_state, changes=changes,
))
