# METADATA
# title: Running training jobs are not about to hit their own stopping condition
# description: >-
#   A job in progress that has used settings.training_runtime_warn_percent of its
#   StoppingCondition.MaxRuntimeInSeconds (facts.runtime_seconds) will be stopped before
#   it finishes unless someone acts; without checkpoints its work is lost.
# custom:
#   id: MLW-LIM-004
#   severity: low
#   category: service-limits
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CP-2(2), SC-5]
#     ISO-42001: [A.4.5]
#   remediation:
#     steps:
#       - >-
#         A running job's stopping condition cannot be raised: let it stop and resume from its checkpoints in
#         a new job with a longer MaxRuntimeInSeconds, or stop it now (aws sagemaker stop-training-job) if its
#         result is not needed.
#   evidence:
#     - properties.StoppingCondition.MaxRuntimeInSeconds
#     - facts.runtime_seconds
#     - properties.TrainingJobStatus
package mlwarden.service_limits.training_runtime_own_limit

import rego.v1

import data.mlwarden.lib.util

configured := util.prop(["StoppingCondition", "MaxRuntimeInSeconds"])

runtime := object.get(util.facts, "runtime_seconds", null)

warn := object.get(util.settings, "training_runtime_warn_percent", 80)

applies if {
	util.prop("TrainingJobStatus") == "InProgress"
	is_number(configured)
}

deny contains util.violation(msg, ["facts", "runtime_seconds"]) if {
	applies
	is_number(runtime)
	util.at_least_percent(runtime, configured, warn)
	msg := concat("", [
		util.what("training job"),
		" has run ",
		util.int_text(runtime),
		" s of its ",
		util.int_text(configured),
		" s limit",
	])
}

deny contains util.violation(msg, ["facts", "runtime_seconds"]) if {
	applies
	not is_number(runtime)
	msg := concat("", [
		util.what("training job"),
		": could not determine how long it has run (facts.runtime_seconds is missing)",
	])
}
