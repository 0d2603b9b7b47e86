package mlwarden.encryption.ml_resource_kms_keys_usable_test

import rego.v1

import data.mlwarden.encryption.ml_resource_kms_keys_usable
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_disabled_key": {"want": [{"msg": "notebook instance r1 uses KMS key k1, which is not enabled (KeyState Disabled)", "path": ["related", "kms_keys", 0, "properties", "KeyState"]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"KmsKeyId": "k1"}},
		"related": {"kms_keys": [{"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyState": "Disabled", "KeyManager": "CUSTOMER"}}]},
	}},
	"fails_aws_key": {"want": [{"msg": "training job r1 uses KMS key k1, an AWS managed key", "path": ["related", "kms_keys", 0, "properties", "KeyManager"]}], "input": {
		"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}},
		"related": {"kms_keys": [{"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyState": "Enabled", "KeyManager": "AWS"}}]},
	}},
	"fails_unread_key": {"want": [{"msg": "notebook instance r1: could not read KMS key k9 to confirm it is enabled", "path": ["related_missing", "kms_keys", 0]}], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"KmsKeyId": "k9"}},
		"related_missing": {"kms_keys": ["k9"]},
	}},
	"passes_enabled_key": {"want": [], "input": {
		"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"KmsKeyId": "k1"}},
		"related": {"kms_keys": [{"type": "AWS::KMS::Key", "id": "k1", "account": "111122223333", "region": "eu-west-1", "properties": {"KeyState": "Enabled", "KeyManager": "CUSTOMER"}}]},
	}},
	"passes_no_keys": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::NotebookInstance", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
}

check(name) if testing.matches(ml_resource_kms_keys_usable.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_disabled_key if check("fails_disabled_key")

test_fails_aws_key if check("fails_aws_key")

test_fails_unread_key if check("fails_unread_key")

test_passes_enabled_key if check("passes_enabled_key")

test_passes_no_keys if check("passes_no_keys")
