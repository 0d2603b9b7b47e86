# METADATA
# title: Processing jobs encrypt traffic between their containers
# description: >-
#   Distributed processing jobs exchange data and model state between instances.
#   NetworkConfig.EnableInterContainerTrafficEncryption must be true so that this traffic
#   is encrypted in transit.
# custom:
#   id: MLW-ENC-015
#   severity: medium
#   category: encryption
#   resource_types: [MLW::SageMaker::ProcessingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-8, SC-8(1)]
#     ISO-42001: [A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set NetworkConfig.EnableInterContainerTrafficEncryption to true (SDK:
#         NetworkConfig(encrypt_inter_container_traffic=True)).
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.NetworkConfig.EnableInterContainerTrafficEncryption]
package mlwarden.encryption.processing_inter_container_encryption

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "NetworkConfig", "EnableInterContainerTrafficEncryption"]) if {
	not util.is_true(util.prop(["NetworkConfig", "EnableInterContainerTrafficEncryption"]))
	msg := concat("", [
		util.what("processing job"),
		" does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption is not true)",
	])
}
