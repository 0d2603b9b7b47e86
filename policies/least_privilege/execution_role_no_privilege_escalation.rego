# METADATA
# title: SageMaker execution roles hold no privilege-escalation actions
# description: >-
#   Action sets such as iam:CreatePolicyVersion, iam:AttachRolePolicy or iam:PutRolePolicy
#   let a workload grant itself more permissions; the analysis lists the escalation paths
#   (by name) the role's policies open. Judged on execution roles (roles whose trust
#   policy lets sagemaker.amazonaws.com assume them) from the collector's policy analysis
#   (facts.actions.privilege_escalation); a role whose policies could not be analysed
#   fails.
# custom:
#   id: MLW-IAM-005
#   severity: critical
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, AC-6(10)]
#     ISO-42001: [A.4.4]
#   remediation: role-least-privilege
#   evidence: [facts.actions.privilege_escalation, properties.Policies, properties.ManagedPolicyArns]
package mlwarden.least_privilege.execution_role_no_privilege_escalation

import rego.v1

import data.mlwarden.lib.iam
import data.mlwarden.lib.util

applies if iam.in_scope

found := object.get(iam.actions, "privilege_escalation", null)

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(iam.not_analysed_msg, iam.not_analysed_path) if {
	applies
	not iam.analysed
}

deny contains util.violation(msg, ["facts", "actions", "privilege_escalation"]) if {
	applies
	iam.analysed
	is_array(found)
	count(found) > 0
	msg := concat("", [
		"execution role ",
		iam.role_name,
		" has privilege-escalation paths: ",
		concat(", ", [util.show(a) | some a in found]),
	])
}

deny contains util.violation(msg, ["facts", "actions", "privilege_escalation"]) if {
	applies
	iam.analysed
	not is_array(found)
	msg := concat("", [
		"execution role ",
		iam.role_name,
		": could not determine whether it has privilege-escalation paths (facts.actions.privilege_escalation is missing)",
	])
}
