"""IAM roles with their trust policy, inline and attached managed policies, and
what they allow (classified in `iam_analysis`).

IAM is global: the scan reads it once per account. Roles carry region "global".
A scan reads them in bulk: ListRoles (description, session duration) and
GetAccountAuthorizationDetails (per role its inline policies, attached policies,
boundary, tags and last use; the customer managed policies' documents), each up to
1,000 items a page, instead of four calls and more per role. AWS managed policies'
documents are read once per scan (GetPolicy, GetPolicyVersion). A role that appears
between the two listings, and an event-driven lookup of one role, is read by itself.
"""
from __future__ import annotations

import json
import urllib.parse
from typing import Iterator

from ..aws import calls
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

    def __init__(self, client, known: dict[str, dict] | None = None):
        self.client, self.docs = client, dict(known or {})

    def __call__(self, arn: str) -> dict:
        if arn not in self.docs:
            policy = self.client.get_policy(PolicyArn=arn)["Policy"]
            version = self.client.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])
            self.docs[arn] = _document(version["PolicyVersion"]["Document"])
        return self.docs[arn]


def read_role(scope: Scope, client, name: str, managed_document) -> Resource:
    """One role by its own calls (GetRole, its inline and attached policies)."""
    role = client.get_role(RoleName=name)["Role"]
    inline = [{"PolicyName": p, "PolicyDocument": _document(
                  client.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"])}
              for p in paginate(client, "ListRolePolicies", "PolicyNames", RoleName=name)]
    attached = [p["PolicyArn"] for p in
                paginate(client, "ListAttachedRolePolicies", "AttachedPolicies", RoleName=name)]
    return role_resource(scope, role, inline, attached, managed_document)


def role_resource(scope: Scope, role: dict, inline: list[dict], attached: list[str],
                  managed_document) -> Resource:
    """The role document from what was read of it, however it was read."""
    name = role["RoleName"]
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


def authorization_details(client) -> tuple[dict[str, dict], dict[str, dict]]:
    """GetAccountAuthorizationDetails for roles and customer managed policies: the
    roles' details by name, and each customer managed policy's default document by ARN.
    A page that is not an answer of the operation (no IsTruncated) is unreadable, never
    "no roles"; in an answer, a list AWS left out is empty."""
    roles: dict[str, dict] = {}
    documents: dict[str, dict] = {}
    action = "iam:GetAccountAuthorizationDetails"
    pages = client.get_paginator("get_account_authorization_details").paginate(
        Filter=["Role", "LocalManagedPolicy"], MaxItems=1000)
    for page in pages:
        if "IsTruncated" not in page or not all(isinstance(page.get(k, []), list)
                                                 for k in ("RoleDetailList", "Policies")):
            raise calls.ResponseUnreadable(action=action, reason="not a GetAccountAuthorizationDetails answer")
        for role in page.get("RoleDetailList", []):
            roles[role["RoleName"]] = role
        for policy in page.get("Policies", []):
            default = next((v for v in policy.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")), None)
            if default is not None and "Document" in default:
                documents[policy["Arn"]] = _document(default["Document"])
    return roles, documents


def collect_roles(scope: Scope) -> Iterator[Resource | CoverageGap]:
    client = scope.client("iam")
    listed = list(paginate(client, "ListRoles", "Roles"))
    details, documents = authorization_details(client) if listed else ({}, {})
    managed_document = _ManagedDocuments(client, documents)
    for role in listed:
        name = role["RoleName"]
        try:
            detail = details.get(name)
            if detail is None:   # created after the bulk read: read it by itself
                yield read_role(scope, client, name, managed_document)
                continue
            inline = [{"PolicyName": p["PolicyName"], "PolicyDocument": _document(p.get("PolicyDocument"))}
                      for p in detail.get("RolePolicyList") or []]
            attached = [p["PolicyArn"] for p in detail.get("AttachedManagedPolicies") or []]
            # ListRoles has the description and session duration; the details the rest.
            yield role_resource(scope, {**role, **detail}, inline, attached, managed_document)
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
    extra_permissions=("iam:ListRoles", "iam:GetAccountAuthorizationDetails", "iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy",
                       "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion"),
    terraform=(TerraformType(name="aws_iam_role"),),   # policies come from attachments (scanner/iac/normalise.py)
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.roleName",)) for n in (
        "CreateRole", "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "UpdateAssumeRolePolicy")),
    description="IAM roles: trust policy, inline and managed policies, classified actions",
)
register(SPEC)
