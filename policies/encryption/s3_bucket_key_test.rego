package mlwarden.encryption.s3_bucket_key_test

import rego.v1

import data.mlwarden.encryption.s3_bucket_key
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_bucket_key": {"want": [{"msg": "bucket b uses SSE-KMS without an S3 Bucket Key (BucketKeyEnabled)", "path": ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "BucketKeyEnabled"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]}}}}},
	"fails_bucket_key_disabled": {"want": [{"msg": "bucket b uses SSE-KMS without an S3 Bucket Key (BucketKeyEnabled)", "path": ["properties", "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "BucketKeyEnabled"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "BucketKeyEnabled": false}]}}}}},
	"passes_bucket_key_enabled": {"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, "BucketKeyEnabled": true}]}}}}},
	"passes_not_kms": {"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}}},
}

check(name) if testing.matches(s3_bucket_key.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_bucket_key if check("fails_without_bucket_key")

test_fails_bucket_key_disabled if check("fails_bucket_key_disabled")

test_passes_bucket_key_enabled if check("passes_bucket_key_enabled")

test_passes_not_kms if check("passes_not_kms")
