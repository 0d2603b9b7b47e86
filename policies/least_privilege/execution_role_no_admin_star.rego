# METADATA
# title: SageMaker execution roles are not granted * on *
# description: >-
#   A statement allowing every action on every resource makes the role an administrator:
#   any code running as the job, notebook or endpoint can do anything in the account.
#   Judged on execution roles (roles whose trust policy lets sagemaker.amazonaws.com
#   assume them) from the collector's policy analysis (facts.actions.admin_star); a role
#   whose policies could not be analysed fails.
# custom:
#   id: MLW-IAM-002
#   severity: critical
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, AC-6(1)]
#     ISO-42001: [A.4.4]
#   remediation: role-least-privilege
#   evidence: [facts.actions.admin_star, properties.Policies, properties.ManagedPolicyArns]
package mlwarden.least_privilege.execution_role_no_admin_star

import rego.v1

import data.mlwarden.lib.util

import data.mlwarden.lib.iam

applies if iam.in_scope

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(iam.not_analysed_msg, iam.not_analysed_path) if {
	applies
	not iam.analysed
}

deny contains util.violation(msg, ["facts", "actions", "admin_star"]) if {
	applies
	iam.analysed
	object.get(iam.actions, "admin_star", null) == true
	msg := concat("", ["execution role ", iam.role_name, " allows every action on every resource"])
}

deny contains util.violation(msg, ["facts", "actions", "admin_star"]) if {
	applies
	iam.analysed
	object.get(iam.actions, "admin_star", null) == null
	msg := concat("", [
		"execution role ",
		iam.role_name,
		": could not determine whether it allows every action on every resource",
		" (facts.actions.admin_star is missing)",
	])
}
