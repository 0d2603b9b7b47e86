# METADATA
# title: S3 buckets keep object versions
# description: >-
#   Without versioning, a model artefact or training data set overwritten in place is
#   gone: the signed digest can no longer be reproduced and the previous model cannot be
#   restored. VersioningConfiguration.Status must be Enabled.
# custom:
#   id: MLW-INT-012
#   severity: medium
#   category: model-integrity
#   resource_types: [AWS::S3::Bucket]
#   facets: [describe]
#   controls:
#     AWS-FSBP: [S3.14]
#     NIST-800-53: [CP-9, SI-7]
#     ISO-42001: [A.7.5]
#   remediation: s3-versioning
#   evidence: [properties.VersioningConfiguration.Status]
package mlwarden.model_integrity.s3_versioning

import rego.v1

import data.mlwarden.lib.util

status := object.get(util.props, ["VersioningConfiguration", "Status"], "")

deny contains util.violation(msg, ["properties", "VersioningConfiguration", "Status"]) if {
	status != "Enabled"
	msg := concat("", [
		"bucket ",
		input.resource.id,
		" does not keep object versions (VersioningConfiguration.Status is ",
		util.show(status),
		")",
	])
}
