# METADATA
# title: Notebook instances do not give users root access
# description: >-
#   With RootAccess Enabled (AWS's default) any notebook user can change the instance's
#   software and network configuration, install tools that exfiltrate data and disable
#   controls. It must be Disabled.
# custom:
#   id: MLW-NET-003
#   severity: high
#   category: network
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.3]
#     NIST-800-53: [AC-6, AC-6(2)]
#     ISO-42001: [A.4.4]
#   remediation: notebook-root-access
#   evidence: [properties.RootAccess]
package mlwarden.network.notebook_root_access

import rego.v1

import data.mlwarden.lib.util

value := util.prop(["RootAccess"])

# SageMaker (and CloudFormation's schema) accept only Enabled and Disabled, in that case:
# a template saying "disabled" does not deploy as written. Still a FAIL, with a message
# that says why rather than claiming RootAccess is on.
unaccepted if {
	is_string(value)
	value != ""
	not value in {"Enabled", "Disabled"}
}

deny contains util.violation(msg, ["properties", "RootAccess"]) if {
	value != "Disabled"
	not unaccepted
	msg := concat("", [
		util.what("notebook instance"),
		" gives users root access (RootAccess is ",
		util.show(value),
		")",
	])
}

deny contains util.violation(msg, ["properties", "RootAccess"]) if {
	unaccepted
	msg := concat("", [
		util.what("notebook instance"),
		" sets RootAccess to ",
		value,
		", which SageMaker does not accept (Enabled or Disabled)",
	])
}
