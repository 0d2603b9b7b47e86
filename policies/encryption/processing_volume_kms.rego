# METADATA
# title: Processing jobs encrypt their ML storage volumes with a customer-managed KMS key
# description: >-
#   Processing jobs copy raw data to attached volumes to prepare features.
#   ProcessingResources.ClusterConfig.VolumeKmsKeyId puts them under a key the
#   organisation controls. Where settings.trusted_kms_keys is non-empty the key must be
#   one of them.
# custom:
#   id: MLW-ENC-007
#   severity: high
#   category: encryption
#   resource_types: [MLW::SageMaker::ProcessingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.7.6]
#   remediation:
#     steps:
#       - >-
#         Set ProcessingResources.ClusterConfig.VolumeKmsKeyId to a customer-managed KMS key (SDK:
#         volume_kms_key).
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.ProcessingResources.ClusterConfig.VolumeKmsKeyId]
package mlwarden.encryption.processing_volume_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["ProcessingResources", "ClusterConfig", "VolumeKmsKeyId"])

deny contains util.violation(msg, ["properties", "ProcessingResources", "ClusterConfig", "VolumeKmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [
		util.what("processing job"),
		" has no customer-managed KMS key (ProcessingResources.ClusterConfig.VolumeKmsKeyId)",
	])
}

deny contains util.violation(msg, ["properties", "ProcessingResources", "ClusterConfig", "VolumeKmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("processing job"))
}
