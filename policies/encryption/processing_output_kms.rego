# METADATA
# title: Processing jobs encrypt their outputs with a customer-managed KMS key
# description: >-
#   Processing outputs (prepared data sets, features, evaluation reports) are written to
#   S3. ProcessingOutputConfig.KmsKeyId encrypts them with a customer-managed key. Where
#   settings.trusted_kms_keys is non-empty the key must be one of them.
# custom:
#   id: MLW-ENC-008
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
#         Set ProcessingOutputConfig.KmsKeyId to a customer-managed KMS key (SDK: output_kms_key).
#       - >-
#         A processing job cannot be changed once started: fix its definition (SDK processor, pipeline step or
#         CreateProcessingJob call) and run it again.
#   evidence: [properties.ProcessingOutputConfig.KmsKeyId]
package mlwarden.encryption.processing_output_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

key := util.prop(["ProcessingOutputConfig", "KmsKeyId"])

deny contains util.violation(msg, ["properties", "ProcessingOutputConfig", "KmsKeyId"]) if {
	util.blank(key)
	msg := concat("", [
		util.what("processing job"),
		" has no customer-managed KMS key (ProcessingOutputConfig.KmsKeyId)",
	])
}

deny contains util.violation(msg, ["properties", "ProcessingOutputConfig", "KmsKeyId"]) if {
	util.present(key)
	some msg in kms.problems(key, util.what("processing job"))
}
