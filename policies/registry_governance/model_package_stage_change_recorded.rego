# METADATA
# title: Model package lifecycle stages record who set them and why
# description: >-
#   A stage in the registry's ModelLifeCycle is a promotion decision: it must say why
#   (ModelLifeCycle.StageDescription) and name who made it (LastModifiedBy, or CreatedBy
#   for a package never updated since it was registered with its stage). Packages without
#   a ModelLifeCycle stage are out of scope (MLW-REG-009 requires one); a stage kept in a
#   tag carries neither, so this policy judges ModelLifeCycle only.
# custom:
#   id: MLW-REG-010
#   severity: medium
#   category: registry-governance
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-3, AU-3, AU-10]
#     ISO-42001: [A.6.2.5, A.6.1.3]
#   remediation:
#     steps:
#       - >-
#         Record why the package is in its stage: aws sagemaker update-model-package with
#         ModelLifeCycle.StageDescription, made by the person who approves the change (it is
#         recorded as LastModifiedBy).
#   evidence: [properties.ModelLifeCycle, properties.LastModifiedBy, properties.CreatedBy]
#   pass_evidence: [facts.stage_setter]
package mlwarden.registry_governance.model_package_stage_change_recorded

import rego.v1

import data.mlwarden.lib.util

cycle := util.as_object(object.get(util.props, "ModelLifeCycle", {}))

stage := object.get(cycle, "Stage", null)

applies if {
	is_string(stage)
	stage != ""
}

# In a template who set the stage is unknown until SageMaker records it: the IaC path
# marks facts.stage_setter (scanner/iac/normalise.py). No violation rests on it, and
# the pass_evidence of the METADATA makes a PASS NOT_ASSESSED; a missing StageDescription
# still fails.
setter_unknown if is_string(object.get(util.facts, ["stage_setter", "mlwarden:unknown"], null))

# Who set the stage: the last modifier, else (never modified) the creator.
default approver := null

approver := object.get(util.props, "LastModifiedBy", null) if {
	util.present(object.get(util.props, "LastModifiedBy", null))
} else := object.get(util.props, "CreatedBy", null) if {
	util.blank(object.get(util.props, "LastModifiedTime", null))
}

deny contains util.violation(msg, ["properties", "ModelLifeCycle", "StageDescription"]) if {
	applies
	description := object.get(cycle, "StageDescription", "")
	not is_described(description)
	msg := concat("", [
		util.what("model package"), " is in stage ", stage,
		" without a description (ModelLifeCycle.StageDescription)",
	])
}

deny contains util.violation(msg, ["properties", "LastModifiedBy"]) if {
	applies
	not setter_unknown
	util.blank(approver)
	msg := concat("", [
		util.what("model package"), " is in stage ", stage,
		" and records no one who set it (LastModifiedBy)",
	])
}

is_described(d) if {
	is_string(d)
	trim_space(d) != ""
}
