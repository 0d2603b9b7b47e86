# METADATA
# title: Pipelines register models for manual approval, not as Approved
# description: >-
#   A RegisterModel step that sets ModelApprovalStatus to Approved (directly or through a
#   parameter's default value) skips the registry's review. Steps must leave it unset or
#   PendingManualApproval, including steps nested in Condition steps. A definition that
#   cannot be read fails.
# custom:
#   id: MLW-REG-007
#   severity: high
#   category: registry-governance
#   resource_types: [AWS::SageMaker::Pipeline]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-3, CM-3(2), AC-5]
#     ISO-42001: [A.6.2.5, A.6.1.3]
#   remediation:
#     steps:
#       - >-
#         In the pipeline's RegisterModel steps, leave ModelApprovalStatus unset or PendingManualApproval,
#         parameter defaults included; reviewers approve versions in the registry.
#       - >-
#         Then update the pipeline (aws sagemaker update-pipeline, or Pipeline.upsert in the SDK); runs
#         already started keep the old definition.
#   evidence: [properties.PipelineDefinition]
package mlwarden.registry_governance.pipeline_register_model_approval

import rego.v1

import data.mlwarden.lib.util

import data.mlwarden.lib.pipeline

deny contains util.violation(pipeline.unknown_msg, pipeline.unknown_path) if not pipeline.known

deny contains util.violation(msg, pipeline.arg_path(step, ["ModelApprovalStatus"])) if {
	some step in pipeline.steps
	step.Type == "RegisterModel"
	pipeline.arg(step, ["ModelApprovalStatus"]) == "Approved"
	msg := concat("", [pipeline.step_what(step), " registers models already Approved"])
}
