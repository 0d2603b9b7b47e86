# METADATA
# title: Model package artefacts are stored in buckets encrypted with a customer-managed KMS key
# description: >-
#   A registered model package points at model artefacts in S3
#   (InferenceSpecification.Containers[].ModelDataUrl). Each bucket holding them must
#   default to SSE-KMS with a customer-managed key (trusted, where
#   settings.trusted_kms_keys is non-empty). A bucket that could not be read fails.
# custom:
#   id: MLW-ENC-011
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2, A.6.2.3]
#   remediation: s3-sse-kms
#   evidence: [properties.InferenceSpecification.Containers]
package mlwarden.encryption.model_package_artifact_bucket_kms

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.s3
import data.mlwarden.lib.util

artifact_urls := [u |
	some c in util.as_array(object.get(util.props, ["InferenceSpecification", "Containers"], []))
	u := object.get(util.as_object(c), "ModelDataUrl", "")
	is_string(u)
	startswith(u, "s3://")
]

applies if count(artifact_urls) > 0

buckets := object.get(object.get(input, "related", {}), "buckets", [])

unresolved := object.get(object.get(input, "related_missing", {}), "buckets", [])

deny contains util.violation(msg, ["related", "buckets"]) if {
	applies
	count(buckets) == 0
	msg := concat("", [
		util.what("model package"),
		": could not determine the encryption of its artefact bucket(s) (none was read)",
	])
}

deny contains util.violation(msg, ["related_missing", "buckets", i]) if {
	applies
	some i, name in unresolved
	msg := concat("", [util.what("model package"), ": could not read artefact bucket ", name])
}

deny contains util.violation(msg, array.concat(["related", "buckets", i], s3.rule_path)) if {
	applies
	some i, b in buckets
	not s3.uses_kms(b)
	msg := concat("", [
		util.what("model package"),
		" stores artefacts in bucket ",
		s3.name(b),
		", whose default encryption is not SSE-KMS",
	])
}

deny contains util.violation(msg, array.concat(["related", "buckets", i], s3.rule_path)) if {
	applies
	some i, b in buckets
	s3.uses_kms(b)
	s3.kms_key(b) == ""
	msg := concat("", [
		util.what("model package"),
		" stores artefacts in bucket ",
		s3.name(b),
		", encrypted with the AWS managed key aws/s3",
	])
}

deny contains util.violation(msg, array.concat(["related", "buckets", i], s3.rule_path)) if {
	applies
	some i, b in buckets
	s3.uses_kms(b)
	k := s3.kms_key(b)
	k != ""
	some msg in kms.problems(k, concat("", [util.what("model package"), " artefact bucket ", s3.name(b)]))
}
