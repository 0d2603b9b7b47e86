package mlwarden.service_limits.long_training_checkpoints_test

import rego.v1

import data.mlwarden.lib.testing
import data.mlwarden.service_limits.long_training_checkpoints

# Each case: an input and the violations `deny` must report ([] = PASS), see lib/testing.rego.
cases := {
	"fails_long_without_checkpoint": {
		"want": [{"msg": "training job train-1 writes no checkpoints (CheckpointConfig.S3Uri) although it may run longer than the long-job threshold", "path": ["properties", "CheckpointConfig", "S3Uri"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"fails_spot_without_checkpoint": {
		"want": [{"msg": "training job train-1 writes no checkpoints (CheckpointConfig.S3Uri) although it uses managed Spot training", "path": ["properties", "CheckpointConfig", "S3Uri"]}], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "EnableManagedSpotTraining": true, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"passes_long_with_checkpoint": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "CheckpointConfig": {"S3Uri": "s3://ckpt/train-1"}, "StoppingCondition": {"MaxRuntimeInSeconds": 86400}}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
	"passes_short_job": {
		"want": [], "input": {"resource": {"type": "MLW::SageMaker::TrainingJob", "id": "train-1", "account": "111122223333", "region": "eu-west-1", "properties": {"TrainingJobStatus": "Completed", "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}, "facts": {"runtime_seconds": 1200}}},
		"settings": {"max_training_runtime_seconds": 2419200, "training_runtime_warn_percent": 80, "long_training_job_seconds": 14400},
	},
}

check(name) if testing.matches(long_training_checkpoints.deny, cases[name].want) with input as cases[name].input with data.mlwarden_settings as object.get(cases[name], "settings", {})

test_fails_long_without_checkpoint if check("fails_long_without_checkpoint")

test_fails_spot_without_checkpoint if check("fails_spot_without_checkpoint")

test_passes_long_with_checkpoint if check("passes_long_with_checkpoint")

test_passes_short_job if check("passes_short_job")
