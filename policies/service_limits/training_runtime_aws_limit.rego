# METADATA
# title: Training jobs stay clear of SageMaker's maximum runtime
# description: >-
#   SageMaker stops any training job at its maximum runtime
#   (settings.max_training_runtime_seconds, 28 days). A job configured for
#   (StoppingCondition.MaxRuntimeInSeconds), or running for (facts.runtime_seconds),
#   settings.training_runtime_warn_percent of that or more risks losing its work: split it
#   or checkpoint.
# custom:
#   id: MLW-LIM-003
#   severity: medium
#   category: service-limits
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CP-2(2), SC-5]
#     ISO-42001: [A.4.5]
#   remediation:
#     steps:
#       - >-
#         Split the work into jobs well below SageMaker's maximum runtime, or checkpoint
#         (CheckpointConfig.S3Uri) so that a job stopped at the limit resumes in a new one; set
#         MaxRuntimeInSeconds accordingly.
#   evidence: [properties.StoppingCondition.MaxRuntimeInSeconds, facts.runtime_seconds]
package mlwarden.service_limits.training_runtime_aws_limit

import rego.v1

import data.mlwarden.lib.util

aws_max := object.get(util.settings, "max_training_runtime_seconds", 2419200)

warn := object.get(util.settings, "training_runtime_warn_percent", 80)

near(seconds) if util.at_least_percent(seconds, aws_max, warn)

configured := util.prop(["StoppingCondition", "MaxRuntimeInSeconds"])

runtime := object.get(util.facts, "runtime_seconds", null)

deny contains util.violation(msg, ["properties", "StoppingCondition", "MaxRuntimeInSeconds"]) if {
	is_number(configured)
	near(configured)
	msg := concat("", [
		util.what("training job"),
		" allows ",
		util.int_text(configured),
		" s of runtime, near SageMaker's maximum of ",
		util.int_text(aws_max),
		" s",
	])
}

deny contains util.violation(msg, ["facts", "runtime_seconds"]) if {
	is_number(runtime)
	near(runtime)
	msg := concat("", [
		util.what("training job"),
		" has run ",
		util.int_text(runtime),
		" s, near SageMaker's maximum of ",
		util.int_text(aws_max),
		" s",
	])
}
