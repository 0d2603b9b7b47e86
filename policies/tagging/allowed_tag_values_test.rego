package mlwarden.tagging.allowed_tag_values_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.tagging.allowed_tag_values

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_with_unlisted_value": {
		"want": [{"msg": "endpoint r1 has tag environment=prd, not one of: dev, prod", "path": ["tags", "environment"]}], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"environment": "prd"}}},
		"settings": {"allowed_tag_values": {"environment": ["dev", "prod"]}},
	},
	"passes_with_listed_value": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"environment": "prod"}}},
		"settings": {"allowed_tag_values": {"environment": ["dev", "prod"]}},
	},
	"passes_without_the_tag": {
		"want": [], "input": {"resource": {"type": "AWS::SageMaker::Endpoint", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}, "tags": {"owner": "x"}}},
		"settings": {"allowed_tag_values": {"environment": ["dev", "prod"]}},
	},
}

check(name) if testing.matches(allowed_tag_values.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_with_unlisted_value if check("fails_with_unlisted_value")

test_passes_with_listed_value if check("passes_with_listed_value")

test_passes_without_the_tag if check("passes_without_the_tag")
