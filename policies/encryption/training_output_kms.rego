# METADATA
# title: Training jobs encrypt their model artefacts with a customer-managed KMS key
# description: >-
#   The model artefact a training job writes to S3 is the organisation's model.
#   OutputDataConfig.KmsKeyId encrypts it with a customer-managed key instead of the
#   bucket's default. Where settings.trusted_kms_keys is non-empty the key must be one of
#   them.
# custom:
#   id: MLW-ENC-006
#   severity: high
#   category: encryption
#   resource_types: [MLW::SageMaker::TrainingJob]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.6.2.3]
#   remediation:
#     steps:
#       - >-
#         Set OutputDataConfig.KmsKeyId to a customer-managed KMS key (SDK: output_kms_key).
#       - >-
#         A training job cannot be changed once started: fix its definition (SDK estimator, pipeline step or
#         CreateTrainingJob call) and run it again.
#   evidence: [properties.OutputDataConfig.KmsKeyId]
package mlwarden.encryption.training_output_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["OutputDataConfig", "KmsKeyId"])

deny contains util.violation(msg, ["properties", "OutputDataConfig", "KmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [util.what("training job"), " has no customer-managed KMS key (OutputDataConfig.KmsKeyId)"])
}

deny contains util.violation(msg, ["properties", "OutputDataConfig", "KmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("training job"))
}
