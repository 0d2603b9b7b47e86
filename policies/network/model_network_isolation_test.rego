package mlwarden.network.model_network_isolation_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.model_network_isolation

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_absent": {"want": [{"msg": "model r1 does not isolate its containers from the network (EnableNetworkIsolation is not true)", "path": ["properties", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_false": {"want": [{"msg": "model r1 does not isolate its containers from the network (EnableNetworkIsolation is not true)", "path": ["properties", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"EnableNetworkIsolation": false}}}},
	"passes_when_true": {"want": [], "input": {"resource": {"type": "AWS::SageMaker::Model", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"EnableNetworkIsolation": true}}}},
}

check(name) if testing.matches(model_network_isolation.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_false if check("fails_when_false")

test_passes_when_true if check("passes_when_true")
