package mlwarden.service_limits.training_runtime_aws_limit_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.training_runtime_aws_limit

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_configured_near_max": {
		"want": [{"msg": "training job train-1 allows 2400000 s of runtime, near SageMaker's maximum of 2419200 s", "path": ["properties", "StoppingCondition", "MaxRuntimeInSeconds"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "StoppingCondition": {"MaxRuntimeInSeconds": 2400000}}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"fails_running_near_max": {
		"want": [{"msg": "training job train-1 has run 2000000 s, near SageMaker's maximum of 2419200 s", "path": ["facts", "runtime_seconds"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "InProgress", "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}, "facts": {"runtime_seconds": 2000000}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"passes_day_long_job": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}, "facts": {"runtime_seconds": 3600}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
}

check(name) if testing.matches(training_runtime_aws_limit.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_configured_near_max if check("fails_configured_near_max")

test_fails_running_near_max if check("fails_running_near_max")

test_passes_day_long_job if check("passes_day_long_job")
