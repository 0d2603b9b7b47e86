# METADATA
# title: Notebook instances accept only IMDSv2
# description: >-
#   A notebook that still answers IMDSv1 hands its execution role's credentials to any
#   request a notebook user's code can be tricked into making (server-side request
#   forgery from a notebook extension, a model server, a crafted URL): IMDSv1 needs no
#   session token. InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion
#   must be "2". When it is not set SageMaker creates the notebook with IMDSv1 (API
#   reference InstanceMetadataServiceConfiguration), so an absent setting fails.
# custom:
#   id: MLW-NET-023
#   severity: medium
#   category: network
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   facets: [describe]
#   controls:
#     NIST-800-53: [AC-3, SC-7]
#     ISO-42001: [A.4.5]
#   remediation:
#     steps:
#       - >-
#         Stop the notebook instance, then run aws sagemaker update-notebook-instance
#         --notebook-instance-name NAME --instance-metadata-service-configuration
#         MinimumInstanceMetadataServiceVersion=2 and start it again.
#       - >-
#         In a template, set InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion
#         to "2" (Terraform: instance_metadata_service_configuration with
#         minimum_instance_metadata_service_version = "2").
#   evidence: [properties.InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion]
package mlwarden.network.notebook_imdsv2

import rego.v1

import data.mlwarden.lib.util

path := ["properties", "InstanceMetadataServiceConfiguration", "MinimumInstanceMetadataServiceVersion"]

# The live collector and the IaC normaliser fill SageMaker's default ("1") when the
# setting is absent (the descriptor's AwsDefault), so "" here means a document that
# bypassed both (a hand-written fixture): still not IMDSv2-only.
value := util.prop(["InstanceMetadataServiceConfiguration", "MinimumInstanceMetadataServiceVersion"])

# SageMaker accepts only "1" and "2" (pattern 1|2). A template may give the number 2,
# which CloudFormation deploys as the text "2".
imdsv2_only if value in {"2", 2}

unaccepted if {
	not imdsv2_only
	not value in {"1", 1, ""}
	value != null
}

deny contains util.violation(msg, path) if {
	not imdsv2_only
	not unaccepted
	msg := concat("", [
		util.what("notebook instance"),
		" accepts IMDSv1 (MinimumInstanceMetadataServiceVersion is ",
		util.show(value),
		"): code on the notebook can read its role's credentials without a session token",
	])
}

deny contains util.violation(msg, path) if {
	unaccepted
	msg := concat("", [
		util.what("notebook instance"),
		" sets MinimumInstanceMetadataServiceVersion to ",
		util.show(value),
		", which SageMaker does not accept (1 or 2)",
	])
}
