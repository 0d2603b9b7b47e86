# METADATA
# title: Notebook instances run on a supported platform
# description: >-
#   A notebook on a platform SageMaker no longer supports gets no security patches.
#   PlatformIdentifier must be one of settings.supported_notebook_platforms (shipped:
#   notebook-al2023-v1, the value Security Hub's SageMaker.8 checks today; a setting
#   because the list moves as platforms age out). A notebook whose platform was not read
#   fails.
# custom:
#   id: MLW-MON-010
#   severity: medium
#   category: monitoring
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.8]
#     NIST-800-53: [SI-2, SA-22]
#     ISO-42001: [A.6.2.6]
#   remediation:
#     steps:
#       - >-
#         A notebook's platform is chosen when it is created: create a new instance with a PlatformIdentifier
#         from settings.supported_notebook_platforms, move the work (through S3 or a Git repository), then
#         delete the old instance.
#   evidence: [properties.PlatformIdentifier]
package mlwarden.monitoring.notebook_supported_platform

import rego.v1

import data.mlwarden.lib.util

platform := util.prop("PlatformIdentifier")

supported := util.as_array(object.get(util.settings, "supported_notebook_platforms", []))

deny contains util.violation(msg, ["properties", "PlatformIdentifier"]) if {
	util.blank(platform)
	msg := concat("", [util.what("notebook instance"), ": could not determine its platform (PlatformIdentifier)"])
}

deny contains util.violation(msg, ["properties", "PlatformIdentifier"]) if {
	util.present(platform)
	not platform in supported
	msg := concat("", [
		util.what("notebook instance"), " runs on ", util.show(platform),
		", not a supported platform (settings.supported_notebook_platforms: ", concat(", ", supported), ")",
	])
}
