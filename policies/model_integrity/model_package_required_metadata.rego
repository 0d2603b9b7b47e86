# METADATA
# title: Model packages record their lineage metadata
# description: >-
#   Auditors ask what data and which run produced a model. Every key in
#   settings.required_model_metadata (by default dataset_hash, training_job, framework)
#   must be set, non-empty, in the package's CustomerMetadataProperties.
# custom:
#   id: MLW-INT-009
#   severity: medium
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [CM-8, SR-4, AU-10]
#     ISO-42001: [A.6.2.3, A.7.5, A.6.2.7]
#   remediation:
#     steps:
#       - >-
#         Add the missing keys of settings.required_model_metadata to the package's CustomerMetadataProperties
#         (aws sagemaker update-model-package --customer-metadata-properties KEY=VALUE), and have the
#         registering pipeline set them from now on.
#   evidence: [properties.CustomerMetadataProperties]
package mlwarden.model_integrity.model_package_required_metadata

import rego.v1

import data.mlwarden.lib.util

recorded := util.as_object(object.get(util.props, "CustomerMetadataProperties", {}))

missing := [k |
	some k in object.get(util.settings, "required_model_metadata", [])
	util.blank(object.get(recorded, k, ""))
]

deny contains util.violation(msg, ["properties", "CustomerMetadataProperties"]) if {
	count(missing) > 0
	msg := concat("", [
		util.what("model package"),
		" does not record ",
		concat(", ", missing),
		" in CustomerMetadataProperties",
	])
}
