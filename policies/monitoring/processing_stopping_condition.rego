# METADATA
# title: Processing jobs have a stopping condition
# description: >-
#   A processing job without StoppingCondition.MaxRuntimeInSeconds runs until SageMaker's
#   own limit when it hangs, burning accelerator hours nobody watches.
# custom:
#   id: MLW-MON-007
#   severity: low
#   category: monitoring
#   resource_types: [MLW::SageMaker::ProcessingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-5, SI-4]
#     ISO-42001: [A.4.5, A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Set StoppingCondition.MaxRuntimeInSeconds to the longest the job should run (SDK:
#         max_runtime_in_seconds).
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.StoppingCondition.MaxRuntimeInSeconds]
package mlwarden.monitoring.processing_stopping_condition

import rego.v1

import data.mlwarden.lib.util

limit := util.prop(["StoppingCondition", "MaxRuntimeInSeconds"])

deny contains util.violation(msg, ["properties", "StoppingCondition", "MaxRuntimeInSeconds"]) if {
	not is_number(limit)
	msg := concat("", [
		util.what("processing job"),
		" has no stopping condition (StoppingCondition.MaxRuntimeInSeconds)",
	])
}

deny contains util.violation(msg, ["properties", "StoppingCondition", "MaxRuntimeInSeconds"]) if {
	is_number(limit)
	limit <= 0
	msg := concat("", [util.what("processing job"), " has a stopping condition of ", util.int_text(limit), " s"])
}
