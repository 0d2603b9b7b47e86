package mlwarden.network.s3_public_access_block_test

import rego.v1

import data.mlwarden.network.s3_public_access_block

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_block": {"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_partial_block": {"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true}}}}},
	"passes_bucket_block": {"want": 0, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}}}}},
	"passes_account_block": {"want": 0, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"account_public_access_block": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}}}}},
}

check(name) if count(s3_public_access_block.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_block if check("fails_without_block")

test_fails_partial_block if check("fails_partial_block")

test_passes_bucket_block if check("passes_bucket_block")

test_passes_account_block if check("passes_account_block")
