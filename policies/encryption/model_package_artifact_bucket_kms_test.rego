package mlwarden.encryption.model_package_artifact_bucket_kms_test

import rego.v1

import data.mlwarden.encryption.model_package_artifact_bucket_kms

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_bucket_sse_s3": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_bucket_unread": {
		"want": 2, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related_missing": {"buckets": ["art"]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_bucket_aws_managed_key": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_bucket_untrusted_key": {
		"want": 1, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": ["other"]},
	},
	"passes_bucket_customer_key": {
		"want": 0, "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_without_artifacts": {
		"want": 0, "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if count(model_package_artifact_bucket_kms.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_bucket_sse_s3 if check("fails_bucket_sse_s3")

test_fails_bucket_unread if check("fails_bucket_unread")

test_fails_bucket_aws_managed_key if check("fails_bucket_aws_managed_key")

test_fails_bucket_untrusted_key if check("fails_bucket_untrusted_key")

test_passes_bucket_customer_key if check("passes_bucket_customer_key")

test_passes_without_artifacts if check("passes_without_artifacts")
