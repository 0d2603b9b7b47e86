# METADATA
# title: Model packages record the training data set as a SHA-256 digest
# description: >-
#   A dataset_hash that is not a SHA-256 digest (64 hex characters, optionally prefixed
#   sha256:) cannot be checked against the data set. Judged when the package records a
#   dataset_hash; its absence is MLW-INT-009's concern.
# custom:
#   id: MLW-INT-011
#   severity: low
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SR-4, SI-7]
#     ISO-42001: [A.7.5]
#   remediation:
#     steps:
#       - >-
#         Record dataset_hash as the SHA-256 digest of the training data set (64 hex characters, optionally
#         prefixed sha256:) in the package's CustomerMetadataProperties (aws sagemaker update-model-package
#         --customer-metadata-properties dataset_hash=DIGEST).
#   evidence: [properties.CustomerMetadataProperties.dataset_hash]
package mlwarden.model_integrity.model_package_dataset_hash_format

import rego.v1

import data.mlwarden.lib.util

value := object.get(util.props, ["CustomerMetadataProperties", "dataset_hash"], "")

applies if util.present(value)

well_formed if {
	is_string(value)
	regex.match(`^(sha256:)?[0-9a-fA-F]{64}$`, value)
}

deny contains util.violation(msg, ["properties", "CustomerMetadataProperties", "dataset_hash"]) if {
	applies
	not well_formed
	msg := concat("", [
		util.what("model package"),
		" records dataset_hash ",
		util.show(value),
		", which is not a SHA-256 digest",
	])
}
