# METADATA
# title: Model artefacts match the digest their signature claims
# description: >-
#   The artefact's SHA-256 the collector computed (facts.artifact_sha256_actual) must equal
#   the digest the signature claims (facts.signature.artifact_digest_claimed, with or
#   without a sha256: prefix): a mismatch means the artefact in S3 was replaced after
#   signing. Every package read from an account that claims a digest gets a verdict: one
#   whose digest could not be computed (no artefact URL, not an S3 URL, the object is
#   gone) fails with the reason, and one whose artefact could not be read (a denied or
#   failed S3 call, an artefact larger than the read limit with no stored SHA-256) is
#   NOT_ASSESSED through its `artifact` facet. A package that claims no digest has
#   nothing to compare (MLW-INT-001 fails it); packages from templates have no artefact
#   to read and are not judged.
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

# Templates (CloudFormation, Terraform, pipeline definitions) name an artefact but
# were never read against S3; everything else (live, saved inventories) is judged.
template_kinds := {"cloudformation", "terraform", "pipeline"}

# A package that claims no digest has nothing to compare: MLW-INT-001 fails it.
applies if {
	claimed
	not object.get(object.get(input.resource, "source", {}), "kind", "live") in template_kinds
}

claimed if {
	is_string(claimed_raw)
	claimed_raw != ""
}

actual if {
	is_string(actual_raw)
	actual_raw != ""
}

digest(d) := lower(trim_prefix(lower(d), "sha256:"))

# The collector records why it could not compute the digest (facts.artifact_check.error).
check_error := object.get(util.facts, ["artifact_check", "error"], "")

deny contains util.violation(msg, ["facts", "artifact_sha256_actual"]) if {
	applies
	claimed
	not actual
	is_string(check_error)
	check_error != ""
	msg := concat("", [
		util.what("model package"),
		": could not compute its artefact's SHA-256 to compare with the signed digest: ",
		check_error,
	])
}

deny contains util.violation(msg, ["facts", "artifact_sha256_actual"]) if {
	applies
	claimed
	not actual
	util.blank(check_error)
	msg := concat("", [
		util.what("model package"),
		": its artefact's SHA-256 was not computed (no artefact URL, or facts.artifact_sha256_actual is missing)",
	])
}

deny contains util.violation(msg, ["facts", "artifact_sha256_actual"]) if {
	applies
	claimed
	actual
	digest(claimed_raw) != digest(actual_raw)
	msg := concat("", [
		util.what("model package"),
		": artefact SHA-256 ",
		digest(actual_raw),
		" differs from the signed digest ",
		digest(claimed_raw),
	])
}
