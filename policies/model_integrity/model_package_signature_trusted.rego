# METADATA
# title: Model package signatures come from a trusted key or an active Signer profile
# description: >-
#   A signature only proves integrity if the signer is trusted. The signing key
#   (facts.signature.key_id) must be in settings.trusted_signing_keys, or the Signer
#   profile (signing_profile) in settings.trusted_signing_profiles or an Active profile of
#   the account (input.related.signing_profiles). A profile that is revoked or cancelled
#   is not trusted.
# custom:
#   id: MLW-INT-002
#   severity: high
#   category: model-integrity
#   resource_types: [AWS::SageMaker::ModelPackage]
#   facets: [describe]
#   controls:
#     NIST-800-53: [SI-7, CM-14, SR-4, SC-12]
#     ISO-42001: [A.6.2.3, A.7.5]
#   remediation: model-package-quarantine
#   evidence: [facts.signature.key_id, facts.signature.signing_profile]
package mlwarden.model_integrity.model_package_signature_trusted

import rego.v1

import data.mlwarden.lib.kms
import data.mlwarden.lib.util

signature := util.as_object(object.get(util.facts, "signature", {}))

applies if object.get(signature, "present", false) == true

# No signature fact at all: judged ("could not determine"), never silently skipped.
applies if not is_object(object.get(util.facts, "signature", null))

key_id := object.get(signature, "key_id", "")

profile := object.get(signature, "signing_profile", "")

profiles := object.get(object.get(input, "related", {}), "signing_profiles", [])

trusted if {
	is_string(key_id)
	key_id != ""
	some k in object.get(util.settings, "trusted_signing_keys", [])
	kms.norm(k) == kms.norm(key_id)
}

trusted if {
	profile != ""
	profile in object.get(util.settings, "trusted_signing_profiles", [])
}

trusted if {
	profile != ""
	some p in profiles
	object.get(p, ["properties", "ProfileName"], p.id) == profile
	object.get(p, ["properties", "Status"], "") == "Active"
}

inactive contains status if {
	profile != ""
	some p in profiles
	object.get(p, ["properties", "ProfileName"], p.id) == profile
	status := object.get(p, ["properties", "Status"], "unknown")
	status != "Active"
}

deny contains msg if {
	not is_object(object.get(util.facts, "signature", null))
	msg := concat("", [
		util.what("model package"),
		": could not determine whether it is signed (facts.signature is missing)",
	])
}

deny contains msg if {
	applies
	not trusted
	count(inactive) == 0
	msg := concat("", [
		util.what("model package"),
		" is signed by an untrusted signer (key ",
		util.show(key_id),
		", profile ",
		util.show(profile),
		")",
	])
}

deny contains msg if {
	applies
	not trusted
	some status in inactive
	msg := concat("", [util.what("model package"), " is signed with Signer profile ", profile, ", which is ", status])
}
