# METADATA
# title: Notebook instances have no direct internet access
# description: >-
#   With DirectInternetAccess Enabled, SageMaker gives the notebook a route to the
#   internet outside the organisation's VPC controls: data can leave and packages arrive
#   unchecked. It must be Disabled (traffic then goes through the notebook's VPC). When
#   absent, AWS's default (Enabled) applies.
# custom:
#   id: MLW-NET-001
#   severity: high
#   category: network
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.1]
#     NIST-800-53: [SC-7, AC-4]
#     ISO-42001: [A.6.2.5]
#   remediation: notebook-direct-internet
#   evidence: [properties.DirectInternetAccess]
package mlwarden.network.notebook_direct_internet

import rego.v1

import data.mlwarden.lib.util

value := util.prop(["DirectInternetAccess"])

# SageMaker (and CloudFormation's schema) accept only Enabled and Disabled, in that case:
# a template saying "disabled" does not deploy as written. Still a FAIL, with a message
# that says why rather than claiming DirectInternetAccess is on.
unaccepted if {
	is_string(value)
	value != ""
	not value in {"Enabled", "Disabled"}
}

deny contains util.violation(msg, ["properties", "DirectInternetAccess"]) if {
	value != "Disabled"
	not unaccepted
	msg := concat("", [
		util.what("notebook instance"),
		" has direct internet access (DirectInternetAccess is ",
		util.show(value),
		")",
	])
}

deny contains util.violation(msg, ["properties", "DirectInternetAccess"]) if {
	unaccepted
	msg := concat("", [
		util.what("notebook instance"),
		" sets DirectInternetAccess to ",
		value,
		", which SageMaker does not accept (Enabled or Disabled)",
	])
}
