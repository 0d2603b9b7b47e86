# METADATA
# title: Models pull their primary container image from a private registry in the VPC
# description: >-
#   PrimaryContainer.ImageConfig.RepositoryAccessMode must be Vpc: the image then comes
#   through the VPC's endpoints from a registry the organisation controls, never over the
#   internet from the platform's path. A primary container without ImageConfig, or with
#   Platform access, fails (Security Hub SageMaker.16). Models without a primary container
#   (inference pipelines: Containers) are judged by MLW-NET-022.
# custom:
#   id: MLW-NET-021
#   severity: medium
#   category: network
#   resource_types: [AWS::SageMaker::Model]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.16]
#     NIST-800-53: [SC-7, CM-7]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Set PrimaryContainer.ImageConfig.RepositoryAccessMode to Vpc on the new model, with the image in a
#         private registry the VPC reaches.
#       - >-
#         A model cannot be changed: create a new model, then a new endpoint configuration that uses it, and
#         move the endpoint to it (aws sagemaker update-endpoint).
#   evidence: [properties.PrimaryContainer.ImageConfig]
package mlwarden.network.model_private_registry

import rego.v1

import data.mlwarden.lib.util

primary := util.as_object(util.prop("PrimaryContainer"))

applies if count(primary) > 0

mode := object.get(primary, ["ImageConfig", "RepositoryAccessMode"], "")

deny contains util.violation(msg, ["properties", "PrimaryContainer", "ImageConfig", "RepositoryAccessMode"]) if {
	applies
	mode != "Vpc"
	msg := concat("", [
		util.what("model"), " pulls its primary container image with RepositoryAccessMode ",
		util.show(mode), ", not Vpc (PrimaryContainer.ImageConfig)",
	])
}
