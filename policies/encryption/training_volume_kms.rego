# METADATA
# title: Training jobs encrypt their ML storage volumes with a customer-managed KMS key
# description: >-
#   Training instances copy the training data set to attached ML storage volumes.
#   ResourceConfig.VolumeKmsKeyId puts those volumes under a key the organisation
#   controls. Where settings.trusted_kms_keys is non-empty the key must be one of them.
# custom:
#   id: MLW-ENC-005
#   severity: high
#   category: encryption
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2]
#   remediation:
#     steps:
#       - >-
#         Set ResourceConfig.VolumeKmsKeyId to a customer-managed KMS key (SageMaker Python SDK:
#         volume_kms_key).
#       - >-
#         A training job cannot be changed once started: fix its definition (SDK estimator, pipeline step or
#         CreateTrainingJob call) and run it again.
#   evidence: [properties.ResourceConfig.VolumeKmsKeyId]
package mlwarden.encryption.training_volume_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["ResourceConfig", "VolumeKmsKeyId"])

deny contains util.violation(msg, ["properties", "ResourceConfig", "VolumeKmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [util.what("training job"), " has no customer-managed KMS key (ResourceConfig.VolumeKmsKeyId)"])
}

deny contains util.violation(msg, ["properties", "ResourceConfig", "VolumeKmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("training job"))
}
