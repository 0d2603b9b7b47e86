package mlwarden.model_integrity.s3_versioning_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.model_integrity.s3_versioning

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_suspended": {"want": [{"msg": "bucket b does not keep object versions (VersioningConfiguration.Status is Suspended)", "path": ["properties", "VersioningConfiguration", "Status"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"VersioningConfiguration": {"Status": "Suspended"}}}}},
	"fails_never_enabled": {"want": [{"msg": "bucket b does not keep object versions (VersioningConfiguration.Status is not set)", "path": ["properties", "VersioningConfiguration", "Status"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_enabled": {"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {"VersioningConfiguration": {"Status": "Enabled"}}}}},
}

check(name) if testing.matches(s3_versioning.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_suspended if check("fails_suspended")

test_fails_never_enabled if check("fails_never_enabled")

test_passes_enabled if check("passes_enabled")
