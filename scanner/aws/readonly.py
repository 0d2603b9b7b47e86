"""The read-only guard: in scan mode, an AWS call is sent only if it is on the
allow-list; anything else is refused before it leaves the process.

The allow-list is exactly the IAM actions the collectors declare (the list
`mlwarden permissions` prints, see `mlwarden.permissions.guard_actions`), plus
sts:GetCallerIdentity and, for organisation scans, organizations:ListAccounts and
sts:AssumeRole on the configured role name only. A name-prefix rule ("Get*",
"List*") is not enough: some reads start jobs (GetScalingConfigurationRecommendation),
mint credentials (GetSessionToken, GetClusterCredentials), return secrets
(GetSecretValue) or are billed per call (Cost Explorer).

It is a botocore `before-call` hook registered on every client the scan creates,
so the guarantee does not depend on collectors being written carefully.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# An operation is a read when its name starts with one of these verbs. Only used to
# check that declarations are reads (tests, `mlwarden permissions`); the guard itself
# goes by the allow-list.
_READ = re.compile(r"^(Describe|Get|List|Head|Search|Lookup|BatchGet|Query|Select)([A-Z]|$)")  # SageMaker: "Search"

# botocore service name → IAM action prefix, where they differ.
_IAM_PREFIX = {"service-quotas": "servicequotas", "s3control": "s3", "monitoring": "cloudwatch",
               "resourcegroupstaggingapi": "tag"}

# (IAM prefix, API operation) → the IAM action that authorises it, where the names differ
# (Service Authorization Reference, "Actions defined by Amazon S3").
_IAM_ACTION = {
    ("s3", "HeadObject"): "GetObject",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "ListObjects"): "ListBucket",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "ListBuckets"): "ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "GetBucketPublicAccessBlock",
    ("s3control", "GetPublicAccessBlock"): "GetAccountPublicAccessBlock",
}


class WriteRefused(RuntimeError):
    """Raised instead of sending a call that is not on the read-only allow-list."""


def is_read_operation(operation_name: str) -> bool:
    return bool(_READ.match(operation_name))


def iam_action(service_name: str, operation_name: str) -> str:
    """The IAM action that authorises one API call (`s3`, `HeadObject` → `s3:GetObject`)."""
    prefix = _IAM_PREFIX.get(service_name, service_name)
    action = _IAM_ACTION.get((service_name, operation_name), operation_name)
    return f"{prefix}:{action}"


@dataclass(frozen=True, kw_only=True)
class Guard:
    """What a read-only context may send: `actions` (IAM action names), and
    sts:AssumeRole only on roles named `assume_role_name` (any account)."""
    actions: frozenset[str]
    assume_role_name: str | None = None

    def check(self, service_name: str, operation_name: str, params: dict | None = None) -> None:
        action = iam_action(service_name, operation_name)
        if action == "sts:AssumeRole" and self.assume_role_name:
            role_arn = str((params or {}).get("RoleArn") or "")
            # arn:<partition>:iam::<account>:role/<path/>name — the name is the last segment.
            if re.fullmatch(r"arn:aws[\w-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*" + re.escape(self.assume_role_name),
                            role_arn):
                return
            raise WriteRefused(f"mlwarden scan is read-only: refused sts:AssumeRole on {role_arn or '(no RoleArn)'}"
                               f" (only role name {self.assume_role_name} may be assumed) before it was sent")
        if action not in self.actions:
            raise WriteRefused(f"mlwarden scan is read-only: refused {service_name}:{operation_name} "
                               f"({action} is not on the scan's allow-list) before it was sent")


def install(client, guard: Guard) -> None:
    """Refuse every call on `client` that `guard` does not allow."""
    # before-parameter-build sees the call's own parameters (RoleArn) before serialisation.
    client.meta.events.register_first("before-parameter-build.*.*", _param_hook(guard))


def _param_hook(guard: Guard):
    def hook(params, model, **kwargs):
        guard.check(model.service_model.service_name, model.name, params)
    return hook
