# METADATA
# title: SageMaker execution roles hold no data-exfiltration actions
# description: >-
#   Actions that hand data to someone else (such as s3:PutBucketPolicy, s3:PutObjectAcl,
#   ec2:CreateSnapshot sharing, or secretsmanager:GetSecretValue on *) let a compromised
#   workload copy training data and models out. Judged on execution roles (roles whose
#   trust policy lets sagemaker.amazonaws.com assume them) from the collector's policy
#   analysis (facts.actions.data_exfiltration); a role whose policies could not be
#   analysed fails.
# custom:
#   id: MLW-IAM-006
#   severity: high
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, SC-7(10)]
#     ISO-42001: [A.4.4, A.7.2]
#   remediation: role-least-privilege
#   evidence: [facts.actions.data_exfiltration, properties.Policies, properties.ManagedPolicyArns]
package mlwarden.least_privilege.execution_role_no_data_exfiltration

import rego.v1

import data.mlwarden.lib.iam
import data.mlwarden.lib.util

applies if iam.in_scope

found := object.get(iam.actions, "data_exfiltration", null)

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(iam.not_analysed_msg, iam.not_analysed_path) if {
	applies
	not iam.analysed
}

deny contains util.violation(msg, ["facts", "actions", "data_exfiltration"]) if {
	applies
	iam.analysed
	is_array(found)
	count(found) > 0
	msg := concat("", [
		"execution role ",
		iam.role_name,
		" has data-exfiltration actions: ",
		concat(", ", [util.show(a) | some a in found]),
	])
}

deny contains util.violation(msg, ["facts", "actions", "data_exfiltration"]) if {
	applies
	iam.analysed
	not is_array(found)
	msg := concat("", [
		"execution role ",
		iam.role_name,
		": could not determine whether it has data-exfiltration actions (facts.actions.data_exfiltration is missing)",
	])
}
