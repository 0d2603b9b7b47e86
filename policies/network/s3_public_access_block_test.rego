package mlwarden.network.s3_public_access_block_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.s3_public_access_block

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_block": {"want": [{"msg": "bucket b does not block public access: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off on the bucket and the account", "path": ["properties", "PublicAccessBlockConfiguration"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_partial_block": {"want": [{"msg": "bucket b does not block public access: IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off on the bucket and the account", "path": ["properties", "PublicAccessBlockConfiguration"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true}}}}},
	"passes_bucket_block": {"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}}}}},
	"passes_account_block": {"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"account_public_access_block": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}}}}},
}

check(name) if testing.matches(s3_public_access_block.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_block if check("fails_without_block")

test_fails_partial_block if check("fails_partial_block")

test_passes_bucket_block if check("passes_bucket_block")

test_passes_account_block if check("passes_account_block")
