"""KMS key collector against in-process moto."""
from __future__ import annotations

import boto3

from mlwarden.collectors.base import collect_spec
from mlwarden.collectors.kms import SPEC

from ..conftest import REGION


def test_keys_with_rotation_aliases_and_tags(aws, scope):
    kms = boto3.client("kms", region_name=REGION)
    rotated = kms.create_key(Description="model artefacts",
                             Tags=[{"TagKey": "owner", "TagValue": "ml-platform"}])["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotated)
    kms.create_alias(AliasName="alias/models", TargetKeyId=rotated)
    kms.create_alias(AliasName="alias/models-legacy", TargetKeyId=rotated)
    plain = kms.create_key(Description="scratch")["KeyMetadata"]["KeyId"]
    kms.disable_key(KeyId=plain)
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]

    result = collect_spec(SPEC, scope)

    assert result.gaps == []
    keys = {r.id: r for r in result.resources}
    k = keys[rotated]
    assert k.arn.startswith(f"arn:aws:kms:{REGION}:") and k.arn.endswith(rotated)
    assert k.properties["KeyState"] == "Enabled" and k.properties["Enabled"] is True
    assert k.properties["KeyManager"] == "CUSTOMER"
    assert k.properties["KeySpec"] == "SYMMETRIC_DEFAULT"
    assert k.properties["EnableKeyRotation"] is True
    assert k.facts["aliases"] == ["alias/models", "alias/models-legacy"]
    assert k.tags == {"owner": "ml-platform"}

    assert keys[plain].properties["KeyState"] == "Disabled"
    assert keys[plain].properties["EnableKeyRotation"] is False
    assert keys[plain].facts["aliases"] == [] and keys[plain].tags == {}
    # Asymmetric keys cannot rotate: the property is absent, and the fact says why.
    assert "EnableKeyRotation" not in keys[signing].properties
    assert keys[signing].properties["KeySpec"] == "RSA_2048"
    assert "not supported" in keys[signing].facts["rotation_derived_by"]


def test_key_pending_deletion_is_listed_without_rotation_read(aws, scope):
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    [doc] = collect_spec(SPEC, scope).resources
    assert doc.properties["KeyState"] == "PendingDeletion"
    assert "DeletionDate" in doc.properties
    assert "EnableKeyRotation" not in doc.properties
