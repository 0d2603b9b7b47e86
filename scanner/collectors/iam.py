"""IAM roles with their trust policy, inline and attached managed policies, and
what they allow (classified in `iam_analysis`).

IAM is global: the scan reads it once per account. Roles carry region "global".
"""
from __future__ import annotations

import json
import urllib.parse
from typing import Iterator

from ..aws.session import paginate
from ..model import CoverageGap, Resource
from ..resource_type import CloudTrailEvent, TerraformType
from .base import READ_ERRORS, CollectorSpec, Scope, compact, gap_for, register, tag_list_to_dict
from .iam_analysis import analyse

ROLE_TYPE = "AWS::IAM::Role"


def _document(value) -> dict:
    """boto3 hands policy documents back URL-decoded and parsed; a proxy or an older
    SDK may still give the URL-encoded JSON string the wire format carries."""
    if isinstance(value, str):
        return json.loads(urllib.parse.unquote(value))
    return value or {}


class _ManagedDocuments:
    """Default-version documents of managed policies, read once per scan."""

    def __init__(self, client):
        self.client, self.docs = client, {}

    def __call__(self, arn: str) -> dict:
        if arn not in self.docs:
            policy = self.client.get_policy(PolicyArn=arn)["Policy"]
            version = self.client.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])
            self.docs[arn] = _document(version["PolicyVersion"]["Document"])
        return self.docs[arn]


def read_role(scope: Scope, client, name: str, managed_document) -> Resource:
    role = client.get_role(RoleName=name)["Role"]
    inline = [{"PolicyName": p, "PolicyDocument": _document(
                  client.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"])}
              for p in paginate(client, "ListRolePolicies", "PolicyNames", RoleName=name)]
    attached = [p["PolicyArn"] for p in
                paginate(client, "ListAttachedRolePolicies", "AttachedPolicies", RoleName=name)]
    managed = {arn: managed_document(arn) for arn in attached}
    boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    last_used = (role.get("RoleLastUsed") or {}).get("LastUsedDate")
    props = {
        "RoleName": name,
        "Path": role.get("Path"),
        "Description": role.get("Description"),
        "AssumeRolePolicyDocument": _document(role.get("AssumeRolePolicyDocument")),
        "ManagedPolicyArns": attached,
        "Policies": inline,
        "PermissionsBoundary": boundary,
        "MaxSessionDuration": role.get("MaxSessionDuration"),
        "CreateDate": role["CreateDate"].isoformat() if role.get("CreateDate") else None,
        "RoleId": role.get("RoleId"),
    }
    facts = {
        "managed_policy_documents": managed,
        "actions": analyse([p["PolicyDocument"] for p in inline] + list(managed.values())),
        "last_used": last_used.isoformat() if last_used else None,
    }
    return Resource(type=ROLE_TYPE, id=name, arn=role["Arn"], account=scope.account, region="global",
                    tags=tag_list_to_dict(role.get("Tags")), properties=compact(props),
                    facts=compact(facts))


def collect_roles(scope: Scope) -> Iterator[Resource | CoverageGap]:
    client = scope.client("iam")
    managed_document = _ManagedDocuments(client)
    for listed in paginate(client, "ListRoles", "Roles"):
        name = listed["RoleName"]
        try:
            yield read_role(scope, client, name, managed_document)
        except READ_ERRORS as exc:
            if getattr(exc, "response", {}).get("Error", {}).get("Code") == "NoSuchEntity":
                continue  # deleted while we read it
            yield gap_for(SPEC, scope, getattr(exc, "operation_name", "GetRole"), exc, resource_id=name)


def lookup_role(scope: Scope, identifier: str) -> Iterator[Resource]:
    """One role by name or ARN (arn:aws:iam::123:role/path/name), for event-driven scans."""
    client = scope.client("iam")
    yield read_role(scope, client, identifier.rsplit("/", 1)[-1], _ManagedDocuments(client))


SPEC = CollectorSpec(
    type=ROLE_TYPE, service="iam", iam_prefix="iam", custom=collect_roles, global_service=True,
    lookup=lookup_role,
    extra_permissions=("iam:ListRoles", "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy",
                       "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion"),
    terraform=(TerraformType(name="aws_iam_role"),),   # policies come from attachments (scanner/iac/normalise.py)
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.roleName",)) for n in (
        "CreateRole", "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "UpdateAssumeRolePolicy")),
    description="IAM roles: trust policy, inline and managed policies, classified actions",
)
register(SPEC)
