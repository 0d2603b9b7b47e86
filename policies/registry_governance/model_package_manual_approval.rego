# METADATA
# title: Model packages are approved by someone other than who registered them
# description: >-
#   A package counts as auto-approved when it is Approved and either was never modified
#   after registration (no LastModifiedBy: it was registered already Approved, e.g. by a
#   pipeline or template) or was last modified by the identity that created it (CreatedBy;
#   for assumed roles the role, whatever the session). Approval must be a separate, manual
#   step by another person.
# custom:
#   id: MLW-REG-001
#   severity: high
#   category: registry-governance
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-3, CM-3(2), AC-5]
#     ISO-42001: [A.6.2.5, A.6.1.3]
#   remediation: model-package-quarantine
#   evidence: [properties.ModelApprovalStatus, properties.CreatedBy, properties.LastModifiedBy]
package mlwarden.registry_governance.model_package_manual_approval

import rego.v1

import data.mlwarden.lib.util

applies if util.prop("ModelApprovalStatus") == "Approved"

created_by := util.prop("CreatedBy")

modified_by := util.prop("LastModifiedBy")

# Who a UserContext names: the IAM principal (an assumed role without its session
# name), else the Studio user profile.
identity(u) := principal(u.IamIdentity.Arn) if {
	is_object(u)
	is_string(object.get(u, ["IamIdentity", "Arn"], null))
}

identity(u) := u.UserProfileArn if {
	is_object(u)
	not is_string(object.get(u, ["IamIdentity", "Arn"], null))
	is_string(object.get(u, "UserProfileArn", null))
}

principal(arn) := concat("/", array.slice(split(arn, "/"), 0, 2)) if contains(arn, ":assumed-role/")

principal(arn) := arn if not contains(arn, ":assumed-role/")

deny contains util.violation(msg, ["properties", "ModelApprovalStatus"]) if {
	applies
	util.blank(modified_by)
	msg := concat("", [util.what("model package"), " was registered already Approved: no manual approval step"])
}

deny contains util.violation(msg, ["properties", "LastModifiedBy"]) if {
	applies
	util.present(modified_by)
	util.present(created_by)
	identity(modified_by) == identity(created_by)
	msg := concat("", [
		util.what("model package"),
		" was approved by the identity that registered it (",
		identity(created_by),
		")",
	])
}
