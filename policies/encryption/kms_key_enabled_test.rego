package mlwarden.encryption.kms_key_enabled_test

import rego.v1

import data.mlwarden.encryption.kms_key_enabled
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_pending_deletion": {"want": [{"msg": "KMS key k1 is not enabled (KeyState PendingDeletion)", "path": ["properties", "KeyState"]}], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "PendingDeletion", "Enabled": false}}}},
	"fails_disabled": {"want": [{"msg": "KMS key k1 is not enabled (KeyState Disabled)", "path": ["properties", "KeyState"]}], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Disabled", "Enabled": false}}}},
	"fails_state_unknown": {"want": [{"msg": "KMS key k1: could not determine whether it is enabled (KeyState not read)", "path": ["properties", "KeyState"]}], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER"}}}},
	"passes_enabled": {"want": [], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "Enabled": true}}}},
	"passes_aws_managed": {"want": [], "input": {"resource": {"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyManager": "AWS", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Disabled", "Enabled": true}}}},
}

check(name) if testing.matches(kms_key_enabled.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_pending_deletion if check("fails_pending_deletion")

test_fails_disabled if check("fails_disabled")

test_fails_state_unknown if check("fails_state_unknown")

test_passes_enabled if check("passes_enabled")

test_passes_aws_managed if check("passes_aws_managed")
