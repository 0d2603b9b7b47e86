package mlwarden.model_integrity.model_package_metrics_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.model_package_metrics

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_metrics": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 records no evaluation metrics (ModelMetrics)", "path": ["properties", "ModelMetrics"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelApprovalStatus": "Approved"}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"fails_with_empty_metrics": {"want": [{"msg": "model package arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3 records no evaluation metrics (ModelMetrics)", "path": ["properties", "ModelMetrics"]}], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelMetrics": {"ModelQuality": {}}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
	"passes_with_quality_report": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3", "account": "111122223333", "region": "eu-west-1", "properties": {"ModelMetrics": {"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://b/eval.json"}}}}, "facts": {"signature": {"present": true, "signing_profile": "ml_models", "key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "artifact_digest_claimed": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "verified": true}}}}},
}

check(name) if testing.matches(model_package_metrics.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_metrics if check("fails_without_metrics")

test_fails_with_empty_metrics if check("fails_with_empty_metrics")

test_passes_with_quality_report if check("passes_with_quality_report")
