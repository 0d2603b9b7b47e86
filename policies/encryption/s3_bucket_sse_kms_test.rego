package mlwarden.encryption.s3_bucket_sse_kms_test

import rego.v1

import data.mlwarden.encryption.s3_bucket_sse_kms

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_sse_s3": {
		"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_no_encryption": {
		"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_aws_managed_key": {
		"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_untrusted_key": {
		"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}},
		"settings": {"trusted_kms_keys": ["other"]},
	},
	"passes_customer_key": {
		"want": 0, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_dsse_customer_key": {
		"want": 0, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if count(s3_bucket_sse_kms.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_sse_s3 if check("fails_sse_s3")

test_fails_no_encryption if check("fails_no_encryption")

test_fails_aws_managed_key if check("fails_aws_managed_key")

test_fails_untrusted_key if check("fails_untrusted_key")

test_passes_customer_key if check("passes_customer_key")

test_passes_dsse_customer_key if check("passes_dsse_customer_key")
