# METADATA
# title: Inference pipeline models pull every container image from a private registry in the VPC
# description: >-
#   A model with several containers (Containers: a multi-container inference pipeline)
#   must pull each image through the VPC: every container's ImageConfig.RepositoryAccessMode
#   must be Vpc (Security Hub SageMaker.19). A container without ImageConfig, or with
#   Platform access, fails. Single-container models are judged by MLW-NET-021.
# custom:
#   id: MLW-NET-022
#   severity: medium
#   category: network
#   resource_types: [AWS::SageMaker::Model]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [SageMaker.19]
#     NIST-800-53: [SC-7, CM-7]
#     ISO-42001: [A.6.2.5]
#   remediation:
#     steps:
#       - >-
#         Set ImageConfig.RepositoryAccessMode to Vpc on every container of the new model, with the images in
#         a private registry the VPC reaches.
#       - >-
#         A model cannot be changed: create a new model, then a new endpoint configuration that uses it, and
#         move the endpoint to it (aws sagemaker update-endpoint).
#   evidence: [properties.Containers]
package mlwarden.network.model_pipeline_private_registry

import rego.v1

import data.mlwarden.lib.util

containers := util.as_array(util.prop("Containers"))

applies if count(containers) > 0

deny contains util.violation(msg, ["properties", "Containers", i, "ImageConfig", "RepositoryAccessMode"]) if {
	applies
	some i, c in containers
	mode := object.get(util.as_object(c), ["ImageConfig", "RepositoryAccessMode"], "")
	mode != "Vpc"
	msg := concat("", [
		util.what("model"), ": container ", format_int(i, 10), " (",
		util.show(object.get(util.as_object(c), "ContainerHostname", "")), ") pulls its image with ",
		"RepositoryAccessMode ", util.show(mode), ", not Vpc",
	])
}
