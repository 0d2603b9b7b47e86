# METADATA
# title: Model package signatures verify
# description: >-
#   A signature that is present but does not verify (wrong key, tampered digest, expired
#   or revoked signing material) is worse than none: it must be investigated.
#   facts.signature.verified must be true for every signed package; a signature the
#   collector could not verify fails.
# custom:
#   id: MLW-INT-004
#   severity: critical
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe, signature]
#   controls:
#     NIST-800-53: [SI-7, SI-7(15), CM-14]
#     ISO-42001: [A.6.2.3, A.7.5]
#   remediation: model-package-quarantine
#   evidence: [facts.signature.verified]
package mlwarden.model_integrity.model_package_signature_verified

import rego.v1

import data.mlwarden.lib.util

signature := util.as_object(object.get(util.facts, "signature", {}))

applies if object.get(signature, "present", false) == true

# No signature fact at all: judged ("could not determine"), never silently skipped.
applies if not is_object(object.get(util.facts, "signature", null))

verified := object.get(signature, "verified", null)

deny contains util.violation(msg, ["facts", "signature"]) if {
	not is_object(object.get(util.facts, "signature", null))
	msg := concat("", [
		util.what("model package"),
		": could not determine whether it is signed (facts.signature is missing)",
	])
}

deny contains util.violation(msg, ["facts", "signature", "verified"]) if {
	applies
	verified == false
	msg := concat("", [util.what("model package"), " has a signature that does not verify"])
}

deny contains util.violation(msg, ["facts", "signature", "verified"]) if {
	applies
	verified == null
	msg := concat("", [
		util.what("model package"),
		": could not verify its signature (facts.signature.verified is missing)",
	])
}
