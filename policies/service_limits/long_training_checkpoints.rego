# METADATA
# title: Long and Spot training jobs checkpoint to S3
# description: >-
#   A job that may run longer than settings.long_training_job_seconds (by its stopping
#   condition or its runtime so far), or that uses managed Spot capacity
#   (EnableManagedSpotTraining) and can be interrupted at any time, must write checkpoints
#   (CheckpointConfig.S3Uri) so an interruption or limit does not throw away days of
#   compute.
# custom:
#   id: MLW-LIM-005
#   severity: medium
#   category: service-limits
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CP-9, CP-10]
#     ISO-42001: [A.4.5]
#   remediation:
#     steps:
#       - >-
#         Set CheckpointConfig.S3Uri (SDK: checkpoint_s3_uri) and make the training code save to and resume
#         from the checkpoint directory; a running job cannot be changed, so this applies from its next run.
#   evidence:
#     - properties.CheckpointConfig.S3Uri
#     - properties.StoppingCondition.MaxRuntimeInSeconds
#     - properties.EnableManagedSpotTraining
package mlwarden.service_limits.long_training_checkpoints

import rego.v1

import data.mlwarden.lib.util

long := object.get(util.settings, "long_training_job_seconds", 14400)

configured := util.prop(["StoppingCondition", "MaxRuntimeInSeconds"])

runtime := object.get(util.facts, "runtime_seconds", null)

reason contains "it may run longer than the long-job threshold" if {
	is_number(configured)
	configured > long
}

reason contains "it has run longer than the long-job threshold" if {
	is_number(runtime)
	runtime > long
}

reason contains "it uses managed Spot training" if util.prop("EnableManagedSpotTraining") == true

deny contains util.violation(msg, ["properties", "CheckpointConfig", "S3Uri"]) if {
	count(reason) > 0
	util.blank(util.prop(["CheckpointConfig", "S3Uri"]))
	msg := concat("", [
		util.what("training job"),
		" writes no checkpoints (CheckpointConfig.S3Uri) although ",
		concat(" and ", sort(reason)),
	])
}
