# METADATA
# title: SageMaker execution roles cannot pass any role
# description: >-
#   iam:PassRole on * lets a workload hand any role in the account (including
#   administrator roles) to a new job, notebook or Lambda function and so act with its
#   permissions. Judged on execution roles (roles whose trust policy lets
#   sagemaker.amazonaws.com assume them) from the collector's policy analysis
#   (facts.actions.passrole_on_star); a role whose policies could not be analysed fails.
# custom:
#   id: MLW-IAM-004
#   severity: critical
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, AC-6(10)]
#     ISO-42001: [A.4.4]
#   remediation: role-least-privilege
#   evidence: [facts.actions.passrole_on_star, properties.Policies, properties.ManagedPolicyArns]
package mlwarden.least_privilege.execution_role_no_passrole_star

import rego.v1

import data.mlwarden.lib.util

import data.mlwarden.lib.iam

applies if iam.in_scope

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(iam.not_analysed_msg, iam.not_analysed_path) if {
	applies
	not iam.analysed
}

deny contains util.violation(msg, ["facts", "actions", "passrole_on_star"]) if {
	applies
	iam.analysed
	object.get(iam.actions, "passrole_on_star", null) == true
	msg := concat("", ["execution role ", iam.role_name, " allows iam:PassRole on every role"])
}

deny contains util.violation(msg, ["facts", "actions", "passrole_on_star"]) if {
	applies
	iam.analysed
	object.get(iam.actions, "passrole_on_star", null) == null
	msg := concat("", [
		"execution role ",
		iam.role_name,
		": could not determine whether it allows iam:PassRole on every role",
		" (facts.actions.passrole_on_star is missing)",
	])
}
