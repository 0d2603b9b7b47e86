package mlwarden.encryption.model_package_artifact_bucket_kms_test

import rego.v1

import data.mlwarden.encryption.model_package_artifact_bucket_kms
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_bucket_sse_s3": {
		"want": [{"msg": "model package r1 stores artefacts in bucket art, whose default encryption is not SSE-KMS", "path": ["related", "buckets", 0, "properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0]}], "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_bucket_unread": {
		"want": [{"msg": "model package r1: could not determine the encryption of its artefact bucket(s) (none was read)", "path": ["related", "buckets"]}, {"msg": "model package r1: could not read artefact bucket art", "path": ["related_missing", "buckets", 0]}], "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related_missing": {"buckets": ["art"]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_bucket_aws_managed_key": {
		"want": [{"msg": "model package r1 stores artefacts in bucket art, encrypted with the AWS managed key aws/s3", "path": ["related", "buckets", 0, "properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0]}], "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_bucket_untrusted_key": {
		"want": [{"msg": "model package r1 artefact bucket art uses KMS key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, which is not in settings.trusted_kms_keys", "path": ["related", "buckets", 0, "properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0]}], "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": ["other"]},
	},
	"passes_bucket_customer_key": {
		"want": [], "input": {
			"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"InferenceSpecification": {"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/m:1", "ModelDataUrl": "s3://art/model.tar.gz"}]}}},
			"related": {"buckets": [{"type": "AWS::S3::Bucket", "id": "art", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}]},
		},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_without_artifacts": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::ModelPackage", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(model_package_artifact_bucket_kms.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_bucket_sse_s3 if check("fails_bucket_sse_s3")

test_fails_bucket_unread if check("fails_bucket_unread")

test_fails_bucket_aws_managed_key if check("fails_bucket_aws_managed_key")

test_fails_bucket_untrusted_key if check("fails_bucket_untrusted_key")

test_passes_bucket_customer_key if check("passes_bucket_customer_key")

test_passes_without_artifacts if check("passes_without_artifacts")
