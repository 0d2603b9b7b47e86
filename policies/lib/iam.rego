# Reading IAM role documents: trust policies and the action analysis in facts.actions.
package mlwarden.lib.iam

import rego.v1

import data.mlwarden.lib.util

# A policy field that may be one value or a list of values, as a list.
as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

trust_statements := as_list(object.get(util.props, ["AssumeRolePolicyDocument", "Statement"], []))

allow_trust_statements := [s |
	some s in trust_statements
	is_object(s)
	object.get(s, "Effect", "") == "Allow"
]

# Every principal an Allow statement of the trust policy names, as "<kind>:<value>".
# A bare string principal ("Principal": "*") is what IAM reads as {"AWS": "*"}: anyone.
trusted_principals contains p if {
	some s in allow_trust_statements
	principal := object.get(s, "Principal", {})
	is_string(principal)
	p := concat("", ["AWS:", principal])
}

trusted_principals contains p if {
	some s in allow_trust_statements
	principal := object.get(s, "Principal", {})
	is_object(principal)
	some kind, values in principal
	some v in as_list(values)
	is_string(v)
	p := concat("", [kind, ":", v])
}

sagemaker_principal := "Service:sagemaker.amazonaws.com"

# Execution roles: roles SageMaker may assume.
is_execution_role if sagemaker_principal in trusted_principals

# A role whose trust policy is missing or unreadable may be an execution role: the
# execution-role rules judge it and say so, rather than silently not applying.
trust_unknown if not is_object(object.get(util.props, "AssumeRolePolicyDocument", null))

in_scope if is_execution_role

in_scope if trust_unknown

trust_unknown_msg := concat("", [
	util.what("IAM role"),
	": could not determine whether SageMaker may assume it (properties.AssumeRolePolicyDocument is missing)",
])

trust_unknown_path := ["properties", "AssumeRolePolicyDocument"]

# The policy-analysis fact (from the collector); {} when the analysis is missing.
actions := util.as_object(object.get(util.facts, "actions", {}))

analysed if {
	is_object(object.get(util.facts, "actions", null))
}

not_analysed_msg := concat("", [
	util.what("IAM role"),
	": could not determine what its policies allow (facts.actions is missing)",
])

not_analysed_path := ["facts", "actions"]

default role_name := "?"

role_name := n if {
	n := object.get(util.props, "RoleName", null)
	is_string(n)
} else := object.get(input.resource, "id", "?")
