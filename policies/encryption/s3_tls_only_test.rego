package mlwarden.encryption.s3_tls_only_test

import rego.v1

import data.mlwarden.encryption.s3_tls_only
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_not_tls_only": {"want": [{"msg": "bucket b does not deny requests without TLS (no aws:SecureTransport=false deny statement)", "path": ["properties", "PolicyDocument"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"tls_only": false}}}},
	"fails_when_unknown": {"want": [{"msg": "bucket b: could not determine whether its policy requires TLS (facts.tls_only is missing)", "path": ["facts", "tls_only"]}], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_when_tls_only": {"want": [], "input": {"resource": {"type": "AWS::S3::Bucket", "id": "b", "account": "111122223333", "region": "eu-west-1", "properties": {}, "facts": {"tls_only": true}}}},
}

check(name) if testing.matches(s3_tls_only.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_not_tls_only if check("fails_when_not_tls_only")

test_fails_when_unknown if check("fails_when_unknown")

test_passes_when_tls_only if check("passes_when_tls_only")
