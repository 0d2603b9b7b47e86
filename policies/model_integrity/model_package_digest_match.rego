# METADATA
# title: Model artefacts match the digest their signature claims
# description: >-
#   When the collector computed the artefact's SHA-256 (facts.artifact_sha256_actual), it
#   must equal the digest the signature claims (facts.signature.artifact_digest_claimed,
#   with or without a sha256: prefix): a mismatch means the artefact in S3 was replaced
#   after signing. When the collector tried and could not compute it
#   (facts.artifact_check.error), that is reported too; packages never checked (templates)
#   are not judged.
# custom:
#   id: MLW-INT-003
#   severity: critical
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe, artifact]
#   controls:
#     NIST-800-53: [SI-7, SI-7(1), SR-4]
#     ISO-42001: [A.6.2.3, A.7.5]
#   remediation: model-package-quarantine
#   evidence: [facts.signature.artifact_digest_claimed, facts.artifact_sha256_actual]
package mlwarden.model_integrity.model_package_digest_match

import rego.v1

import data.mlwarden.lib.util

claimed_raw := object.get(util.facts, ["signature", "artifact_digest_claimed"], "")

actual_raw := object.get(util.facts, "artifact_sha256_actual", "")

applies if {
	is_string(claimed_raw)
	claimed_raw != ""
	is_string(actual_raw)
	actual_raw != ""
}

digest(d) := lower(trim_prefix(lower(d), "sha256:"))

# The collector records why it could not compute the digest (facts.artifact_check.error).
check_error := object.get(util.facts, ["artifact_check", "error"], "")

deny contains msg if {
	is_string(claimed_raw)
	claimed_raw != ""
	util.blank(actual_raw)
	is_string(check_error)
	check_error != ""
	msg := concat("", [
		util.what("model package"),
		": could not compute its artefact's SHA-256 to compare with the signed digest: ",
		check_error,
	])
}

deny contains msg if {
	applies
	digest(claimed_raw) != digest(actual_raw)
	msg := concat("", [
		util.what("model package"),
		": artefact SHA-256 ",
		digest(actual_raw),
		" differs from the signed digest ",
		digest(claimed_raw),
	])
}
