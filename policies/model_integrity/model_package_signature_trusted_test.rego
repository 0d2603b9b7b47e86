package mlwarden.model_integrity.model_package_signature_trusted_test

import rego.v1

import data.mlwarden.model_integrity.model_package_signature_trusted

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_untrusted_key": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}},
		},
		"settings": {"trusted_signing_keys": ["other"], "trusted_signing_profiles": []},
	},
	"fails_revoked_profile": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}},
			"related": {"signing_profiles": [{"type": "AWS::Signer::SigningProfile", "id": "ml_models", "account": "111122223333", "region": "eu-west-1", "properties": {"ProfileName": "ml_models", "Status": "Revoked"}}]},
		},
		"settings": {"trusted_signing_keys": [], "trusted_signing_profiles": []},
	},
	"passes_trusted_key_by_id": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}},
		},
		"settings": {"trusted_signing_keys": ["1234abcd-12ab-34cd-56ef-1234567890ab"], "trusted_signing_profiles": []},
	},
	"passes_trusted_profile_setting": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}},
		},
		"settings": {"trusted_signing_keys": [], "trusted_signing_profiles": ["ml_models"]},
	},
	"passes_active_profile": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}},
			"related": {"signing_profiles": [{"type": "AWS::Signer::SigningProfile", "id": "ml_models", "account": "111122223333", "region": "eu-west-1", "properties": {"ProfileName": "ml_models", "Status": "Active"}}]},
		},
		"settings": {"trusted_signing_keys": [], "trusted_signing_profiles": []},
	},
	"passes_unsigned_not_applicable": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": false}}},
		},
		"settings": {"trusted_signing_keys": [], "trusted_signing_profiles": []},
	},
}

check(name) if count(model_package_signature_trusted.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_untrusted_key if check("fails_untrusted_key")

test_fails_revoked_profile if check("fails_revoked_profile")

test_passes_trusted_key_by_id if check("passes_trusted_key_by_id")

test_passes_trusted_profile_setting if check("passes_trusted_profile_setting")

test_passes_active_profile if check("passes_active_profile")

test_passes_unsigned_not_applicable if check("passes_unsigned_not_applicable")
