# METADATA
# title: Training jobs encrypt traffic between their containers
# description: >-
#   Distributed training jobs exchange data and model state between instances.
#   EnableInterContainerTrafficEncryption must be true so that this traffic is encrypted
#   in transit.
# custom:
#   id: MLW-ENC-014
#   severity: medium
#   category: encryption
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-8, SC-8(1)]
#     ISO-42001: [A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set EnableInterContainerTrafficEncryption to true (SDK: encrypt_inter_container_traffic=True).
#       - >-
#         A training job cannot be changed once started: fix its definition (SDK estimator, pipeline step or
#         CreateTrainingJob call) and run it again.
#   evidence: [properties.EnableInterContainerTrafficEncryption]
package mlwarden.encryption.training_inter_container_encryption

import rego.v1

import data.mlwarden.lib.util

deny contains util.violation(msg, ["properties", "EnableInterContainerTrafficEncryption"]) if {
	not util.is_true(util.prop(["EnableInterContainerTrafficEncryption"]))
	msg := concat("", [
		util.what("training job"),
		" does not encrypt inter-container traffic (EnableInterContainerTrafficEncryption is not true)",
	])
}
