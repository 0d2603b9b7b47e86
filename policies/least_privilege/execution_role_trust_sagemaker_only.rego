# METADATA
# title: Only SageMaker may assume SageMaker execution roles
# description: >-
#   An execution role that other services, accounts, federated users or * may also assume
#   lets them act with the ML workload's access to data and models. Every Allow statement
#   of an execution role's trust policy must name only the service principal
#   sagemaker.amazonaws.com.
# custom:
#   id: MLW-IAM-007
#   severity: high
#   category: least-privilege
#   resource_types: [AWS::IAM::Role]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-6, AC-3, IA-9]
#     ISO-42001: [A.4.4]
#   remediation: role-least-privilege
#   evidence: [properties.AssumeRolePolicyDocument]
package mlwarden.least_privilege.execution_role_trust_sagemaker_only

import rego.v1

import data.mlwarden.lib.util

import data.mlwarden.lib.iam

applies if iam.in_scope

others := [p | some p in iam.trusted_principals; p != iam.sagemaker_principal]

# How a principal reads in the message: AWS:* is anyone.
shown("AWS:*") := "AWS:* (anyone)"

shown(p) := p if p != "AWS:*"

deny contains util.violation(iam.trust_unknown_msg, iam.trust_unknown_path) if iam.trust_unknown

deny contains util.violation(msg, ["properties", "AssumeRolePolicyDocument"]) if {
	applies
	count(others) > 0
	names := [shown(p) | some p in sort(others)]
	msg := concat("", ["execution role ", iam.role_name, " may also be assumed by: ", concat(", ", names)])
}
