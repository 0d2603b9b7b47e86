package mlwarden.encryption.domain_kms_test

import rego.v1

import data.mlwarden.encryption.domain_kms
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_key": {
		"want": [{"msg": "domain r1 has no customer-managed KMS key (KmsKeyId)", "path": ["properties", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "properties": {}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_with_empty_key": {
		"want": [{"msg": "domain r1 has no customer-managed KMS key (KmsKeyId)", "path": ["properties", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "properties": {"KmsKeyId": ""}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_with_aws_managed_key": {
		"want": [{"msg": "domain r1 uses the AWS managed key alias/aws/sagemaker instead of a customer-managed KMS key", "path": ["properties", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "properties": {"KmsKeyId": "alias/aws/sagemaker"}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_with_untrusted_key": {
		"want": [{"msg": "domain r1 uses KMS key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, which is not in settings.trusted_kms_keys", "path": ["properties", "KmsKeyId"]}], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "properties": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}},
		"settings": {"trusted_kms_keys": ["arn:aws:kms:eu-west-1:111122223333:key/other"]},
	},
	"passes_with_customer_managed_key": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "properties": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_with_trusted_key_given_by_id": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Domain", "id": "r1", "properties": {"KmsKeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}},
		"settings": {"trusted_kms_keys": ["1234abcd-12ab-34cd-56ef-1234567890ab"]},
	},
}

check(name) if testing.matches(domain_kms.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_key if check("fails_without_key")

test_fails_with_empty_key if check("fails_with_empty_key")

test_fails_with_aws_managed_key if check("fails_with_aws_managed_key")

test_fails_with_untrusted_key if check("fails_with_untrusted_key")

test_passes_with_customer_managed_key if check("passes_with_customer_managed_key")

test_passes_with_trusted_key_given_by_id if check("passes_with_trusted_key_given_by_id")
