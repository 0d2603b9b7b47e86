# METADATA
# title: Model packages carry a lifecycle stage from the allowed list
# description: >-
#   Promotion from development to production must be visible in the registry: every model
#   package that is not Rejected carries a lifecycle stage, SageMaker's
#   ModelLifeCycle.Stage or, where a team keeps it in a tag, the tag settings.lifecycle.stage_tag
#   names, and the stage is one of settings.lifecycle.stages (default DEV, QA, PROD;
#   compared ignoring case). Rejected packages have left the lifecycle.
# custom:
#   id: MLW-REG-009
#   severity: medium
#   category: registry-governance
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe, tags]
#   controls:
#     NIST-800-53: [CM-2, CM-3, CM-8]
#     ISO-42001: [A.6.2.2, A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Give the package one of the allowed stages (settings lifecycle.stages): aws sagemaker
#         update-model-package with
#         ModelLifeCycle={Stage=...,StageStatus=...,StageDescription=...}, or the tag named by
#         settings lifecycle.stage_tag.
#   evidence: [properties.ModelLifeCycle, properties.ModelApprovalStatus]
package mlwarden.registry_governance.model_package_lifecycle_stage

import rego.v1

import data.mlwarden.lib.lifecycle
import data.mlwarden.lib.util

applies if object.get(util.props, "ModelApprovalStatus", null) != "Rejected"

stage := lifecycle.stage(object.get(util.props, "ModelLifeCycle", null), util.tags)

deny contains util.violation(msg, lifecycle.path) if {
	applies
	stage == null
	msg := concat("", [util.what("model package"), " has no lifecycle stage (", lifecycle.source, ")"])
}

deny contains util.violation(msg, lifecycle.path) if {
	applies
	is_string(stage)
	not lifecycle.allowed(stage)
	msg := concat("", [
		util.what("model package"), " is in lifecycle stage ", stage,
		", not one of ", concat(", ", [s | some s in lifecycle.stages]),
	])
}
