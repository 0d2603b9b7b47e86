package mlwarden.encryption.training_inter_container_encryption_test

import rego.v1

import data.mlwarden.encryption.training_inter_container_encryption
import data.mlwarden.lib.testing

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_when_absent": {"want": [{"msg": "training job r1 does not encrypt inter-container traffic (EnableInterContainerTrafficEncryption is not true)", "path": ["properties", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"fails_when_false": {"want": [{"msg": "training job r1 does not encrypt inter-container traffic (EnableInterContainerTrafficEncryption is not true)", "path": ["properties", "EnableInterContainerTrafficEncryption"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"EnableInterContainerTrafficEncryption": false}}}},
	"passes_when_true": {"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"EnableInterContainerTrafficEncryption": true}}}},
}

check(name) if testing.matches(training_inter_container_encryption.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_when_absent if check("fails_when_absent")

test_fails_when_false if check("fails_when_false")

test_passes_when_true if check("passes_when_true")
