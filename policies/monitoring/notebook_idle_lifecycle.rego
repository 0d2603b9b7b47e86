# METADATA
# title: Notebook instances have a lifecycle configuration that stops them when idle
# description: >-
#   Notebooks left running cost money and keep credentials and data live around the clock.
#   Each notebook instance must have a lifecycle configuration (LifecycleConfigName)
#   installing the idle auto-stop script; the scan checks that one is attached, not what
#   its script does.
# custom:
#   id: MLW-MON-005
#   severity: low
#   category: monitoring
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-12, CM-7]
#     ISO-42001: [A.4.5]
#   remediation: notebook-lifecycle-idle-stop
#   evidence: [properties.LifecycleConfigName]
package mlwarden.monitoring.notebook_idle_lifecycle

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "LifecycleConfigName"]) if {
	util.blank(util.prop("LifecycleConfigName"))
	msg := concat("", [
		util.what("notebook instance"),
		" has no lifecycle configuration to stop it when idle (LifecycleConfigName)",
	])
}
