# METADATA
# title: Pipeline training and processing steps have a stopping condition
# description: >-
#   Training and Processing steps of a pipeline
#   (Arguments.StoppingCondition.MaxRuntimeInSeconds, including steps inside Condition
#   steps) must bound their runtime, as stand-alone jobs must. A definition that cannot be
#   read fails.
# custom:
#   id: MLW-MON-008
#   severity: low
#   category: monitoring
#   resource_types: [AWS::SageMaker::Pipeline]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-5, SI-4]
#     ISO-42001: [A.4.5, A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         Give each training and processing step a StoppingCondition.MaxRuntimeInSeconds (SDK: max_run on an
#         estimator, max_runtime_in_seconds on a processor).
#       - >-
#         Then update the pipeline (aws sagemaker update-pipeline, or Pipeline.upsert in the SDK); runs
#         already started keep the old definition.
#   evidence: [properties.PipelineDefinition]
package mlwarden.monitoring.pipeline_step_stopping_condition

import rego.v1

import data.mlwarden.lib.pipeline
import data.mlwarden.lib.util

deny contains util.violation(pipeline.unknown_msg, pipeline.unknown_path) if not pipeline.known

deny contains util.violation(msg, pipeline.arg_path(step, ["StoppingCondition", "MaxRuntimeInSeconds"])) if {
	some step in pipeline.steps
	step.Type in {"Training", "Processing"}
	util.blank(pipeline.arg(step, ["StoppingCondition", "MaxRuntimeInSeconds"]))
	msg := concat("", [pipeline.step_what(step), " has no stopping condition (StoppingCondition.MaxRuntimeInSeconds)"])
}
