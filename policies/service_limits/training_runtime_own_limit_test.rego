package mlwarden.service_limits.training_runtime_own_limit_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.training_runtime_own_limit

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_near_own_limit": {
		"want": [{"msg": "training job train-1 has run 3500 s of its 3600 s limit", "path": ["facts", "runtime_seconds"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "InProgress", "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}, "facts": {"runtime_seconds": 3500}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"fails_runtime_unknown": {
		"want": [{"msg": "training job train-1: could not determine how long it has run (facts.runtime_seconds is missing)", "path": ["facts", "runtime_seconds"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "InProgress", "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"passes_early_in_run": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "InProgress", "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}, "facts": {"runtime_seconds": 600}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"passes_completed": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}, "facts": {"runtime_seconds": 3599}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
}

check(name) if testing.matches(training_runtime_own_limit.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_near_own_limit if check("fails_near_own_limit")

test_fails_runtime_unknown if check("fails_runtime_unknown")

test_passes_early_in_run if check("passes_early_in_run")

test_passes_completed if check("passes_completed")
