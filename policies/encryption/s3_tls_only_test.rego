package mlwarden.encryption.s3_tls_only_test

import rego.v1

import data.mlwarden.encryption.s3_tls_only

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_when_not_tls_only": {"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"tls_only": false}}}},
	"fails_when_unknown": {"want": 1, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_when_tls_only": {"want": 0, "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"tls_only": true}}}},
}

check(name) if count(s3_tls_only.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_not_tls_only if check("fails_when_not_tls_only")

test_fails_when_unknown if check("fails_when_unknown")

test_passes_when_tls_only if check("passes_when_tls_only")
