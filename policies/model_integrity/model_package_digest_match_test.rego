package mlwarden.model_integrity.model_package_digest_match_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.model_package_digest_match

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_on_mismatch": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3: artefact SHA-256 0000000000000000000000000000000000000000000000000000000000000000 differs from the signed digest 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "path": ["facts", "artifact_sha256_actual"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}, "artifact_sha256_actual": "0000000000000000000000000000000000000000000000000000000000000000"}}}},
	"passes_on_match_with_prefix": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}, "artifact_sha256_actual": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"}}}},
	"template_package_is_not_judged": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "source": {"kind": "cloudformation"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"fails_when_digest_not_computed": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3: its artefact's SHA-256 was not computed (no artefact URL, or facts.artifact_sha256_actual is missing)", "path": ["facts", "artifact_sha256_actual"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"fails_when_digest_could_not_be_computed": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3: could not compute its artefact's SHA-256 to compare with the signed digest: not an s3://bucket/key URL", "path": ["facts", "artifact_sha256_actual"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}, "artifact_check": {"url": "https://example.com/model.tar.gz", "error": "not an s3://bucket/key URL"}}}}},
	"not_judged_without_claimed_digest": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": false}}}}},
}

check(name) if testing.matches(model_package_digest_match.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_on_mismatch if check("fails_on_mismatch")

test_passes_on_match_with_prefix if check("passes_on_match_with_prefix")

test_template_package_is_not_judged if check("template_package_is_not_judged")

test_fails_when_digest_not_computed if check("fails_when_digest_not_computed")

test_fails_when_digest_could_not_be_computed if check("fails_when_digest_could_not_be_computed")

test_not_judged_without_claimed_digest if check("not_judged_without_claimed_digest")
