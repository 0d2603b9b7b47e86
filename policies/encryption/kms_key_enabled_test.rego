package mlwarden.encryption.kms_key_enabled_test

import rego.v1

import data.mlwarden.encryption.kms_key_enabled

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_pending_deletion": {"want": 1, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "PendingDeletion", "Enabled": false}}}},
	"fails_disabled": {"want": 1, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Disabled", "Enabled": false}}}},
	"fails_state_unknown": {"want": 1, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER"}}}},
	"passes_enabled": {"want": 0, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true}}}},
	"passes_aws_managed": {"want": 0, "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "AWS", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Disabled", "Enabled": true}}}},
}

check(name) if count(kms_key_enabled.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_pending_deletion if check("fails_pending_deletion")

test_fails_disabled if check("fails_disabled")

test_fails_state_unknown if check("fails_state_unknown")

test_passes_enabled if check("passes_enabled")

test_passes_aws_managed if check("passes_aws_managed")
