# METADATA
# title: SageMaker execution roles carry no full-access managed policies
# description: >-
#   AWS managed policies such as AmazonSageMakerFullAccess or AdministratorAccess grant
#   far more than a training job, endpoint or notebook needs. Execution roles (roles
#   SageMaker may assume) must not have any policy listed in
#   settings.forbidden_managed_policies attached.
# custom:
#   id: MLW-IAM-001
#   severity: high
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, AC-6(1)]
#     ISO-42001: [A.4.4]
#   remediation: role-least-privilege
#   evidence: [properties.ManagedPolicyArns]
package mlwarden.least_privilege.execution_role_managed_full_access

import rego.v1

import data.mlwarden.lib.iam
import data.mlwarden.lib.util

applies if iam.in_scope

forbidden := {p | some p in object.get(util.settings, "forbidden_managed_policies", [])}

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(msg, ["properties", "ManagedPolicyArns"]) if {
	applies
	some arn in object.get(util.props, "ManagedPolicyArns", [])
	arn in forbidden
	msg := concat("", ["execution role ", iam.role_name, " has the managed policy ", arn, " attached"])
}
