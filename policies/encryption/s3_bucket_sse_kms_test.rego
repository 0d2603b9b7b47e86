package mlwarden.encryption.s3_bucket_sse_kms_test

import rego.v1

import data.mlwarden.encryption.s3_bucket_sse_kms
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_sse_s3": {
		"want": [{"msg": "bucket b defaults to AES256 encryption, not SSE-KMS", "path": ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_no_encryption": {
		"want": [{"msg": "bucket b has no default encryption configuration (BucketEncryption)", "path": ["properties", "BucketEncryption"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_aws_managed_key": {
		"want": [{"msg": "bucket b uses SSE-KMS with the AWS managed key aws/s3, not a customer-managed key", "path": ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "KMSMasterKeyID"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"fails_untrusted_key": {
		"want": [{"msg": "bucket b uses KMS key arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, which is not in settings.trusted_kms_keys", "path": ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "KMSMasterKeyID"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}},
		"settings": {"trusted_kms_keys": ["other"]},
	},
	"passes_customer_key": {
		"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
	"passes_dsse_customer_key": {
		"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}},
		"settings": {"trusted_kms_keys": []},
	},
}

check(name) if testing.matches(s3_bucket_sse_kms.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_sse_s3 if check("fails_sse_s3")

test_fails_no_encryption if check("fails_no_encryption")

test_fails_aws_managed_key if check("fails_aws_managed_key")

test_fails_untrusted_key if check("fails_untrusted_key")

test_passes_customer_key if check("passes_customer_key")

test_passes_dsse_customer_key if check("passes_dsse_customer_key")
