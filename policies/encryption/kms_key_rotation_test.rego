package mlwarden.encryption.kms_key_rotation_test

import rego.v1

import data.mlwarden.encryption.kms_key_rotation
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_rotation": {"want": [{"msg": "KMS key k1 does not rotate its key material (EnableKeyRotation)", "path": ["properties", "EnableKeyRotation"]}], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true, "EnableKeyRotation": false}}}},
	"fails_rotation_unknown": {"want": [{"msg": "KMS key k1: could not determine whether it rotates its key material (EnableKeyRotation not read)", "path": ["properties", "EnableKeyRotation"]}], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true}}}},
	"passes_with_rotation": {"want": [], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true, "EnableKeyRotation": true}}}},
	"passes_aws_managed": {"want": [], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "AWS", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true}}}},
	"passes_imported_key_material": {"want": [], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true, "Origin": "EXTERNAL"}}}},
}

check(name) if testing.matches(kms_key_rotation.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_rotation if check("fails_without_rotation")

test_fails_rotation_unknown if check("fails_rotation_unknown")

test_passes_with_rotation if check("passes_with_rotation")

test_passes_aws_managed if check("passes_aws_managed")

test_passes_imported_key_material if check("passes_imported_key_material")
