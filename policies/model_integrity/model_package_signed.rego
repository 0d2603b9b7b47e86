# METADATA
# title: Registered model packages carry a signature over their artefact digest
# description: >-
#   A signature over the model artefact's SHA-256 digest lets deployment prove that the
#   model served is the model that was trained and reviewed. Every model package must
#   carry one (facts.signature.present with the signed digest in artifact_digest_claimed);
#   a package whose signature could not be looked for fails.
# custom:
#   id: MLW-INT-001
#   severity: high
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SI-7, SI-7(15), CM-14, SR-4]
#     ISO-42001: [A.6.2.3, A.7.5]
#   remediation: model-package-sign
#   evidence: [facts.signature]
package mlwarden.model_integrity.model_package_signed

import rego.v1

import data.mlwarden.lib.util

signature := object.get(util.facts, "signature", null)

deny contains util.violation(msg, ["facts", "signature"]) if {
	signature == null
	msg := concat("", [
		util.what("model package"),
		": could not determine whether it is signed (facts.signature is missing)",
	])
}

deny contains util.violation(msg, ["facts", "signature"]) if {
	is_object(signature)
	object.get(signature, "present", false) != true
	msg := concat("", [util.what("model package"), " is not signed"])
}

deny contains util.violation(msg, ["facts", "signature", "artifact_digest_claimed"]) if {
	is_object(signature)
	object.get(signature, "present", false) == true
	util.blank(object.get(signature, "artifact_digest_claimed", ""))
	msg := concat("", [util.what("model package"), " has a signature that names no artefact digest"])
}
