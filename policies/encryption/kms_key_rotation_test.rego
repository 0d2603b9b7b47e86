package mlwarden.encryption.kms_key_rotation_test

import rego.v1

import data.mlwarden.encryption.kms_key_rotation

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_rotation": {"want": 1, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true, "EnableKeyRotation": false}}}},
	"fails_rotation_unknown": {"want": 1, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true}}}},
	"passes_with_rotation": {"want": 0, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true, "EnableKeyRotation": true}}}},
	"passes_aws_managed": {"want": 0, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "AWS", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true}}}},
	"passes_imported_key_material": {"want": 0, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true, "Origin": "EXTERNAL"}}}},
}

check(name) if count(kms_key_rotation.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_rotation if check("fails_without_rotation")

test_fails_rotation_unknown if check("fails_rotation_unknown")

test_passes_with_rotation if check("passes_with_rotation")

test_passes_aws_managed if check("passes_aws_managed")

test_passes_imported_key_material if check("passes_imported_key_material")
