package mlwarden.model_integrity.model_package_required_metadata_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.model_package_required_metadata

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_metadata": {
		"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 does not record dataset_hash, training_job, framework in CustomerMetadataProperties", "path": ["properties", "CustomerMetadataProperties"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}},
		"settings": {"required_model_metadata": ["dataset_hash", "training_job", "framework"]},
	},
	"fails_with_empty_value": {
		"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 does not record framework in CustomerMetadataProperties", "path": ["properties", "CustomerMetadataProperties"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"CustomerMetadataProperties": {"dataset_hash": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "training_job": "fraud-train-42", "framework": ""}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}},
		"settings": {"required_model_metadata": ["dataset_hash", "training_job", "framework"]},
	},
	"passes_with_metadata": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"CustomerMetadataProperties": {"dataset_hash": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "training_job": "fraud-train-42", "framework": "xgboost-1.7"}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}},
		"settings": {"required_model_metadata": ["dataset_hash", "training_job", "framework"]},
	},
}

check(name) if testing.matches(model_package_required_metadata.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_metadata if check("fails_without_metadata")

test_fails_with_empty_value if check("fails_with_empty_value")

test_passes_with_metadata if check("passes_with_metadata")
