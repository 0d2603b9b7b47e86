# METADATA
# title: SageMaker execution roles are not granted service:* on every resource
# description: >-
#   Grants such as s3:* or sagemaker:* on * give a workload every current and future
#   action of a service, including deletes and policy changes. Judged on execution roles
#   (roles whose trust policy lets sagemaker.amazonaws.com assume them) from the
#   collector's policy analysis (facts.actions.service_wildcards); a role whose policies
#   could not be analysed fails.
# custom:
#   id: MLW-IAM-003
#   severity: high
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, AC-6(1)]
#     ISO-42001: [A.4.4]
#   remediation: role-least-privilege
#   evidence: [facts.actions.service_wildcards, properties.Policies, properties.ManagedPolicyArns]
package mlwarden.least_privilege.execution_role_no_service_wildcards

import rego.v1

import data.mlwarden.lib.iam
import data.mlwarden.lib.util

applies if iam.in_scope

found := object.get(iam.actions, "service_wildcards", null)

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(iam.not_analysed_msg, iam.not_analysed_path) if {
	applies
	not iam.analysed
}

deny contains util.violation(msg, ["facts", "actions", "service_wildcards"]) if {
	applies
	iam.analysed
	is_array(found)
	count(found) > 0
	msg := concat("", [
		"execution role ",
		iam.role_name,
		" has service-wide wildcard grants on *: ",
		concat(", ", [util.show(a) | some a in found]),
	])
}

deny contains util.violation(msg, ["facts", "actions", "service_wildcards"]) if {
	applies
	iam.analysed
	not is_array(found)
	msg := concat("", [
		"execution role ",
		iam.role_name,
		": could not determine whether it has service-wide wildcard grants on * (facts.actions.service_wildcards is missing)",
	])
}
