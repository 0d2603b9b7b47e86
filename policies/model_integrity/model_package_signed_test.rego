package mlwarden.model_integrity.model_package_signed_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.model_package_signed

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_unsigned": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 is not signed", "path": ["facts", "signature"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": false}}}}},
	"fails_unknown": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3: could not determine whether it is signed (facts.signature is missing)", "path": ["facts", "signature"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}}}},
	"fails_signature_without_digest": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 has a signature that names no artefact digest", "path": ["facts", "signature", "artifact_digest_claimed"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "p"}}}}},
	"passes_signed": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
}

check(name) if testing.matches(model_package_signed.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_unsigned if check("fails_unsigned")

test_fails_unknown if check("fails_unknown")

test_fails_signature_without_digest if check("fails_signature_without_digest")

test_passes_signed if check("passes_signed")
