"""KMS keys: state, manager, spec, rotation, aliases, tags."""
from __future__ import annotations

from typing import Iterator

from ..aws.session import paginate
from ..aws_defaults import AwsDefault, default_value
from ..model import CoverageGap, Resource
from ..resource_type import CloudTrailEvent, TerraformType
from .base import READ_ERRORS, CollectorSpec, Scope, compact, error_code, gap_for, register
from .bulk import TAG_API, read_once, region_tags

KEY_TYPE = "AWS::KMS::Key"

# DescribeKey answers these for every key, so they are defaults only for a key a
# template creates. A live key whose rotation cannot be read (asymmetric, imported,
# pending deletion) has no EnableKeyRotation at all, which a default must not hide.
DEFAULTS = (
    AwsDefault(path="Enabled", value=True, live=False,
               reference="CloudFormation AWS::KMS::Key.Enabled (KMS API KeyMetadata.Enabled)"),
    AwsDefault(path="EnableKeyRotation", value=False, live=False,
               reference="CloudFormation AWS::KMS::Key.EnableKeyRotation"),
    AwsDefault(path="KeySpec", value="SYMMETRIC_DEFAULT", live=False, reference="KMS API CreateKey.KeySpec"),
    AwsDefault(path="KeyUsage", value="ENCRYPT_DECRYPT", live=False, reference="KMS API CreateKey.KeyUsage"),
    # CreateKey creates only customer managed keys (KeyMetadata.KeyManager CUSTOMER).
    AwsDefault(path="KeyManager", value="CUSTOMER", live=False, reference="KMS API KeyMetadata.KeyManager"),
)

# Rotation can be read (and turned on) only for symmetric encryption keys with key
# material from KMS; asymmetric, HMAC, imported and custom-key-store keys cannot rotate.
_ROTATABLE_STATES = ("Enabled", "Disabled")


def _rotation_supported(meta: dict) -> bool:
    return meta.get("KeySpec") == "SYMMETRIC_DEFAULT" and meta.get("Origin", "AWS_KMS") == "AWS_KMS"


def describe_key(scope: Scope, key_id: str) -> dict:
    """DescribeKey of a key (by its id) of the scope's account and region, once per run:
    the model packages' signature check reads the same keys (signature_check.py)."""
    return read_once(scope, ("kms:DescribeKey", key_id),
                     lambda: scope.client("kms").describe_key(KeyId=key_id)["KeyMetadata"],
                     action="kms:DescribeKey")


def region_aliases(scope: Scope) -> list[dict]:
    """Every alias of the scope's region (ListAliases), once per run."""
    return read_once(scope, "kms:ListAliases", lambda: list(paginate(scope.client("kms"), "ListAliases", "Aliases")))


def read_key(kms, scope: Scope, key_id: str, aliases: list[str]) -> Resource:
    meta = describe_key(scope, key_id)
    # DescribeKey always answers KeyManager; the table's value covers an answer without it.
    manager = meta.get("KeyManager") or default_value(DEFAULTS, "KeyManager")
    rotation = None
    rotation_note = "not supported for this key spec or origin"
    if manager == "AWS":
        # AWS managed keys rotate every year and that cannot be changed (KMS developer guide).
        rotation, rotation_note = True, "AWS managed key: rotated yearly by AWS"
    elif _rotation_supported(meta) and meta.get("KeyState") in _ROTATABLE_STATES:
        rotation = kms.get_key_rotation_status(KeyId=key_id).get("KeyRotationEnabled", False)
        rotation_note = "kms:GetKeyRotationStatus"
    elif _rotation_supported(meta):
        rotation_note = f"not readable in key state {meta.get('KeyState')}"
    # Only customer managed keys carry tags of their own: from the region's Tagging API
    # listing (collectors.base.region_tags), else ListResourceTags.
    tags = {}
    if manager == "CUSTOMER":
        tags = region_tags(scope).get(meta["Arn"].lower())
        if tags is None:
            tags = {t["TagKey"]: t.get("TagValue", "")
                    for t in paginate(kms, "ListResourceTags", "Tags", KeyId=key_id)}
    props = {
        "KeyId": meta["KeyId"], "Description": meta.get("Description"),
        "KeyState": meta.get("KeyState"), "Enabled": meta.get("Enabled"), "KeyManager": manager,
        "KeySpec": meta.get("KeySpec") or meta.get("CustomerMasterKeySpec"),
        "KeyUsage": meta.get("KeyUsage"), "Origin": meta.get("Origin"),
        "MultiRegion": meta.get("MultiRegion"), "EnableKeyRotation": rotation,
        "DeletionDate": meta["DeletionDate"].isoformat() if meta.get("DeletionDate") else None,
    }
    return Resource(type=KEY_TYPE, id=meta["KeyId"], arn=meta["Arn"], account=scope.account,
                    region=scope.region, tags=tags, properties=compact(props),
                    facts={"aliases": sorted(aliases), "rotation_derived_by": rotation_note})


def collect_keys(scope: Scope) -> Iterator[Resource | CoverageGap]:
    kms = scope.client("kms")
    aliases: dict[str, list[str]] = {}
    for a in region_aliases(scope):
        if a.get("TargetKeyId"):
            aliases.setdefault(a["TargetKeyId"], []).append(a["AliasName"])
    for k in paginate(kms, "ListKeys", "Keys"):
        try:
            yield read_key(kms, scope, k["KeyId"], aliases.get(k["KeyId"], []))
        except READ_ERRORS as exc:
            if error_code(exc) == "NotFoundException":
                continue  # deleted while we read it
            yield gap_for(SPEC, scope, getattr(exc, "operation_name", "DescribeKey"), exc,
                          resource_id=k["KeyId"])


def lookup_key(scope: Scope, identifier: str) -> Iterator[Resource]:
    """One key by id, key ARN, alias name or alias ARN, for event-driven scans."""
    kms = scope.client("kms")
    key_id = kms.describe_key(KeyId=identifier)["KeyMetadata"]["KeyId"]
    aliases = [a["AliasName"] for a in paginate(kms, "ListAliases", "Aliases", KeyId=key_id)]
    yield read_key(kms, scope, key_id, aliases)


SPEC = CollectorSpec(
    type=KEY_TYPE, service="kms", iam_prefix="kms", custom=collect_keys, lookup=lookup_key,
    extra_permissions=("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey", "kms:GetKeyRotationStatus",
                       "kms:ListResourceTags", TAG_API),
    defaults=DEFAULTS,
    terraform=(TerraformType(
        name="aws_kms_key",
        rename={"is_enabled": "Enabled", "customer_master_key_spec": "KeySpec", "policy": "KeyPolicy",
                "deletion_window_in_days": "PendingWindowInDays"},
        json_attrs=frozenset({"policy"}), drop=frozenset({"key_id", "bypass_policy_lockout_safety_check"})),),
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.keyId",))
                 for n in ("DisableKeyRotation", "DisableKey", "ScheduleKeyDeletion")),
    description="KMS keys: state, manager, rotation, aliases",
)
register(SPEC)
