package mlwarden.monitoring.processing_stopping_condition_test

import rego.v1

import data.mlwarden.monitoring.processing_stopping_condition

# Each case: an input and how many violations `deny` must report (0 = PASS).
cases := {
	"fails_without_stopping_condition": {"want": 1, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_with_stopping_condition": {"want": 0, "input": {"resource": {"type": "MLW::SageMaker::ProcessingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}}},
}

check(name) if count(processing_stopping_condition.deny) == cases[name].want with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_stopping_condition if check("fails_without_stopping_condition")

test_passes_with_stopping_condition if check("passes_with_stopping_condition")
