package mlwarden.model_integrity.s3_versioning_test

import rego.v1

import data.mlwarden.model_integrity.s3_versioning

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_suspended": {"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"VersioningConfiguration": {"Status": "Suspended"}}}}},
	"fails_never_enabled": {"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_enabled": {"want": 0, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"VersioningConfiguration": {"Status": "Enabled"}}}}},
}

check(name) if count(s3_versioning.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_suspended if check("fails_suspended")

test_fails_never_enabled if check("fails_never_enabled")

test_passes_enabled if check("passes_enabled")
