"""Terraform provider types → CloudFormation-shaped properties: the attribute translation.

Attribute names go from snake_case to the CloudFormation names (`kms_key_id` →
`KmsKeyId`, `destination_s3_uri` → `DestinationS3Uri`), with per-type renames where
Terraform chose other names, nested blocks that CloudFormation holds as one object
unwrapped from Terraform's one-element lists, and JSON-string attributes (policies)
parsed. Which provider types exist and how each translates is declared by the resource
types' descriptors (`ResourceType.terraform`, scanner/resource_type.py); this module
adds the builders of the shapes that differ by more than names, and the settings
Terraform splits into resources of their own, which normalise.py folds into their
target (`aws_s3_bucket_policy` → the bucket's PolicyDocument, and so on).
scanner/iac/terraform.py walks the plan and applies `types()`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from ..resource_type import TerraformType
from ..type_registry import terraform_types
from .unknown import is_unknown


@dataclass(frozen=True, kw_only=True)
class TfType:
    """A Terraform type as the loader reads it: the CloudFormation type it becomes, its
    attribute translation (from the type's descriptor) and, where the shape differs more
    than names, a builder that replaces the generic conversion."""
    cfn_type: str
    translation: TerraformType
    build: Callable[[dict], dict] | None = None


_ALWAYS_DROP = frozenset({"id", "arn", "tags", "tags_all", "timeouts", "url"})
_WORDS = {"kms": "Kms", "s3": "S3", "arn": "Arn", "id": "Id", "uri": "Uri", "url": "Url", "vpc": "Vpc",
          "ids": "Ids", "sse": "SSE", "ip": "Ip"}


def pascal(name: str) -> str:
    return "".join(_WORDS.get(w, w[:1].upper() + w[1:]) for w in name.split("_"))


def convert(value: Any, spec: TerraformType) -> Any:
    """The generic snake_case → CloudFormation conversion, recursively."""
    if isinstance(value, dict) and not is_unknown(value):
        out = {}
        for k, v in value.items():
            if k in _ALWAYS_DROP or k in spec.drop or v is None:
                continue
            if k in spec.json_attrs:
                v = _json(v)
            elif k in spec.single and isinstance(v, list):
                if not v:
                    continue
                v = v[0]
            if isinstance(v, list) and not v:
                continue
            out[spec.rename.get(k, pascal(k))] = convert(v, spec)
        return out
    if isinstance(value, list):
        return [convert(v, spec) for v in value]
    return value


def _json(v: Any) -> Any:
    if isinstance(v, str):
        if not v:
            return None
        try:
            return json.loads(v)
        except ValueError:
            return v
        except RecursionError:      # a hostile policy string: the loader reports the file
            raise ValueError("a JSON string value nests too deep to read") from None
    return v


def _one(v: Any) -> Any:
    return v[0] if isinstance(v, list) and v else (None if isinstance(v, list) else v)


def _bucket(v: dict) -> dict:
    props: dict[str, Any] = {"BucketName": v.get("bucket")}
    sse = _one(v.get("server_side_encryption_configuration"))
    if sse:
        props["BucketEncryption"] = _encryption(_one(sse.get("rule")))
    versioning = _one(v.get("versioning"))
    # The provider reports versioning [{enabled: false}] for a never-versioned bucket,
    # which is "no Status", as in a template without VersioningConfiguration.
    if versioning and versioning.get("enabled") is True:
        props["VersioningConfiguration"] = {"Status": "Enabled"}
    if v.get("policy"):
        props["PolicyDocument"] = _json(v["policy"])
    return props


def _encryption(rule: Any) -> dict | None:
    rules = rule if isinstance(rule, list) else [rule]
    out = []
    for r in rules:
        if not isinstance(r, dict):
            continue
        default = _one(r.get("apply_server_side_encryption_by_default")) or {}
        entry = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": default.get("sse_algorithm")}}
        if default.get("kms_master_key_id"):
            entry["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] = default["kms_master_key_id"]
        entry["BucketKeyEnabled"] = bool(r.get("bucket_key_enabled") or False)
        out.append(entry)
    return {"ServerSideEncryptionConfiguration": out} if out else None


def _sse_config(v: dict) -> dict:
    return {"Bucket": v.get("bucket"), "BucketEncryption": _encryption(v.get("rule"))}


def _pab(v: dict) -> dict:
    return {"Bucket": v.get("bucket"), "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": v.get("block_public_acls", False),
        "IgnorePublicAcls": v.get("ignore_public_acls", False),
        "BlockPublicPolicy": v.get("block_public_policy", False),
        "RestrictPublicBuckets": v.get("restrict_public_buckets", False)}}


def _versioning(v: dict) -> dict:
    status = (_one(v.get("versioning_configuration")) or {}).get("status")
    return {"Bucket": v.get("bucket"),
            "VersioningConfiguration": {"Status": status} if status and status != "Disabled" else None}


def _role(v: dict) -> dict:
    return {
        "RoleName": v.get("name"), "Path": v.get("path"), "Description": v.get("description") or None,
        "AssumeRolePolicyDocument": _json(v.get("assume_role_policy")),
        "ManagedPolicyArns": list(v.get("managed_policy_arns") or []) or None,
        "Policies": [{"PolicyName": p.get("name"), "PolicyDocument": _json(p.get("policy"))}
                     for p in v.get("inline_policy") or [] if p.get("name") or p.get("policy")] or None,
        "PermissionsBoundary": v.get("permissions_boundary") or None,
        "MaxSessionDuration": v.get("max_session_duration"),
    }


def _rules(rules: Any, egress: bool) -> list[dict]:
    """Terraform's ingress/egress blocks → one CloudFormation entry per source, as the
    live collector's `ingress_rules` gives them."""
    out = []
    for r in rules or []:
        if not isinstance(r, dict):
            continue
        base = {"IpProtocol": str(r.get("protocol")), "FromPort": r.get("from_port"), "ToPort": r.get("to_port")}
        for cidr in r.get("cidr_blocks") or []:
            out.append({**base, "CidrIp": cidr})
        for cidr in r.get("ipv6_cidr_blocks") or []:
            out.append({**base, "CidrIpv6": cidr})
        for sg in r.get("security_groups") or []:
            out.append({**base, ("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"): sg})
    return out


def _security_group(v: dict) -> dict:
    return {"GroupName": v.get("name"), "GroupDescription": v.get("description"), "VpcId": v.get("vpc_id"),
            "SecurityGroupIngress": _rules(v.get("ingress"), False),
            "SecurityGroupEgress": _rules(v.get("egress"), True)}


def _sg_rule(v: dict) -> dict:
    if v.get("type") != "ingress":
        return {}
    rules = _rules([{**v, "security_groups": [v["source_security_group_id"]]
                     if v.get("source_security_group_id") else []}], False)
    return {"GroupId": v.get("security_group_id"), **(rules[0] if len(rules) == 1 else {}),
            **({"Rules": rules} if len(rules) > 1 else {})}


def _vpc_ingress_rule(v: dict) -> dict:
    out = {"GroupId": v.get("security_group_id"), "IpProtocol": str(v.get("ip_protocol")),
           "FromPort": v.get("from_port"), "ToPort": v.get("to_port")}
    for src, dst in (("cidr_ipv4", "CidrIp"), ("cidr_ipv6", "CidrIpv6"),
                     ("referenced_security_group_id", "SourceSecurityGroupId")):
        if v.get(src):
            out[dst] = v[src]
    return out


def _lifecycle_config(v: dict) -> dict:
    """Terraform's on_create/on_start are each one base64 script; CloudFormation's OnCreate
    and OnStart are lists of {Content} (SageMaker takes at most one hook of each)."""
    return {"NotebookInstanceLifecycleConfigName": v.get("name"),
            **{cfn: [{"Content": v[tf]}] if v.get(tf) not in (None, "") else []
               for tf, cfn in (("on_create", "OnCreate"), ("on_start", "OnStart"))}}


# Shapes that differ from their CloudFormation type by more than names, by Terraform type.
BUILDERS: dict[str, Callable[[dict], dict]] = {
    "aws_s3_bucket": _bucket, "aws_iam_role": _role, "aws_security_group": _security_group,
    "aws_sagemaker_notebook_instance_lifecycle_configuration": _lifecycle_config,
}

# Settings Terraform splits into resources of their own, which normalise.py folds into
# their target (its ATTACHMENTS): no descriptor declares them, as nothing judges them alone.
ATTACHMENT_TYPES: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "aws_s3_bucket_server_side_encryption_configuration": ("MLW::S3::BucketEncryption", _sse_config),
    "aws_s3_bucket_public_access_block": ("MLW::S3::BucketPublicAccessBlock", _pab),
    "aws_s3_bucket_versioning": ("MLW::S3::BucketVersioning", _versioning),
    "aws_s3_bucket_policy": ("AWS::S3::BucketPolicy",
                             lambda v: {"Bucket": v.get("bucket"), "PolicyDocument": _json(v.get("policy"))}),
    "aws_iam_role_policy": ("AWS::IAM::RolePolicy",
                            lambda v: {"RoleName": v.get("role"), "PolicyName": v.get("name"),
                                       "PolicyDocument": _json(v.get("policy"))}),
    "aws_iam_role_policy_attachment": ("MLW::IAM::RolePolicyAttachment",
                                       lambda v: {"RoleName": v.get("role"), "PolicyArn": v.get("policy_arn")}),
    "aws_iam_policy": ("AWS::IAM::ManagedPolicy",
                       lambda v: {"ManagedPolicyName": v.get("name"), "PolicyDocument": _json(v.get("policy"))}),
    "aws_security_group_rule": ("AWS::EC2::SecurityGroupIngress", _sg_rule),
    "aws_vpc_security_group_ingress_rule": ("AWS::EC2::SecurityGroupIngress", _vpc_ingress_rule),
}


def types() -> dict[str, TfType]:
    """Every Terraform type the loader reads: the descriptors' (scanner/type_registry.py)
    and the attachments."""
    out = {name: TfType(cfn_type=cfn_type, translation=t, build=BUILDERS.get(name))
           for name, (cfn_type, t) in terraform_types().items()}
    out.update({name: TfType(cfn_type=cfn_type, translation=TerraformType(name=name), build=build)
                for name, (cfn_type, build) in ATTACHMENT_TYPES.items()})
    return out
