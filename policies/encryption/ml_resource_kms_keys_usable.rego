# METADATA
# title: ML resources reference enabled, customer-managed KMS keys
# description: >-
#   Each KMS key an ML resource names (input.related.kms_keys) must exist, be customer-
#   managed and enabled; a key that could not be read is reported, since the scan cannot
#   vouch for it.
# custom:
#   id: MLW-ENC-020
#   severity: high
#   category: encryption
#   resource_types:
#     - AWS::SageMaker::NotebookInstance
#     - AWS::SageMaker::Domain
#     - AWS::SageMaker::EndpointConfig
#     - MLW::SageMaker::TrainingJob
#     - MLW::SageMaker::ProcessingJob
#     - AWS::SageMaker::MonitoringSchedule
#     - AWS::SageMaker::DataQualityJobDefinition
#     - AWS::SageMaker::ModelQualityJobDefinition
#     - AWS::SageMaker::ModelBiasJobDefinition
#     - AWS::SageMaker::ModelExplainabilityJobDefinition
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-12, SC-28]
#     ISO-42001: [A.7.2]
#   remediation:
#     steps:
#       - >-
#         Re-enable the key the resource names (aws kms cancel-key-deletion if pending deletion, then aws kms
#         enable-key), or move the resource to an enabled customer-managed key; jobs, models and endpoint
#         configurations take a key only when created, so they are recreated with it.
#   evidence: [properties.KmsKeyId]
package mlwarden.encryption.ml_resource_kms_keys_usable

import rego.v1

import data.mlwarden.lib.util

keys := object.get(object.get(input, "related", {}), "kms_keys", [])

unresolved := object.get(object.get(input, "related_missing", {}), "kms_keys", [])

deny contains util.violation(msg, ["related", "kms_keys", i, "properties", "KeyState"]) if {
	some i, k in keys
	state := object.get(k, ["properties", "KeyState"], "")
	state != "Enabled"
	msg := concat("", [
		util.what(util.noun),
		" uses KMS key ",
		k.id,
		", which is not enabled (KeyState ",
		util.show(state),
		")",
	])
}

deny contains util.violation(msg, ["related", "kms_keys", i, "properties", "KeyManager"]) if {
	some i, k in keys
	object.get(k, ["properties", "KeyManager"], "") == "AWS"
	msg := concat("", [util.what(util.noun), " uses KMS key ", k.id, ", an AWS managed key"])
}

deny contains util.violation(msg, ["related_missing", "kms_keys", i]) if {
	some i, ref in unresolved
	msg := concat("", [util.what(util.noun), ": could not read KMS key ", ref, " to confirm it is enabled"])
}
