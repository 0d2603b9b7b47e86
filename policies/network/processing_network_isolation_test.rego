package mlwarden.network.processing_network_isolation_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.network.processing_network_isolation

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_absent": {"want": [{"msg": "processing job r1 does not isolate its containers from the network (NetworkConfig.EnableNetworkIsolation is not true)", "path": ["properties", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_false": {"want": [{"msg": "processing job r1 does not isolate its containers from the network (NetworkConfig.EnableNetworkIsolation is not true)", "path": ["properties", "NetworkConfig", "EnableNetworkIsolation"]}], "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableNetworkIsolation": false}}}}},
	"passes_when_true": {"want": [], "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"NetworkConfig": {"EnableNetworkIsolation": true}}}}},
}

check(name) if testing.matches(processing_network_isolation.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_false if check("fails_when_false")

test_passes_when_true if check("passes_when_true")
