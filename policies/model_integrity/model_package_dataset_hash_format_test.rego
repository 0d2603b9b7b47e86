package mlwarden.model_integrity.model_package_dataset_hash_format_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.model_package_dataset_hash_format

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_with_md5": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 records dataset_hash d41d8cd98f00b204e9800998ecf8427e, which is not a SHA-256 digest", "path": ["properties", "CustomerMetadataProperties", "dataset_hash"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"CustomerMetadataProperties": {"dataset_hash": "d41d8cd98f00b204e9800998ecf8427e"}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"fails_with_name": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 records dataset_hash fraud-2026-11, which is not a SHA-256 digest", "path": ["properties", "CustomerMetadataProperties", "dataset_hash"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"CustomerMetadataProperties": {"dataset_hash": "fraud-2026-11"}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"passes_with_sha256": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"CustomerMetadataProperties": {"dataset_hash": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"passes_without_hash": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
}

check(name) if testing.matches(model_package_dataset_hash_format.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_with_md5 if check("fails_with_md5")

test_fails_with_name if check("fails_with_name")

test_passes_with_sha256 if check("passes_with_sha256")

test_passes_without_hash if check("passes_without_hash")
