"""Automatic yearly rotation of a customer-managed KMS key."""
from __future__ import annotations

from mlwarden.aws_defaults import default_value
from mlwarden.collectors.kms import DEFAULTS as KEY_DEFAULTS

from .base import Call, Runbook, Target, register


def read_state(t: Target) -> dict:
    kms = t.client("kms")
    meta = kms.describe_key(KeyId=t.arn or t.id)["KeyMetadata"]
    rotation = None
    spec = meta.get("KeySpec") or default_value(KEY_DEFAULTS, "KeySpec")
    if meta.get("KeyManager") == "CUSTOMER" and spec == "SYMMETRIC_DEFAULT":
        rotation = kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"]
    return {"KeyId": meta["KeyId"], "KeyState": meta.get("KeyState"), "KeyManager": meta.get("KeyManager"),
            "KeySpec": spec, "KeyRotationEnabled": rotation}


def changes(state: dict, t: Target) -> list[Call]:
    if state["KeyRotationEnabled"] is not False:
        return []  # on, or a key AWS does not rotate (asymmetric, AWS-managed)
    return [Call(service="kms", operation="EnableKeyRotation", note="rotate the key material yearly",
                 params={"KeyId": state["KeyId"]})]


register(Runbook(
    id="kms-rotation", title="Enable automatic KMS key rotation",
    policies=("MLW-ENC-018",), resource_types=("AWS::KMS::Key",),
    permissions=("kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation"),
    read_state=read_state, changes=changes,
    valid_origin_states=("Enabled",), origin=lambda s: s.get("KeyState") or "",
))
