package mlwarden.monitoring.training_stopping_condition_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.monitoring.training_stopping_condition

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_without_stopping_condition": {"want": [{"msg": "training job r1 has no stopping condition (StoppingCondition.MaxRuntimeInSeconds)", "path": ["properties", "StoppingCondition", "MaxRuntimeInSeconds"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {}}}},
	"passes_with_stopping_condition": {"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "r1", "account": "111122223333", "region": "eu-west-1", "properties": {"StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}}},
}

check(name) if testing.matches(training_stopping_condition.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_without_stopping_condition if check("fails_without_stopping_condition")

test_passes_with_stopping_condition if check("passes_with_stopping_condition")
