package mlwarden.network.model_network_isolation_test

import rego.v1

import data.mlwarden.network.model_network_isolation

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_when_absent": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_false": {"want": 1, "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"EnableNetworkIsolation": false}}}},
	"passes_when_true": {"want": 0, "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"EnableNetworkIsolation": true}}}},
}

check(name) if count(model_network_isolation.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_false if check("fails_when_false")

test_passes_when_true if check("passes_when_true")
