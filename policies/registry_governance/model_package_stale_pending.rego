# METADATA
# title: Model packages do not wait for approval indefinitely
# description: >-
#   Packages left in PendingManualApproval longer than settings.stale_pending_days clutter
#   the registry and hide which candidates are really under review. Judged from
#   facts.age_days (days since CreationTime, computed by the collector); a pending package
#   whose age is unknown fails.
# custom:
#   id: MLW-REG-005
#   severity: low
#   category: registry-governance
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-3, CM-8]
#     ISO-42001: [A.6.2.5]
#   remediation: model-package-quarantine
#   evidence: [properties.ModelApprovalStatus, facts.age_days]
package mlwarden.registry_governance.model_package_stale_pending

import rego.v1

import data.mlwarden.lib.util

applies if util.prop("ModelApprovalStatus") == "PendingManualApproval"

age := object.get(util.facts, "age_days", null)

limit := object.get(util.settings, "stale_pending_days", 30)

deny contains util.violation(msg, ["facts", "age_days"]) if {
	applies
	is_number(age)
	age > limit
	msg := concat("", [
		util.what("model package"),
		" has waited ",
		util.int_text(floor(age)),
		" days for approval (limit ",
		util.int_text(limit),
		")",
	])
}

deny contains util.violation(msg, ["facts", "age_days"]) if {
	applies
	not is_number(age)
	msg := concat("", [
		util.what("model package"),
		": could not determine how long it has been pending (facts.age_days is missing)",
	])
}
